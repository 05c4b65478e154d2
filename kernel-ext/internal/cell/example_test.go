package cell_test

import (
	"fmt"
	"strings"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
)

func ExampleParse() {
	c, err := cell.Parse("for i := 0; i < 3; i++ {\n\tgo func() { ch <- i }()\n}", cell.Options{Unique: "1"})
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.TrimSpace(strings.TrimPrefix(c.Stmts.Src, ";")))
	// Output:
	// func() { for i := 0; i < 3; i++ { iʹ1ʹ1 := i;
	// 	{ fʹ1ʹ2 := func() func() { return func() { ch <- iʹ1ʹ1 } }(); go fʹ1ʹ2() }
	// ; i = iʹ1ʹ1; } }()
}

func ExampleIsComplete() {
	for _, src := range []string{"func f() {", "x := )", "1+1"} {
		status, indent := cell.IsComplete(src)
		fmt.Printf("%q %q\n", status, indent)
	}
	// Output:
	// "incomplete" "    "
	// "invalid" ""
	// "complete" ""
}
