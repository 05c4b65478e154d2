// Sorting with package slices: Sort, SortFunc, BinarySearch, Max.
// goconc: may refuse: slices.Sort and friends are generic functions of a compiled package
package main

import (
	"fmt"
	"slices"
	"strings"
)

func main() {
	s := []int{5, 2, 8, 1}
	slices.Sort(s)
	fmt.Println(s)
	words := []string{"banana", "Apple", "cherry"}
	slices.SortFunc(words, func(a, b string) int { return strings.Compare(strings.ToLower(a), strings.ToLower(b)) })
	fmt.Println(words)
	i, found := slices.BinarySearch(s, 5)
	fmt.Println(i, found, slices.Max(s), slices.Min(s))
}
