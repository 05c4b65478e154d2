package worker

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/session"
	"github.com/goconc/goconc/kernel-ext/internal/workerproto"
)

// fakeEval stands in for the session: a cell is one command.
type fakeEval struct {
	opts session.Options
	pub  Publisher

	mu    sync.Mutex
	codes []string
	// release ends "grow stubbornly".
	release chan struct{}
}

func text(s string) *repl.Display { return &repl.Display{Data: map[string]any{"text/plain": s}} }

func (f *fakeEval) Execute(ctx context.Context, code string) repl.Result {
	f.mu.Lock()
	f.codes = append(f.codes, code)
	f.mu.Unlock()
	switch strings.TrimSpace(code) {
	case "block":
		<-ctx.Done()
		return repl.Result{Err: &repl.Error{Name: "Interrupted", Value: "interrupted"}}
	case "read":
		line, err := bufio.NewReader(f.opts.Stdin).ReadString('\n')
		if err != nil {
			return repl.Result{Err: &repl.Error{Name: "ReadError", Value: err.Error()}}
		}
		return repl.Result{Value: text(strings.TrimSuffix(line, "\n"))}
	case "read, ignoring the error":
		bufio.NewReader(f.opts.Stdin).ReadString('\n')
		return repl.Result{}
	case "display":
		f.pub.Display(repl.Display{Data: map[string]any{"text/plain": "shown"}})
		return repl.Result{}
	case "huge display":
		f.pub.Display(repl.Display{ID: "d1", Data: map[string]any{"text/html": strings.Repeat("x", MaxDisplay+1)}})
		return repl.Result{}
	case "grow":
		// Allocates until interrupted, as a goroutine bomb does.
		var hold [][]byte
		for ctx.Err() == nil {
			hold = append(hold, make([]byte, 1<<20))
			time.Sleep(5 * time.Millisecond)
		}
		runtime.KeepAlive(hold)
		return repl.Result{Err: &repl.Error{Name: "Interrupted", Value: "interrupted"}}
	case "grow stubbornly":
		// Allocates on after an interrupt, as a native call that ignores
		// its context; at most for 10 s.
		var hold [][]byte
		for start := time.Now(); time.Since(start) < 10*time.Second; {
			select {
			case <-f.release:
				runtime.KeepAlive(hold)
				return repl.Result{}
			case <-time.After(5 * time.Millisecond):
			}
			hold = append(hold, make([]byte, 1<<20))
		}
		return repl.Result{}
	case "huge panic":
		v := strings.Repeat("p", 10<<20)
		return repl.Result{Err: &repl.Error{Name: "panic", Value: v, Traceback: []string{"panic: " + v, "main()"}}}
	case "huge value":
		return repl.Result{Value: text(strings.Repeat("v", MaxDisplay+1))}
	}
	return repl.Result{Value: text("ok")}
}

func (f *fakeEval) lastCode() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.codes) == 0 {
		return ""
	}
	return f.codes[len(f.codes)-1]
}

func (f *fakeEval) Complete(code string, cursor int) repl.Completion {
	return repl.Completion{Matches: []string{"fake"}, CursorStart: cursor, CursorEnd: cursor}
}

func (f *fakeEval) Inspect(code string, cursor, detail int) repl.Inspection {
	if code == "nosuch.Name" {
		return repl.Inspection{}
	}
	return repl.Inspection{Found: true, Data: map[string]any{"text/plain": "doc of " + code}}
}

func (f *fakeEval) IsComplete(code string) repl.Completeness {
	return repl.Completeness{Status: "incomplete"}
}

func (f *fakeEval) Close() error { return nil }

// syncBuffer is a bytes.Buffer safe for the worker's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.b.String()
	b.b.Reset()
	return s
}

// harness runs Serve in-process over pipes.
type harness struct {
	t      *testing.T
	req    *io.PipeWriter
	events chan workerproto.Event
	stdout *syncBuffer
	eval   *fakeEval
	nextID uint64
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, Config{})
}

