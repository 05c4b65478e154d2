package main

import (
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
)

func main() {
	next, stop := iter.Pull(slices.Values([]string{"x", "y", "z"}))
	defer stop()
	for {
		v, ok := next()
		if !ok {
			break
		}
		fmt.Println(v)
	}
	for k, v := range maps.All(map[string]int{"only": 1}) {
		fmt.Println(k, v)
	}
	for i, w := range slices.Backward([]string{"a", "b", "c"}) {
		fmt.Print(i, w, " ")
	}
	fmt.Println()
	for part := range strings.SplitSeq("a,b,c", ",") {
		fmt.Print("[", part, "]")
	}
	fmt.Println()
}
