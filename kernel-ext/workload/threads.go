package workload

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	"golang.org/x/sys/unix"
)

// threadGroup runs functions on locked, optionally pinned OS threads and
// records the CPU each last ran on.
type threadGroup struct {
	placement Placement
	allowed   []int
	wg        sync.WaitGroup
	mu        sync.Mutex
	cpus      []int
	errs      []error
}

func newThreadGroup(p Placement) *threadGroup {
	return &threadGroup{placement: p, allowed: allowedCPUs()}
}

// goLocked runs fn on a new locked thread pinned as thread index i. The
// goroutine exits locked, so the runtime destroys the (possibly pinned)
// thread rather than reusing it with a stale affinity.
func (g *threadGroup) goLocked(i int, fn func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		runtime.LockOSThread()
		err := pinSelf(g.placement, i, g.allowed)
		if err == nil {
			err = fn()
		}
		cpu := lastCPU()
		g.mu.Lock()
		if len(g.cpus) < 64 {
			g.cpus = append(g.cpus, cpu)
		}
		if err != nil {
			g.errs = append(g.errs, err)
		}
		g.mu.Unlock()
	}()
}

// wait waits for every thread and returns their joined errors.
func (g *threadGroup) wait() error {
	g.wg.Wait()
	return errors.Join(g.errs...)
}

// readFull reads exactly len(b) bytes with raw blocking read(2) calls; it
// returns io.EOF-like errEOF on end of file.
func readFull(fd int, b []byte) error {
	for off := 0; off < len(b); {
		n, err := unix.Read(fd, b[off:])
		switch {
		case err == unix.EINTR:
			continue
		case err != nil:
			return fmt.Errorf("read fd %d: %w", fd, err)
		case n == 0:
			return errEOF
		}
		off += n
	}
	return nil
}

func writeFull(fd int, b []byte) error {
	for off := 0; off < len(b); {
		n, err := unix.Write(fd, b[off:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("write fd %d: %w", fd, err)
		}
		off += n
	}
	return nil
}

var errEOF = errors.New("end of file")

// checkFDs returns an error when n more file descriptors would exceed the
// soft RLIMIT_NOFILE (Go raises it to the hard limit at start-up).
func checkFDs(n int) error {
	var rl unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_NOFILE, &rl); err != nil {
		return nil
	}
	open := 0
	if ents, err := readDirNames("/proc/self/fd"); err == nil {
		open = len(ents)
	}
	if rl.Cur != unix.RLIM_INFINITY && uint64(open+n+64) > rl.Cur {
		return fmt.Errorf("workload: %d more file descriptors needed, RLIMIT_NOFILE is %d with %d open", n, rl.Cur, open)
	}
	return nil
}
