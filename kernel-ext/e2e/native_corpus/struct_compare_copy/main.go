package main

import (
	"fmt"
)

type Point struct{ X, Y int }

type Shape struct {
	Name   string
	Points []Point
}

func main() {
	a, b := Point{1, 2}, Point{1, 2}
	fmt.Println(a == b, a != Point{})
	s1 := Shape{"tri", []Point{{0, 0}, {1, 0}, {0, 1}}}
	s2 := s1
	s2.Points[0].X = 9
	s2.Name = "copy"
	fmt.Println(s1.Name, s1.Points[0], s2.Name)
	m := map[Point]string{a: "a"}
	fmt.Println(m[Point{1, 2}])
	anon := struct {
		A int
		B string
	}{1, "x"}
	fmt.Printf("%+v\n", anon)
}
