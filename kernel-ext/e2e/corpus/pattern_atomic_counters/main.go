// sync/atomic's types: Int64, Bool and a compare-and-swap maximum, from 50 goroutines.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
)

func main() {
	var hits atomic.Int64
	var seen atomic.Bool
	var max atomic.Int64
	var wg sync.WaitGroup
	for i := 1; i <= 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			hits.Add(2)
			seen.Store(true)
			for {
				m := max.Load()
				if int64(i) <= m || max.CompareAndSwap(m, int64(i)) {
					return
				}
			}
		}()
	}
	wg.Wait()
	fmt.Println(hits.Load(), seen.Load(), max.Load())
	var old int32 = 5
	fmt.Println(atomic.CompareAndSwapInt32(&old, 5, 9), old, atomic.AddInt32(&old, -4))
}
