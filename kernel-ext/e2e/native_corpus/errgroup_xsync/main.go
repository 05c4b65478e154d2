package main

import (
	"fmt"
	"golang.org/x/sync/errgroup"
)

func main() {
	var g errgroup.Group
	results := make([]int, 5)
	for i := range 5 {
		g.Go(func() error {
			if i == 3 {
				return fmt.Errorf("task %d", i)
			}
			results[i] = i + 1
			return nil
		})
	}
	fmt.Println(g.Wait(), results)
}
