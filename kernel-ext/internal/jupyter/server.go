package jupyter

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
)

// ErrClosed is returned by operations on a closed Server.
var ErrClosed = errors.New("jupyter: server closed")

const (
	// requestQueue is the capacity of the Shell and Control channels. When
	// the dispatcher falls behind, receiving stops and ZeroMQ pushes back
	// on the client instead of the kernel buffering without bound.
	requestQueue = 256
	// replayWindow is how many recent msg_ids are remembered to refuse
	// replayed requests.
	replayWindow = 10000
	// sendTimeout bounds how long a send waits for a peer to be connected
	// (zmq4's ROUTER blocks until one is); the default is five minutes.
	sendTimeout = 10 * time.Second
	// iopubHWM is the number of IOPub messages queued before further ones
	// are dropped, as libzmq's default send high-water mark does, so that a
	// stalled subscriber cannot make the kernel grow without bound.
	iopubHWM = 10000
)

// Options configure a Server.
type Options struct {
	// Logger receives dropped-message warnings and transport errors.
	// slog.Default() is used when nil.
	Logger *slog.Logger
	// Session is the kernel's session id, stamped on every outgoing header.
	// A random UUID v4 is generated when empty.
	Session string
	// Username is stamped on every outgoing header; "kernel" when empty.
	Username string
}

// Channel names the ROUTER socket a reply is sent on.
type Channel int

// The channels a request can arrive on and be answered on.
const (
	ShellChannel Channel = iota
	ControlChannel
)

// String returns the socket name, "shell" or "control".
func (c Channel) String() string {
	switch c {
	case ShellChannel:
		return "shell"
	case ControlChannel:
		return "control"
	}
	return fmt.Sprintf("Channel(%d)", int(c))
}

// Server is a kernel's end of the five Jupyter sockets. It verifies and
// decodes incoming requests, signs outgoing messages and answers heartbeats.
// Its methods are safe for concurrent use.
type Server struct {
	info     ConnectionInfo
	key      []byte
	log      *slog.Logger
	session  string
	username string

	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
	closeErr  error

	shell, control, stdin, iopub, hb *socket

	shellCh, controlCh chan *Message
	replay             replaySet
	dropped            atomic.Int64

	// inputSlot admits one Input at a time: an input_reply does not always
	// name its request (jupyter_client leaves parent_header empty), so
	// only one may be outstanding.
	inputSlot chan struct{}
	pendingMu sync.Mutex
	pending   *pendingInput
}

// socket serialises sends, because a multipart message must not interleave
// with another on the same socket.
type socket struct {
	name string
	z    zmq4.Socket
	mu   sync.Mutex
}

func (s *socket) send(frames [][]byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.z.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		return fmt.Errorf("jupyter: send on %s: %w", s.name, err)
	}
	return nil
}

type pendingInput struct {
	msgID string
	reply chan *Message
}

// Listen binds the five sockets of info on info.IP only and starts serving:
// requests are delivered on Shell and Control, heartbeats are echoed.
// Close releases everything.
func Listen(info ConnectionInfo, opts Options) (*Server, error) {
	if err := info.Validate(); err != nil {
		return nil, fmt.Errorf("jupyter: listen: %w", err)
	}
	if info.Transport == "tcp" {
		if err := registerGuardedTCP(); err != nil {
			return nil, err
		}
	}
	s := &Server{
		key:       []byte(info.Key),
		log:       opts.Logger,
		session:   opts.Session,
		username:  opts.Username,
		shellCh:   make(chan *Message, requestQueue),
		controlCh: make(chan *Message, requestQueue),
		inputSlot: make(chan struct{}, 1),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.session == "" {
		s.session = newUUID()
	}
	if s.username == "" {
		s.username = "kernel"
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())

	// zmq4 logs through the standard logger; route it to ours.
	zopts := []zmq4.Option{
		zmq4.WithTimeout(sendTimeout),
		zmq4.WithLogger(slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)),
	}
	s.info = info
	specs := []struct {
		dst  **socket
		name string
		port *int
		mk   func(context.Context, ...zmq4.Option) zmq4.Socket
	}{
		{&s.shell, "shell", &s.info.ShellPort, zmq4.NewRouter},
		{&s.control, "control", &s.info.ControlPort, zmq4.NewRouter},
		{&s.stdin, "stdin", &s.info.StdinPort, zmq4.NewRouter},
		{&s.iopub, "iopub", &s.info.IOPubPort, zmq4.NewPub},
		{&s.hb, "hb", &s.info.HBPort, zmq4.NewRep},
	}
	for _, sp := range specs {
		ep, err := info.endpoint(*sp.port)
		if err == nil {
			z := sp.mk(s.ctx, zopts...)
			*sp.dst = &socket{name: sp.name, z: z}
			err = z.Listen(ep)
		}
		if err != nil {
			s.cancel()
			s.closeSockets()
			return nil, fmt.Errorf("jupyter: listen %s on %s port %d: %w", sp.name, info.IP, *sp.port, err)
		}
		// Port 0 asks for any free port; record the one chosen.
		if a, ok := (*sp.dst).z.Addr().(*net.TCPAddr); ok {
			*sp.port = a.Port
		}
	}
	if err := s.iopub.z.SetOption(zmq4.OptionHWM, iopubHWM); err != nil {
		s.cancel()
		s.closeSockets()
		return nil, fmt.Errorf("jupyter: iopub high-water mark: %w", err)
	}

	s.wg.Add(4)
	go s.receive(s.shell, s.shellCh)
	go s.receive(s.control, s.controlCh)
	go s.receiveStdin()
	go s.heartbeat()
	return s, nil
}

