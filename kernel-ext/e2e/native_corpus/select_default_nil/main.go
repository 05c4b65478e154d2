package main

import (
	"fmt"
)

func main() {
	ch := make(chan int, 1)
	select {
	case v := <-ch:
		fmt.Println("got", v)
	default:
		fmt.Println("empty")
	}
	ch <- 1
	var nilCh chan int
	select {
	case <-nilCh:
		fmt.Println("never")
	case v := <-ch:
		fmt.Println("got", v)
	}
	done := make(chan struct{})
	close(done)
	_, ok := <-done
	fmt.Println("closed:", !ok)
}
