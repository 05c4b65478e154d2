package worker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
	"github.com/goconc/goconc/kernel-ext/internal/native"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/session"
)

// Cell magics: a line %%NAME among the magic lines at the top of a cell
// changes how the whole cell runs. %%native compiles it with the Go
// toolchain and runs it as a child process (package native); %%bench runs
// it as benchmarks; %%time measures it, interpreted or native.
type cellMagics struct {
	native, bench, time bool
	output              string // -o NAME of %%native
	count               int    // -count of %%bench
	benchtime           string // -benchtime of %%bench
}

// nativeGrace is how long an interrupted native program has to exit after
// SIGTERM before SIGKILL: well inside the supervisor's grace period
// (supervisor.Options.InterruptGrace, 2 s), after which it would replace the
// whole worker.
const nativeGrace = time.Second

// NativeLogEnv names a file to which the worker appends one line per
// native build (its cache key, whether it came from the cache, and where
// the time went): for tests and benchmarks, as a cell's output must stay
// what go run prints.
const NativeLogEnv = "GOCONC_NATIVE_LOG"

// builder is the worker's native builder, made at the first native cell:
// it keeps the importcfg for the life of the process.
var (
	builderMu sync.Mutex
	builder   *native.Builder
)

// startGOMAXPROCS is the worker's GOMAXPROCS before any cell ran: a native
// cell gets the worker's current value only when %gomaxprocs changed it.
var startGOMAXPROCS = runtime.GOMAXPROCS(0)

func nativeBuilder() (*native.Builder, error) {
	builderMu.Lock()
	defer builderMu.Unlock()
	if builder != nil {
		return builder, nil
	}
	b, err := native.NewBuilder()
	if err != nil {
		return nil, err
	}
	builder = b
	return b, nil
}

var optionRE = regexp.MustCompile(`^-(\w+)(?:[= ]\s*(\S+))?`)

// parseCellMagics reads the %% lines among magics; ok is false when there
// are none.
func parseCellMagics(magics []string) (cellMagics, bool, error) {
	var cm cellMagics
	found := false
	for _, m := range magics {
		if !strings.HasPrefix(m, "%%") {
			continue
		}
		found = true
		name, args, _ := strings.Cut(m, " ")
		args = strings.TrimSpace(args)
		opts := map[string]string{}
		for args != "" {
			sub := optionRE.FindStringSubmatch(args)
			if sub == nil {
				return cm, true, fmt.Errorf("%s: cannot read %q: options are -name value", name, args)
			}
			opts[sub[1]] = sub[2]
			args = strings.TrimSpace(args[len(sub[0]):])
		}
		switch name {
		case "%%native":
			cm.native = true
			for k, v := range opts {
				if k != "o" {
					return cm, true, fmt.Errorf("%%%%native: unknown option -%s (%%%%native -o NAME binds the final expression to NAME)", k)
				}
				if !isIdent(v) {
					return cm, true, fmt.Errorf("%%%%native -o: want a Go name to bind the value to, got %q", v)
				}
				cm.output = v
			}
		case "%%bench":
			cm.bench, cm.count, cm.benchtime = true, 6, "100ms"
			for k, v := range opts {
				switch k {
				case "count":
					n, err := strconv.Atoi(v)
					if err != nil || n < 1 || n > 100 {
						return cm, true, fmt.Errorf("%%%%bench -count: want 1 to 100 rounds, got %q", v)
					}
					cm.count = n
				case "benchtime":
					if _, err := time.ParseDuration(v); err != nil && !strings.HasSuffix(v, "x") {
						return cm, true, fmt.Errorf("%%%%bench -benchtime: want a duration (1s) or a count (100x), got %q", v)
					}
					cm.benchtime = v
				default:
					return cm, true, fmt.Errorf("%%%%bench: unknown option -%s (options: -count N, -benchtime D)", k)
				}
			}
		case "%%time":
			if len(opts) > 0 {
				return cm, true, fmt.Errorf("%%%%time takes no options")
			}
			cm.time = true
		default:
			return cm, true, fmt.Errorf("unknown cell magic %s; %%help lists the magics", name)
		}
	}
	if cm.bench && cm.native {
		cm.native = false // %%bench is native already
	}
	if cm.bench && cm.output != "" {
		return cm, true, errors.New("%%bench takes no -o")
	}
	return cm, found, nil
}

