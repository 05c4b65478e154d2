package claims

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/binary"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"time"

	"github.com/goconc/goconc/kernel-ext/units"
	"github.com/goconc/goconc/kernel-ext/workload"
)

// The three styles' files are embedded so that the notebook shows, and
// counts, exactly the code that runs.
//
//go:embed style_goroutines.go style_threads.go style_callbacks.go
var styleFiles embed.FS

// Job is the job the code-complexity notebook writes three ways: Requests
// requests, each waiting Latency (its I/O) and then doing a little work
// (Work); the answer is the sum of the works, modulo 2⁶⁴.
type Job struct {
	Requests int           `json:"requests"`
	Latency  time.Duration `json:"latency"`
}

// Work is one request's work: the first 8 bytes of the SHA-256 of its
// number, as a little-endian integer.
func Work(i int) uint64 {
	h := sha256.Sum256([]byte(strconv.Itoa(i)))
	return binary.LittleEndian.Uint64(h[:8])
}

// Want returns the job's correct answer, computed sequentially without
// waiting.
func (j Job) Want() uint64 {
	var sum uint64
	for i := range j.Requests {
		sum += Work(i)
	}
	return sum
}

// Style is one way of writing the job.
type Style struct {
	// Name is the style's short name: "goroutines", "threads" or
	// "callbacks"; Model says what it uses.
	Name  string `json:"name"`
	Model string `json:"model"`
	// Source is the Go file that implements the style, as compiled.
	Source string `json:"source"`
	// Lines counts Source's lines of code: neither blank, nor comment,
	// nor the package clause and imports.
	Lines int `json:"lines"`
	// Run does the job in this style.
	Run func(ctx context.Context, job Job) (uint64, error) `json:"-"`
}

// Styles returns the job written three ways: goroutines and channels, OS
// threads and locks, and callbacks on an event loop.
func Styles() []Style {
	styles := []Style{
		{Name: "goroutines", Model: "goroutines + channels", Run: SumGoroutines},
		{Name: "threads", Model: "OS threads + locks", Run: SumThreads},
		{Name: "callbacks", Model: "callbacks on an event loop", Run: SumCallbacks},
	}
	for i := range styles {
		b, err := styleFiles.ReadFile("style_" + styles[i].Name + ".go")
		if err != nil {
			panic(fmt.Sprintf("claims: embedded style file: %v", err)) // the embed directive lists them all
		}
		styles[i].Source = string(b)
		styles[i].Lines = CodeLines(styles[i].Source)
	}
	return styles
}

// CodeLines counts the lines of code of a Go file's declarations: lines
// that are neither blank nor only a comment, leaving out the package
// clause, the imports and doc comments. A src that does not parse is
// counted line by line with the same rules, without leaving anything out.
func CodeLines(src string) int {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution)
	lines := strings.Split(src, "\n")
	if err != nil {
		return countCode(lines)
	}
	n := 0
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		from, to := fset.Position(d.Pos()).Line, fset.Position(d.End()).Line
		n += countCode(lines[from-1 : to])
	}
	return n
}

func countCode(lines []string) int {
	n := 0
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "//") {
			n++
		}
	}
	return n
}

// StyleRun is what running one style did.
type StyleRun struct {
	Style string `json:"style"`
	Model string `json:"model"`
	Lines int    `json:"lines"`
	// Requests is the job's number of concurrent requests.
	Requests int `json:"requests"`
	// Correct reports whether the answer was the job's Want.
	Correct bool `json:"correct"`
	// ElapsedNs is the wall-clock time of the run.
	ElapsedNs float64 `json:"elapsed_ns"`
	// ThreadsBefore is the process's OS thread count before the run, and
	// PeakThreads the most it had during the run, sampled every
	// millisecond. The runtime keeps idle threads for reuse, so the
	// threads a style needed are at most PeakThreads − ThreadsBefore more.
	ThreadsBefore int `json:"threads_before"`
	PeakThreads   int `json:"peak_threads"`
	// Err is the run's error, if any.
	Err string `json:"err,omitempty"`
}

