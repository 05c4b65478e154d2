// Go 1.21's sync.OnceValue and OnceValues: a lazily computed value.
// goconc: may refuse: sync.OnceValue is a generic function of a compiled package
package main

import (
	"fmt"
	"sync"
)

func main() {
	calls := 0
	get := sync.OnceValue(func() int {
		calls++
		return 42
	})
	fmt.Println(get(), get(), calls)
	pair := sync.OnceValues(func() (string, error) { return "ok", nil })
	fmt.Println(pair())
}
