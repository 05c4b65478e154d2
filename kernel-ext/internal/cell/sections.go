package cell

// Sections cuts src as Parse does, before any rewrite, into its imports,
// its declarations and its statements: each is src with every top-level
// segment of the other kinds (and a package clause) replaced by spaces, so
// offsets, lines and columns stay those of the cell. A syntax error is an
// *Error, as from Parse.
//
// It is for readers of the cell as written (the type check of package
// gaps); Parse's own moves, such as var declarations that run as
// statements, are not made.
func Sections(src string) (imports, decls, stmts string, err error) {
	segs, err := split(src)
	if err != nil {
		return "", "", "", err
	}
	var imp, dec, st []segment
	for _, s := range segs {
		switch {
		case s.packageClause:
		case s.importDecl:
			imp = append(imp, s)
		case s.decl:
			dec = append(dec, s)
		default:
			st = append(st, s)
		}
	}
	return blankAllBut(src, segs, imp), blankAllBut(src, segs, dec), blankAllBut(src, segs, st), nil
}
