package session

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goconc/goconc/kernel-ext/internal/gaps"
)

// maxItems bounds how many elements of a slice, array or map are shown.
const maxItems = 200

// maxDepth bounds how deep nested values are shown.
const maxDepth = 8

// Format renders v as a Go programmer expects to read a value: like fmt's
// %+v, but strings (also inside composite values) quoted, nil as nil, and
// the fields of interpreted struct types under their own names.
func Format(v any) string {
	if s, ok := gaps.Display(v, maxItems, maxDepth); ok {
		return s // a value of a cell's type, with its description
	}
	var b strings.Builder
	formatValue(&b, reflect.ValueOf(v), 0)
	return b.String()
}

func formatValue(b *strings.Builder, v reflect.Value, depth int) {
	if !v.IsValid() {
		b.WriteString("nil")
		return
	}
	if depth > maxDepth {
		b.WriteString("…")
		return
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case error:
			if v.Kind() == reflect.Pointer && v.IsNil() {
				b.WriteString("nil")
				return
			}
			b.WriteString(x.Error())
			return
		case fmt.Stringer:
			if v.Kind() == reflect.Pointer && v.IsNil() {
				b.WriteString("nil")
				return
			}
			if v.Kind() != reflect.String {
				b.WriteString(x.String())
				return
			}
		}
	}
	switch v.Kind() {
	case reflect.String:
		b.WriteString(strconv.Quote(v.String()))
	case reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		formatValue(b, v.Elem(), depth)
	case reflect.Pointer:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		switch v.Elem().Kind() {
		case reflect.Struct, reflect.Array, reflect.Slice, reflect.Map:
			if depth == 0 {
				b.WriteByte('&')
				formatValue(b, v.Elem(), depth+1)
				return
			}
		}
		fmt.Fprintf(b, "%#x", v.Pointer())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i := 0; i < v.Len(); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			if i == maxItems {
				fmt.Fprintf(b, "…(%d more)", v.Len()-i)
				break
			}
			formatValue(b, v.Index(i), depth+1)
		}
		b.WriteByte(']')
	case reflect.Map:
		if v.IsNil() {
			b.WriteString("map[]")
			return
		}
		keys := v.MapKeys()
		sortKeys(keys)
		b.WriteString("map[")
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(' ')
			}
			if i == maxItems {
				fmt.Fprintf(b, "…(%d more)", len(keys)-i)
				break
			}
			formatValue(b, k, depth+1)
			b.WriteByte(':')
			formatValue(b, v.MapIndex(k), depth+1)
		}
		b.WriteByte(']')
	case reflect.Struct:
		t := v.Type()
		b.WriteByte('{')
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(fieldName(t.Field(i).Name))
			b.WriteByte(':')
			formatValue(b, v.Field(i), depth+1)
		}
		b.WriteByte('}')
	case reflect.Func:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		b.WriteString(v.Type().String())
	case reflect.Chan:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		fmt.Fprintf(b, "(%s)(%#x)", v.Type(), v.Pointer())
	default:
		if v.CanInterface() {
			fmt.Fprintf(b, "%v", v.Interface())
		} else {
			fmt.Fprintf(b, "%v", v)
		}
	}
}

// fieldName undoes yaegi's renaming of unexported fields: reflect.StructOf
// only accepts exported names, so yaegi prefixes "X" to the others.
func fieldName(name string) string {
	if rest, ok := strings.CutPrefix(name, "X"); ok && rest != "" {
		r, _ := utf8.DecodeRuneInString(rest)
		if unicode.IsLower(r) || r == '_' {
			return rest
		}
	}
	return name
}

// sortKeys orders map keys as fmt does for the common key kinds.
func sortKeys(keys []reflect.Value) {
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		switch a.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return a.Int() < b.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return a.Uint() < b.Uint()
		case reflect.Float32, reflect.Float64:
			return a.Float() < b.Float()
		case reflect.String:
			return a.String() < b.String()
		}
		var sa, sb strings.Builder
		formatValue(&sa, a, 0)
		formatValue(&sb, b, 0)
		return sa.String() < sb.String()
	})
}
