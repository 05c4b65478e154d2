package claims

import (
	"fmt"
	"strings"
)

// Row identifiers, in the order of the seed's table.
const (
	RowSpawn            = "spawn"
	RowContextSwitch    = "context-switch"
	RowMemory           = "memory"
	RowScalability      = "scalability"
	RowUseCase          = "use-case"
	RowConcurrencyModel = "concurrency-model"
	RowCodeComplexity   = "code-complexity"
	RowEcosystem        = "ecosystem"
	RowUseBoth          = "use-both"
)

// Row is one row of the seed's table: what it says of OS threads and of
// async tasks in Rust, and what the row becomes in Go, where the comparison
// is between goroutines and OS threads.
type Row struct {
	// ID names the row in file names and links, e.g. "spawn".
	ID string `json:"id"`
	// Name is the row's heading in the seed's table.
	Name string `json:"name"`
	// Threads and Async are the seed's two cells, with its figures.
	Threads string `json:"threads"`
	Async   string `json:"async"`
	// Claim is the row's claim in one sentence, as this package tests it.
	Claim string `json:"claim"`
	// Go is the row's analogue in Go: what plays the part of the task and
	// how Go differs from the seed's Rust.
	Go string `json:"go"`
	// Notebook is the notebook that measures the row, without extension.
	Notebook string `json:"notebook"`
	// Measured reports whether a function of this package judges the row
	// from measurements.
	Measured bool `json:"measured"`
}

// table is the seed's comparison, row by row, in its order.
var table = []Row{
	{
		ID: RowSpawn, Name: "Thread spawn",
		Threads: "~17 µs per thread", Async: "~0.3 µs per task",
		Claim: "Creating an OS thread costs far more than creating a task (seed: ~17 µs against ~0.3 µs, ~57×).",
		Go: "A goroutine plays the task. Go has no thread-spawn call: a goroutine that locks its OS thread and " +
			"exits locked makes the runtime destroy that thread, so the next one needs a new thread.",
		Notebook: "03-resource-cost", Measured: true,
	},
	{
		ID: RowContextSwitch, Name: "Context switch",
		Threads: "~1.7 µs", Async: "~0.2 µs",
		Claim: "Switching between OS threads costs several times more than switching between tasks (seed: ~1.7 µs against ~0.2 µs).",
		Go: "A goroutine hand-off over a channel is done by Go's scheduler in user space; a thread wake-up goes " +
			"through the kernel (a futex or a blocking pipe read).",
		Notebook: "06-context-switch", Measured: true,
	},
	{
		ID: RowMemory, Name: "Memory per thread",
		Threads: "~8 MB stack reserved (virtual)", Async: "a few hundred bytes to a few KB per task",
		Claim: "A task needs a few hundred bytes to a few KB; a thread reserves an 8 MB stack and costs far more memory.",
		Go: "A goroutine starts with a 2 KiB stack that grows on demand. An OS thread adds Go's own g0 stack, " +
			"the kernel's stack and, with cgo, an 8 MiB pthread stack mapping (virtual, mostly not resident).",
		Notebook: "03-resource-cost", Measured: true,
	},
	{
		ID: RowScalability, Name: "Scalability",
		Threads: "thousands", Async: "millions",
		Claim: "Threads scale to thousands, tasks to millions.",
		Go: "Goroutines scale to millions within memory; OS threads stop at Go's debug.SetMaxThreads " +
			"(10,000 by default: past it the runtime dies) or the OS's limits, whichever is lower.",
		Notebook: "04-scalability", Measured: true,
	},
	{
		ID: RowUseCase, Name: "Primary use case",
		Threads: "CPU-bound work", Async: "I/O-bound work",
		Claim: "CPU-bound work gains from running in parallel on threads; I/O-bound work is served better by tasks than by a thread per request.",
		Go: "Goroutines serve both: the runtime runs them on GOMAXPROCS threads in parallel, so dedicated OS " +
			"threads buy no extra parallelism for CPU-bound work, and for I/O a goroutine waits without holding a thread.",
		Notebook: "01-use-case", Measured: true,
	},
	{
		ID: RowConcurrencyModel, Name: "Concurrency model",
		Threads: "preemptive", Async: "cooperative",
		Claim: "Under preemptive scheduling a task that never yields cannot starve the others; under cooperative scheduling it can.",
		Go: "Unlike Rust's tasks, goroutines are preempted: since Go 1.14 the runtime interrupts a goroutine " +
			"that runs for ~10 ms without yielding. With GODEBUG=asyncpreemptoff=1 goroutines become cooperative.",
		Notebook: "02-concurrency-model", Measured: true,
	},
	{
		ID: RowCodeComplexity, Name: "Code complexity",
		Threads: "simpler: plain blocking code", Async: "needs an async runtime; async functions are coloured",
		Claim: "Code that simply blocks (threads) is simpler than asynchronous code.",
		Go: "Go has no function colouring: goroutines run ordinary blocking code, so goroutine code reads like " +
			"thread code; the asynchronous (callback, event-loop) style is a choice, not a requirement.",
		Notebook: "05-code-complexity", Measured: true,
	},
	{
		ID: RowEcosystem, Name: "Ecosystem",
		Threads: "any blocking library", Async: "needs async-aware libraries; blocking calls need spawn_blocking",
		Claim: "A blocking call ties up an OS thread, while a wait on async-aware (poller-driven) I/O does not.",
		Go: "Go's runtime does spawn_blocking for you: a goroutine blocked in a system call or cgo keeps its " +
			"thread and the runtime adds threads; waits on the network poller or on channels hold none.",
		Notebook: "07-ecosystem", Measured: true,
	},
	{
		ID: RowUseBoth, Name: "Use both",
		Threads: "spawn_blocking for CPU work", Async: "async runtime for I/O",
		Claim: "Run I/O on the async runtime and hand CPU-bound or blocking work to a bounded pool of threads.",
		Go: "Goroutines for I/O, a bounded worker pool (GOMAXPROCS workers) for CPU-bound work, and " +
			"runtime.LockOSThread where a thread's identity matters.",
		Notebook: "use-both", Measured: false,
	},
}

// Table returns the seed's table, one Row per row, in the seed's order.
// The slice is a copy: changing it does not change the package's table.
func Table() []Row {
	return append([]Row(nil), table...)
}

// Lookup returns the row with the given ID.
func Lookup(id string) (Row, error) {
	for _, r := range table {
		if r.ID == id {
			return r, nil
		}
	}
	return Row{}, fmt.Errorf("claims: no row %q in the table", id)
}

// mustRow returns the row with the given ID; the IDs used inside this
// package are constants, so a miss is a bug.
func mustRow(id string) Row {
	r, err := Lookup(id)
	if err != nil {
		panic(err)
	}
	return r
}

// TableMarkdown returns the seed's table as Markdown: each row's two cells
// and its analogue in Go.
func TableMarkdown() string {
	var b strings.Builder
	b.WriteString("| row | threads (seed, Rust) | async tasks (seed, Rust) | in Go | notebook |\n|---|---|---|---|---|\n")
	for _, r := range table {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", mdCell(r.Name), mdCell(r.Threads), mdCell(r.Async), mdCell(r.Go), mdCell(r.Notebook))
	}
	return b.String()
}
