// Package gaps keeps interpreted cells from printing wrong answers. It
// type-checks each cell with go/types, in the context of the declarations
// of the cells before it, against exactly what the interpreter reaches
// (yaegi's symbol tables converted to types, and yaegi's interpreted
// sources of cmp, maps and slices), and then:
//
//   - refuses, before anything of the cell runs, each construct yaegi
//     v0.16.1 runs wrongly or cannot run, with an error that names it, gives
//     its line and column in the cell, and says to run the cell with
//     %%native;
//   - rewrites what yaegi gets right once rewritten (explicit type
//     arguments, a variable for a type switch, a range over indexes), with
//     a map from the rewritten cell's positions back to the cell's;
//   - describes the values of the cells' types that are printed, so that
//     fmt prints them as compiled Go does (see Registry).
//
// Only specific findings count: a type error of the check itself (a name
// the check does not know, say) refuses nothing, so a gap in the check's
// information never refuses code yaegi runs.
//
// What is refused, and why (each tried on yaegi v0.16.1 through a session;
// "silently" marks what yaegi would run with a wrong result):
//
//	construct                                      yaegi alone
//	new(expr) (Go 1.26)                            a pointer to the zero value, silently
//	range over a function (Go 1.23)                a wrong error ("range over an integer")
//	a package it lacks (iter, unique, weak,        "unable to find source … GOPATH"; blank
//	  structs, embed, crypto/mlkem, …) and         imports of embed pass and //go:embed is
//	  //go:embed                                   ignored, silently
//	a generic function or type of a compiled       "undefined selector"; yaegi extract skips
//	  package (slices.Sort, slices.Sorted,          generic functions
//	  maps.Keys, sync.OnceValue, errors.AsType,
//	  atomic.Pointer, rand.N, …)
//	a name added after Go 1.22 (strings.Lines,     undefined: its tables stop at Go 1.22
//	  crypto/rand.Text, os.CopyFS, …)
//	slices.Delete, DeleteFunc, Replace, Compact,   its interpreted versions panic (index
//	  CompactFunc, Concat; maps.Clone               out of range, nil reflect type)
//	a generic type alias (Go 1.24)                 "constant definition loop"
//	a generic function used as a value             a function returning zero, silently
//	a method expression T.M of a cell type         a panic in reflect
//	a method value x.M, value receiver, of a       the method sees later changes of x,
//	  variable the cell changes later               silently
//	a deferred call's arguments that the           evaluated when the function returns,
//	  function changes later or that call           silently
//	  something; go x.M() with such a receiver
//	a function literal deferred in a loop using    sees the last iteration's variable,
//	  a variable of the loop                        silently
//	a type switch on an error (or another native   the case never matches, silently; the
//	  interface with methods) with cases of cell    assertion fails
//	  types; an assertion to a cell's non-pointer
//	  type of such a value
//	an assertion (or case) of an empty interface's  never matches, silently
//	  value to a cell's interface type, or to a
//	  native one (fmt.Stringer, error, …) once the
//	  session puts a cell type implementing it into
//	  an empty interface
//	the comma-ok assertion to a cell type in a     "nil type"
//	  statement of the cell
//	a cell's type converted, declared or assigned  an error without its Error method
//	  as an error (return it instead)
//	errors.As to a cell type, errors.Is with a     a panic, or false silently: the
//	  cell-type target, and errors.Is/As/Unwrap     interpreter's errors are wrappers
//	  while a cell type has Unwrap, Is or As        without those methods
//	a pointer of a cell type that may be nil       a nil error, where Go's is non-nil
//	  converted to error (or another native         (err != nil is false), silently
//	  interface with methods)
//	fmt.Errorf's %w of a cell's concrete type      "%!w(struct {…})", silently
//	reflect.TypeOf/ValueOf of a cell's type        no name, no methods, fields renamed
//	json, xml and gob encoding of a cell struct    its unexported fields are encoded,
//	  with unexported fields                        renamed (Xname), silently
//	printing an any holding a named non-struct     the value prints as its underlying
//	  cell type (type Color int) whose String (or   type, silently
//	  name, for %T) matters, once the session puts
//	  one into an empty interface
//	printing a generic type with fmt methods;      String not called; %T of *gaps.Value
//	  %T of a cell type in a log.Logger method
//	a type declared again with another definition  the first definition kept, silently
//	range with a value over a map or array of      a panic in reflect
//	  channels (over a slice: rewritten)
//
// What is rewritten: a call of a generic function of a cell or of yaegi's
// sources whose type arguments are inferred gets them explicitly
// (Map(xs, strconv.Itoa) becomes Map[int, string](…); yaegi infers from
// the first argument, so Max(2, 2.5) was 2, or fails on function
// arguments); a type switch on an empty interface with cases of cell types
// gets a variable (without one yaegi matches none); a range with a value
// over a slice of channels becomes a range over its indexes.
//
// What prints as Go prints it: values of the cells' types handed to fmt's
// and log's printing functions, or shown as a cell's result: %v, %+v, %#v
// and %T with the declared names and fields (yaegi builds struct types
// with reflect.StructOf: no name, unexported fields renamed Xname), the
// String, Error, GoString and Format methods where fmt calls them, also
// inside slices, maps and fields, and not through unexported fields.
//
// Known limits: the checks see the cell as written and the objects of
// earlier cells; a cell's funcs do not see the variables its own
// statements declare (they are unknown to the check, which then finds
// nothing there). A value reached only through an empty interface is
// described by its reflect type: two cell struct types with the same
// fields are told apart only where the static type says which.
package gaps
