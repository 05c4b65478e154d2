package session_test

import (
	"context"
	"fmt"
	"os"

	"github.com/goconc/goconc/kernel-ext/internal/session"
)

func Example() {
	s, err := session.New(session.Options{Stdout: os.Stdout})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	ctx := context.Background()
	for _, code := range []string{
		`import "strings"
words := strings.Fields("go is fun")`,
		// A result expression: its value is the cell's execute_result.
		`len(words)`,
		`strings.Join(words, "-")`,
		// Statements alone have no value; mixed declarations are fine.
		`import "fmt"
fmt.Println(shout(words[2]))
func shout(s string) string { return strings.ToUpper(s) + "!" }`,
		`undefinedName + 1`,
	} {
		r := s.Execute(ctx, code)
		switch {
		case r.Err != nil:
			fmt.Println(r.Err.Name+":", r.Err.Value)
		case r.Value != nil:
			fmt.Println(r.Value.Data["text/plain"])
		}
	}
	// Output:
	// 3
	// "go-is-fun"
	// FUN!
	// CompileError: 1:1: undefined: undefinedName
}
