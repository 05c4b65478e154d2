package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/jupyter"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

// sent is one message the dispatcher handed to the transport.
type sent struct {
	channel string // "shell", "control" or "iopub"
	msgType string
	parent  string
	content map[string]any
}

// fakeTransport records what the dispatcher sends and feeds it requests.
type fakeTransport struct {
	shell, control chan *jupyter.Message
	mu             sync.Mutex
	sent           []sent
	replies        chan sent
	input          string
}

func newFakeTransport() *fakeTransport {
	return &fakeTransport{
		shell:   make(chan *jupyter.Message, 16),
		control: make(chan *jupyter.Message, 16),
		replies: make(chan sent, 16),
	}
}

func (f *fakeTransport) Shell() <-chan *jupyter.Message   { return f.shell }
func (f *fakeTransport) Control() <-chan *jupyter.Message { return f.control }

func (f *fakeTransport) record(channel string, parent *jupyter.Message, msgType string, content any) sent {
	b, err := json.Marshal(content)
	if err != nil {
		panic(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	s := sent{channel: channel, msgType: msgType, content: m}
	if parent != nil {
		s.parent = parent.Header.MsgID
	}
	f.mu.Lock()
	f.sent = append(f.sent, s)
	f.mu.Unlock()
	return s
}

func (f *fakeTransport) ReplyWithMetadata(ch jupyter.Channel, req *jupyter.Message, msgType string, content any, _ map[string]any) error {
	name := "shell"
	if ch == jupyter.ControlChannel {
		name = "control"
	}
	f.replies <- f.record(name, req, msgType, content)
	return nil
}

func (f *fakeTransport) Publish(parent *jupyter.Message, msgType string, content any) error {
	f.record("iopub", parent, msgType, content)
	return nil
}

func (f *fakeTransport) Input(_ context.Context, _ *jupyter.Message, prompt string, _ bool) (string, error) {
	return f.input, nil
}

// iopub returns the IOPub messages whose parent is id, as "type" or
// "type:detail" strings.
func (f *fakeTransport) iopub(id string) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, s := range f.sent {
		if s.channel != "iopub" || s.parent != id {
			continue
		}
		switch s.msgType {
		case "status":
			out = append(out, "status:"+s.content["execution_state"].(string))
		case "stream":
			out = append(out, "stream:"+s.content["text"].(string))
		default:
			out = append(out, s.msgType)
		}
	}
	return out
}

// fakeInterp answers from a table: code → result, with an optional output
// printed first. Its Execute blocks on "block" until interrupted.
type fakeInterp struct {
	interrupted chan struct{}
	gate        chan struct{} // "gated fail" waits for it to close
	once        sync.Once
	restarts    int
}

func newFakeInterp() *fakeInterp {
	return &fakeInterp{interrupted: make(chan struct{}), gate: make(chan struct{})}
}

func (f *fakeInterp) Execute(ctx context.Context, code string, opts repl.ExecuteOptions, out repl.Output) (repl.Result, error) {
	switch code {
	case "print":
		out.Stream("stdout", "hi\n")
		return repl.Result{}, nil
	case "value":
		return repl.Result{Value: &repl.Display{Data: map[string]any{"text/plain": "42"}}}, nil
	case "gated fail":
		<-f.gate
		return repl.Result{Err: &repl.Error{Name: "panic", Value: "boom", Traceback: []string{"panic: boom"}}}, nil
	case "fail":
		out.Stream("stdout", "before\n")
		return repl.Result{Err: &repl.Error{Name: "panic", Value: "boom", Traceback: []string{"panic: boom"}}}, nil
	case "display":
		out.Display(repl.Display{Data: map[string]any{"text/html": "<b>x</b>"}, ID: "d1"})
		out.Display(repl.Display{Data: map[string]any{"text/html": "<b>y</b>"}, ID: "d1", Update: true})
		out.ClearOutput(true)
		return repl.Result{}, nil
	case "input":
		s, err := out.Input(ctx, "name? ", false)
		if err != nil {
			return repl.Result{Err: &repl.Error{Name: "InputError", Value: err.Error()}}, nil
		}
		out.Stream("stdout", s)
		return repl.Result{}, nil
	case "block":
		<-f.interrupted
		return repl.Result{Err: &repl.Error{Name: "Interrupted", Value: "interrupted"}}, nil
	case "page":
		return repl.Result{Page: map[string]any{"text/plain": "help"}}, nil
	}
	return repl.Result{}, errors.New("fake: unknown code " + code)
}

func (f *fakeInterp) Complete(_ context.Context, code string, cursor int) (repl.Completion, error) {
	return repl.Completion{Matches: []string{"Println"}, CursorStart: cursor - 2, CursorEnd: cursor}, nil
}

func (f *fakeInterp) Inspect(context.Context, string, int, int) (repl.Inspection, error) {
	return repl.Inspection{Found: true, Data: map[string]any{"text/plain": "func Println"}}, nil
}

func (f *fakeInterp) IsComplete(_ context.Context, code string) (repl.Completeness, error) {
	if strings.HasSuffix(code, "{") {
		return repl.Completeness{Status: "incomplete", Indent: "    "}, nil
	}
	return repl.Completeness{Status: "complete"}, nil
}

func (f *fakeInterp) Interrupt() error {
	f.once.Do(func() { close(f.interrupted) })
	return nil
}

func (f *fakeInterp) Restart(context.Context, []string) error { f.restarts++; return nil }
func (f *fakeInterp) Close() error                            { return nil }

var nextID atomic.Int64

func request(msgType string, content map[string]any) *jupyter.Message {
	b, _ := json.Marshal(content)
	return &jupyter.Message{
		Header:  jupyter.Header{MsgID: fmt.Sprintf("%s-%d", msgType, nextID.Add(1)), MsgType: msgType},
		Content: b,
	}
}

func startKernel(t *testing.T) (*fakeTransport, *fakeInterp, func() bool) {
	t.Helper()
	tr, in := newFakeTransport(), newFakeInterp()
	k := New(tr, in, Info{Version: "test"}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan bool, 1)
	go func() {
		restart, _ := k.Serve(ctx)
		done <- restart
	}()
	t.Cleanup(cancel)
	return tr, in, func() bool {
		select {
		case r := <-done:
			return r
		case <-time.After(10 * time.Second):
			t.Fatal("Serve did not return")
			return false
		}
	}
}

func waitReply(t *testing.T, tr *fakeTransport) sent {
	t.Helper()
	select {
	case r := <-tr.replies:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("no reply")
		return sent{}
	}
}

// waitIdle waits for the status idle that closes request id: the reply
// comes before it.
func waitIdle(t *testing.T, tr *fakeTransport, id string) []string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		got := tr.iopub(id)
		if len(got) > 0 && got[len(got)-1] == "status:idle" {
			return got
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("no idle for %s: %v", id, tr.iopub(id))
	return nil
}

func TestExecuteOrder(t *testing.T) {
	tests := []struct {
		code      string
		iopub     []string
		status    string
		wantCount float64
	}{
		{"print", []string{"status:busy", "execute_input", "stream:hi\n", "status:idle"}, "ok", 1},
		{"value", []string{"status:busy", "execute_input", "execute_result", "status:idle"}, "ok", 2},
		{"display", []string{"status:busy", "execute_input", "display_data", "update_display_data", "clear_output", "status:idle"}, "ok", 3},
		{"fail", []string{"status:busy", "execute_input", "stream:before\n", "error", "status:idle"}, "error", 4},
	}
	tr, _, _ := startKernel(t)
	for _, tt := range tests {
		req := request("execute_request", map[string]any{"code": tt.code})
		tr.shell <- req
		reply := waitReply(t, tr)
		if reply.msgType != "execute_reply" || reply.content["status"] != tt.status {
			t.Errorf("%s: reply %s %v", tt.code, reply.msgType, reply.content)
		}
		if got := reply.content["execution_count"]; got != tt.wantCount {
			t.Errorf("%s: execution_count %v, want %v", tt.code, got, tt.wantCount)
		}
		if got := waitIdle(t, tr, req.Header.MsgID); !reflect.DeepEqual(got, tt.iopub) {
			t.Errorf("%s: iopub %q, want %q", tt.code, got, tt.iopub)
		}
	}
}

func TestSilentExecutePublishesNothing(t *testing.T) {
	tr, _, _ := startKernel(t)
	req := request("execute_request", map[string]any{"code": "print", "silent": true})
	tr.shell <- req
	reply := waitReply(t, tr)
	if reply.content["status"] != "ok" || reply.content["execution_count"] != 0.0 {
		t.Errorf("silent reply %v", reply.content)
	}
	if got, want := waitIdle(t, tr, req.Header.MsgID), []string{"status:busy", "status:idle"}; !reflect.DeepEqual(got, want) {
		t.Errorf("iopub %q, want %q", got, want)
	}
}

func TestStopOnErrorAbortsQueuedExecutes(t *testing.T) {
	tr, in, _ := startKernel(t)
	fail := request("execute_request", map[string]any{"code": "gated fail"})
	queued := request("execute_request", map[string]any{"code": "print"})
	info := request("kernel_info_request", nil)
	tr.shell <- fail
	tr.shell <- queued
	tr.shell <- info
	// The cell fails only once the other two wait in the queue: what was
	// queued when it failed is aborted.
	for deadline := time.Now().Add(10 * time.Second); len(tr.shell) != 2; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d requests queued, want 2", len(tr.shell))
		}
	}
	close(in.gate)
	var statuses []string
	for range 3 {
		r := waitReply(t, tr)
		statuses = append(statuses, r.msgType+":"+asString(r.content["status"]))
	}
	want := []string{"execute_reply:error", "execute_reply:aborted", "kernel_info_reply:ok"}
	if !reflect.DeepEqual(statuses, want) {
		t.Errorf("replies %q, want %q", statuses, want)
	}
	// A cell sent after the failing cell's reply arrived is the user's new
	// decision: it runs.
	tr.shell <- request("execute_request", map[string]any{"code": "fail"})
	if r := waitReply(t, tr); r.content["status"] != "error" {
		t.Fatalf("failing cell: %v", r.content)
	}
	tr.shell <- request("execute_request", map[string]any{"code": "print"})
	if r := waitReply(t, tr); r.content["status"] != "ok" {
		t.Errorf("cell sent after the error reply: %v, want it run", r.content)
	}
	// With stop_on_error false the next cell runs after a failure.
	tr.shell <- request("execute_request", map[string]any{"code": "fail", "stop_on_error": false})
	tr.shell <- request("execute_request", map[string]any{"code": "print"})
	if r := waitReply(t, tr); r.content["status"] != "error" {
		t.Errorf("first: %v", r.content)
	}
	if r := waitReply(t, tr); r.content["status"] != "ok" {
		t.Errorf("second: %v", r.content)
	}
}

