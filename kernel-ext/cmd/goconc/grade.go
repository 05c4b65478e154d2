package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/assign"
	"github.com/goconc/goconc/kernel-ext/internal/supervisor"
	"github.com/goconc/goconc/kernel-ext/units"
)

// runGrade runs and scores a submission:
//
//	goconc grade SUBMISSION.ipynb [--source SOURCE.ipynb] [--timeout 60s] [--json REPORT.json] [--out GRADED.ipynb] [-q] [-v]
//
// The readable report goes to stdout. The exit status is 0 whatever the
// score: a non-zero status means the submission could not be graded.
func runGrade(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("grade", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: goconc grade SUBMISSION.ipynb [--source SOURCE.ipynb] [--timeout 60s] [--json REPORT.json] [--out GRADED.ipynb] [-q] [-v]")
		fs.PrintDefaults()
	}
	sourcePath := fs.String("source", "", "the instructor's `notebook` the submission was released from: restores test cells and runs hidden tests")
	timeout := fs.Duration("timeout", assign.DefaultTimeout, "time limit of each cell")
	jsonPath := fs.String("json", "", "write the report as JSON to this `file` (- for stdout)")
	outPath := fs.String("out", "", "write the notebook as run, with its outputs, to this `file`")
	quiet := fs.Bool("q", false, "do not print the readable report")
	verbose := fs.Bool("v", false, "tell on stderr which cell runs")
	if err := fs.Parse(interleaved(fs, args)); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("grade: want one submission notebook")
	}
	subPath := fs.Arg(0)
	sub, err := assign.ReadNotebook(subPath)
	if err != nil {
		return fmt.Errorf("grade: %w", err)
	}
	opts := assign.Options{Timeout: *timeout}
	if *verbose {
		opts.Progress = func(cell int, gradeID string) {
			if gradeID != "" {
				gradeID = " (" + gradeID + ")"
			}
			fmt.Fprintf(stderr, "grade: running cell %d%s\n", cell, gradeID)
		}
	}
	if *sourcePath != "" {
		if opts.Source, err = assign.ReadNotebook(*sourcePath); err != nil {
			return fmt.Errorf("grade: %w", err)
		}
	}

	// Cells run in a worker process, as in the kernel: a submission that
	// crashes it costs a cell, not the grading.
	sup, err := supervisor.New(supervisor.Options{})
	if err != nil {
		return fmt.Errorf("grade: %w", err)
	}
	defer sup.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	rep, err := assign.Grade(ctx, sub, assign.InterpreterRunner{Interp: sup}, opts)
	if err != nil {
		return fmt.Errorf("grade: %s: %w", subPath, err)
	}
	rep.Notebook, rep.Source = subPath, *sourcePath

	if *outPath != "" {
		if err := rep.Graded.WriteFile(*outPath); err != nil {
			return fmt.Errorf("grade: %w", err)
		}
	}
	if *jsonPath != "" {
		data, err := rep.JSON()
		if err != nil {
			return fmt.Errorf("grade: %w", err)
		}
		if *jsonPath == "-" {
			_, err = stdout.Write(data)
		} else {
			err = os.WriteFile(*jsonPath, data, 0o644)
		}
		if err != nil {
			return fmt.Errorf("grade: writing the report: %w", err)
		}
	}
	if !*quiet {
		fmt.Fprint(stdout, rep.Text())
		fmt.Fprintf(stdout, "(graded in %s)\n", units.Duration(float64(time.Since(start))))
	}
	return nil
}
