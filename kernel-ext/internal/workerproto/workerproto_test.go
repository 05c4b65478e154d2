package workerproto

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	req := Request{ID: 7, Op: OpComplete, Code: "fmt.Pr\n héllo", Cursor: 6, AllowStdin: true}
	ev := Event{Kind: EventResult, ID: 7, Result: &repl.Result{
		Value: &repl.Display{Data: map[string]any{"text/plain": "2"}},
		Err:   &repl.Error{Name: "E", Value: "v", Traceback: []string{"a", "b"}},
	}}
	if err := Encode(&buf, req); err != nil {
		t.Fatal(err)
	}
	if err := Encode(&buf, ev); err != nil {
		t.Fatal(err)
	}
	var gotReq Request
	var gotEv Event
	if err := Decode(&buf, &gotReq); err != nil {
		t.Fatal(err)
	}
	if err := Decode(&buf, &gotEv); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotReq, req) {
		t.Errorf("request: got %+v, want %+v", gotReq, req)
	}
	if !reflect.DeepEqual(gotEv, ev) {
		t.Errorf("event: got %+v, want %+v", gotEv, ev)
	}
	if err := Decode(&buf, &gotReq); err != io.EOF {
		t.Errorf("Decode at the end: got %v, want io.EOF", err)
	}
}

func TestFrameRefusesOversize(t *testing.T) {
	var buf bytes.Buffer
	// Control characters grow sixfold in JSON: an oversize frame from a
	// small input keeps the test fast.
	err := Encode(&buf, Request{Code: strings.Repeat("\x01", MaxFrame/6+1)})
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("Encode of an oversize frame: got %v, want ErrFrameTooLarge", err)
	}
	if buf.Len() != 0 {
		t.Errorf("Encode wrote %d bytes of a refused frame", buf.Len())
	}

	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], MaxFrame+1)
	var r Request
	if err := Decode(bytes.NewReader(hdr[:]), &r); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("Decode of an oversize header: got %v, want ErrFrameTooLarge", err)
	}
}

func TestFrameTruncated(t *testing.T) {
	var buf bytes.Buffer
	if err := Encode(&buf, Request{Op: OpExecute, Code: "1+1"}); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	for _, n := range []int{2, 4, len(data) - 1} {
		var r Request
		if err := Decode(bytes.NewReader(data[:n]), &r); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("Decode of %d of %d bytes: got %v, want io.ErrUnexpectedEOF", n, len(data), err)
		}
	}
	bad := []byte{0, 0, 0, 3, '{', 'x', '}'}
	var r Request
	if err := Decode(bytes.NewReader(bad), &r); err == nil {
		t.Error("Decode of invalid JSON succeeded")
	}
}
