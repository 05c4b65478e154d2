package main

import (
	"fmt"
)

func double(a [3]int) [3]int {
	for i := range a {
		a[i] *= 2
	}
	return a
}

func main() {
	a := [3]int{1, 2, 3}
	b := double(a)
	fmt.Println(a, b, a == [3]int{1, 2, 3})
	var grid [2][3]string
	for i := range grid {
		for j := range grid[i] {
			grid[i][j] = fmt.Sprint(i * j)
		}
	}
	fmt.Println(grid, len(grid[0]))
	type key [2]int
	seen := map[key]bool{{1, 2}: true}
	fmt.Println(seen[key{1, 2}], seen[key{2, 1}])
}
