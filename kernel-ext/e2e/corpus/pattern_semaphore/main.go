// Bounded parallelism: a buffered channel as a semaphore lets at most 3 of 20 tasks run at once.
package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	sem := make(chan struct{}, 3)
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	results := make([]int, 20)
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			results[i] = i * 10
			running.Add(-1)
			<-sem
		}()
	}
	wg.Wait()
	fmt.Println(results)
	fmt.Println("at most 3 at once:", peak.Load() <= 3, "running now:", running.Load())
}
