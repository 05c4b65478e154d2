package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	input := "line one\nline two\n\nlast"
	sc := bufio.NewScanner(strings.NewReader(input))
	n := 0
	for sc.Scan() {
		n++
		fmt.Printf("%d: %q\n", n, sc.Text())
	}
	ws := bufio.NewScanner(strings.NewReader("count the words here"))
	ws.Split(bufio.ScanWords)
	words := 0
	for ws.Scan() {
		words++
	}
	fmt.Println("words:", words)
	w := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(w, "buffered")
	w.Flush()
}
