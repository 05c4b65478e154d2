package assign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/goconc/goconc/kernel-ext/check"
)

// Runner executes the code cells of one notebook, in order, in one
// interpreter state: a cell sees what earlier cells defined.
type Runner interface {
	// Run executes code. Cancelling ctx (its deadline is the cell's time
	// limit) interrupts the cell; Run then returns once the cell stopped.
	Run(ctx context.Context, code string) Outcome
	// Restart replaces the interpreter state with a fresh one.
	Restart(ctx context.Context) error
}

// Outcome is what a cell left.
type Outcome struct {
	// Outputs are the cell's outputs as nbformat output objects.
	Outputs []json.RawMessage
	// Err is the cell's error, nil when it ran without one.
	Err *CellError
	// StateLost tells that the interpreter lost what earlier cells
	// defined: its process crashed, or was killed because the cell did not
	// stop when interrupted.
	StateLost bool
}

// CellError is a cell's error, as in an nbformat error output.
type CellError struct {
	Name      string   `json:"ename"`
	Value     string   `json:"evalue"`
	Traceback []string `json:"traceback,omitempty"`
}

// DefaultTimeout is the time limit of a cell when Options.Timeout is zero.
const DefaultTimeout = 60 * time.Second

// Options configure Grade.
type Options struct {
	// Source is the instructor's notebook the submission was released
	// from. With it, Grade restores test cells and read-only cells the
	// student deleted or changed, and runs the hidden tests; without it,
	// test cells are graded as the student left them.
	Source *Notebook
	// Timeout is the time limit of each cell. Default: DefaultTimeout.
	Timeout time.Duration
	// Progress, when not nil, is told of each cell as it starts.
	Progress func(cell int, gradeID string)
}

// Test statuses.
const (
	StatusPassed  = "passed"
	StatusFailed  = "failed"
	StatusTimeout = "timeout"
	StatusCrashed = "crashed"
	StatusNotRun  = "not run"
)

// Report is the result of grading a submission.
type Report struct {
	// Notebook and Source name the files graded; Grade leaves them empty
	// for its caller to fill.
	Notebook string `json:"notebook,omitempty"`
	Source   string `json:"source,omitempty"`
	// Score is the sum of the points of the tests passed, out of MaxScore.
	Score    float64 `json:"score"`
	MaxScore float64 `json:"max_score"`
	// ManualMaxScore is the sum of the points of the cells to grade by
	// hand, not included in MaxScore.
	ManualMaxScore float64 `json:"manual_max_score"`
	// Tests are the autograded test cells, in notebook order.
	Tests []TestResult `json:"tests"`
	// Manual are the cells to grade by hand.
	Manual []ManualItem `json:"manual"`
	// Cells are the code cells run, in order.
	Cells []CellRun `json:"cells"`
	// Notes say what else happened: cells restored, crashes, replays.
	Notes []string `json:"notes"`
	// Review lists what a person should look at before trusting the
	// score: code that may keep the tests from checking anything.
	Review []string `json:"review"`
	// Graded is the notebook as run: the submission with the test cells
	// restored, and the outputs of the run.
	Graded *Notebook `json:"-"`
}

// TestResult is the score of one test cell.
type TestResult struct {
	GradeID   string  `json:"grade_id"`
	Cell      int     `json:"cell"` // 1-based, in the graded notebook
	Points    float64 `json:"points"`
	MaxPoints float64 `json:"max_points"`
	Status    string  `json:"status"`
	// Message says why the test failed; empty when it passed.
	Message string `json:"message,omitempty"`
	// Restored is "deleted" or "altered" when the cell was restored from
	// the source.
	Restored string `json:"restored,omitempty"`
}

// ManualItem is a cell to grade by hand.
type ManualItem struct {
	GradeID   string  `json:"grade_id"`
	Cell      int     `json:"cell"`
	MaxPoints float64 `json:"max_points"`
	// Answer is the student's text.
	Answer string `json:"answer"`
	// Missing tells that the student deleted the cell.
	Missing bool `json:"missing,omitempty"`
}

// CellRun is how one code cell ran.
type CellRun struct {
	Cell    int        `json:"cell"`
	GradeID string     `json:"grade_id,omitempty"`
	Status  string     `json:"status"` // "ok", "error", "timeout", "crashed"
	Error   *CellError `json:"error,omitempty"`
	Seconds float64    `json:"seconds"`
}

