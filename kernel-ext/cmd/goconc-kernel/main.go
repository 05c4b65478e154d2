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

	sup, err := supervisor.New(supervisor.Options{Logger: log})
	if err != nil {
		return err
	}
	defer sup.Close()

	k := kernel.New(srv, sup, kernel.Info{Version: version.Version}, log)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
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
	// 250 µs of CPU and 0.2 ms of round trip per trivial cell. Not earlier:
	// starting the worker blocks its thread in fork and exec, which would
	// hold up the sockets' first connections. The setting is not exported:
	// the worker, where cells run, keeps its default.
	runtime.GOMAXPROCS(1)
	if _, err := k.Serve(ctx); err != nil && ctx.Err() == nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
