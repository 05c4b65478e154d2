package workload

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// SwitchConfig configures RunSwitch. Zero fields take the defaults shown.
type SwitchConfig struct {
	// RoundTrips per repetition of each ping-pong (default 5000).
	RoundTrips int `json:"round_trips"`
	// Block is the number of round trips timed together as one sample
	// (default 100): one clock read per 200 switches keeps the clock's
	// cost out while still giving a distribution.
	Block int `json:"block"`
	// Reps and Warmup count repetitions of each variant (defaults 6, 1; a
	// Warmup of NoWarmup runs none).
	// Every repetition adds its blocks (or iterations) as samples, so each
	// series has at least Reps samples: 6 is the fewest whose median has a
	// distribution-free 95 % interval (Summary.CILevel reports the level).
	Reps   int `json:"reps"`
	Warmup int `json:"warmup"`
	// GOMAXPROCS values for the goroutine ping-pong (default {1, 2}). The
	// process-wide setting is restored afterwards.
	GOMAXPROCS []int `json:"gomaxprocs"`
	// Placements of the thread variants (default free, same-cpu, spread).
	Placements []Placement `json:"placements"`
	// ThreadGOMAXPROCS is the GOMAXPROCS the thread variants and the
	// ring and brigade run at (default runtime.NumCPU(), Go's own default,
	// whatever the caller's setting: a kernel may run cells at 1).
	ThreadGOMAXPROCS int `json:"thread_gomaxprocs"`
	// Ring is the number of goroutines or threads in the token ring
	// (default 100) and RingLaps the laps per repetition (default 50).
	Ring     int `json:"ring"`
	RingLaps int `json:"ring_laps"`
	// Brigade is the chain length (default 200; the seed's was 500) and
	// BrigadeIters the iterations per repetition (default 20; the seed ran
	// 100 warm-up and 10,000 timed iterations in total). Every repetition
	// creates Brigade threads per thread variant, which dominates the run
	// on a small machine, hence the shorter chain.
	Brigade      int `json:"brigade"`
	BrigadeIters int `json:"brigade_iters"`
	// Progress, if not nil, is called after every repetition.
	Progress Progress `json:"-"`
}

// Quick returns a small preset for CI and smoke runs.
func (SwitchConfig) Quick() SwitchConfig {
	return SwitchConfig{RoundTrips: 1000, Block: 100, Reps: 3, Warmup: 1, GOMAXPROCS: []int{1, 2},
		Placements: []Placement{PlacementFree}, Ring: 10, RingLaps: 20, Brigade: 20, BrigadeIters: 20}
}

func (c SwitchConfig) withDefaults() SwitchConfig {
	c.RoundTrips = orDefault(c.RoundTrips, 5000)
	c.Block = min(orDefault(c.Block, 100), c.RoundTrips)
	c.Reps = orDefault(c.Reps, 6)
	c.Warmup = warmupOrDefault(c.Warmup, 1)
	if len(c.GOMAXPROCS) == 0 {
		c.GOMAXPROCS = []int{1, 2}
	}
	if len(c.Placements) == 0 {
		c.Placements = []Placement{PlacementFree, PlacementSameCPU, PlacementSpread}
	}
	c.ThreadGOMAXPROCS = orDefault(c.ThreadGOMAXPROCS, runtime.NumCPU())
	c.Ring = max(orDefault(c.Ring, 100), 2)
	c.RingLaps = orDefault(c.RingLaps, 50)
	c.Brigade = orDefault(c.Brigade, 200)
	c.BrigadeIters = orDefault(c.BrigadeIters, 20)
	return c
}

