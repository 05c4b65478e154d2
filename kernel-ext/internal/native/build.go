package native

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Builder compiles generated programs with the Go toolchain, against
// goconc's source tree, and caches the binaries by content.
//
// The go command takes about half a second to build even a trivial
// program, most of it loading the module graph and checking that every
// dependency is up to date. A Builder asks it once (go list -export -deps)
// for the compiled export data of the packages a cell imports, keeps the
// answer (an importcfg) for the session and on disk, and then drives the
// compiler and linker itself (go tool compile, go tool link), as go build
// does. The answer is keyed by the toolchain and the state of goconc's
// source tree, so an edit there is noticed at the next cell.
//
// A Builder is safe for use by several goroutines.
type Builder struct {
	// Source is goconc's source tree; Cache the directory binaries and
	// the module used for go list are kept in.
	Source, Cache string
	// Go is the go command.
	Go string
	// Env is the environment of the go command and the tools; nil means
	// the process's.
	Env []string
	// Progress, when not nil, receives lines saying what a slow step is
	// doing (compiling packages into the build cache the first time).
	Progress io.Writer

	mu       sync.Mutex
	tc       *toolchain
	tcFor    string // tree state tc was resolved for
	modDir   string
	cfg      map[string]string // import path → export data file
	cfgKey   string            // toolchain and tree state cfg is valid for
	cfgFile  string            // importcfg written for cfg
	cfgDirty bool
}

// BuildInfo says what a build did.
type BuildInfo struct {
	// Cached is set when the binary came from the cache.
	Cached bool
	// Key is the content hash the binary is cached under.
	Key string
	// List, Compile and Link are the times spent in go list (resolving
	// imports, 0 when none were new), the compiler and the linker.
	List, Compile, Link time.Duration
	// Total is the time Build took.
	Total time.Duration
}

// CompileError is a program the compiler rejected.
type CompileError struct {
	// Diags are the compiler's messages, in its order.
	Diags []Diag
	// Output is the compiler's output as printed.
	Output string
}

// Diag is one compiler message.
type Diag struct {
	// File is CellFile, an earlier declaration's file or generated.go.
	File      string
	Line, Col int
	Msg       string
}

func (e *CompileError) Error() string {
	if len(e.Diags) == 0 {
		return strings.TrimSpace(e.Output)
	}
	var parts []string
	for _, d := range e.Diags {
		parts = append(parts, fmt.Sprintf("%s:%d:%d: %s", d.File, d.Line, d.Col, d.Msg))
	}
	return strings.Join(parts, "\n")
}

// NewBuilder returns a Builder for goconc's source tree, with the go
// command it finds (FindGo) and a cache under the user's cache directory.
func NewBuilder() (*Builder, error) {
	goCmd, err := FindGo()
	if err != nil {
		return nil, err
	}
	src, err := FindSource()
	if err != nil {
		return nil, err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return nil, fmt.Errorf("native: no cache directory: %w", err)
	}
	return &Builder{Source: src, Cache: filepath.Join(cache, "goconc", "native"), Go: goCmd}, nil
}

func (b *Builder) env() []string {
	env := b.Env
	if env == nil {
		env = os.Environ()
	}
	out := make([]string, 0, len(env)+4)
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "GOFLAGS", "GOPROXY", "GOWORK", "GO111MODULE":
			continue
		}
		out = append(out, kv)
	}
	// Offline, on goconc's own go.sum: the module graph is goconc's, and
	// every module of it is in the module cache since goconc was built.
	return append(out, "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GO111MODULE=on")
}

