package main

import (
	"fmt"
	"math"
)

type Abser interface{ Abs() float64 }

type Vertex struct{ X, Y float64 }

func (v *Vertex) Abs() float64 { return math.Sqrt(v.X*v.X + v.Y*v.Y) }

type I interface{ M() }

type T struct{ S string }

func (t *T) M() {
	if t == nil {
		fmt.Println("<nil>")
		return
	}
	fmt.Println(t.S)
}

func describe(i interface{}) { fmt.Printf("(%v, %T)\n", i, i) }

func main() {
	var a Abser = &Vertex{3, 4}
	fmt.Println(a.Abs())
	var i I
	var t *T
	i = t
	describe(i)
	i.M()
	i = &T{"hello"}
	i.M()
	describe(42)
	describe("str")
}
