package cell

// PartKind tells what a top-level piece of a cell is.
type PartKind int

// Kinds of Part.
const (
	// PartStatement is a statement: anything but the kinds below.
	PartStatement PartKind = iota
	// PartImport is an import declaration.
	PartImport
	// PartDecl is a func, type, var or const declaration.
	PartDecl
	// PartPackage is a package clause pasted with a program.
	PartPackage
)

// Part is one top-level statement or declaration of a cell, as written.
type Part struct {
	Kind PartKind
	// Start and End are byte offsets of the part in the cell: src[Start:End]
	// is its text, without the semicolon or newline that ends it.
	Start, End int
}

// Split cuts src into its top-level statements and declarations, the way
// Parse does before it rewrites them, for tools that generate a program of
// their own from a cell (such as native cells, compiled with the Go
// toolchain). A syntax error found by the scanner is an *Error with the
// cell's line and column; Split does not parse the parts.
func Split(src string) ([]Part, error) {
	segs, err := split(src)
	if err != nil {
		return nil, err
	}
	parts := make([]Part, 0, len(segs))
	for _, s := range segs {
		k := PartStatement
		switch {
		case s.packageClause:
			k = PartPackage
		case s.importDecl:
			k = PartImport
		case s.decl:
			k = PartDecl
		}
		parts = append(parts, Part{Kind: k, Start: s.start, End: s.end})
	}
	return parts, nil
}

// LineCol returns the 1-based line and byte column of offset off in src.
func LineCol(src string, off int) (line, col int) {
	return offsetToLineCol(lineStarts(src), off)
}
