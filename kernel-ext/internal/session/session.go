// Package session evaluates Go cells with the yaegi interpreter.
//
// A Session carries the interpreter state across cells. Each cell is parsed
// and rewritten by package cell (declarations and statements apart,
// repeated imports skipped, per-iteration loop variables, the closure
// rewrite that keeps goroutines spawned by interpreted code from crashing
// yaegi v0.16.1), evaluated under the cell's context, and its trailing
// expression becomes the result. Completion, inspection and is_complete
// need no Go toolchain: they use the parsed cells and yaegi's symbol tables.
package session

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/constant"
	"io"
	"os"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"github.com/traefik/yaegi/stdlib/syscall"
	"github.com/traefik/yaegi/stdlib/unrestricted"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
	"github.com/goconc/goconc/kernel-ext/internal/gaps"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/symbols"
)

// Options configure a Session.
type Options struct {
	// Stdout and Stderr receive what interpreted code prints. They default
	// to os.Stdout and os.Stderr.
	Stdout, Stderr io.Writer
	// Stdin is what interpreted code reads. It defaults to os.Stdin.
	Stdin io.Reader
	// OnStart, if set, is called on the goroutine that runs a cell's
	// statements, before the first of them. Goroutines the cell starts
	// descend from it: the worker tags it to tell their output apart.
	OnStart func()
	// Docs maps "import/path.Name" (or an import path) to the doc comment
	// of a native symbol (or package), shown by Inspect; an entry may start
	// with the symbol's declaration. Doc comments are not available at run
	// time: symbols.Docs, generated from source, is consulted after this.
	Docs map[string]string
}

// The runtime package every session makes visible to its cells under a
// hidden name: the predeclared ctx and the result capture.
const (
	rtPath   = "goconc.internal/session"
	rtKey    = rtPath + "/rt"
	rtAlias  = "goconcʹrt"
	capture  = rtAlias + ".Result"
	prologue = rtAlias + ".Started()"
)

// Session is one interpreter state carried across cells.
type Session struct {
	// exec serialises every call into the interpreter: yaegi is not safe
	// for concurrent use (the race detector finds races in Eval).
	exec   sync.Mutex
	interp *interp.Interpreter
	ctx    *cellContext
	stderr *panicFilter
	res    resultSlot
	count  int
	start  startSignal
	code   string // the running cell, for error context
	// gaps checks each cell for what the interpreter would get wrong;
	// report is its report on the running cell, whose Position maps the
	// positions of a rewritten cell back to the cell as written.
	gaps   *gaps.Checker
	report *gaps.Report
	fmt    *gaps.Registry
	main   string // hidden name of the latest func main
	// runID is the interpreter's run id (see revive.go), nil if unknown.
	runID *uint64
	// leftovers records that an interrupt left an evaluation goroutine
	// running (waitLeftover gave up): from then on the cell's goroutine is
	// told apart from others by its id (see startSignal).
	leftovers bool
	closed    bool // Close has run: liveSessions no longer counts s

	// idx guards what completion and inspection read, so that they answer
	// while a cell runs.
	idx      sync.Mutex
	imports  cell.Imports
	decls    map[string]cell.Decl
	funcs    map[string]*cell.Chunk // chunk that defined each func, for stacks
	reports  map[*cell.Chunk]*gaps.Report
	packages map[string]map[string]reflect.Value
	pkgNames map[string]string // import path → package name
	docs     map[string]string
	// sources are the declarations as written, for native cells (see
	// Declarations); sourceNames[i] are the names sources[i] declares.
	sources     []Source
	sourceNames [][]string
}

// leftoverLimit bounds how long an interrupt waits for the interrupted
// code to stop (see waitLeftover).
const leftoverLimit = 500 * time.Millisecond

// exitPanic is what os.Exit panics with inside the interpreter: exiting the
// process would take the whole kernel worker down.
type exitPanic int

// goexitPanic is what runtime.Goexit panics with when the cell's own
// goroutine calls it: yaegi would take the goroutine's end for the end of
// the cell and report success.
type goexitPanic struct{}

// goexit stands for runtime.Goexit in cells. On the goroutine running the
// cell's statements it ends the cell with an error; elsewhere it is
// runtime.Goexit.
func (s *Session) goexit() {
	if s.start.onCellGoroutine() {
		panic(goexitPanic{})
	}
	runtime.Goexit()
}

