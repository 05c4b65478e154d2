// Interfaces: shapes with Area and Perimeter, sorted by area, printed with their types.
package main

import (
	"fmt"
	"math"
	"sort"
)

type Shape interface {
	Area() float64
	Perimeter() float64
}

type Rect struct{ W, H float64 }
type Circle struct{ R float64 }
type Square struct{ Side float64 }

func (r Rect) Area() float64        { return r.W * r.H }
func (r Rect) Perimeter() float64   { return 2 * (r.W + r.H) }
func (c Circle) Area() float64      { return math.Pi * c.R * c.R }
func (c Circle) Perimeter() float64 { return 2 * math.Pi * c.R }
func (s Square) Area() float64      { return s.Side * s.Side }
func (s Square) Perimeter() float64 { return 4 * s.Side }

func main() {
	shapes := []Shape{Rect{3, 4}, Circle{1}, Square{2}, Circle{2}}
	sort.Slice(shapes, func(i, j int) bool { return shapes[i].Area() < shapes[j].Area() })
	for _, s := range shapes {
		fmt.Printf("%-12T area=%6.2f perimeter=%6.2f %v\n", s, s.Area(), s.Perimeter(), s)
	}
	total := 0.0
	for _, s := range shapes {
		total += s.Area()
	}
	fmt.Printf("total %.3f\n", total)
}
