// The tour's loops and if: Newton's method for square roots, with a stopping rule.
package main

import (
	"fmt"
	"math"
)

func Sqrt(x float64) (float64, int) {
	z, steps := 1.0, 0
	for {
		next := z - (z*z-x)/(2*z)
		steps++
		if math.Abs(next-z) < 1e-12 {
			return next, steps
		}
		z = next
	}
}

func pow(x, n, lim float64) float64 {
	if v := math.Pow(x, n); v < lim {
		return v
	} else {
		fmt.Printf("%g >= %g\n", v, lim)
	}
	return lim
}

func main() {
	sum := 0
	for i := 0; i < 10; i++ {
		sum += i
	}
	fmt.Println(sum)
	n := 1
	for n < 1000 {
		n += n
	}
	fmt.Println(n)
	for _, x := range []float64{2, 9, 1e6} {
		z, steps := Sqrt(x)
		fmt.Printf("sqrt(%g) = %.10f in %d steps (math: %.10f)\n", x, z, steps, math.Sqrt(x))
	}
	fmt.Println(pow(3, 2, 10), pow(3, 3, 20))
}
