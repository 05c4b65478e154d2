// errors.As into a custom error type through a wrapped chain.
// goconc: may refuse: the interpreter's errors do not match interpreted types
package main

import (
	"errors"
	"fmt"
)

type QueryError struct {
	Query string
	Err   error
}

func (e *QueryError) Error() string { return e.Query + ": " + e.Err.Error() }
func (e *QueryError) Unwrap() error { return e.Err }

var ErrPermission = errors.New("permission denied")

func run(q string) error {
	return fmt.Errorf("run: %w", &QueryError{q, ErrPermission})
}

func main() {
	err := run("SELECT 1")
	var qe *QueryError
	if errors.As(err, &qe) {
		fmt.Println("query:", qe.Query)
	}
	fmt.Println(errors.Is(err, ErrPermission))
}
