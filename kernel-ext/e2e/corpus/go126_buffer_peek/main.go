// Go 1.26's bytes.Buffer.Peek, and other methods of native types the interpreter calls by reflection.
package main

import (
	"bytes"
	"fmt"
	"strings"
)

func main() {
	b := bytes.NewBufferString("hello, world")
	p, err := b.Peek(5)
	fmt.Println(string(p), err, b.Len())
	head, _ := b.ReadString(',')
	fmt.Printf("%q %q\n", head, b.String())
	var sb strings.Builder
	sb.WriteString("ab")
	sb.WriteByte('c')
	fmt.Println(sb.String(), sb.Len())
}
