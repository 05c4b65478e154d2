package assign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

// InterpreterRunner is the Runner that executes cells in a
// repl.Interpreter: the supervisor, in `goconc grade`, so that a cell that
// crashes its worker process costs that cell and the state, not the
// grading.
type InterpreterRunner struct {
	// Interp runs the cells.
	Interp repl.Interpreter
}

// Run executes code in the interpreter and collects its outputs.
func (r InterpreterRunner) Run(ctx context.Context, code string) Outcome {
	var out collector
	res, err := r.Interp.Execute(ctx, code, repl.ExecuteOptions{}, &out)
	if err != nil {
		e := &CellError{Name: "InterpreterError", Value: fmt.Sprintf("the interpreter failed: %v", err)}
		out.add(errorOutput(e), "")
		// An interpreter that failed may have lost anything.
		return Outcome{Outputs: out.done(), Err: e, StateLost: true}
	}
	if res.Value != nil {
		out.add(map[string]any{"output_type": "execute_result", "data": res.Value.Data,
			"metadata": nonNil(res.Value.Metadata), "execution_count": nil}, "")
	}
	var o Outcome
	if res.Err != nil {
		o.Err = &CellError{Name: res.Err.Name, Value: res.Err.Value, Traceback: res.Err.Traceback}
		out.add(errorOutput(o.Err), "")
		// The supervisor's names for a cell whose worker process ended.
		switch res.Err.Name {
		case "WorkerCrashed", "WorkerKilled", "WorkerRestarted":
			o.StateLost = true
		}
	}
	o.Outputs = out.done()
	return o
}

// Restart replaces the interpreter's state by a fresh one.
func (r InterpreterRunner) Restart(ctx context.Context) error {
	if err := r.Interp.Restart(ctx, nil); err != nil {
		return fmt.Errorf("restarting the interpreter: %w", err)
	}
	return nil
}

func errorOutput(e *CellError) map[string]any {
	tb := e.Traceback
	if tb == nil {
		tb = []string{e.Name + ": " + e.Value}
	}
	return map[string]any{"output_type": "error", "ename": e.Name, "evalue": e.Value, "traceback": tb}
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// collector is the repl.Output of a cell being graded: it turns what the
// cell produces into nbformat outputs.
type collector struct {
	outputs []json.RawMessage
	// ids are the display ids of the outputs (nbformat keeps none in the
	// file), for updates.
	ids []string
	// lastStream and text are the stream being written and its text so
	// far: consecutive writes to one stream make one output.
	lastStream string
	text       strings.Builder
	// clearPending is a ClearOutput(wait) that waits for the next output.
	clearPending bool
}

// clearIfPending carries out a waiting ClearOutput before new output.
func (c *collector) clearIfPending() {
	if c.clearPending {
		c.clearPending = false
		c.lastStream = ""
		c.text.Reset()
		c.outputs, c.ids = nil, nil
	}
}

// add records an output with its display id ("" for none).
func (c *collector) add(v map[string]any, id string) {
	c.clearIfPending()
	c.flush()
	data, err := json.Marshal(v)
	if err != nil {
		data, _ = json.Marshal(map[string]any{"output_type": "stream", "name": "stderr",
			"text": fmt.Sprintf("goconc grade: an output could not be recorded: %v\n", err)})
	}
	c.outputs = append(c.outputs, data)
	c.ids = append(c.ids, id)
}

// flush ends the pending stream output.
func (c *collector) flush() {
	if c.lastStream == "" {
		return
	}
	data, _ := json.Marshal(map[string]any{"output_type": "stream", "name": c.lastStream, "text": c.text.String()})
	c.outputs = append(c.outputs, data)
	c.ids = append(c.ids, "")
	c.lastStream = ""
	c.text.Reset()
}

// Stream records text written to stdout or stderr.
func (c *collector) Stream(name, text string) {
	c.clearIfPending()
	if c.lastStream != name {
		c.flush()
		c.lastStream = name
	}
	c.text.WriteString(text)
}

// Display records a display, or applies an update to the displays shown.
func (c *collector) Display(d repl.Display) {
	out := map[string]any{"output_type": "display_data", "data": d.Data, "metadata": nonNil(d.Metadata)}
	if d.Update {
		// A notebook keeps the last state of a display: replace it.
		c.flush()
		data, err := json.Marshal(out)
		if err != nil {
			return
		}
		for i, id := range c.ids {
			if id == d.ID {
				c.outputs[i] = data
			}
		}
		return
	}
	c.add(out, d.ID)
}

// ClearOutput clears what the cell showed so far.
func (c *collector) ClearOutput(wait bool) {
	c.clearPending = true
	if !wait {
		c.clearIfPending()
	}
}

// Input refuses: nobody answers while grading.
func (c *collector) Input(ctx context.Context, prompt string, password bool) (string, error) {
	return "", errors.New("input is not available while grading")
}

// done returns the outputs, the pending stream included.
func (c *collector) done() []json.RawMessage {
	c.flush()
	return c.outputs
}
