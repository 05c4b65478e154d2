package claims

import (
	"context"
	"runtime"
	"sync"
	"syscall"

	"github.com/goconc/goconc/kernel-ext/workload"
)

// SumThreads does the job in the threads-and-locks style: one OS thread per
// request (a goroutine locked to its thread, waiting in a blocking system
// call), a shared sum behind a mutex, and a WaitGroup to join them.
func SumThreads(ctx context.Context, job Job) (uint64, error) {
	if err := workload.CheckThreads(job.Requests); err != nil {
		return 0, err
	}
	var (
		mu  sync.Mutex
		sum uint64
		wg  sync.WaitGroup
	)
	for i := range job.Requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
			ts := syscall.NsecToTimespec(job.Latency.Nanoseconds())
			for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
			} // the I/O: holds this thread until it returns
			v := Work(i)
			mu.Lock()
			sum += v
			mu.Unlock()
		}()
	}
	wg.Wait() // a blocked thread cannot be cancelled: ctx is checked after
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return sum, nil
}