// liveSessions counts the sessions of the process not yet closed: with
// more than one, a goroutine started by an evaluation may be another
// session's, and startSignal identifies the cell's goroutine by its id.
var liveSessions atomic.Int64

// unrestrictedSymbols picks from yaegi's unrestricted tables what a
// notebook on concurrency needs and the worker survives: os/exec (running
// commands), and the raw system calls, signals and process creation of
// package syscall (experiments on blocking system calls). Left out: the
// exits (os.Exit and syscall.Exit are replaced by ones that end the cell,
// not the worker), log's Fatal functions and native Logger (they exit),
// syscall.Exec (it would replace the worker's image under the kernel's
// pipes), and ptrace, reboot and shutdown.
func unrestrictedSymbols() interp.Exports {
	keep := map[string][]string{
		"os/exec/exec":    nil, // all of it
		"syscall/syscall": {"Syscall", "Syscall6", "RawSyscall", "RawSyscall6", "Kill", "ForkExec", "StartProcess"},
	}
	out := interp.Exports{}
	for key, names := range keep {
		syms := unrestricted.Symbols[key]
		picked := make(map[string]reflect.Value)
		for name, v := range syms {
			if names == nil || slices.Contains(names, name) {
				picked[name] = v
			}
		}
		out[key] = picked
	}
	return out
}

// New starts a session.
func New(opts Options) (*Session, error) {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	s := &Session{
		ctx:      newCellContext(),
		stderr:   &panicFilter{w: opts.Stderr},
		decls:    make(map[string]cell.Decl),
		funcs:    make(map[string]*cell.Chunk),
		reports:  make(map[*cell.Chunk]*gaps.Report),
		packages: make(map[string]map[string]reflect.Value),
		pkgNames: make(map[string]string),
		docs:     opts.Docs,
	}
	// Unrestricted: cells see the worker's real environment (which %env
	// changes) and may run commands; os.Exit is replaced below.
	s.interp = interp.New(interp.Options{
		Stdout:       opts.Stdout,
		Stderr:       s.stderr,
		Stdin:        opts.Stdin,
		Unrestricted: true,
	})
	for _, table := range []interp.Exports{stdlib.Symbols, syscall.Symbols, unrestrictedSymbols(), interp.Exports(symbols.Symbols)} {
		if err := s.interp.Use(table); err != nil {
			return nil, fmt.Errorf("session: loading symbols: %w", err)
		}
		for key, syms := range table {
			i := strings.LastIndex(key, "/")
			if i < 0 {
				continue
			}
			// Tables add to a package (syscall's unrestricted symbols to
			// its restricted ones): merge, as Use does.
			pkg := s.packages[key[:i]]
			if pkg == nil {
				pkg = make(map[string]reflect.Value)
				s.packages[key[:i]] = pkg
			}
			for name, v := range syms {
				pkg[name] = v
			}
			s.pkgNames[key[:i]] = key[i+1:]
		}
	}
	s.runID = runID(s.interp)
	// Values of the cells' types print as Go prints them (see gaps.Registry):
	// the cells' printing calls hand them to the registry, and fmt's and
	// log's printing functions are replaced by ones that know it.
	s.fmt = gaps.NewRegistry()
	s.gaps = gaps.NewChecker(gaps.Options{Tables: s.packages, PackageName: s.packageName, Registry: s.fmt, Runtime: rtAlias})
	printing := s.fmt.Overrides(map[string]map[string]reflect.Value{
		"fmt": s.interp.Symbols("fmt")["fmt"], "log": s.interp.Symbols("log")["log"]})
	for key, syms := range printing {
		if key == "fmt/fmt" {
			// Use, given "fmt/fmt", takes the table for the standard
			// library's and compiles yaegi's generic sources again (they
			// are then declared twice); "fmt//fmt" is the same package.
			key = "fmt//fmt"
		}
		if err := s.interp.Use(interp.Exports{key: syms}); err != nil {
			return nil, fmt.Errorf("session: loading fmt's replacements: %w", err)
		}
	}
	if err := s.interp.Use(interp.Exports{".": {"MapTypes": reflect.ValueOf(gaps.MapTypes(printing))}}); err != nil {
		return nil, fmt.Errorf("session: loading fmt's replacements: %w", err)
	}
	rt := interp.Exports{
		rtKey: {
			"Context": reflect.ValueOf(func() context.Context { return s.ctx }),
			"Clear":   reflect.ValueOf(clearValue),
			"Print":   reflect.ValueOf(builtinPrinter{s.stderr}.Print),
			"Println": reflect.ValueOf(builtinPrinter{s.stderr}.Println),
			"Stdout":  reflect.ValueOf(stdio{opts.Stdout}),
			"Stderr":  reflect.ValueOf(stdio{s.stderr}),
			"Result":  reflect.ValueOf(s.res.set),
			"Started": reflect.ValueOf(func() {
				s.start.fire()
				if opts.OnStart != nil {
					opts.OnStart()
				}
			}),
		},
		"os/os": {
			"Exit": reflect.ValueOf(func(code int) { panic(exitPanic(code)) }),
		},
		"syscall/syscall": {
			"Exit": reflect.ValueOf(func(code int) { panic(exitPanic(code)) }),
		},
		"runtime/runtime": {
			"Goexit": reflect.ValueOf(s.goexit),
		},
	}
	for name, v := range s.fmt.Symbols() {
		rt[rtKey][name] = v
	}
	if err := s.interp.Use(rt); err != nil {
		return nil, fmt.Errorf("session: loading runtime symbols: %w", err)
	}
	prelude := "import " + rtAlias + " " + strconv.Quote(rtPath) + "\nvar ctx = " + rtAlias + ".Context()\n"
	if _, err := s.interp.Eval(prelude); err != nil {
		return nil, fmt.Errorf("session: predeclaring ctx: %w", err)
	}
	s.decls["ctx"] = cell.Decl{Name: "ctx", Kind: "var", Source: "var ctx context.Context",
		Doc: "ctx is cancelled when the running cell is interrupted: pass it to native helpers.\n"}
	liveSessions.Add(1)
	return s, nil
}

