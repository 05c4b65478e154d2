// Command goconc-kernel is the Jupyter kernel of goconc: the process a
// front end starts through the kernelspec that "goconc install" writes.
//
// Usage:
//
//	goconc-kernel [--debug] CONNECTION_FILE
//
// It speaks the Jupyter wire protocol and relays requests to a worker
// process, goconc-worker, found beside it, that evaluates the cells and that
// it replaces when a cell crashes it. It links nothing of Go evaluation (no
// interpreter, no plotting, no symbol tables), so that it starts at once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"syscall"

	"github.com/goconc/goconc/kernel-ext/internal/jupyter"
	"github.com/goconc/goconc/kernel-ext/internal/kernel"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/supervisor"
	"github.com/goconc/goconc/kernel-ext/internal/version"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "goconc-kernel:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("goconc-kernel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	debug := fs.Bool("debug", os.Getenv("GOCONC_DEBUG") != "", "log at debug level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("want one connection file, got %d arguments", fs.NArg())
	}
	level := slog.LevelInfo
	if *debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	info, err := jupyter.LoadConnectionFile(fs.Arg(0))
	if err != nil {
		return err
	}
	srv, err := jupyter.Listen(info, jupyter.Options{Logger: log})
	if err != nil {
		return err
	}
	defer srv.Close()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	// The worker starts while the kernel already answers: the front end's
	// kernel_info_request needs no worker, and starting one (fork and exec
	// of goconc-worker) took 3 ms here, a fifth of a start. A worker that
	// cannot start stops the kernel with the supervisor's error, as before.
	sup := startSupervisor(supervisor.Options{Logger: log}, stop)
	defer sup.Close()

	k := kernel.New(srv, sup, kernel.Info{Version: version.Version}, log)
	// SIGINT interrupts the running cell, as it does in ipykernel; it
	// never stops the kernel.
	sigint := make(chan os.Signal, 1)
	signal.Notify(sigint, os.Interrupt)
	defer signal.Stop(sigint)
	go func() {
		for range sigint {
			if err := k.Interrupt(); err != nil {
				log.Warn("interrupt on SIGINT", "err", err)
			}
		}
	}()

	// Once started, the kernel process relays messages; its work for a cell
	// is a chain of steps, each waiting for the previous one, so a second P
	// only adds threads woken to look for work. On a 2-core machine, where
	// the worker and the front end need the cores too, that cost about
	// 250 µs of CPU and 0.2 ms of round trip per trivial cell. Not before
	// the worker has started: starting it blocks its thread in fork and
	// exec, which with one P would hold up the sockets' first connections.
	// The setting is not exported: the worker, where cells run, keeps its
	// default.
	go func() {
		if _, err := sup.get(); err == nil {
			runtime.GOMAXPROCS(1)
		}
	}()
	_, err = k.Serve(ctx)
	if _, serr := sup.get(); serr != nil {
		return serr
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// starting is the kernel's repl.Interpreter while the supervisor starts:
// every request waits for it, and fails with its error if it cannot start.
type starting struct {
	ready chan struct{} // closed when sup or err is set
	sup   *supervisor.Supervisor
	err   error
}

var _ repl.Interpreter = (*starting)(nil)

// startSupervisor starts a supervisor with opts on a goroutine of its own;
// when it fails, fail is called.
func startSupervisor(opts supervisor.Options, fail func()) *starting {
	s := &starting{ready: make(chan struct{})}
	go func() {
		defer close(s.ready)
		if s.sup, s.err = supervisor.New(opts); s.err != nil {
			fail()
		}
	}()
	return s
}

func (s *starting) get() (*supervisor.Supervisor, error) {
	<-s.ready
	return s.sup, s.err
}

func (s *starting) Execute(ctx context.Context, code string, opts repl.ExecuteOptions, out repl.Output) (repl.Result, error) {
	sup, err := s.get()
	if err != nil {
		return repl.Result{}, err
	}
	return sup.Execute(ctx, code, opts, out)
}

func (s *starting) Complete(ctx context.Context, code string, cursor int) (repl.Completion, error) {
	sup, err := s.get()
	if err != nil {
		return repl.Completion{}, err
	}
	return sup.Complete(ctx, code, cursor)
}

func (s *starting) Inspect(ctx context.Context, code string, cursor, detail int) (repl.Inspection, error) {
	sup, err := s.get()
	if err != nil {
		return repl.Inspection{}, err
	}
	return sup.Inspect(ctx, code, cursor, detail)
}

func (s *starting) IsComplete(ctx context.Context, code string) (repl.Completeness, error) {
	sup, err := s.get()
	if err != nil {
		return repl.Completeness{}, err
	}
	return sup.IsComplete(ctx, code)
}

func (s *starting) Interrupt() error {
	sup, err := s.get()
	if err != nil {
		return err
	}
	return sup.Interrupt()
}

func (s *starting) Restart(ctx context.Context, env []string) error {
	sup, err := s.get()
	if err != nil {
		return err
	}
	return sup.Restart(ctx, env)
}

func (s *starting) Close() error {
	sup, err := s.get()
	if err != nil {
		return nil // nothing started
	}
	return sup.Close()
}