// SwitchResult holds RunSwitch's series. Every sample is nanoseconds per
// switch, one sample per timed block:
//
//   - "goroutine ping-pong chan, GOMAXPROCS=p": two goroutines bounce a value
//     over unbuffered channels; block time / (2·Block) (one-way hand-off).
//   - "thread ping-pong chan (placement)": the same between two locked
//     goroutines, so every hand-off wakes another OS thread (futex).
//   - "thread ping-pong pipe (placement)": two locked threads, raw blocking
//     read(2)/write(2) on two pipes: a kernel context switch each way.
//   - "goroutine ring" / "thread ring (placement)": a token passed around
//     Ring participants over channels; per hop = lap time / Ring.
//   - "thread brigade", "goroutine brigade chan", "goroutine brigade
//     netpoller", "baseline one thread": the seed's brigade of Brigade tasks,
//     each reading one byte from upstream and writing it downstream over Unix
//     socket pairs (blocking syscalls on locked threads; or channels; or
//     non-blocking sockets through Go's poller). One sample per iteration,
//     iteration time / Brigade ("per task per iteration", as in the seed).
//     The baseline is one thread doing every read and write itself: the I/O
//     cost to subtract to estimate the switch cost. One more thread brigade
//     runs with GOMAXPROCS = Brigade+1, a P per thread, so that no thread
//     waits for a P after its read returns (a control: closer to native
//     threads, which need no P).
//
// Goroutine ping-pongs run at each of SwitchConfig.GOMAXPROCS; everything
// else at SwitchConfig.ThreadGOMAXPROCS. Thread series report Placement and
// the CPUs their threads last ran on.
type SwitchResult struct {
	Series       []Series `json:"series"`
	RoundTrips   int      `json:"round_trips"`
	Block        int      `json:"block"`
	Reps         int      `json:"reps"`
	Warmup       int      `json:"warmup"`
	Ring         int      `json:"ring"`
	RingLaps     int      `json:"ring_laps"`
	Brigade      int      `json:"brigade"`
	BrigadeIters int      `json:"brigade_iters"`
	// SwitchEstimates are, for each brigade series, its median minus the
	// baseline's median: the seed's estimate of the switch cost with the
	// I/O cost taken out (ns per task per iteration; no interval given).
	SwitchEstimates []SwitchEstimate `json:"switch_estimates,omitempty"`
	Env             Env              `json:"env"`
}

// SwitchEstimate is a brigade's median minus the one-thread baseline's.
type SwitchEstimate struct {
	Label string  `json:"label"` // the brigade series' label
	Ns    float64 `json:"ns"`    // ns per task per iteration
}

func (r *SwitchResult) estimate() {
	var base *Series
	for i := range r.Series {
		if r.Series[i].Kind == "baseline" && r.Series[i].Summary.N > 0 {
			base = &r.Series[i]
		}
	}
	if base == nil {
		return
	}
	for _, s := range r.Series {
		if s.Unit == "ns/task/iter" && s.Kind != "baseline" && s.Summary.N > 0 {
			r.SwitchEstimates = append(r.SwitchEstimates, SwitchEstimate{Label: s.Label, Ns: s.Summary.Median - base.Summary.Median})
		}
	}
}