// Build compiles p, or finds it in the cache.
func (b *Builder) Build(ctx context.Context, p *Program) (string, BuildInfo, error) {
	start := time.Now()
	var info BuildInfo
	tree, err := treeState(b.Source)
	if err != nil {
		return "", info, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.prepare(ctx, tree); err != nil {
		return "", info, err
	}
	h := newHash()
	h.str(b.tc.id)
	h.str(tree)
	h.str(linkFlags)
	h.str(p.Src)
	info.Key = h.sum()
	exe := filepath.Join(b.Cache, "bin", info.Key)
	if _, err := os.Stat(exe); err == nil {
		now := time.Now()
		_ = os.Chtimes(exe, now, now) // the cache trims by last use
		info.Cached = true
		info.Total = time.Since(start)
		return exe, info, nil
	}
	t := time.Now()
	if err := b.resolve(ctx, p.Imports); err != nil {
		return "", info, err
	}
	if len(p.Imports) > 0 && time.Since(t) > time.Millisecond {
		info.List = time.Since(t)
	}
	work, err := os.MkdirTemp(filepath.Join(b.Cache, "tmp"), "build-")
	if err != nil {
		return "", info, fmt.Errorf("native: %w", err)
	}
	defer os.RemoveAll(work)
	mainGo := filepath.Join(work, "main.go")
	if err := os.WriteFile(mainGo, []byte(p.Src), 0o644); err != nil {
		return "", info, fmt.Errorf("native: %w", err)
	}
	archive := filepath.Join(work, "main.a")
	t = time.Now()
	lang := "go" + strings.Join(strings.SplitN(strings.TrimPrefix(b.tc.version, "go"), ".", 3)[:2], ".")
	out, err := b.tool(ctx, work, b.tc.compile, "-o", archive, "-p", "main", "-lang="+lang, "-complete",
		"-goversion", b.tc.version, "-nolocalimports", "-importcfg", b.cfgFile, "-pack", "-trimpath", work+"=>", mainGo)
	info.Compile = time.Since(t)
	if err != nil {
		if ctx.Err() != nil {
			return "", info, ctx.Err()
		}
		if len(out) == 0 {
			return "", info, fmt.Errorf("native: compile: %w", err)
		}
		return "", info, parseCompileErrors(out)
	}
	t = time.Now()
	tmpExe := filepath.Join(work, "a.out")
	args := []string{"-o", tmpExe, "-importcfg", b.cfgFile, "-buildmode=exe"}
	args = append(args, strings.Fields(linkFlags)...)
	if b.tc.cc != "" {
		args = append(args, "-extld="+b.tc.cc)
	}
	out, err = b.tool(ctx, work, b.tc.link, append(args, archive)...)
	info.Link = time.Since(t)
	if err != nil {
		if ctx.Err() != nil {
			return "", info, ctx.Err()
		}
		return "", info, fmt.Errorf("native: link: %v: %s", err, strings.TrimSpace(string(out)))
	}
	if err := os.Rename(tmpExe, exe); err != nil {
		return "", info, fmt.Errorf("native: %w", err)
	}
	trimCache(filepath.Join(b.Cache, "bin"), maxCached)
	info.Total = time.Since(start)
	return exe, info, nil
}

// BuildCell generates the program of req and builds it. A final
// expression that turns out to be a call with no value (which only the
// compiler can tell) is run as a statement instead.
func (b *Builder) BuildCell(ctx context.Context, req Request) (*Program, string, BuildInfo, error) {
	p, err := Generate(req)
	if err != nil {
		return nil, "", BuildInfo{}, err
	}
	exe, info, err := b.Build(ctx, p)
	var ce *CompileError
	if errors.As(err, &ce) && p.Result && noValue(ce, p) {
		req.NoResult = true
		if p2, err2 := Generate(req); err2 == nil {
			p = p2
			exe, info, err = b.Build(ctx, p)
		}
	}
	return p, exe, info, err
}

// noValue tells whether the compiler refused the final expression for
// having no value.
func noValue(ce *CompileError, p *Program) bool {
	for _, d := range ce.Diags {
		if d.File == CellFile && d.Line == p.ResultLine && strings.Contains(d.Msg, "(no value) used as value") {
			return true
		}
	}
	return false
}

// linkFlags are the linker flags besides the files: -w leaves out DWARF
// (debuggers' information, not needed for stack traces), a quarter of the
// link time.
const linkFlags = "-w"

// maxCached bounds the binaries kept; the least recently used go first.
const maxCached = 200

func (b *Builder) tool(ctx context.Context, dir, tool string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Dir = dir
	cmd.Env = append(b.env(), "GOROOT="+b.tc.goroot)
	return cmd.CombinedOutput()
}

// prepare makes the module used for go list, resolves the toolchain and
// loads the importcfg for tree, the state of the source tree.
func (b *Builder) prepare(ctx context.Context, tree string) error {
	if b.tc != nil && b.tcFor == tree {
		return nil
	}
	for _, d := range []string{"bin", "tmp", "mod", "importcfg"} {
		if err := os.MkdirAll(filepath.Join(b.Cache, d), 0o755); err != nil {
			return fmt.Errorf("native: cache: %w", err)
		}
	}
	modDir := filepath.Join(b.Cache, "mod", tree[:16])
	if err := writeModule(modDir, b.Source); err != nil {
		return err
	}
	tc, err := resolveToolchain(ctx, b.Go, modDir, b.env())
	if err != nil {
		return err
	}
	b.tc, b.tcFor, b.modDir = tc, tree, modDir
	key := newHash()
	key.str(tc.id)
	key.str(tree)
	key.str(strings.Join(tc.buildEnv, " "))
	key.str(tc.cgo)
	b.cfgKey = key.sum()
	b.cfg = map[string]string{}
	b.cfgFile = filepath.Join(b.Cache, "importcfg", b.cfgKey)
	if data, err := os.ReadFile(b.cfgFile); err == nil {
		cfg := parseImportcfg(data)
		if allExist(cfg) {
			b.cfg = cfg
		}
	}
	return nil
}

// writeModule writes the module go list runs in: goconc's requirements and
// go.sum, with goconc itself replaced by its source tree.
func writeModule(dir, source string) error {
	goMod, err := os.ReadFile(filepath.Join(source, "go.mod"))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoSource, err)
	}
	goSum, err := os.ReadFile(filepath.Join(source, "go.sum"))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNoSource, err)
	}
	var b strings.Builder
	b.WriteString("module goconc.cell\n\n")
	sc := bufio.NewScanner(bytes.NewReader(goMod))
	inTool := false
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "module "):
			continue
		case strings.HasPrefix(trimmed, "tool (") || trimmed == "tool (":
			inTool = true
			continue
		case inTool:
			if trimmed == ")" {
				inTool = false
			}
			continue
		case strings.HasPrefix(trimmed, "tool "):
			continue
		}
		b.WriteString(line + "\n")
	}
	fmt.Fprintf(&b, "\nrequire github.com/goconc/goconc v0.0.0\n\nreplace github.com/goconc/goconc => %s\n", source)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("native: %w", err)
	}
	if old, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && string(old) == b.String() {
		return nil
	}
	if err := writeAtomic(filepath.Join(dir, "go.sum"), goSum); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, "go.mod"), []byte(b.String()))
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-")
	if err != nil {
		return fmt.Errorf("native: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("native: %w", err)
	}
	tmp.Close()
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("native: %w", err)
	}
	return nil
}

