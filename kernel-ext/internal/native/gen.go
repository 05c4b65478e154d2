package native

import (
	"fmt"
	"io"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
)

// gen writes the generated program. Text copied from the cell is led by a
// line directive, so that the compiler and the runtime report the cell's
// own lines and columns, and generated text by one naming generated.go.
type gen struct {
	w       io.Writer
	src     string
	own     []*part
	helpers map[string]string // alias (without the hidden prefix) → import path
	// sections are the benchmarks of a %%bench cell.
	sections []benchSection
}

func (g *gen) printf(format string, args ...any) { fmt.Fprintf(g.w, format, args...) }

// use imports path under a hidden alias for generated code and returns the
// name to call it by.
func (g *gen) use(alias, path string) string {
	g.helpers[alias] = path
	return hidden + alias
}

// An insertion puts text at a cell offset; the cell's text after it goes
// on at its own position.
type insertion struct {
	off  int
	text string
	skip int // bytes of the cell replaced
}

// blanked writes the cell with every part but those keep selects blanked,
// at the cell's positions. mainOff, when not negative, is the offset of a
// func main to rename (its program gets a main of its own).
func (g *gen) blanked(keep func(*part) bool, mainOff int) {
	var parts []*part
	for _, pt := range g.own {
		if keep(pt) {
			parts = append(parts, pt)
		}
	}
	if len(parts) == 0 {
		return
	}
	var ins []insertion
	if mainOff >= 0 {
		ins = append(ins, insertion{off: mainOff, text: hidden + "main", skip: len("main")})
	}
	g.cellText(blankExcept(g.src, parts), ins)
}

// cellText writes text, which has the cell's offsets, with the insertions
// (in offset order), each followed by a directive restoring the position.
func (g *gen) cellText(text string, ins []insertion) {
	g.printf("\n/*line %s:1:1*/", CellFile)
	pos := 0
	for _, in := range ins {
		g.printf("%s%s", text[pos:in.off], in.text)
		pos = in.off + in.skip
		l, c := cell.LineCol(g.src, pos)
		g.printf("/*line %s:%d:%d*/", CellFile, l, c)
	}
	g.printf("%s\n", text[pos:])
}

// statements writes the cell's statements, the final expression res (when
// not nil) handed to the result helper.
func (g *gen) statements(res *span) {
	var stmts []*part
	for _, pt := range g.own {
		if pt.kind == cell.PartStatement {
			stmts = append(stmts, pt)
		}
	}
	if len(stmts) == 0 {
		return
	}
	var ins []insertion
	if res != nil {
		ins = append(ins, insertion{off: res.start, text: hidden + "result("}, insertion{off: res.end, text: ")"})
	}
	g.cellText(blankExcept(g.src, stmts), ins)
}

// ctxDecl declares ctx, cancelled when the program gets SIGINT or SIGTERM,
// which is how the worker interrupts a native cell.
func (g *gen) ctxDecl() {
	ctx, signal, os, sys := g.use("context", "context"), g.use("signal", "os/signal"), g.use("os", "os"), g.use("syscall", "syscall")
	g.printf(`
/*line generated.go:1:1*/
var ctx = %[5]sctxInit()

func %[5]sctxInit() %[1]s.Context {
	c, _ := %[2]s.NotifyContext(%[1]s.Background(), %[3]s.Interrupt, %[4]s.SIGTERM)
	return c
}
`, ctx, signal, os, sys, hidden)
}

// ResultFD is the file descriptor on which a native program reports to the
// worker: the value of its final expression, benchmark lines, figures for
// %%time. One record per line, fields separated by spaces, strings quoted
// as Go quotes them.
const ResultFD = 5

