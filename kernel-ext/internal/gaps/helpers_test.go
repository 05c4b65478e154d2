package gaps

import (
	"go/parser"
	"go/token"
	"path"
	"reflect"
	"strconv"
	"strings"

	"github.com/traefik/yaegi/stdlib"
)

// testTables are yaegi's standard library tables, keyed as the session
// keys them (import path → name → value).
func testTables() map[string]map[string]reflect.Value {
	out := map[string]map[string]reflect.Value{}
	for key, syms := range stdlib.Symbols {
		i := strings.LastIndex(key, "/")
		if i < 0 {
			continue
		}
		out[key[:i]] = syms
	}
	return out
}

func newTestChecker() *Checker {
	return NewChecker(Options{Tables: testTables(), Registry: NewRegistry(), Runtime: "rt"})
}

// importsOf returns the imports a cell makes, by name.
func importsOf(code string) map[string]string {
	imp, _, _, err := sections(code)
	out := map[string]string{}
	if err != nil {
		return out
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package main;"+imp, parser.ImportsOnly)
	if err != nil {
		return out
	}
	for _, s := range f.Imports {
		p, _ := strconv.Unquote(s.Path.Value)
		name := path.Base(p)
		if s.Name != nil {
			name = s.Name.Name
		}
		out[name] = p
	}
	return out
}
