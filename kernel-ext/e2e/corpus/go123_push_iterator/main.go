// A push iterator without package iter: a tree's in-order walk as a func(yield func(int) bool).
// goconc: may refuse: the interpreter cannot range over a function
package main

import "fmt"

type Tree struct {
	Left, Right *Tree
	Val         int
}

func (t *Tree) walk(yield func(int) bool) bool {
	if t == nil {
		return true
	}
	return t.Left.walk(yield) && yield(t.Val) && t.Right.walk(yield)
}

func (t *Tree) All(yield func(int) bool) { t.walk(yield) }

func main() {
	t := &Tree{&Tree{nil, nil, 1}, &Tree{nil, nil, 3}, 2}
	for v := range t.All {
		fmt.Println(v)
	}
}
