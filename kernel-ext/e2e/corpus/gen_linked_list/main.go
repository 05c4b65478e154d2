// A generic singly linked list with Push, Reverse and a slice of its values.
package main

import "fmt"

type node[T any] struct {
	val  T
	next *node[T]
}

type List[T any] struct {
	head *node[T]
	size int
}

func (l *List[T]) Push(v T) {
	l.head = &node[T]{v, l.head}
	l.size++
}

func (l *List[T]) Reverse() {
	var prev *node[T]
	for n := l.head; n != nil; {
		next := n.next
		n.next = prev
		prev, n = n, next
	}
	l.head = prev
}

func (l *List[T]) Values() []T {
	var out []T
	for n := l.head; n != nil; n = n.next {
		out = append(out, n.val)
	}
	return out
}

func main() {
	var l List[string]
	for _, s := range []string{"a", "b", "c", "d"} {
		l.Push(s)
	}
	fmt.Println(l.Values(), l.size)
	l.Reverse()
	fmt.Println(l.Values())
	var n List[float64]
	n.Push(1.5)
	fmt.Println(n.Values(), n.size)
}
