// Package units formats the figures goconc prints: durations, byte sizes,
// counts and ratios. Figures (axis ticks, bar and legend labels), verdicts,
// goconc bench's lines and the messages of graded checks all print through
// it, so that one value reads the same wherever it appears.
//
// The rules:
//
//   - A measured figure has at most three significant digits, trailing zeros
//     dropped: 9.5, 312, 0.35, 12,300. A whole number without a scaled unit
//     is a count and keeps all its digits: 1,048,576 goroutines.
//   - A duration or a byte size takes the largest unit of which it is at
//     least one, once rounded: 9500 ns prints as 9.5 µs, 999.7 ns as 1 µs.
//     Durations go from ns to s by thousands, byte sizes from B to TiB by
//     1024 (KiB, MiB, …), so the number before the unit is below 1000 (1024
//     for bytes); only durations under 1 ns or over 1000 s leave that range.
//     An axis takes the unit of its largest value (Scale).
//   - Digits before the decimal point are grouped by threes with commas. A
//     number of 1e15 or more, or below 1e-4, takes a short exponent: 3e-7.
//   - Exact prints as many digits as it takes to read the value back, in the
//     same notation, for values that must not be rounded: the labels of axis
//     ticks, and what a check compares.
package units

import (
	"math"
	"strconv"
	"strings"
)

// digits is the number of significant digits of a measured figure: enough
// to tell two medians apart, no more than the noise of a measurement on a
// shared machine leaves meaningful.
const digits = 3

// Numbers of a magnitude from 10^minExp up to, not including, 10^maxExp are
// printed without an exponent.
const (
	minExp = -4
	maxExp = 15
)

// Number formats v with at most three significant digits, or, when v is a
// whole number below 1e15, with all of them: a count is not rounded.
func Number(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 { // 10^maxExp
		return notation(v, -1)
	}
	return notation(v, digits)
}

// Exact formats v with the fewest digits that read back as v, in the
// notation of Number.
func Exact(v float64) string { return notation(v, -1) }

// Count formats a count with all its digits, grouped: 1,048,576.
func Count(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return "-" + group(s[1:])
	}
	return group(s)
}

// Duration formats a duration given in nanoseconds (a time.Duration
// converted to float64, or a median of nanosecond samples): 9.5 µs.
func Duration(ns float64) string { return Format(ns, "ns") }

// Bytes formats a size in bytes in binary units: 2.5 KiB, 8 MiB.
func Bytes(b float64) string { return Format(b, "B") }

// Ratio formats a ratio such as a speed-up: 57×.
func Ratio(x float64) string { return Format(x, "×") }

// Level formats the coverage of a confidence interval, a fraction, as a
// percentage rounded down, so that an interval of 94.96 % is never called
// 95 %: Level(0.9573) is "95.7%".
func Level(coverage float64) string {
	// The epsilon keeps 0.957 (956.9999… once multiplied) from losing a
	// tenth.
	return Format(math.Floor(coverage*1000+1e-9)/10, "%")
}

// Format formats v, a figure in unit, by the package's rules. Units of time
// ("ns", "µs", "ms", "s") and of bytes ("B", "KiB", "MiB", "GiB", "TiB"),
// alone or followed by a denominator or words ("ns/op", "KiB resident"),
// are rescaled: Format(9500, "ns/op") is "9.5 µs/op", Format(0.3, "µs") is
// "300 ns". "×" and "%" follow the number without a space; any other unit
// is kept as it is, after a space: "12 threads".
func Format(v float64, unit string) string {
	switch unit {
	case "":
		return Number(v)
	case "×", "%":
		return Number(v) + unit
	}
	sc, i, rest, ok := parse(unit)
	if !ok {
		return Number(v) + " " + unit
	}
	base := v * sc.factors[i]
	j := sc.pick(base)
	return notation(base/sc.factors[j], digits) + " " + sc.names[j] + rest
}