// resolve makes sure the importcfg has the export data of every package in
// imports and all they import, asking go list for the missing ones.
func (b *Builder) resolve(ctx context.Context, imports []string) error {
	roots := []string{"runtime"} // every program links it
	for _, p := range imports {
		if _, ok := b.cfg[p]; !ok && p != "unsafe" && p != "C" {
			roots = append(roots, p)
		}
	}
	if len(roots) == 1 {
		if _, ok := b.cfg["runtime"]; ok {
			return b.writeImportcfg()
		}
	}
	stop := b.progress(roots[1:])
	defer stop()
	args := []string{"list", "-e", "-export", "-deps", "-f",
		"{{if .Export}}packagefile {{.ImportPath}}={{.Export}}{{end}}{{if .Error}}error {{.ImportPath}}: {{.Error}}{{end}}"}
	cmd := exec.CommandContext(ctx, b.tc.goCmd, append(args, roots...)...)
	cmd.Dir = b.modDir
	cmd.Env = b.env()
	var stderr bytes.Buffer
	cmd.Stderr = &progressWriter{w: b.Progress, buf: &stderr}
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var problems []string
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "packagefile "); ok {
			if path, file, ok := strings.Cut(rest, "="); ok {
				b.cfg[path] = file
				b.cfgDirty = true
			}
		} else if rest, ok := strings.CutPrefix(line, "error "); ok {
			problems = append(problems, rest)
		}
	}
	if len(problems) > 0 {
		return &ImportError{Problems: problems}
	}
	if err != nil {
		return fmt.Errorf("native: go list: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	for _, p := range roots {
		if _, ok := b.cfg[p]; !ok {
			return &ImportError{Problems: []string{p + ": no export data (" + strings.TrimSpace(stderr.String()) + ")"}}
		}
	}
	return b.writeImportcfg()
}

// progress says, on Progress, what a slow go list is doing: after two
// seconds, then every fifteen, so that a first native cell that compiles
// goconc's packages into Go's build cache does not look stuck.
func (b *Builder) progress(roots []string) (stop func()) {
	if b.Progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	start := time.Now()
	go func() {
		t := time.NewTimer(2 * time.Second)
		defer t.Stop()
		for first := true; ; first = false {
			select {
			case <-done:
				return
			case <-t.C:
			}
			if first {
				fmt.Fprintf(b.Progress, "goconc: preparing the native build of %s: compiling the packages it imports into Go's build cache "+
					"(the first native cell after install does this once, for goconc's packages too; it can take a minute or two)\n",
					strings.Join(roots, ", "))
			} else {
				fmt.Fprintf(b.Progress, "goconc: still compiling the imported packages (%s so far)\n", time.Since(start).Round(time.Second))
			}
			t.Reset(15 * time.Second)
		}
	}()
	return func() { close(done) }
}

