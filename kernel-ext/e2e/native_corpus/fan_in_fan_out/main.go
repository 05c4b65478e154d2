package main

import (
	"fmt"
	"sort"
	"sync"
)

func producer(n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := 1; i <= n; i++ {
			ch <- i
		}
	}()
	return ch
}

func merge(cs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	out := make(chan int)
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range c {
				out <- v
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()
	return out
}

func main() {
	src := producer(100)
	var workers []<-chan int
	for range 5 {
		out := make(chan int)
		go func() {
			defer close(out)
			for v := range src {
				out <- v * 2
			}
		}()
		workers = append(workers, out)
	}
	var all []int
	for v := range merge(workers...) {
		all = append(all, v)
	}
	sort.Ints(all)
	fmt.Println(len(all), all[0], all[len(all)-1])
}
