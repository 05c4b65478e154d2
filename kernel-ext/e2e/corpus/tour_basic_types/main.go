// The tour's basic types, zero values, conversions and constants, printed with %T and %v.
package main

import (
	"fmt"
	"math"
	"math/cmplx"
)

var (
	ToBe   bool       = false
	MaxInt uint64     = 1<<64 - 1
	z      complex128 = cmplx.Sqrt(-5 + 12i)
)

const (
	Big   = 1 << 100
	Small = Big >> 99
)

func needInt(x int) int           { return x*10 + 1 }
func needFloat(x float64) float64 { return x * 0.1 }

func main() {
	fmt.Printf("Type: %T Value: %v\n", ToBe, ToBe)
	fmt.Printf("Type: %T Value: %v\n", MaxInt, MaxInt)
	fmt.Printf("Type: %T Value: %v\n", z, z)
	var i int
	var f float64
	var b bool
	var s string
	fmt.Printf("%v %v %v %q\n", i, f, b, s)
	x, y := 3, 4
	g := math.Sqrt(float64(x*x + y*y))
	u := uint(g)
	fmt.Println(x, y, u)
	var r rune = 'G'
	var by byte = 'o'
	fmt.Printf("%T %v %T %v %c%c\n", r, r, by, by, r, by)
	fmt.Println(needInt(Small))
	fmt.Println(needFloat(Small))
	fmt.Println(needFloat(Big))
	const World = "世界"
	fmt.Println("Hello", World, len(World))
}
