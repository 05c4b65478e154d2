// Go 1.23's slices.All, slices.Backward and slices.Collect.
// goconc: may refuse: these are generic functions of a compiled package, and ranging over a function
package main

import (
	"fmt"
	"slices"
)

func main() {
	s := []string{"x", "y", "z"}
	for i, v := range slices.All(s) {
		fmt.Println(i, v)
	}
	for _, v := range slices.Backward(s) {
		fmt.Print(v)
	}
	fmt.Println()
	fmt.Println(slices.Collect(slices.Values(s)))
}
