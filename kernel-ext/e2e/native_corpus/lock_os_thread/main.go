package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	ids := make(chan bool, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ids <- true
		}()
	}
	wg.Wait()
	close(ids)
	n := 0
	for range ids {
		n++
	}
	fmt.Println("locked goroutines ran:", n)
}