func isIdent(s string) bool {
	if s == "" || s == "_" {
		return false
	}
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r > 127 || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// executeCell runs the Go part of a cell: interpreted, or as the cell
// magics among magics say.
func (s *server) executeCell(run *running, magics []string, goCode string) repl.Result {
	cm, ok, err := parseCellMagics(magics)
	if err != nil {
		return errorResult("MagicError", err.Error())
	}
	if !ok {
		return s.eval.Execute(run.ctx, goCode)
	}
	switch {
	case cm.bench:
		return s.runBench(run, cm, goCode)
	case cm.native:
		return s.runNative(run, cm, goCode)
	default: // %%time alone
		return s.timeInterpreted(run, goCode)
	}
}

func errorResult(name, value string, trace ...string) repl.Result {
	return repl.Result{Err: &repl.Error{Name: name, Value: value, Traceback: append([]string{name + ": " + value}, trace...)}}
}

// earlier returns the declarations of the session's interpreted cells.
func (s *server) earlier() native.Earlier {
	d, ok := s.eval.(interface{ Declarations() session.Declarations })
	if !ok {
		return native.Earlier{}
	}
	decls := d.Declarations()
	e := native.Earlier{Imports: decls.Imports, Values: decls.Values}
	for _, src := range decls.Sources {
		e.Sources = append(e.Sources, native.Source{Text: src.Text, Cell: src.Cell, Line: src.Line, Col: src.Col})
	}
	return e
}

// buildNative generates and builds the program of a native cell; a failed
// build is returned as the cell's result.
func (s *server) buildNative(run *running, req native.Request) (*native.Program, string, native.BuildInfo, *repl.Result) {
	b, err := nativeBuilder()
	if err != nil {
		name := "NativeUnavailable"
		if errors.Is(err, native.ErrNoToolchain) {
			name = "NoGoToolchain"
		}
		r := errorResult(name, err.Error())
		return nil, "", native.BuildInfo{}, &r
	}
	b.Progress = s.stderr
	p, exe, info, err := b.BuildCell(run.ctx, req)
	var ce *native.CompileError
	var syn *cell.Error
	if errors.As(err, &syn) {
		r := s.syntaxResult(err, req.Code)
		return nil, "", info, &r
	}
	logBuild(info, err)
	if err != nil {
		var r repl.Result
		switch {
		case run.ctx.Err() != nil:
			r = errorResult("Interrupted", "the native cell was interrupted while it was being built; definitions made before stay defined")
		case errors.As(err, &ce):
			r = s.compileResult(ce, p, req.Code)
		default:
			var ie *native.ImportError
			name := "NativeBuildError"
			if errors.As(err, &ie) {
				name = "ImportError"
			}
			r = errorResult(name, err.Error())
		}
		return nil, "", info, &r
	}
	return p, exe, info, nil
}

func logBuild(info native.BuildInfo, err error) {
	path := os.Getenv(NativeLogEnv)
	if path == "" {
		return
	}
	f, ferr := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if ferr != nil {
		return
	}
	defer f.Close()
	status := "ok"
	if err != nil {
		status = "error"
	}
	fmt.Fprintf(f, "build key=%s cached=%t list_ms=%.1f compile_ms=%.1f link_ms=%.1f total_ms=%.1f status=%s\n",
		info.Key, info.Cached, ms(info.List), ms(info.Compile), ms(info.Link), ms(info.Total), status)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// runProgram runs a built native program with the worker's pipes.
func (s *server) runProgram(run *running, exe string) (native.Outcome, error) {
	env := os.Environ()
	if n := runtime.GOMAXPROCS(0); n != startGOMAXPROCS && os.Getenv("GOMAXPROCS") == "" {
		env = append(env, "GOMAXPROCS="+strconv.Itoa(n))
	}
	pub := publisher{s}
	return native.Run(run.ctx, exe, native.RunOptions{
		Stdout:      s.stdout,
		Stderr:      s.stderr,
		Env:         env,
		Display:     pub.Display,
		ClearOutput: pub.ClearOutput,
		Grace:       nativeGrace,
	})
}

// runNative runs a %%native cell.
func (s *server) runNative(run *running, cm cellMagics, code string) repl.Result {
	start := time.Now()
	req := native.Request{Code: code, Earlier: s.earlier(), Output: cm.output != "", Timing: cm.time}
	p, exe, info, failed := s.buildNative(run, req)
	if failed != nil {
		return *failed
	}
	out, err := s.runProgram(run, exe)
	if err != nil {
		return errorResult("NativeError", err.Error())
	}
	if cm.time {
		s.reportTiming(timing{wall: out.Wall, build: info, native: &out, total: time.Since(start)})
	}
	if res, failed := exitResult(out, p); failed {
		return res
	}
	if out.Result == nil || !p.Result {
		if cm.output != "" {
			return errorResult("OutputError", fmt.Sprintf("%%%%native -o %s: the cell has no final expression to bind to %s", cm.output, cm.output))
		}
		return repl.Result{}
	}
	v := out.Result
	if cm.output != "" {
		return s.bindOutput(run, cm.output, v, p)
	}
	if v.N != 1 || (p.ResultIsCall && v.Nil) {
		return repl.Result{}
	}
	return repl.Result{Value: &repl.Display{Data: map[string]any{"text/plain": v.Text}}}
}

// exitResult reports a program that failed, as go run would: its exit
// status, and the panic with its stack, whose frames in the cell name
// cell.go and the cell's lines.
func exitResult(out native.Outcome, p *native.Program) (repl.Result, bool) {
	if out.Interrupted {
		return errorResult("Interrupted", "the native cell was interrupted (SIGTERM, then SIGKILL if it had not exited within "+
			nativeGrace.String()+"); definitions made before stay defined"), true
	}
	var xe *native.ExitError
	if !errors.As(out.Err, &xe) {
		return repl.Result{}, false
	}
	if xe.Panic != "" {
		lines := strings.Split(xe.Panic, "\n")
		name, value := "panic", strings.TrimPrefix(lines[0], "panic: ")
		if strings.HasPrefix(lines[0], "fatal error: ") {
			name, value = "fatal error", strings.TrimPrefix(lines[0], "fatal error: ")
		}
		trace := append(lines, xe.Error())
		return repl.Result{Err: &repl.Error{Name: name, Value: value + " (" + xe.Error() + ")", Traceback: trace}}, true
	}
	return errorResult("ExitError", xe.Error()+": the native program exited with a failure status, as go run would report it"), true
}

// syntaxResult reports a syntax error of a native cell.
func (s *server) syntaxResult(err error, code string) repl.Result {
	var ce *cell.Error
	if errors.As(err, &ce) {
		return errorResult("SyntaxError", ce.Error(), caret(code, ce.Line, ce.Col)...)
	}
	return errorResult("SyntaxError", err.Error())
}

// compileResult reports the compiler's errors at the cell's lines; an
// error in an earlier cell's declaration says which.
func (s *server) compileResult(ce *native.CompileError, p *native.Program, code string) repl.Result {
	var msgs, trace []string
	values := map[string]bool{}
	for _, v := range s.earlier().Values {
		values[v] = true
	}
	for i, d := range ce.Diags {
		var msg string
		switch {
		case d.File == native.CellFile:
			msg = fmt.Sprintf("%d:%d: %s", d.Line, d.Col, d.Msg)
			if name, ok := strings.CutPrefix(d.Msg, "undefined: "); ok && values[name] {
				msg += " (" + name + " is a variable of the interpreted session, set by a statement: a native cell sees the declarations " +
					"of earlier cells, not the values their statements computed; declare it with var, or compute it in this cell)"
			}
			if i == 0 {
				trace = caret(code, d.Line, d.Col)
			}
		case strings.HasPrefix(d.File, "earlier-"):
			msg = fmt.Sprintf("in the declaration of %s made by an earlier cell, at its line %d:%d: %s", strings.Join(p.EarlierNames(d.File), ", "), d.Line, d.Col, d.Msg)
		default:
			msg = d.Msg + " (in code goconc generated: please report it)"
		}
		msgs = append(msgs, msg)
	}
	if len(msgs) == 0 {
		return errorResult("CompileError", strings.TrimSpace(ce.Output))
	}
	name := "CompileError"
	for _, typeMsg := range []string{"mismatched types", "cannot use", "invalid operation", "cannot convert", "assignment mismatch"} {
		if strings.Contains(msgs[0], typeMsg) {
			name = "TypeError"
		}
	}
	value := strings.Join(msgs, "\n")
	return repl.Result{Err: &repl.Error{Name: name, Value: value, Traceback: append(append([]string{name + ": " + msgs[0]}, trace...), msgs[1:]...)}}
}

// caret shows the cell's line with a caret under the column.
func caret(code string, line, col int) []string {
	lines := strings.Split(code, "\n")
	if line < 1 || line > len(lines) {
		return nil
	}
	text := strings.TrimRight(lines[line-1], "\r")
	if col < 1 {
		col = 1
	}
	if col > len(text)+1 {
		col = len(text) + 1
	}
	pad := strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		return ' '
	}, text[:col-1])
	prefix := fmt.Sprintf("%4d | ", line)
	return []string{prefix + text, strings.Repeat(" ", len(prefix)-2) + "| " + pad + "^"}
}

