package assign_test

import (
	"context"
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/assign"
	"github.com/goconc/goconc/kernel-ext/internal/supervisor"
)

// TestGradeThroughTheWorker grades a notebook in real worker processes:
// the check package's failures, a panic in a goroutine (a crash), a hang
// (an interrupt), and the state rebuilt after each.
func TestGradeThroughTheWorker(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds goconc and starts worker processes")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH: cannot build the worker")
	}
	bin := filepath.Join(t.TempDir(), "goconc-worker")
	build := exec.Command(goBin, "build", "-o", bin, "github.com/goconc/goconc/kernel-ext/cmd/goconc-worker")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building goconc-worker: %v\n%s", err, out)
	}
	sup, err := supervisor.New(supervisor.Options{Command: []string{bin}})
	if err != nil {
		t.Fatal(err)
	}
	defer sup.Close()

	type cell struct {
		id     string
		points float64 // 0: not a test
		src    string
	}
	cells := []cell{
		{"setup", 0, "import (\n\t\"time\"\n\t\"github.com/goconc/goconc/kernel-ext/check\"\n)\nfunc Double(x int) int { return 2 * x }"},
		{"ok", 1, `check.Equal("Double(2)", Double(2), 4)`},
		{"wrong", 1, `check.Equal("Double(3)", Double(3), 7)`},
		{"goroutine-panic", 1, "go func() { panic(\"boom\") }()\ntime.Sleep(2 * time.Second)"},
		{"after-crash", 1, `check.Equal("Double(4) after a crash", Double(4), 8)`},
		{"hang", 1, "for {\n}"},
		{"after-hang", 1, `check.Equal("Double(5) after a hang", Double(5), 10)`},
	}
	var raw []map[string]any
	for _, c := range cells {
		meta := map[string]any{"nbgrader": map[string]any{"grade": c.points > 0, "grade_id": c.id, "locked": c.points > 0,
			"points": c.points, "schema_version": 3, "solution": c.points == 0}}
		raw = append(raw, map[string]any{"cell_type": "code", "id": c.id, "source": c.src, "metadata": meta,
			"outputs": []any{}, "execution_count": nil})
	}
	data, _ := json.Marshal(map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{}, "cells": raw})
	nb, err := assign.ParseNotebook(data)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rep, err := assign.Grade(ctx, nb, assign.InterpreterRunner{Interp: sup}, assign.Options{Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	text := rep.Text()
	want := map[string]struct{ status, message string }{
		"ok":              {assign.StatusPassed, ""},
		"wrong":           {assign.StatusFailed, "CheckFailed: Double(3): got 6, want 7"},
		"goroutine-panic": {assign.StatusCrashed, "panic: boom"},
		"after-crash":     {assign.StatusPassed, ""},
		"hang":            {assign.StatusTimeout, "did not finish within 3s"},
		"after-hang":      {assign.StatusPassed, ""},
	}
	for _, tr := range rep.Tests {
		w := want[tr.GradeID]
		if tr.Status != w.status || !strings.Contains(tr.Message, w.message) {
			t.Errorf("%s: %s %q, want %s %q", tr.GradeID, tr.Status, tr.Message, w.status, w.message)
		}
	}
	if rep.Score != 3 || rep.MaxScore != 6 {
		t.Errorf("score %v / %v, want 3 / 6", rep.Score, rep.MaxScore)
	}
	// The failed check's output is the error a student sees in the
	// notebook: a message, not a Go stack.
	var out struct {
		Ename, Evalue string
		Traceback     []string
	}
	wrong := rep.Graded.Cells[2].Outputs
	if len(wrong) != 1 || json.Unmarshal(wrong[len(wrong)-1], &out) != nil || strings.Contains(strings.Join(out.Traceback, "\n"), "goroutine ") {
		t.Errorf("the failed check's outputs: %s", wrong)
	}
	if t.Failed() {
		t.Log(text)
	}
}
