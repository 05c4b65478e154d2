package main

import (
	"fmt"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

func main() {
	xs := []float64{1, 2, 3, 4, 100}
	fmt.Printf("%.2f %.2f\n", stat.Mean(xs, nil), stat.Quantile(0.5, stat.Empirical, xs, nil))
	m := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
	var t mat.Dense
	t.Mul(m, m)
	fmt.Println(mat.Formatted(&t, mat.Squeeze()))
}
