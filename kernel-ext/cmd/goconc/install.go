package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/goconc/goconc/kernel-ext/internal/kernelspec"
)

func runInstall(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var scope kernelspec.Scope
	fs.BoolVar(&scope.User, "user", false, "install for the current user")
	fs.BoolVar(&scope.SysPrefix, "sys-prefix", false, "install into the active conda or virtual environment")
	fs.StringVar(&scope.Prefix, "prefix", "", "install under `DIR`/share/jupyter/kernels")
	name := fs.String("name", "goconc", "kernelspec `NAME`")
	if err := fs.Parse(args); err != nil {
		return err
	}
	n := 0
	for _, set := range []bool{scope.User, scope.SysPrefix, scope.Prefix != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return fmt.Errorf("install: choose one of --user, --sys-prefix and --prefix")
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("install: finding the goconc binary: %w", err)
	}
	spec, err := kernelspec.ForKernel(filepath.Dir(exe))
	if err != nil {
		return err
	}
	dir, err := kernelspec.Dir(scope, *name)
	if err != nil {
		return err
	}
	if err := kernelspec.Install(dir, spec); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "installed kernelspec %s in %s\n", *name, dir)
	return nil
}
