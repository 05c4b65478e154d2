package jupyter

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

// zmq4 v0.17.0 trusts its peers in two ways that let anyone who can reach a
// kernel port crash or stall it:
//
//   - it allocates each incoming frame at the size the peer announces, up to
//     2^63 bytes, so a single 10-byte frame header kills the process;
//   - it performs the ZMTP handshake inside its accept loop without a
//     deadline, so a client that connects and stays silent blocks every
//     later connection on that socket.
//
// The kernel therefore listens through guardedTCP, a transport whose
// connections follow the ZMTP framing of the incoming byte stream, close the
// connection before zmq4 sees an oversized frame header, and give the
// handshake a deadline.
//
// The same connections also keep zmq4 from being slow. zmq4 reads each
// frame header and body with a read call of its own, and writes a message
// with net.Buffers, which becomes a single writev only on a *net.TCPConn:
// through any wrapper it is one write, hence one TCP segment, per frame
// header and per frame body, fourteen for a reply of seven frames. So reads
// are buffered and writes are gathered until a message is complete.

const (
	// guardedScheme is the endpoint scheme under which guardedTCP is
	// registered with zmq4.
	guardedScheme = "goconc+tcp"
	// MaxWireMessage is the largest message (sum of its frames) a peer may
	// send; a connection announcing more is closed. Jupyter requests are
	// small, but comm messages may carry binary buffers.
	MaxWireMessage = 256 << 20
	// handshakeTimeout bounds the ZMTP greeting and handshake of an incoming
	// connection.
	handshakeTimeout = 5 * time.Second
	// zmtpGreetingLen is the fixed length of the ZMTP 3 greeting.
	zmtpGreetingLen = 64
	// readBuffer is the size of a connection's read buffer: room for
	// several ordinary requests, so that one read system call usually
	// brings a whole one.
	readBuffer = 16 << 10
	// maxGather is how many bytes of an outgoing message are copied
	// together before being written; the rest of a larger message goes out
	// from the caller's buffers, uncopied.
	maxGather = 64 << 10
)

// registerGuardedTCP makes guardedScheme endpoints available. zmq4 keeps its
// transports in a process-wide registry without removal; registering the
// same stateless value again is refused, which is fine.
func registerGuardedTCP() error {
	if slices.Contains(zmq4.Transports(), guardedScheme) {
		return nil
	}
	err := zmq4.RegisterTransport(guardedScheme, guardedTCP{handshakeTimeout: handshakeTimeout, max: MaxWireMessage})
	if err != nil && !slices.Contains(zmq4.Transports(), guardedScheme) {
		return fmt.Errorf("jupyter: register transport: %w", err)
	}
	return nil
}

// guardedTCP is a zmq4 transport over TCP whose accepted connections are
// guarded (see guardConn).
type guardedTCP struct {
	handshakeTimeout time.Duration
	max              uint64
}

func (guardedTCP) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	return d.DialContext(ctx, "tcp", addr)
}

func (g guardedTCP) Listen(ctx context.Context, addr string) (net.Listener, error) {
	var lc net.ListenConfig
	l, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return guardedListener{l, g}, nil
}

func (guardedTCP) Addr(ep string) (string, error) {
	return transport.New("tcp").Addr(ep)
}

type guardedListener struct {
	net.Listener
	cfg guardedTCP
}

func (l guardedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	// Cleared by guardConn once the peer has sent its handshake command.
	if err := c.SetDeadline(time.Now().Add(l.cfg.handshakeTimeout)); err != nil {
		c.Close()
		return nil, err
	}
	return &guardConn{
		Conn:   c,
		br:     bufio.NewReaderSize(c, readBuffer),
		parser: frameParser{greetingLeft: zmtpGreetingLen, max: l.cfg.max},
		out:    frameParser{greetingLeft: zmtpGreetingLen, max: math.MaxUint64},
	}, nil
}

// guardConn inspects every byte zmq4 reads and fails the read that would
// deliver an oversized frame header, before zmq4 allocates the frame. It
// buffers reads and gathers the writes of one message (see above).
type guardConn struct {
	net.Conn
	br     *bufio.Reader // reads from Conn; used by zmq4's reading goroutine only
	parser frameParser   // the incoming stream, as zmq4 consumes it

	wmu    sync.Mutex
	out    frameParser // the outgoing stream, to find where messages end
	gather []byte      // the written part of an incomplete message
}

