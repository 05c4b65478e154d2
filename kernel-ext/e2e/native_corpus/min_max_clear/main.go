package main

import (
	"fmt"
)

func main() {
	fmt.Println(min(3, 1, 2), max(2.5, 1), min("b", "a"))
	m := map[int]bool{1: true, 2: true}
	clear(m)
	s := []int{1, 2, 3}
	clear(s)
	fmt.Println(len(m), s)
	const c = max(1, 2, 3)
	fmt.Println(c)
}
