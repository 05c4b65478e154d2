package gaps

import (
	"unicode/utf8"
)

// A directive is one verb of a Printf format, with the operand it formats.
type directive struct {
	// start and end delimit the directive in the format; flags is the
	// text between '%' and the verb (flags, width, precision), explicit
	// argument indexes left out.
	start, end int
	flags      string
	verb       rune
	// arg is the index of the operand among the operands after the
	// format; -1 for %% and for a directive with no operand left.
	arg int
}

// directives parses a Printf format as fmt numbers its operands: in
// order, with explicit indexes [n] and '*' widths and precisions taking
// operands of their own.
func directives(format string) []directive {
	var out []directive
	argNum := 0
	index := func(i int) (int, bool) { // parses "[n]" at format[i]
		if i >= len(format) || format[i] != '[' {
			return i, false
		}
		for j := i + 1; j < len(format); j++ {
			if format[j] == ']' {
				n := 0
				for _, c := range format[i+1 : j] {
					if c < '0' || c > '9' {
						return j + 1, false
					}
					n = n*10 + int(c-'0')
				}
				if n > 0 {
					argNum = n - 1
				}
				return j + 1, true
			}
		}
		return len(format), false
	}
	for i := 0; i < len(format); {
		if format[i] != '%' {
			i++
			continue
		}
		d := directive{start: i, arg: -1}
		i++
		flagStart := i
		var flags []byte
		for i < len(format) && (format[i] == '#' || format[i] == '0' || format[i] == '+' || format[i] == '-' || format[i] == ' ') {
			i++
		}
		flags = append(flags, format[flagStart:i]...)
		i, _ = index(i)
		if i < len(format) && format[i] == '*' {
			argNum++
			i++
			flags = append(flags, '*')
		} else {
			s := i
			for i < len(format) && format[i] >= '0' && format[i] <= '9' {
				i++
			}
			flags = append(flags, format[s:i]...)
		}
		if i < len(format) && format[i] == '.' {
			i++
			flags = append(flags, '.')
			i, _ = index(i)
			if i < len(format) && format[i] == '*' {
				argNum++
				i++
				flags = append(flags, '*')
			} else {
				s := i
				for i < len(format) && format[i] >= '0' && format[i] <= '9' {
					i++
				}
				flags = append(flags, format[s:i]...)
			}
		}
		i, _ = index(i)
		if i >= len(format) {
			d.end = len(format)
			out = append(out, d)
			break
		}
		r, size := utf8.DecodeRuneInString(format[i:])
		i += size
		d.verb, d.end, d.flags = r, i, string(flags)
		if r != '%' {
			d.arg = argNum
			argNum++
		}
		out = append(out, d)
	}
	return out
}
