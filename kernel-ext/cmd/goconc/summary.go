package main

import (
	"errors"
	"io"
)

func runSummary(args []string, stdout, stderr io.Writer) error {
	return errors.New("summary: not available yet")
}
