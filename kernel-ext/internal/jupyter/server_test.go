package jupyter

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// wait is a generous bound for anything that should happen promptly; the
// test machine is small and shared, so nothing here measures speed.
const wait = 15 * time.Second

// freePorts returns n distinct TCP ports that were free a moment ago.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ls []net.Listener
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func testInfo(t *testing.T, key string) ConnectionInfo {
	p := freePorts(t, 5)
	return ConnectionInfo{
		Transport: "tcp", IP: "127.0.0.1",
		ShellPort: p[0], IOPubPort: p[1], StdinPort: p[2], ControlPort: p[3], HBPort: p[4],
		Key: key, SignatureScheme: SignatureSchemeHMACSHA256, KernelName: "goconc",
	}
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func startServer(t testing.TB, info ConnectionInfo) (*Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	srv, err := Listen(info, Options{Logger: slog.New(slog.NewTextHandler(logs, nil)), Session: "kernel-session"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv, logs
}

// client is a front end made of real zmq4 sockets.
type client struct {
	t                  testing.TB
	key                []byte
	shell, control, in zmq4.Socket
	iopub, hb          zmq4.Socket
	seq                int
}

func dial(t testing.TB, info ConnectionInfo) *client {
	t.Helper()
	ctx := context.Background()
	id := zmq4.WithID(zmq4.SocketIdentity("client-" + strconv.Itoa(info.ShellPort)))
	c := &client{
		t:       t,
		key:     []byte(info.Key),
		shell:   zmq4.NewDealer(ctx, id),
		control: zmq4.NewDealer(ctx, id),
		in:      zmq4.NewDealer(ctx, id),
		iopub:   zmq4.NewSub(ctx),
		hb:      zmq4.NewReq(ctx),
	}
	for _, s := range []struct {
		sock zmq4.Socket
		port int
	}{
		{c.shell, info.ShellPort}, {c.control, info.ControlPort}, {c.in, info.StdinPort},
		{c.iopub, info.IOPubPort}, {c.hb, info.HBPort},
	} {
		t.Cleanup(func() { s.sock.Close() })
		if err := s.sock.Dial(fmt.Sprintf("tcp://127.0.0.1:%d", s.port)); err != nil {
			t.Fatalf("dial port %d: %v", s.port, err)
		}
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	return c
}

func (c *client) close() {
	for _, s := range []zmq4.Socket{c.shell, c.control, c.in, c.iopub, c.hb} {
		s.Close()
	}
}

// message builds a client message with a fresh msg_id.
func (c *client) message(msgType, content string) *Message {
	c.seq++
	return &Message{
		Header: Header{
			MsgID: fmt.Sprintf("client-msg-%d", c.seq), Session: "client-session", Username: "tester",
			Date: time.Now().UTC().Format(time.RFC3339Nano), MsgType: msgType, Version: ProtocolVersion,
		},
		Content: json.RawMessage(content),
	}
}

func (c *client) sendFrames(sock zmq4.Socket, frames [][]byte) {
	c.t.Helper()
	if err := sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		c.t.Fatalf("client send: %v", err)
	}
}

func (c *client) send(sock zmq4.Socket, msg *Message, key []byte) {
	c.t.Helper()
	frames, err := Encode(msg, key)
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendFrames(sock, frames)
}

// recv receives one message from sock, failing the test after wait.
func recv(t testing.TB, sock zmq4.Socket) [][]byte {
	t.Helper()
	type result struct {
		m   zmq4.Msg
		err error
	}
	ch := make(chan result, 1)
	go func() {
		m, err := sock.Recv()
		ch <- result{m, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("client recv: %v", r.err)
		}
		return r.m.Frames
	case <-time.After(wait):
		t.Fatal("client recv: timed out")
	}
	return nil
}

func (c *client) recvMessage(sock zmq4.Socket) *Message {
	c.t.Helper()
	msg, err := Decode(recv(c.t, sock), c.key)
	if err != nil {
		c.t.Fatalf("client decode: %v", err)
	}
	return msg
}

func next(t *testing.T, ch <-chan *Message) *Message {
	t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			t.Fatal("request channel closed")
		}
		return m
	case <-time.After(wait):
		t.Fatal("no request delivered")
	}
	return nil
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// logged waits until the log holds every one of wants. Each socket drops
// on its own goroutine, which counts the drop before it logs it, so a
// count seen complete does not mean every line is written yet.
func logged(t *testing.T, logs *syncBuffer, wants ...string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		missing := ""
		for _, want := range wants {
			if !strings.Contains(logs.String(), want) {
				missing = want
				break
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("log lacks %s:\n%s", missing, logs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkReply verifies the header fields the server must set on a message
// answering req.
func checkReply(t *testing.T, got *Message, req *Message, msgType string) {
	t.Helper()
	h := got.Header
	if h.MsgType != msgType || h.Version != "5.3" || h.Session != "kernel-session" || h.Username != "kernel" || h.MsgID == "" {
		t.Errorf("reply header %+v", h)
	}
	// Six fractional digits, always: what jupyter_client parses into a datetime.
	if d, err := time.Parse(time.RFC3339Nano, h.Date); err != nil || !strings.HasSuffix(h.Date, "Z") || time.Since(d) > time.Hour ||
		len(h.Date) != len("2006-01-02T15:04:05.000000Z") {
		t.Errorf("reply date %q: %v", h.Date, err)
	}
	if req != nil && got.Parent != req.Header {
		t.Errorf("parent = %+v, want %+v", got.Parent, req.Header)
	}
}

func TestServerEndToEnd(t *testing.T) {
	info := testInfo(t, "e2e-secret")
	srv, logs := startServer(t, info)
	c := dial(t, info)

	t.Run("shell request and reply", func(t *testing.T) {
		req := c.message("kernel_info_request", "{}")
		c.send(c.shell, req, c.key)
		got := next(t, srv.Shell())
		if got.Header != req.Header || string(got.Identities[0]) != "client-"+strconv.Itoa(info.ShellPort) {
			t.Fatalf("delivered %+v", got)
		}
		if err := srv.Reply(ShellChannel, got, "kernel_info_reply", map[string]any{"status": "ok"}); err != nil {
			t.Fatal(err)
		}
		frames := recv(t, c.shell)
		reply, err := Decode(frames, c.key)
		if err != nil {
			t.Fatalf("reply does not verify: %v", err)
		}
		checkReply(t, reply, req, "kernel_info_reply")
		if string(reply.Content) != `{"status":"ok"}` {
			t.Errorf("content %s", reply.Content)
		}
		// The signature is over the frames exactly as sent.
		n := len(frames)
		if !Verify(c.key, frames[n-5], frames[n-4], frames[n-3], frames[n-2], frames[n-1]) {
			t.Error("signature frame does not verify")
		}
	})

	t.Run("control request and reply with metadata", func(t *testing.T) {
		req := c.message("interrupt_request", "{}")
		c.send(c.control, req, c.key)
		got := next(t, srv.Control())
		if err := srv.ReplyWithMetadata(ControlChannel, got, "interrupt_reply", map[string]any{"status": "ok"}, map[string]any{"k": "v"}); err != nil {
			t.Fatal(err)
		}
		reply := c.recvMessage(c.control)
		checkReply(t, reply, req, "interrupt_reply")
		if reply.Metadata["k"] != "v" {
			t.Errorf("metadata %v", reply.Metadata)
		}
	})

	t.Run("publish", func(t *testing.T) {
		req := c.message("execute_request", `{"code":""}`)
		got := make(chan [][]byte, 1)
		go func() {
			if m, err := c.iopub.Recv(); err == nil {
				got <- m.Frames
			}
		}()
		// A subscription travels asynchronously (PUB's slow joiner):
		// publish until the subscriber hears one.
		deadline := time.After(wait)
		for {
			if err := srv.Publish(req, "status", map[string]string{"execution_state": "busy"}); err != nil {
				t.Fatal(err)
			}
			select {
			case frames := <-got:
				if !strings.HasSuffix(string(frames[0]), ".status") {
					t.Errorf("topic %q", frames[0])
				}
				msg, err := Decode(frames, c.key)
				if err != nil {
					t.Fatal(err)
				}
				checkReply(t, msg, req, "status")
				return
			case <-deadline:
				t.Fatal("nothing published reached the subscriber")
			case <-time.After(20 * time.Millisecond):
			}
		}
	})

	t.Run("publish without parent", func(t *testing.T) {
		if err := srv.Publish(nil, "status", map[string]string{"execution_state": "starting"}); err != nil {
			t.Fatal(err)
		}
		msg := c.recvMessage(c.iopub)
		checkReply(t, msg, nil, "status")
		if msg.Parent != (Header{}) {
			t.Errorf("parent %+v, want empty", msg.Parent)
		}
	})

	t.Run("heartbeat", func(t *testing.T) {
		for i := range 3 {
			ping := []byte("ping-" + strconv.Itoa(i))
			if err := c.hb.Send(zmq4.NewMsg(ping)); err != nil {
				t.Fatal(err)
			}
			if got := recv(t, c.hb); len(got) != 1 || !bytes.Equal(got[0], ping) {
				t.Fatalf("echo %q, want %q", got, ping)
			}
		}
	})

	t.Run("forged and malformed messages dropped", func(t *testing.T) {
		before := srv.Dropped()
		wrongKey := c.message("execute_request", `{"code":"evil"}`)
		c.send(c.shell, wrongKey, []byte("not-the-key"))
		unsigned := c.message("execute_request", `{"code":"evil"}`)
		c.send(c.shell, unsigned, nil)
		c.sendFrames(c.shell, [][]byte{[]byte("no delimiter")})
		tampered, _ := Encode(c.message("execute_request", `{"code":"1"}`), c.key)
		tampered[len(tampered)-1] = []byte(`{"code":"evil"}`)
		c.sendFrames(c.control, tampered)

		good := c.message("execute_request", `{"code":"good"}`)
		c.send(c.shell, good, c.key)
		// Requests are delivered in order, so had a forged one passed, it
		// would come first.
		if got := next(t, srv.Shell()); got.Header.MsgID != good.Header.MsgID {
			t.Fatalf("delivered %+v, want the good request", got.Header)
		}
		eventually(t, "4 drops", func() bool { return srv.Dropped() == before+4 })
		logged(t, logs, "reason=\"bad signature\"", "reason=malformed", "socket=control")
	})

	t.Run("replayed msg_id dropped", func(t *testing.T) {
		before := srv.Dropped()
		req := c.message("execute_request", `{"code":"once"}`)
		frames, err := Encode(req, c.key)
		if err != nil {
			t.Fatal(err)
		}
		c.sendFrames(c.shell, frames)
		if got := next(t, srv.Shell()); got.Header.MsgID != req.Header.MsgID {
			t.Fatalf("got %+v", got.Header)
		}
		c.sendFrames(c.shell, frames)
		// Across channels too: the id space is the session's.
		c.sendFrames(c.control, frames)
		after := c.message("execute_request", "{}")
		c.send(c.shell, after, c.key)
		if got := next(t, srv.Shell()); got.Header.MsgID != after.Header.MsgID {
			t.Fatalf("replay delivered: %+v", got.Header)
		}
		c.send(c.control, after, c.key)
		eventually(t, "3 drops", func() bool { return srv.Dropped() == before+3 })
		select {
		case m := <-srv.Control():
			t.Fatalf("replay delivered on control: %+v", m.Header)
		default:
		}
		logged(t, logs, "reason=replay")
	})

	// jupyter_client's kernel manager and client share a session id with
	// separate counters: a new message reusing a msg_id is not a replay.
	t.Run("same msg_id, new message delivered", func(t *testing.T) {
		first := c.message("execute_request", `{"code":"a"}`)
		c.send(c.shell, first, c.key)
		next(t, srv.Shell())
		second := c.message("interrupt_request", "{}")
		second.Header.MsgID = first.Header.MsgID
		second.Header.Date = "2026-11-25T00:00:01.000000Z"
		c.send(c.control, second, c.key)
		if got := next(t, srv.Control()); got.Header.MsgType != "interrupt_request" {
			t.Fatalf("got %+v", got.Header)
		}
	})

	t.Run("input", func(t *testing.T) {
		for _, tc := range []struct {
			name        string
			parentInRep bool // jupyter_client leaves parent_header empty
		}{
			{"reply names its request", true},
			{"reply without parent", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				req := c.message("execute_request", `{"code":"fmt.Scanln()","allow_stdin":true}`)
				c.send(c.shell, req, c.key)
				exec := next(t, srv.Shell())
				type result struct {
					v   string
					err error
				}
				done := make(chan result, 1)
				go func() {
					v, err := srv.Input(context.Background(), exec, "Name: ", true)
					done <- result{v, err}
				}()
				ir := c.recvMessage(c.in)
				checkReply(t, ir, req, "input_request")
				var content struct {
					Prompt   string `json:"prompt"`
					Password bool   `json:"password"`
				}
				if err := json.Unmarshal(ir.Content, &content); err != nil || content.Prompt != "Name: " || !content.Password {
					t.Errorf("input_request content %s (%v)", ir.Content, err)
				}
				rep := c.message("input_reply", `{"value":"Ada"}`)
				if tc.parentInRep {
					rep.Parent = ir.Header
				}
				c.send(c.in, rep, c.key)
				select {
				case r := <-done:
					if r.err != nil || r.v != "Ada" {
						t.Errorf("Input = %q, %v", r.v, r.err)
					}
				case <-time.After(wait):
					t.Fatal("Input did not return")
				}
			})
		}
	})

	t.Run("input cancelled", func(t *testing.T) {
		req := c.message("execute_request", "{}")
		c.send(c.shell, req, c.key)
		exec := next(t, srv.Shell())
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, err := srv.Input(ctx, exec, "", false)
			done <- err
		}()
		c.recvMessage(c.in)
		// A reply to some other request must not satisfy this one.
		stray := c.message("input_reply", `{"value":"x"}`)
		stray.Parent = Header{MsgID: "someone-else"}
		c.send(c.in, stray, c.key)
		eventually(t, "stray reply logged", func() bool { return strings.Contains(logs.String(), "someone-else") })
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Input after cancel: %v", err)
			}
		case <-time.After(wait):
			t.Fatal("Input ignored its context")
		}
	})

	t.Run("bad arguments", func(t *testing.T) {
		routed := &Message{Identities: [][]byte{[]byte("x")}, Header: Header{MsgID: "r", MsgType: "x"}}
		unrouted := &Message{Header: Header{MsgID: "r", MsgType: "x"}}
		for name, err := range map[string]error{
			"unknown channel":    srv.Reply(Channel(7), routed, "x_reply", nil),
			"nil request":        srv.Reply(ShellChannel, nil, "x_reply", nil),
			"no identity":        srv.Reply(ShellChannel, unrouted, "x_reply", nil),
			"input no identity":  errOnly(srv.Input(context.Background(), unrouted, "", false)),
			"content not object": srv.Publish(nil, "stream", []int{1}),
			"empty msg_type":     srv.Publish(nil, "", nil),
		} {
			if err == nil {
				t.Errorf("%s: no error", name)
			}
		}
	})
}

func errOnly(_ string, err error) error { return err }

func TestServerEmptyKey(t *testing.T) {
	info := testInfo(t, "")
	srv, _ := startServer(t, info)
	c := dial(t, info)
	req := c.message("kernel_info_request", "{}")
	c.send(c.shell, req, nil)
	got := next(t, srv.Shell())
	if err := srv.Reply(ShellChannel, got, "kernel_info_reply", nil); err != nil {
		t.Fatal(err)
	}
	frames := recv(t, c.shell)
	if len(frames[1]) != 0 {
		t.Errorf("signature frame %q, want empty", frames[1])
	}
	reply, err := Decode(frames, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkReply(t, reply, req, "kernel_info_reply")
}

func TestServerCloseFreesPorts(t *testing.T) {
	info := testInfo(t, "k")
	const cycles = 3
	base := runtime.NumGoroutine()
	for i := range cycles {
		srv, err := Listen(info, Options{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatalf("Listen #%d on the same ports: %v", i, err)
		}
		if i == 1 {
			// A connected client must not keep the ports busy.
			c := dial(t, info)
			c.send(c.shell, c.message("kernel_info_request", "{}"), c.key)
			next(t, srv.Shell())
			c.close()
		}
		if err := srv.Close(); err != nil {
			t.Fatal(err)
		}
		if err := srv.Close(); err != nil {
			t.Errorf("second Close: %v", err)
		}
		if _, ok := <-srv.Shell(); ok {
			t.Error("Shell channel open after Close")
		}
		if _, ok := <-srv.Control(); ok {
			t.Error("Control channel open after Close")
		}
		if err := srv.Publish(nil, "status", nil); !errors.Is(err, ErrClosed) {
			t.Errorf("Publish after Close: %v", err)
		}
	}
	// zmq4 v0.17.0 never stops a PUB socket's writer goroutine; everything
	// else must be gone.
	eventually(t, "goroutines to stop", func() bool { return runtime.NumGoroutine() <= base+cycles })

	// Listen fails cleanly, releasing what it bound, when a port is taken.
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", info.HBPort))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Listen(info, Options{Logger: slog.New(slog.DiscardHandler)}); err == nil || !strings.Contains(err.Error(), "hb") {
		t.Errorf("Listen with hb port taken: %v", err)
	}
	l.Close()
	srv, err := Listen(info, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("Listen after a failed Listen: %v", err)
	}
	srv.Close()
}

func TestServerPortZero(t *testing.T) {
	srv, _ := startServer(t, ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", Key: "k"})
	info := srv.Info()
	seen := map[int]bool{}
	for _, p := range []int{info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HBPort} {
		if p == 0 || seen[p] {
			t.Fatalf("ports not assigned: %+v", info)
		}
		seen[p] = true
	}
	c := dial(t, info)
	req := c.message("kernel_info_request", "{}")
	c.send(c.shell, req, c.key)
	if got := next(t, srv.Shell()); got.Header.MsgID != req.Header.MsgID {
		t.Errorf("got %+v", got.Header)
	}
	if err := c.hb.Send(zmq4.NewMsg([]byte("ping"))); err != nil {
		t.Fatal(err)
	}
	recv(t, c.hb)
}

// zmtpHandshake is what a ZMTP 3.0 DEALER sends first: the greeting and a
// READY command.
func zmtpHandshake() []byte {
	greeting := make([]byte, zmtpGreetingLen)
	greeting[0], greeting[9], greeting[10] = 0xff, 0x7f, 3
	copy(greeting[12:], "NULL")
	prop := func(name, value string) []byte {
		out := append([]byte{byte(len(name))}, name...)
		out = binary.BigEndian.AppendUint32(out, uint32(len(value)))
		return append(out, value...)
	}
	ready := concat([]byte("\x05READY"), prop("Socket-Type", "DEALER"), prop("Identity", "raw"))
	return concat(greeting, wireFrame(flagCommand, ready))
}

// TestServerSurvivesHostileFrames sends, over raw TCP, a frame header
// announcing 1 TiB. Unguarded, zmq4 would try to allocate it and the
// process would die.
func TestServerSurvivesHostileFrames(t *testing.T) {
	info := testInfo(t, "k")
	srv, _ := startServer(t, info)
	for _, size := range []uint64{1 << 40, 1 << 62, MaxWireMessage + 1} {
		conn, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", info.ShellPort))
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(wait))
		if _, err := conn.Write(concat(zmtpHandshake(), longHeader(0, size))); err != nil {
			t.Fatal(err)
		}
		// The server answers the handshake, then hangs up.
		_, err = io.Copy(io.Discard, conn)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("size %d: connection not closed by the server", size)
		}
		conn.Close()
	}
	c := dial(t, info)
	req := c.message("kernel_info_request", "{}")
	c.send(c.shell, req, c.key)
	if got := next(t, srv.Shell()); got.Header.MsgID != req.Header.MsgID {
		t.Errorf("got %+v", got.Header)
	}
}