// Info returns the connection info the server listens on, with the ports
// it was given as 0 replaced by the ones the system chose: what a
// connection file for this server must say.
func (s *Server) Info() ConnectionInfo { return s.info }

// Session returns the kernel session id stamped on outgoing headers.
func (s *Server) Session() string { return s.session }

// Shell returns the verified, decoded requests from the shell socket in
// arrival order. The channel is closed by Close.
func (s *Server) Shell() <-chan *Message { return s.shellCh }

// Control returns the verified, decoded requests from the control socket in
// arrival order. The channel is closed by Close.
func (s *Server) Control() <-chan *Message { return s.controlCh }

// Dropped returns how many incoming messages were refused: bad or missing
// signature, malformed frames or JSON, or a replayed msg_id.
func (s *Server) Dropped() int64 { return s.dropped.Load() }

// Reply answers req on ch with a new message of type msgType whose parent
// is req's header.
func (s *Server) Reply(ch Channel, req *Message, msgType string, content any) error {
	return s.ReplyWithMetadata(ch, req, msgType, content, nil)
}

// ReplyWithMetadata is Reply with message metadata (e.g. execute_reply's
// "started" or "dependencies_met").
func (s *Server) ReplyWithMetadata(ch Channel, req *Message, msgType string, content any, metadata map[string]any) error {
	if req == nil {
		return errors.New("jupyter: reply: nil request")
	}
	// Without an identity the ROUTER socket would silently discard the
	// reply: fail loudly instead.
	if len(req.Identities) == 0 {
		return fmt.Errorf("jupyter: reply %s: request has no routing identity", msgType)
	}
	var sock *socket
	switch ch {
	case ShellChannel:
		sock = s.shell
	case ControlChannel:
		sock = s.control
	default:
		return fmt.Errorf("jupyter: reply: unknown channel %v", ch)
	}
	msg, err := s.newMessage(req, msgType, content)
	if err != nil {
		return fmt.Errorf("jupyter: reply %s: %w", msgType, err)
	}
	msg.Identities = req.Identities
	msg.Metadata = metadata
	return s.send(sock, msg)
}

// Publish broadcasts a message of type msgType on IOPub. parent, the
// request the message belongs to, may be nil (e.g. the starting status).
//
// Publish only queues the message. Subscribers that connected moments ago
// may miss it (a PUB socket drops messages for peers whose subscription has
// not arrived yet), and once 10000 messages wait for a slow subscriber,
// further ones are dropped without error: callers that can produce output
// faster than a front end reads it must coalesce or rate-limit it.
func (s *Server) Publish(parent *Message, msgType string, content any) error {
	msg, err := s.newMessage(parent, msgType, content)
	if err != nil {
		return fmt.Errorf("jupyter: publish %s: %w", msgType, err)
	}
	// The topic frame takes the place of the identities; clients
	// subscribe to everything, ipykernel's form is kept for familiarity.
	msg.Identities = [][]byte{[]byte("kernel." + s.session + "." + msgType)}
	return s.send(s.iopub, msg)
}

