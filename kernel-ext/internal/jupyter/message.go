package jupyter

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// ProtocolVersion is the Jupyter messaging protocol version stamped on every
// outgoing header.
const ProtocolVersion = "5.3"

// Delimiter separates the routing identities from the signed part of a
// message on the wire.
const Delimiter = "<IDS|MSG>"

// MaxHeaderSize is the largest header frame Decode accepts. Real headers are
// a few hundred bytes; the limit keeps a hostile peer from making the kernel
// parse megabytes of JSON before it can be rejected.
const MaxHeaderSize = 1 << 20

// Errors returned (wrapped) by Decode. Callers use errors.Is to tell a
// forged message from a broken one.
var (
	// ErrSignature reports a missing or wrong HMAC signature.
	ErrSignature = errors.New("jupyter: bad signature")
	// ErrMalformed reports frames that are not a Jupyter message.
	ErrMalformed = errors.New("jupyter: malformed message")
)

// Header is a Jupyter message header (also used for parent_header).
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is a decoded Jupyter message.
type Message struct {
	// Identities are the ZeroMQ routing frames that precede the delimiter.
	// Replies copy them so the ROUTER socket can address the requester.
	Identities [][]byte
	Header     Header
	// Parent is the header of the request this message answers. Its zero
	// value encodes as {}.
	Parent Header
	// Metadata encodes as {} when nil.
	Metadata map[string]any
	// Content is the message body as raw JSON. It encodes as {} when nil.
	Content json.RawMessage
	// Buffers are the optional binary frames that follow the content.
	Buffers [][]byte
}

// Sign returns the lowercase hex HMAC-SHA256 of the four signed frames
// under key, or nil when key is empty (an unauthenticated connection
// carries an empty signature frame).
func Sign(key, header, parent, metadata, content []byte) []byte {
	if len(key) == 0 {
		return nil
	}
	mac := hmac.New(sha256.New, key)
	for _, f := range [][]byte{header, parent, metadata, content} {
		mac.Write(f)
	}
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// Verify reports whether signature is the valid hex HMAC-SHA256 of the four
// signed frames under key. With an empty key every message is accepted, as
// the spec prescribes for connections without authentication.
func Verify(key, signature, header, parent, metadata, content []byte) bool {
	if len(key) == 0 {
		return true
	}
	got := make([]byte, sha256.Size)
	// A signature of the wrong length can never match; rejecting it before
	// decoding keeps the comparison below on fixed-size inputs.
	if len(signature) != hex.EncodedLen(sha256.Size) {
		return false
	}
	if _, err := hex.Decode(got, signature); err != nil {
		return false
	}
	mac := hmac.New(sha256.New, key)
	for _, f := range [][]byte{header, parent, metadata, content} {
		mac.Write(f)
	}
	return hmac.Equal(got, mac.Sum(nil))
}

// emptyObject is what an absent parent_header, metadata or content encodes
// to; a constant, so that frames handed to callers never share storage.
const emptyObject = "{}"

// Encode serialises msg into ZeroMQ frames: identities, the delimiter, the
// signature, header, parent_header, metadata, content and buffers. The
// signature frame is empty when key is empty.
func Encode(msg *Message, key []byte) ([][]byte, error) {
	if msg == nil {
		return nil, errors.New("jupyter: encode: nil message")
	}
	header, err := json.Marshal(msg.Header)
	if err != nil {
		return nil, fmt.Errorf("jupyter: encode header: %w", err)
	}
	parent := []byte(emptyObject)
	if msg.Parent != (Header{}) {
		if parent, err = json.Marshal(msg.Parent); err != nil {
			return nil, fmt.Errorf("jupyter: encode parent header: %w", err)
		}
	}
	metadata := []byte(emptyObject)
	if msg.Metadata != nil {
		if metadata, err = json.Marshal(msg.Metadata); err != nil {
			return nil, fmt.Errorf("jupyter: encode metadata: %w", err)
		}
	}
	content := []byte(emptyObject)
	if msg.Content != nil {
		// Compacting validates the JSON too, so a broken RawMessage is
		// reported here rather than by the front end.
		var buf bytes.Buffer
		if err := json.Compact(&buf, msg.Content); err != nil {
			return nil, fmt.Errorf("jupyter: encode content: %w", err)
		}
		content = buf.Bytes()
	}
	frames := make([][]byte, 0, len(msg.Identities)+6+len(msg.Buffers))
	frames = append(frames, msg.Identities...)
	frames = append(frames,
		[]byte(Delimiter),
		Sign(key, header, parent, metadata, content),
		header, parent, metadata, content)
	frames = append(frames, msg.Buffers...)
	return frames, nil
}

// Decode parses and authenticates ZeroMQ frames received on a kernel socket.
// When key is non-empty the signature must match; errors wrap ErrSignature
// or ErrMalformed. Decode never panics on hostile input.
func Decode(frames [][]byte, key []byte) (*Message, error) {
	delim := -1
	for i, f := range frames {
		if string(f) == Delimiter {
			delim = i
			break
		}
	}
	if delim < 0 {
		return nil, fmt.Errorf("%w: no %s delimiter", ErrMalformed, Delimiter)
	}
	rest := frames[delim+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: %d frames after delimiter, want at least 5", ErrMalformed, len(rest))
	}
	sig, header, parent, metadata, content := rest[0], rest[1], rest[2], rest[3], rest[4]
	if len(header) > MaxHeaderSize {
		return nil, fmt.Errorf("%w: header frame of %d bytes exceeds %d", ErrMalformed, len(header), MaxHeaderSize)
	}
	if len(key) > 0 {
		if len(sig) == 0 {
			return nil, fmt.Errorf("%w: message is unsigned", ErrSignature)
		}
		if !Verify(key, sig, header, parent, metadata, content) {
			return nil, fmt.Errorf("%w: signature does not match", ErrSignature)
		}
	}

	msg := &Message{}
	if err := decodeObject(header, &msg.Header); err != nil {
		return nil, fmt.Errorf("%w: header: %w", ErrMalformed, err)
	}
	if msg.Header.MsgID == "" || msg.Header.MsgType == "" {
		return nil, fmt.Errorf("%w: header lacks msg_id or msg_type", ErrMalformed)
	}
	if err := decodeObject(parent, &msg.Parent); err != nil {
		return nil, fmt.Errorf("%w: parent_header: %w", ErrMalformed, err)
	}
	if err := decodeObject(metadata, &msg.Metadata); err != nil {
		return nil, fmt.Errorf("%w: metadata: %w", ErrMalformed, err)
	}
	if !isObject(content) || !json.Valid(content) {
		return nil, fmt.Errorf("%w: content is not a JSON object", ErrMalformed)
	}
	// Frames may alias a reused receive buffer; the message must own its
	// bytes because it outlives the receive loop iteration.
	msg.Content = bytes.Clone(content)
	for _, id := range frames[:delim] {
		msg.Identities = append(msg.Identities, bytes.Clone(id))
	}
	for _, b := range rest[5:] {
		msg.Buffers = append(msg.Buffers, bytes.Clone(b))
	}
	return msg, nil
}

// decodeObject unmarshals a frame that the spec requires to be a JSON
// object; null, arrays and scalars are refused so that later code can rely
// on the shape.
func decodeObject(frame []byte, v any) error {
	if !isObject(frame) {
		return errors.New("not a JSON object")
	}
	return json.Unmarshal(frame, v)
}

func isObject(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '{'
}
