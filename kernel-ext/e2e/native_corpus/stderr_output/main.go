package main

import (
	"fmt"
	"log"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "to stderr")
	fmt.Println("to stdout")
	log.SetFlags(0)
	log.Println("log line")
	println("builtin println")
}
