package main

import (
	"fmt"
	"strings"
)

func main() {
	primes := [6]int{2, 3, 5, 7, 11, 13}
	s := primes[1:4]
	fmt.Println(s, len(s), cap(s))
	var z []int
	fmt.Println(z, len(z), cap(z), z == nil)
	b := make([]int, 0, 5)
	for i := range 7 {
		b = append(b, i*i)
	}
	fmt.Println(b, len(b))
	board := [][]string{{"_", "_"}, {"_", "_"}}
	board[0][1] = "X"
	fmt.Println(strings.Join(board[0], " "), strings.Join(board[1], " "))
	c := make([]int, 3)
	n := copy(c, b)
	fmt.Println(n, c)
}