// newHarnessWith is newHarness with the limits of cfg.
func newHarnessWith(t *testing.T, cfg Config) *harness {
	t.Helper()
	reqR, reqW := io.Pipe()
	evR, evW := io.Pipe()
	h := &harness{t: t, req: reqW, events: make(chan workerproto.Event, 100), stdout: &syncBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, Config{
			Requests: reqR, Events: evW, Stdout: h.stdout, Stderr: io.Discard,
			MemoryLimit: cfg.MemoryLimit, MemoryLimitSource: cfg.MemoryLimitSource, Exit: cfg.Exit,
			NewEvaluator: func(opts session.Options, pub Publisher) (Evaluator, error) {
				h.eval = &fakeEval{opts: opts, pub: pub, release: make(chan struct{})}
				return h.eval, nil
			},
		})
	}()
	go func() {
		for {
			var ev workerproto.Event
			if err := workerproto.Decode(evR, &ev); err != nil {
				close(h.events)
				return
			}
			h.events <- ev
		}
	}()
	t.Cleanup(func() {
		reqW.Close()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
		cancel()
		evR.Close()
	})
	if ev := h.next(); ev.Kind != workerproto.EventReady || ev.Error != "" {
		t.Fatalf("first event: %+v, want ready", ev)
	}
	return h
}

func (h *harness) send(r workerproto.Request) uint64 {
	h.t.Helper()
	if r.ID == 0 && r.Op != workerproto.OpInterrupt && r.Op != workerproto.OpInputReply && r.Op != workerproto.OpAck {
		h.nextID++
		r.ID = h.nextID
	}
	if err := workerproto.Encode(h.req, r); err != nil {
		h.t.Fatal(err)
	}
	return r.ID
}

func (h *harness) next() workerproto.Event {
	h.t.Helper()
	select {
	case ev, ok := <-h.events:
		if !ok {
			h.t.Fatal("event stream ended")
		}
		if ev.Seq != 0 {
			// As the supervisor does once it has delivered the event.
			h.send(workerproto.Request{Op: workerproto.OpAck, Seq: ev.Seq})
		}
		return ev
	case <-time.After(10 * time.Second):
		h.t.Fatal("no event within 10 s")
	}
	return workerproto.Event{}
}

// run executes code and returns its result and what it printed.
func (h *harness) run(code string) (repl.Result, string) {
	h.t.Helper()
	id := h.send(workerproto.Request{Op: workerproto.OpExecute, Code: code})
	ev := h.next()
	if ev.Kind != workerproto.EventResult || ev.ID != id || ev.Result == nil {
		h.t.Fatalf("after execute %q: got event %+v, want its result", code, ev)
	}
	return *ev.Result, h.stdout.take()
}

func errName(r repl.Result) string {
	if r.Err == nil {
		return ""
	}
	return r.Err.Name
}

func TestMagicEnv(t *testing.T) {
	t.Setenv("GOCONC_WORKER_TEST", "")
	h := newHarness(t)
	res, out := h.run("%env GOCONC_WORKER_TEST=hello world")
	if res.Err != nil || !strings.Contains(out, "env: GOCONC_WORKER_TEST=hello world") {
		t.Errorf("%%env K=V: %+v, output %q", res.Err, out)
	}
	res, out = h.run("%env GOCONC_WORKER_TEST")
	if res.Err != nil || out != "GOCONC_WORKER_TEST=hello world\n" {
		t.Errorf("%%env K: %+v, output %q", res.Err, out)
	}
	res, out = h.run("%env")
	if res.Err != nil || !strings.Contains(out, "\nGOCONC_WORKER_TEST=hello world\n") && !strings.HasPrefix(out, "GOCONC_WORKER_TEST=") {
		t.Errorf("%%env: %+v, output %q", res.Err, out)
	}
	if res, _ := h.run("%env =x"); errName(res) != "MagicError" {
		t.Errorf("%%env =x: got %+v, want a MagicError", res)
	}
}

