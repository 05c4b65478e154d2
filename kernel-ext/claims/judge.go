package claims

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/goconc/goconc/kernel-ext/units"
	"github.com/goconc/goconc/kernel-ext/workload"
)

// Criteria of the verdicts. The seed's figures come from Rust on another
// machine, so a verdict asks for the claim's shape with a wide margin
// rather than for its exact ratios.
const (
	// SpawnRatio: a thread must cost at least this many goroutines to
	// create for "far more" to hold (the seed's ratio is ~57).
	SpawnRatio = 10
	// SwitchRatio: a thread switch must cost at least this many goroutine
	// switches for "several times" to hold (the seed's ratio is ~8.5).
	SwitchRatio = 3
	// TaskMemoryMax is the most a goroutine may take, in bytes, to be "a
	// few KB" (8 KiB).
	TaskMemoryMax = 8 << 10
	// MemoryRatio: a thread must take at least this many goroutines'
	// memory for "far more" to hold.
	MemoryRatio = 4
	// Millions is the number of goroutines a run must reach to test
	// "tasks scale to millions", and ThreadsCapMax the most threads a
	// process may have for "threads scale to thousands".
	Millions      = 1_000_000
	ThreadsCapMax = 100_000
	// ParallelSpeedup is the least speed-up CPU-bound work must show on
	// two or more CPUs to count as gaining from parallelism.
	ParallelSpeedup = 1.3
	// ThroughputSlack: goroutine-per-request I/O counts as served at least
	// as well as thread-per-request when its throughput is at least this
	// fraction of the threads'.
	ThroughputSlack = 0.9
	// BlockingThreads is the least number of threads added per goroutine
	// blocked in a system call, and PollerThreads the most per goroutine
	// waiting on the network poller, for the ecosystem claim to hold.
	BlockingThreads = 0.5
	PollerThreads   = 0.1
)

// newVerdict starts a verdict for a row from the table.
func newVerdict(id string, env workload.Env) Verdict {
	r := mustRow(id)
	return Verdict{Row: r.ID, Name: r.Name, Claim: r.Claim, Notebook: r.Notebook, Env: env}
}

// seriesWith returns the first series whose label starts with one of the
// prefixes, trying the prefixes in order.
func seriesWith(series []workload.Series, prefixes ...string) (workload.Series, bool) {
	for _, p := range prefixes {
		for _, s := range series {
			if strings.HasPrefix(s.Label, p) && s.Summary.N > 0 {
				return s, true
			}
		}
	}
	return workload.Series{}, false
}

// medianOf returns the median of the series labelled with one of the
// prefixes, or an error naming the experiment and the missing series.
func medianOf(exp string, series []workload.Series, prefixes ...string) (float64, workload.Series, error) {
	s, ok := seriesWith(series, prefixes...)
	if !ok {
		return 0, s, fmt.Errorf("claims: %s: no series %q in the result", exp, prefixes[0])
	}
	if !(s.Summary.Median > 0) {
		return 0, s, fmt.Errorf("claims: %s: series %q has median %v, want a positive figure", exp, s.Label, s.Summary.Median)
	}
	return s.Summary.Median, s, nil
}

