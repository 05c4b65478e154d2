package assign

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Notebook is an nbformat 4 notebook. Fields goconc does not use are kept
// as they were read, so that a notebook written back loses nothing (widget
// state, cell ids, attachments, metadata of other tools).
type Notebook struct {
	// Cells are the notebook's cells, in order.
	Cells []*Cell
	// Metadata is the notebook's metadata (kernelspec, language_info, …).
	Metadata map[string]json.RawMessage
	// Format and FormatMinor are nbformat and nbformat_minor.
	Format, FormatMinor int
	// rest holds the other top-level fields.
	rest map[string]json.RawMessage
}

// Cell is a notebook cell.
type Cell struct {
	// Type is "code", "markdown" or "raw".
	Type string
	// Source is the cell's text, with lines joined.
	Source string
	// Metadata is the cell's metadata; see (*Cell).Grader for the part
	// nbgrader defines.
	Metadata map[string]json.RawMessage
	// Outputs are a code cell's outputs, each kept as JSON.
	Outputs []json.RawMessage
	// ExecutionCount is a code cell's execution count, nil when it has
	// not run.
	ExecutionCount *int
	// rest holds the other fields (id, attachments, …).
	rest map[string]json.RawMessage
}

// ParseNotebook reads an nbformat 4 notebook from JSON.
func ParseNotebook(data []byte) (*Notebook, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("not a notebook (invalid JSON): %w", err)
	}
	nb := &Notebook{rest: top}
	if err := take(top, "nbformat", &nb.Format); err != nil {
		return nil, err
	}
	if nb.Format != 4 {
		return nil, fmt.Errorf("nbformat %d is not supported: convert the notebook to nbformat 4 (jupyter nbconvert --to notebook)", nb.Format)
	}
	if err := take(top, "nbformat_minor", &nb.FormatMinor); err != nil {
		return nil, err
	}
	if err := take(top, "metadata", &nb.Metadata); err != nil {
		return nil, err
	}
	var cells []map[string]json.RawMessage
	if err := take(top, "cells", &cells); err != nil {
		return nil, err
	}
	for i, raw := range cells {
		c, err := parseCell(raw)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i+1, err)
		}
		nb.Cells = append(nb.Cells, c)
	}
	return nb, nil
}

// ReadNotebook reads the notebook in the file at path.
func ReadNotebook(path string) (*Notebook, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	nb, err := ParseNotebook(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return nb, nil
}

// WriteFile writes the notebook to the file at path.
func (nb *Notebook) WriteFile(path string) error {
	data, err := nb.MarshalJSON()
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, data, 0o644)
}

// take decodes and removes top[key] into v; a missing key leaves v alone.
func take(top map[string]json.RawMessage, key string, v any) error {
	raw, ok := top[key]
	if !ok {
		return nil
	}
	delete(top, key)
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("field %q: %w", key, err)
	}
	return nil
}

func parseCell(raw map[string]json.RawMessage) (*Cell, error) {
	c := &Cell{rest: raw}
	if err := take(raw, "cell_type", &c.Type); err != nil {
		return nil, err
	}
	var src multiline
	if err := take(raw, "source", &src); err != nil {
		return nil, err
	}
	c.Source = string(src)
	if err := take(raw, "metadata", &c.Metadata); err != nil {
		return nil, err
	}
	if c.Type == "code" {
		if err := take(raw, "outputs", &c.Outputs); err != nil {
			return nil, err
		}
		if err := take(raw, "execution_count", &c.ExecutionCount); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// multiline is nbformat's multi-line string: a string, or a list of lines
// to join.
type multiline string

func (m *multiline) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err == nil {
		*m = multiline(s)
		return nil
	}
	var lines []string
	if err := json.Unmarshal(data, &lines); err != nil {
		return fmt.Errorf("want a string or a list of strings: %w", err)
	}
	*m = multiline(strings.Join(lines, ""))
	return nil
}

// splitLines splits s as nbformat writes a multi-line string: a list of
// lines, each keeping its newline.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if lines == nil {
		lines = []string{}
	}
	return lines
}