// RunSwitch measures context-switch cost (row "Context switch" of the table):
// goroutine hand-offs against OS-thread wake-ups, with thread placement
// reported in every thread series.
func RunSwitch(ctx context.Context, cfg SwitchConfig) (SwitchResult, error) {
	cfg = cfg.withDefaults()
	r := SwitchResult{RoundTrips: cfg.RoundTrips, Block: cfg.Block, Reps: cfg.Reps, Warmup: cfg.Warmup,
		Ring: cfg.Ring, RingLaps: cfg.RingLaps, Brigade: cfg.Brigade, BrigadeIters: cfg.BrigadeIters, Env: CurrentEnv()}
	for _, p := range cfg.Placements {
		if err := checkPlacement(p); err != nil {
			return r, err
		}
	}
	if err := CheckThreads(max(cfg.Ring, cfg.Brigade)); err != nil {
		return r, fmt.Errorf("workload: switch: %w", err)
	}
	if err := checkFDs(4 * (cfg.Brigade + 1)); err != nil {
		return r, fmt.Errorf("workload: switch: %w", err)
	}
	reps := cfg.Warmup + cfg.Reps
	nThread := len(cfg.Placements)
	p := progress{fn: cfg.Progress, total: reps * (len(cfg.GOMAXPROCS) + 4*nThread + 5)}
	blocks := cfg.RoundTrips / cfg.Block
	pp := func(label, kind string, pl Placement, procs int, setup func() (pingPonger, error), locked bool) error {
		s := newSeries(label, kind, "ns/switch", 2)
		s.Placement = pl
		err := runVariant(ctx, &p, &s, pl, procs, locked, cfg.Warmup, cfg.Reps, func(g *threadGroup, rep int) ([]float64, error) {
			pg, err := setup()
			if err != nil {
				return nil, err
			}
			return timeBlocks(ctx, pg, g, blocks, cfg.Block, 2*cfg.Block)
		})
		r.Series = append(r.Series, s)
		return err
	}
	for _, procs := range cfg.GOMAXPROCS {
		if procs <= 0 {
			return r, fmt.Errorf("workload: switch: GOMAXPROCS %d must be positive", procs)
		}
		label := fmt.Sprintf("goroutine ping-pong chan, GOMAXPROCS=%d", procs)
		if err := pp(label, "goroutine", "", procs, newChanPingPong, false); err != nil {
			return r, err
		}
	}
	for _, pl := range cfg.Placements {
		if err := pp(fmt.Sprintf("thread ping-pong chan (%s)", pl), "thread", pl, cfg.ThreadGOMAXPROCS, newChanPingPong, true); err != nil {
			return r, err
		}
		if err := pp(fmt.Sprintf("thread ping-pong pipe (%s)", pl), "thread", pl, cfg.ThreadGOMAXPROCS, newPipePingPong, true); err != nil {
			return r, err
		}
	}
	ring := func(label, kind string, pl Placement, locked bool) error {
		s := newSeries(label, kind, "ns/hop", cfg.Ring)
		s.Placement = pl
		err := runVariant(ctx, &p, &s, pl, cfg.ThreadGOMAXPROCS, locked, cfg.Warmup, cfg.Reps, func(g *threadGroup, rep int) ([]float64, error) {
			rg := newRing(cfg.Ring)
			// Ten laps per sample: enough hops to dwarf the clock read.
			blocks := max(cfg.RingLaps/10, 1)
			per := cfg.RingLaps / blocks
			return timeBlocks(ctx, rg, g, blocks, per, cfg.Ring*per)
		})
		r.Series = append(r.Series, s)
		return err
	}
	if err := ring(fmt.Sprintf("goroutine ring of %d", cfg.Ring), "goroutine", "", false); err != nil {
		return r, err
	}
	for _, pl := range cfg.Placements {
		if err := ring(fmt.Sprintf("thread ring of %d (%s)", cfg.Ring, pl), "thread", pl, true); err != nil {
			return r, err
		}
	}
	brig := func(label, kind string, pl Placement, procs int, mode brigadeMode) error {
		s := newSeries(label, kind, "ns/task/iter", cfg.Brigade)
		s.Placement = pl
		procs = orDefault(procs, cfg.ThreadGOMAXPROCS)
		err := runVariant(ctx, &p, &s, pl, procs, mode == brigadeThreads || mode == brigadeBaseline, cfg.Warmup, cfg.Reps, func(g *threadGroup, rep int) ([]float64, error) {
			return runBrigade(ctx, mode, cfg.Brigade, cfg.BrigadeIters, g)
		})
		r.Series = append(r.Series, s)
		return err
	}
	for _, pl := range cfg.Placements {
		if err := brig(fmt.Sprintf("thread brigade of %d (%s)", cfg.Brigade, pl), "thread", pl, 0, brigadeThreads); err != nil {
			return r, err
		}
	}
	// With a P per thread, a thread returning from read(2) finds its own P
	// still idle and takes it back at once, as a native thread would just
	// run; with fewer Ps it must wait for one to be handed over.
	procs := cfg.Brigade + 1
	if err := brig(fmt.Sprintf("thread brigade of %d (free, GOMAXPROCS=%d)", cfg.Brigade, procs), "thread", PlacementFree, procs, brigadeThreads); err != nil {
		return r, err
	}
	if err := brig(fmt.Sprintf("goroutine brigade chan of %d", cfg.Brigade), "goroutine", "", 0, brigadeChan); err != nil {
		return r, err
	}
	if err := brig(fmt.Sprintf("goroutine brigade netpoller of %d", cfg.Brigade), "goroutine", "", 0, brigadeNetpoll); err != nil {
		return r, err
	}
	if err := brig(fmt.Sprintf("baseline one thread, %d links", cfg.Brigade+1), "baseline", PlacementSameCPU, 0, brigadeBaseline); err != nil {
		return r, err
	}
	r.estimate()
	return r, nil
}

