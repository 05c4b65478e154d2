package main

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

func main() {
	s := "héllo, 世界"
	fmt.Println(len(s), utf8.RuneCountInString(s))
	for i, r := range s {
		if r > 127 {
			fmt.Printf("%d:%c(%d) ", i, r, utf8.RuneLen(r))
		}
	}
	fmt.Println()
	fmt.Println(unicode.IsUpper('A'), unicode.IsLetter('1'), string([]rune(s)[7:]))
	b := []byte("abc")
	fmt.Println(b, string(b[1]))
}
