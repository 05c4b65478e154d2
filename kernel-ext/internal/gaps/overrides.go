package gaps

import (
	"fmt"
	"io"
	"reflect"
)

// Overrides returns replacements for the printing functions of fmt and
// log in the interpreter, keyed as yaegi's tables ("fmt/fmt" → name →
// function), made from current, the functions the interpreter has now
// (yaegi's own, which write to the session's writers; path → name →
// function, as Interpreter.Symbols gives them). Each replacement prepares
// its operands, then calls the function it replaces:
//
//   - a value met without its static type whose dynamic type is a
//     registered cell type (or holds one) is described by it;
//   - %T of a described value writes its type as declared (main.point),
//     which fmt, reading the reflect type, cannot;
//   - %w gets the value itself, and yaegi's wrapper of an interpreted
//     value in a native interface gets unwrapped for the verbs that call
//     no method (%d of a Stringer would print the wrapper).
//
// Functions missing from current are left out.
func (r *Registry) Overrides(current map[string]map[string]reflect.Value) map[string]map[string]reflect.Value {
	out := map[string]map[string]reflect.Value{}
	add := func(pkg, name string, f any) {
		if out[pkg+"/"+pkg] == nil {
			out[pkg+"/"+pkg] = map[string]reflect.Value{}
		}
		out[pkg+"/"+pkg][name] = reflect.ValueOf(f)
	}
	fmtFns := current["fmt"]
	type (
		printFn   = func(...any) (int, error)
		printfFn  = func(string, ...any) (int, error)
		fprintFn  = func(io.Writer, ...any) (int, error)
		fprintfFn = func(io.Writer, string, ...any) (int, error)
		sprintFn  = func(...any) string
		sprintfFn = func(string, ...any) string
		appendFn  = func([]byte, ...any) []byte
		appendfFn = func([]byte, string, ...any) []byte
	)
	for _, name := range []string{"Print", "Println"} {
		if f, ok := fn[printFn](fmtFns, name); ok {
			add("fmt", name, func(a ...any) (int, error) { return f(r.prepare(a)...) })
		}
	}
	if f, ok := fn[printfFn](fmtFns, "Printf"); ok {
		add("fmt", "Printf", func(format string, a ...any) (int, error) { format, a = r.prepareF(format, a); return f(format, a...) })
	}
	for _, name := range []string{"Fprint", "Fprintln"} {
		if f, ok := fn[fprintFn](fmtFns, name); ok {
			add("fmt", name, func(w io.Writer, a ...any) (int, error) { return f(w, r.prepare(a)...) })
		}
	}
	if f, ok := fn[fprintfFn](fmtFns, "Fprintf"); ok {
		add("fmt", "Fprintf", func(w io.Writer, format string, a ...any) (int, error) {
			format, a = r.prepareF(format, a)
			return f(w, format, a...)
		})
	}
	for _, name := range []string{"Sprint", "Sprintln"} {
		if f, ok := fn[sprintFn](fmtFns, name); ok {
			add("fmt", name, func(a ...any) string { return f(r.prepare(a)...) })
		}
	}
	if f, ok := fn[sprintfFn](fmtFns, "Sprintf"); ok {
		add("fmt", "Sprintf", func(format string, a ...any) string { format, a = r.prepareF(format, a); return f(format, a...) })
	}
	if f, ok := fn[func(string, ...any) error](fmtFns, "Errorf"); ok {
		add("fmt", "Errorf", func(format string, a ...any) error { format, a = r.prepareF(format, a); return f(format, a...) })
	}
	for _, name := range []string{"Append", "Appendln"} {
		if f, ok := fn[appendFn](fmtFns, name); ok {
			add("fmt", name, func(b []byte, a ...any) []byte { return f(b, r.prepare(a)...) })
		}
	}
	if f, ok := fn[appendfFn](fmtFns, "Appendf"); ok {
		add("fmt", "Appendf", func(b []byte, format string, a ...any) []byte {
			format, a = r.prepareF(format, a)
			return f(b, format, a...)
		})
	}
	logFns := current["log"]
	for _, name := range []string{"Print", "Println", "Panic", "Panicln", "Fatal", "Fatalln"} {
		if f, ok := fn[func(...any)](logFns, name); ok {
			add("log", name, func(a ...any) { f(r.prepare(a)...) })
		}
	}
	for _, name := range []string{"Printf", "Panicf", "Fatalf"} {
		if f, ok := fn[func(string, ...any)](logFns, name); ok {
			add("log", name, func(format string, a ...any) { format, a = r.prepareF(format, a); f(format, a...) })
		}
	}
	return out
}

