package main

import (
	"fmt"
)

func sum(nums ...int) int {
	t := 0
	for _, n := range nums {
		t += n
	}
	return t
}

func trace(s string) string {
	fmt.Println("entering:", s)
	return s
}

func un(s string) { fmt.Println("leaving:", s) }

func a() {
	defer un(trace("a"))
	fmt.Println("in a")
}

func main() {
	fmt.Println(sum(), sum(1, 2), sum([]int{1, 2, 3}...))
	a()
	x := 1
	defer fmt.Println("deferred x =", x)
	x = 2
}
