// Go 1.22's range over an integer, and min, max and clear of Go 1.21.
package main

import "fmt"

func main() {
	total := 0
	for i := range 5 {
		total += i
	}
	fmt.Println(total)
	n := 3
	for range n {
		fmt.Print("x")
	}
	fmt.Println()
	fmt.Println(min(3, 1, 2), max(2.5, 1), min("b", "a"))
	m := map[string]int{"a": 1, "b": 2}
	s := []int{1, 2, 3}
	clear(m)
	clear(s)
	fmt.Println(len(m), s)
}
