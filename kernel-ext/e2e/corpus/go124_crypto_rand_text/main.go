// Go 1.24's crypto/rand.Text: a random string of 26 base32 characters.
// goconc: may refuse: crypto/rand.Text is newer than the interpreter's tables
package main

import (
	"crypto/rand"
	"fmt"
)

func main() {
	t := rand.Text()
	fmt.Println(len(t), t != rand.Text())
}
