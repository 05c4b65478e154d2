package supervisor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/session"
)

// record is a repl.Output that keeps what it receives, in order.
type record struct {
	mu      sync.Mutex
	items   []string // "stdout:text", "stderr:text", "display:text", "clear"
	input   string
	inputs  int
	printed chan struct{} // closed at the first Stream
	once    sync.Once
}

func newRecord() *record { return &record{printed: make(chan struct{})} }

func (r *record) add(s string) {
	r.mu.Lock()
	r.items = append(r.items, s)
	r.mu.Unlock()
}

func (r *record) Stream(name, text string) {
	r.add(name + ":" + text)
	r.once.Do(func() { close(r.printed) })
}

func (r *record) Display(d repl.Display) { r.add(fmt.Sprint("display:", d.Data["text/plain"])) }

func (r *record) ClearOutput(wait bool) { r.add("clear") }

func (r *record) Input(ctx context.Context, prompt string, password bool) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inputs++
	return r.input, nil
}

func (r *record) all() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.items...)
}

// joined is the text of one stream, all Stream calls together.
func (r *record) joined(name string) string {
	var b strings.Builder
	for _, it := range r.all() {
		if t, ok := strings.CutPrefix(it, name+":"); ok {
			b.WriteString(t)
		}
	}
	return b.String()
}

