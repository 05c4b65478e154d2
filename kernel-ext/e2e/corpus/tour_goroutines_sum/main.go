// The tour's goroutines and channels: two halves summed in goroutines, results received in order.
package main

import "fmt"

func sum(s []int, c chan int) {
	total := 0
	for _, v := range s {
		total += v
	}
	c <- total
}

func main() {
	s := []int{7, 2, 8, -9, 4, 0}
	first, second := make(chan int), make(chan int)
	go sum(s[:len(s)/2], first)
	go sum(s[len(s)/2:], second)
	x, y := <-first, <-second
	fmt.Println(x, y, x+y)
	ch := make(chan int, 2)
	ch <- 1
	ch <- 2
	fmt.Println(<-ch, <-ch, len(ch), cap(ch))
}
