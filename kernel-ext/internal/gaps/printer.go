package gaps

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Format formats the value as fmt formats a value of its static type in
// compiled Go: names and fields as declared, the methods fmt calls.
func (v *Value) Format(st fmt.State, verb rune) {
	p := &printer{w: st, st: st, verb: verb, reg: v.reg}
	if verb == 'v' {
		p.plus, p.sharp = st.Flag('+'), st.Flag('#')
	}
	p.printArg(reflect.ValueOf(v.v), v.d, 0, true)
}

// String is the value as %v formats it.
func (v *Value) String() string { return fmt.Sprint(v) }

// printer walks a value as fmt's printValue does, with the descriptions of
// cell types; what has nothing interpreted in it goes to fmt.
type printer struct {
	w           io.Writer
	st          fmt.State
	verb        rune
	plus, sharp bool // %+v, %#v
	reg         *Registry
}

// directive is the verb with the state's flags, width and precision.
func (p *printer) directive(verb rune) string { return fmt.FormatString(p.st, verb) }

func (p *printer) write(s string) { io.WriteString(p.w, s) }

// leaf formats x, which has no interpreted part, with the verb.
func (p *printer) leaf(x any) { fmt.Fprintf(p.w, p.directive(p.verb), x) }

// resolve describes v when d does not (an interface type, or none): by
// the value's dynamic type.
func (p *printer) resolve(v reflect.Value, d *desc) (reflect.Value, *desc) {
	if d != nil && !d.dynamic {
		return v, d
	}
	v = concrete(v)
	if !v.IsValid() {
		return v, nil
	}
	return v, p.reg.describe(v.Type())
}

// printArg prints v, of the type d describes (nil: described by its
// dynamic type, or native); canIface is false for a value reached through
// an unexported field, whose methods fmt does not call.
func (p *printer) printArg(v reflect.Value, d *desc, depth int, canIface bool) {
	v, d = p.resolve(v, d)
	if rv, ok := readable(v); ok {
		v = rv
	} else {
		canIface = false
	}
	if !v.IsValid() {
		if depth == 0 {
			p.leaf(nil)
			return
		}
		p.printValue(v, nil, depth, canIface)
		return
	}
	if d == nil || d.native {
		p.native(v, depth, canIface)
		return
	}
	if canIface && p.handleMethods(v, d) {
		return
	}
	p.printValue(v, d, depth, canIface)
}

// native prints a value with nothing interpreted in it.
func (p *printer) native(v reflect.Value, depth int, canIface bool) {
	if !canIface || !v.CanInterface() {
		p.printValue(v, nil, depth, false) // as fmt does: no methods
		return
	}
	if depth > 0 && v.Kind() == reflect.Pointer && !p.hasNativeMethods(v) {
		p.fmtPointer(v, nil)
		return
	}
	p.leaf(v.Interface())
}

// hasNativeMethods tells whether fmt would call a method of v with the
// printer's verb.
func (p *printer) hasNativeMethods(v reflect.Value) bool {
	x := v.Interface()
	if _, ok := x.(fmt.Formatter); ok {
		return true
	}
	if p.sharp {
		_, ok := x.(fmt.GoStringer)
		return ok
	}
	switch p.verb {
	case 'v', 's', 'x', 'X', 'q':
		switch x.(type) {
		case error, fmt.Stringer:
			return true
		}
	}
	return false
}

// methodsOf returns the registered methods for a value described by d, and
// whether the value is a pointer to the named type.
func methodsOf(d *desc) (*methodSet, bool) {
	switch {
	case d.named:
		return d.methods, false
	case d.kind == reflect.Pointer && d.elem != nil && d.elem.named:
		return d.elem.methods, true
	}
	return nil, false
}

