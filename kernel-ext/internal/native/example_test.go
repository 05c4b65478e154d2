package native_test

import (
	"fmt"

	"github.com/goconc/goconc/kernel-ext/internal/native"
)

// A statement cell uses a function an earlier interpreted cell declared:
// the program carries that declaration and the import it needs.
func ExampleGenerate() {
	p, err := native.Generate(native.Request{
		Code: "fmt.Println(shout(\"hi\"))\nlen(\"four\")",
		Earlier: native.Earlier{
			Imports: map[string]string{"fmt": "fmt", "strings": "strings"},
			Sources: []native.Source{{Text: "func shout(s string) string { return strings.ToUpper(s) }", Cell: 1, Line: 1, Col: 1}},
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Imports)
	fmt.Println(p.Result, p.ResultLine)
	// Output:
	// [fmt os strconv strings]
	// true 2
}
