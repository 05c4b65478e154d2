// A generic Set over comparable keys, with Union and Intersect, printed sorted.
package main

import (
	"fmt"
	"sort"
)

type Set[T comparable] map[T]struct{}

func Of[T comparable](vs ...T) Set[T] {
	s := Set[T]{}
	for _, v := range vs {
		s[v] = struct{}{}
	}
	return s
}

func (s Set[T]) Has(v T) bool { _, ok := s[v]; return ok }

func Union[T comparable](a, b Set[T]) Set[T] {
	out := Set[T]{}
	for v := range a {
		out[v] = struct{}{}
	}
	for v := range b {
		out[v] = struct{}{}
	}
	return out
}

func Intersect[T comparable](a, b Set[T]) Set[T] {
	out := Set[T]{}
	for v := range a {
		if b.Has(v) {
			out[v] = struct{}{}
		}
	}
	return out
}

func sorted(s Set[int]) []int {
	var out []int
	for v := range s {
		out = append(out, v)
	}
	sort.Ints(out)
	return out
}

func main() {
	a, b := Of(1, 2, 3, 4), Of(3, 4, 5)
	fmt.Println(sorted(Union(a, b)), sorted(Intersect(a, b)))
	fmt.Println(a.Has(2), b.Has(2), len(Of("x", "x", "y")))
}
