// Go 1.23's package unique: canonical handles compare by pointer.
// goconc: may refuse: package unique (Go 1.23) is not in the interpreter
package main

import (
	"fmt"
	"unique"
)

func main() {
	a := unique.Make("gopher")
	b := unique.Make("go" + "pher")
	fmt.Println(a == b, a.Value())
}
