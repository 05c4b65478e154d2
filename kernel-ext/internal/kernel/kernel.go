// Package kernel is goconc's dispatcher: it maps the requests of the Jupyter
// messaging protocol to a repl.Interpreter and publishes what the
// interpreter produces, in the order the protocol requires (status busy,
// execute_input, outputs, the reply, status idle).
//
// It knows nothing of how Go is evaluated (that is the interpreter's
// business) and nothing of sockets and signatures (that is the transport's).
package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"

	"github.com/goconc/goconc/kernel-ext/internal/jupyter"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

// ProtocolVersion is the version of the Jupyter messaging protocol the
// kernel speaks.
const ProtocolVersion = "5.3"

// Transport is what the dispatcher needs of the wire: requests from the
// shell and control channels, replies, IOPub broadcasts and stdin input.
// *jupyter.Server implements it.
type Transport interface {
	Shell() <-chan *jupyter.Message
	Control() <-chan *jupyter.Message
	ReplyWithMetadata(ch jupyter.Channel, req *jupyter.Message, msgType string, content any, metadata map[string]any) error
	Publish(parent *jupyter.Message, msgType string, content any) error
	Input(ctx context.Context, parent *jupyter.Message, prompt string, password bool) (string, error)
}

// Info describes the kernel in kernel_info_reply.
type Info struct {
	// Implementation and Version name the kernel ("goconc", its version).
	Implementation, Version string
	// Banner is shown by consoles at start.
	Banner string
}

// Kernel dispatches requests from a Transport to an Interpreter.
type Kernel struct {
	t      Transport
	interp repl.Interpreter
	info   Info
	log    *slog.Logger

	// handlers serve the requests by msg_type; built once, read-only.
	handlers map[string]handler

	// mu guards the fields below: the control goroutine reads them while
	// the shell goroutine executes.
	mu       sync.Mutex
	count    int
	history  []historyEntry
	shutdown chan struct{}
	once     sync.Once
	restart  bool
}

// New returns a Kernel serving t with interp. A nil logger discards logs.
func New(t Transport, interp repl.Interpreter, info Info, log *slog.Logger) *Kernel {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if info.Implementation == "" {
		info.Implementation = "goconc"
	}
	k := &Kernel{t: t, interp: interp, info: info, log: log, shutdown: make(chan struct{})}
	k.handlers = map[string]handler{
		"kernel_info_request": k.kernelInfo,
		"execute_request":     k.execute,
		"complete_request":    k.complete,
		"inspect_request":     k.inspect,
		"is_complete_request": k.isComplete,
		"history_request":     k.historyRequest,
		"comm_info_request":   k.commInfo,
		"comm_open":           k.commOpen,
		"comm_msg":            k.ignore,
		"comm_close":          k.ignore,
		"shutdown_request":    k.shutdownRequest,
		"interrupt_request":   k.interruptRequest,
	}
	return k
}

// Serve handles requests until a shutdown_request arrives or ctx is done.
// It reports whether the client asked for a restart.
func (k *Kernel) Serve(ctx context.Context) (restart bool, err error) {
	k.publishStatus(nil, "starting")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		k.loop(ctx, k.t.Control(), jupyter.ControlChannel)
	}()
	k.loop(ctx, k.t.Shell(), jupyter.ShellChannel)
	wg.Wait()
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := ctx.Err(); err != nil {
		select {
		case <-k.shutdown:
		default:
			return false, err
		}
	}
	return k.restart, nil
}

// Interrupt stops the running cell, as an interrupt_request does. The
// command line calls it on SIGINT.
func (k *Kernel) Interrupt() error { return k.interp.Interrupt() }

func (k *Kernel) loop(ctx context.Context, in <-chan *jupyter.Message, ch jupyter.Channel) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-k.shutdown:
			return
		case msg, ok := <-in:
			if !ok {
				return
			}
			if n := k.handle(ctx, ch, msg); n > 0 {
				k.abortQueued(ctx, in, ch, n)
			}
		}
	}
}

