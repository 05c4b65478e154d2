package check_test

import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/goconc/goconc/kernel-ext/check"
)

// A graded test cell calls checks one after another; the first that fails
// ends the cell. Here the failure is recovered only to print it.
func Example() {
	sum := func(xs ...int) int {
		total := 0
		for _, x := range xs {
			total += x
		}
		return total
	}
	check.Equal("sum(1, 2, 3)", sum(1, 2, 3), 6)

	defer func() { fmt.Println(recover()) }()
	check.Equal("sum()", sum(), 1)
	// Output:
	// CheckFailed: sum(): got 0, want 1
}

func ExampleWithin() {
	defer func() { fmt.Println(recover()) }()
	var wg sync.WaitGroup
	wg.Add(1) // and nobody calls wg.Done
	check.Within("wg.Wait()", 50*time.Millisecond, wg.Wait)
	// Output:
	// CheckFailed: wg.Wait(): did not finish within 50ms: is something waiting for a value that never comes (a deadlock, a missing close or wg.Done), or is it just too slow?
}

func ExampleNoLeak() {
	before := runtime.NumGoroutine()
	done := make(chan struct{})
	for range 4 {
		go func() { <-done }()
	}
	close(done) // without this the check would fail
	check.NoLeak("goroutines after the workers", before, 0)
	fmt.Println("no goroutine left behind")
	// Output:
	// no goroutine left behind
}

func ExampleAtLeast() {
	defer func() { fmt.Println(recover()) }()
	check.AtLeast("speed-up with 2 workers", 0.97, 1.4)
	// Output:
	// CheckFailed: speed-up with 2 workers: got 0.97, want at least 1.4
}
