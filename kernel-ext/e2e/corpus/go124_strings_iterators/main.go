// Go 1.24's string iterators: strings.Lines, SplitSeq and FieldsSeq.
// goconc: may refuse: strings.Lines and friends are newer than the interpreter's tables
package main

import (
	"fmt"
	"strings"
)

func main() {
	text := "one\ntwo\nthree\n"
	for line := range strings.Lines(text) {
		fmt.Printf("%q\n", line)
	}
	for part := range strings.SplitSeq("a,b,c", ",") {
		fmt.Print(part, ";")
	}
	fmt.Println()
	n := 0
	for range strings.FieldsSeq("  several   words here ") {
		n++
	}
	fmt.Println(n)
}
