package assign

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// fakeRunner plays an interpreter: a cell's outcome depends on directives
// in its code, and definitions ("def NAME") survive until a restart.
//
//	fail: MSG      the cell fails with a CheckFailed panic
//	error: MSG     the cell fails with a compile error
//	hang           the cell runs until interrupted
//	crash          the cell crashes the worker: the state is lost
//	def NAME       defines NAME
//	use NAME       fails unless NAME is defined
type fakeRunner struct {
	defined  map[string]bool
	ran      []string // every code run, replays included
	restarts int
}

func newFake() *fakeRunner { return &fakeRunner{defined: map[string]bool{}} }

func (f *fakeRunner) Restart(ctx context.Context) error {
	f.restarts++
	f.defined = map[string]bool{}
	return nil
}

func (f *fakeRunner) Run(ctx context.Context, code string) Outcome {
	f.ran = append(f.ran, code)
	for _, line := range strings.Split(code, "\n") {
		verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch verb {
		case "fail:":
			return Outcome{Err: &CellError{Name: "panic", Value: "CheckFailed: " + arg}}
		case "error:":
			return Outcome{Err: &CellError{Name: "CompileError", Value: arg}}
		case "hang":
			<-ctx.Done()
			return Outcome{Err: &CellError{Name: "Interrupted", Value: "the cell was interrupted"}}
		case "crash":
			f.defined = map[string]bool{}
			return Outcome{Err: &CellError{Name: "WorkerCrashed", Value: "the worker process died: panic: boom"}, StateLost: true}
		case "def":
			f.defined[arg] = true
		case "use":
			if !f.defined[arg] {
				return Outcome{Err: &CellError{Name: "CompileError", Value: "undefined: " + arg}}
			}
		}
	}
	out, _ := json.Marshal(map[string]any{"output_type": "stream", "name": "stdout", "text": "ran\n"})
	return Outcome{Outputs: []json.RawMessage{out}}
}

