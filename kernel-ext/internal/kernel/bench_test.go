package kernel

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/goconc/goconc/kernel-ext/internal/jupyter"
)

// benchTransport encodes what the dispatcher sends, as the real transport
// does before signing, and reports each request's closing status idle.
type benchTransport struct {
	shell, control chan *jupyter.Message
	idle           chan struct{}
}

func (t *benchTransport) Shell() <-chan *jupyter.Message   { return t.shell }
func (t *benchTransport) Control() <-chan *jupyter.Message { return t.control }

func (t *benchTransport) ReplyWithMetadata(_ jupyter.Channel, _ *jupyter.Message, _ string, content any, metadata map[string]any) error {
	if _, err := json.Marshal(content); err != nil {
		return err
	}
	_, err := json.Marshal(metadata)
	return err
}

func (t *benchTransport) Publish(parent *jupyter.Message, msgType string, content any) error {
	if _, err := json.Marshal(content); err != nil {
		return err
	}
	if st, ok := content.(map[string]string); ok && parent != nil && msgType == "status" && st["execution_state"] == "idle" {
		t.idle <- struct{}{}
	}
	return nil
}

func (t *benchTransport) Input(context.Context, *jupyter.Message, string, bool) (string, error) {
	return "", nil
}

// BenchmarkDispatchExecute measures the dispatcher's own share of a trivial
// cell: an execute_request through the shell loop to its status idle, with
// an interpreter that answers at once and a transport that only encodes.
func BenchmarkDispatchExecute(b *testing.B) {
	t := &benchTransport{shell: make(chan *jupyter.Message), control: make(chan *jupyter.Message), idle: make(chan struct{})}
	k := New(t, newFakeInterp(), Info{Version: "bench"}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go k.Serve(ctx)
	for b.Loop() {
		t.shell <- request("execute_request", map[string]any{"code": "value", "silent": false, "store_history": true})
		<-t.idle
	}
}
