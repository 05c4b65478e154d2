package symbols_test

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strings"
	"sync"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/goconc/goconc/kernel-ext/display"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/symbols"
)

type recorder struct {
	mu sync.Mutex
	ds []repl.Display
}

func (r *recorder) Display(d repl.Display) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ds = append(r.ds, d)
}

func (r *recorder) ClearOutput(bool) {}

func (r *recorder) all() []repl.Display {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]repl.Display(nil), r.ds...)
}

func newInterp(t *testing.T) *interp.Interpreter {
	t.Helper()
	i := interp.New(interp.Options{})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(symbols.Symbols); err != nil {
		t.Fatal(err)
	}
	return i
}

func eval(t *testing.T, i *interp.Interpreter, src string) {
	t.Helper()
	if _, err := i.Eval(src); err != nil {
		t.Fatalf("eval %q: %v", src, err)
	}
}

// Interpreted code reaches the native display package through the tables,
// and its displays arrive at the publisher the host installed.
func TestInterpreterDisplays(t *testing.T) {
	r := &recorder{}
	defer display.SetPublisher(r)()
	i := newInterp(t)
	eval(t, i, `import "github.com/goconc/goconc/kernel-ext/display"`)
	eval(t, i, `display.HTML("<b>x</b>")`)

	ds := r.all()
	if len(ds) != 1 || ds[0].Data[display.MIMEHTML] != "<b>x</b>" {
		t.Fatalf("displays %v; want one with text/html <b>x</b>", ds)
	}
}

// A cell builds a figure with plots, adjusts it through gonum/plot's
// exported fields and types, and shows it.
func TestInterpreterPlots(t *testing.T) {
	r := &recorder{}
	defer display.SetPublisher(r)()
	i := newInterp(t)
	eval(t, i, `
import (
	"github.com/goconc/goconc/kernel-ext/display"
	"github.com/goconc/goconc/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)`)
	eval(t, i, `
func show() error {
	p, err := plots.CostBars("Spawn", "µs per spawn", []plots.Bar{
		{Label: "goroutine", Median: 0.3, Low: 0.28, High: 0.33},
		{Label: "thread", Median: 12, Low: 11, High: 14},
	})
	if err != nil {
		return err
	}
	p.Title.Text = "Spawn, tweaked in a cell"
	l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 10}})
	if err != nil {
		return err
	}
	l.Width = vg.Points(2)
	p.Add(l)
	p.Y.Scale = plot.LogScale{}
	return display.Plot(p)
}`)
	eval(t, i, `if err := show(); err != nil { panic(err) }`)

	ds := r.all()
	if len(ds) != 1 {
		t.Fatalf("%d displays; want 1", len(ds))
	}
	b, err := base64.StdEncoding.DecodeString(ds[0].Data[display.MIMEPNG].(string))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("PNG from a cell: %v", err)
	}
	if txt, _ := ds[0].Data[display.MIMEText].(string); !strings.Contains(txt, "Spawn, tweaked in a cell") {
		t.Errorf("the cell's title is not in the figure's text/plain %q", txt)
	}
}

// An interpreted progress loop updates one display, through the adapter a
// workload helper would call.
func TestInterpreterProgress(t *testing.T) {
	r := &recorder{}
	defer display.SetPublisher(r)()
	i := newInterp(t)
	eval(t, i, `import "github.com/goconc/goconc/kernel-ext/display"`)
	eval(t, i, `
bar := display.NewProgress(100, "steps")
f := bar.Func()
for n := 1; n <= 100; n++ {
	f(n, 100)
}
bar.Done()`)
	ds := r.all()
	if len(ds) < 2 {
		t.Fatalf("%d displays; want the first and the final at least", len(ds))
	}
	for _, d := range ds[1:] {
		if d.ID != ds[0].ID || !d.Update {
			t.Errorf("update %+v is not an update of %q", d, ds[0].ID)
		}
	}
	if last := ds[len(ds)-1].Data[display.MIMEText].(string); !strings.Contains(last, "100/100") {
		t.Errorf("final text %q", last)
	}
}

// A cell reaches the workload helpers' types and hands them a progress
// bar's callback, whose type the helpers name workload.Progress.
func TestInterpreterWorkload(t *testing.T) {
	defer display.SetPublisher(&recorder{})()
	i := newInterp(t)
	eval(t, i, `
import (
	"github.com/goconc/goconc/kernel-ext/display"
	"github.com/goconc/goconc/kernel-ext/workload"
)`)
	eval(t, i, `
cfg := workload.SpawnConfig{}.Quick()
cfg.Progress = display.NewProgress(0, "spawn").Func()
s := workload.Summarize([]float64{3, 1, 2})`)
	v, err := i.Eval(`s.Median`)
	if err != nil {
		t.Fatal(err)
	}
	if m, ok := v.Interface().(float64); !ok || m != 2 {
		t.Errorf("median from a cell = %v; want 2", v)
	}
}

// The publisher is the worker's business: cells cannot replace it.
func TestInterpreterCannotSetPublisher(t *testing.T) {
	i := newInterp(t)
	eval(t, i, `import "github.com/goconc/goconc/kernel-ext/display"`)
	if _, err := i.Eval(`display.SetPublisher(nil)`); err == nil {
		t.Error("a cell could call display.SetPublisher")
	}
}

// Every symbol a cell can reach from goconc's own packages has its
// documentation for inspect.
func TestDocsCoverSymbols(t *testing.T) {
	for _, path := range []string{
		"github.com/goconc/goconc/kernel-ext/display",
		"github.com/goconc/goconc/plots",
		"github.com/goconc/goconc/kernel-ext/workload",
	} {
		syms := symbols.Symbols[path+"/"+path[strings.LastIndex(path, "/")+1:]]
		if len(syms) == 0 {
			t.Errorf("no symbols for %s", path)
		}
		for name := range syms {
			if strings.HasPrefix(name, "_") {
				continue // interface wrappers
			}
			if symbols.Docs[path+"."+name] == "" {
				t.Errorf("no Docs entry for %s.%s", path, name)
			}
		}
		if !strings.HasPrefix(symbols.Docs[path], "Package ") {
			t.Errorf("Docs[%q] = %q", path, symbols.Docs[path])
		}
	}
	d := symbols.Docs["github.com/goconc/goconc/kernel-ext/display.Progress.Func"]
	if !strings.HasPrefix(d, "func (p *Progress) Func() func(done, total int)\n\n") {
		t.Errorf("Docs for Progress.Func: %q", d)
	}
}
