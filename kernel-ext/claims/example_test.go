package claims_test

import (
	"fmt"

	"github.com/goconc/goconc/kernel-ext/claims"
	"github.com/goconc/goconc/kernel-ext/workload"
)

// constant returns a series whose samples are all v nanoseconds.
func constant(label string, v float64) workload.Series {
	x := []float64{v, v, v}
	return workload.Series{Label: label, Samples: x, Summary: workload.Summarize(x)}
}

func ExampleSpawn() {
	// A result as workload.RunSpawn returns it (here made up): 60 µs per
	// thread, 0.4 µs per goroutine.
	r := workload.SpawnResult{Series: []workload.Series{
		constant("goroutine spawn (loop only)", 400),
		constant("goroutine spawn+exit", 500),
		constant("thread spawn+exit", 50e3),
		constant("thread spawn to running", 60e3),
	}}
	v, err := claims.Spawn(r)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Name+":", v.Outcome())
	fmt.Print(v.TableMarkdown())
	// Output:
	// Thread spawn: holds
	// | | seed (Rust) | this machine (Go) |
	// |---|---|---|
	// | thread spawn | 17 µs | 60 µs |
	// | task / goroutine spawn | 300 ns | 400 ns |
	// | ratio thread / task | 56.7× | 150× |
	// | thread spawn + exit | — | 50 µs |
	// | goroutine spawn + exit | — | 500 ns |
}

func ExampleFigure_String() {
	fmt.Println(claims.Figure{Value: 1.7, Unit: "µs"})
	fmt.Println(claims.Figure{Value: 1e6, Unit: "goroutines"})
	fmt.Println(claims.Figure{Text: "cooperative"})
	// Output:
	// 1.7 µs
	// 1,000,000 goroutines
	// cooperative
}

func ExampleCodeLines() {
	src := `package p

import "time"

// Wait waits.
func Wait() {
	time.Sleep(time.Second) // the only statement
}
`
	fmt.Println(claims.CodeLines(src))
	// Output: 3
}

func ExampleLookup() {
	r, err := claims.Lookup(claims.RowContextSwitch)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: threads %s, async tasks %s (notebook %s)\n", r.Name, r.Threads, r.Async, r.Notebook)
	// Output: Context switch: threads ~1.7 µs, async tasks ~0.2 µs (notebook 06-context-switch)
}
