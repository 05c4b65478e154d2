// math/rand/v2 (Go 1.22) with a seeded PCG source: the same numbers on every run.
package main

import (
	"fmt"
	"math/rand/v2"
)

func main() {
	r := rand.New(rand.NewPCG(1, 2))
	var xs []int
	for range 5 {
		xs = append(xs, r.IntN(100))
	}
	fmt.Println(xs)
	fmt.Printf("%.4f %d\n", r.Float64(), r.Uint32()%1000)
	deck := []string{"a", "b", "c", "d", "e"}
	r.Shuffle(len(deck), func(i, j int) { deck[i], deck[j] = deck[j], deck[i] })
	fmt.Println(deck, r.Perm(4))
}
