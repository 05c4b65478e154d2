package worker

import (
	"strings"
	"testing"

	"github.com/goconc/goconc/kernel-ext/internal/native"
)

func TestParseCellMagics(t *testing.T) {
	tests := []struct {
		magics []string
		want   cellMagics
		found  bool
		err    string
	}{
		{magics: []string{"%env"}},
		{magics: []string{"%%native"}, want: cellMagics{native: true}, found: true},
		{magics: []string{"%%native -o res"}, want: cellMagics{native: true, output: "res"}, found: true},
		{magics: []string{"%%time", "%%native"}, want: cellMagics{native: true, time: true}, found: true},
		{magics: []string{"%%bench -count 3 -benchtime 10ms"}, want: cellMagics{bench: true, count: 3, benchtime: "10ms"}, found: true},
		{magics: []string{"%%bench -benchtime=100x"}, want: cellMagics{bench: true, count: 6, benchtime: "100x"}, found: true},
		{magics: []string{"%%bench"}, want: cellMagics{bench: true, count: 6, benchtime: "100ms"}, found: true},
		{magics: []string{"%%native -o 1x"}, found: true, err: "want a Go name"},
		{magics: []string{"%%native -x"}, found: true, err: "unknown option -x"},
		{magics: []string{"%%bench -count 0"}, found: true, err: "1 to 100 rounds"},
		{magics: []string{"%%time -v"}, found: true, err: "no options"},
		{magics: []string{"%%nope"}, found: true, err: "unknown cell magic %%nope"},
	}
	for _, tt := range tests {
		got, found, err := parseCellMagics(tt.magics)
		if found != tt.found {
			t.Errorf("%q: found = %v", tt.magics, found)
		}
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: err = %v, want %q", tt.magics, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%q = %+v, %v; want %+v", tt.magics, got, err, tt.want)
		}
	}
}

func TestTimeInterpretedCell(t *testing.T) {
	h := newHarness(t)
	res, out := h.run("%%time\nx := 1")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if got := h.eval.lastCode(); strings.TrimSpace(got) != "x := 1" {
		t.Errorf("evaluated %q", got)
	}
	for _, want := range []string{"%%time: wall", "context switches:", "GC cycles:", "goroutines: peak", "OS threads: peak", "sampled every 10ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("%%%%time output lacks %q:\n%s", want, out)
		}
	}
}

func TestCellMagicErrors(t *testing.T) {
	h := newHarness(t)
	res, _ := h.run("%%nope\nx := 1")
	if errName(res) != "MagicError" || !strings.Contains(res.Err.Value, "%%nope") {
		t.Errorf("result = %+v", res.Err)
	}
}

func TestNativeCell(t *testing.T) {
	if _, err := native.FindGo(); err != nil {
		t.Skip(err)
	}
	h := newHarness(t)
	res, out := h.run("%%native\nimport \"fmt\"\nfmt.Println(\"native\")\n40 + 2")
	if res.Err != nil {
		t.Fatalf("%+v", res.Err)
	}
	if out != "native\n" || res.Value == nil || res.Value.Data["text/plain"] != "42" {
		t.Errorf("out %q, value %+v", out, res.Value)
	}
	res, _ = h.run("%%native\nx := undefinedName")
	if errName(res) != "CompileError" || !strings.HasPrefix(res.Err.Value, "2:1: declared and not used: x") {
		t.Errorf("result = %+v", res.Err)
	}
}
