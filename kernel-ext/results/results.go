// Package results saves what an experiment measured so that it can be
// compared across machines and re-plotted later: result values as JSON
// (with the environment they were measured in), raw samples as CSV, and
// figures as PNG and SVG.
//
// Notebook cells and goconc bench write through a Store. The default store's
// directory is $GOCONC_OUT when set (make run points it into out/), else
// "goconc-results" in the working directory.
package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/goconc/goconc/kernel-ext/workload"
	"github.com/goconc/goconc/plots"
)

// OutEnv names the environment variable that sets the default directory.
const OutEnv = "GOCONC_OUT"

// DefaultDir is the directory used when OutEnv is not set.
const DefaultDir = "goconc-results"

// Figure sizes used by Store.Figure.
const (
	FigureWidth  = 16 * vg.Centimeter
	FigureHeight = 10 * vg.Centimeter
)

// Store writes result files into one directory.
type Store struct {
	// Dir is the directory files are written to; it is created on the
	// first write.
	Dir string
}

// Default returns the store of $GOCONC_OUT, else of DefaultDir.
func Default() *Store {
	if d := os.Getenv(OutEnv); d != "" {
		return &Store{Dir: d}
	}
	return &Store{Dir: DefaultDir}
}

// Record is the JSON document Store.JSON writes.
type Record struct {
	// Name is the name the result was saved under.
	Name string `json:"name"`
	// Saved is when it was written, UTC.
	Saved time.Time `json:"saved"`
	// Env is the environment at saving time; results from workload also
	// carry the Env of their own run.
	Env workload.Env `json:"env"`
	// Result is the saved value.
	Result any `json:"result"`
}

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func (s *Store) path(name, ext string) (string, error) {
	if !validName.MatchString(name) {
		return "", fmt.Errorf("results: name %q: use letters, digits, '.', '_' and '-' only", name)
	}
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	return filepath.Join(s.Dir, name+ext), nil
}

// JSON writes v, wrapped in a Record, to NAME.json and returns the path.
func (s *Store) JSON(name string, v any) (string, error) {
	p, err := s.path(name, ".json")
	if err != nil {
		return "", err
	}
	rec := Record{Name: name, Saved: time.Now().UTC(), Env: workload.CurrentEnv(), Result: v}
	b, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("results: encode %s: %w", name, err)
	}
	if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	return p, nil
}

// ReadJSON reads the Record saved as NAME.json, decoding its result into v
// (a pointer), and returns the record with Result set to v.
func (s *Store) ReadJSON(name string, v any) (Record, error) {
	p, err := s.path(name, ".json")
	if err != nil {
		return Record{}, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return Record{}, fmt.Errorf("results: %w", err)
	}
	rec := Record{Result: v}
	if err := json.Unmarshal(b, &rec); err != nil {
		return Record{}, fmt.Errorf("results: decode %s: %w", p, err)
	}
	return rec, nil
}

// Samples writes the raw samples of every series to NAME.csv, one row per
// sample (label, kind, unit, n, gomaxprocs, index, value), and returns the
// path.
func (s *Store) Samples(name string, series []workload.Series) (string, error) {
	rows := [][]string{{"label", "kind", "unit", "n", "gomaxprocs", "index", "value"}}
	for _, se := range series {
		for i, v := range se.Samples {
			rows = append(rows, []string{se.Label, se.Kind, se.Unit, strconv.Itoa(se.N),
				strconv.Itoa(se.GOMAXPROCS), strconv.Itoa(i), strconv.FormatFloat(v, 'g', -1, 64)})
		}
	}
	return s.CSV(name, rows)
}

// Table writes a table keyed by column name to NAME.csv, columns in sorted
// order, and returns the path. All columns must have the same length.
func (s *Store) Table(name string, cols map[string][]float64) (string, error) {
	keys := make([]string, 0, len(cols))
	n := -1
	for k, c := range cols {
		keys = append(keys, k)
		if n >= 0 && len(c) != n {
			return "", fmt.Errorf("results: table %s: columns of different lengths", name)
		}
		n = len(c)
	}
	sort.Strings(keys)
	rows := [][]string{keys}
	for i := 0; i < n; i++ {
		row := make([]string, len(keys))
		for j, k := range keys {
			row[j] = strconv.FormatFloat(cols[k][i], 'g', -1, 64)
		}
		rows = append(rows, row)
	}
	return s.CSV(name, rows)
}

// CSV writes rows (the first is the header) to NAME.csv and returns the path.
func (s *Store) CSV(name string, rows [][]string) (string, error) {
	p, err := s.path(name, ".csv")
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		return "", fmt.Errorf("results: encode %s: %w", name, err)
	}
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("results: %w", err)
	}
	return p, nil
}

// Figure writes p as NAME.png and NAME.svg (FigureWidth × FigureHeight)
// and returns both paths.
func (s *Store) Figure(name string, p *plot.Plot) ([]string, error) {
	if p == nil {
		return nil, fmt.Errorf("results: figure %s: nil plot", name)
	}
	var paths []string
	for _, f := range []struct {
		ext    string
		render func(*plot.Plot, vg.Length, vg.Length) ([]byte, error)
	}{{".png", plots.PNG}, {".svg", plots.SVG}} {
		b, err := f.render(p, FigureWidth, FigureHeight)
		if err != nil {
			return paths, fmt.Errorf("results: figure %s: %w", name, err)
		}
		fp, err := s.path(name, f.ext)
		if err != nil {
			return paths, err
		}
		if err := os.WriteFile(fp, b, 0o644); err != nil {
			return paths, fmt.Errorf("results: %w", err)
		}
		paths = append(paths, fp)
	}
	return paths, nil
}