func TestMagicGOMAXPROCS(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	h := newHarness(t)
	for _, bad := range []string{"0", "-3", "100000", "two"} {
		res, _ := h.run("%gomaxprocs " + bad)
		if errName(res) != "MagicError" || !strings.Contains(res.Err.Value, "%gomaxprocs") {
			t.Errorf("%%gomaxprocs %s: got %+v, want a MagicError", bad, res)
		}
	}
	res, out := h.run("%gomaxprocs 1")
	if res.Err != nil || runtime.GOMAXPROCS(0) != 1 || !strings.HasPrefix(out, "GOMAXPROCS=1 ") {
		t.Errorf("%%gomaxprocs 1: %+v, GOMAXPROCS %d, output %q", res.Err, runtime.GOMAXPROCS(0), out)
	}
	res, out = h.run("%gomaxprocs")
	if res.Err != nil || !strings.HasPrefix(out, "GOMAXPROCS=1 ") {
		t.Errorf("%%gomaxprocs: %+v, output %q", res.Err, out)
	}
}

func TestMagicGoroutinesShowsStates(t *testing.T) {
	stop := make(chan struct{})
	defer close(stop)
	for range 7 {
		go func() { <-stop }()
	}
	h := newHarness(t)
	// The seven may not have reached their receive yet: ask again until
	// they have (or the deadline says they never will).
	var n int
	var states string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		_, out := h.run("%goroutines")
		var ok bool
		_, states, ok = strings.Cut(out, "by state: ")
		if !ok {
			t.Fatalf("%%goroutines: output %q, want the goroutines by state", out)
		}
		n = 0
		for _, part := range strings.Split(strings.TrimSpace(states), ", ") {
			if c, name, _ := strings.Cut(part, " "); name == "chan receive" {
				n, _ = strconv.Atoi(c)
			}
		}
		if n >= 7 || time.Now().After(deadline) {
			break
		}
	}
	if n < 7 {
		t.Errorf("%%goroutines: %d in chan receive, want at least 7: %q", n, states)
	}
}

func TestMagicGoroutinesAndHelp(t *testing.T) {
	h := newHarness(t)
	res, out := h.run("%goroutines")
	if res.Err != nil || !strings.Contains(out, "goroutines: ") || !strings.Contains(out, "OS threads: ") || strings.Contains(out, "unknown") {
		t.Errorf("%%goroutines: %+v, output %q", res.Err, out)
	}
	res, out = h.run("%help")
	for _, m := range []string{"%env", "%gomaxprocs", "%goroutines", "%restart", "%help"} {
		if res.Err != nil || !strings.Contains(out, m) {
			t.Errorf("%%help: %+v, output %q lacks %s", res.Err, out, m)
		}
	}
	if res, _ := h.run("%nosuch"); errName(res) != "MagicError" {
		t.Errorf("%%nosuch: got %+v, want a MagicError", res)
	}
	if res, _ := h.run("x\n%restart"); errName(res) != "" {
		t.Errorf("a %% line after Go code is Go, not a magic: got %+v", res)
	}
	if res, _ := h.run("%env\n%restart"); errName(res) != "MagicError" {
		t.Errorf("%%restart on a later line: got %+v, want a MagicError", res)
	}
}

func TestMagicThenGo(t *testing.T) {
	t.Setenv("GOCONC_WORKER_TEST", "")
	h := newHarness(t)
	res, _ := h.run("%env GOCONC_WORKER_TEST=1\n\n%goroutines\nfmt.Println(1)\n%x")
	if res.Err != nil || res.Value == nil {
		t.Fatalf("got %+v, want the Go part run", res)
	}
	code := h.eval.lastCode()
	if want := "\n\n\nfmt.Println(1)\n%x"; strings.ReplaceAll(code, " ", "") != want || len([]rune(code)) != len([]rune("%env GOCONC_WORKER_TEST=1\n\n%goroutines\nfmt.Println(1)\n%x")) {
		t.Errorf("the session got %q, want the magic lines blanked in place", code)
	}
	// A cell of magics only does not reach the session.
	h.run("%goroutines")
	if h.eval.lastCode() != code {
		t.Error("a magic-only cell reached the session")
	}
}

