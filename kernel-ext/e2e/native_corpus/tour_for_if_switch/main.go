package main

import (
	"fmt"
	"math"
)

func sqrt(x float64) string {
	if x < 0 {
		return sqrt(-x) + "i"
	}
	return fmt.Sprint(math.Sqrt(x))
}

func main() {
	sum := 0
	for i := 0; i < 10; i++ {
		sum += i
	}
	fmt.Println(sum)
	for sum < 1000 {
		sum += sum
	}
	fmt.Println(sum, sqrt(2), sqrt(-4))
	switch os := "linux"; os {
	case "darwin":
		fmt.Println("macOS")
	case "linux":
		fmt.Println("Linux")
	default:
		fmt.Println(os)
	}
	t := 14
	switch {
	case t < 12:
		fmt.Println("morning")
	case t < 17:
		fmt.Println("afternoon")
	}
}
