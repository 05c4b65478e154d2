package main

import (
	"fmt"
)

func main() {
	var (
		toBe   bool       = false
		maxInt uint64     = 1<<64 - 1
		z      complex128 = complex(2, 3)
	)
	fmt.Printf("Type: %T Value: %v\n", toBe, toBe)
	fmt.Printf("Type: %T Value: %v\n", maxInt, maxInt)
	fmt.Printf("Type: %T Value: %v\n", z, z)
	var f float64 = 3.7
	u := uint8(255)
	u++
	fmt.Println(int(f), u == 0)
	const Big = 1 << 100
	fmt.Println(Big >> 99)
}
