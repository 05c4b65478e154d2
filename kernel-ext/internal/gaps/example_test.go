package gaps_test

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/traefik/yaegi/stdlib"

	"github.com/goconc/goconc/kernel-ext/internal/gaps"
)

func ExampleChecker() {
	// The interpreter's tables, keyed by import path.
	tables := map[string]map[string]reflect.Value{}
	for key, syms := range stdlib.Symbols {
		if i := strings.LastIndex(key, "/"); i >= 0 {
			tables[key[:i]] = syms
		}
	}
	c := gaps.NewChecker(gaps.Options{Tables: tables})
	imports := map[string]string{}

	rep := c.Check("import \"slices\"\ns := []int{3, 1, 2}\nslices.Sort(s)", imports)
	fmt.Println(rep.Error())

	rep = c.Check("func Map[T, U any](s []T, f func(T) U) []U { return nil }\n_ = Map([]int{1}, func(i int) string { return \"\" })", imports)
	fmt.Println(rep.Refused(), strings.Contains(rep.Source, "Map[int, string]("))
	// Output:
	// 3:1: slices.Sort is a generic function of a compiled package, which the interpreter cannot call: run the cell with %%native
	// false true
}
