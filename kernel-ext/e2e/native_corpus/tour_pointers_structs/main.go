package main

import (
	"fmt"
)

type Vertex struct {
	X, Y int
}

func main() {
	i := 42
	p := &i
	*p = 21
	fmt.Println(i)
	v := Vertex{1, 2}
	q := &v
	q.X = 1e9
	fmt.Println(v)
	fmt.Printf("%v %+v %#v %T\n", v, v, v, v)
	v2 := Vertex{X: 1}
	fmt.Println(v2, &Vertex{})
}
