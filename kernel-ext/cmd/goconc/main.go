// Command goconc is the command line of goconc, a Jupyter kernel for Go,
// backed by the yaegi interpreter, made for experiments on Go concurrency.
//
// Usage:
//
//	goconc install [--user | --sys-prefix | --prefix DIR] [--name NAME]
//	goconc bench [EXPERIMENT...] [--quick] --out DIR
//	goconc summary DIR
//	goconc assign SOURCE.ipynb -o RELEASE.ipynb
//	goconc grade SUBMISSION.ipynb [--source SOURCE.ipynb]
//	goconc version
//
// The kernel itself is two more binaries, installed beside goconc (make
// build, or go install ./kernel-ext/cmd/...): Jupyter runs goconc-kernel
// through the kernelspec that goconc install writes, and the kernel runs
// cells in a goconc-worker process that it restarts when a cell crashes it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/goconc/goconc/kernel-ext/internal/version"
	"github.com/goconc/goconc/kernel-ext/workload"
)

func main() {
	// Experiments that must run in a process of their own (cooperative
	// scheduling, thread exhaustion) re-execute this binary; such a child
	// runs its experiment here and exits before any command is parsed.
	workload.RunChildIfRequested()
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "goconc:", err)
		}
		os.Exit(2)
	}
}

const usage = `goconc: a Jupyter kernel for Go concurrency experiments

Usage:
  goconc install [--user | --sys-prefix | --prefix DIR] [--name NAME]
                     install the kernelspec (default: system-wide)
  goconc bench [EXPERIMENT...] [--quick] --out DIR
                     run experiments natively, without Jupyter
  goconc summary DIR write DIR/summary.html from the results in DIR
  goconc assign SOURCE.ipynb -o RELEASE.ipynb
                     make the student version of an assignment
  goconc grade SUBMISSION.ipynb [--source SOURCE.ipynb]
                     run and score a submission
  goconc version     print the version
`

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "install":
		return runInstall(rest, stdout, stderr)
	case "bench":
		return runBench(rest, stdout, stderr)
	case "summary":
		return runSummary(rest, stdout, stderr)
	case "assign":
		return runAssign(rest, stdout, stderr)
	case "grade":
		return runGrade(rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "goconc", version.Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}
