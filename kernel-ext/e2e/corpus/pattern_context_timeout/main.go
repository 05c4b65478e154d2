// Timeouts with context: an operation that never finishes is abandoned when the deadline passes.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func slow(ctx context.Context, never <-chan int) (int, error) {
	select {
	case v := <-never:
		return v, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	v, err := slow(ctx, make(chan int))
	fmt.Println(v, err, errors.Is(err, context.DeadlineExceeded))
	ready := make(chan int, 1)
	ready <- 7
	v, err = slow(context.Background(), ready)
	fmt.Println(v, err)
}
