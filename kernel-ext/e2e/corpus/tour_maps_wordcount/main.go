// The tour's maps: literals of structs, mutation, comma ok, and a word count with sorted output.
package main

import (
	"fmt"
	"sort"
	"strings"
)

type Vertex struct {
	Lat, Long float64
}

var m = map[string]Vertex{
	"Bell Labs": {40.68433, -74.39967},
	"Google":    {37.42202, -122.08408},
}

func WordCount(s string) map[string]int {
	counts := make(map[string]int)
	for _, w := range strings.Fields(s) {
		counts[w]++
	}
	return counts
}

func main() {
	fmt.Println(m)
	fmt.Println(m["Google"])
	n := make(map[string]int)
	n["Answer"] = 42
	delete(n, "Answer")
	v, ok := n["Answer"]
	fmt.Println("The value:", v, "Present?", ok)
	counts := WordCount("the quick brown fox jumps over the lazy dog the end")
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%s=%d ", k, counts[k])
	}
	fmt.Println()
	fmt.Println(counts)
}