// Execute evaluates one cell under ctx: cancelling ctx interrupts it. The
// cell's failures are in the Result's Err.
func (s *Session) Execute(ctx context.Context, code string) (res repl.Result) {
	s.exec.Lock()
	defer s.exec.Unlock()
	s.count++
	s.code = code

	s.idx.Lock()
	seen := cloneImports(&s.imports)
	s.idx.Unlock()
	// The runtime package is imported: rewritten cells call it.
	seen.Add(cell.Import{Name: rtAlias, Path: rtPath})

	opts := cell.Options{Imports: seen, PackageName: s.packageName, Main: s.main, Capture: capture,
		Prologue: prologue, Unique: strconv.Itoa(s.count), Runtime: rtAlias, Lookup: s.lookup, NativeType: s.nativeType}
	c, err := cell.Parse(code, opts)
	if err != nil {
		var ce *cell.Error
		if errors.As(err, &ce) {
			return errResult("SyntaxError", ce.Error(), sourceContext(code, ce.Line, ce.Col)...)
		}
		return errResult("SyntaxError", err.Error())
	}
	// What the interpreter would get wrong is refused here, before anything
	// of the cell runs; what it gets right once rewritten is rewritten.
	report := s.gaps.Check(code, seen.Names())
	if report.Refused() {
		f := report.Findings[0]
		return errResult("Unsupported", report.Error(), sourceContext(code, f.Line, f.Col)...)
	}
	s.report = report
	defer func() {
		if res.Err == nil || !compileFailure[res.Err.Name] {
			report.Commit()
		}
	}()
	_, resultIsCall := ast.Unparen(c.Result).(*ast.CallExpr) // as written, not as rewritten
	if report.Source != code {
		if c, err = cell.Parse(report.Source, opts); err != nil {
			return errResult("SyntaxError", "internal error of goconc's rewrite: "+err.Error())
		}
	}

	stop := s.ctx.begin(ctx)
	defer stop()
	s.stderr.reset()
	gen := s.res.reset()

	if c.ImportChunk != nil {
		if r, failed := s.run(ctx, c, c.ImportChunk, nil); failed {
			return r
		}
		s.idx.Lock()
		s.imports.Add(c.NewImports...)
		s.idx.Unlock()
	}
	if c.Decls != nil {
		if r, failed := s.run(ctx, c, c.Decls, nil); failed {
			return r
		}
		if c.Main != "" {
			s.main = c.Main
		}
	}
	if report.Register != "" {
		// Tells the printing of values which interpreted types the cell
		// declared (see gaps.Registry).
		if _, err := s.interp.Eval(report.Register); err != nil {
			return errResult("CompileError", "internal error of goconc's registration of the cell's types: "+err.Error())
		}
	}
	s.index(c)
	s.recordSources(code)
	if c.Stmts == nil {
		return repl.Result{}
	}
	captured := c.Capture != nil && s.mayHaveValue(c, seen)
	chunk := c.Stmts
	if captured {
		chunk = c.Capture
	}
	var fallback *cell.Chunk
	if _, isCall := ast.Unparen(c.Result).(*ast.CallExpr); captured && isCall {
		fallback = c.Stmts
	}
	if r, failed := s.run(ctx, c, chunk, fallback); failed {
		return r
	}
	if v, ok := s.res.get(gen); ok {
		if resultIsCall && isNil(gaps.Unwrap(v)) {
			// A call ending a cell for its effect, such as display.Plot(p)
			// returning a nil error, has nothing to say.
			return repl.Result{}
		}
		return repl.Result{Value: &repl.Display{Data: map[string]any{"text/plain": Format(v)}}}
	}
	return repl.Result{}
}

