package native

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// GoEnv names the environment variable that, when set, is the go command
// native cells use; otherwise it is looked up on PATH, then where goconc's
// make targets install Go when the machine has none.
const GoEnv = "GOCONC_GO"

// SourceEnv names the environment variable that, when set, is goconc's
// source tree (the module github.com/goconc/goconc) that native cells are
// built against.
const SourceEnv = "GOCONC_SOURCE"

// buildSource is the source tree recorded at build time by the Makefile
// (-ldflags -X); empty when the binary was built otherwise.
var buildSource string

// ErrNoToolchain is returned, wrapped in a message that says what to do,
// when there is no Go toolchain to build native cells with.
var ErrNoToolchain = errors.New("no Go toolchain")

// ErrNoSource is returned, wrapped, when goconc's source tree cannot be
// found: native cells import goconc's packages from it.
var ErrNoSource = errors.New("goconc's source tree not found")

// FindGo returns the go command native cells are built with: $GOCONC_GO,
// else go on PATH, else the Go that .ci/deps installs under
// $XDG_DATA_HOME/goconc/go (~/.local/share/goconc/go).
func FindGo() (string, error) {
	if g := os.Getenv(GoEnv); g != "" {
		if _, err := os.Stat(g); err != nil {
			return "", fmt.Errorf("%w: %s=%s: %v", ErrNoToolchain, GoEnv, g, err)
		}
		return g, nil
	}
	if g, err := exec.LookPath("go"); err == nil {
		return g, nil
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		if home, err := os.UserHomeDir(); err == nil {
			data = filepath.Join(home, ".local", "share")
		}
	}
	fallback := filepath.Join(data, "goconc", "go", "bin", "go")
	if _, err := os.Stat(fallback); err == nil {
		return fallback, nil
	}
	return "", fmt.Errorf("%w: %%%%native, %%%%bench and %%%%time on a native cell compile the cell with the Go toolchain, "+
		"and there is no go command on PATH (%s) nor in %s. Install it: `make run` (or `make deps`) in goconc's source tree "+
		"installs the Go that go.mod names when the machine has none; with conda, `conda env create -f environment.yml` "+
		"and `conda activate goconc` provide it; or install Go from https://go.dev/dl and put its bin directory on PATH. "+
		"Then restart the kernel. Interpreted cells work without it", ErrNoToolchain, os.Getenv("PATH"), fallback)
}

// FindSource returns goconc's source tree: $GOCONC_SOURCE, else the tree
// recorded when the binary was built (by the Makefile, or the path of this
// file compiled into the binary).
func FindSource() (string, error) {
	var tried []string
	candidates := []string{os.Getenv(SourceEnv), buildSource}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		// .../kernel-ext/internal/native/toolchain.go
		candidates = append(candidates, filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(file)))))
	}
	for _, dir := range candidates {
		if dir == "" {
			continue
		}
		tried = append(tried, dir)
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.Contains(b, []byte("module github.com/goconc/goconc\n")) {
			return dir, nil
		}
	}
	return "", fmt.Errorf("%w (looked in %s): native cells import goconc's packages from the source tree the kernel was built from; "+
		"set %s to a checkout of goconc at the version of this kernel, or reinstall from one with `make install`",
		ErrNoSource, strings.Join(tried, ", "), SourceEnv)
}

// toolchain is the Go toolchain resolved for goconc's module: go.mod may
// name a newer one than the go command on PATH, which then runs it.
type toolchain struct {
	goCmd            string
	goroot           string
	version          string
	goos, goarch     string
	cgo              string
	cc               string
	compile, link    string
	buildEnv         []string // what else in go env changes a build
	id               string   // hash of all of the above and the tools' identity
	moduleGoVersion  string
	moduleToolchains string
}

// resolveToolchain asks goCmd, run in modDir (whose go.mod is goconc's
// requirements), for the toolchain that builds there.
func resolveToolchain(ctx context.Context, goCmd, modDir string, env []string) (*toolchain, error) {
	cmd := exec.CommandContext(ctx, goCmd, "env", "-json", "GOROOT", "GOVERSION", "GOOS", "GOARCH", "CGO_ENABLED", "CC",
		"GOAMD64", "GOARM64", "GOEXPERIMENT", "GOTOOLDIR")
	cmd.Dir = modDir
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("native: %s env: %v: %s", goCmd, err, strings.TrimSpace(stderr.String()))
	}
	var e map[string]string
	if err := json.Unmarshal(out, &e); err != nil {
		return nil, fmt.Errorf("native: go env: %w", err)
	}
	tc := &toolchain{goCmd: filepath.Join(e["GOROOT"], "bin", "go"), goroot: e["GOROOT"], version: e["GOVERSION"], goos: e["GOOS"], goarch: e["GOARCH"],
		cgo: e["CGO_ENABLED"], cc: e["CC"]}
	if _, err := os.Stat(tc.goCmd); err != nil {
		tc.goCmd = goCmd
	}
	tc.compile = filepath.Join(e["GOTOOLDIR"], "compile")
	tc.link = filepath.Join(e["GOTOOLDIR"], "link")
	for _, k := range []string{"GOAMD64", "GOARM64", "GOEXPERIMENT"} {
		tc.buildEnv = append(tc.buildEnv, k+"="+e[k])
	}
	h := newHash()
	h.str(string(out))
	for _, tool := range []string{tc.compile, tc.link} {
		st, err := os.Stat(tool)
		if err != nil {
			return nil, fmt.Errorf("native: the Go toolchain at %s lacks %s: %w", tc.goroot, filepath.Base(tool), err)
		}
		h.str(fmt.Sprintf("%s %d %d", tool, st.Size(), st.ModTime().UnixNano()))
	}
	tc.id = h.sum()
	return tc, nil
}
