package session

import (
	"fmt"
	"go/scanner"
	"go/token"
	"reflect"
	"sort"
	"strings"
	"unicode"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/symbols"
)

// predeclared lists Go's predeclared identifiers.
const predeclared = `append cap clear close complex copy delete imag len make new panic print println real recover
any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string
uint uint8 uint16 uint32 uint64 uintptr true false iota nil`

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// identAt returns the identifier around cursor (a rune offset) in runes:
// [start, end), and the qualifier before a dot preceding it, if any.
func identAt(runes []rune, cursor int, extend bool) (start, end int, qual string) {
	if cursor > len(runes) {
		cursor = len(runes)
	}
	if cursor < 0 {
		cursor = 0
	}
	start, end = cursor, cursor
	for start > 0 && isIdentRune(runes[start-1]) {
		start--
	}
	if extend {
		for end < len(runes) && isIdentRune(runes[end]) {
			end++
		}
	}
	if start > 0 && runes[start-1] == '.' {
		q := start - 1
		for q > 0 && isIdentRune(runes[q-1]) {
			q--
		}
		qual = string(runes[q : start-1])
	}
	return start, end, qual
}

// Complete proposes completions at cursor (a rune offset): exported names
// after "pkg.", else names declared by cells, imported package names, Go
// keywords and builtins. It does not wait for a running cell.
func (s *Session) Complete(code string, cursor int) repl.Completion {
	runes := []rune(code)
	start, end, qual := identAt(runes, cursor, false)
	prefix := string(runes[start:end])
	set := map[string]bool{}
	s.idx.Lock()
	if qual != "" {
		if path, ok := s.packagePath(qual, code); ok {
			for name := range s.packages[path] {
				if token.IsExported(name) {
					set[name] = true
				}
			}
		}
	} else {
		for name := range s.decls {
			set[name] = true
		}
		for name := range s.imports.Names() {
			if !strings.HasPrefix(name, ". ") {
				set[name] = true
			}
		}
		for _, imp := range importsIn(code) {
			set[imp.Name] = true
		}
		// Names the cell being typed declares are not in s.decls yet.
		for _, name := range declaredIn(string(runes[:start]) + string(runes[end:])) {
			set[name] = true
		}
		for _, w := range strings.Fields(predeclared) {
			set[w] = true
		}
		for t := token.BREAK; t <= token.VAR; t++ {
			if t.IsKeyword() {
				set[t.String()] = true
			}
		}
	}
	s.idx.Unlock()
	var matches []string
	for name := range set {
		if strings.HasPrefix(name, prefix) && !strings.Contains(name, "ʹ") && name != "_" {
			matches = append(matches, name)
		}
	}
	sort.Strings(matches)
	if matches == nil {
		matches = []string{}
	}
	return repl.Completion{Matches: matches, CursorStart: start, CursorEnd: end, Metadata: map[string]any{}}
}

// declaredIn returns the names code declares at any level: after var,
// const, type and func (grouped or not, comma lists included) and on the
// left of :=. It scans rather than parses, so that a cell still being typed,
// which rarely parses, still offers its own names.
func declaredIn(code string) []string {
	type tok struct {
		t   token.Token
		lit string
	}
	var toks []tok
	var sc scanner.Scanner
	src := []byte(code)
	sc.Init(token.NewFileSet().AddFile("", -1, len(src)), src, func(token.Position, string) {}, 0)
	for {
		_, t, lit := sc.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{t, lit})
	}
	var names []string
	// list adds the comma-separated identifiers starting at i.
	list := func(i int) {
		for i < len(toks) && toks[i].t == token.IDENT {
			names = append(names, toks[i].lit)
			if i+1 >= len(toks) || toks[i+1].t != token.COMMA {
				return
			}
			i += 2
		}
	}
	for i, t := range toks {
		switch t.t {
		case token.VAR, token.CONST, token.TYPE:
			if i+1 < len(toks) && toks[i+1].t == token.LPAREN {
				// A group: a spec starts after "(" or ";" at depth one.
				depth := 0
				for j := i + 1; j < len(toks); j++ {
					switch toks[j].t {
					case token.LPAREN, token.LBRACE, token.LBRACK:
						depth++
					case token.RPAREN, token.RBRACE, token.RBRACK:
						depth--
					}
					if depth == 0 {
						break
					}
					if depth == 1 && (toks[j].t == token.LPAREN || toks[j].t == token.SEMICOLON) {
						list(j + 1)
					}
				}
				continue
			}
			list(i + 1)
		case token.FUNC:
			// A method (func (r T) M) is reached through its type and a
			// function literal has no name: only func NAME declares one.
			if i+1 < len(toks) && toks[i+1].t == token.IDENT {
				names = append(names, toks[i+1].lit)
			}
		case token.DEFINE:
			j := i - 1
			for j >= 0 && toks[j].t == token.IDENT && j-1 >= 0 && toks[j-1].t == token.COMMA {
				j -= 2
			}
			list(j)
		}
	}
	return names
}