// runVariant runs warmup+reps repetitions of one variant, keeping the samples
// of the last reps. Thread variants run the driver on a locked, pinned thread of
// its own; progress is reported from the calling goroutine.
func runVariant(ctx context.Context, p *progress, s *Series, pl Placement, procs int, locked bool, warmup, reps int,
	rep func(g *threadGroup, rep int) ([]float64, error)) error {
	if procs > 0 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		s.GOMAXPROCS = procs
	}
	defer s.finish()
	for i := range warmup + reps {
		if err := wrapCtx(ctx, s.Label); err != nil {
			return err
		}
		var samples []float64
		var err error
		if locked {
			g := newThreadGroup(pl)
			g.goLocked(0, func() error {
				var e error
				samples, e = rep(g, i)
				return e
			})
			err = g.wait()
			if len(s.CPUs) == 0 {
				s.CPUs = g.cpus
			}
		} else {
			samples, err = rep(nil, i)
		}
		if err != nil {
			return fmt.Errorf("workload: %s: %w", s.Label, err)
		}
		if i >= warmup {
			s.Samples = append(s.Samples, samples...)
		}
		p.step()
	}
	return nil
}

// pingPonger performs round trips with a partner started by its constructor.
type pingPonger interface {
	start(g *threadGroup) // start the partner (on a locked thread when g != nil)
	ops(n int) error      // n round trips / laps
	stop() error          // stop and wait for the partner(s)
}

// checkUnits is about how many switches (hops, one-way hand-offs) run
// between two looks at the context inside a timed block: at most some tens
// of milliseconds even for threads on a slow VM (~50 µs a switch), and one
// atomic load per thousand switches costs nothing measurable.
const checkUnits = 1024

// timeBlocks starts pg's partner, times blocks × perBlock operations, and
// returns ns per unit, each block counting units units. It looks at ctx
// every checkUnits units even inside a block, so that a large Block or Ring
// still stops soon after an interrupt (the partial block is dropped).
func timeBlocks(ctx context.Context, pg pingPonger, g *threadGroup, blocks, perBlock, units int) ([]float64, error) {
	pg.start(g)
	out := make([]float64, 0, blocks)
	chunk := max(checkUnits*perBlock/max(units, 1), 1)
	var err error
	for range blocks {
		if err = ctx.Err(); err != nil {
			break
		}
		t := time.Now()
		for done := 0; done < perBlock && err == nil; {
			k := min(chunk, perBlock-done)
			if err = pg.ops(k); err == nil {
				done += k
				if done < perBlock {
					err = ctx.Err()
				}
			}
		}
		if err != nil {
			break
		}
		out = append(out, ns(time.Since(t), units))
	}
	if serr := pg.stop(); err == nil {
		err = serr
	}
	return out, err
}

type chanPingPong struct {
	ping, pong chan int
	done       chan struct{}
}

func newChanPingPong() (pingPonger, error) {
	return &chanPingPong{ping: make(chan int), pong: make(chan int), done: make(chan struct{})}, nil
}

func (c *chanPingPong) start(g *threadGroup) {
	partner := func() error {
		defer close(c.done)
		for v := range c.ping {
			c.pong <- v
		}
		return nil
	}
	if g != nil {
		g.goLocked(1, partner)
		return
	}
	go partner()
}

func (c *chanPingPong) ops(n int) error {
	for i := range n {
		c.ping <- i
		<-c.pong
	}
	return nil
}

func (c *chanPingPong) stop() error { close(c.ping); <-c.done; return nil }

// pipePingPong bounces a byte over two pipes with raw blocking system calls,
// which only makes sense between locked threads: the partner must be started
// with a threadGroup.
type pipePingPong struct {
	a, b [2]int
	done chan error
}

func newPipePingPong() (pingPonger, error) {
	c := &pipePingPong{done: make(chan error, 1)}
	if err := unix.Pipe2(c.a[:], unix.O_CLOEXEC); err != nil {
		return nil, fmt.Errorf("pipe: %w", err)
	}
	if err := unix.Pipe2(c.b[:], unix.O_CLOEXEC); err != nil {
		unix.Close(c.a[0])
		unix.Close(c.a[1])
		return nil, fmt.Errorf("pipe: %w", err)
	}
	return c, nil
}

func (c *pipePingPong) start(g *threadGroup) {
	partner := func() error {
		buf := []byte{0}
		for {
			if err := readFull(c.a[0], buf); err != nil {
				if err == errEOF {
					err = nil
				}
				c.done <- err
				return err
			}
			if err := writeFull(c.b[1], buf); err != nil {
				c.done <- err
				return err
			}
		}
	}
	if g == nil {
		// A raw blocking read on an unlocked goroutine still works (its
		// thread blocks and the runtime adds another), kept for tests.
		go partner()
		return
	}
	g.goLocked(1, partner)
}

