package display

import (
	"crypto/rand"
	"encoding/hex"
	"image"
	"sync"

	"gonum.org/v1/plot"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/plots"
)

// Handle is a display that can be replaced in place: the first output
// through a Handle creates it, later ones update it wherever it is shown,
// even from a later cell. A Handle is safe for use by several goroutines.
type Handle struct {
	id    string
	mu    sync.Mutex // serialises publishing so that the display precedes its updates
	shown bool
}

// New returns a Handle on a display not shown yet, with a fresh display id.
func New() *Handle {
	return &Handle{id: newID()}
}

// newID returns a random display id: random rather than counted so that
// ids stay unique across worker restarts, when the front end still holds
// displays of the previous worker.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail on supported systems
	return "goconc-" + hex.EncodeToString(b[:])
}

// ID returns the display id.
func (h *Handle) ID() string { return h.id }

// Display shows data and metadata (see Bundle) as a new output carrying
// the handle's id, even when the handle was shown before: every output
// with the id is replaced by later updates.
func (h *Handle) Display(data, metadata map[string]any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.shown = true
	Publish(repl.Display{Data: data, Metadata: metadata, ID: h.id})
}

// Update replaces the content of the handle's outputs with data and
// metadata, or shows them as the first output when the handle has none.
func (h *Handle) Update(data, metadata map[string]any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	update := h.shown
	h.shown = true
	Publish(repl.Display{Data: data, Metadata: metadata, ID: h.id, Update: update})
}

// Text shows or updates the handle with plain text.
func (h *Handle) Text(s string) { h.Update(textBundle(s), nil) }

// HTML shows or updates the handle with HTML.
func (h *Handle) HTML(s string) { h.Update(htmlBundle(s), nil) }

// Markdown shows or updates the handle with Markdown.
func (h *Handle) Markdown(s string) { h.Update(markdownBundle(s), nil) }

// PNG shows or updates the handle with a PNG image.
func (h *Handle) PNG(b []byte) { h.Update(imageBundle(MIMEPNG, b), nil) }

// SVG shows or updates the handle with an SVG document.
func (h *Handle) SVG(svg []byte) { h.Update(svgBundle(svg), nil) }

// Image shows or updates the handle with img, encoded as PNG.
func (h *Handle) Image(img image.Image) error {
	d, err := imageData(img)
	if err != nil {
		return err
	}
	h.Update(d, nil)
	return nil
}

// JSON shows or updates the handle with v as application/json.
func (h *Handle) JSON(v any) error {
	d, err := jsonBundle(v)
	if err != nil {
		return err
	}
	h.Update(d, nil)
	return nil
}

// Plot shows or updates the handle with the figure p, as Plot does: a
// figure redrawn as results arrive.
func (h *Handle) Plot(p *plot.Plot) error {
	d, meta, err := plotBundle(p, plots.DefaultWidth, plots.DefaultHeight)
	if err != nil {
		return err
	}
	h.Update(d, meta)
	return nil
}