func (c *guardConn) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	if n > 0 {
		handshake, perr := c.parser.feed(p[:n])
		if perr != nil {
			c.Conn.Close()
			return 0, perr
		}
		if handshake {
			if derr := c.Conn.SetDeadline(time.Time{}); derr != nil {
				return 0, derr
			}
		}
	}
	return n, err
}

// Write gathers p into the current message and writes the message once its
// last frame is complete, in one system call. Data of an incomplete message
// is reported written; an error writing the message is reported by the
// Write that completes it, and zmq4 then drops the connection.
func (c *guardConn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	c.out.feed(p) // no limit on what the kernel sends: never fails
	if !c.out.atBoundary() && len(c.gather)+len(p) <= maxGather {
		c.gather = append(c.gather, p...)
		return len(p), nil
	}
	var err error
	if len(c.gather) == 0 {
		_, err = c.Conn.Write(p)
	} else {
		// The underlying *net.TCPConn writes both in one writev.
		bufs := net.Buffers{c.gather, p}
		_, err = bufs.WriteTo(c.Conn)
		c.gather = c.gather[:0]
	}
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// ZMTP 3 frame flags.
const (
	flagMore    = 0x01
	flagLong    = 0x02
	flagCommand = 0x04
)

type parseState int

const (
	stateFlags parseState = iota
	stateShortSize
	stateLongSize
	stateBody
)

// frameParser follows ZMTP 3 framing over a byte stream without buffering
// frame bodies. It only sees one direction of the connection.
type frameParser struct {
	greetingLeft int
	max          uint64

	state     parseState
	flags     byte
	size      [8]byte
	sizeN     int
	bodyLeft  uint64
	msgBytes  uint64 // frames so far of the current multipart message
	handshook bool
	inMessage bool // a frame with the MORE flag ended: the message goes on
}

// atBoundary reports whether the bytes fed so far end with a complete
// greeting, command or message.
func (fp *frameParser) atBoundary() bool {
	return fp.greetingLeft == 0 && fp.state == stateFlags && !fp.inMessage
}

// feed consumes p. It reports handshake = true once, when the peer's first
// command (its READY, ending the NULL-mechanism handshake) is complete, and
// an error as soon as a frame or message exceeds the limit.
func (fp *frameParser) feed(p []byte) (handshake bool, err error) {
	for len(p) > 0 {
		if fp.greetingLeft > 0 {
			n := min(fp.greetingLeft, len(p))
			fp.greetingLeft -= n
			p = p[n:]
			continue
		}
		switch fp.state {
		case stateFlags:
			fp.flags = p[0]
			p = p[1:]
			if fp.flags&flagLong != 0 {
				fp.state, fp.sizeN = stateLongSize, 0
			} else {
				fp.state = stateShortSize
			}
		case stateShortSize:
			size := uint64(p[0])
			p = p[1:]
			if err := fp.startBody(size); err != nil {
				return handshake, err
			}
		case stateLongSize:
			n := copy(fp.size[fp.sizeN:], p)
			fp.sizeN += n
			p = p[n:]
			if fp.sizeN == len(fp.size) {
				if err := fp.startBody(binary.BigEndian.Uint64(fp.size[:])); err != nil {
					return handshake, err
				}
			}
		case stateBody:
			n := min(fp.bodyLeft, uint64(len(p)))
			fp.bodyLeft -= n
			p = p[n:]
		}
		if fp.state == stateBody && fp.bodyLeft == 0 {
			if fp.endFrame() {
				handshake = true
			}
		}
	}
	return handshake, nil
}

func (fp *frameParser) startBody(size uint64) error {
	if size > fp.max {
		return fmt.Errorf("jupyter: peer announced a %d-byte frame, limit %d", size, fp.max)
	}
	if fp.flags&flagCommand == 0 {
		fp.msgBytes += size
		if fp.msgBytes > fp.max {
			return fmt.Errorf("jupyter: peer message exceeds %d bytes", fp.max)
		}
	}
	fp.state, fp.bodyLeft = stateBody, size
	return nil
}

// endFrame resets the parser for the next frame and reports whether the
// frame just finished completed the handshake.
func (fp *frameParser) endFrame() bool {
	fp.state = stateFlags
	fp.inMessage = fp.flags&(flagCommand|flagMore) == flagMore
	if fp.flags&flagCommand != 0 {
		if !fp.handshook {
			fp.handshook = true
			return true
		}
		return false
	}
	if fp.flags&flagMore == 0 {
		fp.msgBytes = 0
	}
	return false
}
