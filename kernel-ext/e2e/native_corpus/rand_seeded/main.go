package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

func main() {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3 {
		fmt.Print(r.IntN(100), " ")
	}
	fmt.Println()
	s := []int{1, 2, 3, 4, 5}
	r.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	fmt.Println(len(s), slices.Sorted(slices.Values(s)))
}
