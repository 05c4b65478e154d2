package jupyter

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"net"
	"slices"
	"strings"
	"testing"
	"time"
)

// wireFrame encodes one ZMTP 3 frame.
func wireFrame(flags byte, body []byte) []byte {
	if len(body) > 255 {
		out := []byte{flags | flagLong, 0, 0, 0, 0, 0, 0, 0, 0}
		binary.BigEndian.PutUint64(out[1:], uint64(len(body)))
		return append(out, body...)
	}
	return append([]byte{flags, byte(len(body))}, body...)
}

func longHeader(flags byte, size uint64) []byte {
	out := []byte{flags | flagLong, 0, 0, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint64(out[1:], size)
	return out
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func TestFrameParser(t *testing.T) {
	const limit = 1000
	greeting := make([]byte, zmtpGreetingLen)
	ready := wireFrame(flagCommand, []byte("\x05READY"))
	big := make([]byte, 600)
	for _, tc := range []struct {
		name      string
		stream    []byte
		handshake bool
		wantErr   bool
	}{
		{"greeting only", greeting, false, false},
		{"handshake", concat(greeting, ready), true, false},
		{"handshake and messages", concat(greeting, ready,
			wireFrame(flagMore, []byte("a")), wireFrame(0, big), wireFrame(0, big)), true, false},
		{"empty frames", concat(greeting, ready, wireFrame(flagMore, nil), wireFrame(0, nil)), true, false},
		{"frame over limit", concat(greeting, ready, longHeader(0, limit+1)), true, true},
		{"absurd frame", concat(greeting, ready, longHeader(0, 1<<62)), true, true},
		{"absurd frame in handshake", concat(greeting, longHeader(flagCommand, 1<<40)), false, true},
		{"multipart over limit", concat(greeting, ready, wireFrame(flagMore, big), wireFrame(0, big)), true, true},
	} {
		for _, step := range []int{1, 2, 7, len(tc.stream)} {
			fp := frameParser{greetingLeft: zmtpGreetingLen, max: limit}
			var handshake bool
			var err error
			for i := 0; i < len(tc.stream) && err == nil; i += step {
				var h bool
				h, err = fp.feed(tc.stream[i:min(i+step, len(tc.stream))])
				handshake = handshake || h
			}
			if (err != nil) != tc.wantErr {
				t.Errorf("%s, step %d: err = %v, want error %v", tc.name, step, err, tc.wantErr)
			}
			if !tc.wantErr && handshake != tc.handshake {
				t.Errorf("%s, step %d: handshake = %v, want %v", tc.name, step, handshake, tc.handshake)
			}
		}
	}
}

// TestGuardedListener checks the handshake deadline (a silent client must
// not hold zmq4's accept loop forever) and that it is lifted once the peer
// has sent its handshake.
func TestGuardedListener(t *testing.T) {
	const short = 200 * time.Millisecond
	l, err := guardedTCP{handshakeTimeout: short, max: 1 << 20}.Listen(context.Background(), "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	addr := l.Addr().String()

	t.Run("silent peer times out", func(t *testing.T) {
		peer, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer peer.Close()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, err = c.Read(make([]byte, 1))
		var ne net.Error
		if !errors.As(err, &ne) || !ne.Timeout() {
			t.Errorf("read from a silent peer: %v, want a timeout", err)
		}
	})

	t.Run("deadline lifted after handshake", func(t *testing.T) {
		peer, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer peer.Close()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		hs := zmtpHandshake()
		if _, err := peer.Write(hs); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, make([]byte, len(hs))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(2 * short) // past the handshake deadline
		msg := wireFrame(0, []byte("hello"))
		if _, err := peer.Write(msg); err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(c, make([]byte, len(msg))); err != nil {
			t.Errorf("read after handshake: %v", err)
		}
	})

	t.Run("oversized frame closes", func(t *testing.T) {
		peer, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer peer.Close()
		c, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		stream := concat(zmtpHandshake(), longHeader(0, 1<<21))
		if _, err := peer.Write(stream); err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadFull(c, make([]byte, len(stream)))
		if err == nil || strings.Contains(err.Error(), "timeout") {
			t.Errorf("read of an oversized frame header: %v, want the guard's error", err)
		}
	})
}

// countingConn records the writes that reach the connection.
type countingConn struct {
	net.Conn
	writes [][]byte
}

func (c *countingConn) Write(p []byte) (int, error) {
	c.writes = append(c.writes, slices.Clone(p))
	return len(p), nil
}

// zmq4Parts splits a message the way zmq4 writes it through a wrapped
// connection: each frame's header, then its body.
func zmq4Parts(bodies ...[]byte) [][]byte {
	var parts [][]byte
	for i, body := range bodies {
		flags := byte(flagMore)
		if i == len(bodies)-1 {
			flags = 0
		}
		f := wireFrame(flags, body)
		hdr := 2
		if f[0]&flagLong != 0 {
			hdr = 9
		}
		parts = append(parts, f[:hdr], f[hdr:])
	}
	return parts
}

// TestGuardConnGathersMessages checks that a message written part by part
// reaches the connection only once complete (one writev on a TCP
// connection; consecutive writes here, where the connection is no
// *net.TCPConn), unchanged, that a large frame goes out uncopied, and
// that the greeting and commands are not held back.
func TestGuardConnGathersMessages(t *testing.T) {
	cc := &countingConn{}
	c := &guardConn{Conn: cc, out: frameParser{greetingLeft: zmtpGreetingLen, max: math.MaxUint64}}
	// write returns the indexes of the parts whose Write reached cc.
	write := func(parts [][]byte) []int {
		t.Helper()
		cc.writes = nil
		var flushed []int
		for i, p := range parts {
			before := len(cc.writes)
			if n, err := c.Write(p); n != len(p) || err != nil {
				t.Fatalf("Write = %d, %v", n, err)
			}
			if len(cc.writes) > before {
				flushed = append(flushed, i)
			}
		}
		if got, want := concat(cc.writes...), concat(parts...); !bytes.Equal(got, want) {
			t.Fatalf("written bytes differ from the message (%d vs %d bytes)", len(got), len(want))
		}
		if !c.out.atBoundary() {
			t.Fatal("not at a message boundary after a complete message")
		}
		return flushed
	}

	if got := write([][]byte{make([]byte, zmtpGreetingLen)}); !slices.Equal(got, []int{0}) {
		t.Errorf("greeting held back")
	}
	if got := write([][]byte{wireFrame(flagCommand, []byte("\x05READY"))}); !slices.Equal(got, []int{0}) {
		t.Errorf("READY held back")
	}

	parts := zmq4Parts([]byte("id"), []byte(Delimiter), []byte("sig"), []byte("{}"), []byte("{}"), []byte("{}"), []byte("{}"))
	if got, want := write(parts), []int{len(parts) - 1}; !slices.Equal(got, want) {
		t.Errorf("message of small frames written at parts %v, want %v", got, want)
	}

	big := make([]byte, maxGather+1)
	parts = zmq4Parts([]byte("id"), big, []byte("{}"))
	if got, want := write(parts), []int{3, 5}; !slices.Equal(got, want) {
		t.Errorf("message with a large frame written at parts %v, want %v", got, want)
	}
	if !slices.ContainsFunc(cc.writes, func(w []byte) bool { return len(w) == len(big) }) {
		t.Errorf("large body not written by itself (writes of %v bytes)", writeSizes(cc.writes))
	}
}

func writeSizes(ws [][]byte) []int {
	var n []int
	for _, w := range ws {
		n = append(n, len(w))
	}
	return n
}