// typeRE matches a package-qualified name in a reported type: {path}.Name;
// mainTypeRE one of package main (the cell's or an earlier cell's).
var (
	typeRE     = regexp.MustCompile(`\{([^}]*)\}\.`)
	mainTypeRE = regexp.MustCompile(`\{main\}\.(\w+)`)
)

// bindOutput binds the value a native cell reported to name in the
// interpreted session: var name T, decoded from its JSON.
func (s *server) bindOutput(run *running, name string, v *native.Value, p *native.Program) repl.Result {
	fail := func(msg string) repl.Result {
		return errorResult("OutputError", "%%native -o "+name+": "+msg)
	}
	if v.Err != "" {
		return fail("the final expression's error is not nil: " + v.Err)
	}
	if !v.HasJSON {
		if v.N == 0 {
			return fail("the final expression has no value")
		}
		return fail(fmt.Sprintf("the final expression has %d values: bind one value, or a value and an error", v.N))
	}
	if strings.Contains(v.Type, "?") {
		return fail("the value's type " + strings.ReplaceAll(v.Type, "?", "") + " cannot travel as JSON (channels, functions and interfaces with methods cannot)")
	}
	var imports []string
	aliases := map[string]string{}
	var problem string
	typ := typeRE.ReplaceAllStringFunc(v.Type, func(m string) string {
		path := typeRE.FindStringSubmatch(m)[1]
		if path == "main" {
			return ""
		}
		a, ok := aliases[path]
		if !ok {
			a = fmt.Sprintf("goconcʹo%d", len(aliases))
			aliases[path] = a
			imports = append(imports, fmt.Sprintf("import %s %q\n", a, path))
		}
		return a + "."
	})
	for _, m := range mainTypeRE.FindAllStringSubmatch(v.Type, -1) {
		if p.Declared[m[1]] {
			problem = "the value's type " + m[1] + " is declared in this native cell, which the interpreted session does not know: " +
				"declare the type in an interpreted cell first (a native cell sees it), or end with a value of a type the session knows"
		}
	}
	if problem != "" {
		return fail(problem)
	}
	var b strings.Builder
	b.WriteString("import goconcʹojson \"encoding/json\"\n")
	for _, imp := range imports {
		b.WriteString(imp)
	}
	fmt.Fprintf(&b, "%s := *new(%s)\n", name, typ)
	fmt.Fprintf(&b, "if goconcʹerr := goconcʹojson.Unmarshal([]byte(%s), &%s); goconcʹerr != nil {\n\tpanic(goconcʹerr)\n}\n", strconv.Quote(v.JSON), name)
	res := s.eval.Execute(context.WithoutCancel(run.ctx), b.String())
	if res.Err != nil {
		return fail("binding the value of type " + typ + " in the session failed: " + res.Err.Name + ": " + res.Err.Value)
	}
	return repl.Result{}
}