// isNil reports whether v is nil or a nil error: what a call made for its
// effect returns when all went well.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	_, isErr := v.(error)
	return isErr && (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) && rv.IsNil()
}

// run evaluates chunk. When fallback is set, chunk is first compiled alone,
// and fallback runs instead if that fails: the result capture does not
// compile for a call without exactly one value, which only compiling tells.
//
// EvalWithContext, not Compile and ExecuteWithContext, runs the chunk:
// after a stop, ExecuteWithContext returns while its goroutine still
// writes the results it returned (a data race), EvalWithContext does not.
func (s *Session) run(ctx context.Context, c *cell.Cell, chunk, fallback *cell.Chunk) (repl.Result, bool) {
	if fallback != nil && fallback != chunk {
		if _, err := s.compile(chunk.Src); err != nil {
			chunk = fallback
		}
	}
	// yaegi loses a stop that comes before the program has marked its
	// frame as running (it then runs on, a "for {}" for ever): statement
	// chunks announce their start, and the interrupt waits for it.
	if ctx.Err() != nil {
		return errResult("Interrupted", "the cell was interrupted before it ran; definitions made before stay defined"), true
	}
	started := s.start.arm(chunk == c.Stmts || chunk == c.Capture, s.leftovers || liveSessions.Load() > 1)
	finished := make(chan struct{})
	runCtx, cancelRun := context.WithCancel(context.Background())
	defer cancelRun()
	unregister := context.AfterFunc(ctx, func() {
		select {
		case <-started:
		case <-finished:
		}
		cancelRun()
	})
	var before uint64
	if s.runID != nil {
		before = atomic.LoadUint64(s.runID)
	}
	_, err := s.interp.EvalWithContext(runCtx, chunk.Src)
	close(finished)
	unregister()
	if err == nil {
		return repl.Result{}, false
	}
	if runCtx.Err() != nil && errors.Is(err, runCtx.Err()) {
		if !waitLeftover(goroutineID(), leftoverLimit) {
			s.leftovers = true
			return errResult("Interrupted", "the cell was interrupted, but a native call it made has not returned yet: "+
				"it goes on in the background; definitions made before stay defined"+staleClosures), true
		}
		if s.revive(before) {
			return errResult("Interrupted", "the cell was interrupted; definitions made before stay defined"), true
		}
		return errResult("Interrupted", "the cell was interrupted; definitions made before stay defined"+staleClosures), true
	}
	var p interp.Panic
	if errors.As(err, &p) {
		if code, ok := p.Value.(exitPanic); ok {
			return errResult("Exit", fmt.Sprintf("os.Exit(%d) called: the session goes on", int(code))), true
		}
		if _, ok := p.Value.(goexitPanic); ok {
			return errResult("Goexit", "runtime.Goexit called by the cell's own goroutine: the cell stopped there; definitions made before stay defined"), true
		}
		if v, ok := p.Value.(string); ok && v == "nil type" && rangeRE.MatchString(s.code) {
			// yaegi's compiler panics on a range over an integer the
			// rewriter could not tell was one.
			return errResult("CompileError", "range over an integer is not supported by the interpreter here: "+
				"goconc rewrites it when it can tell the range expression is an integer; "+
				"write for i := 0; i < n; i++ { … }, or range over int(n)"), true
		}
		if v, ok := p.Value.(string); ok && (v == "nil type" || v == "nil reflect type") {
			// yaegi's compiler fails so on code it cannot type.
			return errResult("CompileError", "internal error of the interpreter: "+v+s.report.Hint(v)), true
		}
		return s.panicResult(p, chunk), true
	}
	// Compile errors, and the rare error yaegi finds while it wires global
	// variables.
	return s.compileError(err, c, chunk), true
}

