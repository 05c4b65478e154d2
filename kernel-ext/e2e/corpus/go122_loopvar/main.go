// Go 1.22's loop variables: each iteration has its own, for closures and goroutines alike.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var prints []func() int
	for i := 0; i < 3; i++ {
		prints = append(prints, func() int { return i })
	}
	for _, f := range prints {
		fmt.Print(f(), " ")
	}
	fmt.Println()
	var wg sync.WaitGroup
	out := make([]string, 3)
	for i, s := range []string{"a", "b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = s + s
		}()
	}
	wg.Wait()
	fmt.Println(out)
}
