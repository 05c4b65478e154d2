// Package workerproto is the protocol between the kernel's supervisor and
// its worker process: Request frames travel down the worker's fd 3, Event
// frames come up its fd 4, each a 4-byte big-endian length and a JSON body.
// Both sides import it; it links nothing of Go evaluation, so the kernel
// process does not either.
package workerproto

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

// MaxFrame is the largest frame body, in bytes, that Encode writes and
// Decode accepts. It bounds what a confused or hostile peer can make the
// other side allocate, while leaving room for a large image display.
const MaxFrame = 64 << 20

// ErrFrameTooLarge is returned, wrapped, by Encode and Decode for a frame
// whose body exceeds MaxFrame.
var ErrFrameTooLarge = errors.New("frame larger than 64 MiB")

// Operations a Request asks for.
const (
	// OpExecute runs Code as a cell. One at a time; answered by EventResult.
	OpExecute = "execute"
	// OpComplete asks for completions of Code at Cursor (EventCompletion).
	OpComplete = "complete"
	// OpInspect describes the name at Cursor (EventInspection).
	OpInspect = "inspect"
	// OpIsComplete tells whether Code can run as typed (EventCompleteness).
	OpIsComplete = "is_complete"
	// OpInterrupt cancels the context of the running cell. No answer.
	OpInterrupt = "interrupt"
	// OpInputReply answers the EventInputRequest of the execute Target.
	OpInputReply = "input_reply"
	// OpAck tells that the event Seq was delivered.
	OpAck = "ack"
)

// Kinds of Event.
const (
	// EventReady is sent once, when the worker can serve requests; Error
	// is set when it cannot and is about to exit.
	EventReady = "ready"
	// EventResult ends the execute request ID.
	EventResult = "result"
	// EventDisplay carries a display published by the execute ID.
	EventDisplay = "display"
	// EventClearOutput asks to clear the output of the execute ID.
	EventClearOutput = "clear_output"
	// EventInputRequest asks for a line of input for the execute ID.
	EventInputRequest = "input_request"
	// EventCompletion answers the complete request ID.
	EventCompletion = "completion"
	// EventInspection answers the inspect request ID.
	EventInspection = "inspection"
	// EventCompleteness answers the is_complete request ID.
	EventCompleteness = "completeness"
)

// Request travels from the supervisor to the worker on fd 3.
type Request struct {
	// ID names the request; events that answer it carry the same ID.
	ID uint64 `json:"id"`
	// Op is one of the Op constants.
	Op string `json:"op"`
	// Code is the cell (execute) or the text being edited (complete,
	// inspect, is_complete).
	Code string `json:"code,omitempty"`
	// Cursor is a rune offset into Code (complete, inspect).
	Cursor int `json:"cursor,omitempty"`
	// Detail is the inspect_request detail level, 0 or 1.
	Detail int `json:"detail,omitempty"`
	// AllowStdin says whether the cell may ask for input (execute).
	AllowStdin bool `json:"allow_stdin,omitempty"`
	// Target is the execute request an interrupt or input reply is for;
	// 0 in an interrupt means whatever cell runs.
	Target uint64 `json:"target,omitempty"`
	// Text is the line the user typed (input_reply), without newline.
	Text string `json:"text,omitempty"`
	// Error, in an input_reply, says why there is no input.
	Error string `json:"error,omitempty"`
	// Seq is the event an ack is for.
	Seq uint64 `json:"seq,omitempty"`
}

// Event travels from the worker to the supervisor on fd 4.
type Event struct {
	// Kind is one of the Event constants.
	Kind string `json:"kind"`
	// Seq, when set, asks for an OpAck once the event was delivered. The
	// worker holds the goroutine that published a display until then, so
	// that what it prints next cannot overtake the display: stdout and
	// the events travel in different pipes.
	Seq uint64 `json:"seq,omitempty"`
	// ID is the request the event belongs to: the execute request for
	// result, display, clear_output and input_request events.
	ID uint64 `json:"id,omitempty"`
	// Result is the finished cell (EventResult).
	Result *repl.Result `json:"result,omitempty"`
	// Display is the bundle to show (EventDisplay).
	Display *repl.Display `json:"display,omitempty"`
	// Wait is clear_output's wait flag (EventClearOutput).
	Wait bool `json:"wait,omitempty"`
	// Prompt and Password describe an EventInputRequest.
	Prompt   string `json:"prompt,omitempty"`
	Password bool   `json:"password,omitempty"`
	// Completion, Inspection and Completeness answer the introspection
	// requests.
	Completion   *repl.Completion   `json:"completion,omitempty"`
	Inspection   *repl.Inspection   `json:"inspection,omitempty"`
	Completeness *repl.Completeness `json:"completeness,omitempty"`
	// Error reports why a ready worker is not ready.
	Error string `json:"error,omitempty"`
}

// Encode writes v as one frame: a 4-byte big-endian body length followed by
// the JSON body. The frame goes out in a single Write, so concurrent callers
// only need to serialise their calls, not reassemble frames.
func Encode(w io.Writer, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode frame: %w", err)
	}
	if len(body) > MaxFrame {
		return fmt.Errorf("encode frame of %d bytes: %w", len(body), ErrFrameTooLarge)
	}
	frame := make([]byte, 4+len(body))
	binary.BigEndian.PutUint32(frame, uint32(len(body)))
	copy(frame[4:], body)
	if _, err := w.Write(frame); err != nil {
		return fmt.Errorf("write frame: %w", err)
	}
	return nil
}

// Decode reads one frame written by Encode into v. It returns io.EOF when r
// ends cleanly between frames, and refuses a frame longer than MaxFrame
// without reading its body.
func Decode(r io.Reader, v any) error {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if errors.Is(err, io.EOF) {
			return io.EOF
		}
		return fmt.Errorf("read frame header: %w", err)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > MaxFrame {
		return fmt.Errorf("read frame of %d bytes: %w", n, ErrFrameTooLarge)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("read frame body: %w", err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode frame: %w", err)
	}
	return nil
}