// Spawn judges the row "Thread spawn" from RunSpawn's result: starting an
// OS thread ("thread spawn to running", the figure closest to the seed's)
// against spawning a goroutine ("goroutine spawn (loop only)", the seed's
// own method). The claim holds when the thread costs at least SpawnRatio
// goroutines.
func Spawn(r workload.SpawnResult) (Verdict, error) {
	gLoop, _, err := medianOf("spawn", r.Series, "goroutine spawn (loop only)")
	if err != nil {
		return Verdict{}, err
	}
	gExit, _, err := medianOf("spawn", r.Series, "goroutine spawn+exit")
	if err != nil {
		return Verdict{}, err
	}
	tRun, _, err := medianOf("spawn", r.Series, "thread spawn to running")
	if err != nil {
		return Verdict{}, err
	}
	tExit, _, err := medianOf("spawn", r.Series, "thread spawn+exit")
	if err != nil {
		return Verdict{}, err
	}
	ratio := tRun / gLoop
	v := newVerdict(RowSpawn, r.Env)
	v.Seed = []Figure{
		{Label: "thread spawn", Value: 17, Unit: "µs"},
		{Label: "task / goroutine spawn", Value: 0.3, Unit: "µs"},
		{Label: "ratio thread / task", Value: 17 / 0.3, Unit: "×"},
	}
	v.Measured = []Figure{
		{Label: "thread spawn", Value: tRun, Unit: "ns"},
		{Label: "task / goroutine spawn", Value: gLoop, Unit: "ns"},
		{Label: "ratio thread / task", Value: ratio, Unit: "×"},
		{Label: "thread spawn + exit", Value: tExit, Unit: "ns"},
		{Label: "goroutine spawn + exit", Value: gExit, Unit: "ns"},
	}
	v.Holds = ratio >= SpawnRatio
	var b strings.Builder
	fmt.Fprintf(&b, "On this machine starting an OS thread took %s and spawning a goroutine %s: a thread costs %s a goroutine (seed: 17 µs against 0.3 µs, 57×). ",
		units.Duration(tRun), units.Duration(gLoop), units.Ratio(ratio))
	if v.Holds {
		fmt.Fprintf(&b, "The claim holds: a thread is at least %d× dearer to create than a goroutine.", SpawnRatio)
	} else {
		fmt.Fprintf(&b, "The claim does not hold here: a thread was only %s dearer, less than the %d× asked for.", units.Ratio(ratio), SpawnRatio)
	}
	fmt.Fprintf(&b, " With their exits, a thread took %s and a goroutine %s. Go's thread figures include the runtime's hand-off of its P, so they exceed a bare pthread_create.", units.Duration(tExit), units.Duration(gExit))
	if c := r.ThreadCheck; c.Requested > 0 && c.DistinctTIDs < c.Requested {
		fmt.Fprintf(&b, " Caution: only %d of %d thread goroutines ran on distinct OS threads, so the thread figure may be too low.", c.DistinctTIDs, c.Requested)
	}
	v.Text = b.String()
	return v, nil
}

// ContextSwitch judges the row "Context switch" from RunSwitch's result:
// a goroutine hand-off over an unbuffered channel (GOMAXPROCS=1 when
// measured) against a kernel switch between two OS threads (the blocking
// pipe ping-pong, pinned to one CPU when measured, like the seed's pinned
// figure). The claim holds when the thread switch costs at least
// SwitchRatio goroutine switches.
func ContextSwitch(r workload.SwitchResult) (Verdict, error) {
	g, gs, err := medianOf("context switch", r.Series, "goroutine ping-pong chan, GOMAXPROCS=1", "goroutine ping-pong chan")
	if err != nil {
		return Verdict{}, err
	}
	t, ts, err := medianOf("context switch", r.Series, "thread ping-pong pipe (same-cpu)", "thread ping-pong pipe (free)", "thread ping-pong pipe")
	if err != nil {
		return Verdict{}, err
	}
	ratio := t / g
	v := newVerdict(RowContextSwitch, r.Env)
	v.Seed = []Figure{
		{Label: "thread switch", Value: 1.7, Unit: "µs"},
		{Label: "task / goroutine switch", Value: 0.2, Unit: "µs"},
		{Label: "ratio thread / task", Value: 1.7 / 0.2, Unit: "×"},
	}
	v.Measured = []Figure{
		{Label: "thread switch", Value: t, Unit: "ns"},
		{Label: "task / goroutine switch", Value: g, Unit: "ns"},
		{Label: "ratio thread / task", Value: ratio, Unit: "×"},
	}
	if tc, ok := seriesWith(r.Series, "thread ping-pong chan (same-cpu)", "thread ping-pong chan (free)", "thread ping-pong chan"); ok {
		v.Measured = append(v.Measured, Figure{Label: "thread wake-up through a Go channel", Value: tc.Summary.Median, Unit: "ns"})
	}
	v.Holds = ratio >= SwitchRatio
	var b strings.Builder
	fmt.Fprintf(&b, "On this machine a switch between two OS threads took %s and a goroutine hand-off %s (series %q and %q): a thread switch costs %s a goroutine's (seed: 1.7 µs against 0.2 µs, 8.5×). ",
		units.Duration(t), units.Duration(g), ts.Label, gs.Label, units.Ratio(ratio))
	if v.Holds {
		fmt.Fprintf(&b, "The claim holds: a thread switch is at least %d× dearer.", SwitchRatio)
	} else {
		fmt.Fprintf(&b, "The claim does not hold here: a thread switch was only %s dearer, less than the %d× asked for.", units.Ratio(ratio), SwitchRatio)
	}
	v.Text = b.String()
	return v, nil
}

