// Custom error types returned as error: printed, compared with sentinels through %w chains.
package main

import (
	"errors"
	"fmt"
	"strconv"
)

var ErrNotFound = errors.New("not found")

type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Msg }

func parse(s string) (int, error) {
	if s == "" {
		return 0, &ParseError{Line: 3, Msg: "empty input"}
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("parse %q: %w", s, err)
	}
	return n, nil
}

func lookup(key string) error {
	return fmt.Errorf("lookup %s: %w", key, ErrNotFound)
}

func main() {
	for _, in := range []string{"12", "", "x1"} {
		n, err := parse(in)
		fmt.Println(n, err)
	}
	err := lookup("user")
	fmt.Println(err, errors.Is(err, ErrNotFound), errors.Unwrap(err) == ErrNotFound)
	joined := errors.Join(errors.New("first"), ErrNotFound)
	fmt.Println(joined, errors.Is(joined, ErrNotFound))
}