// compileFailure names the errors after which a cell's declarations were
// not made.
var compileFailure = map[string]bool{"SyntaxError": true, "CompileError": true, "TypeError": true, "Unsupported": true}

// staleClosures warns of what an interrupt breaks when revive could not
// undo it: goroutines running interpreted code were left.
const staleClosures = " (but function values made before the interrupt, such as f := func() {…}, " +
	"no longer run: run the cells that make them again)"

// startSignal tells an interrupt that the running statements have started,
// and tells the goroutine running them (the one yaegi's EvalWithContext
// started for the run) from others, for runtime.Goexit.
//
// Asking the runtime for the goroutine's id (runtime.Stack) in fire, deep
// in the interpreter's frames, costs a tenth of a trivial cell, and only a
// call of runtime.Goexit needs the answer. So fire records only that the
// statements started, and onCellGoroutine, when Goexit is called, looks at
// who created the calling goroutine: while no goroutine of an earlier
// evaluation can still run (no leftovers) and no other session exists, the
// only goroutine created by EvalWithContext that can run interpreted code
// of this session is the running cell's. Otherwise (precise) fire records
// the id, as it must tell that goroutine from the others.
type startSignal struct {
	mu      sync.Mutex
	ch      chan struct{}
	fired   bool   // the running statements have started
	precise bool   // fire records gid
	gid     uint64 // goroutine of the running statements when precise; 0 before they start
}

// arm prepares the signal for a run; when willFire is false the run never
// fires it and the returned channel is closed already. precise says
// whether fire records the goroutine's id.
func (g *startSignal) arm(willFire, precise bool) <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.ch = make(chan struct{})
	g.fired, g.precise, g.gid = false, precise, 0
	if !willFire {
		close(g.ch)
	}
	return g.ch
}

// fire is called by the cell's prologue, on the goroutine running the
// cell's statements.
func (g *startSignal) fire() {
	g.mu.Lock()
	precise := g.precise
	g.mu.Unlock()
	var id uint64
	if precise {
		id = goroutineID()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.fired, g.gid = true, id
	select {
	case <-g.ch:
	default:
		close(g.ch)
	}
}

// onCellGoroutine reports whether the caller is the goroutine running the
// cell's statements (false when none has started).
func (g *startSignal) onCellGoroutine() bool {
	g.mu.Lock()
	fired, precise, gid := g.fired, g.precise, g.gid
	g.mu.Unlock()
	switch {
	case !fired:
		return false
	case precise:
		return gid != 0 && gid == goroutineID()
	}
	return createdByEval()
}

// compile compiles src, turning a panic of yaegi's compiler into an error.
func (s *Session) compile(src string) (prog *interp.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error of the interpreter: %v", r)
		}
	}()
	return s.interp.Compile(src)
}

// mayHaveValue tells whether the result expression is worth capturing:
// a call of a native function known to return other than one value is not.
func (s *Session) mayHaveValue(c *cell.Cell, seen *cell.Imports) bool {
	pkg, name, ok := cell.QualifiedCall(c.Result)
	if !ok {
		return true
	}
	p, ok := seen.Path(pkg)
	if !ok {
		for _, imp := range c.NewImports {
			if imp.Name == pkg {
				p, ok = imp.Path, true
			}
		}
	}
	if !ok {
		return true
	}
	s.idx.Lock()
	sym, found := s.packages[p][name]
	s.idx.Unlock()
	if !found || sym.Kind() != reflect.Func {
		return true
	}
	return sym.Type().NumOut() == 1
}

