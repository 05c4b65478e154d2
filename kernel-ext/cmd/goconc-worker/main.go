// Command goconc-worker is the process in which goconc's kernel evaluates
// cells, with the yaegi interpreter and every package cells may import. The
// kernel (goconc-kernel) starts it beside itself, talks to it over fds 3
// and 4 (package workerproto) and replaces it when a cell kills it; it is
// not for direct use.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"github.com/goconc/goconc/kernel-ext/internal/worker"
	"github.com/goconc/goconc/kernel-ext/workload"
)

func main() {
	// Experiments that must run in a process of their own re-execute this
	// binary; such a child runs its experiment here and exits.
	workload.RunChildIfRequested()
	if len(os.Args) > 1 {
		fmt.Fprintf(os.Stderr, "goconc-worker: unexpected arguments %q (the worker is started by goconc-kernel)\n", os.Args[1:])
		os.Exit(2)
	}
	// Front ends may signal the whole process group on interrupt; the
	// kernel forwards interrupts to the worker itself, so the worker must
	// not die of a SIGINT meant for the kernel.
	signal.Ignore(os.Interrupt)
	if err := worker.Main(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "goconc-worker:", err)
		os.Exit(1)
	}
}