func (c *pipePingPong) ops(n int) error {
	buf := []byte{1}
	for range n {
		if err := writeFull(c.a[1], buf); err != nil {
			return err
		}
		if err := readFull(c.b[0], buf); err != nil {
			return err
		}
	}
	return nil
}

func (c *pipePingPong) stop() error {
	unix.Close(c.a[1]) // the partner reads end of file and returns
	err := <-c.done
	for _, fd := range []int{c.a[0], c.b[0], c.b[1]} {
		unix.Close(fd)
	}
	return err
}

// ring passes a token around k participants: the caller is participant 0
// and k-1 goroutines (locked threads with a threadGroup) forward it.
type ring struct {
	ch []chan int
	wg sync.WaitGroup
}

func newRing(k int) *ring {
	r := &ring{ch: make([]chan int, k)}
	for i := range r.ch {
		r.ch[i] = make(chan int)
	}
	return r
}

func (r *ring) start(g *threadGroup) {
	k := len(r.ch)
	for i := 1; i < k; i++ {
		r.wg.Add(1)
		node := func() error {
			defer r.wg.Done()
			next := r.ch[(i+1)%k]
			for v := range r.ch[i] {
				next <- v
			}
			if i+1 < k {
				close(next) // shut the ring down in order
			}
			return nil
		}
		if g != nil {
			g.goLocked(i, node)
		} else {
			go node()
		}
	}
}

func (r *ring) ops(laps int) error {
	first := r.ch[1%len(r.ch)]
	for i := range laps {
		first <- i
		<-r.ch[0]
	}
	return nil
}

func (r *ring) stop() error {
	if len(r.ch) > 1 {
		close(r.ch[1])
	}
	r.wg.Wait()
	return nil
}

type brigadeMode int

const (
	brigadeThreads brigadeMode = iota
	brigadeChan
	brigadeNetpoll
	brigadeBaseline
)

// runBrigade builds a chain of k tasks, runs iters iterations (the driver
// writes one byte into the first link and reads it from the last) and returns
// ns per task per iteration for each. g is the driver's thread group for the
// thread and baseline modes.
func runBrigade(ctx context.Context, mode brigadeMode, k, iters int, g *threadGroup) ([]float64, error) {
	b, err := newBrigade(mode, k)
	if err != nil {
		return nil, err
	}
	return timeBlocks(ctx, b, g, iters, 1, k)
}

// newBrigade returns the chain of k tasks of mode as a pingPonger whose
// ops(n) sends n bytes along the whole chain, one after the other.
func newBrigade(mode brigadeMode, k int) (pingPonger, error) {
	if mode == brigadeChan {
		b := &chanBrigade{links: make([]chan byte, k+1)}
		for i := range b.links {
			b.links[i] = make(chan byte)
		}
		return b, nil
	}
	pairs, err := socketPairs(k+1, mode == brigadeNetpoll)
	if err != nil {
		return nil, err
	}
	switch mode {
	case brigadeNetpoll:
		// os.NewFile registers non-blocking descriptors with the poller,
		// so blocked reads park the goroutine, not the thread. The files
		// take the descriptors over: closing one must be the last close,
		// so that the peer sees end of file.
		b := &pollBrigade{files: make([][2]*os.File, len(pairs))}
		for i, p := range pairs {
			b.files[i] = [2]*os.File{os.NewFile(uintptr(p[0]), "brigade"), os.NewFile(uintptr(p[1]), "brigade")}
		}
		return b, nil
	case brigadeBaseline:
		return &baselineBrigade{pairs: pairs}, nil
	}
	return &threadBrigade{pairs: pairs}, nil
}

// socketPairs returns n Unix stream socket pairs, non-blocking when asked.
// In a brigade, pair[i][0] is written by stage i-1 (the driver for i = 0)
// and pair[i][1] read by stage i (the driver for the last pair).
func socketPairs(n int, nonblock bool) ([][2]int, error) {
	flags := unix.SOCK_STREAM | unix.SOCK_CLOEXEC
	if nonblock {
		flags |= unix.SOCK_NONBLOCK
	}
	pairs := make([][2]int, 0, n)
	for range n {
		p, err := unix.Socketpair(unix.AF_UNIX, flags, 0)
		if err != nil {
			closePairs(pairs)
			return nil, fmt.Errorf("socketpair: %w", err)
		}
		pairs = append(pairs, p)
	}
	return pairs, nil
}

