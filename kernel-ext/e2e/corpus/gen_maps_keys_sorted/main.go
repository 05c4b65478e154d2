// Go 1.23's iterators over maps: the sorted keys of a map with slices.Sorted(maps.Keys(m)).
// goconc: may refuse: maps.Keys and slices.Sorted are generic functions of a compiled package
package main

import (
	"fmt"
	"maps"
	"slices"
)

func main() {
	ages := map[string]int{"carol": 35, "alice": 30, "bob": 25}
	for _, name := range slices.Sorted(maps.Keys(ages)) {
		fmt.Println(name, ages[name])
	}
	vals := slices.Collect(maps.Values(ages))
	slices.Sort(vals)
	fmt.Println(vals)
}
