package main

import (
	"fmt"
)

type boom struct{ code int }

func main() {
	fmt.Println("before")
	var p *boom
	fmt.Println(p.code)
}