func cloneImports(im *cell.Imports) *cell.Imports {
	out := &cell.Imports{}
	for name, p := range im.Names() {
		if strings.HasPrefix(name, ". ") {
			out.Add(cell.Import{Name: ".", Path: p})
			continue
		}
		out.Add(cell.Import{Name: name, Path: p})
	}
	return out
}

// undefined returns the first name c uses that no cell declared.
func (s *Session) undefined(c *cell.Cell) (cell.Ref, bool) {
	s.idx.Lock()
	defer s.idx.Unlock()
	declared := map[string]bool{}
	for _, d := range c.Declared {
		declared[d.Name] = true
	}
	for _, r := range c.Refs {
		if _, ok := s.decls[r.Name]; !ok && !declared[r.Name] {
			return r, true
		}
	}
	return cell.Ref{}, false
}

// index records the cell's declarations for completion, inspection and
// stack traces.
func (s *Session) index(c *cell.Cell) {
	s.idx.Lock()
	defer s.idx.Unlock()
	for _, d := range c.Declared {
		s.decls[d.Name] = d
		if d.Kind == "func" {
			s.funcs[d.Name] = c.Decls
		}
	}
	if c.Decls != nil {
		s.reports[c.Decls] = s.report // its positions map back to the cell
	}
}

// lookup returns the declaration an earlier cell made of name.
func (s *Session) lookup(name string) (cell.Decl, bool) {
	s.idx.Lock()
	defer s.idx.Unlock()
	d, ok := s.decls[name]
	return d, ok
}

// nativeType tells the cell rewriter the type of a native symbol, or of
// the single result of a native function (see cell.Options.NativeType).
// Types print as Go source qualified by package names, which is what
// cells write when they import a package under its own name.
func (s *Session) nativeType(path, name string, called bool) (typ string, untyped, ok bool) {
	s.idx.Lock()
	v, found := s.packages[path][name]
	s.idx.Unlock()
	if !found || !v.IsValid() {
		return "", false, false
	}
	if c, isConst := v.Interface().(constant.Value); isConst {
		if called {
			return "", false, false
		}
		switch c.Kind() {
		case constant.Int:
			return "int", true, true
		case constant.Float:
			return "float64", true, true
		case constant.String:
			return "string", true, true
		case constant.Bool:
			return "bool", true, true
		}
		return "", false, false
	}
	t := v.Type()
	if !called {
		if t.Kind() == reflect.Pointer && v.IsNil() && !v.CanAddr() {
			return "", false, false // a type: (*T)(nil)
		}
		return t.String(), false, true
	}
	// A function, not a variable holding one (variables are addressable).
	if t.Kind() != reflect.Func || v.CanAddr() || t.NumOut() != 1 {
		return "", false, false
	}
	return t.Out(0).String(), false, true
}

// packageName returns the name of a package of the symbol tables; pkgNames
// does not change after New.
func (s *Session) packageName(path string) string { return s.pkgNames[path] }

// Close releases the session: goroutines that cells left running are
// stopped (yaegi stops them all when any evaluation is cancelled), and the
// predeclared ctx is cancelled, so native helpers still running stop too.
// Close waits for a running cell: interrupt it first.
func (s *Session) Close() error {
	s.exec.Lock()
	defer s.exec.Unlock()
	if !s.closed {
		s.closed = true
		liveSessions.Add(-1)
	}
	s.ctx.close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// The cancelled context makes yaegi stop every interpreted goroutine;
	// the empty program's result does not matter.
	s.interp.EvalWithContext(ctx, ";")
	return nil
}

func errResult(name, value string, trace ...string) repl.Result {
	tb := append([]string{name + ": " + value}, trace...)
	return repl.Result{Err: &repl.Error{Name: name, Value: value, Traceback: tb}}
}

// yaegi reports "line:col: message", possibly after a file name.
var posRE = regexp.MustCompile(`(?:[^\s:]*\.go:)?(\d+):(\d+)`)

// rangeRE finds range clauses.
var rangeRE = regexp.MustCompile(`\brange\b`)

// hiddenRE matches the hidden names the rewriter gives loop variables.
var hiddenRE = regexp.MustCompile(`ʹ[0-9]*ʹ[0-9]+`)

