package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestInterleaved(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("o", "", "")
	fs.String("source", "", "")
	fs.Bool("q", false, "")
	tests := []struct {
		in, want []string
	}{
		{[]string{"a.ipynb", "-o", "b.ipynb"}, []string{"-o", "b.ipynb", "a.ipynb"}},
		{[]string{"-o", "b.ipynb", "a.ipynb"}, []string{"-o", "b.ipynb", "a.ipynb"}},
		{[]string{"s.ipynb", "--source=src.ipynb", "-q"}, []string{"--source=src.ipynb", "-q", "s.ipynb"}},
		{[]string{"s.ipynb", "-q", "--source", "src.ipynb"}, []string{"-q", "--source", "src.ipynb", "s.ipynb"}},
		{[]string{"--", "-odd.ipynb"}, []string{"-odd.ipynb"}},
	}
	for _, tt := range tests {
		if got := interleaved(fs, tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("interleaved(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRunAssign(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src.ipynb")
	nb := `{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
	 {"cell_type": "code", "id": "a", "metadata": {"nbgrader": {"grade": false, "grade_id": "a", "locked": false, "schema_version": 3, "solution": true}},
	  "source": "func F() {\n\t// BEGIN SOLUTION\n\tprintln(1)\n\t// END SOLUTION\n}", "outputs": [], "execution_count": 1}]}`
	if err := os.WriteFile(src, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	rel := filepath.Join(dir, "rel.ipynb")
	var stdout, stderr bytes.Buffer
	if err := runAssign([]string{src, "-o", rel}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	data, err := os.ReadFile(rel)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "not implemented yet: complete F") || strings.Contains(string(data), "println(1)") {
		t.Errorf("release:\n%s", data)
	}

	for _, args := range [][]string{
		{src},            // no -o
		{src, "-o", src}, // overwriting the source
		{"missing.ipynb", "-o", rel},
	} {
		if err := runAssign(args, &stdout, &stderr); err == nil {
			t.Errorf("runAssign(%q) succeeded", args)
		}
	}
}

func TestRunGradeUsage(t *testing.T) {
	var stdout, stderr bytes.Buffer
	for _, args := range [][]string{
		{},
		{"a.ipynb", "b.ipynb"},
		{"missing.ipynb"},
		{"missing.ipynb", "--timeout", "soon"},
	} {
		if err := runGrade(args, &stdout, &stderr); err == nil {
			t.Errorf("runGrade(%q) succeeded", args)
		}
	}
}