// Input sends an input_request for parent (an execute_request) to the
// client that sent it, on the stdin socket, and waits for the input_reply
// or for ctx to be done. Only one Input runs at a time; concurrent calls
// wait their turn.
func (s *Server) Input(ctx context.Context, parent *Message, prompt string, password bool) (string, error) {
	if parent == nil || len(parent.Identities) == 0 {
		return "", errors.New("jupyter: input: parent request with no routing identity")
	}
	select {
	case s.inputSlot <- struct{}{}:
		defer func() { <-s.inputSlot }()
	case <-ctx.Done():
		return "", fmt.Errorf("jupyter: input: %w", ctx.Err())
	case <-s.ctx.Done():
		return "", ErrClosed
	}
	msg, err := s.newMessage(parent, "input_request", map[string]any{"prompt": prompt, "password": password})
	if err != nil {
		return "", fmt.Errorf("jupyter: input: %w", err)
	}
	msg.Identities = parent.Identities
	p := &pendingInput{msgID: msg.Header.MsgID, reply: make(chan *Message, 1)}
	// Registered before sending: a quick client could otherwise answer
	// before anyone listens.
	s.pendingMu.Lock()
	s.pending = p
	s.pendingMu.Unlock()
	defer func() {
		s.pendingMu.Lock()
		if s.pending == p {
			s.pending = nil
		}
		s.pendingMu.Unlock()
	}()
	if err := s.send(s.stdin, msg); err != nil {
		return "", fmt.Errorf("jupyter: input: %w", err)
	}
	select {
	case r := <-p.reply:
		var c struct {
			Value *string `json:"value"`
		}
		if err := json.Unmarshal(r.Content, &c); err != nil {
			return "", fmt.Errorf("jupyter: input_reply content: %w", err)
		}
		if c.Value == nil {
			return "", errors.New("jupyter: input_reply without a value")
		}
		return *c.Value, nil
	case <-ctx.Done():
		return "", fmt.Errorf("jupyter: input: %w", ctx.Err())
	case <-s.ctx.Done():
		return "", ErrClosed
	}
}

// Close closes the sockets, freeing their ports, and waits for the
// server's goroutines to stop. The Shell and Control channels are closed.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.cancel()
		s.closeErr = s.closeSockets()
		s.wg.Wait()
	})
	return s.closeErr
}

func (s *Server) closeSockets() error {
	var errs []error
	for _, sock := range []*socket{s.shell, s.control, s.stdin, s.iopub, s.hb} {
		if sock == nil {
			continue
		}
		// zmq4 reports connections the peer already closed; those are not
		// failures to release anything.
		if err := sock.z.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("jupyter: close %s: %w", sock.name, err))
		}
	}
	return errors.Join(errs...)
}

func (s *Server) send(sock *socket, msg *Message) error {
	if s.ctx.Err() != nil {
		return ErrClosed
	}
	frames, err := Encode(msg, s.key)
	if err != nil {
		return err
	}
	return sock.send(frames)
}

// newMessage builds an outgoing message with a fresh header.
func (s *Server) newMessage(parent *Message, msgType string, content any) (*Message, error) {
	if msgType == "" {
		return nil, errors.New("empty msg_type")
	}
	msg := &Message{
		Header: Header{
			MsgID:    newUUID(),
			Session:  s.session,
			Username: s.username,
			Date:     time.Now().UTC().Format(headerDate),
			MsgType:  msgType,
			Version:  ProtocolVersion,
		},
	}
	if parent != nil {
		msg.Parent = parent.Header
	}
	if content != nil {
		raw, err := json.Marshal(content)
		if err != nil {
			return nil, fmt.Errorf("encode content: %w", err)
		}
		if !isObject(raw) {
			return nil, fmt.Errorf("content encodes as %.20s, not a JSON object", raw)
		}
		msg.Content = raw
	}
	return msg, nil
}

// receive delivers verified requests from a ROUTER socket to out until the
// server closes.
func (s *Server) receive(sock *socket, out chan<- *Message) {
	defer s.wg.Done()
	defer close(out)
	for {
		frames, ok := s.recv(sock)
		if !ok {
			return
		}
		msg, err := Decode(frames, s.key)
		if err != nil {
			s.drop(sock.name, err)
			continue
		}
		if s.replay.seen(replayKey(frames)) {
			s.drop(sock.name, fmt.Errorf("replayed message %q (%s)", msg.Header.MsgID, msg.Header.MsgType))
			continue
		}
		select {
		case out <- msg:
		case <-s.ctx.Done():
			return
		}
	}
}

