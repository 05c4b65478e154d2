// An errgroup of one's own: goroutines that may fail; Wait returns the first error, by task order.
package main

import (
	"fmt"
	"sync"
)

type Group struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs map[int]error
}

func (g *Group) Go(i int, f func() error) {
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if err := f(); err != nil {
			g.mu.Lock()
			g.errs[i] = err
			g.mu.Unlock()
		}
	}()
}

func (g *Group) Wait() error {
	g.wg.Wait()
	for i := 0; i < 100; i++ {
		if err, ok := g.errs[i]; ok {
			return err
		}
	}
	return nil
}

func main() {
	g := &Group{errs: map[int]error{}}
	var mu sync.Mutex
	squares := map[int]int{}
	for i := 0; i < 10; i++ {
		g.Go(i, func() error {
			if i%4 == 3 {
				return fmt.Errorf("task %d failed", i)
			}
			mu.Lock()
			squares[i] = i * i
			mu.Unlock()
			return nil
		})
	}
	fmt.Println(g.Wait())
	fmt.Println(len(squares), squares[9])
}
