package main

import (
	"fmt"

	"github.com/goconc/goconc/kernel-ext/check"
)

func main() {
	check.Equal("sum", 3, 3)
	fmt.Println("first check passed")
	defer func() { fmt.Println("recovered:", recover()) }()
	check.Equal("sum", 4, 3)
}
