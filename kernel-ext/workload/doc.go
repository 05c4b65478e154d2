// Package workload holds goconc's native measurement loops: one experiment per
// row of the async-vs-threads comparison table, each comparing goroutines with
// OS threads on the machine it runs on.
//
// Notebook cells choose parameters and call these functions; the loops
// themselves are compiled Go because an interpreter would distort exactly what
// is measured (a yaegi spawn loop is ~20x slower than a compiled one).
//
// # Common shape
//
// Every experiment is a function Run<Name>(ctx, cfg) (<Name>Result, error):
//
//   - cfg is a Config struct whose zero fields take documented defaults
//     (a Warmup of NoWarmup asks for none); each Config type has a Quick
//     method that returns a small preset for CI.
//   - ctx cancels the run; loops check it at least every ~100 ms and the
//     function then returns the partial result with ctx.Err().
//   - cfg.Progress, when not nil, is called as Progress(done, total) from a
//     single goroutine (the caller's), never concurrently.
//   - the result carries the raw samples, a Summary of them (median, p5, p95,
//     mean, standard deviation and a distribution-free 95 % confidence
//     interval for the median), the sizes, warm-up and repetition counts, and
//     the Env the figures were taken in. All fields have JSON tags.
//
// # What "an OS thread" is here
//
// Go programs do not create threads directly. A goroutine that calls
// runtime.LockOSThread owns its thread: while it blocks, the thread blocks
// with it, so the scheduler must create another thread to keep running other
// goroutines; and when it exits still locked, the runtime destroys that
// thread. Thread experiments use such locked goroutines, and check from
// /proc/self that threads were really created.
//
// # Thread limits and child processes
//
// Past debug.SetMaxThreads (10000 by default) the Go runtime dies with
// "fatal error: thread exhaustion"; the OS has its own limits. ThreadBound
// computes a safe bound and every thread-creating experiment refuses a
// request beyond it, with an error naming the limit, before creating any
// thread. The fatal error itself, and runs that need a different GODEBUG,
// are shown only in a child process: the host binary must call
// RunChildIfRequested first thing in main (and test binaries in TestMain).
//
// # Process-wide settings
//
// GOMAXPROCS is process-wide: RunSwitch, RunCPU and RunPreemption set it for
// each variant and restore the previous value when they return, and every
// Series records the value it ran at. Anything else running in the process
// meanwhile (other goroutines of a notebook cell) runs under that setting
// too. Pinned threads are always destroyed after use, so CPU affinity never
// leaks to the rest of the process.
//
// # Benchmarks
//
// The package's tests include a `go test -bench` benchmark of each operation
// (BenchmarkSpawnGoroutine, BenchmarkSpawnThread, BenchmarkPingPongChan,
// BenchmarkPingPongThreadChan, BenchmarkPingPongThreadPipe, BenchmarkRing*,
// BenchmarkBrigade*, BenchmarkMemory, BenchmarkScale, BenchmarkCPUHash,
// BenchmarkIO, BenchmarkPreemption, BenchmarkEcosystem, BenchmarkMixed),
// built on the same unexported loops as the Run functions, for setting
// figures side by side.
package workload
