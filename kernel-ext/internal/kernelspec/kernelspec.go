// Package kernelspec writes the Jupyter kernelspec that tells front ends how
// to start goconc: kernel.json and the logos, in the directory Jupyter
// searches for the chosen scope (user, Python environment, prefix, system).
package kernelspec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"runtime"
)

// Spec is the content of kernel.json.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// Names of goconc's binaries, installed side by side: the kernel that
// kernel.json runs, and the worker the kernel starts beside itself.
const (
	KernelBinary = "goconc-kernel"
	WorkerBinary = "goconc-worker"
)

// ForKernel returns the spec that runs the goconc-kernel binary in dir (made
// absolute: Jupyter starts kernels from arbitrary working directories). It
// fails when dir lacks the kernel or the worker it starts.
func ForKernel(dir string) (Spec, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Spec{}, fmt.Errorf("kernelspec: resolving %s: %w", dir, err)
	}
	for _, name := range []string{KernelBinary, WorkerBinary} {
		if _, err := os.Stat(filepath.Join(abs, name)); err != nil {
			return Spec{}, fmt.Errorf("kernelspec: %s is not in %s (build all three binaries: make build, or go install ./kernel-ext/cmd/...): %w", name, abs, err)
		}
	}
	return Spec{
		Argv:        []string{filepath.Join(abs, KernelBinary), "{connection_file}"},
		DisplayName: "Go (goconc)",
		Language:    "go",
		// Messages reach the kernel wherever it runs (also remotely) and
		// cannot hit the worker by accident, as a signal to the process
		// group can; the kernel still honours SIGINT.
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}, nil
}

// Scope says where a kernelspec is installed.
type Scope struct {
	// User installs for the current user (Jupyter's data directory).
	User bool
	// SysPrefix installs into the active Python environment (conda or venv).
	SysPrefix bool
	// Prefix installs under PREFIX/share/jupyter, as jupyter kernelspec
	// install --prefix does.
	Prefix string
}

// Dir returns the directory the kernelspec called name goes to for scope.
// With no scope set it is the system-wide directory.
func Dir(scope Scope, name string) (string, error) {
	var base string
	switch {
	case scope.Prefix != "":
		base = filepath.Join(scope.Prefix, "share", "jupyter")
	case scope.SysPrefix:
		prefix := os.Getenv("CONDA_PREFIX")
		if prefix == "" {
			prefix = os.Getenv("VIRTUAL_ENV")
		}
		if prefix == "" {
			return "", errors.New("kernelspec: --sys-prefix needs an active conda or virtual environment (CONDA_PREFIX or VIRTUAL_ENV)")
		}
		base = filepath.Join(prefix, "share", "jupyter")
	case scope.User:
		base = userDataDir()
	default:
		base = "/usr/local/share/jupyter"
		if runtime.GOOS == "windows" {
			base = filepath.Join(os.Getenv("PROGRAMDATA"), "jupyter")
		}
	}
	return filepath.Join(base, "kernels", name), nil
}

// userDataDir follows jupyter_core's rules for the user data directory.
func userDataDir() string {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d
	}
	home, _ := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter")
	case "windows":
		return filepath.Join(os.Getenv("APPDATA"), "jupyter")
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "jupyter")
	}
	return filepath.Join(home, ".local", "share", "jupyter")
}

// Install writes spec and the logos into dir, replacing what was there.
func Install(dir string, spec Spec) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	js, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return fmt.Errorf("kernelspec: encoding kernel.json: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("kernelspec: %w", err)
	}
	for _, size := range []int{32, 64} {
		b, err := Logo(size)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("logo-%dx%d.png", size, size)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("kernelspec: %w", err)
		}
	}
	return nil
}

// Logo draws goconc's logo, size pixels square, as PNG: a Go-blue disc
// crossed by three lanes of dots, goroutines on their threads.
func Logo(size int) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{0x00, 0xad, 0xd8, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	c := float64(size) / 2
	r := c - 0.5
	dot := float64(size) / 14
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			if math.Hypot(px-c, py-c) > r {
				continue
			}
			img.Set(x, y, blue)
			for lane := -1; lane <= 1; lane++ {
				ly := c + float64(lane)*float64(size)/4.5
				for k := -1; k <= 1; k++ {
					lx := c + float64(k)*float64(size)/4.5 + float64(lane)*dot
					if math.Hypot(px-lx, py-ly) <= dot {
						img.Set(x, y, white)
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("kernelspec: encoding logo: %w", err)
	}
	return buf.Bytes(), nil
}
