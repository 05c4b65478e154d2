package gaps

import "github.com/goconc/goconc/kernel-ext/internal/cell"

// sections cuts src, a cell, as cell.Parse does before any rewrite, into
// its imports, its declarations and its statements: each is src with the
// top-level parts of the other kinds (and a package clause) replaced by
// spaces, newlines kept, so offsets, lines and columns stay those of the
// cell. A syntax error of the scanner is returned as cell.Split returns it.
func sections(src string) (imports, decls, stmts string, err error) {
	parts, err := cell.Split(src)
	if err != nil {
		return "", "", "", err
	}
	keep := func(kind cell.PartKind) string {
		b := []byte(src)
		for _, p := range parts {
			if p.Kind == kind {
				continue
			}
			end := p.End
			// The semicolon that ends a part goes with it: left alone
			// among declarations it would not parse.
			for i := end; i < len(b); i++ {
				if b[i] == ';' {
					end = i + 1
					break
				}
				if b[i] != ' ' && b[i] != '\t' {
					break
				}
			}
			for i := p.Start; i < end; i++ {
				if b[i] != '\n' {
					b[i] = ' '
				}
			}
		}
		return string(b)
	}
	return keep(cell.PartImport), keep(cell.PartDecl), keep(cell.PartStatement), nil
}
