// Go 1.22's slices.Concat and slices.Delete.
// goconc: may refuse: the interpreter's slices.Concat and slices.Delete fail
package main

import (
	"fmt"
	"slices"
)

func main() {
	all := slices.Concat([]int{1, 2}, []int{3}, []int{4, 5})
	fmt.Println(all)
	fmt.Println(slices.Delete(all, 1, 3))
}
