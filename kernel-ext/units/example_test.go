package units_test

import (
	"fmt"
	"time"

	"github.com/goconc/goconc/kernel-ext/units"
)

func Example() {
	fmt.Println(units.Duration(9500))                     // a median in nanoseconds
	fmt.Println(units.Duration(float64(2 * time.Second))) // a time.Duration
	fmt.Println(units.Bytes(8 << 20))
	fmt.Println(units.Format(0.3, "µs"))
	fmt.Println(units.Format(312.4, "ns/op"))
	fmt.Println(units.Ratio(17 / 0.3))
	fmt.Println(units.Count(1048576), "goroutines")
	a, b := 0.1, 0.2
	fmt.Println(units.Exact(a + b))
	// Output:
	// 9.5 µs
	// 2 s
	// 8 MiB
	// 300 ns
	// 312 ns/op
	// 56.7×
	// 1,048,576 goroutines
	// 0.30000000000000004
}

// An axis takes the unit of its largest value: its values are divided by
// div and its label names the scaled unit.
func ExampleScale() {
	samples := []float64{180, 950, 9500} // ns per switch
	div, unit := units.Scale(9500, "ns/switch")
	for _, v := range samples {
		fmt.Print(units.Exact(v/div), " ")
	}
	fmt.Println(unit)
	// Output: 0.18 0.95 9.5 µs/switch
}
