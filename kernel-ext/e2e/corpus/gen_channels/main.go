// Generic channel stages: Generate from values, Map over a channel, Collect into a slice.
package main

import (
	"fmt"
	"strconv"
)

func Generate[T any](vs ...T) <-chan T {
	out := make(chan T)
	go func() {
		defer close(out)
		for _, v := range vs {
			out <- v
		}
	}()
	return out
}

func MapChan[T, U any](in <-chan T, f func(T) U) <-chan U {
	out := make(chan U)
	go func() {
		defer close(out)
		for v := range in {
			out <- f(v)
		}
	}()
	return out
}

func Collect[T any](in <-chan T) []T {
	var out []T
	for v := range in {
		out = append(out, v)
	}
	return out
}

func main() {
	squares := Collect(MapChan(Generate(1, 2, 3, 4), func(x int) int { return x * x }))
	fmt.Println(squares)
	labels := Collect(MapChan(Generate(squares...), func(x int) string { return "#" + strconv.Itoa(x) }))
	fmt.Println(labels, len(labels))
}
