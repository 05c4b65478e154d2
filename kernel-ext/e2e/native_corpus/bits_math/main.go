package main

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
)

func main() {
	fmt.Println(bits.OnesCount(255), bits.LeadingZeros64(1), bits.Reverse8(1))
	fmt.Println(math.MaxInt64, math.Inf(1), -math.Inf(1), math.NaN() == math.NaN())
	fmt.Printf("%.4f %.4f %.4f\n", math.Pi, math.E, math.Log2(1024))
	fmt.Println(math.Floor(-1.5), math.Round(2.5), math.Trunc(-2.7), math.Mod(7, 3))
	x := big.NewInt(1)
	for i := 1; i <= 30; i++ {
		x.Mul(x, big.NewInt(int64(i)))
	}
	fmt.Println("30! =", x)
}
