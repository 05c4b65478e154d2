// The tour's slices: literals, len and cap, append, make, slices of slices, range.
package main

import (
	"fmt"
	"strings"
)

func printSlice(s string, x []int) {
	fmt.Printf("%s len=%d cap=%d %v\n", s, len(x), cap(x), x)
}

func main() {
	primes := [6]int{2, 3, 5, 7, 11, 13}
	var s []int = primes[1:4]
	fmt.Println(s)
	names := [4]string{"John", "Paul", "George", "Ringo"}
	a, b := names[0:2], names[1:3]
	b[0] = "XXX"
	fmt.Println(a, b, names)
	structs := []struct {
		i int
		b bool
	}{{2, true}, {3, false}}
	fmt.Println(structs)
	var z []int
	printSlice("z", z)
	fmt.Println(z == nil)
	m := make([]int, 0, 5)
	printSlice("m", m)
	m = m[:cap(m)]
	printSlice("m", m)
	for i := 0; i < 4; i++ {
		z = append(z, i)
	}
	printSlice("z", z)
	board := [][]string{
		{"_", "_", "_"},
		{"_", "_", "_"},
		{"_", "_", "_"},
	}
	board[0][0] = "X"
	board[2][2] = "O"
	board[1][2] = "X"
	for i := range board {
		fmt.Printf("%s\n", strings.Join(board[i], " "))
	}
	pow := make([]int, 6)
	for i := range pow {
		pow[i] = 1 << uint(i)
	}
	for i, v := range pow {
		fmt.Printf("2**%d = %d\n", i, v)
	}
}
