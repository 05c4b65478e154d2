// Stopping goroutines with a done channel: tickers of work stop when done is closed; none leaks.
package main

import (
	"fmt"
	"sync"
)

func counter(id int, done <-chan struct{}, out chan<- string, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; ; i++ {
		select {
		case <-done:
			return
		case out <- fmt.Sprintf("worker %d: %d", id, i):
		}
	}
}

func main() {
	done := make(chan struct{})
	out := make(chan string)
	var wg sync.WaitGroup
	for id := 0; id < 3; id++ {
		wg.Add(1)
		go counter(id, done, out, &wg)
	}
	n := 0
	for range out {
		n++
		if n == 30 {
			break
		}
	}
	close(done)
	go func() {
		for range out {
		}
	}()
	wg.Wait()
	fmt.Println("received", n, "then stopped all workers")
}
