package session

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestDeclarationsAsWritten(t *testing.T) {
	s, _, _ := newSession(t)
	for _, code := range []string{
		"import \"strings\"\ntype pt struct{ X, Y int }\nfunc (p pt) Sum() int { return p.X + p.Y }",
		"computed := 3\nvar base = 40\nfunc up(s string) string {\n\treturn strings.ToUpper(s)\n}",
		"func broken() int { return undefinedName }", // refused: not recorded
	} {
		s.Execute(context.Background(), code)
	}
	d := s.Declarations()
	if d.Imports["strings"] != "strings" {
		t.Errorf("imports = %v", d.Imports)
	}
	var texts []string
	for _, src := range d.Sources {
		texts = append(texts, src.Text)
	}
	want := []string{"type pt struct{ X, Y int }", "func (p pt) Sum() int { return p.X + p.Y }", "var base = 40", "func up(s string) string {\n\treturn strings.ToUpper(s)\n}"}
	if !slices.Equal(texts, want) {
		t.Errorf("sources = %q, want %q", texts, want)
	}
	if last := d.Sources[len(d.Sources)-1]; last.Line != 3 || last.Col != 1 || last.Cell != 2 {
		t.Errorf("last source at cell %d %d:%d", last.Cell, last.Line, last.Col)
	}
	if !slices.Contains(d.Values, "computed") || slices.Contains(d.Values, "base") || slices.Contains(d.Values, "ctx") {
		t.Errorf("values = %v", d.Values)
	}
	for _, src := range d.Sources {
		if strings.Contains(src.Text, "broken") {
			t.Errorf("a refused declaration was recorded: %q", src.Text)
		}
	}
}