// Memory judges the row "Memory per thread" from RunMemory's result: the
// resident memory per blocked goroutine against the resident memory plus
// kernel stack per blocked OS thread, at the largest size measured of each,
// with the address space (VmSize) a thread adds, the seed's "8 MB
// reserved". The claim holds when a goroutine takes at most TaskMemoryMax
// and a thread at least MemoryRatio goroutines.
func Memory(r workload.MemoryResult) (Verdict, error) {
	g, tr, tk, ts, err := memoryPerUnit(r)
	if err != nil {
		return Verdict{}, err
	}
	gN, tN := largestN(r, "goroutine"), largestN(r, "thread")
	thread := math.Max(0, tr) + tk
	ratio := thread / g
	v := newVerdict(RowMemory, r.Env)
	v.Seed = []Figure{
		{Label: "thread: stack reserved (virtual)", Value: 8, Unit: "MB"},
		{Label: "task / goroutine", Text: "a few hundred bytes to a few KB"},
	}
	v.Measured = []Figure{
		{Label: "thread: stack reserved (virtual)", Value: ts, Unit: "B"},
		{Label: "task / goroutine", Value: g, Unit: "B resident"},
		{Label: "thread: resident (RSS)", Value: tr, Unit: "B"},
		{Label: "thread: kernel stack", Value: tk, Unit: "B"},
		{Label: "ratio thread / goroutine (resident + kernel stack)", Value: ratio, Unit: "×"},
	}
	small := g <= TaskMemoryMax
	v.Holds = small && ratio >= MemoryRatio
	var b strings.Builder
	fmt.Fprintf(&b, "With %s blocked goroutines each took %s resident; with %s blocked OS threads each took %s resident plus %s of kernel stack, %s a goroutine. ",
		units.Count(gN), units.Bytes(g), units.Count(tN), units.Bytes(tr), units.Bytes(tk), units.Ratio(ratio))
	switch {
	case v.Holds:
		fmt.Fprintf(&b, "The claim holds: a goroutine takes a few KB (at most %s asked for) and a thread at least %d× more. ", units.Bytes(TaskMemoryMax), MemoryRatio)
	case !small:
		fmt.Fprintf(&b, "The claim does not hold here: a goroutine took more than the few KB (%s) the seed gives a task. ", units.Bytes(TaskMemoryMax))
	default:
		fmt.Fprintf(&b, "The claim does not hold here: a thread took only %s a goroutine's memory, less than the %d× asked for. ", units.Ratio(ratio), MemoryRatio)
	}
	fmt.Fprintf(&b, "Each thread added %s of address space (VmSize)", units.Bytes(ts))
	if ts >= 4<<20 {
		b.WriteString(": the seed's 8 MB stack reservation, virtual and mostly not resident")
	} else {
		b.WriteString(", not the seed's 8 MB: without cgo, Go creates threads with small stacks of its own")
	}
	if r.Env.CgoEnabled != "" {
		fmt.Fprintf(&b, " (CGO_ENABLED=%s)", r.Env.CgoEnabled)
	}
	b.WriteString(".")
	v.Text = b.String()
	return v, nil
}

// largestN returns the largest N of r's points of the kind.
func largestN(r workload.MemoryResult, kind string) int {
	n := 0
	for _, p := range r.Points {
		if p.Kind == kind {
			n = max(n, p.N)
		}
	}
	return n
}

