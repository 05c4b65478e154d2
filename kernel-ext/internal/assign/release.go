package assign

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The region markers, as nbgrader defines them: a line containing only the
// marker, behind a Go comment (or a Markdown heading or HTML comment in
// Markdown cells).
const (
	BeginSolution    = "BEGIN SOLUTION"
	EndSolution      = "END SOLUTION"
	BeginHiddenTests = "BEGIN HIDDEN TESTS"
	EndHiddenTests   = "END HIDDEN TESTS"
)

// AnswerStub replaces the solution of a Markdown answer cell, as in
// nbgrader.
const AnswerStub = "YOUR ANSWER HERE"

// markerRE matches a marker line: the marker alone, behind "//", "#…" or
// inside "<!-- -->".
var markerRE = regexp.MustCompile(`^\s*(?://+|#+|<!--)?\s*(BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS)\s*(?:-->)?\s*$`)

// funcRE finds the function a solution region is in, for the placeholder's
// message.
var funcRE = regexp.MustCompile(`^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)`)

// Release returns the student version of an instructor's notebook: the
// solution regions replaced by a placeholder, hidden tests removed, outputs
// and execution counts cleared. Cell metadata, nbgrader's included, is kept.
//
// In a code cell, a solution region becomes
//
//	// YOUR CODE HERE
//	panic("not implemented yet: Name")
//
// at the indentation of its BEGIN SOLUTION line, where Name is the function
// the region is in: put the markers inside a function body, so that the
// release keeps the function's signature and cells that call it compile.
// In a Markdown cell the region becomes "YOUR ANSWER HERE". A solution
// cell without markers is replaced whole.
//
// Release returns an error for unbalanced or nested markers and for
// duplicate grade ids, which would make grading ambiguous.
func Release(source *Notebook) (*Notebook, error) {
	if err := checkGradeIDs(source); err != nil {
		return nil, err
	}
	out := *source
	out.Metadata = copyRaw(source.Metadata)
	out.rest = copyRaw(source.rest)
	out.Cells = make([]*Cell, len(source.Cells))
	for i, c := range source.Cells {
		r, err := releaseCell(c)
		if err != nil {
			return nil, fmt.Errorf("cell %d%s: %w", i+1, describe(c), err)
		}
		out.Cells[i] = r
	}
	return &out, nil
}

// describe names a cell by its grade id, for messages.
func describe(c *Cell) string {
	if g, ok := c.Grader(); ok && g.GradeID != "" {
		return fmt.Sprintf(" (%s)", g.GradeID)
	}
	return ""
}

func releaseCell(c *Cell) (*Cell, error) {
	r := c.clone()
	src, found, err := strip(c.Source, c.Type)
	if err != nil {
		return nil, err
	}
	g, graded := c.Grader()
	if !found && graded && g.Solution {
		// A solution cell without markers is all solution.
		src = stub(c.Type, "", "")
	}
	r.Source = src
	if r.Type == "code" {
		r.Outputs = nil
		r.ExecutionCount = nil
	}
	return r, nil
}

// strip replaces the solution regions of src by stubs and removes its
// hidden tests; found tells whether src had a solution region.
func strip(src, cellType string) (out string, found bool, err error) {
	lines := strings.Split(src, "\n")
	var kept []string
	region, begin := "", 0 // the open region and the line it began on
	fn := ""               // the function the current line is in
	for i, line := range lines {
		// A function's body is indented (gofmt): a line at column 0 that
		// is not the header of a function with a body to come ends it.
		if region == "" && line != "" && line[0] != ' ' && line[0] != '\t' && !strings.HasPrefix(line, "//") {
			fn = ""
			if m := funcRE.FindStringSubmatch(line); m != nil && !strings.HasSuffix(strings.TrimSpace(line), "}") {
				fn = m[1]
			}
		}
		m := markerRE.FindStringSubmatch(line)
		if m == nil {
			if region == "" {
				kept = append(kept, line)
			}
			continue
		}
		switch marker := m[1]; marker {
		case BeginSolution, BeginHiddenTests:
			if region != "" {
				return "", false, fmt.Errorf("line %d: %s inside the %s region begun on line %d", i+1, marker, region, begin)
			}
			region, begin = marker, i+1
			if marker == BeginSolution {
				found = true
				indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
				kept = append(kept, strings.Split(stub(cellType, indent, fn), "\n")...)
			}
		case EndSolution, EndHiddenTests:
			want := "BEGIN" + strings.TrimPrefix(marker, "END")
			if region != want {
				return "", false, fmt.Errorf("line %d: %s without %s", i+1, marker, want)
			}
			region = ""
		}
	}
	if region != "" {
		return "", false, fmt.Errorf("line %d: %s is never ended", begin, region)
	}
	return strings.Join(kept, "\n"), found, nil
}

// stub is what replaces a solution: a placeholder that fails clearly when
// run, or nbgrader's answer stub in Markdown.
func stub(cellType, indent, fn string) string {
	if cellType != "code" {
		return indent + AnswerStub
	}
	what := "write your solution here"
	if fn != "" {
		what = "complete " + fn
	}
	return indent + "// YOUR CODE HERE\n" + indent + "panic(" + strconv.Quote("not implemented yet: "+what) + ")"
}

// checkGradeIDs refuses graded cells without a grade id and duplicate ids.
func checkGradeIDs(nb *Notebook) error {
	seen := map[string]int{}
	for i, c := range nb.Cells {
		g, ok := c.Grader()
		if !ok {
			continue
		}
		if g.GradeID == "" {
			if g.Grade || g.Solution || g.Task || g.Locked {
				return fmt.Errorf("cell %d has nbgrader metadata but no grade_id", i+1)
			}
			continue
		}
		if j, dup := seen[g.GradeID]; dup {
			return fmt.Errorf("cells %d and %d have the same grade_id %q", j+1, i+1, g.GradeID)
		}
		seen[g.GradeID] = i
	}
	return nil
}
