package kernelspec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestInstall(t *testing.T) {
	prefix := t.TempDir()
	dir, err := Dir(Scope{Prefix: prefix}, "goconc")
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(prefix, "share", "jupyter", "kernels", "goconc"); dir != want {
		t.Fatalf("Dir = %s, want %s", dir, want)
	}
	bin := t.TempDir()
	if _, err := ForKernel(bin); err == nil {
		t.Fatal("ForKernel of a directory without the binaries: no error")
	}
	for _, name := range []string{KernelBinary, WorkerBinary} {
		if err := os.WriteFile(filepath.Join(bin, name), nil, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	spec, err := ForKernel(bin)
	if err != nil {
		t.Fatal(err)
	}
	if err := Install(dir, spec); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got Spec
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Argv) != 2 || got.Argv[0] != filepath.Join(bin, KernelBinary) || got.Argv[1] != "{connection_file}" {
		t.Errorf("argv = %q, want %s, {connection_file}", got.Argv, filepath.Join(bin, KernelBinary))
	}
	if got.Language != "go" || got.InterruptMode != "message" {
		t.Errorf("language %q, interrupt mode %q", got.Language, got.InterruptMode)
	}
	for _, size := range []int{32, 64} {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("logo-%dx%d.png", size, size)))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if r := img.Bounds(); r.Dx() != size || r.Dy() != size {
			t.Errorf("logo %d is %v", size, r)
		}
	}
}

func TestDirScopes(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/data/jupyter")
	t.Setenv("CONDA_PREFIX", "")
	t.Setenv("VIRTUAL_ENV", "")
	tests := []struct {
		scope   Scope
		want    string
		wantErr bool
	}{
		{Scope{User: true}, "/data/jupyter/kernels/go", false},
		{Scope{Prefix: "/p"}, "/p/share/jupyter/kernels/go", false},
		{Scope{}, "/usr/local/share/jupyter/kernels/go", false},
		{Scope{SysPrefix: true}, "", true},
	}
	for _, tt := range tests {
		got, err := Dir(tt.scope, "go")
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Dir(%+v) = %q, %v; want %q (error %v)", tt.scope, got, err, tt.want, tt.wantErr)
		}
	}
	t.Setenv("CONDA_PREFIX", "/opt/conda/envs/goconc")
	if got, err := Dir(Scope{SysPrefix: true}, "go"); err != nil || got != "/opt/conda/envs/goconc/share/jupyter/kernels/go" {
		t.Errorf("sys-prefix with conda: %q, %v", got, err)
	}
}
