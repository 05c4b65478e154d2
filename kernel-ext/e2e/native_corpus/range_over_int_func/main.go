package main

import (
	"fmt"
)

func fib(yield func(int) bool) {
	a, b := 0, 1
	for {
		if !yield(a) {
			return
		}
		a, b = b, a+b
	}
}

func main() {
	for i := range 3 {
		fmt.Println("i", i)
	}
	for n := range fib {
		if n > 50 {
			break
		}
		fmt.Print(n, " ")
	}
	fmt.Println()
	var fs []func() int
	for i := 0; i < 3; i++ {
		fs = append(fs, func() int { return i })
	}
	for _, f := range fs {
		fmt.Print(f(), " ")
	}
	fmt.Println()
}
