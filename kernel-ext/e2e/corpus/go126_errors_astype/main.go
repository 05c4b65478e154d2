// Go 1.26's errors.AsType: a typed errors.As.
// goconc: may refuse: errors.AsType is a generic function of a compiled package
package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

func main() {
	_, err := os.Open("/no/such/file")
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		fmt.Println("path error on", pe.Path, pe.Op)
	}
}
