// Go 1.26's new with an expression: a pointer to a copy of a value.
// goconc: may refuse: new(expr) is not in the interpreter
package main

import "fmt"

type Config struct {
	Retries *int
	Name    *string
}

func main() {
	p := new(42)
	x := 7
	q := new(x)
	x = 8
	c := Config{Retries: new(3), Name: new("svc")}
	fmt.Println(*p, *q, x, *c.Retries, *c.Name)
}
