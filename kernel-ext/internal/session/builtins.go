package session

import (
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"github.com/goconc/goconc/kernel-ext/internal/cell"
)

// The cell rewriter turns the builtins yaegi v0.16.1 lacks or gets wrong
// into calls of these (cell.Options.Runtime).

// clearValue is the builtin clear (Go 1.21): it deletes the entries of a
// map and zeroes the elements of a slice. Interpreted maps and slices are
// native ones, which share their storage with the value passed here.
func clearValue(v any) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map, reflect.Slice:
		rv.Clear()
	case reflect.Invalid:
		panic("clear(nil): the argument must be a map or a slice")
	default:
		panic(fmt.Sprintf("clear(%s): the argument must be a map or a slice", rv.Type()))
	}
}

// stdio is what a cell's os.Stdout and os.Stderr become where any
// io.Writer will do (cell.Options.Runtime): the session's own writers,
// which the worker wraps to mark the output of goroutines that outlived
// their cell, where os.Stdout is only a file descriptor.
type stdio struct {
	w io.Writer
}

// Write writes p.
func (s stdio) Write(p []byte) (int, error) { return s.w.Write(p) }

// WriteString writes str.
func (s stdio) WriteString(str string) (int, error) { return io.WriteString(s.w, str) }

// builtinPrinter writes what print and println write: to standard error,
// formatted as Go's runtime formats them (no space between print's
// operands; floats in the shortest form since Go 1.26, e.g. 1e+21), in
// one write so that lines of concurrent goroutines do not mix.
type builtinPrinter struct {
	w io.Writer
}

// Print is the builtin print.
func (p builtinPrinter) Print(args ...any) {
	var b strings.Builder
	for _, a := range args {
		b.WriteString(builtinFormat(a))
	}
	io.WriteString(p.w, b.String())
}

// Println is the builtin println.
func (p builtinPrinter) Println(args ...any) {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(builtinFormat(a))
	}
	b.WriteByte('\n')
	io.WriteString(p.w, b.String())
}

// builtinFormat formats one operand of print or println as the Go runtime
// does. Interface operands arrive here as their dynamic values, so they
// print as those (the runtime prints an interface's two words).
func builtinFormat(a any) string {
	if a == nil {
		return "(0x0,0x0)"
	}
	v := reflect.ValueOf(a)
	switch v.Kind() {
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32:
		return strconv.FormatFloat(v.Float(), 'g', -1, 32)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Complex64:
		return strconv.FormatComplex(v.Complex(), 'g', -1, 64)
	case reflect.Complex128:
		return strconv.FormatComplex(v.Complex(), 'g', -1, 128)
	case reflect.String:
		return v.String()
	case reflect.Pointer, reflect.Chan, reflect.Map, reflect.Func, reflect.UnsafePointer:
		return fmt.Sprintf("%#x", v.Pointer())
	case reflect.Slice:
		return fmt.Sprintf("[%d/%d]%#x", v.Len(), v.Cap(), v.Pointer())
	}
	return fmt.Sprint(a)
}

// undefinedRE finds the name of an "undefined: name" compile error.
var undefinedRE = regexp.MustCompile(`undefined: ([\pL_][\pL\pN_]*)`)

// explainGaps adds to a compile error what the user can do when it comes
// from a gap of the interpreter the rewrites could not close.
func explainGaps(msg string, c *cell.Cell, chunk *cell.Chunk, position func(line, col int) (int, int)) string {
	if len(c.MinMax) > 0 && (strings.Contains(msg, "definition loop") || minMaxUndefinedRE.MatchString(msg)) {
		// yaegi's message for a missing min or max ("constant definition
		// loop", or "undefined") does not tell what to do.
		m := c.MinMax[0]
		m.Line, m.Col = position(m.Line, m.Col)
		if m.InConst {
			return fmt.Sprintf("%d:%d: %s cannot be used in a constant declaration here: the interpreter lacks it, "+
				"and goconc replaces it by a function; write the value, or declare a var", m.Line, m.Col, m.Name)
		}
		return fmt.Sprintf("%d:%d: goconc replaces %s by a function of its arguments' type (the interpreter lacks it), "+
			"and could not tell that type here: convert an argument, e.g. %s(int64(a), b), or assign it to a typed variable first",
			m.Line, m.Col, m.Name, m.Name)
	}
	m := undefinedRE.FindStringSubmatch(msg)
	if m == nil || chunk != c.Decls {
		return msg
	}
	for _, u := range c.Unhoisted {
		if u.Name == m[1] {
			return msg + " (" + u.Name + " is declared by a statement of this cell, and the cell's declarations, funcs " +
				"included, run before its statements: declare it with var " + u.Name + " T, without a value, and assign it " +
				"in a statement, or declare it in an earlier cell)"
		}
	}
	return msg
}

// minMaxUndefinedRE finds yaegi's error for a call of min or max.
var minMaxUndefinedRE = regexp.MustCompile(`undefined: (min|max)\b`)
