// A generic binary search tree over cmp.Ordered, walked in order with a callback.
package main

import (
	"cmp"
	"fmt"
)

type Tree[T cmp.Ordered] struct {
	root *tnode[T]
	size int
}

type tnode[T cmp.Ordered] struct {
	v    T
	l, r *tnode[T]
}

func (t *Tree[T]) Insert(v T) {
	t.root = t.root.insert(v, &t.size)
}

func (n *tnode[T]) insert(v T, size *int) *tnode[T] {
	if n == nil {
		*size++
		return &tnode[T]{v: v}
	}
	switch {
	case v < n.v:
		n.l = n.l.insert(v, size)
	case v > n.v:
		n.r = n.r.insert(v, size)
	}
	return n
}

func (n *tnode[T]) walk(f func(T)) {
	if n == nil {
		return
	}
	n.l.walk(f)
	f(n.v)
	n.r.walk(f)
}

func main() {
	var t Tree[int]
	for _, v := range []int{5, 3, 8, 1, 4, 7, 9, 3} {
		t.Insert(v)
	}
	var out []int
	t.root.walk(func(v int) { out = append(out, v) })
	fmt.Println(out, t.size)
	var words Tree[string]
	for _, w := range []string{"pear", "apple", "fig"} {
		words.Insert(w)
	}
	words.root.walk(func(s string) { fmt.Print(s, " ") })
	fmt.Println()
}