// Grade runs every code cell of the submission in order through runner,
// each within the time limit, and scores the graded cells: a test cell
// earns its points when it runs without error; answers and tasks graded by
// hand are listed in Report.Manual. A cell that hangs is interrupted when
// its time is up; when the interpreter loses its state (a crash, or a kill
// after an ignored interrupt), the cells that ran without error before are
// run again, outputs discarded, so that later tests still find what they
// need.
//
// The error return is for a submission that cannot be graded at all; what
// the student's code does is in the report.
func Grade(ctx context.Context, submission *Notebook, runner Runner, opts Options) (*Report, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	rep := &Report{Tests: []TestResult{}, Manual: []ManualItem{}, Cells: []CellRun{}, Notes: []string{}, Review: []string{}}
	graded, restored, err := merge(submission, opts.Source, rep)
	if err != nil {
		return nil, err
	}
	rep.Graded = graded
	for i, c := range graded.Cells {
		if c.Type == "code" && !c.IsTest() && shadowsCheck(c.Source) {
			rep.Review = append(rep.Review, fmt.Sprintf("cell %d%s declares the name check at top level, which hides the check package from the test cells: their checks may not have run", i+1, describe(c)))
		}
	}

	runs := map[int]*CellRun{} // by cell index
	var replay []string        // cells to run again when the state is lost
	var lastFailed *CellRun    // the last ordinary cell that failed
	failedBefore := map[int]*CellRun{}
	count := 0
	for i, c := range graded.Cells {
		if c.Type != "code" {
			continue
		}
		c.Outputs, c.ExecutionCount = nil, nil
		if strings.TrimSpace(c.Source) == "" {
			continue
		}
		if ctx.Err() != nil {
			rep.Notes = append(rep.Notes, fmt.Sprintf("grading was stopped before cell %d: %v", i+1, ctx.Err()))
			break
		}
		g, _ := c.Grader()
		if opts.Progress != nil {
			opts.Progress(i+1, g.GradeID)
		}
		count++
		n := count
		c.ExecutionCount = &n
		out, secs, timedOut := runCell(ctx, runner, c.Source, opts.Timeout)
		c.Outputs = out.Outputs
		run := &CellRun{Cell: i + 1, GradeID: g.GradeID, Status: "ok", Error: out.Err, Seconds: secs}
		switch {
		case timedOut:
			run.Status = StatusTimeout
		case out.StateLost:
			run.Status = StatusCrashed
		case out.Err != nil:
			run.Status = "error"
		}
		rep.Cells = append(rep.Cells, *run)
		runs[i] = run
		failedBefore[i] = lastFailed
		test := c.IsTest()
		if out.Err != nil && !test {
			lastFailed = run
		}
		if out.Err == nil && !test {
			replay = append(replay, c.Source)
		}
		if timedOut && !out.StateLost {
			// An interrupted cell can leave goroutines behind that spin or
			// hold locks, and skew or block the cells after it: start
			// afresh.
			if err := runner.Restart(ctx); err != nil {
				rep.Notes = append(rep.Notes, fmt.Sprintf("cell %d%s timed out, and the interpreter could not be restarted: %v", i+1, describe(c), err))
				continue
			}
			out.StateLost = true
		}
		if out.StateLost {
			rep.Notes = append(rep.Notes, fmt.Sprintf("cell %d%s %s; the interpreter was restarted", i+1, describe(c), lostWhy(run)))
			if len(replay) > 0 {
				rep.Notes = append(rep.Notes, replayCells(ctx, runner, replay, opts.Timeout))
			}
		}
	}

	seenTest := map[string]bool{}
	for i, c := range graded.Cells {
		g, ok := c.Grader()
		if !ok {
			continue
		}
		switch {
		case c.IsTest():
			if seenTest[g.GradeID] {
				continue // a duplicate, noted by merge
			}
			seenTest[g.GradeID] = true
			t := TestResult{GradeID: g.GradeID, Cell: i + 1, MaxPoints: g.Points, Restored: restored[g.GradeID]}
			run := runs[i]
			switch {
			case run == nil:
				t.Status, t.Message = StatusNotRun, "the cell was not run"
				if strings.TrimSpace(c.Source) == "" {
					t.Message = "the cell is empty"
				}
			case run.Status == "ok":
				t.Status, t.Points = StatusPassed, g.Points
			default:
				t.Status, t.Message = testFailure(run, failedBefore[i], opts.Timeout)
			}
			rep.Tests = append(rep.Tests, t)
			rep.Score += t.Points
			rep.MaxScore += t.MaxPoints
		case c.IsManual():
			rep.Manual = append(rep.Manual, ManualItem{GradeID: g.GradeID, Cell: i + 1, MaxPoints: g.Points, Answer: c.Source})
			rep.ManualMaxScore += g.Points
		}
	}
	if opts.Source != nil {
		// Answers graded by hand that the student deleted still count in
		// the maximum.
		have := map[string]bool{}
		for _, m := range rep.Manual {
			have[m.GradeID] = true
		}
		for _, c := range opts.Source.Cells {
			if g, ok := c.Grader(); ok && c.IsManual() && !have[g.GradeID] {
				rep.Manual = append(rep.Manual, ManualItem{GradeID: g.GradeID, MaxPoints: g.Points, Missing: true})
				rep.ManualMaxScore += g.Points
				rep.Notes = append(rep.Notes, fmt.Sprintf("the answer cell %s is missing from the submission", g.GradeID))
			}
		}
	}
	return rep, nil
}

