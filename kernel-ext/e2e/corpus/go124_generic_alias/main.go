// Go 1.24's generic type aliases.
// goconc: may refuse: the interpreter has no generic type aliases
package main

import "fmt"

type Set[T comparable] = map[T]struct{}

func main() {
	s := Set[string]{"a": {}, "b": {}}
	fmt.Println(len(s))
}
