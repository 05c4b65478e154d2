package assign

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStrip(t *testing.T) {
	tests := []struct {
		name      string
		src, typ  string
		want      string
		wantFound bool
		wantErr   string
	}{
		{
			name: "no markers",
			src:  "x := 1\n", typ: "code",
			want: "x := 1\n",
		},
		{
			name: "solution in a function body",
			src:  "func Sum(xs []int) int {\n\t// BEGIN SOLUTION\n\treturn 0\n\t// END SOLUTION\n}\n", typ: "code",
			want:      "func Sum(xs []int) int {\n\t// YOUR CODE HERE\n\tpanic(\"not implemented yet: complete Sum\")\n}\n",
			wantFound: true,
		},
		{
			name: "method",
			src:  "func (p *Pool) Run() {\n    // BEGIN SOLUTION\n    p.x = 1\n    // END SOLUTION\n}", typ: "code",
			want:      "func (p *Pool) Run() {\n    // YOUR CODE HERE\n    panic(\"not implemented yet: complete Run\")\n}",
			wantFound: true,
		},
		{
			name: "top-level statements after a function",
			src:  "func f() {}\nvar x int\n// BEGIN SOLUTION\nx = 2\n// END SOLUTION\n", typ: "code",
			want:      "func f() {}\nvar x int\n// YOUR CODE HERE\npanic(\"not implemented yet: write your solution here\")\n",
			wantFound: true,
		},
		{
			name: "hidden tests",
			src:  "check.Equal(\"a\", 1, 1)\n// BEGIN HIDDEN TESTS\ncheck.Equal(\"b\", 2, 2)\n// END HIDDEN TESTS\n", typ: "code",
			want: "check.Equal(\"a\", 1, 1)\n",
		},
		{
			name: "markdown",
			src:  "Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->\n", typ: "markdown",
			want:      "Why?\nYOUR ANSWER HERE\n",
			wantFound: true,
		},
		{
			name: "nbgrader's markdown markers",
			src:  "### BEGIN SOLUTION\nBecause.\n### END SOLUTION", typ: "markdown",
			want:      "YOUR ANSWER HERE",
			wantFound: true,
		},
		{
			name: "marker text inside a string is not a marker",
			src:  "s := \"// BEGIN SOLUTION\"\n", typ: "code",
			want: "s := \"// BEGIN SOLUTION\"\n",
		},
		{name: "unterminated", src: "// BEGIN SOLUTION\nx\n", typ: "code", wantErr: "line 1: BEGIN SOLUTION is never ended"},
		{name: "end without begin", src: "x\n// END SOLUTION\n", typ: "code", wantErr: "line 2: END SOLUTION without BEGIN SOLUTION"},
		{name: "nested", src: "// BEGIN SOLUTION\n// BEGIN HIDDEN TESTS\n", typ: "code", wantErr: "line 2: BEGIN HIDDEN TESTS inside the BEGIN SOLUTION region begun on line 1"},
		{name: "mismatched", src: "// BEGIN HIDDEN TESTS\n// END SOLUTION\n", typ: "code", wantErr: "END SOLUTION without BEGIN SOLUTION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, found, err := strip(tt.src, tt.typ)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || found != tt.wantFound {
				t.Errorf("strip(%q) =\n%q, %v\nwant\n%q, %v", tt.src, got, found, tt.want, tt.wantFound)
			}
		})
	}
}

// notebook builds a notebook from cells given as JSON objects.
func notebook(t *testing.T, cells ...string) *Notebook {
	t.Helper()
	nb, err := ParseNotebook([]byte(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"name": "goconc"}}, "cells": [` +
		strings.Join(cells, ",") + `]}`))
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

// meta returns the nbgrader metadata of a cell as JSON.
func meta(id string, grade, solution, locked bool, points float64) string {
	data, _ := json.Marshal(map[string]any{"nbgrader": Grader{GradeID: id, Grade: grade, Solution: solution, Locked: locked, Points: points, SchemaVersion: 3}})
	return string(data)
}

func codeCell(src, metadata string) string {
	s, _ := json.Marshal(src)
	return `{"cell_type": "code", "id": "x", "execution_count": 3, "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi"}], "source": ` + string(s) + `, "metadata": ` + metadata + `}`
}

func mdCell(src, metadata string) string {
	s, _ := json.Marshal(src)
	return `{"cell_type": "markdown", "id": "m", "source": ` + string(s) + `, "metadata": ` + metadata + `}`
}

func TestRelease(t *testing.T) {
	src := notebook(t,
		codeCell("func F() int {\n\t// BEGIN SOLUTION\n\treturn 1\n\t// END SOLUTION\n}", meta("f", false, true, false, 0)),
		codeCell("answer := 42", meta("whole", false, true, false, 0)),
		codeCell("check.Equal(\"F()\", F(), 1)\n// BEGIN HIDDEN TESTS\ncheck.Equal(\"more\", F(), 1)\n// END HIDDEN TESTS", meta("f-test", true, false, true, 2)),
		mdCell("Explain.", meta("why", true, true, false, 3)),
		codeCell("x := 1", "{}"),
	)
	rel, err := Release(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"func F() int {\n\t// YOUR CODE HERE\n\tpanic(\"not implemented yet: complete F\")\n}",
		"// YOUR CODE HERE\npanic(\"not implemented yet: write your solution here\")",
		"check.Equal(\"F()\", F(), 1)",
		"YOUR ANSWER HERE",
		"x := 1",
	}
	for i, c := range rel.Cells {
		if c.Source != want[i] {
			t.Errorf("cell %d: source %q, want %q", i+1, c.Source, want[i])
		}
		if c.Type == "code" && (len(c.Outputs) != 0 || c.ExecutionCount != nil) {
			t.Errorf("cell %d: outputs %s, execution count %v: not cleared", i+1, c.Outputs, c.ExecutionCount)
		}
		g1, ok1 := c.Grader()
		g0, ok0 := src.Cells[i].Grader()
		if g1 != g0 || ok1 != ok0 {
			t.Errorf("cell %d: nbgrader metadata %+v, want %+v kept", i+1, g1, g0)
		}
	}
	// The source is left alone.
	if !strings.Contains(src.Cells[0].Source, "BEGIN SOLUTION") || len(src.Cells[0].Outputs) != 1 {
		t.Error("Release changed its source")
	}
}

func TestReleaseRefuses(t *testing.T) {
	tests := []struct {
		name  string
		cells []string
		want  string
	}{
		{"duplicate grade ids", []string{codeCell("", meta("a", true, false, true, 1)), codeCell("", meta("a", true, false, true, 1))}, `cells 1 and 2 have the same grade_id "a"`},
		{"no grade id", []string{codeCell("", meta("", true, false, true, 1))}, "cell 1 has nbgrader metadata but no grade_id"},
		{"unbalanced", []string{codeCell("x\n// BEGIN SOLUTION", meta("s", false, true, false, 0))}, "cell 1 (s): line 2: BEGIN SOLUTION is never ended"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Release(notebook(t, tt.cells...))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}