func newSupervisor(t *testing.T, mode string, opts Options) *Supervisor {
	t.Helper()
	opts.Command = []string{os.Args[0]}
	opts.Env = append(opts.Env, workerEnv+"="+mode)
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func run(t *testing.T, s *Supervisor, code string) (repl.Result, *record) {
	t.Helper()
	out := newRecord()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := s.Execute(ctx, code, repl.ExecuteOptions{AllowStdin: true}, out)
	if err != nil {
		t.Fatalf("Execute(%q): %v", code, err)
	}
	return res, out
}

func value(r repl.Result) string {
	if r.Value == nil {
		return ""
	}
	return fmt.Sprint(r.Value.Data["text/plain"])
}

func wantValue(t *testing.T, r repl.Result, want string) {
	t.Helper()
	if r.Err != nil {
		t.Fatalf("cell failed: %s: %s\n%s", r.Err.Name, r.Err.Value, strings.Join(r.Err.Traceback, "\n"))
	}
	if got := value(r); got != want {
		t.Fatalf("value %q, want %q", got, want)
	}
}

func TestFakeExecuteAndOrder(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	res, _ := run(t, s, "value 2")
	wantValue(t, res, "2")

	res, out := run(t, s, "print a\ndisplay d\nprint b\ndisplay e\neprint e1\nprint c\nvalue v")
	wantValue(t, res, "v")
	var stdoutAndDisplays []string
	for _, it := range out.all() {
		if !strings.HasPrefix(it, "stderr:") {
			stdoutAndDisplays = append(stdoutAndDisplays, it)
		}
	}
	want := []string{"stdout:a\n", "display:d", "stdout:b\n", "display:e", "stdout:c\n"}
	if fmt.Sprint(stdoutAndDisplays) != fmt.Sprint(want) {
		t.Errorf("output %q, want %q", stdoutAndDisplays, want)
	}
	if got := out.joined("stderr"); got != "e1\n" {
		t.Errorf("stderr %q, want %q", got, "e1\n")
	}
}

func TestFakeStreaming(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	res, out := run(t, s, "print 1\nsleep 300\nprint 2\nsleep 300\nprint 3")
	wantValue(t, res, "")
	want := []string{"stdout:1\n", "stdout:2\n", "stdout:3\n"}
	if got := out.all(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Stream calls %q, want %q", got, want)
	}
}

func TestFakeGoroutinePanic(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	run(t, s, "set x=1")
	res, out := run(t, s, "print before\ngopanic boom")
	if res.Err == nil || res.Err.Name != "WorkerCrashed" || !strings.Contains(res.Err.Value, "panic: boom") ||
		!strings.Contains(res.Err.Value, "were lost") {
		t.Fatalf("got %+v, want a WorkerCrashed error quoting the panic", res.Err)
	}
	if tb := strings.Join(res.Err.Traceback, "\n"); !strings.Contains(tb, "goroutine ") {
		t.Errorf("traceback %q lacks the goroutine's stack", tb)
	}
	if got := out.joined("stdout"); got != "before\n" {
		t.Errorf("stdout %q, want %q", got, "before\n")
	}
	if got := out.joined("stderr"); strings.Contains(got, "panic") || strings.Contains(got, "goroutine") {
		t.Errorf("the crash report was streamed as stderr: %q", got)
	}
	res, _ = run(t, s, "get x")
	wantValue(t, res, "")
	res, _ = run(t, s, "value after")
	wantValue(t, res, "after")
}

func TestFakeFatalError(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	res, out := run(t, s, "fatal")
	if res.Err == nil || res.Err.Name != "WorkerCrashed" || !strings.Contains(res.Err.Value, "fatal error: thread exhaustion") {
		t.Fatalf("got %+v, want WorkerCrashed quoting the fatal error", res.Err)
	}
	t.Logf("crash: %s", strings.Join(res.Err.Traceback, "\n"))
	if got := out.joined("stderr"); got != "" {
		t.Errorf("stderr %q, want the report kept out of the stream", got)
	}
	res, _ = run(t, s, "value ok")
	wantValue(t, res, "ok")
}

func TestFakeStderrLooksLikePanic(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	res, out := run(t, s, "eprint panic: not really\nvalue ok")
	wantValue(t, res, "ok")
	if got := out.joined("stderr"); got != "panic: not really\n" {
		t.Errorf("stderr %q, want the line released to the cell", got)
	}
}

func TestFakeRestartEnv(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	run(t, s, "set x=1")
	res, out := run(t, s, "%restart FOO=bar\ngetenv FOO")
	wantValue(t, res, "bar")
	if !strings.Contains(out.joined("stdout"), "FOO=bar") {
		t.Errorf("stdout %q does not tell of the restart", out.joined("stdout"))
	}
	res, _ = run(t, s, "get x")
	wantValue(t, res, "")
	res, _ = run(t, s, "%restart bad")
	if res.Err == nil || res.Err.Name != "MagicError" {
		t.Errorf("%%restart bad: got %+v, want a MagicError", res.Err)
	}
	if err := s.Restart(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	res, _ = run(t, s, "getenv FOO")
	wantValue(t, res, "")
}

// runInterrupted starts code, interrupts it once it has printed, and
// returns its result.
func runInterrupted(t *testing.T, s *Supervisor, code string) repl.Result {
	t.Helper()
	out := newRecord()
	done := make(chan repl.Result, 1)
	go func() {
		res, err := s.Execute(context.Background(), code, repl.ExecuteOptions{}, out)
		if err != nil {
			t.Error(err)
		}
		done <- res
	}()
	select {
	case <-out.printed:
	case <-time.After(20 * time.Second):
		t.Fatal("the cell printed nothing")
	}
	// Twice in a row, as an impatient user does.
	for range 2 {
		if err := s.Interrupt(); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case res := <-done:
		return res
	case <-time.After(20 * time.Second):
		t.Fatal("the interrupted cell did not return")
	}
	return repl.Result{}
}

func TestFakeInterrupt(t *testing.T) {
	s := newSupervisor(t, "fake", Options{InterruptGrace: 500 * time.Millisecond})
	if err := s.Interrupt(); err != nil {
		t.Fatalf("interrupt while idle: %v", err)
	}
	run(t, s, "set x=1")
	res := runInterrupted(t, s, "print started\nblock")
	if res.Err == nil || res.Err.Name != "Interrupted" {
		t.Fatalf("got %+v, want the cell's own interrupt error", res.Err)
	}
	res, _ = run(t, s, "get x")
	wantValue(t, res, "1")

	// A cell that ignores the interrupt costs the worker.
	res = runInterrupted(t, s, "print started\nhang")
	if res.Err == nil || res.Err.Name != "WorkerKilled" || !strings.Contains(res.Err.Value, "were lost") {
		t.Fatalf("got %+v, want WorkerKilled", res.Err)
	}
	res, _ = run(t, s, "get x")
	wantValue(t, res, "")
}

func TestFakeInput(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	out := newRecord()
	out.input = "hello"
	res, err := s.Execute(context.Background(), "input", repl.ExecuteOptions{AllowStdin: true}, out)
	if err != nil {
		t.Fatal(err)
	}
	wantValue(t, res, "hello")
	res, err = s.Execute(context.Background(), "input", repl.ExecuteOptions{}, newRecord())
	if err != nil {
		t.Fatal(err)
	}
	if res.Err == nil || !strings.Contains(res.Err.Value, "does not accept input") {
		t.Errorf("input without allow_stdin: got %+v", res.Err)
	}
}

func TestFakeIntrospectionWhileBusy(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	out := newRecord()
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Execute(context.Background(), "print started\nblock", repl.ExecuteOptions{}, out)
	}()
	<-out.printed
	ctx := context.Background()
	c, err := s.Complete(ctx, "x", 1)
	if err != nil || len(c.Matches) != 1 || c.Matches[0] != "scripted" {
		t.Errorf("Complete while busy: %+v, %v", c, err)
	}
	in, err := s.Inspect(ctx, "x", 1, 0)
	if err != nil || !in.Found {
		t.Errorf("Inspect while busy: %+v, %v", in, err)
	}
	ic, err := s.IsComplete(ctx, "x")
	if err != nil || ic.Status != "complete" {
		t.Errorf("IsComplete while busy: %+v, %v", ic, err)
	}
	s.Interrupt()
	<-done

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = s.Complete(ctx, "x", 1)
	if err != nil || len(c.Matches) != 0 {
		t.Errorf("Complete after Close: %+v, %v; want an empty answer", c, err)
	}
	if _, err := s.Execute(ctx, "value 1", repl.ExecuteOptions{}, newRecord()); !errors.Is(err, ErrClosed) {
		t.Errorf("Execute after Close: %v, want ErrClosed", err)
	}
}

// needSession skips a test of the real session while package session is
// still the stub.
func needSession(t *testing.T) {
	t.Helper()
	s, err := session.New(session.Options{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: strings.NewReader("")})
	if err != nil {
		if strings.Contains(err.Error(), "not implemented yet") {
			t.Skip("package session is still the stub (session.New: not implemented yet)")
		}
		t.Fatal(err)
	}
	s.Close()
}

func TestSessionEndToEnd(t *testing.T) {
	needSession(t)
	s := newSupervisor(t, "session", Options{})

	res, _ := run(t, s, "1+1")
	wantValue(t, res, "2")

	c, err := s.Complete(context.Background(), "import \"fmt\"\nfmt.Prin", 20)
	if err != nil || !strings.Contains(strings.Join(c.Matches, " "), "Println") {
		t.Errorf("completion of fmt.Prin: %+v, %v", c, err)
	}

	res, out := run(t, s, "import \"fmt\"\nfmt.Println(\"a\")\nfmt.Println(\"b\")\n40+2")
	wantValue(t, res, "42")
	if got := out.joined("stdout"); got != "a\nb\n" {
		t.Errorf("stdout %q, want %q", got, "a\nb\n")
	}

	res, out = run(t, s, "import (\n\t\"fmt\"\n\t\"time\"\n)\nfor i := 1; i <= 3; i++ {\n\tfmt.Println(i)\n\ttime.Sleep(300 * time.Millisecond)\n}")
	if res.Err != nil {
		t.Fatalf("streaming cell: %+v", res.Err)
	}
	if got, want := out.all(), []string{"stdout:1\n", "stdout:2\n", "stdout:3\n"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Stream calls %q, want %q", got, want)
	}

	res, out = run(t, s, "import (\n\t\"fmt\"\n\t\"github.com/goconc/goconc/kernel-ext/display\"\n)\nfmt.Println(\"a\")\ndisplay.Text(\"d\")\nfmt.Println(\"b\")\ndisplay.Text(\"e\")")
	if res.Err != nil {
		t.Fatalf("display cell: %+v", res.Err)
	}
	if got, want := out.all(), []string{"stdout:a\n", "display:d", "stdout:b\n", "display:e"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("output %q, want %q", got, want)
	}

	res, out = run(t, s, "%env GOCONC_SUP_TEST=42\n%goroutines\nimport \"os\"\nos.Getenv(\"GOCONC_SUP_TEST\")")
	if res.Err != nil || !strings.Contains(value(res), "42") || !strings.Contains(out.joined("stdout"), "goroutines: ") {
		t.Errorf("magics then Go: %+v, stdout %q", res, out.joined("stdout"))
	}

	out = newRecord()
	out.input = "hello"
	res, err = s.Execute(context.Background(), "import \"fmt\"\nvar line string\nfmt.Scanln(&line)\nline", repl.ExecuteOptions{AllowStdin: true}, out)
	if err != nil {
		t.Fatal(err)
	}
	if res.Err != nil || !strings.Contains(value(res), "hello") {
		t.Errorf("input: got %+v, want hello", res)
	}
}

func TestSessionCrashInterruptRestart(t *testing.T) {
	needSession(t)
	s := newSupervisor(t, "session", Options{})

	res, _ := run(t, s, "x := 41")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	res = runInterrupted(t, s, "import \"fmt\"\nfmt.Println(\"looping\")\nfor {\n}")
	if res.Err == nil || res.Err.Name == "WorkerKilled" {
		t.Fatalf("interrupt of for {}: got %+v, want the cell's interrupt error", res.Err)
	}
	res, _ = run(t, s, "x + 1")
	wantValue(t, res, "42")

	res, out := run(t, s, "import \"time\"\ngo func() { panic(\"boom\") }()\ntime.Sleep(5 * time.Second)")
	if res.Err == nil || res.Err.Name != "WorkerCrashed" || !strings.Contains(res.Err.Value, "boom") {
		t.Fatalf("goroutine panic: got %+v, want WorkerCrashed with boom", res.Err)
	}
	t.Logf("crash: %s\n%s", res.Err.Value, strings.Join(res.Err.Traceback, "\n"))
	// Not "no stderr at all": under -race the worker may print a race
	// report of the interpreter's.
	if got := out.joined("stderr"); strings.Contains(got, "panic: boom") {
		t.Errorf("stderr of the crashed cell: %q, want the crash report only in the error", got)
	}
	res, _ = run(t, s, "1+1")
	wantValue(t, res, "2")

	res, _ = run(t, s, "%restart FOO=bar")
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	res, _ = run(t, s, "import \"os\"\nos.Getenv(\"FOO\")")
	if res.Err != nil || !strings.Contains(value(res), "bar") {
		t.Errorf("after %%restart FOO=bar: got %+v", res)
	}
}

func TestFakeOutputOfFinishedCells(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	res, _ := run(t, s, "later 100 print from the past\nvalue 1")
	wantValue(t, res, "1")
	time.Sleep(500 * time.Millisecond)
	res, out := run(t, s, "print now")
	wantValue(t, res, "")
	got := out.joined("stdout")
	if !strings.Contains(got, "from the past\n") || !strings.Contains(got, "no cell was running") || !strings.HasSuffix(got, "now\n") {
		t.Errorf("stdout %q, want the earlier goroutine's line marked, then the cell's", got)
	}

	// A crash while idle is told to the next cell.
	res, _ = run(t, s, "later 100 gopanic idle boom\nvalue 1")
	wantValue(t, res, "1")
	time.Sleep(2 * time.Second)
	res, out = run(t, s, "value 2")
	wantValue(t, res, "2")
	if got := out.joined("stderr"); !strings.Contains(got, "died while no cell was running: panic: idle boom") {
		t.Errorf("stderr %q, want a note about the crash", got)
	}
}

func TestFakeOutputCap(t *testing.T) {
	s := newSupervisor(t, "fake", Options{MaxOutput: 1 << 20})
	res, out := run(t, s, "spam 3000000\nvalue done")
	wantValue(t, res, "done")
	got := out.joined("stdout")
	if n := strings.Count(got, "x"); n != 1<<20 || !strings.Contains(got, "output truncated") {
		t.Errorf("got %d x and %q at the end, want 1 MiB and a note", n, got[max(len(got)-120, 0):])
	}
	res, out = run(t, s, "print next")
	wantValue(t, res, "")
	if got := out.joined("stdout"); got != "next\n" {
		t.Errorf("next cell: %q", got)
	}
}

func TestFakeDefaultOutputCapCutsATenMegabyteLine(t *testing.T) {
	// The default bound protects the front end from one huge line.
	s := newSupervisor(t, "fake", Options{})
	res, out := run(t, s, fmt.Sprintf("spam %d\nvalue done", 10<<20))
	wantValue(t, res, "done")
	got := out.joined("stdout")
	if n := strings.Count(got, "x"); n >= 10<<20 || n < 1<<20 || !strings.Contains(got, "output truncated") {
		t.Errorf("got %d x and %q at the end, want fewer than 10 MiB and a note", n, got[max(len(got)-120, 0):])
	}
}

func TestFakeRestartAndCloseWhileRunning(t *testing.T) {
	s := newSupervisor(t, "fake", Options{})
	for _, c := range []struct {
		stop func() error
		want string
	}{
		{func() error { return s.Restart(context.Background(), []string{"A=1"}) }, "WorkerRestarted"},
		{s.Close, "WorkerClosed"},
	} {
		out := newRecord()
		done := make(chan repl.Result, 1)
		go func() {
			res, _ := s.Execute(context.Background(), "print started\nhang", repl.ExecuteOptions{}, out)
			done <- res
		}()
		<-out.printed
		if err := c.stop(); err != nil {
			t.Fatal(err)
		}
		select {
		case res := <-done:
			if res.Err == nil || res.Err.Name != c.want {
				t.Errorf("got %+v, want %s", res.Err, c.want)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the running cell did not return")
		}
		if c.want == "WorkerRestarted" {
			res, _ := run(t, s, "getenv A")
			wantValue(t, res, "1")
		}
	}
}

// BenchmarkExecuteTrivial measures a trivial cell's round trip through the
// worker.
func BenchmarkExecuteTrivial(b *testing.B) {
	s, err := New(Options{Command: []string{os.Args[0]}, Env: []string{workerEnv + "=session"}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	out := newRecord()
	if res, err := s.Execute(ctx, "1+1", repl.ExecuteOptions{}, out); err != nil || res.Err != nil {
		b.Skipf("no working session: %v %+v", err, res.Err)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Execute(ctx, "1+1", repl.ExecuteOptions{}, out); err != nil {
			b.Fatal(err)
		}
	}
}
