package workload

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// IOConfig configures RunIO. Zero fields take the defaults shown.
type IOConfig struct {
	// Requests is the number of concurrent waits (default 1000).
	Requests int `json:"requests"`
	// Latency of each wait: the timer's duration, or how long the
	// in-process server holds each request before answering (default 10 ms).
	Latency time.Duration `json:"latency"`
	// Modes to run: "timer", "tcp" (default both).
	Modes []string `json:"modes"`
	// Reps and Warmup per variant (defaults 3 and 1; a Warmup of NoWarmup
	// runs none).
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
	// Progress, if not nil, is called after every repetition.
	Progress Progress `json:"-"`
}

// Quick returns a small preset for CI and smoke runs.
func (IOConfig) Quick() IOConfig {
	return IOConfig{Requests: 50, Latency: 2 * time.Millisecond, Reps: 2, Warmup: 1}
}

func (c IOConfig) withDefaults() IOConfig {
	c.Requests = orDefault(c.Requests, 1000)
	c.Latency = orDefault(c.Latency, 10*time.Millisecond)
	if len(c.Modes) == 0 {
		c.Modes = []string{"timer", "tcp"}
	}
	c.Reps = orDefault(c.Reps, 3)
	c.Warmup = warmupOrDefault(c.Warmup, 1)
	return c
}

// IOPoint is one repetition of one variant.
type IOPoint struct {
	Mode string `json:"mode"` // "timer" or "tcp"
	Kind string `json:"kind"` // "goroutine" or "thread"
	N    int    `json:"n"`
	// WallNs: from the first spawn until the last request completed.
	WallNs float64 `json:"wall_ns"`
	// Throughput in requests per second: N / wall time.
	Throughput float64 `json:"throughput"`
	// PeakThreads and PeakRSSDelta are the highest /proc/self/status
	// Threads: and VmRSS (minus VmRSS before) seen by a 1 ms sampler.
	PeakThreads  int   `json:"peak_threads"`
	PeakRSSDelta int64 `json:"peak_rss_delta"`
}

// IOResult holds RunIO's series (samples: each request's latency in ns, from
// just before its wait or connect to its completion, all timed repetitions)
// and points.
type IOResult struct {
	Series   []Series      `json:"series"`
	Points   []IOPoint     `json:"points"`
	Requests int           `json:"requests"`
	Latency  time.Duration `json:"latency_ns"`
	Modes    []string      `json:"modes"`
	Reps     int           `json:"reps"`
	Warmup   int           `json:"warmup"`
	Env      Env           `json:"env"`
}

// RunIO measures I/O-bound concurrency (row "Primary use case", I/O-bound):
// N concurrent waits, as one goroutine per request or one OS thread per
// request. "timer" waits are time.Sleep for goroutines (a runtime timer, no
// thread held) and nanosleep(2) on locked threads (a blocking system call
// holding the thread). "tcp" requests go over loopback to an in-process
// server (goroutine per connection, netpoller) that answers each one-byte
// request after Latency: goroutine clients use net.Dial (the netpoller);
// thread clients are locked goroutines using raw blocking socket, connect,
// write and read system calls. Thread variants are checked against
// ThreadBound first, TCP against RLIMIT_NOFILE.
func RunIO(ctx context.Context, cfg IOConfig) (IOResult, error) {
	cfg = cfg.withDefaults()
	r := IOResult{Requests: cfg.Requests, Latency: cfg.Latency, Modes: cfg.Modes, Reps: cfg.Reps, Warmup: cfg.Warmup, Env: CurrentEnv()}
	if err := CheckThreads(cfg.Requests); err != nil {
		return r, fmt.Errorf("workload: io: %w", err)
	}
	var srv *ioServer
	for _, m := range cfg.Modes {
		switch m {
		case "timer":
		case "tcp":
			if srv != nil {
				continue
			}
			if err := checkFDs(2 * cfg.Requests); err != nil {
				return r, fmt.Errorf("workload: io: %w", err)
			}
			var err error
			if srv, err = startIOServer(ctx, cfg.Latency); err != nil {
				return r, err
			}
			defer srv.close()
		default:
			return r, fmt.Errorf("workload: io: unknown mode %q (want \"timer\" or \"tcp\")", m)
		}
	}
	p := progress{fn: cfg.Progress, total: (cfg.Warmup + cfg.Reps) * 2 * len(cfg.Modes)}
	for _, mode := range cfg.Modes {
		for _, kind := range []string{"goroutine", "thread"} {
			s := newSeries(fmt.Sprintf("%s, %s per request", mode, kind), kind, "ns", cfg.Requests)
			for i := range cfg.Warmup + cfg.Reps {
				pt, lat, err := ioOnce(ctx, mode, kind, cfg.Requests, cfg.Latency, srv)
				if err != nil {
					s.finish()
					r.Series = append(r.Series, s)
					return r, fmt.Errorf("workload: io %s: %w", s.Label, err)
				}
				if i >= cfg.Warmup {
					s.Samples = append(s.Samples, lat...)
					r.Points = append(r.Points, pt)
				}
				p.step()
			}
			s.finish()
			r.Series = append(r.Series, s)
		}
	}
	return r, nil
}

