package supervisor

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/kernel-ext/internal/session"
	"github.com/goconc/goconc/kernel-ext/internal/worker"
)

// workerEnv makes the test binary, re-executed, a worker: "session" runs
// worker.Main (the real session), "fake" serves a scripted evaluator so the
// supervisor's own behaviour is tested whatever the session does.
const workerEnv = "GOCONC_SUPERVISOR_TEST_WORKER"

func TestMain(m *testing.M) {
	switch os.Getenv(workerEnv) {
	case "":
		os.Exit(m.Run())
	case "session":
		if err := worker.Main(context.Background()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	case "fake":
		// As worker.Main does: the pipes under the runtime's poller.
		for _, fd := range []int{3, 4} {
			if err := unix.SetNonblock(fd, true); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		req, ev := os.NewFile(3, "requests"), os.NewFile(4, "events")
		err := worker.Serve(context.Background(), worker.Config{
			Requests: req, Events: ev, Stdout: os.Stdout, Stderr: os.Stderr,
			NewEvaluator: func(opts session.Options, pub worker.Publisher) (worker.Evaluator, error) {
				return &script{opts: opts, pub: pub, vars: map[string]string{}}, nil
			},
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	os.Exit(0)
}

// script is the fake worker's evaluator: each line of a cell is a command.
// Its Execute behaves like native code: it writes to the real fd 1 and 2
// and ignores ctx except in "block".
type script struct {
	opts session.Options
	pub  worker.Publisher
	mu   sync.Mutex
	vars map[string]string
}

func (s *script) Execute(ctx context.Context, code string) repl.Result {
	var value string
	for _, line := range strings.Split(code, "\n") {
		cmd, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch cmd {
		case "":
		case "print":
			fmt.Println(arg)
		case "eprint":
			fmt.Fprintln(os.Stderr, arg)
		case "sleep":
			ms, _ := strconv.Atoi(arg)
			time.Sleep(time.Duration(ms) * time.Millisecond)
		case "display":
			s.pub.Display(repl.Display{Data: map[string]any{"text/plain": arg}})
		case "gopanic":
			go func() { panic(arg) }()
			time.Sleep(5 * time.Second)
		case "block":
			<-ctx.Done()
			return repl.Result{Err: &repl.Error{Name: "Interrupted", Value: "interrupted"}}
		case "hang":
			time.Sleep(time.Hour)
		case "set":
			k, v, _ := strings.Cut(arg, "=")
			s.mu.Lock()
			s.vars[k] = v
			s.mu.Unlock()
		case "get":
			s.mu.Lock()
			value = s.vars[arg]
			s.mu.Unlock()
		case "getenv":
			value = os.Getenv(arg)
		case "input":
			line, err := bufio.NewReader(s.opts.Stdin).ReadString('\n')
			if err != nil {
				return repl.Result{Err: &repl.Error{Name: "InputError", Value: err.Error()}}
			}
			value = strings.TrimSuffix(line, "\n")
		case "later":
			// later MS COMMAND: run COMMAND in a goroutine that outlives the cell.
			ms, rest, _ := strings.Cut(arg, " ")
			n, _ := strconv.Atoi(ms)
			go func() {
				time.Sleep(time.Duration(n) * time.Millisecond)
				s.Execute(context.Background(), rest)
			}()
		case "spam":
			n, _ := strconv.Atoi(arg)
			os.Stdout.WriteString(strings.Repeat("x", n))
		case "fatal":
			// A fatal runtime error, as a cell passing the thread limit gets.
			debug.SetMaxThreads(1)
			for range 8 {
				go func() { time.Sleep(time.Second) }()
			}
			time.Sleep(5 * time.Second)
		case "value":
			value = arg
		default:
			return repl.Result{Err: &repl.Error{Name: "Unknown", Value: cmd}}
		}
	}
	return repl.Result{Value: &repl.Display{Data: map[string]any{"text/plain": value}}}
}

func (s *script) Complete(code string, cursor int) repl.Completion {
	return repl.Completion{Matches: []string{"scripted"}, CursorStart: 0, CursorEnd: cursor, Metadata: map[string]any{}}
}

func (s *script) Inspect(code string, cursor, detail int) repl.Inspection {
	return repl.Inspection{Found: true, Data: map[string]any{"text/plain": "scripted"}, Metadata: map[string]any{}}
}

func (s *script) IsComplete(code string) repl.Completeness {
	return repl.Completeness{Status: "complete"}
}

func (s *script) Close() error { return nil }
