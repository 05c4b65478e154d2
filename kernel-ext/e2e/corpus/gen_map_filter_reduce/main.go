// Generic Map, Filter and Reduce, with the type arguments inferred from the arguments.
package main

import (
	"fmt"
	"strconv"
	"strings"
)

func Map[T, U any](s []T, f func(T) U) []U {
	r := make([]U, 0, len(s))
	for _, v := range s {
		r = append(r, f(v))
	}
	return r
}

func Filter[T any](s []T, keep func(T) bool) []T {
	var r []T
	for _, v := range s {
		if keep(v) {
			r = append(r, v)
		}
	}
	return r
}

func Reduce[T, A any](s []T, init A, f func(A, T) A) A {
	acc := init
	for _, v := range s {
		acc = f(acc, v)
	}
	return acc
}

func main() {
	nums := []int{1, 2, 3, 4, 5, 6}
	strs := Map(nums, func(i int) string { return strconv.Itoa(i * i) })
	fmt.Println(strs, len(strs))
	fmt.Println(Map(strs, strings.NewReader)[0].Len())
	evens := Filter(nums, func(n int) bool { return n%2 == 0 })
	fmt.Println(evens)
	fmt.Println(Reduce(nums, 0, func(a, n int) int { return a + n }))
	fmt.Println(Reduce(strs, "", func(a, s string) string { return a + s + ";" }))
	lengths := Map([]string{"go", "is", "fun!"}, func(s string) int { return len(s) })
	fmt.Println(lengths)
}