// handleMethods calls the fmt method of v that fmt would call, as fmt's
// handleMethods does.
func (p *printer) handleMethods(v reflect.Value, d *desc) (handled bool) {
	ms, ptr := methodsOf(d)
	if ms == nil {
		return false
	}
	call := func(i int, extra ...reflect.Value) (out []reflect.Value, ok bool) {
		fn := ms.get(ptr, i)
		if !fn.IsValid() {
			return nil, false
		}
		arg := v
		if in := fn.Type().In(0); arg.Type() != in {
			if arg.Kind() == reflect.Pointer && arg.Type().Elem() == in {
				if arg.IsNil() {
					p.write("<nil>") // a value method of a nil pointer: fmt says <nil>
					return nil, true
				}
				arg = arg.Elem()
			} else {
				return nil, false
			}
		}
		defer p.catchPanic(v, fmtMethods[i])
		return fn.Call(append([]reflect.Value{arg}, extra...)), true
	}
	if _, ok := call(mFormat, reflect.ValueOf(p.st), reflect.ValueOf(p.verb)); ok {
		return true
	}
	if p.sharp {
		if out, ok := call(mGoString); ok {
			if len(out) == 1 {
				fmt.Fprintf(p.w, p.directive('s'), out[0].String())
			}
			return true
		}
		return false
	}
	switch p.verb {
	case 'v', 's', 'x', 'X', 'q':
		for _, i := range []int{mError, mString} {
			if out, ok := call(i); ok {
				if len(out) == 1 {
					fmt.Fprintf(p.w, p.directive(p.verb), out[0].String())
				}
				return true
			}
		}
	}
	return false
}

// catchPanic prints a panic of a method as fmt does.
func (p *printer) catchPanic(v reflect.Value, method string) {
	if err := recover(); err != nil {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			p.write("<nil>")
			return
		}
		fmt.Fprintf(p.w, "%%!%c(PANIC=%s method: %v)", p.verb, method, err)
	}
}

// pad writes s padded to the state's width, as fmt pads a pointer.
func (p *printer) pad(s string) {
	if w, ok := p.st.Width(); ok {
		if p.st.Flag('-') {
			fmt.Fprintf(p.w, "%-*s", w, s)
		} else {
			fmt.Fprintf(p.w, "%*s", w, s)
		}
		return
	}
	p.write(s)
}

// typeName is the type of v as %#v writes it.
func typeName(v reflect.Value, d *desc) string {
	if d != nil && d.str != "" {
		return d.str
	}
	return v.Type().String()
}

var basicTypes = map[reflect.Kind]reflect.Type{
	reflect.Bool: reflect.TypeFor[bool](), reflect.Int: reflect.TypeFor[int](), reflect.Int8: reflect.TypeFor[int8](),
	reflect.Int16: reflect.TypeFor[int16](), reflect.Int32: reflect.TypeFor[int32](), reflect.Int64: reflect.TypeFor[int64](),
	reflect.Uint: reflect.TypeFor[uint](), reflect.Uint8: reflect.TypeFor[uint8](), reflect.Uint16: reflect.TypeFor[uint16](),
	reflect.Uint32: reflect.TypeFor[uint32](), reflect.Uint64: reflect.TypeFor[uint64](), reflect.Uintptr: reflect.TypeFor[uintptr](),
	reflect.Float32: reflect.TypeFor[float32](), reflect.Float64: reflect.TypeFor[float64](),
	reflect.Complex64: reflect.TypeFor[complex64](), reflect.Complex128: reflect.TypeFor[complex128](),
	reflect.String: reflect.TypeFor[string](),
}

// basic returns v as a value of its kind's unnamed type: no methods.
func basic(v reflect.Value) any {
	if t, ok := basicTypes[v.Kind()]; ok {
		return v.Convert(t).Interface()
	}
	return nil
}

// fieldOf names field i of v, described by d (nil: by reflection), and
// tells whether Go would see it exported.
func fieldOf(d *desc, v reflect.Value, i int) (name string, fd *desc, exported bool) {
	if d != nil && len(d.fields) == v.NumField() {
		f := d.fields[i]
		return f.name, f.typ, f.exported
	}
	f := v.Type().Field(i)
	return f.Name, nil, f.IsExported()
}

// elemOf and keyOf describe the elements and keys of d's values.
func elemOf(d *desc) *desc {
	if d == nil {
		return nil
	}
	return d.elem
}

func keyOf(d *desc) *desc {
	if d == nil {
		return nil
	}
	return d.key
}

