package workload

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"sync"
)

// Environment variables of the child-process protocol.
const (
	// ChildEnv names the child mode the re-executed binary must run.
	ChildEnv = "GOCONC_WORKLOAD_CHILD"
	// ChildConfigEnv carries the mode's JSON-encoded configuration.
	ChildConfigEnv = "GOCONC_WORKLOAD_CONFIG"
)

// Child modes understood by RunChildIfRequested.
const (
	// ChildPreempt runs RunPreemption in-process and prints its
	// PreemptResult as JSON on stdout (the parent sets GODEBUG).
	ChildPreempt = "preempt"
	// ChildExhaust lowers debug.SetMaxThreads and creates more locked
	// threads than it allows: the runtime dies with "fatal error: thread
	// exhaustion" on stderr, exit status 2.
	ChildExhaust = "exhaust"
	// ChildEcosystem runs RunEcosystem in-process (one kind, one
	// repetition) from a clean thread count and prints its result as JSON.
	ChildEcosystem = "ecosystem"
	// ChildEcho prints its configuration back on stdout; used to test the
	// protocol itself.
	ChildEcho = "echo"
)

// RunChildIfRequested runs a child-mode workload and exits the process when
// the ChildEnv environment variable is set, and returns at once otherwise.
//
// Experiments that need a different runtime setup (GODEBUG read at start-up,
// or a process allowed to die) re-execute os.Executable() with ChildEnv set.
// So every host binary must call this first in main, and test binaries first
// in TestMain:
//
//	func main() {
//		workload.RunChildIfRequested()
//		…
//	}
//
// Without the call, the re-executed binary would run its normal main; RunChild
// guards against recursion by refusing to start a child from a child.
func RunChildIfRequested() {
	mode, ok := os.LookupEnv(ChildEnv)
	if !ok {
		return
	}
	if err := runChildMode(mode, []byte(os.Getenv(ChildConfigEnv))); err != nil {
		fmt.Fprintf(os.Stderr, "workload child %s: %v\n", mode, err)
		os.Exit(1)
	}
	os.Exit(0)
}

func runChildMode(mode string, cfgJSON []byte) error {
	switch mode {
	case ChildEcho:
		_, err := os.Stdout.Write(cfgJSON)
		return err
	case ChildPreempt:
		var cfg PreemptConfig
		if err := json.Unmarshal(cfgJSON, &cfg); err != nil {
			return fmt.Errorf("decode config: %w", err)
		}
		cfg.Cooperative = false // this process already runs with the GODEBUG
		r, err := runPreemptInProcess(context.Background(), cfg)
		if err != nil {
			return err
		}
		return json.NewEncoder(os.Stdout).Encode(r)
	case ChildEcosystem:
		var cfg EcosystemConfig
		if err := json.Unmarshal(cfgJSON, &cfg); err != nil {
			return fmt.Errorf("decode config: %w", err)
		}
		cfg.InProcess = true
		r, err := RunEcosystem(context.Background(), cfg)
		if err != nil {
			return err
		}
		return json.NewEncoder(os.Stdout).Encode(r)
	case ChildExhaust:
		var cfg ExhaustConfig
		if err := json.Unmarshal(cfgJSON, &cfg); err != nil {
			return fmt.Errorf("decode config: %w", err)
		}
		cfg = cfg.withDefaults()
		debug.SetMaxThreads(cfg.MaxThreads)
		var wg sync.WaitGroup
		block := make(chan struct{})
		for range cfg.Threads {
			wg.Go(func() {
				runtime.LockOSThread()
				<-block // the blocked locked goroutine holds its thread
			})
		}
		wg.Wait() // not reached: the runtime dies first
		return errors.New("thread exhaustion did not happen")
	}
	return fmt.Errorf("unknown child mode %q", mode)
}

// ChildResult is what a child process left behind.
type ChildResult struct {
	Mode     string   `json:"mode"`
	Env      []string `json:"env,omitempty"` // extra environment given
	Stdout   string   `json:"stdout"`
	Stderr   string   `json:"stderr"`
	ExitCode int      `json:"exit_code"`
}

// RunChild re-executes os.Executable() in child mode with cfg encoded as JSON
// and extraEnv appended to the environment, waits for it, and captures its
// output. A non-zero exit is not an error (dying may be the point); failing to
// start, a cancelled ctx (the child is killed), or a host binary that does not
// call RunChildIfRequested are.
func RunChild(ctx context.Context, mode string, cfg any, extraEnv []string) (ChildResult, error) {
	res := ChildResult{Mode: mode, Env: extraEnv}
	if _, ok := os.LookupEnv(ChildEnv); ok {
		return res, errors.New("workload: RunChild called inside a child process (does the host call RunChildIfRequested first?)")
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return res, fmt.Errorf("workload: child %s: encode config: %w", mode, err)
	}
	exe, err := os.Executable()
	if err != nil {
		return res, fmt.Errorf("workload: child %s: %w", mode, err)
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), ChildEnv+"="+mode, ChildConfigEnv+"="+string(cfgJSON))
	cmd.Env = append(cmd.Env, extraEnv...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	res.Stdout, res.Stderr = stdout.String(), stderr.String()
	if ctx.Err() != nil {
		return res, ctx.Err()
	}
	var exitErr *exec.ExitError
	switch {
	case errors.As(err, &exitErr):
		res.ExitCode = exitErr.ExitCode()
	case err != nil:
		return res, fmt.Errorf("workload: child %s: %w", mode, err)
	}
	return res, nil
}

// ExhaustConfig configures RunThreadExhaustion.
type ExhaustConfig struct {
	// MaxThreads is the debug.SetMaxThreads value set in the child
	// (default 50), low so the demonstration is cheap.
	MaxThreads int `json:"max_threads"`
	// Threads is how many blocked locked goroutines the child creates
	// (default 2·MaxThreads).
	Threads int `json:"threads"`
}

func (c ExhaustConfig) withDefaults() ExhaustConfig {
	if c.MaxThreads <= 0 {
		c.MaxThreads = 50
	}
	if c.Threads <= 0 {
		c.Threads = 2 * c.MaxThreads
	}
	return c
}

// RunThreadExhaustion shows, safely, what happens past the runtime's thread
// limit: a child process sets debug.SetMaxThreads(cfg.MaxThreads) and creates
// cfg.Threads OS threads (locked, blocked goroutines). The runtime then dies
// with "fatal error: thread exhaustion"; the returned ChildResult holds its
// stderr and exit code. The host binary must call RunChildIfRequested.
func RunThreadExhaustion(ctx context.Context, cfg ExhaustConfig) (ChildResult, error) {
	return RunChild(ctx, ChildExhaust, cfg.withDefaults(), nil)
}