func TestInterruptAndConcurrentIntrospection(t *testing.T) {
	h := newHarness(t)
	id := h.send(workerproto.Request{Op: workerproto.OpExecute, Code: "block"})
	cid := h.send(workerproto.Request{Op: workerproto.OpComplete, Code: "fm", Cursor: 2})
	ev := h.next()
	if ev.Kind != workerproto.EventCompletion || ev.ID != cid || ev.Completion == nil || ev.Completion.Matches[0] != "fake" {
		t.Fatalf("complete while a cell runs: got %+v", ev)
	}
	iid := h.send(workerproto.Request{Op: workerproto.OpIsComplete, Code: "%env\nfor {"})
	if ev := h.next(); ev.Kind != workerproto.EventCompleteness || ev.ID != iid || ev.Completeness.Status != "incomplete" {
		t.Fatalf("is_complete while a cell runs: got %+v", ev)
	}
	h.send(workerproto.Request{Op: workerproto.OpInterrupt, Target: id})
	if ev := h.next(); ev.Kind != workerproto.EventResult || ev.ID != id || errName(*ev.Result) != "Interrupted" {
		t.Fatalf("after interrupt: got %+v", ev)
	}
	// Interrupt while idle is harmless.
	h.send(workerproto.Request{Op: workerproto.OpInterrupt})
	if res, _ := h.run("1"); res.Err != nil {
		t.Errorf("cell after interrupt: %+v", res.Err)
	}
}

func TestCompleteMagicNames(t *testing.T) {
	h := newHarness(t)
	id := h.send(workerproto.Request{Op: workerproto.OpComplete, Code: "%go 4\nx", Cursor: 3})
	ev := h.next()
	if ev.ID != id || ev.Completion == nil {
		t.Fatalf("got %+v", ev)
	}
	c := ev.Completion
	if strings.Join(c.Matches, " ") != "%gomaxprocs %goroutines" || c.CursorStart != 0 || c.CursorEnd != 3 {
		t.Errorf("completion of %%go: %+v", c)
	}
	id = h.send(workerproto.Request{Op: workerproto.OpComplete, Code: "%env\nfm", Cursor: 7})
	if ev := h.next(); ev.ID != id || ev.Completion.Matches[0] != "fake" {
		t.Errorf("completion in the Go part: %+v", ev)
	}
}

func TestInput(t *testing.T) {
	h := newHarness(t)
	id := h.send(workerproto.Request{Op: workerproto.OpExecute, Code: "read", AllowStdin: true})
	ev := h.next()
	if ev.Kind != workerproto.EventInputRequest || ev.ID != id {
		t.Fatalf("got %+v, want an input request", ev)
	}
	h.send(workerproto.Request{Op: workerproto.OpInputReply, Target: id, Text: "hello"})
	ev = h.next()
	if ev.Kind != workerproto.EventResult || ev.Result.Value == nil || ev.Result.Value.Data["text/plain"] != "hello" {
		t.Fatalf("got %+v, want the line read", ev)
	}

	res, _ := h.run("read")
	if errName(res) != "ReadError" || !strings.Contains(res.Err.Value, "does not accept input") {
		t.Errorf("read without allow_stdin: %+v", res)
	}
	// A cell that drops the read's error still fails, saying why.
	res, _ = h.run("read, ignoring the error")
	if errName(res) != "StdinNotAllowed" || !strings.Contains(res.Err.Value, "allow_stdin is false") {
		t.Errorf("ignored read without allow_stdin: %+v", res)
	}
	if res, _ := h.run("1"); res.Err != nil {
		t.Errorf("the next cell: %+v", res.Err)
	}
}