// printValue is fmt's printValue for v, described by d (nil: native,
// without methods).
func (p *printer) printValue(v reflect.Value, d *desc, depth int, canIface bool) {
	switch v.Kind() {
	case reflect.Invalid:
		if depth == 0 {
			p.write("<invalid reflect.Value>")
		} else if p.verb == 'v' {
			p.write("<nil>")
		} else {
			fmt.Fprintf(p.w, "%%!%c(<nil>)", p.verb)
		}
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		p.leaf(basic(v))
	case reflect.Map:
		if p.sharp {
			p.write(typeName(v, d))
			if v.IsNil() {
				p.write("(nil)")
				return
			}
			p.write("{")
		} else {
			p.write("map[")
		}
		for i, k := range sortedKeys(v) {
			if i > 0 {
				if p.sharp {
					p.write(", ")
				} else {
					p.write(" ")
				}
			}
			p.printArg(k, keyOf(d), depth+1, canIface)
			p.write(":")
			p.printArg(v.MapIndex(k), elemOf(d), depth+1, canIface)
		}
		if p.sharp {
			p.write("}")
		} else {
			p.write("]")
		}
	case reflect.Struct:
		if p.sharp {
			p.write(typeName(v, d))
		}
		p.write("{")
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				if p.sharp {
					p.write(", ")
				} else {
					p.write(" ")
				}
			}
			name, fd, exported := fieldOf(d, v, i)
			if (p.plus || p.sharp) && name != "" {
				p.write(name + ":")
			}
			p.printArg(v.Field(i), fd, depth+1, canIface && exported)
		}
		p.write("}")
	case reflect.Interface:
		e := v.Elem()
		if !e.IsValid() {
			if p.sharp {
				p.write(typeName(v, d) + "(nil)")
			} else {
				p.write("<nil>")
			}
			return
		}
		p.printArg(e, nil, depth+1, canIface)
	case reflect.Array, reflect.Slice:
		switch p.verb {
		case 's', 'q', 'x', 'X':
			if v.Type().Elem().Kind() == reflect.Uint8 {
				b := make([]byte, v.Len())
				for i := range b {
					b[i] = byte(v.Index(i).Uint())
				}
				p.leaf(b)
				return
			}
		}
		if p.sharp {
			p.write(typeName(v, d))
			if v.Kind() == reflect.Slice && v.IsNil() {
				p.write("(nil)")
				return
			}
			p.write("{")
		} else {
			p.write("[")
		}
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				if p.sharp {
					p.write(", ")
				} else {
					p.write(" ")
				}
			}
			p.printArg(v.Index(i), elemOf(d), depth+1, canIface)
		}
		if p.sharp {
			p.write("}")
		} else {
			p.write("]")
		}
	case reflect.Pointer:
		if depth == 0 && !v.IsNil() {
			switch e := v.Elem(); e.Kind() {
			case reflect.Array, reflect.Slice, reflect.Struct, reflect.Map:
				p.write("&")
				p.printArg(e, elemOf(d), depth+1, canIface)
				return
			}
		}
		p.fmtPointer(v, d)
	case reflect.Chan, reflect.Func, reflect.UnsafePointer:
		p.fmtPointer(v, d)
	default:
		p.leaf(v.Interface())
	}
}

// fmtPointer is fmt's fmtPointer.
func (p *printer) fmtPointer(v reflect.Value, d *desc) {
	u := uintptr(v.UnsafePointer())
	switch p.verb {
	case 'v':
		if p.sharp {
			p.write("(" + typeName(v, d) + ")(")
			if u == 0 {
				p.write("nil")
			} else {
				p.write("0x" + strconv.FormatUint(uint64(u), 16))
			}
			p.write(")")
			return
		}
		if u == 0 {
			p.pad("<nil>")
			return
		}
		p.pad("0x" + strconv.FormatUint(uint64(u), 16))
	case 'p':
		p.pad("0x" + strconv.FormatUint(uint64(u), 16))
	case 'b', 'o', 'd', 'x', 'X':
		fmt.Fprintf(p.w, p.directive(p.verb), u)
	default:
		fmt.Fprintf(p.w, "%%!%c(%s=0x%x)", p.verb, typeName(v, d), u)
	}
}

// sortedKeys orders a map's keys as fmt does (internal/fmtsort) for the
// key types a cell uses.
func sortedKeys(m reflect.Value) []reflect.Value {
	keys := m.MapKeys()
	slices.SortStableFunc(keys, compareValues)
	return keys
}