// runCell runs one cell under its time limit.
func runCell(ctx context.Context, runner Runner, code string, limit time.Duration) (out Outcome, secs float64, timedOut bool) {
	cctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	start := time.Now()
	out = runner.Run(cctx, code)
	secs = time.Since(start).Seconds()
	timedOut = out.Err != nil && errors.Is(cctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
	return out, secs, timedOut
}

// replayCells runs again the cells that defined the state the interpreter
// lost, and says how that went.
func replayCells(ctx context.Context, runner Runner, cells []string, limit time.Duration) string {
	for k, code := range cells {
		out, _, _ := runCell(ctx, runner, code, limit)
		if out.Err != nil {
			return fmt.Sprintf("re-running the %d earlier cells to restore the state failed at the %s: %s: %s; later cells may fail for that reason",
				len(cells), ordinal(k+1), out.Err.Name, firstLine(out.Err.Value))
		}
	}
	return fmt.Sprintf("the %d earlier cells that ran without error were run again to restore the state", len(cells))
}

func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return fmt.Sprintf("%dth", n)
	case n%10 == 1:
		return fmt.Sprintf("%dst", n)
	case n%10 == 2:
		return fmt.Sprintf("%dnd", n)
	case n%10 == 3:
		return fmt.Sprintf("%drd", n)
	}
	return fmt.Sprintf("%dth", n)
}

// lostWhy says how a cell lost the interpreter's state.
func lostWhy(run *CellRun) string {
	switch {
	case run.Status == StatusTimeout && run.Error != nil && run.Error.Name == "WorkerKilled":
		return "timed out, did not stop when interrupted, and its worker process was killed"
	case run.Status == StatusTimeout:
		return "timed out and was interrupted"
	}
	return "crashed the worker process"
}

// testFailure says why a test cell failed.
func testFailure(run, earlier *CellRun, limit time.Duration) (status, msg string) {
	e := run.Error
	if e == nil {
		e = &CellError{Name: "Error", Value: "unknown"}
	}
	switch {
	case run.Status == StatusTimeout:
		msg = fmt.Sprintf("did not finish within %v and was interrupted: a deadlock, a goroutine waiting for ever, or code far too slow?", limit)
		if e.Name == "WorkerKilled" {
			msg += " (it did not stop, so its worker process was killed)"
		}
		return StatusTimeout, msg
	case run.Status == StatusCrashed:
		return StatusCrashed, "crashed the worker process: " + firstLine(e.Value)
	case e.Name == "panic" && strings.HasPrefix(e.Value, check.Prefix):
		return StatusFailed, firstLine(e.Value)
	}
	msg = e.Name + ": " + firstLine(e.Value)
	if earlier != nil && e.Name != "panic" {
		msg += fmt.Sprintf(" (cell %d failed earlier: %s: %s)", earlier.Cell, earlier.Error.Name, firstLine(earlier.Error.Value))
	}
	return StatusFailed, msg
}

// firstLine cuts s at its first newline, and at 400 bytes.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return s
}

