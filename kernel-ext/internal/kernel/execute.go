package kernel

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/goconc/goconc/kernel-ext/internal/jupyter"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

type executeRequest struct {
	Code            string         `json:"code"`
	Silent          bool           `json:"silent"`
	StoreHistory    *bool          `json:"store_history"`
	UserExpressions map[string]any `json:"user_expressions"`
	AllowStdin      bool           `json:"allow_stdin"`
	StopOnError     *bool          `json:"stop_on_error"`
}

// abortQueue tells the shell loop that a cell failed with stop_on_error
// set, so the n requests that were waiting when it failed must be aborted.
// n is counted before the error reply goes out: a request the client sends
// after seeing that reply is a new decision and must run.
type abortQueue struct{ n int }

func (a abortQueue) Error() string {
	return fmt.Sprintf("cell failed with stop_on_error set: %d queued requests to abort", a.n)
}

func (k *Kernel) execute(ctx context.Context, ch jupyter.Channel, msg *jupyter.Message) error {
	req := executeRequest{}
	if err := decode(msg, &req); err != nil {
		return k.replyError(ch, msg, err)
	}
	// store_history and stop_on_error default to true, silent turns
	// history off, as the specification says.
	storeHistory := (req.StoreHistory == nil || *req.StoreHistory) && !req.Silent
	stopOnError := req.StopOnError == nil || *req.StopOnError

	k.mu.Lock()
	if storeHistory {
		k.count++
	}
	count := k.count
	k.mu.Unlock()

	if !req.Silent {
		k.publish(msg, "execute_input", map[string]any{"code": req.Code, "execution_count": count})
	}
	out := &output{k: k, msg: msg, silent: req.Silent, allowStdin: req.AllowStdin}
	res, err := k.interp.Execute(ctx, req.Code, repl.ExecuteOptions{AllowStdin: req.AllowStdin, Silent: req.Silent}, out)
	if err != nil {
		res.Err = &repl.Error{Name: "KernelError", Value: err.Error()}
	}
	if storeHistory {
		k.record(count, req.Code, res)
	}
	if res.Err != nil {
		tb := res.Err.Traceback
		if tb == nil {
			tb = []string{}
		}
		if !req.Silent {
			k.publish(msg, "error", errorContent(res.Err.Name, res.Err.Value, tb))
		}
		reply := errorContent(res.Err.Name, res.Err.Value, tb)
		reply["status"] = "error"
		reply["execution_count"] = count
		queued := 0
		if ch == jupyter.ShellChannel {
			queued = len(k.t.Shell())
		}
		if err := k.t.ReplyWithMetadata(ch, msg, "execute_reply", reply, map[string]any{"status": "error"}); err != nil {
			return err
		}
		if stopOnError && !req.Silent && queued > 0 {
			return abortQueue{n: queued}
		}
		return nil
	}
	if res.Value != nil && !req.Silent {
		k.publish(msg, "execute_result", map[string]any{
			"execution_count": count,
			"data":            res.Value.Data,
			"metadata":        nonNil(res.Value.Metadata),
		})
	}
	payload := []any{}
	if res.Page != nil {
		payload = append(payload, map[string]any{"source": "page", "data": res.Page, "start": 0})
	}
	return k.t.ReplyWithMetadata(ch, msg, "execute_reply", map[string]any{
		"status":           "ok",
		"execution_count":  count,
		"user_expressions": map[string]any{},
		"payload":          payload,
	}, map[string]any{"status": "ok"})
}

// abortQueued answers every execute_request already waiting on in with
// status "aborted", as ipykernel does after a failing cell, so that a Run
// All stops at the first error; other requests are served as usual.
// Only the requests queued when the cell failed are concerned: what the
// front end sends after seeing the error runs.
func (k *Kernel) abortQueued(ctx context.Context, in <-chan *jupyter.Message, ch jupyter.Channel, n int) {
	for range n {
		select {
		case msg, ok := <-in:
			if !ok {
				return
			}
			if msg.Header.MsgType != "execute_request" {
				k.handle(ctx, ch, msg)
				continue
			}
			k.publishStatus(msg, "busy")
			k.mu.Lock()
			count := k.count
			k.mu.Unlock()
			if err := k.t.ReplyWithMetadata(ch, msg, "execute_reply",
				map[string]any{"status": "aborted", "execution_count": count},
				map[string]any{"status": "aborted"}); err != nil {
				k.log.Error("replying aborted", "err", err)
			}
			k.publishStatus(msg, "idle")
		default:
			return
		}
	}
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// output publishes what a running cell produces on IOPub, as children of
// its execute_request.
type output struct {
	k          *Kernel
	msg        *jupyter.Message
	silent     bool
	allowStdin bool
	mu         sync.Mutex // keeps IOPub messages of one cell in order
}

func (o *output) Stream(name, text string) {
	if o.silent || text == "" {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.k.publish(o.msg, "stream", map[string]any{"name": name, "text": text})
}

func (o *output) Display(d repl.Display) {
	if o.silent {
		return
	}
	typ := "display_data"
	if d.Update {
		typ = "update_display_data"
	}
	transient := map[string]any{}
	if d.ID != "" {
		transient["display_id"] = d.ID
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.k.publish(o.msg, typ, map[string]any{"data": d.Data, "metadata": nonNil(d.Metadata), "transient": transient})
}

func (o *output) ClearOutput(wait bool) {
	if o.silent {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.k.publish(o.msg, "clear_output", map[string]any{"wait": wait})
}

// errNoStdin is what a cell reading standard input gets when the front end
// cannot answer (nbconvert, for one, sets allow_stdin to false).
var errNoStdin = errors.New("this front end does not accept input (allow_stdin is false): the cell cannot read standard input")

func (o *output) Input(ctx context.Context, prompt string, password bool) (string, error) {
	if !o.allowStdin {
		return "", errNoStdin
	}
	return o.k.t.Input(ctx, o.msg, prompt, password)
}
