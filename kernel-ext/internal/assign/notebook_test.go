package assign

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestNotebookRoundTrip(t *testing.T) {
	in := `{
 "cells": [
  {
   "attachments": {"a.png": {"image/png": "AAAA"}},
   "cell_type": "markdown",
   "id": "intro",
   "metadata": {"tags": ["x"]},
   "source": ["# Title\n", "text <b>&</b> é"]
  },
  {
   "cell_type": "code",
   "execution_count": null,
   "id": "c1",
   "metadata": {"nbgrader": {"grade": true, "grade_id": "t", "locked": true, "points": 2, "schema_version": 3, "solution": false, "checksum": "abc"}},
   "outputs": [],
   "source": "check.Equal(\"x\", 1, 1)"
  }
 ],
 "metadata": {"kernelspec": {"name": "goconc"}, "widgets": {"state": 1}},
 "nbformat": 4,
 "nbformat_minor": 5,
 "extra": true
}`
	nb, err := ParseNotebook([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := nb.Cells[0].Source; got != "# Title\ntext <b>&</b> é" {
		t.Errorf("joined source %q", got)
	}
	if nb.Cells[1].ID() != "c1" {
		t.Errorf("id %q", nb.Cells[1].ID())
	}
	g, ok := nb.Cells[1].Grader()
	if !ok || g != (Grader{Grade: true, GradeID: "t", Locked: true, Points: 2, SchemaVersion: 3}) {
		t.Errorf("Grader() = %+v, %v", g, ok)
	}
	if !nb.Cells[1].IsTest() || nb.Cells[1].IsManual() {
		t.Error("a graded, locked, non-solution code cell is a test")
	}
	out, err := nb.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	// Nothing is lost: the two decode to the same value, but for the
	// source written as a list of lines.
	var a, b map[string]any
	if err := json.Unmarshal([]byte(strings.Replace(in, `"check.Equal(\"x\", 1, 1)"`, `["check.Equal(\"x\", 1, 1)"]`, 1)), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("round trip changed the notebook:\n%s", out)
	}
	if !strings.Contains(string(out), "<b>&</b> é") {
		t.Error("HTML and non-ASCII text must be written as is, as Jupyter does")
	}
	if !strings.HasPrefix(string(out), "{\n \"cells\": [\n  {\n   \"attachments\"") {
		t.Errorf("want sorted keys and one-space indentation, as Jupyter writes:\n%.80s", out)
	}
}

func TestParseNotebookErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{`, "invalid JSON"},
		{`{"nbformat": 3, "cells": []}`, "nbformat 3 is not supported"},
		{`{"nbformat": 4, "cells": [{"cell_type": "code", "source": 3}]}`, `cell 1: field "source"`},
	}
	for _, tt := range tests {
		_, err := ParseNotebook([]byte(tt.in))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseNotebook(%s): err = %v, want one containing %q", tt.in, err, tt.want)
		}
	}
}
