package worker

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goconc/goconc/kernel-ext/repl"
	"github.com/goconc/goconc/kernel-ext/session"
)

// fakeEval stands in for the session: a cell is one command.
type fakeEval struct {
	opts session.Options
	pub  Publisher

	mu    sync.Mutex
	codes []string
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
	events chan Event
	stdout *syncBuffer
	eval   *fakeEval
	nextID uint64
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	reqR, reqW := io.Pipe()
	evR, evW := io.Pipe()
	h := &harness{t: t, req: reqW, events: make(chan Event, 100), stdout: &syncBuffer{}}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, Config{
			Requests: reqR, Events: evW, Stdout: h.stdout, Stderr: io.Discard,
			NewEvaluator: func(opts session.Options, pub Publisher) (Evaluator, error) {
				h.eval = &fakeEval{opts: opts, pub: pub}
				return h.eval, nil
			},
		})
	}()
	go func() {
		for {
			var ev Event
			if err := Decode(evR, &ev); err != nil {
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
	if ev := h.next(); ev.Kind != EventReady || ev.Error != "" {
		t.Fatalf("first event: %+v, want ready", ev)
	}
	return h
}

func (h *harness) send(r Request) uint64 {
	h.t.Helper()
	if r.ID == 0 && r.Op != OpInterrupt && r.Op != OpInputReply && r.Op != OpAck {
		h.nextID++
		r.ID = h.nextID
	}
	if err := Encode(h.req, r); err != nil {
		h.t.Fatal(err)
	}
	return r.ID
}

func (h *harness) next() Event {
	h.t.Helper()
	select {
	case ev, ok := <-h.events:
		if !ok {
			h.t.Fatal("event stream ended")
		}
		if ev.Seq != 0 {
			// As the supervisor does once it has delivered the event.
			h.send(Request{Op: OpAck, Seq: ev.Seq})
		}
		return ev
	case <-time.After(10 * time.Second):
		h.t.Fatal("no event within 10 s")
	}
	return Event{}
}

// run executes code and returns its result and what it printed.
func (h *harness) run(code string) (repl.Result, string) {
	h.t.Helper()
	id := h.send(Request{Op: OpExecute, Code: code})
	ev := h.next()
	if ev.Kind != EventResult || ev.ID != id || ev.Result == nil {
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
	id := h.send(Request{Op: OpExecute, Code: "block"})
	cid := h.send(Request{Op: OpComplete, Code: "fm", Cursor: 2})
	ev := h.next()
	if ev.Kind != EventCompletion || ev.ID != cid || ev.Completion == nil || ev.Completion.Matches[0] != "fake" {
		t.Fatalf("complete while a cell runs: got %+v", ev)
	}
	iid := h.send(Request{Op: OpIsComplete, Code: "%env\nfor {"})
	if ev := h.next(); ev.Kind != EventCompleteness || ev.ID != iid || ev.Completeness.Status != "incomplete" {
		t.Fatalf("is_complete while a cell runs: got %+v", ev)
	}
	h.send(Request{Op: OpInterrupt, Target: id})
	if ev := h.next(); ev.Kind != EventResult || ev.ID != id || errName(*ev.Result) != "Interrupted" {
		t.Fatalf("after interrupt: got %+v", ev)
	}
	// Interrupt while idle is harmless.
	h.send(Request{Op: OpInterrupt})
	if res, _ := h.run("1"); res.Err != nil {
		t.Errorf("cell after interrupt: %+v", res.Err)
	}
}

func TestCompleteMagicNames(t *testing.T) {
	h := newHarness(t)
	id := h.send(Request{Op: OpComplete, Code: "%go 4\nx", Cursor: 3})
	ev := h.next()
	if ev.ID != id || ev.Completion == nil {
		t.Fatalf("got %+v", ev)
	}
	c := ev.Completion
	if strings.Join(c.Matches, " ") != "%gomaxprocs %goroutines" || c.CursorStart != 0 || c.CursorEnd != 3 {
		t.Errorf("completion of %%go: %+v", c)
	}
	id = h.send(Request{Op: OpComplete, Code: "%env\nfm", Cursor: 7})
	if ev := h.next(); ev.ID != id || ev.Completion.Matches[0] != "fake" {
		t.Errorf("completion in the Go part: %+v", ev)
	}
}

func TestInput(t *testing.T) {
	h := newHarness(t)
	id := h.send(Request{Op: OpExecute, Code: "read", AllowStdin: true})
	ev := h.next()
	if ev.Kind != EventInputRequest || ev.ID != id {
		t.Fatalf("got %+v, want an input request", ev)
	}
	h.send(Request{Op: OpInputReply, Target: id, Text: "hello"})
	ev = h.next()
	if ev.Kind != EventResult || ev.Result.Value == nil || ev.Result.Value.Data["text/plain"] != "hello" {
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
	id := h.send(Request{Op: OpExecute, Code: "display"})
	ev := h.next()
	if ev.Kind != EventDisplay || ev.ID != id || ev.Display.Data["text/plain"] != "shown" {
		t.Fatalf("got %+v, want the display of cell %d", ev, id)
	}
	if ev := h.next(); ev.Kind != EventResult || ev.ID != id {
		t.Fatalf("got %+v, want the result", ev)
	}
	// While idle a display has no cell: dropped, not sent.
	h.eval.pub.Display(repl.Display{Data: map[string]any{"text/plain": "late"}})
	if res, _ := h.run("1"); res.Err != nil {
		t.Fatal(res.Err)
	}
}
