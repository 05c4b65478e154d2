package jupyter

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// BenchmarkExecuteRoundTrip measures what the transport adds to a trivial
// cell: a signed execute_request sent by a zmq4 client over loopback TCP,
// answered as the dispatcher answers it (status busy, execute_input,
// execute_result, execute_reply, status idle), until the client has
// verified the idle status and the reply. Client and server share this
// process, so both ends' costs are in the figure.
func BenchmarkExecuteRoundTrip(b *testing.B) {
	srv, _ := startServer(b, ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "benchmark-key"})
	c := dial(b, srv.Info())
	go func() {
		n := 0
		for req := range srv.Shell() {
			n++
			srv.Publish(req, "status", map[string]string{"execution_state": "busy"})
			srv.Publish(req, "execute_input", map[string]any{"code": "1 + 1", "execution_count": n})
			srv.Publish(req, "execute_result", map[string]any{"execution_count": n, "data": map[string]any{"text/plain": "2"}, "metadata": map[string]any{}})
			srv.ReplyWithMetadata(ShellChannel, req, "execute_reply", map[string]any{"status": "ok", "execution_count": n, "user_expressions": map[string]any{}, "payload": []any{}}, map[string]any{"status": "ok"})
			srv.Publish(req, "status", map[string]string{"execution_state": "idle"})
		}
	}()

	// A PUB socket drops what it sends before the subscription arrives:
	// publish probes until one comes through. Probes left in flight have
	// no parent and are skipped below.
	stop := make(chan struct{})
	go func() {
		for {
			srv.Publish(nil, "status", map[string]string{"execution_state": "idle"})
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	c.recvMessage(c.iopub)
	close(stop)

	receive := func(sock zmq4.Socket) *Message {
		m, err := sock.Recv()
		if err != nil {
			b.Fatal(err)
		}
		msg, err := Decode(m.Frames, c.key)
		if err != nil {
			b.Fatal(err)
		}
		return msg
	}
	for b.Loop() {
		req := c.message("execute_request", `{"code":"1 + 1","silent":false,"store_history":true,"user_expressions":{},"allow_stdin":false,"stop_on_error":true}`)
		c.send(c.shell, req, c.key)
		for {
			m := receive(c.iopub)
			if m.Parent.MsgID != req.Header.MsgID || m.Header.MsgType != "status" {
				continue
			}
			var st struct {
				State string `json:"execution_state"`
			}
			if err := json.Unmarshal(m.Content, &st); err != nil {
				b.Fatal(err)
			}
			if st.State == "idle" {
				break
			}
		}
		if m := receive(c.shell); m.Header.MsgType != "execute_reply" {
			b.Fatalf("got %s, want execute_reply", m.Header.MsgType)
		}
	}
}
