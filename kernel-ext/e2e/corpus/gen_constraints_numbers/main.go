// Type sets as constraints: Sum over ~int | ~float64 (a named type included), Max over cmp.Ordered.
package main

import (
	"cmp"
	"fmt"
)

type Number interface {
	~int | ~int64 | ~float64
}

func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func Max[T cmp.Ordered](a, b T) T {
	if a > b {
		return a
	}
	return b
}

type Score int

func main() {
	fmt.Println(Sum(1, 2, 3))
	fmt.Println(Sum(1.5, 2.25))
	fmt.Println(Sum[Score](10, 20, 12))
	fmt.Println(Max(2, 2.5), Max("apple", "banana"), Max[int64](3, -4))
	fmt.Println(cmp.Compare(2, 3), cmp.Less("b", "a"))
}