// merge returns the notebook to run: the submission, with the test cells
// and read-only cells of the source restored, where it was given. restored
// maps the grade id of each test restored to "deleted" or "altered".
func merge(sub, source *Notebook, rep *Report) (*Notebook, map[string]string, error) {
	out := *sub
	out.Cells = make([]*Cell, len(sub.Cells))
	for i, c := range sub.Cells {
		out.Cells[i] = c.clone()
	}
	restored := map[string]string{}
	byID := map[string]int{} // grade id → index in out.Cells
	for i, c := range out.Cells {
		g, ok := c.Grader()
		if !ok || g.GradeID == "" {
			continue
		}
		if _, dup := byID[g.GradeID]; dup {
			rep.Notes = append(rep.Notes, fmt.Sprintf("cell %d repeats the grade_id %q: only the first cell with it is graded", i+1, g.GradeID))
			delete(c.Metadata, "nbgrader")
			continue
		}
		byID[g.GradeID] = i
	}
	if source == nil {
		rep.Notes = append(rep.Notes, "graded without the source notebook: hidden tests were not run, and test cells were graded as the student left them")
		return &out, restored, nil
	}
	if err := checkGradeIDs(source); err != nil {
		return nil, nil, fmt.Errorf("source: %w", err)
	}
	anchor := -1 // index in out.Cells of the last source cell found
	for _, sc := range source.Cells {
		g, ok := sc.Grader()
		if !ok || g.GradeID == "" {
			continue
		}
		protected := sc.IsTest() || (g.Locked && !g.Solution)
		i, found := byID[g.GradeID]
		if !protected {
			if found {
				anchor = max(anchor, i)
			}
			continue
		}
		kind := "read-only cell"
		if sc.IsTest() {
			kind = "test cell"
		}
		if !found {
			// Deleted: put it back after the cell that preceded it in the
			// source.
			c := sc.clone()
			c.Outputs, c.ExecutionCount = nil, nil
			fixID(c, &out, g.GradeID)
			at := anchor + 1
			out.Cells = append(out.Cells[:at], append([]*Cell{c}, out.Cells[at:]...)...)
			for id, j := range byID {
				if j >= at {
					byID[id] = j + 1
				}
			}
			byID[g.GradeID] = at
			anchor = at
			if sc.IsTest() {
				restored[g.GradeID] = "deleted"
			}
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s %s was deleted from the submission: restored from the source", kind, g.GradeID))
			continue
		}
		c := out.Cells[i]
		rel, _, err := strip(sc.Source, sc.Type)
		if err != nil {
			return nil, nil, fmt.Errorf("source cell %s: %w", g.GradeID, err)
		}
		// The student's copy is the released text; grading a source
		// notebook itself (a round trip) is no alteration either.
		if n := normalize(c.Source); (n != normalize(rel) && n != normalize(sc.Source)) || c.Type != sc.Type {
			if sc.IsTest() {
				restored[g.GradeID] = "altered"
			}
			rep.Notes = append(rep.Notes, fmt.Sprintf("%s %s was changed in the submission: restored from the source", kind, g.GradeID))
		}
		c.Type, c.Source = sc.Type, sc.Source
		c.Metadata["nbgrader"] = sc.Metadata["nbgrader"]
		anchor = max(anchor, i)
	}
	return &out, restored, nil
}

// normalize drops what editors change without meaning to: trailing
// spaces and trailing newlines.
func normalize(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n")
}

// fixID gives a cell restored into nb the id nbformat wants there: none
// before nbformat 4.5, a unique one from 4.5 on.
func fixID(c *Cell, nb *Notebook, gradeID string) {
	if nb.FormatMinor < 5 {
		delete(c.rest, "id")
		return
	}
	taken := map[string]bool{}
	for _, d := range nb.Cells {
		taken[d.ID()] = true
	}
	id := c.ID()
	if id == "" || taken[id] {
		base := "restored-" + idRE.ReplaceAllString(gradeID, "-")
		if len(base) > 56 {
			base = base[:56]
		}
		id = base
		for n := 2; taken[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
	}
	if c.rest == nil {
		c.rest = map[string]json.RawMessage{}
	}
	c.rest["id"], _ = json.Marshal(id)
}

// idRE matches what nbformat does not allow in a cell id.
var idRE = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)
