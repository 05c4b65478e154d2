package units

import (
	"math"
	"testing"
)

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{math.Copysign(0, -1), "0"},
		{9.5, "9.5"},
		{9.504, "9.5"},
		{9.506, "9.51"},
		{0.35, "0.35"},
		{14.2, "14.2"},
		{56.6667, "56.7"},
		{312.4, "312"},
		{999.6, "1,000"},
		{18437.2, "18,400"},
		{-2.5, "-2.5"},
		{-1234.5, "-1,230"},
		{0.00012, "0.00012"},
		{0.0001, "0.0001"},
		{0.0000304, "3.04e-5"},
		{3e-7, "3e-7"},
		{1.5e15, "1.5e15"},
		// Whole numbers are counts: all their digits.
		{17, "17"},
		{1800, "1,800"},
		{1048576, "1,048,576"},
		{-63432, "-63,432"},
		{1e15, "1e15"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
	} {
		if got := Number(tc.v); got != tc.want {
			t.Errorf("Number(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestExact(t *testing.T) {
	tenth := 0.1 // a variable: constant arithmetic would be exact
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{1, "1"},
		{2.5, "2.5"},
		{tenth + 2*tenth, "0.30000000000000004"},
		{3.1416, "3.1416"},
		{194500, "194,500"},
		{1e6, "1,000,000"},
		{1025.125, "1,025.125"},
		{0.001, "0.001"},
		{1e-5, "1e-5"},
		{-0.25, "-0.25"},
		{1e21, "1e21"},
	} {
		if got := Exact(tc.v); got != tc.want {
			t.Errorf("Exact(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0"}, {999, "999"}, {1000, "1,000"}, {-1000, "-1,000"}, {1 << 62, "4,611,686,018,427,387,904"},
	} {
		if got := Count(tc.n); got != tc.want {
			t.Errorf("Count(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		unit string
		want string
	}{
		// Durations: the largest unit of which the value is at least one.
		{0, "ns", "0 ns"},
		{0.35, "ns", "0.35 ns"},
		{180, "ns", "180 ns"},
		{999, "ns", "999 ns"},
		{999.7, "ns", "1 µs"},
		{1000, "ns", "1 µs"},
		{9500, "ns", "9.5 µs"},
		{17000, "ns", "17 µs"},
		{17123, "ns", "17.1 µs"},
		{2.5e8, "ns", "250 ms"},
		{3.2e9, "ns", "3.2 s"},
		{1.5e12, "ns", "1,500 s"},
		{-9500, "ns", "-9.5 µs"},
		// Already scaled units are rescaled by the same rule.
		{0.3, "µs", "300 ns"},
		{0.3, "us", "300 ns"},
		{0.3, "μs", "300 ns"}, // Greek mu
		{17, "µs", "17 µs"},
		{250, "ms", "250 ms"},
		{0.01, "s", "10 ms"},
		// Denominators and words after the unit are kept.
		{9500, "ns/switch", "9.5 µs/switch"},
		{312, "ns/op", "312 ns/op"},
		{4300, "B/unit", "4.2 KiB/unit"},
		{4.2, "KiB resident", "4.2 KiB resident"},
		// Bytes, binary.
		{512, "B", "512 B"},
		{1023, "B", "1,020 B"},
		{1024, "B", "1 KiB"},
		{2560, "B", "2.5 KiB"},
		{1048575, "B", "1,020 KiB"},
		{8 << 20, "B", "8 MiB"},
		{2048, "KiB", "2 MiB"},
		{3 << 40, "B", "3 TiB"},
		// Ratios and percentages follow the number.
		{56.6667, "×", "56.7×"},
		{57, "×", "57×"},
		{95.7, "%", "95.7%"},
		// Other units are kept, after a space; counts stay whole.
		{63432, "at most", "63,432 at most"},
		{0.98, "threads added per goroutine", "0.98 threads added per goroutine"},
		{12345.6, "req/s", "12,300 req/s"},
		{8, "MB", "8 MB"},
		{2.5, "", "2.5"},
		{math.NaN(), "ns", "NaN ns"},
	} {
		if got := Format(tc.v, tc.unit); got != tc.want {
			t.Errorf("Format(%v, %q) = %q, want %q", tc.v, tc.unit, got, tc.want)
		}
	}
}

func TestShorthands(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{Duration(9500), "9.5 µs"},
		{Bytes(2560), "2.5 KiB"},
		{Ratio(8.5), "8.5×"},
		{Level(0.9573), "95.7%"},
		{Level(0.957), "95.7%"},
		{Level(0.94996), "94.9%"},
		{Level(0.95), "95%"},
		{Level(1), "100%"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestScale(t *testing.T) {
	for _, tc := range []struct {
		max    float64
		unit   string
		div    float64
		scaled string
	}{
		{17000, "ns/op", 1e3, "µs/op"},
		{9500, "ns", 1e3, "µs"},
		{999, "ns", 1, "ns"},
		{999.7, "ns", 1e3, "µs"},
		{500, "ns/task/iter", 1, "ns/task/iter"},
		{3e8, "ns", 1e6, "ms"},
		{-3e8, "ns", 1e6, "ms"},
		{0.3, "µs", 1e-3, "ns"},
		{40000, "B/unit", 1024, "KiB/unit"},
		{300 << 20, "B", 1 << 20, "MiB"},
		{0, "B", 1, "B"},
		{1, "threads/goroutine", 1, "threads/goroutine"},
		{100, "×", 1, "×"},
	} {
		div, scaled := Scale(tc.max, tc.unit)
		if div != tc.div || scaled != tc.scaled {
			t.Errorf("Scale(%g, %q) = %g, %q; want %g, %q", tc.max, tc.unit, div, scaled, tc.div, tc.scaled)
		}
	}
}

// A value printed by Format reads as the same value divided by Scale's
// divisor and printed in Scale's unit: an axis and a label agree.
func TestScaleAgreesWithFormat(t *testing.T) {
	for _, v := range []float64{0.5, 180, 999.4, 999.7, 9500, 2.5e8, 1e13} {
		div, unit := Scale(v, "ns")
		if got, want := notation(v/div, digits)+" "+unit, Format(v, "ns"); got != want {
			t.Errorf("%g ns: scaled to %s, Format says %s", v, got, want)
		}
	}
}