// mapPositions rewrites the positions in msg from chunk's generated source
// to the cell's lines and columns, and hidden names to the user's.
func (s *Session) mapPositions(msg string, chunk *cell.Chunk) string {
	msg = posRE.ReplaceAllStringFunc(msg, func(m string) string {
		sub := posRE.FindStringSubmatch(m)
		line, _ := strconv.Atoi(sub[1])
		col, _ := strconv.Atoi(sub[2])
		if l, c, ok := chunk.Position(line, col); ok {
			l, c = s.report.Position(l, c)
			return fmt.Sprintf("%d:%d", l, c)
		}
		return m
	})
	return hiddenRE.ReplaceAllString(msg, "")
}

func (s *Session) compileError(err error, c *cell.Cell, chunk *cell.Chunk) repl.Result {
	msg := s.mapPositions(err.Error(), chunk)
	if strings.Contains(msg, "definition loop") {
		// yaegi's message for a name it cannot find in a global
		// definition: name the first use no cell declares.
		if ref, ok := s.undefined(c); ok {
			line, col := s.report.Position(ref.Line, ref.Col)
			msg = fmt.Sprintf("%d:%d: undefined: %s", line, col, ref.Name)
		}
	}
	msg = explainGaps(msg, c, chunk, s.report.Position)
	msg += s.report.Hint(msg)
	name := "CompileError"
	for _, typeMsg := range []string{"mismatched types", "cannot use", "invalid operation", "cannot convert", "assignment mismatch"} {
		if strings.Contains(msg, typeMsg) {
			name = "TypeError"
		}
	}
	var trace []string
	if m := posRE.FindStringSubmatch(msg); m != nil && strings.HasPrefix(msg, m[0]) {
		line, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		trace = sourceContext(s.code, line, col)
	}
	return errResult(name, msg, trace...)
}

// sourceContext shows the cell's line with a caret under the column (in
// bytes, as go/scanner counts).
func sourceContext(code string, line, col int) []string {
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

// panicResult describes a panic with the interpreted frames yaegi printed
// while it unwound them.
func (s *Session) panicResult(p interp.Panic, chunk *cell.Chunk) repl.Result {
	value := s.fmt.Sprint(p.Value)
	if e, ok := p.Value.(error); ok {
		value = e.Error()
	}
	trace := []string{"panic: " + value}
	for _, f := range s.stderr.frames() {
		fn := strings.TrimSuffix(f.fn, "(...)")
		c, where, rep := chunk, "in the cell", s.report
		if fn != "main" && fn != "" {
			// "main.f", "main.f.func" for a literal in f, "main.mainʹ3ʹ1".
			name := hiddenRE.ReplaceAllString(strings.TrimPrefix(fn, "main."), "")
			top, _, _ := strings.Cut(name, ".")
			s.idx.Lock()
			c = s.funcs[top]
			rep = s.reports[c]
			s.idx.Unlock()
			// The closure rewrite nests each literal in another: "func.func".
			// A literal that is none of the cell's wraps a statement (see
			// cell's wrapEdits): its frame is the cell's.
			switch {
			case top == "func":
				c, where = chunk, "in a function literal in the cell"
				if l, col, ok := c.Position(f.line, f.col); ok && !c.InLiteral(l, col) {
					where = "in the cell"
				}
			case name != top:
				where = "in a function literal in " + top + "()"
			default:
				where = "in " + name + "()"
			}
		}
		line := "    " + where
		if l, col, ok := c.Position(f.line, f.col); ok {
			l, col = rep.Position(l, col)
			line = fmt.Sprintf("    %s at %d:%d", where, l, col)
		}
		if where == "in the cell" && strings.HasPrefix(trace[len(trace)-1], "    in the cell") {
			// The call of a statement's wrapper: the frame above said
			// where in the statement the panic came through.
			continue
		}
		trace = append(trace, line)
	}
	return repl.Result{Err: &repl.Error{Name: "panic", Value: value, Traceback: trace}}
}

// resultSlot receives the value of a cell's result expression from the
// interpreted code. gen tells values of the current cell from late values
// of an interrupted one.
type resultSlot struct {
	mu    sync.Mutex
	gen   int
	val   any
	isSet bool
}

func (r *resultSlot) reset() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen++
	r.val, r.isSet = nil, false
	return r.gen
}

func (r *resultSlot) set(v any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.val, r.isSet = v, true
}

func (r *resultSlot) get(gen int) (any, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.val, r.isSet && r.gen == gen
}
