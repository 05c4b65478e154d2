// Ping-pong: two goroutines pass a ball back and forth, each on its own unbuffered channel.
package main

import "fmt"

type Ball struct{ hits int }

func player(name string, in <-chan *Ball, out chan<- *Ball, done chan<- bool, rounds int) {
	for ball := range in {
		ball.hits++
		fmt.Println(name, ball.hits)
		if ball.hits >= rounds {
			done <- true
			return
		}
		out <- ball
	}
}

func main() {
	ping, pong := make(chan *Ball), make(chan *Ball)
	done := make(chan bool)
	go player("ping", ping, pong, done, 6)
	go player("pong", pong, ping, done, 6)
	ping <- new(Ball)
	<-done
	fmt.Println("game over")
}
