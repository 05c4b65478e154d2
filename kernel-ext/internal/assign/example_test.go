package assign_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/goconc/goconc/kernel-ext/internal/assign"
)

const source = `{
 "nbformat": 4, "nbformat_minor": 5,
 "metadata": {"kernelspec": {"name": "goconc", "display_name": "Go (goconc)", "language": "go"}},
 "cells": [
  {"cell_type": "code", "id": "sum", "execution_count": null, "outputs": [],
   "metadata": {"nbgrader": {"grade": false, "grade_id": "sum", "locked": false, "schema_version": 3, "solution": true}},
   "source": "func Sum(xs []int) int {\n\t// BEGIN SOLUTION\n\tt := 0\n\tfor _, x := range xs {\n\t\tt += x\n\t}\n\treturn t\n\t// END SOLUTION\n}"},
  {"cell_type": "code", "id": "sum-test", "execution_count": null, "outputs": [],
   "metadata": {"nbgrader": {"grade": true, "grade_id": "sum-test", "locked": true, "points": 2, "schema_version": 3, "solution": false}},
   "source": "check.Equal(\"Sum(1, 2)\", Sum([]int{1, 2}), 3)\n// BEGIN HIDDEN TESTS\ncheck.Equal(\"Sum()\", Sum(nil), 0)\n// END HIDDEN TESTS"}
 ]
}`

func ExampleRelease() {
	src, err := assign.ParseNotebook([]byte(source))
	if err != nil {
		log.Fatal(err)
	}
	rel, err := assign.Release(src)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range rel.Cells {
		fmt.Println(c.Source)
		fmt.Println("----")
	}
	// Output:
	// func Sum(xs []int) int {
	// 	// YOUR CODE HERE
	// 	panic("not implemented yet: complete Sum")
	// }
	// ----
	// check.Equal("Sum(1, 2)", Sum([]int{1, 2}), 3)
	// ----
}

// unsolved plays an interpreter for the example: code that panics with "not
// implemented yet" fails, the rest succeeds.
type unsolved struct{ broken bool }

func (u *unsolved) Run(ctx context.Context, code string) assign.Outcome {
	if strings.Contains(code, "not implemented yet") {
		u.broken = true
		return assign.Outcome{Err: &assign.CellError{Name: "panic", Value: "not implemented yet: complete Sum"}}
	}
	if u.broken && strings.Contains(code, "Sum(") {
		return assign.Outcome{Err: &assign.CellError{Name: "panic", Value: "not implemented yet: complete Sum"}}
	}
	return assign.Outcome{}
}

func (u *unsolved) Restart(ctx context.Context) error { return nil }

func ExampleGrade() {
	src, err := assign.ParseNotebook([]byte(source))
	if err != nil {
		log.Fatal(err)
	}
	// The student hands the release back unsolved. (goconc grade runs the
	// cells in a real interpreter with assign.InterpreterRunner.)
	submission, err := assign.Release(src)
	if err != nil {
		log.Fatal(err)
	}
	rep, err := assign.Grade(context.Background(), submission, &unsolved{}, assign.Options{Source: src})
	if err != nil {
		log.Fatal(err)
	}
	rep.Notebook = "alice.ipynb"
	fmt.Print(rep.Text())
	// Output:
	// alice.ipynb: 0 / 2 points
	//   ✗ sum-test     0 / 2    panic: not implemented yet: complete Sum
	// Other cells that failed:
	//   cell 1 (sum): panic: not implemented yet: complete Sum
}