func TestMagicDoc(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		code, page, err string
	}{
		{code: "%doc strings.Split", page: "doc of strings.Split"},
		{code: "%doc nosuch.Name", err: "no documentation found for nosuch.Name"},
		{code: "%doc", err: "want one name"},
		{code: "%doc a b", err: "want one name"},
	} {
		res, _ := h.run(tc.code)
		if tc.err != "" {
			if errName(res) != "MagicError" || !strings.Contains(res.Err.Value, tc.err) {
				t.Errorf("%s: got %+v, want a MagicError with %q", tc.code, res, tc.err)
			}
			continue
		}
		if res.Err != nil || res.Page["text/plain"] != tc.page {
			t.Errorf("%s: got %+v, want page %q", tc.code, res, tc.page)
		}
	}
}

func TestDisplayAttributedToCell(t *testing.T) {
	h := newHarness(t)
	id := h.send(workerproto.Request{Op: workerproto.OpExecute, Code: "display"})
	ev := h.next()
	if ev.Kind != workerproto.EventDisplay || ev.ID != id || ev.Display.Data["text/plain"] != "shown" {
		t.Fatalf("got %+v, want the display of cell %d", ev, id)
	}
	if ev := h.next(); ev.Kind != workerproto.EventResult || ev.ID != id {
		t.Fatalf("got %+v, want the result", ev)
	}
	// While idle a display has no cell: dropped, not sent.
	h.eval.pub.Display(repl.Display{Data: map[string]any{"text/plain": "late"}})
	if res, _ := h.run("1"); res.Err != nil {
		t.Fatal(res.Err)
	}
}

func TestInterruptWhileWaitingForInput(t *testing.T) {
	h := newHarness(t)
	id := h.send(workerproto.Request{Op: workerproto.OpExecute, Code: "read, ignoring the error", AllowStdin: true})
	if ev := h.next(); ev.Kind != workerproto.EventInputRequest || ev.ID != id {
		t.Fatalf("got %+v, want an input request", ev)
	}
	h.send(workerproto.Request{Op: workerproto.OpInterrupt, Target: id})
	ev := h.next()
	if ev.Kind != workerproto.EventResult || errName(*ev.Result) != "Interrupted" {
		t.Fatalf("got %+v, want an Interrupted result", ev)
	}
	if res, _ := h.run("1"); res.Err != nil {
		t.Errorf("the next cell: %+v", res.Err)
	}
}

func TestOversizedOutputsAreReplaced(t *testing.T) {
	h := newHarness(t)
	id := h.send(workerproto.Request{Op: workerproto.OpExecute, Code: "huge display"})
	ev := h.next()
	if ev.Kind != workerproto.EventDisplay || ev.ID != id {
		t.Fatalf("got %+v, want the display", ev)
	}
	note, _ := ev.Display.Data["text/plain"].(string)
	if len(ev.Display.Data) != 1 || !strings.Contains(note, "not shown") || !strings.Contains(note, "text/html") || ev.Display.ID != "d1" {
		t.Errorf("huge display sent as %d bytes %q (id %q), want a note keeping the id", bundleSize(ev.Display.Data), note[:min(len(note), 200)], ev.Display.ID)
	}
	if ev := h.next(); ev.Kind != workerproto.EventResult || ev.ID != id {
		t.Fatalf("got %+v, want the result", ev)
	}
	res, _ := h.run("huge value")
	if res.Err != nil || res.Value == nil {
		t.Fatalf("huge value: %+v", res)
	}
	if note, _ := res.Value.Data["text/plain"].(string); len(note) > 1000 || !strings.Contains(note, "the cell's value") {
		t.Errorf("huge value sent as %d bytes, want a note", len(note))
	}
}

