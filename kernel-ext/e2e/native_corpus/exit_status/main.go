package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("about to exit")
	defer fmt.Println("never printed")
	os.Exit(3)
}
