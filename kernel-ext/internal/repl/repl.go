// Package repl defines the seam between the Jupyter dispatcher and whatever
// evaluates code: the Interpreter interface and the values that cross it.
//
// The dispatcher (package kernel) knows Jupyter messages and nothing of Go
// evaluation; an Interpreter knows Go and nothing of Jupyter sockets. The
// values here are shaped after the Jupyter messaging specification (MIME
// bundles, tracebacks, cursor offsets) so that the dispatcher can copy them
// into replies without translation.
package repl

import "context"

// Interpreter evaluates cells and answers the introspection requests of a
// front end. Execute is called for one cell at a time; Complete, Inspect and
// IsComplete may be called while a cell runs, and Interrupt is called from
// another goroutine to stop the running cell.
type Interpreter interface {
	// Execute runs code and reports its outputs to out while it runs. A cell
	// that fails (compile error, panic, interrupt, a crashed worker) is a
	// Result with Err set, not an error: the error return is kept for a
	// failure that leaves the interpreter unusable.
	Execute(ctx context.Context, code string, opts ExecuteOptions, out Output) (Result, error)

	// Complete proposes completions for code at the cursor, a rune offset.
	Complete(ctx context.Context, code string, cursor int) (Completion, error)

	// Inspect describes the object at the cursor (a rune offset) in code;
	// detail is 0 or 1 as in inspect_request.
	Inspect(ctx context.Context, code string, cursor, detail int) (Inspection, error)

	// IsComplete tells whether code is ready to run as typed.
	IsComplete(ctx context.Context, code string) (Completeness, error)

	// Interrupt stops the running cell, if any, keeping the state defined by
	// earlier cells.
	Interrupt() error

	// Restart replaces the evaluation state with a fresh one. env, of the
	// form "KEY=value", is added to the environment of the new state.
	Restart(ctx context.Context, env []string) error

	// Close releases the interpreter and everything it started.
	Close() error
}

// ExecuteOptions are the parts of an execute_request an interpreter needs.
type ExecuteOptions struct {
	// AllowStdin says whether the front end accepts input requests.
	AllowStdin bool
	// Silent asks for no output to be broadcast.
	Silent bool
}

// Output receives what a running cell produces, in order.
type Output interface {
	// Stream carries text written to "stdout" or "stderr".
	Stream(name, text string)
	// Display shows a MIME bundle (display_data, or update_display_data
	// when d.Update is set).
	Display(d Display)
	// ClearOutput clears the cell's output; with wait, only when new output
	// arrives.
	ClearOutput(wait bool)
	// Input asks the user for a line of text. It returns an error when the
	// front end does not accept input or the request was interrupted.
	Input(ctx context.Context, prompt string, password bool) (string, error)
}

// Display is a MIME bundle with its metadata, as in display_data.
type Display struct {
	// Data maps MIME types to content: a string for text types and for
	// base64-encoded images, any JSON value for JSON types.
	Data map[string]any `json:"data"`
	// Metadata maps MIME types to their metadata (e.g. image sizes).
	Metadata map[string]any `json:"metadata,omitempty"`
	// ID is the display_id, empty for a display that is never updated.
	ID string `json:"display_id,omitempty"`
	// Update marks an update of the earlier display with the same ID.
	Update bool `json:"update,omitempty"`
}

// Result is what a finished cell leaves.
type Result struct {
	// Value is the cell's value (execute_result), nil when it has none.
	Value *Display `json:"value,omitempty"`
	// Err is set when the cell failed.
	Err *Error `json:"error,omitempty"`
	// Page is a MIME bundle for the front end's pager (help text), sent as
	// a "page" payload of execute_reply; nil when there is none.
	Page map[string]any `json:"page,omitempty"`
}

// Error describes a failed cell as the error message of the Jupyter
// protocol does.
type Error struct {
	Name      string   `json:"ename"`
	Value     string   `json:"evalue"`
	Traceback []string `json:"traceback"`
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Name + ": " + e.Value }

// Completion is the answer to a complete_request.
type Completion struct {
	Matches []string `json:"matches"`
	// CursorStart and CursorEnd delimit, in runes, the text the matches
	// replace.
	CursorStart int            `json:"cursor_start"`
	CursorEnd   int            `json:"cursor_end"`
	Metadata    map[string]any `json:"metadata"`
}

// Inspection is the answer to an inspect_request.
type Inspection struct {
	Found    bool           `json:"found"`
	Data     map[string]any `json:"data"`
	Metadata map[string]any `json:"metadata"`
}

// Completeness is the answer to an is_complete_request.
type Completeness struct {
	// Status is "complete", "incomplete", "invalid" or "unknown".
	Status string `json:"status"`
	// Indent is the indentation for the next line when Status is
	// "incomplete".
	Indent string `json:"indent,omitempty"`
}