// MapTypes are, for the replacements of Overrides, the interfaces for which
// yaegi wraps an operand of an interpreted type implementing them, as it
// does for the functions replaced (yaegi's stdlib.MapTypes).
func MapTypes(overrides map[string]map[string]reflect.Value) map[reflect.Value][]reflect.Type {
	mt := []reflect.Type{reflect.TypeFor[fmt.Formatter](), reflect.TypeFor[fmt.Stringer]()}
	out := map[reflect.Value][]reflect.Type{}
	for _, fns := range overrides {
		for _, f := range fns {
			out[f] = mt
		}
	}
	return out
}

// fn returns the function name of fns as an F.
func fn[F any](fns map[string]reflect.Value, name string) (F, bool) {
	var zero F
	v, ok := fns[name]
	if !ok || !v.IsValid() || !v.CanInterface() {
		return zero, false
	}
	f, ok := v.Interface().(F)
	return f, ok
}

// prepare describes the operands met without their static type.
func (r *Registry) prepare(a []any) []any {
	var out []any
	for i, x := range a {
		y, wrapped := r.dynamic(x)
		if !wrapped {
			continue
		}
		if out == nil {
			out = append([]any(nil), a...)
		}
		out[i] = y
	}
	if out == nil {
		return a
	}
	return out
}

// dynamic wraps x if its dynamic type has interpreted parts.
func (r *Registry) dynamic(x any) (any, bool) {
	if x == nil {
		return nil, false
	}
	if _, ok := x.(*Value); ok {
		return x, false
	}
	t := reflect.TypeOf(x)
	if isYaegiWrapper(t) {
		return x, false
	}
	if d := r.describe(t); d != nil {
		return &Value{v: x, d: d, reg: r}, true
	}
	return x, false
}

// prepareF prepares a Printf format and its operands.
func (r *Registry) prepareF(format string, a []any) (string, []any) {
	a = r.prepare(a)
	var out []any
	set := func(i int, x any) {
		if out == nil {
			out = append([]any(nil), a...)
		}
		out[i] = x
	}
	dirs := directives(format)
	onlyT := map[int]bool{}
	for _, d := range dirs {
		if d.arg < 0 || d.arg >= len(a) {
			continue
		}
		if _, seen := onlyT[d.arg]; !seen {
			onlyT[d.arg] = true
		}
		if d.verb != 'T' {
			onlyT[d.arg] = false
		}
	}
	var typeVerbs []int // offsets of T verbs that become s
	for _, d := range dirs {
		if d.arg < 0 || d.arg >= len(a) {
			continue
		}
		x := a[d.arg]
		switch v := x.(type) {
		case *Value:
			switch {
			case d.verb == 'T' && onlyT[d.arg]:
				// fmt writes %T from the reflect type, before any method:
				// the operand becomes its name, and the verb s.
				set(d.arg, r.TypeName(v))
				typeVerbs = append(typeVerbs, d.end-1)
			case d.verb == 'w':
				set(d.arg, v.v)
			}
		default:
			if x == nil || !isYaegiWrapper(reflect.TypeOf(x)) {
				continue
			}
			switch d.verb {
			case 'v', 's', 'q', 'x', 'X', 'w':
			default:
				if f := reflect.ValueOf(x).Field(0); f.CanInterface() {
					set(d.arg, f.Interface())
				}
			}
		}
	}
	if len(typeVerbs) > 0 {
		b := []byte(format)
		for _, off := range typeVerbs {
			b[off] = 's'
		}
		format = string(b)
	}
	if out == nil {
		return format, a
	}
	return format, out
}

// TypeName is the type of x as %T writes it in compiled Go: a Value's
// static type, or its dynamic one where that is an interface.
func (r *Registry) TypeName(x any) string {
	w, ok := x.(*Value)
	if !ok {
		if y, wrapped := r.dynamic(x); wrapped {
			w = y.(*Value)
		} else {
			return reflect.TypeOf(x).String()
		}
	}
	if w.d.dynamic {
		v := concrete(reflect.ValueOf(w.v))
		if !v.IsValid() {
			return "<nil>"
		}
		if d := r.describe(v.Type()); d != nil {
			return d.typeString(v.Type())
		}
		return v.Type().String()
	}
	return w.d.typeString(reflect.TypeOf(w.v))
}

// Sprint formats a value as fmt.Sprint would in compiled Go, for values
// met without their static type (a panic's value, say).
func (r *Registry) Sprint(x any) string {
	if y, wrapped := r.dynamic(x); wrapped {
		x = y
	}
	return fmt.Sprint(x)
}
