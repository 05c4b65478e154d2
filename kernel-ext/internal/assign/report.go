package assign

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// JSON returns the report as indented JSON.
func (r *Report) JSON() ([]byte, error) {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the report: %w", err)
	}
	return append(data, '\n'), nil
}

// Text returns a short report for people: the score, one line per graded
// cell, and the notes.
func (r *Report) Text() string {
	var b strings.Builder
	name := r.Notebook
	if name == "" {
		name = "submission"
	}
	fmt.Fprintf(&b, "%s: %s / %s points", name, pts(r.Score), pts(r.MaxScore))
	if r.ManualMaxScore > 0 {
		fmt.Fprintf(&b, " (and %s points to grade by hand)", pts(r.ManualMaxScore))
	}
	b.WriteString("\n")
	for _, r := range r.Review {
		fmt.Fprintf(&b, "  REVIEW BY HAND: %s\n", r)
	}
	width := 0
	tested := map[int]bool{}
	for _, t := range r.Tests {
		width = max(width, len(t.GradeID))
		tested[t.Cell] = true
	}
	for _, m := range r.Manual {
		width = max(width, len(m.GradeID))
	}
	for _, t := range r.Tests {
		mark := "✗"
		if t.Status == StatusPassed {
			mark = "✓"
		}
		line := fmt.Sprintf("  %s %-*s %5s / %-3s  %s", mark, width, t.GradeID, pts(t.Points), pts(t.MaxPoints), t.Message)
		if t.Restored != "" {
			line += fmt.Sprintf(" [cell %s by the student: restored]", t.Restored)
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	for _, m := range r.Manual {
		what := "to grade by hand"
		if m.Missing {
			what += " (the cell is missing)"
		} else if strings.TrimSpace(m.Answer) == "" || strings.TrimSpace(m.Answer) == AnswerStub {
			what += " (no answer written)"
		}
		fmt.Fprintf(&b, "  ? %-*s %5s / %-3s  %s\n", width, m.GradeID, "-", pts(m.MaxPoints), what)
	}
	var failed []string
	for _, c := range r.Cells {
		if c.Error == nil || tested[c.Cell] {
			continue
		}
		what := c.Error.Name + ": " + firstLine(c.Error.Value)
		if c.Status == StatusTimeout {
			what = "did not finish in time (" + what + ")"
		}
		failed = append(failed, fmt.Sprintf("  cell %d%s: %s\n", c.Cell, gradeID(c.GradeID), what))
	}
	if len(failed) > 0 {
		b.WriteString("Other cells that failed:\n")
		const most = 5
		if len(failed) > most {
			failed = append(failed[:most], fmt.Sprintf("  and %d more\n", len(failed)-most))
		}
		for _, f := range failed {
			b.WriteString(f)
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("Notes:\n")
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  - %s\n", n)
		}
	}
	return b.String()
}

// gradeID renders a grade id for a cell reference, "" for none.
func gradeID(id string) string {
	if id == "" {
		return ""
	}
	return " (" + id + ")"
}

// pts renders points without needless decimals.
func pts(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64)
}
