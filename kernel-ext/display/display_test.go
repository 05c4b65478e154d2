package display

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/plots"
)

// recorder is a Publisher that keeps what it is given.
type recorder struct {
	mu       sync.Mutex
	displays []repl.Display
	clears   []bool
}

func (r *recorder) Display(d repl.Display) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.displays = append(r.displays, d)
}

func (r *recorder) ClearOutput(wait bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clears = append(r.clears, wait)
}

func (r *recorder) all() []repl.Display {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]repl.Display(nil), r.displays...)
}

// record installs a recorder for the duration of the test. Tests that
// install one do not run in parallel: the publisher is package state.
func record(t *testing.T) *recorder {
	t.Helper()
	r := &recorder{}
	t.Cleanup(SetPublisher(r))
	return r
}

func smallImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{R: 255, A: 255})
	return img
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, smallImage()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBundles(t *testing.T) {
	pngData := pngBytes(t)
	for _, tc := range []struct {
		name  string
		show  func() error
		mimes []string // every MIME type the bundle must hold, and no other
	}{
		{"Text", func() error { Text("hello"); return nil }, []string{MIMEText}},
		{"HTML", func() error { HTML("<b>x</b>"); return nil }, []string{MIMEHTML, MIMEText}},
		{"Markdown", func() error { Markdown("*x*"); return nil }, []string{MIMEMarkdown, MIMEText}},
		{"PNG", func() error { PNG(pngData); return nil }, []string{MIMEPNG, MIMEText}},
		{"JPEG", func() error { JPEG([]byte{0xff, 0xd8}); return nil }, []string{MIMEJPEG, MIMEText}},
		{"SVG", func() error { SVG([]byte("<svg/>")); return nil }, []string{MIMESVG, MIMEText}},
		{"SVGString", func() error { SVGString("<svg/>"); return nil }, []string{MIMESVG, MIMEText}},
		{"Image", func() error { return Image(smallImage()) }, []string{MIMEPNG, MIMEText}},
		{"JSON", func() error { return JSON(map[string]int{"n": 3}) }, []string{MIMEJSON, MIMEText}},
		{"Bundle", func() error {
			Bundle(map[string]any{"text/latex": "$x$", MIMEText: "x"}, nil)
			return nil
		}, []string{"text/latex", MIMEText}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := record(t)
			if err := tc.show(); err != nil {
				t.Fatal(err)
			}
			ds := r.all()
			if len(ds) != 1 {
				t.Fatalf("%d displays; want 1", len(ds))
			}
			d := ds[0]
			if d.ID != "" || d.Update {
				t.Errorf("plain display has id %q, update %v", d.ID, d.Update)
			}
			if len(d.Data) != len(tc.mimes) {
				t.Errorf("bundle has %d types; want %v", len(d.Data), tc.mimes)
			}
			for _, m := range tc.mimes {
				if _, ok := d.Data[m]; !ok {
					t.Errorf("bundle lacks %s: %v", m, keys(d.Data))
				}
			}
			if s, ok := d.Data[MIMEPNG].(string); ok {
				checkBase64PNG(t, s)
			}
		})
	}
}

func TestJSON(t *testing.T) {
	r := record(t)
	type point struct {
		X int    `json:"x"`
		L string `json:"label"`
	}
	if err := JSON([]point{{1, "a"}}); err != nil {
		t.Fatal(err)
	}
	v, ok := r.all()[0].Data[MIMEJSON].([]any)
	if !ok || len(v) != 1 {
		t.Fatalf("application/json is %#v; want a one-element []any", r.all()[0].Data[MIMEJSON])
	}
	if m, ok := v[0].(map[string]any); !ok || m["x"] != 1.0 || m["label"] != "a" {
		t.Errorf("application/json[0] = %#v", v[0])
	}
	if err := JSON(func() {}); err == nil || !strings.HasPrefix(err.Error(), "display: JSON") {
		t.Errorf("JSON of a func: error %v", err)
	}
	if n := len(r.all()); n != 1 {
		t.Errorf("a failed JSON published: %d displays", n)
	}
}