func TestGrade(t *testing.T) {
	sol := func(id, src string) string { return codeCell(src, meta(id, false, true, false, 0)) }
	test := func(id, src string, points float64) string { return codeCell(src, meta(id, true, false, true, points)) }
	tests := []struct {
		name       string
		submission []string
		source     []string // nil: graded without a source
		score, max float64
		status     map[string]string // grade id → status
		message    map[string]string // grade id → part of the message
		restored   map[string]string
		notes      []string // parts of notes
		restarts   int
		review     string // part of the review items
	}{
		{
			name:       "all pass",
			submission: []string{sol("f", "def F"), test("t1", "use F", 2), test("t2", "use F", 3)},
			score:      5, max: 5,
			status: map[string]string{"t1": StatusPassed, "t2": StatusPassed},
			notes:  []string{"graded without the source notebook"},
		},
		{
			name:       "a check fails",
			submission: []string{sol("f", "def F"), test("t1", "fail: F(1): got 2, want 1", 2), test("t2", "use F", 3)},
			score:      3, max: 5,
			status:  map[string]string{"t1": StatusFailed, "t2": StatusPassed},
			message: map[string]string{"t1": "CheckFailed: F(1): got 2, want 1"},
		},
		{
			name:       "an earlier cell failed",
			submission: []string{sol("f", "error: syntax error"), test("t1", "use F", 2)},
			score:      0, max: 2,
			message: map[string]string{"t1": "CompileError: undefined: F (cell 1 failed earlier: CompileError: syntax error)"},
		},
		{
			name:       "a hang costs its cell; the state is rebuilt",
			submission: []string{sol("f", "def F"), test("t1", "hang", 2), test("t2", "use F", 3)},
			score:      3, max: 5,
			status:   map[string]string{"t1": StatusTimeout, "t2": StatusPassed},
			message:  map[string]string{"t1": "did not finish within 50ms"},
			notes:    []string{"cell 2 (t1) timed out and was interrupted; the interpreter was restarted", "the 1 earlier cells that ran without error were run again"},
			restarts: 1,
		},
		{
			name:       "a crash costs its cell; the state is rebuilt",
			submission: []string{sol("f", "def F"), sol("g", "def G"), test("t1", "use F\ncrash", 2), test("t2", "use F\nuse G", 3)},
			score:      3, max: 5,
			status:  map[string]string{"t1": StatusCrashed, "t2": StatusPassed},
			message: map[string]string{"t1": "crashed the worker process: the worker process died: panic: boom"},
			notes:   []string{"cell 3 (t1) crashed the worker process", "the 2 earlier cells"},
		},
		{
			name:       "hidden tests run from the source",
			submission: []string{sol("f", "def F"), test("t1", "use F", 2)},
			source:     []string{sol("f", "// BEGIN SOLUTION\ndef F\n// END SOLUTION"), test("t1", "use F\n// BEGIN HIDDEN TESTS\nfail: hidden\n// END HIDDEN TESTS", 2)},
			score:      0, max: 2,
			message:  map[string]string{"t1": "CheckFailed: hidden"},
			restored: map[string]string{"t1": ""},
		},
		{
			name:       "a deleted test is restored",
			submission: []string{sol("f", "def F")},
			source:     []string{sol("f", "def F"), test("t1", "fail: restored", 2), test("t2", "use F", 1)},
			score:      1, max: 3,
			status:   map[string]string{"t1": StatusFailed, "t2": StatusPassed},
			restored: map[string]string{"t1": "deleted", "t2": "deleted"},
			notes:    []string{"test cell t1 was deleted from the submission: restored from the source"},
		},
		{
			name:       "an altered test is restored, with its points",
			submission: []string{sol("f", "def F"), test("t1", "// all good", 100)},
			source:     []string{sol("f", "def F"), test("t1", "fail: F is wrong", 2)},
			score:      0, max: 2,
			restored: map[string]string{"t1": "altered"},
			notes:    []string{"test cell t1 was changed in the submission"},
		},
		{
			name:       "a cell that hides the check package is flagged",
			submission: []string{sol("f", "type fake struct{}\nvar check = fake{}"), test("t1", "// check.Equal(...)", 2)},
			score:      2, max: 2,
			review: "cell 1 (f) declares the name check at top level",
		},
		{
			name:       "a duplicated test counts once",
			submission: []string{test("t1", "// ok", 2), test("t1", "// ok", 2)},
			score:      2, max: 2,
			notes: []string{`cell 2 repeats the grade_id "t1"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Timeout: 50 * time.Millisecond}
			if tt.source != nil {
				opts.Source = notebook(t, tt.source...)
			}
			fake := newFake()
			rep, err := Grade(context.Background(), notebook(t, tt.submission...), fake, opts)
			if err != nil {
				t.Fatal(err)
			}
			text := rep.Text()
			if rep.Score != tt.score || rep.MaxScore != tt.max {
				t.Errorf("score %v / %v, want %v / %v\n%s", rep.Score, rep.MaxScore, tt.score, tt.max, text)
			}
			byID := map[string]TestResult{}
			for _, r := range rep.Tests {
				byID[r.GradeID] = r
			}
			for id, want := range tt.status {
				if got := byID[id].Status; got != want {
					t.Errorf("%s: status %q, want %q\n%s", id, got, want, text)
				}
			}
			for id, want := range tt.message {
				if got := byID[id].Message; !strings.Contains(got, want) {
					t.Errorf("%s: message %q, want it to contain %q", id, got, want)
				}
			}
			for id, want := range tt.restored {
				if got := byID[id].Restored; got != want {
					t.Errorf("%s: restored %q, want %q", id, got, want)
				}
			}
			notes := strings.Join(rep.Notes, "\n")
			for _, want := range tt.notes {
				if !strings.Contains(notes, want) {
					t.Errorf("notes:\n%s\nwant one containing %q", notes, want)
				}
			}
			if review := strings.Join(rep.Review, "\n"); !strings.Contains(review, tt.review) || (tt.review == "" && review != "") {
				t.Errorf("review items:\n%s\nwant %q", review, tt.review)
			} else if tt.review != "" && !strings.Contains(text, "REVIEW BY HAND: "+tt.review) {
				t.Errorf("text report lacks the review item:\n%s", text)
			}
			if fake.restarts != tt.restarts {
				t.Errorf("%d restarts, want %d", fake.restarts, tt.restarts)
			}
		})
	}
}

func TestGradeManualAndOutputs(t *testing.T) {
	sub := notebook(t,
		codeCell("def F", meta("f", false, true, false, 0)),
		mdCell("Because it yields.", meta("why", true, true, false, 3)),
		codeCell("", "{}"),
		codeCell("use F", meta("t", true, false, true, 1)),
	)
	source := notebook(t,
		codeCell("def F", meta("f", false, true, false, 0)),
		mdCell("The answer.", meta("why", true, true, false, 3)),
		mdCell("Also this.", meta("task", true, true, false, 2)),
		codeCell("use F", meta("t", true, false, true, 1)),
	)
	rep, err := Grade(context.Background(), sub, newFake(), Options{Source: source})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Score != 1 || rep.MaxScore != 1 || rep.ManualMaxScore != 5 {
		t.Errorf("score %v / %v, manual %v; want 1 / 1, manual 5", rep.Score, rep.MaxScore, rep.ManualMaxScore)
	}
	if len(rep.Manual) != 2 || rep.Manual[0].Answer != "Because it yields." || !rep.Manual[1].Missing {
		t.Errorf("manual items %+v", rep.Manual)
	}
	// The graded notebook has the outputs of the run, numbered; the empty
	// cell is not run.
	g := rep.Graded
	if n := g.Cells[0].ExecutionCount; n == nil || *n != 1 || len(g.Cells[0].Outputs) != 1 {
		t.Errorf("first cell: count %v, outputs %s", n, g.Cells[0].Outputs)
	}
	if g.Cells[2].ExecutionCount != nil || len(g.Cells[2].Outputs) != 0 {
		t.Error("an empty cell was run")
	}
	text := rep.Text()
	for _, want := range []string{"1 / 1 points (and 5 points to grade by hand)", "✓ t", "? why", "? task", "(the cell is missing)"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
	data, err := rep.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(data, &back); err != nil || back.Score != 1 {
		t.Errorf("JSON report does not read back: %v\n%s", err, data)
	}
}

func TestGradeStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep, err := Grade(ctx, notebook(t, codeCell("def F", "{}"), codeCell("ok", meta("t", true, false, true, 1))), newFake(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Score != 0 || rep.Tests[0].Status != StatusNotRun || !strings.Contains(strings.Join(rep.Notes, "\n"), "grading was stopped") {
		t.Errorf("a cancelled grading: %+v", rep)
	}
}