// memoryPerUnit returns, at the largest size measured of each kind, the
// median resident bytes per goroutine, and per thread its resident bytes,
// kernel stack (never negative) and address space.
func memoryPerUnit(r workload.MemoryResult) (g, threadRSS, threadKStack, threadSize float64, err error) {
	gN, tN := largestN(r, "goroutine"), largestN(r, "thread")
	if gN == 0 || tN == 0 {
		return 0, 0, 0, 0, fmt.Errorf("claims: memory: the result needs goroutine and thread points (largest N: goroutines %d, threads %d)", gN, tN)
	}
	var gRSS, tRSS, tSize, tKStack []float64
	for _, p := range r.Points {
		switch {
		case p.Kind == "goroutine" && p.N == gN:
			gRSS = append(gRSS, p.RSSPerUnit)
		case p.Kind == "thread" && p.N == tN:
			tRSS = append(tRSS, p.RSSPerUnit)
			tSize = append(tSize, p.SizePerUnit)
			tKStack = append(tKStack, p.KernelStackPerUnit)
		}
	}
	g = workload.Median(gRSS)
	if !(g > 0) {
		return 0, 0, 0, 0, fmt.Errorf("claims: memory: resident memory per goroutine at N=%d is %v bytes, want a positive figure", gN, g)
	}
	return g, workload.Median(tRSS), math.Max(0, workload.Median(tKStack)), workload.Median(tSize), nil
}

// Scalability judges the row "Scalability" from RunScale's result: how many
// goroutines the sweep ran, against how many OS threads this process may
// have at most (its current threads plus the safe bound, set by Go's
// debug.SetMaxThreads or an OS limit). The claim holds when the sweep ran
// at least Millions goroutines while threads are capped below
// ThreadsCapMax; a sweep that stopped short of a million goroutines is
// inconclusive.
func Scalability(r workload.ScaleResult) (Verdict, error) {
	type level struct {
		n       int
		perUnit []float64
		rssUnit []float64
	}
	largest := map[string]*level{}
	for _, p := range r.Points {
		l := largest[p.Kind]
		if l == nil || p.N > l.n {
			l = &level{n: p.N}
			largest[p.Kind] = l
		}
		if p.N == l.n {
			l.perUnit = append(l.perUnit, p.PerUnitNs)
			l.rssUnit = append(l.rssUnit, float64(p.RSSDelta)/float64(p.N))
		}
	}
	g, t := largest["goroutine"], largest["thread"]
	if g == nil || t == nil {
		return Verdict{}, fmt.Errorf("claims: scalability: the result needs goroutine and thread points")
	}
	capThreads := r.Limits.Current + r.Limits.Bound
	v := newVerdict(RowScalability, r.Env)
	v.Seed = []Figure{
		{Label: "threads", Text: "thousands"},
		{Label: "tasks / goroutines", Text: "millions"},
	}
	v.Measured = []Figure{
		{Label: "threads", Value: float64(capThreads), Unit: "at most"},
		{Label: "tasks / goroutines", Value: float64(g.n), Unit: "run"},
		{Label: "threads run", Value: float64(t.n), Unit: "threads"},
		{Label: "time per goroutine at the largest N", Value: workload.Median(g.perUnit), Unit: "ns"},
		{Label: "time per thread at the largest N", Value: workload.Median(t.perUnit), Unit: "ns"},
		{Label: "memory per goroutine at the largest N", Value: workload.Median(g.rssUnit), Unit: "B"},
		{Label: "memory per thread at the largest N", Value: workload.Median(t.rssUnit), Unit: "B"},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "The sweep ran up to %s goroutines (%s each to start and finish, %s resident each) and %s OS threads (%s each, %s resident each). This process may have at most about %s threads, a limit set by %s. ",
		units.Count(g.n), units.Duration(workload.Median(g.perUnit)), units.Bytes(workload.Median(g.rssUnit)), units.Count(t.n), units.Duration(workload.Median(t.perUnit)), units.Bytes(workload.Median(t.rssUnit)), units.Count(capThreads), limitName(r.Limits.Limiting))
	switch {
	case g.n < Millions:
		v.Inconclusive = true
		fmt.Fprintf(&b, "Inconclusive: %s goroutines are too few to test \"millions\" (a quick run?); run the full sweep, which goes to 1,000,000.", units.Count(g.n))
	case capThreads >= ThreadsCapMax:
		fmt.Fprintf(&b, "The claim does not hold here: this process may have %s threads, more than \"thousands\".", units.Count(capThreads))
	default:
		v.Holds = true
		fmt.Fprintf(&b, "The claim holds: a million goroutines ran, while threads stop in the thousands.")
	}
	v.Text = b.String()
	return v, nil
}

