package plots

import (
	"bytes"
	"errors"
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Default figure size and resolution. 16 cm is about the width of a
// notebook's output area, so a figure rendered at this size is shown
// unscaled and its text stays legible.
const (
	DefaultWidth  vg.Length = 16 * vg.Centimeter
	DefaultHeight vg.Length = 10 * vg.Centimeter
	// DefaultDPI is the resolution PNG uses: at 96 dots per inch one dot is
	// one CSS pixel.
	DefaultDPI = 96
)

// PNG renders p as a PNG image of w × h at DefaultDPI.
func PNG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	return PNGWithDPI(p, w, h, DefaultDPI)
}

// PNGWithDPI renders p as a PNG image of w × h at dpi dots per inch; its
// size in pixels is given by PixelSize. A dpi above DefaultDPI gives sharp
// images on high-density screens when the image is shown at its size in
// CSS pixels.
func PNGWithDPI(p *plot.Plot, w, h vg.Length, dpi int) ([]byte, error) {
	if err := checkRender(p, w, h); err != nil {
		return nil, fmt.Errorf("plots: PNG: %w", err)
	}
	if dpi <= 0 {
		return nil, fmt.Errorf("plots: PNG: dpi %d is not positive", dpi)
	}
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))
	if err := drawPlot(p, c); err != nil {
		return nil, fmt.Errorf("plots: PNG: %w", err)
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: PNG: encoding: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG renders p as an SVG document of w × h. The text names its font
// rather than embedding it, which keeps the document small (embedding
// makes it about fifty times larger). After gonum's Liberation fonts the
// document names the fonts they are metric-compatible with (Times New
// Roman, Arial, Courier New), so that a viewer without Liberation still
// lays text out at the widths the figure was drawn for; lacking those
// too, it falls back to a generic family and text may run wider.
func SVG(p *plot.Plot, w, h vg.Length) ([]byte, error) {
	if err := checkRender(p, w, h); err != nil {
		return nil, fmt.Errorf("plots: SVG: %w", err)
	}
	c := vgsvg.New(w, h)
	if err := drawPlot(p, c); err != nil {
		return nil, fmt.Errorf("plots: SVG: %w", err)
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: SVG: encoding: %w", err)
	}
	out := buf.Bytes()
	for _, f := range fontFallbacks {
		out = bytes.ReplaceAll(out, []byte("font-family:"+f.family+";"), []byte("font-family:"+f.list+";"))
	}
	return out, nil
}

// fontFallbacks follow each font gonum names in an SVG with the fonts of
// the same metrics and a generic family.
var fontFallbacks = []struct{ family, list string }{
	{"Liberation Serif", "'Liberation Serif','Times New Roman',Times,serif"},
	{"Liberation Sans", "'Liberation Sans',Arial,Helvetica,sans-serif"},
	{"Liberation Mono", "'Liberation Mono','Courier New',Courier,monospace"},
}

// PixelSize returns the size in pixels of an image of w × h rendered at
// dpi dots per inch, rounded as the PNG renderer rounds it.
func PixelSize(w, h vg.Length, dpi int) (width, height int) {
	px := func(l vg.Length) int { return int(float64(l/vg.Inch)*float64(dpi) + 0.5) }
	return px(w), px(h)
}

func checkRender(p *plot.Plot, w, h vg.Length) error {
	if p == nil {
		return errors.New("nil plot")
	}
	if w <= 0 || h <= 0 {
		return fmt.Errorf("size %v × %v is not positive", w, h)
	}
	return nil
}

// drawPlot draws p on c. gonum/plot reports some bad input (a
// non-positive value on a logarithmic axis, for one) by panicking while it
// draws; a figure that cannot be drawn is an error for the caller, not a
// reason to bring down the process that hosts a notebook.
func drawPlot(p *plot.Plot, c vg.CanvasSizer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("drawing: %v", r)
		}
	}()
	p.Draw(draw.New(c))
	return nil
}
