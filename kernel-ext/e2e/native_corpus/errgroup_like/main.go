package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	results := make([]int, 10)
	for i := range 10 {
		wg.Go(func() {
			if i == 7 {
				mu.Lock()
				if firstErr == nil {
					firstErr = fmt.Errorf("task %d failed", i)
				}
				mu.Unlock()
				return
			}
			results[i] = i * 10
		})
	}
	wg.Wait()
	fmt.Println(results, firstErr)
}
