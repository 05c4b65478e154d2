package session

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
)

// Source is a top-level declaration an interpreted cell made, as the user
// wrote it (func bodies and initial values included), for native cells,
// which compile the declarations they use into a program of their own.
type Source struct {
	// Text is the declaration's source.
	Text string
	// Cell is the session's count of the cell that made it (1 for the
	// first cell the session ran), and Line and Col are where Text starts
	// in that cell (1-based; Col counts bytes).
	Cell, Line, Col int
}

// Declarations are what the interpreted cells of a session declared.
type Declarations struct {
	// Imports maps the name under which a cell imported a package to its
	// path; dot imports are keyed ". path".
	Imports map[string]string
	// Sources are the top-level declarations, oldest first; a later one
	// of a name replaces an earlier one, as it does in the session.
	Sources []Source
	// Values are the names of variables that cells' statements declared
	// (x := f()): they hold values computed at run time, which no
	// declaration can reproduce. Sorted.
	Values []string
}

// Declarations returns what the interpreted cells run so far declared. It
// may be called while a cell runs.
func (s *Session) Declarations() Declarations {
	s.idx.Lock()
	defer s.idx.Unlock()
	d := Declarations{Imports: s.imports.Names(), Sources: append([]Source(nil), s.sources...)}
	declared := map[string]bool{}
	for _, src := range s.sourceNames {
		for _, n := range src {
			declared[n] = true
		}
	}
	for name, decl := range s.decls {
		if !declared[name] && decl.Kind == "var" && name != "ctx" {
			d.Values = append(d.Values, name)
		}
	}
	sort.Strings(d.Values)
	return d
}

// recordSources keeps the top-level declarations of code, a cell whose
// declarations the interpreter accepted, as written.
func (s *Session) recordSources(code string) {
	parts, err := cell.Split(code)
	if err != nil {
		return
	}
	s.idx.Lock()
	defer s.idx.Unlock()
	for _, p := range parts {
		if p.Kind != cell.PartDecl {
			continue
		}
		line, col := cell.LineCol(code, p.Start)
		text := code[p.Start:p.End]
		s.sources = append(s.sources, Source{Text: text, Cell: s.count, Line: line, Col: col})
		s.sourceNames = append(s.sourceNames, declaredNames(text))
	}
}

// declaredNames returns the names a top-level declaration declares
// (none for a method).
func declaredNames(text string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p;"+text, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	var out []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				out = append(out, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch sp := spec.(type) {
				case *ast.TypeSpec:
					out = append(out, sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						out = append(out, n.Name)
					}
				}
			}
		}
	}
	return out
}