// handle brackets every request with status busy and idle on IOPub, as
// ipykernel does, so front ends can tell when the kernel has finished with it.
// It returns how many queued requests must be aborted (a failed cell with
// stop_on_error).
func (k *Kernel) handle(ctx context.Context, ch jupyter.Channel, msg *jupyter.Message) (abort int) {
	h, ok := k.handlers[msg.Header.MsgType]
	if !ok {
		k.log.Warn("unknown message type", "type", msg.Header.MsgType, "channel", ch)
		return 0
	}
	k.publishStatus(msg, "busy")
	defer k.publishStatus(msg, "idle")
	err := h(ctx, ch, msg)
	var aq abortQueue
	if errors.As(err, &aq) {
		return aq.n
	}
	if err != nil {
		k.log.Error("handling request", "type", msg.Header.MsgType, "err", err)
	}
	return 0
}

type handler func(ctx context.Context, ch jupyter.Channel, msg *jupyter.Message) error

func (k *Kernel) reply(ch jupyter.Channel, req *jupyter.Message, content any) error {
	typ := strings.TrimSuffix(req.Header.MsgType, "_request") + "_reply"
	return k.t.ReplyWithMetadata(ch, req, typ, content, nil)
}

func (k *Kernel) publish(parent *jupyter.Message, msgType string, content any) {
	if err := k.t.Publish(parent, msgType, content); err != nil {
		k.log.Error("publishing on iopub", "type", msgType, "err", err)
	}
}

func (k *Kernel) publishStatus(parent *jupyter.Message, state string) {
	k.publish(parent, "status", map[string]string{"execution_state": state})
}

func (k *Kernel) kernelInfo(_ context.Context, ch jupyter.Channel, msg *jupyter.Message) error {
	return k.reply(ch, msg, KernelInfo(k.info))
}

// KernelInfo returns the content of kernel_info_reply for info.
func KernelInfo(info Info) map[string]any {
	banner := info.Banner
	if banner == "" {
		banner = fmt.Sprintf("goconc %s: Go %s (yaegi), for experiments on Go concurrency", info.Version, goVersion())
	}
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         info.Implementation,
		"implementation_version": info.Version,
		"language_info": map[string]any{
			"name":               "go",
			"version":            goVersion(),
			"mimetype":           "text/x-go",
			"file_extension":     ".go",
			"pygments_lexer":     "go",
			"codemirror_mode":    "go",
			"nbconvert_exporter": "script",
		},
		"banner":   banner,
		"debugger": false,
		"help_links": []map[string]string{
			{"text": "Go documentation", "url": "https://go.dev/doc/"},
			{"text": "Go standard library", "url": "https://pkg.go.dev/std"},
		},
	}
}

func goVersion() string { return strings.TrimPrefix(runtime.Version(), "go") }

func (k *Kernel) ignore(context.Context, jupyter.Channel, *jupyter.Message) error { return nil }

func (k *Kernel) commInfo(_ context.Context, ch jupyter.Channel, msg *jupyter.Message) error {
	return k.reply(ch, msg, map[string]any{"status": "ok", "comms": map[string]any{}})
}

// commOpen closes every comm at once: goconc registers no comm targets, and
// a front end waiting on an unanswered comm would wait forever.
func (k *Kernel) commOpen(_ context.Context, _ jupyter.Channel, msg *jupyter.Message) error {
	var c struct {
		ID string `json:"comm_id"`
	}
	if err := json.Unmarshal(msg.Content, &c); err != nil {
		return fmt.Errorf("decoding comm_open: %w", err)
	}
	k.publish(msg, "comm_close", map[string]any{"comm_id": c.ID, "data": map[string]any{}})
	return nil
}

func (k *Kernel) interruptRequest(_ context.Context, ch jupyter.Channel, msg *jupyter.Message) error {
	if err := k.interp.Interrupt(); err != nil {
		return k.reply(ch, msg, map[string]any{"status": "error", "ename": "InterruptError", "evalue": err.Error(), "traceback": []string{}})
	}
	return k.reply(ch, msg, map[string]any{"status": "ok"})
}

