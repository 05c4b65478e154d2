package main

import (
	"errors"
	"fmt"
	"os"
)

type NotFound struct{ Name string }

func (e *NotFound) Error() string { return e.Name + " not found" }

func find(name string) error {
	return fmt.Errorf("lookup: %w", &NotFound{name})
}

func main() {
	err := find("gopher")
	if nf, ok := errors.AsType[*NotFound](err); ok {
		fmt.Println("missing:", nf.Name)
	}
	var nf *NotFound
	fmt.Println(errors.As(err, &nf), nf.Name, err)
	joined := errors.Join(errors.New("a"), errors.New("b"))
	fmt.Println(joined)
	fmt.Println(errors.Is(fmt.Errorf("wrap: %w", os.ErrNotExist), os.ErrNotExist))
}
