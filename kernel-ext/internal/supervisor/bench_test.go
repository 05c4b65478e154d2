package supervisor

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/session"
)

// The benchmarks below split BenchmarkExecuteTrivial: the same cell
// evaluated by a session in this process (no worker), and a cell of the
// scripted worker, which costs nothing to evaluate (the supervisor, the
// pipes and the worker's protocol alone).

// BenchmarkSessionAlone evaluates the trivial cell with a session in the
// benchmark's own process: what the worker spends on the cell itself.
func BenchmarkSessionAlone(b *testing.B) {
	s, err := session.New(session.Options{Stdout: io.Discard, Stderr: io.Discard, Stdin: strings.NewReader("")})
	if err != nil {
		b.Skipf("no working session: %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	if res := s.Execute(ctx, "1+1"); res.Err != nil {
		b.Skipf("no working session: %+v", res.Err)
	}
	for b.Loop() {
		s.Execute(ctx, "1+1")
	}
}

// BenchmarkExecuteScripted measures a round trip through a worker whose
// evaluator answers at once.
func BenchmarkExecuteScripted(b *testing.B) {
	s, err := New(Options{Command: []string{os.Args[0]}, Env: []string{workerEnv + "=fake"}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	out := newRecord()
	if res, err := s.Execute(ctx, "value 2", repl.ExecuteOptions{}, out); err != nil || res.Err != nil {
		b.Fatalf("first cell: %v %+v", err, res.Err)
	}
	for b.Loop() {
		if _, err := s.Execute(ctx, "value 2", repl.ExecuteOptions{}, out); err != nil {
			b.Fatal(err)
		}
	}
}
