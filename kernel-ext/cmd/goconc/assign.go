package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/goconc/goconc/kernel-ext/internal/assign"
)

// runAssign makes the student version of an assignment:
//
//	goconc assign SOURCE.ipynb -o RELEASE.ipynb
func runAssign(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("assign", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: goconc assign SOURCE.ipynb -o RELEASE.ipynb")
		fs.PrintDefaults()
	}
	outPath := fs.String("o", "", "write the student version to this `file` (required)")
	if err := fs.Parse(interleaved(fs, args)); err != nil {
		return err
	}
	if fs.NArg() != 1 || *outPath == "" {
		fs.Usage()
		return errors.New("assign: want one source notebook and -o RELEASE.ipynb")
	}
	src := fs.Arg(0)
	if src == *outPath {
		return fmt.Errorf("assign: the release would overwrite the source %s", src)
	}
	nb, err := assign.ReadNotebook(src)
	if err != nil {
		return fmt.Errorf("assign: %w", err)
	}
	rel, err := assign.Release(nb)
	if err != nil {
		return fmt.Errorf("assign: %s: %w", src, err)
	}
	if err := rel.WriteFile(*outPath); err != nil {
		return fmt.Errorf("assign: %w", err)
	}
	fmt.Fprintf(stdout, "wrote %s (the student version of %s)\n", *outPath, src)
	return nil
}

// interleaved moves the flags of args before the positional arguments, so
// that "SOURCE -o OUT" parses as "-o OUT SOURCE" does.
func interleaved(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := a[1:]
		if name[0] == '-' {
			name = name[1:]
		}
		if _, _, hasValue := cut(name, '='); hasValue {
			continue
		}
		// A flag that is not boolean takes the next argument as its value.
		if f := fs.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}

func cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
