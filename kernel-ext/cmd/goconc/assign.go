package main

import (
	"errors"
	"io"
)

func runAssign(args []string, stdout, stderr io.Writer) error {
	return errors.New("assign: not available yet")
}
