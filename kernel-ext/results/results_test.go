package results

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goconc/goconc/kernel-ext/workload"
	"github.com/goconc/goconc/plots"
)

func TestDefault(t *testing.T) {
	t.Setenv(OutEnv, "")
	if d := Default().Dir; d != DefaultDir {
		t.Errorf("Default().Dir = %q, want %q", d, DefaultDir)
	}
	t.Setenv(OutEnv, "/tmp/x")
	if d := Default().Dir; d != "/tmp/x" {
		t.Errorf("with %s: Default().Dir = %q", OutEnv, d)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	s := &Store{Dir: filepath.Join(t.TempDir(), "new")}
	type point struct{ N, Ns int }
	p, err := s.JSON("spawn-1", []point{{10, 300}, {100, 280}})
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p) != "spawn-1.json" {
		t.Errorf("path %s", p)
	}
	var got []point
	rec, err := s.ReadJSON("spawn-1", &got)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Ns != 280 || rec.Name != "spawn-1" || rec.Env.GoVersion == "" || rec.Saved.IsZero() {
		t.Errorf("read back %+v, record %+v", got, rec)
	}
}

func TestBadNames(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	for _, name := range []string{"", "../escape", "a/b", ".hidden", "sp ace"} {
		if _, err := s.JSON(name, 1); err == nil {
			t.Errorf("JSON(%q) succeeded", name)
		}
	}
}

func TestSamplesAndTable(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	series := []workload.Series{
		{Label: "goroutine", Kind: "goroutine", Unit: "ns/op", N: 10, GOMAXPROCS: 2, Samples: []float64{1.5, 2}},
		{Label: "thread", Kind: "thread", Unit: "ns/op", N: 10, GOMAXPROCS: 2, Samples: []float64{100}},
	}
	p, err := s.Samples("spawn", series)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, p)
	if len(rows) != 4 || rows[0][0] != "label" || rows[2][6] != "2" || rows[3][0] != "thread" {
		t.Errorf("samples CSV: %q", rows)
	}
	p, err = s.Table("scale", map[string][]float64{"n": {10, 100}, "ns": {1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if rows := readCSV(t, p); strings.Join(rows[0], ",") != "n,ns" || rows[2][0] != "100" {
		t.Errorf("table CSV: %q", rows)
	}
	if _, err := s.Table("bad", map[string][]float64{"a": {1}, "b": {1, 2}}); err == nil {
		t.Error("Table with ragged columns succeeded")
	}
}

func readCSV(t *testing.T, p string) [][]string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestFigure(t *testing.T) {
	s := &Store{Dir: t.TempDir()}
	p, err := plots.CostBars("spawn", "µs", []plots.Bar{{Label: "goroutine", Median: 0.5, Low: 0.4, High: 0.6}, {Label: "thread", Median: 250, Low: 240, High: 260}})
	if err != nil {
		t.Fatal(err)
	}
	paths, err := s.Figure("spawn", p)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 {
		t.Fatalf("paths %v", paths)
	}
	png, _ := os.ReadFile(paths[0])
	svg, _ := os.ReadFile(paths[1])
	if !bytes.HasPrefix(png, []byte("\x89PNG")) || !bytes.Contains(svg, []byte("<svg")) {
		t.Errorf("figure files are not PNG and SVG")
	}
	if _, err := s.Figure("nil", nil); err == nil {
		t.Error("Figure(nil) succeeded")
	}
}
