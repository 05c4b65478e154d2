package main

import (
	"fmt"
	"strings"
)

func main() {
	var b strings.Builder
	for i := 3; i > 0; i-- {
		fmt.Fprintf(&b, "%d...", i)
	}
	b.WriteString("ignition")
	fmt.Println(b.String())
	fmt.Println(strings.Repeat("ab", 3), strings.ToUpper("go"), strings.Title("x") != "")
	fmt.Println(strings.Fields(" a  b c "), strings.Split("a,b,c", ","), strings.TrimSpace("  x "))
	before, after, ok := strings.Cut("key=value", "=")
	fmt.Println(before, after, ok)
	fmt.Println(strings.EqualFold("Go", "GO"), strings.Count("cheese", "e"), strings.LastIndex("go gopher", "go"))
	r := strings.NewReplacer("<", "&lt;", ">", "&gt;")
	fmt.Println(r.Replace("<b>hi</b>"))
}