func compareValues(a, b reflect.Value) int {
	a, b = concrete(a), concrete(b)
	if !a.IsValid() || !b.IsValid() {
		return cmp.Compare(boolInt(a.IsValid()), boolInt(b.IsValid()))
	}
	if a.Type() != b.Type() {
		return cmp.Compare(a.Type().String(), b.Type().String())
	}
	switch a.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return cmp.Compare(a.Int(), b.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return cmp.Compare(a.Uint(), b.Uint())
	case reflect.String:
		return cmp.Compare(a.String(), b.String())
	case reflect.Float32, reflect.Float64:
		return compareFloat(a.Float(), b.Float())
	case reflect.Complex64, reflect.Complex128:
		if c := compareFloat(real(a.Complex()), real(b.Complex())); c != 0 {
			return c
		}
		return compareFloat(imag(a.Complex()), imag(b.Complex()))
	case reflect.Bool:
		return cmp.Compare(boolInt(a.Bool()), boolInt(b.Bool()))
	case reflect.Pointer, reflect.UnsafePointer, reflect.Chan:
		return cmp.Compare(a.Pointer(), b.Pointer())
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			fa, _ := readable(a.Field(i))
			fb, _ := readable(b.Field(i))
			if c := compareValues(fa, fb); c != 0 {
				return c
			}
		}
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			if c := compareValues(a.Index(i), b.Index(i)); c != 0 {
				return c
			}
		}
	case reflect.Interface:
		return compareValues(a.Elem(), b.Elem())
	}
	return 0
}