// RunStyle runs s on job, checks its answer and samples the process's
// thread count while it runs.
func RunStyle(ctx context.Context, s Style, job Job) StyleRun {
	run := StyleRun{Style: s.Name, Model: s.Model, Lines: s.Lines, Requests: job.Requests}
	run.ThreadsBefore, _ = workload.Threads()
	peak := make(chan int)
	stop := make(chan struct{})
	go func() {
		// The sampler is a goroutine waiting on a timer: it holds no
		// thread while it waits, so it does not inflate the count.
		most := 0
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			if n, err := workload.Threads(); err == nil {
				most = max(most, n)
			}
			select {
			case <-stop:
				peak <- most
				return
			case <-t.C:
			}
		}
	}()
	start := time.Now()
	sum, err := s.Run(ctx, job)
	run.ElapsedNs = float64(time.Since(start))
	close(stop)
	run.PeakThreads = <-peak
	if err != nil {
		run.Err = err.Error()
		return run
	}
	run.Correct = sum == job.Want()
	return run
}

// CodeComplexity judges the row "Code complexity" from runs of the three
// styles (RunStyle of each of Styles): the claim, that plain blocking code
// is simpler than asynchronous code, holds when every style gave the right
// answer and the callback style took more lines than both blocking styles.
func CodeComplexity(runs []StyleRun) (Verdict, error) {
	by := map[string]StyleRun{}
	for _, r := range runs {
		by[r.Style] = r
	}
	for _, name := range []string{"goroutines", "threads", "callbacks"} {
		if _, ok := by[name]; !ok {
			return Verdict{}, fmt.Errorf("claims: code complexity: no run of the %q style", name)
		}
	}
	g, t, c := by["goroutines"], by["threads"], by["callbacks"]
	v := newVerdict(RowCodeComplexity, workload.CurrentEnv())
	v.Seed = []Figure{
		{Label: "threads", Text: "simpler: plain blocking code"},
		{Label: "async", Text: "needs an async runtime; coloured functions"},
	}
	v.Measured = []Figure{
		{Label: "threads", Value: float64(t.Lines), Unit: "lines (OS threads + locks)"},
		{Label: "async", Value: float64(c.Lines), Unit: "lines (callbacks + event loop)"},
		{Label: "goroutines", Value: float64(g.Lines), Unit: "lines (goroutines + channels)"},
	}
	for _, r := range []StyleRun{g, t, c} {
		v.Measured = append(v.Measured, Figure{Label: r.Style + ": run", Text: runText(r)})
	}
	allOK := g.Correct && t.Correct && c.Correct
	longer := c.Lines > g.Lines && c.Lines > t.Lines
	v.Holds = allOK && longer
	var b strings.Builder
	fmt.Fprintf(&b, "The same job took %d lines with goroutines and channels, %d with OS threads and locks, and %d with callbacks on an event loop. ", g.Lines, t.Lines, c.Lines)
	switch {
	case v.Holds:
		b.WriteString("The claim holds: the blocking styles are shorter and read top to bottom; the callback style splits the work into callbacks and needs a loop to run them. ")
	case !allOK:
		b.WriteString("The claim cannot be confirmed: not every style gave the right answer (see the runs). ")
	default:
		b.WriteString("The claim does not hold here: the callback style was not the longest. ")
	}
	fmt.Fprintf(&b, "Goroutine code is blocking code like thread code, yet its %d concurrent requests added %d OS threads, against %d for a thread each. Go has no function colouring: any function may block, so no separate async ecosystem is needed.",
		g.Requests, g.threadsAdded(), t.threadsAdded())
	v.Text = b.String()
	return v, nil
}

// threadsAdded is how many more OS threads the process had at the run's
// peak than before it.
func (r StyleRun) threadsAdded() int { return max(r.PeakThreads-r.ThreadsBefore, 0) }

func runText(r StyleRun) string {
	if r.Err != "" {
		return "failed: " + r.Err
	}
	verdict := "right answer"
	if !r.Correct {
		verdict = "WRONG answer"
	}
	return fmt.Sprintf("%s in %s, %d OS threads added", verdict, units.Duration(r.ElapsedNs), r.threadsAdded())
}