// UseCase judges the row "Primary use case" from RunCPU's and RunIO's
// results. CPU-bound: the best speed-up of the hashing over one goroutine,
// with goroutines and with locked threads; it must reach ParallelSpeedup
// when two or more CPUs are available. I/O-bound: for every mode measured,
// goroutine-per-request throughput must be at least ThroughputSlack of
// thread-per-request throughput (the OS threads each used are reported). The claim holds
// when both do; with a single CPU the CPU half cannot be tested and the
// verdict is inconclusive.
func UseCase(cpu workload.CPUResult, io workload.IOResult) (Verdict, error) {
	if len(cpu.Points) == 0 {
		return Verdict{}, fmt.Errorf("claims: use case: the CPU result has no points")
	}
	if len(io.Points) == 0 {
		return Verdict{}, fmt.Errorf("claims: use case: the I/O result has no points")
	}
	bestG, bestT, maxProcs := 0.0, 0.0, 0
	for _, p := range cpu.Points {
		maxProcs = max(maxProcs, p.GOMAXPROCS)
		switch p.Kind {
		case "goroutine":
			bestG = math.Max(bestG, p.Speedup)
		case "thread":
			bestT = math.Max(bestT, p.Speedup)
		}
	}
	cpus := maxProcs
	if n := cpu.Env.NumCPU; n > 0 {
		cpus = min(cpus, n)
	}
	v := newVerdict(RowUseCase, cpu.Env)
	v.Seed = []Figure{
		{Label: "CPU-bound work", Text: "threads"},
		{Label: "I/O-bound work", Text: "async tasks"},
	}
	v.Measured = []Figure{
		{Label: "CPU-bound work", Text: fmt.Sprintf("goroutines %s, threads %s speed-up on %d CPUs", units.Ratio(bestG), units.Ratio(bestT), cpus)},
	}
	var b strings.Builder
	parallel := max(bestG, bestT) >= ParallelSpeedup
	fmt.Fprintf(&b, "CPU-bound hashing ran %s faster on goroutines and %s faster on locked OS threads than on one goroutine, with %d CPUs usable. ", units.Ratio(bestG), units.Ratio(bestT), cpus)
	if bestT <= bestG*1.1 {
		b.WriteString("Dedicated threads bought no extra parallelism: in Go, goroutines already run in parallel on GOMAXPROCS threads. ")
	}
	if max(bestG, bestT) > float64(cpus)*1.05 {
		// No variant can truly run more than cpus times faster than one
		// goroutine: the baseline itself was slowed down.
		fmt.Fprintf(&b, "A speed-up above the %d CPUs means the one-goroutine baseline ran slow (noise from other work on the machine?): more repetitions would tell. ", cpus)
	}

	modes := slices.Clone(io.Modes)
	if len(modes) == 0 {
		for _, p := range io.Points {
			if !slices.Contains(modes, p.Mode) {
				modes = append(modes, p.Mode)
			}
		}
	}
	ioOK := true
	var ioText []string
	for _, mode := range modes {
		var gTput, tTput []float64
		gPeak, tPeak := 0, 0
		n := 0
		for _, p := range io.Points {
			if p.Mode != mode {
				continue
			}
			n = p.N
			switch p.Kind {
			case "goroutine":
				gTput = append(gTput, p.Throughput)
				gPeak = max(gPeak, p.PeakThreads)
			case "thread":
				tTput = append(tTput, p.Throughput)
				tPeak = max(tPeak, p.PeakThreads)
			}
		}
		if len(gTput) == 0 || len(tTput) == 0 {
			continue
		}
		gt, tt := workload.Median(gTput), workload.Median(tTput)
		ioOK = ioOK && gt >= ThroughputSlack*tt
		v.Measured = append(v.Measured,
			Figure{Label: mode + " I/O: goroutine per request", Value: gt, Unit: "req/s, " + units.Count(gPeak) + " threads"},
			Figure{Label: mode + " I/O: thread per request", Value: tt, Unit: "req/s, " + units.Count(tPeak) + " threads"})
		ioText = append(ioText, fmt.Sprintf("%s concurrent %s waits were served at %s by a goroutine each (peak %s OS threads) and %s by a thread each (peak %s)",
			units.Count(n), mode, units.Format(gt, "req/s"), units.Count(gPeak), units.Format(tt, "req/s"), units.Count(tPeak)))
	}
	if len(ioText) == 0 {
		return Verdict{}, fmt.Errorf("claims: use case: the I/O result has no mode with both goroutine and thread points")
	}
	v.Measured = slices.Insert(v.Measured, 1, Figure{Label: "I/O-bound work", Text: "goroutines (no thread held while waiting)"})
	if !ioOK {
		v.Measured[1].Text = "threads served it as well or better"
	}
	b.WriteString(strings.Join(ioText, "; ") + ". ")
	switch {
	case cpus < 2:
		v.Inconclusive = true
		b.WriteString("Inconclusive: with a single usable CPU, parallel speed-up cannot be tested. ")
	case parallel && ioOK:
		v.Holds = true
		fmt.Fprintf(&b, "The claim holds: CPU-bound work gained from parallelism (at least %s asked for) and I/O-bound work was served at least as well by goroutines as by threads. ", units.Ratio(ParallelSpeedup))
	case !parallel:
		fmt.Fprintf(&b, "The claim does not hold here: CPU-bound work gained less than %s from %d CPUs (a busy machine, or CPUs shared with other work?). ", units.Ratio(ParallelSpeedup), cpus)
	default:
		b.WriteString("The claim does not hold here: threads served the I/O-bound requests better than goroutines. ")
	}
	switch {
	case cpus >= 2 && bestG < ParallelSpeedup && bestT >= ParallelSpeedup:
		// Goroutines run on GOMAXPROCS threads, so they should gain as
		// much as locked threads: say so rather than claim it.
		fmt.Fprintf(&b, "Goroutines gained less from the CPUs than locked threads did (%s against %s): Go runs goroutines in parallel on GOMAXPROCS threads, so such a gap points at other work on the machine during the goroutine runs; re-run before drawing a conclusion.", units.Ratio(bestG), units.Ratio(bestT))
	case bestG >= ParallelSpeedup && ioOK:
		b.WriteString("In Go the choice is not threads or tasks: goroutines do both.")
	}
	v.Text = strings.TrimSpace(b.String())
	return v, nil
}

