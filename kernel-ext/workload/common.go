package workload

import (
	"context"
	"fmt"
	"time"
)

// Progress is called as Progress(done, total) while an experiment runs. It is
// always called on the goroutine that called the experiment, between
// measurements (never inside a timed region, never concurrently), so an
// interpreted closure is safe here; done reaches total when the run completes.
type Progress func(done, total int)

type progress struct {
	fn          Progress
	done, total int
}

func (p *progress) step() {
	p.done++
	if p.fn != nil {
		p.fn(p.done, p.total)
	}
}

// ns converts a duration per count operations into float64 nanoseconds per op.
func ns(d time.Duration, ops int) float64 {
	if ops <= 0 {
		return 0
	}
	return float64(d.Nanoseconds()) / float64(ops)
}

// orDefault returns v unless it is zero, then def.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// wrapCtx annotates a context error with where it stopped, keeping errors.Is
// working for context.Canceled and context.DeadlineExceeded.
func wrapCtx(ctx context.Context, what string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("workload: %s: %w", what, err)
	}
	return nil
}