// MarshalJSON writes the notebook as Jupyter does: keys sorted, one space
// of indentation, multi-line strings as lists of lines, non-ASCII text as
// is.
func (nb *Notebook) MarshalJSON() ([]byte, error) {
	top := map[string]any{}
	for k, v := range nb.rest {
		top[k] = v
	}
	cells := make([]map[string]any, len(nb.Cells))
	for i, c := range nb.Cells {
		cells[i] = c.fields()
	}
	top["cells"] = cells
	meta := nb.Metadata
	if meta == nil {
		meta = map[string]json.RawMessage{}
	}
	top["metadata"] = meta
	top["nbformat"] = nb.Format
	top["nbformat_minor"] = nb.FormatMinor

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(top); err != nil {
		return nil, fmt.Errorf("encoding the notebook: %w", err)
	}
	return buf.Bytes(), nil
}

func (c *Cell) fields() map[string]any {
	m := map[string]any{}
	for k, v := range c.rest {
		m[k] = v
	}
	m["cell_type"] = c.Type
	m["source"] = splitLines(c.Source)
	meta := c.Metadata
	if meta == nil {
		meta = map[string]json.RawMessage{}
	}
	m["metadata"] = meta
	if c.Type == "code" {
		outs := c.Outputs
		if outs == nil {
			outs = []json.RawMessage{}
		}
		m["outputs"] = outs
		m["execution_count"] = c.ExecutionCount
	}
	return m
}

// ID returns the cell's id (nbformat 4.5), "" when it has none.
func (c *Cell) ID() string {
	var id string
	if raw, ok := c.rest["id"]; ok {
		_ = json.Unmarshal(raw, &id)
	}
	return id
}

// Grader is the part of a cell's metadata that nbgrader defines (under
// "nbgrader", schema version 3). Fields goconc does not know are kept.
type Grader struct {
	// Grade marks a cell that is scored: a test cell (Solution false) or
	// an answer graded by hand (Solution true).
	Grade bool `json:"grade"`
	// GradeID names the cell, uniquely in the notebook.
	GradeID string `json:"grade_id"`
	// Locked marks a cell students may not change.
	Locked bool `json:"locked"`
	// Points is what a graded cell is worth.
	Points float64 `json:"points,omitempty"`
	// Solution marks a cell the student writes in.
	Solution bool `json:"solution"`
	// Task marks a task graded by hand (a Markdown cell describing work
	// done elsewhere in the notebook).
	Task bool `json:"task,omitempty"`
	// SchemaVersion is nbgrader's metadata schema, 3.
	SchemaVersion int `json:"schema_version"`
}

// Grader returns the cell's nbgrader metadata, and false when it has none
// or it cannot be read.
func (c *Cell) Grader() (Grader, bool) {
	raw, ok := c.Metadata["nbgrader"]
	if !ok {
		return Grader{}, false
	}
	var g Grader
	if err := json.Unmarshal(raw, &g); err != nil {
		return Grader{}, false
	}
	return g, true
}

// IsTest tells whether the cell is an autograded test: a graded code cell
// that is not a solution.
func (c *Cell) IsTest() bool {
	g, ok := c.Grader()
	return ok && c.Type == "code" && g.Grade && !g.Solution
}

// IsManual tells whether the cell is graded by hand: a graded answer, or a
// task.
func (c *Cell) IsManual() bool {
	g, ok := c.Grader()
	return ok && ((g.Grade && g.Solution) || g.Task)
}

// clone returns a deep copy of the cell.
func (c *Cell) clone() *Cell {
	d := *c
	d.Metadata = copyRaw(c.Metadata)
	d.rest = copyRaw(c.rest)
	d.Outputs = append([]json.RawMessage(nil), c.Outputs...)
	if c.ExecutionCount != nil {
		n := *c.ExecutionCount
		d.ExecutionCount = &n
	}
	return &d
}

func copyRaw(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return nil
	}
	d := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		d[k] = append(json.RawMessage(nil), v...)
	}
	return d
}
