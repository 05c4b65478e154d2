package display

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// ImageFile shows the image in the named file: PNG, JPEG or GIF, told by
// its content, or SVG, told by its .svg extension.
func ImageFile(name string) error {
	d, err := imageFileData(name)
	if err != nil {
		return err
	}
	Bundle(d, nil)
	return nil
}

func imageFileData(name string) (map[string]any, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("display: ImageFile: %w", err)
	}
	if strings.EqualFold(filepath.Ext(name), ".svg") {
		return svgBundle(b), nil
	}
	switch mime := http.DetectContentType(b); mime {
	case MIMEPNG, MIMEJPEG, MIMEGIF:
		return imageBundle(mime, b), nil
	default:
		return nil, fmt.Errorf("display: ImageFile: %s: unsupported content type %s", name, mime)
	}
}
