package main

import (
	"fmt"
	"sync"
)

func main() {
	const n = 5
	forks := make([]sync.Mutex, n)
	var wg sync.WaitGroup
	meals := make([]int, n)
	for p := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			left, right := p, (p+1)%n
			if left > right {
				left, right = right, left
			}
			for range 100 {
				forks[left].Lock()
				forks[right].Lock()
				meals[p]++
				forks[right].Unlock()
				forks[left].Unlock()
			}
		}()
	}
	wg.Wait()
	fmt.Println(meals)
}
