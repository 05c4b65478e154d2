package claims

import (
	"context"
	"sync"
	"time"
)

// SumCallbacks does the job in the callback (event-loop) style of async
// code without async/await: each request registers a callback that the
// loop runs when its wait is over. Callbacks run one at a time on the loop,
// so they need no locks, but none may block, and the loop itself — what an
// async runtime provides — has to be written or imported.
func SumCallbacks(ctx context.Context, job Job) (uint64, error) {
	if job.Requests == 0 {
		return 0, nil
	}
	loop := newEventLoop()
	var sum uint64
	pending := job.Requests
	for i := range job.Requests {
		loop.after(job.Latency, func() {
			sum += Work(i)
			pending--
			if pending == 0 {
				loop.stop()
			}
		})
	}
	if err := loop.run(ctx); err != nil {
		return 0, err
	}
	return sum, nil
}

// eventLoop runs callbacks one at a time on the goroutine that calls run.
type eventLoop struct {
	mu      sync.Mutex
	queue   []func()
	wake    chan struct{}
	stopped bool
}

func newEventLoop() *eventLoop {
	return &eventLoop{wake: make(chan struct{}, 1)}
}

// after queues f once d has passed; the timer is the runtime's, so no
// thread waits for it.
func (l *eventLoop) after(d time.Duration, f func()) {
	time.AfterFunc(d, func() { l.post(f) })
}

// post queues f and wakes the loop.
func (l *eventLoop) post(f func()) {
	l.mu.Lock()
	l.queue = append(l.queue, f)
	l.mu.Unlock()
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// stop ends run after the running callback; it is called from a callback.
func (l *eventLoop) stop() { l.stopped = true }

// run runs queued callbacks until stop is called or ctx is done.
func (l *eventLoop) run(ctx context.Context) error {
	for !l.stopped {
		l.mu.Lock()
		batch := l.queue
		l.queue = nil
		l.mu.Unlock()
		for _, f := range batch {
			f()
		}
		if l.stopped {
			break
		}
		select {
		case <-l.wake:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}
