// Package assign makes and grades course assignments in the conventions of
// nbgrader, so that the same notebooks work with goconc alone and under
// nbgrader on JupyterHub.
//
// An instructor writes a source notebook (nbformat 4) whose cells carry
// nbgrader's metadata (cell.metadata.nbgrader, schema version 3): solution
// cells (solution: true), test cells (grade: true, solution: false, locked:
// true, points) that call the checks of package check, and answers graded
// by hand (grade: true, solution: true, points; usually Markdown). Regions
// are marked by comment lines:
//
//	// BEGIN SOLUTION
//	...the instructor's answer, in a solution cell...
//	// END SOLUTION
//
//	// BEGIN HIDDEN TESTS
//	...tests the students do not see, in a test cell...
//	// END HIDDEN TESTS
//
// Release makes the student version: solutions replaced by a placeholder
// that fails with "not implemented yet", hidden tests removed, outputs
// cleared, metadata kept. Grade runs a submission cell by cell through a
// Runner (InterpreterRunner over the kernel's supervisor in `goconc grade`),
// each cell under a time limit, after restoring from the source the test
// cells and read-only cells the student deleted or changed (hidden tests
// included), and scores every test cell: its points when it runs without
// error, none otherwise, with the reason. A cell that hangs is interrupted;
// a cell that crashes the worker costs that cell, and the cells before it
// are run again so that later tests can still pass.
//
// Notebooks are read and written with encoding/json; fields goconc does not
// use are kept as they were, and files are written as Jupyter writes them
// (sorted keys, one-space indentation, sources as lists of lines).
package assign