// packagePath maps the name a cell uses for a package to its import path:
// imports made by earlier cells, imports in code, else a package of the
// symbol tables with that name. s.idx must be held.
func (s *Session) packagePath(name, code string) (string, bool) {
	if p, ok := s.imports.Path(name); ok {
		return p, true
	}
	for _, imp := range importsIn(code) {
		if imp.Name == name {
			return imp.Path, true
		}
	}
	best := ""
	for p, n := range s.pkgNames {
		if n == name && (best == "" || len(p) < len(best)) {
			best = p
		}
	}
	return best, best != ""
}

// importsIn returns the imports of code, which may not parse as a whole.
func importsIn(code string) []cell.Import {
	if c, err := cell.Parse(code, cell.Options{}); err == nil {
		return c.Imports
	}
	return nil
}

// Inspect describes the name at cursor (a rune offset): the source and doc
// comment of a cell declaration, or the type of a native package member and
// its doc from Options.Docs.
func (s *Session) Inspect(code string, cursor, detail int) repl.Inspection {
	runes := []rune(code)
	start, end, qual := identAt(runes, cursor, true)
	name := string(runes[start:end])
	notFound := repl.Inspection{Found: false, Data: map[string]any{}, Metadata: map[string]any{}}
	if name == "" {
		return notFound
	}
	s.idx.Lock()
	defer s.idx.Unlock()
	var text string
	if qual != "" {
		path, ok := s.packagePath(qual, code)
		if !ok {
			return notFound
		}
		sym, ok := s.packages[path][name]
		if !ok {
			return notFound
		}
		text = describeSymbol(s.pkgNames[path], name, sym)
		if doc := s.doc(path + "." + name); doc != "" {
			text = withDoc(text, doc)
		}
	} else if d, ok := s.decls[name]; ok {
		text = d.Source
		if d.Doc != "" {
			text += "\n\n" + strings.TrimSpace(d.Doc)
		}
	} else if path, ok := s.packagePath(name, code); ok {
		text = fmt.Sprintf("package %s // import %q", s.pkgNames[path], path)
		if doc := s.doc(path); doc != "" {
			text += "\n\n" + strings.TrimSpace(doc)
		}
	} else {
		return notFound
	}
	return repl.Inspection{Found: true, Data: map[string]any{"text/plain": text}, Metadata: map[string]any{}}
}

// doc returns the documentation of key ("import/path.Name" or a path):
// Options.Docs first, then the table generated with the symbols.
func (s *Session) doc(key string) string {
	if d, ok := s.docs[key]; ok {
		return d
	}
	return symbols.Docs[key]
}

// withDoc joins a symbol's description and its documentation. A generated
// entry starts with the symbol's declaration, which then replaces the
// description drawn from reflection.
func withDoc(desc, doc string) string {
	doc = strings.TrimSpace(doc)
	for _, kw := range []string{"func ", "type ", "var ", "const "} {
		if strings.HasPrefix(doc, kw) {
			return doc
		}
	}
	return desc + "\n\n" + doc
}

// describeSymbol shows a yaegi symbol as a declaration: the tables hold
// types as nil pointers, variables as addressable values, and functions and
// constants as plain values.
func describeSymbol(pkg, name string, v reflect.Value) string {
	q := pkg + "." + name
	switch {
	case !v.IsValid():
		return q
	case v.Kind() == reflect.Pointer && v.IsNil() && v.Type().Elem().Name() == name:
		t := v.Type().Elem()
		return fmt.Sprintf("type %s %s", q, t.Kind())
	case v.Kind() == reflect.Func:
		return "func " + q + strings.TrimPrefix(v.Type().String(), "func")
	case v.CanAddr():
		return fmt.Sprintf("var %s %s", q, v.Type())
	default:
		return fmt.Sprintf("const %s %s = %v", q, v.Type(), v.Interface())
	}
}

// IsComplete tells whether code can run as typed: "incomplete" (with the
// indent of the next line) while brackets, raw strings or comments are open,
// "invalid" when it can never parse, else "complete".
func (s *Session) IsComplete(code string) repl.Completeness {
	status, indent := cell.IsComplete(code)
	return repl.Completeness{Status: status, Indent: indent}
}