// Scale returns the divisor that brings figures in unit, whose largest
// magnitude is max, into the unit Format would print max in, and that
// unit: Scale(17000, "ns/op") is 1000, "µs/op". An axis divides its values
// by div and is labelled with the unit, so that its largest tick reads as a
// value printed elsewhere does. Units Format does not rescale come back
// unchanged with a divisor of 1.
func Scale(max float64, unit string) (div float64, scaled string) {
	sc, i, rest, ok := parse(unit)
	if !ok {
		return 1, unit
	}
	j := sc.pick(math.Abs(max) * sc.factors[i])
	return sc.factors[j] / sc.factors[i], sc.names[j] + rest
}

// family is a set of units of one quantity, smallest first.
type family struct {
	names   []string
	factors []float64 // in the smallest unit
}

var families = []family{
	{[]string{"ns", "µs", "ms", "s"}, []float64{1, 1e3, 1e6, 1e9}},
	{[]string{"B", "KiB", "MiB", "GiB", "TiB"}, []float64{1, 1 << 10, 1 << 20, 1 << 30, 1 << 40}},
}

// aliases are other spellings of units of the families: "us" for those who
// type ASCII, and the Greek mu, which looks the same as the micro sign.
var aliases = map[string]string{"us": "µs", "μs": "µs"}

// parse splits unit into a unit of a family, whose index in the family it
// returns, and the rest ("/op", " resident").
func parse(unit string) (f family, i int, rest string, ok bool) {
	sym := unit
	if k := strings.IndexAny(unit, "/ "); k >= 0 {
		sym, rest = unit[:k], unit[k:]
	}
	if a, ok := aliases[sym]; ok {
		sym = a
	}
	for _, f := range families {
		for i, n := range f.names {
			if n == sym {
				return f, i, rest, true
			}
		}
	}
	return family{}, 0, "", false
}

// pick returns the index of the unit to print base (in the smallest unit)
// in: the largest of which it is at least one once rounded to three digits,
// so that 999.7 ns becomes 1 µs rather than 1000 ns.
func (f family) pick(base float64) int {
	a := math.Abs(base)
	if math.IsNaN(a) || math.IsInf(a, 0) {
		return 0
	}
	j := 0
	for j+1 < len(f.factors) && a >= f.factors[j+1] {
		j++
	}
	if j+1 < len(f.factors) && round(a/f.factors[j]) >= f.factors[j+1]/f.factors[j] {
		j++
	}
	return j
}

// round rounds v to three significant digits.
func round(v float64) float64 {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'e', digits-1, 64), 64)
	return r
}

// notation writes v rounded to n significant digits (all that are needed
// to read v back when n < 0): plain decimals with grouped thousands, or a
// short exponent for magnitudes outside [10^minExp, 10^maxExp).
func notation(v float64, n int) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0:
		return "0"
	}
	prec := -1
	if n > 0 {
		prec = n - 1
	}
	// The exponent form gives the rounded digits and the magnitude
	// without any arithmetic on floats: "-9.50e+03".
	s := strconv.FormatFloat(v, 'e', prec, 64)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	mant, e, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(e)
	d := strings.TrimRight(strings.Replace(mant, ".", "", 1), "0")
	if d == "" {
		d = "0"
	}
	if exp < minExp || exp >= maxExp {
		m := d[:1]
		if len(d) > 1 {
			m += "." + d[1:]
		}
		return sign + m + "e" + strconv.Itoa(exp)
	}
	var whole, frac string
	switch {
	case exp < 0:
		whole, frac = "0", strings.Repeat("0", -exp-1)+d
	case len(d) <= exp+1:
		whole = d + strings.Repeat("0", exp+1-len(d))
	default:
		whole, frac = d[:exp+1], d[exp+1:]
	}
	out := sign + group(whole)
	if frac != "" {
		out += "." + frac
	}
	return out
}

// group inserts commas between groups of three digits of the unsigned
// integer s: "1234567" becomes "1,234,567".
func group(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
