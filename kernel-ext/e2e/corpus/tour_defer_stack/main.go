// The tour's stacking defers: deferred calls run last in first out, their arguments evaluated at once.
// goconc: may refuse: the interpreter evaluates a deferred call's arguments when the function returns
package main

import "fmt"

func main() {
	fmt.Println("counting")
	for i := 0; i < 4; i++ {
		defer fmt.Println(i)
	}
	fmt.Println("done")
}
