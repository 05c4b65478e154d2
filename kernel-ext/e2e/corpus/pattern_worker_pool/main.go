// A worker pool: three workers square jobs from a channel; results collected by job index.
package main

import (
	"fmt"
	"sync"
)

type result struct {
	job, value, worker int
}

func worker(id int, jobs <-chan int, results chan<- result, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		results <- result{job: j, value: j * j, worker: id}
	}
}

func main() {
	jobs := make(chan int, 100)
	results := make(chan result, 100)
	var wg sync.WaitGroup
	for w := 1; w <= 3; w++ {
		wg.Add(1)
		go worker(w, jobs, results, &wg)
	}
	for j := 1; j <= 9; j++ {
		jobs <- j
	}
	close(jobs)
	wg.Wait()
	close(results)
	byJob := make([]int, 10)
	workers := map[int]bool{}
	for r := range results {
		byJob[r.job] = r.value
		workers[r.worker] = true
	}
	fmt.Println(byJob[1:], len(workers) >= 1)
}