func (k *Kernel) shutdownRequest(_ context.Context, ch jupyter.Channel, msg *jupyter.Message) error {
	var c struct {
		Restart bool `json:"restart"`
	}
	if err := json.Unmarshal(msg.Content, &c); err != nil {
		return fmt.Errorf("decoding shutdown_request: %w", err)
	}
	// The running cell, if any, must not hold the shell loop past the
	// shutdown: stop it first.
	if err := k.interp.Interrupt(); err != nil {
		k.log.Warn("interrupting before shutdown", "err", err)
	}
	err := k.reply(ch, msg, map[string]any{"status": "ok", "restart": c.Restart})
	k.mu.Lock()
	k.restart = c.Restart
	k.mu.Unlock()
	k.once.Do(func() { close(k.shutdown) })
	return err
}

func decode(msg *jupyter.Message, v any) error {
	if len(msg.Content) == 0 {
		return nil
	}
	if err := json.Unmarshal(msg.Content, v); err != nil {
		return fmt.Errorf("decoding %s: %w", msg.Header.MsgType, err)
	}
	return nil
}

func (k *Kernel) complete(ctx context.Context, ch jupyter.Channel, msg *jupyter.Message) error {
	var c struct {
		Code   string `json:"code"`
		Cursor int    `json:"cursor_pos"`
	}
	if err := decode(msg, &c); err != nil {
		return k.replyError(ch, msg, err)
	}
	res, err := k.interp.Complete(ctx, c.Code, c.Cursor)
	if err != nil {
		return k.replyError(ch, msg, err)
	}
	if res.Matches == nil {
		res.Matches = []string{}
	}
	if res.Metadata == nil {
		res.Metadata = map[string]any{}
	}
	return k.reply(ch, msg, map[string]any{
		"status": "ok", "matches": res.Matches,
		"cursor_start": res.CursorStart, "cursor_end": res.CursorEnd, "metadata": res.Metadata,
	})
}

func (k *Kernel) inspect(ctx context.Context, ch jupyter.Channel, msg *jupyter.Message) error {
	var c struct {
		Code   string `json:"code"`
		Cursor int    `json:"cursor_pos"`
		Detail int    `json:"detail_level"`
	}
	if err := decode(msg, &c); err != nil {
		return k.replyError(ch, msg, err)
	}
	res, err := k.interp.Inspect(ctx, c.Code, c.Cursor, c.Detail)
	if err != nil {
		return k.replyError(ch, msg, err)
	}
	if res.Data == nil || !res.Found {
		res.Data = map[string]any{}
	}
	if res.Metadata == nil {
		res.Metadata = map[string]any{}
	}
	return k.reply(ch, msg, map[string]any{"status": "ok", "found": res.Found, "data": res.Data, "metadata": res.Metadata})
}

func (k *Kernel) isComplete(ctx context.Context, ch jupyter.Channel, msg *jupyter.Message) error {
	var c struct {
		Code string `json:"code"`
	}
	if err := decode(msg, &c); err != nil {
		return k.replyError(ch, msg, err)
	}
	res, err := k.interp.IsComplete(ctx, c.Code)
	if err != nil {
		return k.reply(ch, msg, map[string]any{"status": "unknown"})
	}
	content := map[string]any{"status": res.Status}
	if res.Status == "incomplete" {
		content["indent"] = res.Indent
	}
	return k.reply(ch, msg, content)
}

// replyError answers a request the kernel could not serve with an error
// reply, so the front end is not left waiting.
func (k *Kernel) replyError(ch jupyter.Channel, msg *jupyter.Message, err error) error {
	e := errorContent("KernelError", err.Error(), nil)
	e["status"] = "error"
	return k.reply(ch, msg, e)
}

func errorContent(name, value string, tb []string) map[string]any {
	if tb == nil {
		tb = []string{}
	}
	return map[string]any{"ename": name, "evalue": value, "traceback": tb}
}