// ioOnce runs n concurrent requests and returns the point and each latency.
func ioOnce(ctx context.Context, mode, kind string, n int, latency time.Duration, srv *ioServer) (IOPoint, []float64, error) {
	pt := IOPoint{Mode: mode, Kind: kind, N: n}
	settle()
	before, err := ReadProcMemory()
	if err != nil {
		return pt, nil, err
	}
	stopSampler := make(chan struct{})
	peak := make(chan [2]int64, 1)
	go samplePeak(stopSampler, peak)

	lat := make([]float64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		if i%1024 == 0 && ctx.Err() != nil {
			break
		}
		wg.Go(func() {
			// Goroutines that start after a cancel leave at once: a
			// thread client would otherwise create a thread first.
			if ctx.Err() != nil {
				errs[i] = ctx.Err()
				return
			}
			if kind == "thread" {
				runtime.LockOSThread()
				// Exit locked: the thread is destroyed, as a
				// thread-per-request server's would be.
			}
			t := time.Now()
			switch {
			case mode == "timer" && kind == "goroutine":
				errs[i] = sleepCtx(ctx, latency)
			case mode == "timer":
				errs[i] = nanosleepCtx(ctx, latency)
			case kind == "goroutine":
				errs[i] = srv.requestNet(ctx)
			default:
				errs[i] = srv.requestRaw()
			}
			lat[i] = float64(time.Since(t).Nanoseconds())
		})
	}
	wg.Wait()
	wall := time.Since(start)
	close(stopSampler)
	pk := <-peak
	if err := ctx.Err(); err != nil {
		return pt, nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return pt, nil, err
	}
	pt.WallNs = float64(wall.Nanoseconds())
	pt.Throughput = float64(n) / wall.Seconds()
	pt.PeakThreads, pt.PeakRSSDelta = int(pk[0]), pk[1]-before.RSS
	return pt, lat, nil
}

// samplePeak reads /proc/self/status every millisecond until stop is closed
// and then sends the highest Threads: and VmRSS seen.
func samplePeak(stop <-chan struct{}, out chan<- [2]int64) {
	var pk [2]int64
	t := time.NewTicker(time.Millisecond)
	defer t.Stop()
	for {
		if b, err := os.ReadFile("/proc/self/status"); err == nil {
			if v, err := statusField(b, "Threads"); err == nil {
				pk[0] = max(pk[0], v)
			}
			if v, err := statusField(b, "VmRSS"); err == nil {
				pk[1] = max(pk[1], v*1024)
			}
		}
		select {
		case <-stop:
			out <- pk
			return
		case <-t.C:
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// nanosleepCtx sleeps in a blocking nanosleep(2), in pieces of at most 50 ms
// so that cancellation is seen in time.
func nanosleepCtx(ctx context.Context, d time.Duration) error {
	for d > 0 {
		if err := ctx.Err(); err != nil {
			return err
		}
		piece := min(d, 50*time.Millisecond)
		ts := unix.NsecToTimespec(piece.Nanoseconds())
		for {
			// On EINTR the remainder is written back into ts.
			err := unix.Nanosleep(&ts, &ts)
			if err != unix.EINTR {
				break
			}
		}
		d -= piece
	}
	return nil
}

// ioServer answers each one-byte request with one byte after latency, one
// goroutine per connection, then closes (so TIME_WAIT stays server-side and
// does not use up client ports).
type ioServer struct {
	ln      net.Listener
	addr    unix.SockaddrInet4
	latency time.Duration
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

// startIOServer starts the server; ctx bounds its waits, so that a cancelled
// run unblocks thread clients (which cannot be interrupted) within Latency.
func startIOServer(ctx context.Context, latency time.Duration) (*ioServer, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("workload: io: listen: %w", err)
	}
	s := &ioServer{ln: ln, latency: latency}
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.addr.Port = ln.Addr().(*net.TCPAddr).Port
	s.addr.Addr = [4]byte{127, 0, 0, 1}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(c) })
		}
	})
	return s, nil
}

func (s *ioServer) serve(c net.Conn) {
	defer c.Close()
	b := []byte{0}
	if _, err := io.ReadFull(c, b); err != nil {
		return
	}
	if sleepCtx(s.ctx, s.latency) != nil {
		return
	}
	c.Write(b)
}

func (s *ioServer) close() {
	s.cancel()
	s.ln.Close()
	s.wg.Wait()
}

// requestNet is a goroutine client: net.Dial and the netpoller. A cancelled
// ctx closes the connection, which unblocks the read.
func (s *ioServer) requestNet(ctx context.Context) error {
	var d net.Dialer
	c, err := d.DialContext(ctx, "tcp4", s.ln.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	b := []byte{1}
	if _, err := c.Write(b); err != nil {
		return err
	}
	_, err = io.ReadFull(c, b)
	return err
}

// requestRaw is a thread client: blocking system calls on a plain socket. Its
// wait is bounded by the server, which answers after latency or, when the
// run is cancelled, closes the connection at once.
func (s *ioServer) requestRaw() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return fmt.Errorf("socket: %w", err)
	}
	defer unix.Close(fd)
	// A copy per call: Connect encodes into the Sockaddr's own buffer, so
	// a shared one would be written by many threads at once.
	addr := s.addr
	for {
		err = unix.Connect(fd, &addr)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	b := []byte{1}
	if err := writeFull(fd, b); err != nil {
		return err
	}
	if err := readFull(fd, b); err != nil {
		return fmt.Errorf("response: %w", err)
	}
	return nil
}
