// Package slices and maps as of Go 1.21: Contains, Index, Reverse, Equal, Insert, Compare, maps.Equal.
package main

import (
	"fmt"
	"maps"
	"slices"
)

type point struct{ x, y int }

func main() {
	s := []int{3, 1, 4, 1, 5}
	fmt.Println(slices.Contains(s, 4), slices.Index(s, 1), slices.Index(s, 9))
	fmt.Println(slices.IndexFunc(s, func(v int) bool { return v > 3 }))
	r := slices.Clone(s)
	slices.Reverse(r)
	fmt.Println(r, s, slices.Equal(r, s))
	fmt.Println(slices.Insert(r, 1, 100, 200))
	fmt.Println(slices.Compare([]int{1, 2}, []int{1, 3}))
	pts := []point{{1, 2}, {3, 4}}
	fmt.Println(slices.Contains(pts, point{3, 4}), slices.Index(pts, point{1, 2}))
	m1 := map[string]int{"a": 1, "b": 2}
	m2 := map[string]int{"b": 2, "a": 1}
	fmt.Println(maps.Equal(m1, m2))
	maps.DeleteFunc(m1, func(k string, v int) bool { return v > 1 })
	fmt.Println(m1)
}
