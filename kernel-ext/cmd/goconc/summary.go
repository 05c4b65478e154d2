package main

import (
	"flag"
	"fmt"
	"io"

	"github.com/goconc/goconc/kernel-ext/claims"
)

// runSummary implements "goconc summary DIR": it gathers the verdicts the
// notebooks saved under DIR (make run points their results to DIR/data) and
// writes DIR/summary.html, the seed's table against this machine's figures,
// linking each executed notebook found in DIR.
func runSummary(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("summary", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: goconc summary DIR\n\nWrites DIR/summary.html from the verdicts saved under DIR.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("summary: want one directory, got %d arguments", fs.NArg())
	}
	path, err := claims.WriteSummary(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	vs, err := claims.ReadVerdicts(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("summary: %w", err)
	}
	fmt.Fprintf(stdout, "summary: wrote %s (verdicts saved: %d)\n", path, len(vs))
	return nil
}
