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

// NoWarmup, as a config's Warmup, asks for no warm-up at all (zero asks
// for the default), for measuring a cold start.
const NoWarmup = -1

// warmupOrDefault returns the warm-up runs a config asks for: def when
// zero, none when negative.
func warmupOrDefault(v, def int) int {
	switch {
	case v < 0:
		return 0
	case v == 0:
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

// sweepKinds runs measure cfg.Reps times for each goroutine size, then for
// each thread size, after warmup runs at the first goroutine size, and
// returns one Series per (kind, size) of sample(point) in unit, with every
// point. On an error it returns what was measured so far: a partial series
// is finished and kept.
func sweepKinds[P any](ctx context.Context, goroutines, threads []int, warmup, reps int, unit string, p *progress,
	measure func(ctx context.Context, kind string, n int) (P, error), sample func(P) float64) ([]Series, []P, error) {
	var series []Series
	var points []P
	for range warmup {
		if _, err := measure(ctx, "goroutine", goroutines[0]); err != nil {
			return series, points, err
		}
		p.step()
	}
	for _, kind := range []string{"goroutine", "thread"} {
		sizes := goroutines
		if kind == "thread" {
			sizes = threads
		}
		for _, n := range sizes {
			s := newSeries(fmt.Sprintf("%s, N=%d", kind, n), kind, unit, n)
			for range reps {
				pt, err := measure(ctx, kind, n)
				if err != nil {
					s.finish()
					return append(series, s), points, err
				}
				points = append(points, pt)
				s.Samples = append(s.Samples, sample(pt))
				p.step()
			}
			s.finish()
			series = append(series, s)
		}
	}
	return series, points, nil
}
