package claims

import (
	"context"
	"time"
)

// SumGoroutines does the job in Go's own style: one goroutine per request,
// written as plain blocking code, and a channel to collect the answers.
func SumGoroutines(ctx context.Context, job Job) (uint64, error) {
	answers := make(chan uint64, job.Requests)
	for i := range job.Requests {
		go func() {
			time.Sleep(job.Latency) // the I/O: parks this goroutine only
			answers <- Work(i)
		}()
	}
	var sum uint64
	for range job.Requests {
		select {
		case v := <-answers:
			sum += v
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
	return sum, nil
}
