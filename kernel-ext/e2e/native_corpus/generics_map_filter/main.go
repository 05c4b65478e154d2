package main

import (
	"fmt"
	"strconv"
)

func Map[T, U any](s []T, f func(T) U) []U {
	out := make([]U, 0, len(s))
	for _, v := range s {
		out = append(out, f(v))
	}
	return out
}

func Filter[T any](s []T, keep func(T) bool) []T {
	var out []T
	for _, v := range s {
		if keep(v) {
			out = append(out, v)
		}
	}
	return out
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
	fmt.Println(strs)
	fmt.Println(Filter(nums, func(i int) bool { return i%2 == 0 }))
	fmt.Println(Reduce(nums, 0.5, func(a float64, v int) float64 { return a + float64(v) }))
}
