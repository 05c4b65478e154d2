package main

import (
	"fmt"
)

var x = "package"

func main() {
	fmt.Println(x)
	x := "main"
	{
		x := "block"
		fmt.Println(x)
	}
	if x := 5; x > 3 {
		fmt.Println("if", x)
	}
	fmt.Println(x)
	for i := 0; i < 2; i++ {
		i := i * 10
		fmt.Println(i)
	}
}
