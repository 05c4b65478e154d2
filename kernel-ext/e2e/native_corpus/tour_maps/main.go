package main

import (
	"fmt"
	"sort"
	"strings"
)

type Vertex struct{ Lat, Long float64 }

func main() {
	m := map[string]Vertex{"Bell Labs": {40.68433, -74.39967}, "Google": {37.42202, -122.08408}}
	fmt.Println(m["Bell Labs"])
	delete(m, "Google")
	v, ok := m["Google"]
	fmt.Println(v, ok, len(m))
	counts := map[string]int{}
	for _, w := range strings.Fields("the quick brown fox jumps over the lazy dog the end") {
		counts[w]++
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Print(k, "=", counts[k], " ")
	}
	fmt.Println()
	fmt.Println(map[string]int{"b": 2, "a": 1})
}
