package main

import (
	"context"
	"errors"
	"fmt"
)

type key string

func handle(ctx context.Context) string {
	if v, ok := ctx.Value(key("user")).(string); ok {
		return "hello " + v
	}
	return "anonymous"
}

func main() {
	ctx := context.WithValue(context.Background(), key("user"), "gopher")
	fmt.Println(handle(ctx), handle(context.Background()))
	ctx, cancel := context.WithCancelCause(ctx)
	cancel(errors.New("shutdown"))
	fmt.Println(context.Cause(ctx), handle(ctx))
}
