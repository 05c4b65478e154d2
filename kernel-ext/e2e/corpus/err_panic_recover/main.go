// panic and recover: a helper turns panics into errors; a custom error type's message survives.
package main

import (
	"errors"
	"fmt"
)

type BadInput struct{ Value int }

func (b BadInput) Error() string { return fmt.Sprintf("bad input %d", b.Value) }

func check(v int) {
	if v < 0 {
		panic(fmt.Sprintf("negative: %d", v))
	}
}

func safe(v int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("recovered: %v", r)
		}
	}()
	check(v)
	return nil
}

func validate(v int) error {
	if v > 100 {
		return BadInput{v}
	}
	return nil
}

func main() {
	fmt.Println(safe(1), safe(-5))
	err := validate(101)
	fmt.Println(err, err != nil, errors.Unwrap(err) == nil)
}