func (s *Server) receiveStdin() {
	defer s.wg.Done()
	for {
		frames, ok := s.recv(s.stdin)
		if !ok {
			return
		}
		msg, err := Decode(frames, s.key)
		if err != nil {
			s.drop(s.stdin.name, err)
			continue
		}
		if msg.Header.MsgType != "input_reply" {
			s.log.Warn("jupyter: ignored message on stdin", "msg_type", msg.Header.MsgType)
			continue
		}
		s.pendingMu.Lock()
		p := s.pending
		if p != nil && (msg.Parent.MsgID == "" || msg.Parent.MsgID == p.msgID) {
			s.pending = nil
		} else {
			p = nil
		}
		s.pendingMu.Unlock()
		if p == nil {
			s.log.Warn("jupyter: ignored input_reply that answers no pending input_request",
				"parent_msg_id", msg.Parent.MsgID)
			continue
		}
		p.reply <- msg // buffered, and p was removed from pending: never blocks
	}
}

// heartbeat echoes every ping, as the spec asks.
func (s *Server) heartbeat() {
	defer s.wg.Done()
	for {
		frames, ok := s.recv(s.hb)
		if !ok {
			return
		}
		if err := s.hb.send(frames); err != nil && s.ctx.Err() == nil {
			s.log.Warn("jupyter: heartbeat echo failed", "err", err)
		}
	}
}

// recv returns the next message of sock, or false once the server closes.
func (s *Server) recv(sock *socket) ([][]byte, bool) {
	for {
		m, err := sock.z.Recv()
		if s.ctx.Err() != nil {
			return nil, false
		}
		if err == nil {
			return m.Frames, true
		}
		s.log.Warn("jupyter: receive failed", "socket", sock.name, "err", err)
		// Errors are per message in zmq4, but pause briefly so that a
		// persistent one cannot spin a core.
		select {
		case <-s.ctx.Done():
			return nil, false
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (s *Server) drop(socket string, err error) {
	n := s.dropped.Add(1)
	reason := "malformed"
	if errors.Is(err, ErrSignature) {
		reason = "bad signature"
	} else if !errors.Is(err, ErrMalformed) {
		reason = "replay"
	}
	s.log.Warn("jupyter: dropped message", "socket", socket, "reason", reason, "err", err, "dropped_total", n)
}

// headerDate is the format of header dates: ISO 8601 with exactly six
// fractional digits, as ipykernel writes them. jupyter_client parses one to
// six digits into a datetime and leaves anything else a string, so Go's
// RFC3339Nano (up to nine digits, trailing zeros dropped) would give
// clients a string or a datetime at random.
const headerDate = "2006-01-02T15:04:05.000000Z07:00"

// replayKey identifies a message for replay detection: its signature, or
// a digest of its header on an unsigned connection. Not the msg_id alone:
// jupyter_client gives a kernel manager and its clients copies of one
// session, each with its own counter, so two honest requests can carry the
// same msg_id; their headers (dates) and hence signatures still differ.
// ipykernel keys its digest history on the signature for the same reason.
// frames has already passed Decode.
func replayKey(frames [][]byte) string {
	for i, f := range frames {
		if string(f) != Delimiter {
			continue
		}
		if sig := frames[i+1]; len(sig) > 0 {
			return string(sig)
		}
		sum := sha256.Sum256(frames[i+2])
		return string(sum[:])
	}
	return ""
}

// replaySet remembers the last replayWindow message keys.
type replaySet struct {
	mu   sync.Mutex
	ids  map[string]struct{}
	ring []string
	next int
}

// seen records id and reports whether it was already recorded.
func (r *replaySet) seen(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ids == nil {
		r.ids = make(map[string]struct{}, replayWindow)
		r.ring = make([]string, replayWindow)
	}
	if _, ok := r.ids[id]; ok {
		return true
	}
	if old := r.ring[r.next]; old != "" {
		delete(r.ids, old)
	}
	r.ring[r.next] = id
	r.next = (r.next + 1) % len(r.ring)
	r.ids[id] = struct{}{}
	return false
}

// newUUID returns a random (version 4) UUID in its canonical text form.
func newUUID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails: crypto/rand aborts the program instead
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:36], b[10:16])
	return string(out[:])
}
