package display

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/goconc/goconc/plots"
)

// plotDPI renders figures at twice the screen's nominal resolution: the
// bundle's metadata asks front ends to show the PNG at its size in CSS
// pixels, so it stays sharp on high-density screens.
const plotDPI = 2 * plots.DefaultDPI

// Plot shows p at the default size (plots.DefaultWidth × DefaultHeight)
// as one bundle holding a PNG and a text/plain description.
//
// The bundle holds no SVG, which front ends would prefer to the PNG: an
// SVG names its fonts, and a browser that lacks them substitutes wider
// ones whose text runs off the figure (the classic Notebook in Debian's
// Chromium cut axis labels short). The PNG, drawn at twice the screen's
// resolution, looks the same everywhere. plots.SVG and results.Store still
// write SVG files, and SVG shows one.
func Plot(p *plot.Plot) error {
	return PlotSize(p, plots.DefaultWidth, plots.DefaultHeight)
}

// PlotSize shows p at w × h, as Plot does.
func PlotSize(p *plot.Plot, w, h vg.Length) error {
	data, meta, err := plotBundle(p, w, h)
	if err != nil {
		return err
	}
	Bundle(data, meta)
	return nil
}

func plotBundle(p *plot.Plot, w, h vg.Length) (data, metadata map[string]any, err error) {
	pngBytes, err := plots.PNGWithDPI(p, w, h, plotDPI)
	if err != nil {
		return nil, nil, fmt.Errorf("display: Plot: %w", err)
	}
	data = imageBundle(MIMEPNG, pngBytes)
	title := p.Title.Text
	if title == "" {
		title = "untitled"
	}
	data[MIMEText] = fmt.Sprintf("<figure %q>", title)
	width, height := plots.PixelSize(w, h, plots.DefaultDPI)
	metadata = map[string]any{
		MIMEPNG: map[string]any{"width": width, "height": height},
	}
	return data, metadata, nil
}
