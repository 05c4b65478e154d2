package main

import (
	"fmt"
)

func counterGen() (inc func() int, get func() int) {
	c := 0
	inc = func() int { c++; return c }
	get = func() int { return c }
	return
}

func memo(f func(int) int) func(int) int {
	cache := map[int]int{}
	return func(n int) int {
		if v, ok := cache[n]; ok {
			return v
		}
		v := f(n)
		cache[n] = v
		return v
	}
}

func main() {
	inc, get := counterGen()
	inc()
	inc()
	fmt.Println(get())
	var fib func(int) int
	fib = memo(func(n int) int {
		if n < 2 {
			return n
		}
		return fib(n-1) + fib(n-2)
	})
	fmt.Println(fib(80))
}
