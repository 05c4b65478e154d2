package main

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
)

type Set[T comparable] = map[T]struct{}

func Keys[T cmp.Ordered](s Set[T]) []T {
	return slices.Sorted(maps.Keys(s))
}

func main() {
	s := Set[string]{"b": {}, "a": {}, "c": {}}
	fmt.Println(Keys(s))
}
