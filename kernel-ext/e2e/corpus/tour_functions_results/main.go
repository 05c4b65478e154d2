// The tour's functions: multiple results, named results, function values.
package main

import (
	"fmt"
	"math"
	"strings"
)

func add(x, y int) int { return x + y }

func swap(x, y string) (string, string) { return y, x }

func split(sum int) (x, y int) {
	x = sum * 4 / 9
	y = sum - x
	return
}

func compute(fn func(float64, float64) float64) float64 { return fn(3, 4) }

func main() {
	fmt.Println(add(42, 13))
	a, b := swap("hello", "world")
	fmt.Println(a, b)
	fmt.Println(split(17))
	hypot := func(x, y float64) float64 { return math.Sqrt(x*x + y*y) }
	fmt.Println(hypot(5, 12))
	fmt.Println(compute(hypot))
	fmt.Println(compute(math.Pow))
	fmt.Printf("%.4f %s\n", math.Pi, strings.ToUpper("pi"))
}
