// time.Timer and time.AfterFunc: a stopped timer does not fire; AfterFunc runs its function once.
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(time.Hour)
	fmt.Println("stopped before firing:", t.Stop())
	done := make(chan string)
	time.AfterFunc(5*time.Millisecond, func() { done <- "after func ran" })
	fmt.Println(<-done)
	t2 := time.NewTimer(5 * time.Millisecond)
	<-t2.C
	fmt.Println("timer fired")
	d := 1500 * time.Millisecond
	fmt.Println(d, d.Seconds(), time.Duration(90)*time.Second)
}