func compareFloat(a, b float64) int {
	switch {
	case math.IsNaN(a) && math.IsNaN(b):
		return 0
	case math.IsNaN(a):
		return -1
	case math.IsNaN(b):
		return 1
	}
	return cmp.Compare(a, b)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// describe returns a description of a dynamic type with interpreted parts
// (a registered struct, a pointer to one, or a composite holding
// interfaces), nil for a type fmt prints right by itself.
func (r *Registry) describe(t reflect.Type) *desc {
	gen := r.gen.Load()
	if c, ok := r.described.Load(t); ok && c.(cached).gen == gen {
		return c.(cached).d
	}
	d := r.describeType(t)
	r.described.Store(t, cached{gen, d})
	return d
}

func (r *Registry) describeType(t reflect.Type) *desc {
	if r.empty() {
		if t.Kind() == reflect.Struct && t.Name() == "valueInterface" && t.PkgPath() == yaegiInterp {
			return &desc{dynamic: true}
		}
		return nil
	}
	if d := r.byReflect(t); d != nil {
		return d
	}
	if isYaegiWrapper(t) {
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		if e := r.describe(t.Elem()); e != nil {
			return &desc{kind: reflect.Pointer, elem: e, str: "*" + e.typeString(t.Elem())}
		}
	case reflect.Slice, reflect.Array:
		if e := r.describeElem(t.Elem()); e != nil {
			return &desc{kind: t.Kind(), elem: e}
		}
	case reflect.Map:
		k, e := r.describeElem(t.Key()), r.describeElem(t.Elem())
		if k != nil || e != nil {
			return &desc{kind: reflect.Map, key: k, elem: e}
		}
	case reflect.Struct:
		if t.Name() == "valueInterface" && t.PkgPath() == yaegiInterp {
			return &desc{dynamic: true}
		}
	}
	return nil
}

// describeElem describes an element type: interfaces are looked at value
// by value.
func (r *Registry) describeElem(t reflect.Type) *desc {
	if t.Kind() == reflect.Interface {
		return &desc{dynamic: true}
	}
	return r.describe(t)
}

// typeString is d's type name, or t's.
func (d *desc) typeString(t reflect.Type) string {
	if d != nil && d.str != "" {
		return d.str
	}
	return t.String()
}

// Display renders a Value as a cell's result is shown (see session.Format:
// like %+v, with strings quoted and nil as nil); ok is false for any other
// value.
func Display(v any, maxItems, maxDepth int) (s string, ok bool) {
	w, isValue := v.(*Value)
	if !isValue {
		return "", false
	}
	var b strings.Builder
	dp := &displayer{b: &b, reg: w.reg, maxItems: maxItems, maxDepth: maxDepth}
	dp.show(reflect.ValueOf(w.v), w.d, 0, true)
	return b.String(), true
}

type displayer struct {
	b                  *strings.Builder
	reg                *Registry
	maxItems, maxDepth int
}

func (dp *displayer) show(v reflect.Value, d *desc, depth int, canIface bool) {
	if d == nil || d.dynamic {
		v = concrete(v)
		if v.IsValid() {
			d = dp.reg.describe(v.Type())
		}
	}
	if rv, ok := readable(v); ok {
		v = rv
	} else {
		canIface = false
	}
	if !v.IsValid() {
		dp.b.WriteString("nil")
		return
	}
	if depth > dp.maxDepth {
		dp.b.WriteString("…")
		return
	}
	if canIface {
		if d != nil && !d.native {
			if ms, ptr := methodsOf(d); ms != nil {
				for _, i := range []int{mError, mString} {
					fn := ms.get(ptr, i)
					if !fn.IsValid() {
						continue
					}
					arg := v
					if in := fn.Type().In(0); arg.Type() != in && arg.Kind() == reflect.Pointer {
						if arg.IsNil() {
							dp.b.WriteString("nil")
							return
						}
						arg = arg.Elem()
					}
					if arg.Type() == fn.Type().In(0) {
						dp.b.WriteString(fn.Call([]reflect.Value{arg})[0].String())
						return
					}
				}
			}
		} else if v.CanInterface() {
			switch x := v.Interface().(type) {
			case error:
				if v.Kind() == reflect.Pointer && v.IsNil() {
					dp.b.WriteString("nil")
					return
				}
				dp.b.WriteString(x.Error())
				return
			case fmt.Stringer:
				if v.Kind() == reflect.Pointer && v.IsNil() {
					dp.b.WriteString("nil")
					return
				}
				if v.Kind() != reflect.String {
					dp.b.WriteString(x.String())
					return
				}
			}
		}
	}
	switch v.Kind() {
	case reflect.String:
		dp.b.WriteString(strconv.Quote(v.String()))
	case reflect.Interface:
		if v.IsNil() {
			dp.b.WriteString("nil")
			return
		}
		dp.show(v.Elem(), nil, depth, canIface)
	case reflect.Pointer:
		if v.IsNil() {
			dp.b.WriteString("nil")
			return
		}
		switch v.Elem().Kind() {
		case reflect.Struct, reflect.Array, reflect.Slice, reflect.Map:
			if depth == 0 {
				dp.b.WriteByte('&')
				dp.show(v.Elem(), elemOf(d), depth+1, canIface)
				return
			}
		}
		fmt.Fprintf(dp.b, "%#x", v.Pointer())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			dp.b.WriteString("[]")
			return
		}
		dp.b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				dp.b.WriteByte(' ')
			}
			if i == dp.maxItems {
				fmt.Fprintf(dp.b, "…(%d more)", v.Len()-i)
				break
			}
			dp.show(v.Index(i), elemOf(d), depth+1, canIface)
		}
		dp.b.WriteByte(']')
	case reflect.Map:
		if v.IsNil() {
			dp.b.WriteString("map[]")
			return
		}
		keys := sortedKeys(v)
		dp.b.WriteString("map[")
		for i, k := range keys {
			if i > 0 {
				dp.b.WriteByte(' ')
			}
			if i == dp.maxItems {
				fmt.Fprintf(dp.b, "…(%d more)", len(keys)-i)
				break
			}
			dp.show(k, keyOf(d), depth+1, canIface)
			dp.b.WriteByte(':')
			dp.show(v.MapIndex(k), elemOf(d), depth+1, canIface)
		}
		dp.b.WriteByte(']')
	case reflect.Struct:
		dp.b.WriteByte('{')
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				dp.b.WriteByte(' ')
			}
			name, fd, exported := fieldOf(d, v, i)
			dp.b.WriteString(name)
			dp.b.WriteByte(':')
			dp.show(v.Field(i), fd, depth+1, canIface && exported)
		}
		dp.b.WriteByte('}')
	case reflect.Func:
		if v.IsNil() {
			dp.b.WriteString("nil")
			return
		}
		dp.b.WriteString(typeName(v, d))
	case reflect.Chan:
		if v.IsNil() {
			dp.b.WriteString("nil")
			return
		}
		fmt.Fprintf(dp.b, "(%s)(%#x)", typeName(v, d), v.Pointer())
	default:
		if x := basic(v); x != nil {
			fmt.Fprintf(dp.b, "%v", x)
		} else if v.CanInterface() {
			fmt.Fprintf(dp.b, "%v", v.Interface())
		}
	}
}
