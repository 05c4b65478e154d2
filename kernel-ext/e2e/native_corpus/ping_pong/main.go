package main

import (
	"fmt"
	"sync"
)

type Ball struct{ hits int }

func player(name string, table chan *Ball, done chan struct{}, log *[]string, mu *sync.Mutex) {
	for {
		select {
		case ball := <-table:
			ball.hits++
			mu.Lock()
			*log = append(*log, name)
			mu.Unlock()
			if ball.hits == 10 {
				close(done)
				return
			}
			table <- ball
		case <-done:
			return
		}
	}
}

func main() {
	table := make(chan *Ball)
	done := make(chan struct{})
	var log []string
	var mu sync.Mutex
	go player("ping", table, done, &log, &mu)
	go player("pong", table, done, &log, &mu)
	table <- new(Ball)
	<-done
	mu.Lock()
	fmt.Println(len(log))
	mu.Unlock()
}
