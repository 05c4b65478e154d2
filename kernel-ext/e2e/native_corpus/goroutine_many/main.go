package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
)

func main() {
	const n = 100000
	var wg sync.WaitGroup
	var sum atomic.Int64
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sum.Add(int64(i))
		}()
	}
	wg.Wait()
	fmt.Println(sum.Load(), runtime.NumGoroutine() >= 1)
}
