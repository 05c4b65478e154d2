package main

import (
	"fmt"
)

type Config struct {
	Name    *string
	Retries *int
}

func main() {
	p := new(42)
	fmt.Println(*p)
	c := Config{Name: new("svc"), Retries: new(3)}
	fmt.Println(*c.Name, *c.Retries)
	f := new(1.5 * 2)
	fmt.Printf("%T %v\n", f, *f)
}
