// A generic Pair with a String method, printed with fmt.
// goconc: may refuse: the interpreter cannot call the String method of a generic type for fmt
package main

import "fmt"

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func (p Pair[K, V]) String() string { return fmt.Sprintf("%v=%v", p.Key, p.Val) }

func main() {
	p := Pair[string, int]{"a", 1}
	fmt.Println(p, p.String())
	fmt.Println([]Pair[string, int]{{"b", 2}, {"c", 3}})
}