func TestHugeErrorIsCut(t *testing.T) {
	h := newHarness(t)
	res, _ := h.run("huge panic")
	if errName(res) != "panic" || len(res.Err.Value) > maxErrorText+100 || !strings.Contains(res.Err.Value, "not shown") {
		t.Fatalf("value of %d bytes, want it cut with a note", len(res.Err.Value))
	}
	if len(res.Err.Traceback) != 2 || len(res.Err.Traceback[0]) > maxErrorText+100 || res.Err.Traceback[1] != "main()" {
		t.Errorf("traceback of %d lines, first of %d bytes, want 2 lines, the first cut", len(res.Err.Traceback), len(res.Err.Traceback[0]))
	}
}

func TestMemoryGuardStopsTheCell(t *testing.T) {
	// Any worker uses more than one byte: the guard stops the first cell
	// that adds memory.
	h := newHarnessWith(t, Config{MemoryLimit: 1, MemoryLimitSource: "the test's limit"})
	res, _ := h.run("grow")
	if errName(res) != "MemoryLimit" || !strings.Contains(res.Err.Value, "the test's limit") || !strings.Contains(res.Err.Value, "stay defined") {
		t.Fatalf("got %+v, want a MemoryLimit error naming the limit", res)
	}
}

func TestMemoryGuardEndsAWorkerThatGrowsOn(t *testing.T) {
	exited := make(chan int, 1)
	h := newHarnessWith(t, Config{MemoryLimit: 1, MemoryLimitSource: "the test's limit", Exit: func(code int) { exited <- code }})
	id := h.send(workerproto.Request{Op: workerproto.OpExecute, Code: "grow stubbornly"})
	select {
	case code := <-exited:
		if code == 0 {
			t.Errorf("exit code 0, want a failure")
		}
	case <-time.After(8 * time.Second):
		t.Fatal("the guard did not end the worker")
	}
	close(h.eval.release)
	if ev := h.next(); ev.Kind != workerproto.EventResult || ev.ID != id || errName(*ev.Result) != "MemoryLimit" {
		t.Fatalf("got %+v, want the MemoryLimit result", ev)
	}
}

func TestMemoryGuardSparesACellThatAddsNothing(t *testing.T) {
	// Above the limit from the start, a cell that does not grow the
	// worker is not blamed for memory it did not take.
	h := newHarnessWith(t, Config{MemoryLimit: 1, MemoryLimitSource: "the test's limit"})
	id := h.send(workerproto.Request{Op: workerproto.OpExecute, Code: "block"})
	time.Sleep(5 * guardInterval)
	h.send(workerproto.Request{Op: workerproto.OpInterrupt, Target: id})
	if ev := h.next(); ev.Kind != workerproto.EventResult || errName(*ev.Result) != "Interrupted" {
		t.Fatalf("got %+v, want the interrupt's result", ev)
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "1048576", want: 1 << 20},
		{in: "300MiB", want: 300 << 20},
		{in: "2GiB", want: 2 << 30},
		{in: "1.5 GiB", want: 3 << 29},
		{in: "512K", want: 512 << 10},
		{in: "1GB", want: 1e9},
		{in: "", bad: true},
		{in: "lots", bad: true},
		{in: "-1MiB", bad: true},
		{in: "0", bad: true},
	} {
		got, err := parseSize(tc.in)
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("parseSize(%q) = %d, %v; want %d (error %v)", tc.in, got, err, tc.want, tc.bad)
		}
	}
}

func TestMemoryLimitFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env   string
		want  int64
		isErr bool
	}{
		{env: "256MiB", want: 256 << 20},
		{env: "off", want: 0},
		{env: "many", isErr: true},
	} {
		t.Setenv(MemoryLimitEnv, tc.env)
		got, source, err := MemoryLimit()
		if (err != nil) != tc.isErr || got != tc.want {
			t.Errorf("%s=%s: got %d (%s), %v", MemoryLimitEnv, tc.env, got, source, err)
		}
	}
	t.Setenv(MemoryLimitEnv, "")
	if got, source, err := MemoryLimit(); err != nil || got <= 0 || !strings.Contains(source, "half") {
		t.Errorf("default: got %d (%s), %v; want half the available memory", got, source, err)
	}
}