func asString(v any) string { s, _ := v.(string); return s }

func TestInterruptOnControlWhileShellBusy(t *testing.T) {
	tr, _, _ := startKernel(t)
	block := request("execute_request", map[string]any{"code": "block"})
	tr.shell <- block
	time.Sleep(10 * time.Millisecond)
	tr.control <- request("interrupt_request", nil)
	got := map[string]string{}
	for range 2 {
		r := waitReply(t, tr)
		got[r.msgType] = r.channel + ":" + asString(r.content["status"])
	}
	want := map[string]string{"interrupt_reply": "control:ok", "execute_reply": "shell:error"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("replies %v, want %v", got, want)
	}
}

func TestRequests(t *testing.T) {
	tests := []struct {
		msgType string
		content map[string]any
		check   func(map[string]any) bool
	}{
		{"kernel_info_request", nil, func(c map[string]any) bool {
			li := c["language_info"].(map[string]any)
			return c["protocol_version"] == "5.3" && li["name"] == "go" && li["file_extension"] == ".go" && li["mimetype"] == "text/x-go"
		}},
		{"complete_request", map[string]any{"code": "fmt.Pr", "cursor_pos": 6}, func(c map[string]any) bool {
			return c["cursor_start"] == 4.0 && c["cursor_end"] == 6.0 && len(c["matches"].([]any)) == 1
		}},
		{"inspect_request", map[string]any{"code": "fmt.Println", "cursor_pos": 3}, func(c map[string]any) bool {
			return c["found"] == true && c["data"].(map[string]any)["text/plain"] == "func Println"
		}},
		{"is_complete_request", map[string]any{"code": "func f() {"}, func(c map[string]any) bool {
			return c["status"] == "incomplete" && c["indent"] == "    "
		}},
		{"is_complete_request", map[string]any{"code": "1"}, func(c map[string]any) bool {
			_, hasIndent := c["indent"]
			return c["status"] == "complete" && !hasIndent
		}},
		{"comm_info_request", nil, func(c map[string]any) bool { return c["status"] == "ok" }},
		{"execute_request", map[string]any{"code": "page"}, func(c map[string]any) bool {
			p := c["payload"].([]any)
			return len(p) == 1 && p[0].(map[string]any)["source"] == "page"
		}},
	}
	tr, _, _ := startKernel(t)
	for _, tt := range tests {
		tr.shell <- request(tt.msgType, tt.content)
		r := waitReply(t, tr)
		if want := strings.TrimSuffix(tt.msgType, "_request") + "_reply"; r.msgType != want {
			t.Errorf("%s: reply type %s", tt.msgType, r.msgType)
		}
		if !tt.check(r.content) {
			t.Errorf("%s %v: reply %v", tt.msgType, tt.content, r.content)
		}
	}
}