// resultHelpers declares the functions that report to the worker.
func (g *gen) resultHelpers(output bool) {
	fmtP, strconv, os := g.use("fmt", "fmt"), g.use("strconv", "strconv"), g.use("os", "os")
	g.printf(`
/*line generated.go:1:1*/
var %[4]sout = %[3]s.NewFile(%[5]d, "goconc-result")

func %[4]sformat(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case string:
		return %[2]s.Quote(x)
	case error:
		return x.Error()
	case %[1]s.Stringer:
		return x.String()
	}
	return %[1]s.Sprintf("%%+v", v)
}

func %[4]sresult(vs ...any) {
	var v any
	if len(vs) > 0 {
		v = vs[0]
	}
	text := ""
	if len(vs) == 1 {
		text = %[4]sformat(v)
	}
	%[1]s.Fprintf(%[4]sout, "result %%d %%t %%s\n", len(vs), len(vs) == 1 && v == nil, %[2]s.Quote(text))
	%[4]sencode(vs)
}
`, fmtP, strconv, os, hidden, ResultFD)
	if !output {
		g.printf("\nfunc %sencode([]any) {}\n", hidden)
		return
	}
	json, reflect := g.use("json", "encoding/json"), g.use("reflect", "reflect")
	g.printf(`
func %[4]sencode(vs []any) {
	if len(vs) == 2 {
		if e, ok := vs[1].(error); ok && e != nil {
			%[1]s.Fprintf(%[4]sout, "error %%s\n", %[2]s.Quote(e.Error()))
			return
		} else if !ok && vs[1] != nil {
			return
		}
	}
	if len(vs) != 1 && len(vs) != 2 {
		return
	}
	b, err := %[5]s.Marshal(vs[0])
	if err != nil {
		%[1]s.Fprintf(%[4]sout, "error %%s\n", %[2]s.Quote("encoding the value as JSON: "+err.Error()))
		return
	}
	%[1]s.Fprintf(%[4]sout, "json %%s %%s\n", %[2]s.Quote(%[4]stypeName(%[6]s.TypeOf(vs[0]))), %[2]s.Quote(string(b)))
}

func %[4]stypeName(t %[6]s.Type) string {
	if t == nil {
		return "any"
	}
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return t.Name()
		}
		return "{" + t.PkgPath() + "}." + t.Name()
	}
	switch t.Kind() {
	case %[6]s.Slice:
		return "[]" + %[4]stypeName(t.Elem())
	case %[6]s.Array:
		return "[" + %[2]s.Itoa(t.Len()) + "]" + %[4]stypeName(t.Elem())
	case %[6]s.Pointer:
		return "*" + %[4]stypeName(t.Elem())
	case %[6]s.Map:
		return "map[" + %[4]stypeName(t.Key()) + "]" + %[4]stypeName(t.Elem())
	case %[6]s.Interface:
		if t.NumMethod() == 0 {
			return "any"
		}
	case %[6]s.Struct:
		s := "struct {"
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if i > 0 {
				s += ";"
			}
			if !f.Anonymous {
				s += " " + f.Name
			}
			s += " " + %[4]stypeName(f.Type)
			if f.Tag != "" {
				s += " " + %[2]s.Quote(string(f.Tag))
			}
		}
		return s + " }"
	}
	return "?" + t.String()
}
`, fmtP, strconv, os, hidden, json, reflect)
}

// timingHelpers declares what %%time measures inside the program: GC
// cycles, exactly, from the runtime; the peaks of goroutines and OS threads
// by sampling every 10 ms (and at start and end), which can miss a peak
// shorter than that; the threads alive at the end.
func (g *gen) timingHelpers() {
	fmtP, os, rt, metrics, pprof, tm, atomic, strings, strconv := g.use("fmt", "fmt"), g.use("os", "os"), g.use("runtime", "runtime"),
		g.use("metrics", "runtime/metrics"), "", g.use("time", "time"), g.use("atomic", "sync/atomic"),
		g.use("strings", "strings"), g.use("strconv", "strconv")
	g.printf(`
/*line generated.go:1:1*/
var (
	%[1]speakG, %[1]speakT %[8]s.Int64
	%[1]sstop = make(chan struct{})
	%[1]sdone = make(chan struct{})
)

func %[1]ssample(self int) {
	if g := int64(%[4]s.NumGoroutine() - self); g > %[1]speakG.Load() {
		%[1]speakG.Store(g)
	}
	if n := %[1]sthreadsNow(); n > %[1]speakT.Load() {
		%[1]speakT.Store(n)
	}
}

func %[1]sthreadsNow() int64 {
	b, err := %[3]s.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range %[9]s.Split(string(b), "\n") {
		if v, ok := %[9]s.CutPrefix(line, "Threads:"); ok {
			n, _ := %[10]s.ParseInt(%[9]s.TrimSpace(v), 10, 64)
			return n
		}
	}
	return -1
}

func %[1]stimingStart() {
	%[1]ssample(0)
	go func() {
		defer close(%[1]sdone)
		t := %[7]s.NewTicker(10 * %[7]s.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-%[1]sstop:
				return
			case <-t.C:
				%[1]ssample(1)
			}
		}
	}()
}

func %[1]stimingEnd() {
	close(%[1]sstop)
	<-%[1]sdone
	%[1]ssample(0)
	s := []%[5]s.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	%[5]s.Read(s)
	var gc uint64
	if s[0].Value.Kind() == %[5]s.KindUint64 {
		gc = s[0].Value.Uint64()
	}
	%[2]s.Fprintf(%[1]sout, "timing %%d %%d %%d %%d\n", gc, %[1]sthreadsNow(), %[1]speakG.Load(), %[1]speakT.Load())
}
`, hidden, fmtP, os, rt, metrics, pprof, tm, atomic, strings, strconv)

}