// ImportError is an import that goconc's module graph cannot satisfy.
type ImportError struct{ Problems []string }

func (e *ImportError) Error() string {
	return "cannot import " + strings.Join(e.Problems, "; ") +
		" (native cells can import the standard library, goconc's packages and the modules goconc's go.mod requires; nothing is downloaded)"
}

// progressWriter passes go's stderr lines on to w, when set, and keeps
// them in buf.
type progressWriter struct {
	w   io.Writer
	buf *bytes.Buffer
}

func (p *progressWriter) Write(b []byte) (int, error) {
	if p.w != nil {
		p.w.Write(b)
	}
	return p.buf.Write(b)
}

func (b *Builder) writeImportcfg() error {
	if !b.cfgDirty {
		if _, err := os.Stat(b.cfgFile); err == nil {
			return nil
		}
	}
	var lines []string
	for p, f := range b.cfg {
		lines = append(lines, "packagefile "+p+"="+f)
	}
	sort.Strings(lines)
	if err := writeAtomic(b.cfgFile, []byte(strings.Join(lines, "\n")+"\n")); err != nil {
		return err
	}
	b.cfgDirty = false
	return nil
}

func parseImportcfg(data []byte) map[string]string {
	cfg := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "packagefile "); ok {
			if p, f, ok := strings.Cut(rest, "="); ok {
				cfg[p] = f
			}
		}
	}
	return cfg
}

// allExist tells whether every export file is still there: Go trims its
// build cache of files unused for days.
func allExist(cfg map[string]string) bool {
	for _, f := range cfg {
		if _, err := os.Stat(f); err != nil {
			return false
		}
	}
	return len(cfg) > 0
}

// diagRE matches a compiler message: "file:line:col: message".
var diagRE = regexp.MustCompile(`^([^\s:]+\.go):(\d+):(\d+): (.*)$`)

func parseCompileErrors(out []byte) error {
	e := &CompileError{Output: string(out)}
	for _, line := range strings.Split(string(out), "\n") {
		m := diagRE.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		l, _ := strconv.Atoi(m[2])
		c, _ := strconv.Atoi(m[3])
		e.Diags = append(e.Diags, Diag{File: m[1], Line: l, Col: c, Msg: m[4]})
	}
	return e
}

// treeState hashes what of goconc's source tree a build depends on: the
// names, sizes and modification times of its Go files and go.mod/go.sum
// (a few milliseconds; reading every file would take longer).
func treeState(root string) (string, error) {
	h := newHash()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" ||
				name == "build" || name == "out" || name == "bin" || name == "notebooks") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, ".s") && name != "go.mod" && name != "go.sum" {
			return nil
		}
		if strings.HasSuffix(name, "_test.go") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		h.str(fmt.Sprintf("%s %d %d", path, info.Size(), info.ModTime().UnixNano()))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrNoSource, err)
	}
	return h.sum(), nil
}

// trimCache removes the least recently used files of dir beyond keep of
// them or maxCacheBytes in all.
func trimCache(dir string, keep int) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type file struct {
		path string
		t    time.Time
		size int64
	}
	var files []file
	var total int64
	for _, e := range entries {
		if info, err := e.Info(); err == nil {
			files = append(files, file{filepath.Join(dir, e.Name()), info.ModTime(), info.Size()})
			total += info.Size()
		}
	}
	if len(files) <= keep && total <= maxCacheBytes {
		return
	}
	sort.Slice(files, func(i, j int) bool { return files[i].t.After(files[j].t) })
	var kept int64
	for i, f := range files {
		kept += f.size
		if i >= keep || kept > maxCacheBytes && i > 0 {
			os.Remove(f.path)
		}
	}
}

// maxCacheBytes bounds the size of the binaries kept: a program importing
// gonum/plot is about 10 MB.
const maxCacheBytes = 1 << 30

type hasher struct{ b bytes.Buffer }

func newHash() *hasher { return &hasher{} }

func (h *hasher) str(s string) {
	fmt.Fprintf(&h.b, "%d:%s\n", len(s), s)
}

func (h *hasher) sum() string {
	s := sha256.Sum256(h.b.Bytes())
	return hex.EncodeToString(s[:])
}
