package workload

import (
	"errors"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// ThreadLimits is the safe bound on extra OS threads and where it comes from.
// Each limit is expressed as headroom: how many more threads this process may
// create under it. A limit that cannot be read is -1 and is ignored.
type ThreadLimits struct {
	// Current is this process's thread count (/proc/self/status).
	Current int `json:"current"`
	// GoMaxThreads is debug.SetMaxThreads' value: the runtime dies with
	// "fatal error: thread exhaustion" past it. GoHeadroom = GoMaxThreads − Current.
	GoMaxThreads int `json:"go_max_threads"`
	GoHeadroom   int `json:"go_headroom"`
	// ThreadsMaxHeadroom is /proc/sys/kernel/threads-max minus the threads
	// alive system-wide (/proc/loadavg).
	ThreadsMax         int `json:"threads_max"`
	ThreadsMaxHeadroom int `json:"threads_max_headroom"`
	// PidMaxHeadroom is /proc/sys/kernel/pid_max minus the tasks alive
	// system-wide: every thread takes a pid.
	PidMax         int `json:"pid_max"`
	PidMaxHeadroom int `json:"pid_max_headroom"`
	// NProcHeadroom is the soft RLIMIT_NPROC minus this process's threads.
	// The limit counts all of the user's threads, so this is an upper bound;
	// it is not enforced for root (math.MaxInt32 then, when unlimited).
	NProc         int `json:"nproc"`
	NProcHeadroom int `json:"nproc_headroom"`
	// MemoryHeadroom is MemAvailable divided by a deliberately pessimistic
	// 256 KiB per thread (Go's g0 stack, the kernel stack, runtime
	// structures, and the locked goroutine's own stack).
	MemoryHeadroom int `json:"memory_headroom"`
	// Margin is kept free for the runtime's own threads (sysmon, GC
	// workers, threads handed Ps when others block): 64 + 2·GOMAXPROCS.
	Margin int `json:"margin"`
	// Bound is the smallest headroom minus Margin (never negative).
	Bound int `json:"bound"`
	// Limiting names the headroom that sets Bound.
	Limiting string `json:"limiting"`
}

// ThreadBoundError is returned when a request for more OS threads than the
// safe bound is refused. It is returned before any thread is created.
type ThreadBoundError struct {
	Requested int          // extra threads asked for
	Limits    ThreadLimits // the limits read when refusing
}

// Error says how many threads were requested, the bound, and which limit
// sets it.
func (e *ThreadBoundError) Error() string {
	return fmt.Sprintf("workload: %d more OS threads requested, but the safe bound is %d, set by %s (current threads %d, margin %d); lower the request or raise that limit",
		e.Requested, e.Limits.Bound, e.Limits.Limiting, e.Limits.Current, e.Limits.Margin)
}

// ErrThreadBound matches a *ThreadBoundError with errors.Is.
var ErrThreadBound = errors.New("workload: thread bound exceeded")

// Is reports target == ErrThreadBound.
func (e *ThreadBoundError) Is(target error) bool { return target == ErrThreadBound }

// ThreadBound computes the safe number of extra OS threads this process may
// create now: the minimum of the headrooms under debug.SetMaxThreads (read by
// setting a higher value and restoring the previous one, which SetMaxThreads
// returns), /proc/sys/kernel/threads-max, pid_max, RLIMIT_NPROC and available
// memory, minus a margin for the runtime's own threads. The result changes
// as threads come and go; experiments call it just before creating threads.
func ThreadBound() (ThreadLimits, error) {
	cur, err := Threads()
	if err != nil {
		return ThreadLimits{}, fmt.Errorf("workload: thread bound: %w", err)
	}
	l := ThreadLimits{Current: cur, Margin: 64 + 2*gomaxprocs()}
	// Raising the limit never fails; lowering it below the current count
	// would be fatal, so read by raising and restoring.
	l.GoMaxThreads = debug.SetMaxThreads(math.MaxInt32)
	debug.SetMaxThreads(l.GoMaxThreads)
	l.GoHeadroom = l.GoMaxThreads - cur

	systemTasks := loadavgTasks()
	l.ThreadsMax, l.ThreadsMaxHeadroom = readIntFile("/proc/sys/kernel/threads-max"), -1
	if l.ThreadsMax > 0 && systemTasks > 0 {
		l.ThreadsMaxHeadroom = l.ThreadsMax - systemTasks
	}
	l.PidMax, l.PidMaxHeadroom = readIntFile("/proc/sys/kernel/pid_max"), -1
	if l.PidMax > 0 && systemTasks > 0 {
		l.PidMaxHeadroom = l.PidMax - systemTasks
	}
	l.NProc, l.NProcHeadroom = -1, -1
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NPROC, &rl); err == nil {
		if rl.Cur == unix.RLIM_INFINITY || rl.Cur > math.MaxInt32 || os.Geteuid() == 0 {
			l.NProc = math.MaxInt32
		} else {
			l.NProc = int(rl.Cur)
		}
		l.NProcHeadroom = l.NProc - cur
	}
	l.MemoryHeadroom = -1
	if avail, err := memAvailable(); err == nil {
		l.MemoryHeadroom = int(avail / (256 << 10))
	}

	l.Bound, l.Limiting = math.MaxInt, ""
	for _, h := range []struct {
		name string
		v    int
	}{
		{fmt.Sprintf("debug.SetMaxThreads (%d)", l.GoMaxThreads), l.GoHeadroom},
		{fmt.Sprintf("/proc/sys/kernel/threads-max (%d)", l.ThreadsMax), l.ThreadsMaxHeadroom},
		{fmt.Sprintf("/proc/sys/kernel/pid_max (%d)", l.PidMax), l.PidMaxHeadroom},
		{fmt.Sprintf("RLIMIT_NPROC (%d)", l.NProc), l.NProcHeadroom},
		{"available memory (MemAvailable / 256 KiB)", l.MemoryHeadroom},
	} {
		if h.v >= 0 && h.v < l.Bound {
			l.Bound, l.Limiting = h.v, h.name
		}
	}
	l.Bound = max(l.Bound-l.Margin, 0)
	return l, nil
}

// CheckThreads returns a *ThreadBoundError (matching ErrThreadBound) when n
// more OS threads exceed ThreadBound, and nil when they fit.
func CheckThreads(n int) error {
	l, err := ThreadBound()
	if err != nil {
		return err
	}
	if n > l.Bound {
		return &ThreadBoundError{Requested: n, Limits: l}
	}
	return nil
}

// loadavgTasks returns the number of scheduling entities (threads) alive
// system-wide: the denominator of the 4th field of /proc/loadavg.
func loadavgTasks() int {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) < 4 {
		return -1
	}
	_, total, ok := strings.Cut(f[3], "/")
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(total)
	if err != nil {
		return -1
	}
	return n
}

func readIntFile(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	n, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return -1
	}
	return n
}
