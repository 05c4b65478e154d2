// Command floorkernel is a Jupyter kernel that evaluates nothing: goconc's
// own transport (package jupyter) and dispatcher (package kernel) in front
// of a repl.Interpreter whose every cell succeeds at once without output.
// It is the floor that make bench (kernel-ext/e2e/bench_kernel.py) measures
// goconc-kernel's start against, in the same run: what a Go process needs
// to start, bind its sockets and answer kernel_info_request, without a
// worker and without the supervisor.
//
// Usage:
//
//	floorkernel CONNECTION_FILE
//
// It is not installed: make bench builds it into build/bench.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/goconc/goconc/kernel-ext/internal/jupyter"
	"github.com/goconc/goconc/kernel-ext/internal/kernel"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/version"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "floorkernel:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("want one connection file, got %d arguments", len(args))
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	info, err := jupyter.LoadConnectionFile(args[0])
	if err != nil {
		return err
	}
	srv, err := jupyter.Listen(info, jupyter.Options{Logger: log})
	if err != nil {
		return err
	}
	defer srv.Close()
	k := kernel.New(srv, nothing{}, kernel.Info{Implementation: "goconc-floor", Version: version.Version}, log)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	// jupyter_client interrupts a kernel it shuts down; nothing runs to
	// interrupt.
	signal.Ignore(os.Interrupt)
	if _, err := k.Serve(ctx); err != nil && ctx.Err() == nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// nothing is a repl.Interpreter that evaluates nothing.
type nothing struct{}

func (nothing) Execute(context.Context, string, repl.ExecuteOptions, repl.Output) (repl.Result, error) {
	return repl.Result{}, nil
}

func (nothing) Complete(_ context.Context, _ string, cursor int) (repl.Completion, error) {
	return repl.Completion{Matches: []string{}, CursorStart: cursor, CursorEnd: cursor, Metadata: map[string]any{}}, nil
}

func (nothing) Inspect(context.Context, string, int, int) (repl.Inspection, error) {
	return repl.Inspection{Data: map[string]any{}, Metadata: map[string]any{}}, nil
}

func (nothing) IsComplete(context.Context, string) (repl.Completeness, error) {
	return repl.Completeness{Status: "complete"}, nil
}

func (nothing) Interrupt() error                        { return nil }
func (nothing) Restart(context.Context, []string) error { return nil }
func (nothing) Close() error                            { return nil }
