// Fan-out and fan-in: several squarers read one channel; merge joins their outputs; sorted at the end.
package main

import (
	"fmt"
	"sort"
	"sync"
)

func gen(n int) <-chan int {
	out := make(chan int)
	go func() {
		for i := 1; i <= n; i++ {
			out <- i
		}
		close(out)
	}()
	return out
}

func sq(in <-chan int) <-chan int {
	out := make(chan int)
	go func() {
		for v := range in {
			out <- v * v
		}
		close(out)
	}()
	return out
}

func merge(cs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	out := make(chan int)
	wg.Add(len(cs))
	for _, c := range cs {
		go func() {
			defer wg.Done()
			for v := range c {
				out <- v
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func main() {
	in := gen(12)
	var got []int
	for v := range merge(sq(in), sq(in), sq(in), sq(in)) {
		got = append(got, v)
	}
	sort.Ints(got)
	fmt.Println(got)
}
