package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	results := make(chan int)
	go func() {
		defer close(results)
		for i := 0; ; i++ {
			select {
			case <-ctx.Done():
				return
			case results <- i:
			}
		}
	}()
	for v := range results {
		if v == 5 {
			cancel()
			break
		}
	}
	fmt.Println("stopped:", ctx.Err())
	ctx2, cancel2 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel2()
	<-ctx2.Done()
	fmt.Println(ctx2.Err(), errors.Is(ctx2.Err(), context.DeadlineExceeded))
}