func TestPlot(t *testing.T) {
	r := record(t)
	p, err := plots.Speedup("Hashing", "workers", []plots.Series{{Name: "g", X: []float64{1, 2}, Y: []float64{1, 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := Plot(p); err != nil {
		t.Fatal(err)
	}
	d := r.all()[0]
	for _, m := range []string{MIMEPNG, MIMEText} {
		if _, ok := d.Data[m].(string); !ok {
			t.Errorf("figure bundle lacks a string %s", m)
		}
	}
	// An SVG would be preferred by front ends, and laid out with whatever
	// fonts the browser has.
	if _, ok := d.Data[MIMESVG]; ok {
		t.Error("figure bundle has an SVG")
	}
	img := checkBase64PNG(t, d.Data[MIMEPNG].(string))
	wantW, wantH := plots.PixelSize(plots.DefaultWidth, plots.DefaultHeight, plotDPI)
	if s := img.Bounds().Size(); s.X != wantW || s.Y != wantH {
		t.Errorf("PNG is %v; want %d×%d", s, wantW, wantH)
	}
	meta, ok := d.Metadata[MIMEPNG].(map[string]any)
	cssW, cssH := plots.PixelSize(plots.DefaultWidth, plots.DefaultHeight, plots.DefaultDPI)
	if !ok || meta["width"] != cssW || meta["height"] != cssH {
		t.Errorf("PNG metadata %v; want width %d, height %d", d.Metadata, cssW, cssH)
	}
	if !strings.Contains(d.Data[MIMEText].(string), "Hashing") {
		t.Errorf("text/plain %q lacks the title", d.Data[MIMEText])
	}
	if err := Plot(nil); err == nil {
		t.Error("Plot(nil): no error")
	}
}

func TestImageFile(t *testing.T) {
	r := record(t)
	dir := t.TempDir()
	pngName := filepath.Join(dir, "a.png")
	svgName := filepath.Join(dir, "a.svg")
	txtName := filepath.Join(dir, "a.txt")
	for name, b := range map[string][]byte{pngName: pngBytes(t), svgName: []byte("<svg/>"), txtName: []byte("hello")} {
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := ImageFile(pngName); err != nil {
		t.Fatal(err)
	}
	if err := ImageFile(svgName); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{txtName, filepath.Join(dir, "missing.png")} {
		if err := ImageFile(bad); err == nil {
			t.Errorf("ImageFile(%s): no error", bad)
		}
	}
	ds := r.all()
	if len(ds) != 2 {
		t.Fatalf("%d displays; want 2", len(ds))
	}
	checkBase64PNG(t, ds[0].Data[MIMEPNG].(string))
	if ds[1].Data[MIMESVG] != "<svg/>" {
		t.Errorf("SVG file shown as %v", ds[1].Data)
	}
}

func TestHandle(t *testing.T) {
	r := record(t)
	h := New()
	h.Text("one")
	h.HTML("<i>two</i>")
	h.Markdown("three")
	other := New()
	other.Text("other")
	h.Display(map[string]any{MIMEText: "again"}, nil)

	ds := r.all()
	want := []struct {
		id     string
		update bool
		text   string
	}{
		{h.ID(), false, "one"},
		{h.ID(), true, "<HTML output>"},
		{h.ID(), true, "three"},
		{other.ID(), false, "other"},
		{h.ID(), false, "again"},
	}
	if len(ds) != len(want) {
		t.Fatalf("%d displays; want %d", len(ds), len(want))
	}
	for i, w := range want {
		if ds[i].ID != w.id || ds[i].Update != w.update || ds[i].Data[MIMEText] != w.text {
			t.Errorf("display %d: id %q update %v text %q; want %q %v %q",
				i, ds[i].ID, ds[i].Update, ds[i].Data[MIMEText], w.id, w.update, w.text)
		}
	}
	if h.ID() == other.ID() || !strings.HasPrefix(h.ID(), "goconc-") {
		t.Errorf("ids %q and %q", h.ID(), other.ID())
	}
}

func TestClearOutput(t *testing.T) {
	r := record(t)
	ClearOutput(true)
	ClearOutput(false)
	if len(r.clears) != 2 || !r.clears[0] || r.clears[1] {
		t.Errorf("clears %v; want [true false]", r.clears)
	}
}

func TestSetPublisherRestores(t *testing.T) {
	outer := record(t)
	inner := &recorder{}
	restore := SetPublisher(inner)
	Text("inner")
	restore()
	Text("outer")
	if len(inner.all()) != 1 || len(outer.all()) != 1 {
		t.Errorf("inner got %d, outer %d displays; want 1 each", len(inner.all()), len(outer.all()))
	}
}

func TestFallbackToStdout(t *testing.T) {
	restore := SetPublisher(nil)
	defer restore()
	out := captureStdout(t, func() {
		Text("plain text")
		HTML("<b>x</b>")
		Bundle(map[string]any{MIMEHTML: "<i>no text</i>"}, nil)
		ClearOutput(false)
	})
	if want := "plain text\n<HTML output>\n"; out != want {
		t.Errorf("stdout = %q; want %q", out, want)
	}
}

// captureStdout runs f with os.Stdout redirected to a pipe.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	rd, wr, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdout
	os.Stdout = wr
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(rd)
		done <- string(b)
	}()
	func() {
		defer func() { os.Stdout = saved }()
		f()
	}()
	wr.Close()
	return <-done
}

func checkBase64PNG(t *testing.T, s string) image.Image {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("image/png is not base64: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("image/png does not decode: %v", err)
	}
	return img
}

func keys(m map[string]any) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
