// Cancellation with context: a generator stops when its consumer cancels.
package main

import (
	"context"
	"fmt"
)

func generate(ctx context.Context) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for n := 1; ; n++ {
			select {
			case out <- n:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	for n := range generate(ctx) {
		fmt.Println(n)
		if n == 5 {
			cancel()
			break
		}
	}
	<-ctx.Done()
	fmt.Println(ctx.Err())
	cause, stop := context.WithCancelCause(context.Background())
	stop(fmt.Errorf("shutting down"))
	fmt.Println(cause.Err(), context.Cause(cause))
}