func closePairs(pairs [][2]int) {
	for _, p := range pairs {
		unix.Close(p[0])
		unix.Close(p[1])
	}
}

// chanBrigade is a chain of goroutines linked by unbuffered channels.
type chanBrigade struct{ links []chan byte }

func (b *chanBrigade) start(*threadGroup) {
	for i := range len(b.links) - 1 {
		go func() {
			for v := range b.links[i] {
				b.links[i+1] <- v
			}
			close(b.links[i+1])
		}()
	}
}

func (b *chanBrigade) ops(n int) error {
	last := b.links[len(b.links)-1]
	for range n {
		b.links[0] <- 1
		<-last
	}
	return nil
}

func (b *chanBrigade) stop() error {
	close(b.links[0])
	for range b.links[len(b.links)-1] {
	}
	return nil
}

// threadBrigade is a chain of locked (pinned) threads, each in blocking
// read(2)/write(2) on socket pairs; closing its output tells the next one
// to stop.
type threadBrigade struct{ pairs [][2]int }

func (b *threadBrigade) start(g *threadGroup) {
	for i := range len(b.pairs) - 1 {
		g.goLocked(i+1, func() error {
			buf := []byte{0}
			defer unix.Shutdown(b.pairs[i+1][0], unix.SHUT_WR)
			for {
				if err := readFull(b.pairs[i][1], buf); err != nil {
					if err == errEOF {
						return nil
					}
					return err
				}
				if err := writeFull(b.pairs[i+1][0], buf); err != nil {
					return err
				}
			}
		})
	}
}

func (b *threadBrigade) ops(n int) error {
	buf := []byte{1}
	last := b.pairs[len(b.pairs)-1]
	for range n {
		if err := writeFull(b.pairs[0][0], buf); err != nil {
			return err
		}
		if err := readFull(last[1], buf); err != nil {
			return err
		}
	}
	return nil
}

// stop shuts the first link down and waits for the chain to drain: every
// stage has shut its output down, and touches no descriptor any more, before
// the descriptors close.
func (b *threadBrigade) stop() error {
	unix.Shutdown(b.pairs[0][0], unix.SHUT_WR)
	buf := []byte{0}
	for readFull(b.pairs[len(b.pairs)-1][1], buf) == nil {
	}
	closePairs(b.pairs)
	return nil
}

// pollBrigade is a chain of goroutines reading and writing non-blocking
// sockets through the network poller.
type pollBrigade struct {
	files [][2]*os.File
	wg    sync.WaitGroup
}

func (b *pollBrigade) start(*threadGroup) {
	for i := range len(b.files) - 1 {
		b.wg.Go(func() {
			buf := make([]byte, 1)
			for {
				if _, err := b.files[i][1].Read(buf); err != nil {
					b.files[i+1][0].Close()
					return
				}
				if _, err := b.files[i+1][0].Write(buf); err != nil {
					return
				}
			}
		})
	}
}

func (b *pollBrigade) ops(n int) error {
	buf := []byte{1}
	last := b.files[len(b.files)-1]
	for range n {
		if _, err := b.files[0][0].Write(buf); err != nil {
			return err
		}
		if _, err := last[1].Read(buf); err != nil {
			return err
		}
	}
	return nil
}

func (b *pollBrigade) stop() error {
	b.files[0][0].Close()
	b.wg.Wait()
	for _, f := range b.files {
		f[0].Close()
		f[1].Close()
	}
	return nil
}

// baselineBrigade passes the byte through every link on the driver's own
// thread: the cost of the system calls without any switch.
type baselineBrigade struct{ pairs [][2]int }

func (b *baselineBrigade) start(*threadGroup) {}

func (b *baselineBrigade) ops(n int) error {
	buf := []byte{1}
	for range n {
		for _, p := range b.pairs {
			if err := writeFull(p[0], buf); err != nil {
				return err
			}
			if err := readFull(p[1], buf); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *baselineBrigade) stop() error {
	closePairs(b.pairs)
	return nil
}
