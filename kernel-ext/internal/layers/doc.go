// Package layers holds no code: its test enforces the arrows between
// goconc's packages that must never exist (see DEVELOPERS.md), among them
// that the kernel process Jupyter starts links no interpreter, no plotting
// and no symbol table.
package layers
