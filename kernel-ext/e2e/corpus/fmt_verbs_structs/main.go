// fmt's verbs on structs of one's own: %v, %+v, %#v and %T, of values, pointers, slices, maps, nesting.
package main

import "fmt"

type Point struct{ X, Y int }

type Line struct {
	From, To Point
	label    string
}

type Grid struct {
	Name   string
	cells  [][]int
	lookup map[string]Point
	next   *Grid
}

func main() {
	p := Point{1, 2}
	l := Line{Point{0, 0}, Point{3, 4}, "diag"}
	fmt.Printf("%v | %+v | %#v | %T\n", p, p, p, p)
	fmt.Printf("%v | %+v | %T\n", l, l, l)
	fmt.Printf("%#v\n", l)
	fmt.Printf("%v %T\n", &p, &p)
	pts := []Point{{1, 1}, {2, 2}}
	fmt.Printf("%v %+v %T %#v\n", pts, pts, pts, pts)
	m := map[string]Point{"b": {2, 0}, "a": {1, 0}}
	fmt.Printf("%v %T\n", m, m)
	g := Grid{Name: "g", cells: [][]int{{1, 2}, {3}}, lookup: map[string]Point{"o": {}}}
	fmt.Printf("%v\n%+v\n", g, g)
	fmt.Println(p, l, pts)
	s := fmt.Sprintf("%08.3f|%-5d|%5s|%x|%q", 3.14159, 42, "go", 255, "hi")
	fmt.Println(s)
}