func TestInputFollowsAllowStdin(t *testing.T) {
	tr, _, _ := startKernel(t)
	tr.input = "gopher"
	req := request("execute_request", map[string]any{"code": "input", "allow_stdin": true})
	tr.shell <- req
	if r := waitReply(t, tr); r.content["status"] != "ok" {
		t.Fatalf("with stdin: %v", r.content)
	}
	if got := waitIdle(t, tr, req.Header.MsgID); !reflect.DeepEqual(got[2], "stream:gopher") {
		t.Errorf("iopub %q", got)
	}
	tr.shell <- request("execute_request", map[string]any{"code": "input", "allow_stdin": false})
	r := waitReply(t, tr)
	if r.content["status"] != "error" || !strings.Contains(asString(r.content["evalue"]), "allow_stdin") {
		t.Errorf("without stdin: %v", r.content)
	}
}

func TestHistory(t *testing.T) {
	tr, _, _ := startKernel(t)
	for _, code := range []string{"print", "value", "print"} {
		tr.shell <- request("execute_request", map[string]any{"code": code})
		waitReply(t, tr)
	}
	tests := []struct {
		content map[string]any
		want    string
	}{
		{map[string]any{"hist_access_type": "tail", "n": 2}, `[[1,2,"value"],[1,3,"print"]]`},
		{map[string]any{"hist_access_type": "tail", "n": 1, "output": true}, `[[1,3,["print",null]]]`},
		{map[string]any{"hist_access_type": "range", "session": 1, "start": 2, "stop": 3}, `[[1,2,"value"]]`},
		{map[string]any{"hist_access_type": "range", "session": 0, "start": 1, "stop": 0}, `[[1,1,"print"],[1,2,"value"],[1,3,"print"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "pr*"}, `[[1,1,"print"],[1,3,"print"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "pr*", "unique": true}, `[[1,3,"print"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "*", "n": 1}, `[[1,3,"print"]]`},
		{map[string]any{"hist_access_type": "tail", "n": 1, "output": true, "session": 1}, `[[1,3,["print",null]]]`},
	}
	for _, tt := range tests {
		tr.shell <- request("history_request", tt.content)
		r := waitReply(t, tr)
		got, _ := json.Marshal(r.content["history"])
		if string(got) != tt.want {
			t.Errorf("%v: history %s, want %s", tt.content, got, tt.want)
		}
	}
}

func TestShutdown(t *testing.T) {
	for _, restart := range []bool{false, true} {
		tr, _, wait := startKernel(t)
		tr.control <- request("shutdown_request", map[string]any{"restart": restart})
		r := waitReply(t, tr)
		if r.msgType != "shutdown_reply" || r.content["restart"] != restart || r.channel != "control" {
			t.Errorf("reply %s on %s: %v", r.msgType, r.channel, r.content)
		}
		if got := wait(); got != restart {
			t.Errorf("Serve reported restart %v, want %v", got, restart)
		}
	}
}
