package main

import (
	"fmt"
)

type point struct{ x, y int }

func main() {
	p := point{1, 2}
	fmt.Printf("%v %+v %#v %T\n", p, p, p, p)
	fmt.Printf("%t %d %b %o %x %X %c %U\n", true, 123, 14, 8, 255, 255, 'G', 'G')
	fmt.Printf("%e %E %f %.2f %g\n", 1234.5678, 1234.5678, 1234.5678, 3.14159, 1e21)
	fmt.Printf("%s %q %x % x\n", "go", "go", "hex", "hex")
	fmt.Printf("|%6d|%-6d|%06.2f|%8s|%-8s|\n", 12, 12, 3.14159, "r", "l")
	fmt.Printf("%v\n", nil)
	fmt.Printf("%v %v\n", []string{"a"}, map[string]int{"k": 1})
	fmt.Println(fmt.Sprintf("%5.1f%%", 99.5))
}
