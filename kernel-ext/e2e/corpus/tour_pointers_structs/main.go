// The tour's pointers and structs: struct literals, pointers to structs, printing them.
package main

import "fmt"

type Vertex struct {
	X, Y int
}

var (
	v1 = Vertex{1, 2}
	v2 = Vertex{X: 1}
	v3 = Vertex{}
	p  = &Vertex{1, 2}
)

func main() {
	i, j := 42, 2701
	q := &i
	fmt.Println(*q)
	*q = 21
	fmt.Println(i)
	q = &j
	*q = *q / 37
	fmt.Println(j)

	v := Vertex{1, 2}
	v.X = 4
	pv := &v
	pv.Y = 1e9
	fmt.Println(v, v.X)
	fmt.Println(v1, p, v2, v3)
	fmt.Printf("%v %+v %#v %T\n", v, v, v, v)
	fmt.Printf("%v %+v %T\n", pv, pv, pv)
}