// ConcurrencyModel judges the row "Concurrency model" from RunPreemption's
// result: the worst delay of a ticker sharing one P with a call-free CPU
// hog, with Go's asynchronous preemption and, when measured, with
// GODEBUG=asyncpreemptoff=1 (cooperative). The claim holds when the
// preempted ticker's worst delay stays under half the hog's run and the
// cooperative one's reaches it: a task that never yields starves the others
// only when nothing preempts it.
func ConcurrencyModel(p workload.PreemptResult) (Verdict, error) {
	as, ok := seriesWith(p.Series, "hog, async preemption")
	if !ok {
		return Verdict{}, fmt.Errorf("claims: concurrency model: no series %q in the result", "hog, async preemption")
	}
	hog := float64(p.Hog)
	if !(hog > 0) {
		return Verdict{}, fmt.Errorf("claims: concurrency model: hog duration %v, want a positive duration", p.Hog)
	}
	asyncMax := as.Summary.Max
	preempted := asyncMax < hog/2
	v := newVerdict(RowConcurrencyModel, p.Env)
	v.Seed = []Figure{
		{Label: "threads", Text: "preemptive"},
		{Label: "tasks", Text: "cooperative"},
	}
	v.Measured = []Figure{
		{Label: "goroutines (Go's default)", Text: map[bool]string{true: "preemptive", false: "not preempted in time"}[preempted]},
		{Label: "hog: a loop without function calls", Value: hog, Unit: "ns"},
		{Label: "worst ticker delay, preemption on", Value: asyncMax, Unit: "ns"},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "On one P, a ticker sharing the CPU with a %s loop that never yields was delayed at worst %s with Go's asynchronous preemption", units.Duration(hog), units.Duration(asyncMax))
	starved := true
	cs, coop := seriesWith(p.Series, "cooperative")
	if coop {
		coopMax := cs.Summary.Max
		starved = coopMax >= hog/2
		v.Measured = append(v.Measured, Figure{Label: "worst ticker delay, GODEBUG=asyncpreemptoff=1", Value: coopMax, Unit: "ns"})
		fmt.Fprintf(&b, ", and %s with it turned off (GODEBUG=asyncpreemptoff=1: cooperative)", units.Duration(coopMax))
	}
	if gs, ok := seriesWith(p.Series, "hog with runtime.Gosched"); ok {
		v.Measured = append(v.Measured, Figure{Label: "worst ticker delay, hog calling runtime.Gosched", Value: gs.Summary.Max, Unit: "ns"})
		fmt.Fprintf(&b, "; a hog yielding with runtime.Gosched delayed it at worst %s", units.Duration(gs.Summary.Max))
	}
	b.WriteString(". ")
	switch {
	case preempted && starved && coop:
		v.Holds = true
		b.WriteString("The claim holds: preemption bounded the delay, and without it the non-yielding loop starved the ticker. Unlike Rust's tasks, goroutines are preempted: they behave like the seed's threads here.")
	case preempted && !coop:
		v.Holds = true
		b.WriteString("The claim holds for the preemptive half (the cooperative run was not measured): unlike Rust's tasks, goroutines are preempted.")
	case !preempted:
		fmt.Fprintf(&b, "The claim does not hold here: even with preemption the ticker waited %s, at least half the hog's run.", units.Duration(asyncMax))
	default:
		b.WriteString("The claim does not hold here: without preemption the ticker was not starved for long, so the cooperative run showed no starvation.")
	}
	v.Text = b.String()
	return v, nil
}

