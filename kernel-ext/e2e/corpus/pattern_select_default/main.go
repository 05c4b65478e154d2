// Non-blocking channel operations: select with default, and a timeout with time.After.
package main

import (
	"fmt"
	"time"
)

func main() {
	messages := make(chan string)
	signals := make(chan bool)
	select {
	case msg := <-messages:
		fmt.Println("received message", msg)
	default:
		fmt.Println("no message received")
	}
	msg := "hi"
	select {
	case messages <- msg:
		fmt.Println("sent message", msg)
	default:
		fmt.Println("no message sent")
	}
	select {
	case msg := <-messages:
		fmt.Println("received message", msg)
	case sig := <-signals:
		fmt.Println("received signal", sig)
	default:
		fmt.Println("no activity")
	}
	c := make(chan string)
	go func() {
		time.Sleep(200 * time.Millisecond)
		c <- "late"
	}()
	select {
	case res := <-c:
		fmt.Println(res)
	case <-time.After(10 * time.Millisecond):
		fmt.Println("timeout")
	}
}
