// Package native runs a notebook cell as a real Go program: compiled with
// the Go toolchain against goconc's source tree and run as a child process
// of the worker (%%native, %%bench, and %%time on such cells).
//
// Generate turns a cell into a program. A cell is a whole program
// (package main … func main) or, like an interpreted cell, any mix of
// imports, declarations and statements, which become the body of main;
// package cell splits it. The program includes the declarations of
// earlier interpreted cells that the cell uses, directly or through other
// declarations (Earlier, recorded by the session as written), and the
// imports they need. A cell that uses ctx gets a context cancelled by
// SIGINT or SIGTERM, which is how an interrupt reaches it. The final
// expression's value is reported back to the worker, with its JSON and its
// type when asked (-o NAME). Text copied from the cell is led by line
// directives, so the compiler's errors and the runtime's stack traces name
// the cell's own lines and columns (file CellFile).
//
// Builder compiles a program and caches the binary by content: the
// program's source, the state of goconc's source tree, the toolchain and
// the build settings. It drives the compiler and linker directly with an
// importcfg that go list computes once per set of imports (go build
// itself would spend most of its half second loading the module graph),
// offline, in a module whose requirements and go.sum are goconc's.
//
// Run runs a binary: standard output is inherited (it streams as the
// worker's does), standard error is copied through (and its tail kept to
// report a panic), displays made with package display come back through a
// pipe of their own and are acknowledged once delivered, and the program's
// report (final value, benchmark lines, %%time figures) through another.
// Cancelling the context sends SIGTERM to the program's process group, then
// SIGKILL after a grace period.
package native