// Ecosystem judges the row "Ecosystem" from RunEcosystem's result: the OS
// threads the runtime added per goroutine blocked in a system call, against
// those added per goroutine waiting on the network poller. The claim holds
// when a blocking call costs at least BlockingThreads threads per goroutine
// and a poller wait at most PollerThreads.
func Ecosystem(r workload.EcosystemResult) (Verdict, error) {
	perKind := map[string][]float64{}
	n := map[string]int{}
	for _, p := range r.Points {
		if p.Goroutines > 0 {
			perKind[p.Kind] = append(perKind[p.Kind], float64(p.Added)/float64(p.Goroutines))
			n[p.Kind] = p.Goroutines
		}
	}
	sys, ok := perKind[workload.WaitSyscall]
	if !ok {
		return Verdict{}, fmt.Errorf("claims: ecosystem: no %q points in the result", workload.WaitSyscall)
	}
	poll, ok := perKind[workload.WaitNetpoll]
	if !ok {
		return Verdict{}, fmt.Errorf("claims: ecosystem: no %q points in the result", workload.WaitNetpoll)
	}
	s, q := workload.Median(sys), workload.Median(poll)
	v := newVerdict(RowEcosystem, r.Env)
	v.Seed = []Figure{
		{Label: "blocking call", Text: "holds an executor thread: needs spawn_blocking"},
		{Label: "async-aware I/O", Text: "holds no thread while waiting"},
	}
	v.Measured = []Figure{
		{Label: "blocking call", Value: s, Unit: "threads added per blocked goroutine"},
		{Label: "async-aware I/O", Value: q, Unit: "threads added per goroutine waiting on the poller"},
	}
	if c, ok := perKind[workload.WaitChannel]; ok {
		v.Measured = append(v.Measured, Figure{Label: "channel wait", Value: workload.Median(c), Unit: "threads added per goroutine"})
	}
	v.Holds = s >= BlockingThreads && q <= PollerThreads
	var b strings.Builder
	fmt.Fprintf(&b, "%s goroutines blocked in read(2) made the runtime add OS threads, %s per goroutine; %s goroutines waiting on pipes through the network poller added %s per goroutine. ",
		units.Count(n[workload.WaitSyscall]), units.Number(s), units.Count(n[workload.WaitNetpoll]), units.Number(q))
	if v.Holds {
		b.WriteString("The claim holds: a blocking call ties up a thread, a poller wait does not. Go does the seed's spawn_blocking by itself: the runtime hands the blocked thread's P to a new thread, so no library needs to be \"async-aware\" and no function is coloured; the cost is one OS thread per blocked call.")
	} else {
		fmt.Fprintf(&b, "The claim does not hold here: it asks for at least %s threads per blocked call and at most %s per poller wait.", units.Number(BlockingThreads), units.Number(PollerThreads))
	}
	v.Text = b.String()
	return v, nil
}

// limitName says in words which limit ThreadLimits.Limiting names.
func limitName(l string) string {
	if l == "" {
		return "an unnamed limit"
	}
	return l
}
