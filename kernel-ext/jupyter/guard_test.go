package jupyter

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
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
