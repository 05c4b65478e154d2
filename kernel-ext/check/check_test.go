package check

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// failure runs f and returns the message of the check it failed, or "" when
// it passed.
func failure(t *testing.T, f func()) string {
	t.Helper()
	p, panicked := try(f)
	if !panicked {
		return ""
	}
	fl, ok := p.(*Failure)
	if !ok {
		t.Fatalf("panicked with %T %v, want a *Failure", p, p)
	}
	return fl.Error()
}

func TestChecks(t *testing.T) {
	type point struct{ X, Y int }
	release := make(chan struct{}) // lets the goroutine of a Within that timed out end
	defer close(release)
	tests := []struct {
		name string
		f    func()
		want string // "" when the check passes; else a substring of the error
	}{
		{"equal ints", func() { Equal("n", 3, 3) }, ""},
		{"equal mixed numbers", func() { Equal("n", int64(3), 3.0) }, ""},
		{"equal strings", func() { Equal("s", "a", "a") }, ""},
		{"equal slices", func() { Equal("s", []int{1, 2}, []int{1, 2}) }, ""},
		{"equal structs", func() { Equal("p", point{1, 2}, point{1, 2}) }, ""},
		{"unequal ints", func() { Equal("Sum(1, 2)", 4, 3) }, "CheckFailed: Sum(1, 2): got 4, want 3"},
		{"unequal strings", func() { Equal("name", "bob", "alice") }, `got "bob", want "alice"`},
		{"same text other type", func() { Equal("x", "3", 3) }, `got "3", want 3`},
		{"unequal slices", func() { Equal("s", []int{1}, []int{1, 2}) }, "got [1], want [1 2]"},
		{"nil", func() { Equal("err", errors.New("boom"), nil) }, `got error "boom", want nil`},
		{"long value cut", func() { Equal("s", strings.Repeat("x", 500), "") }, "…"},
		{"not equal ok", func() { NotEqual("count", 10, 9) }, ""},
		{"not equal bad", func() { NotEqual("count", 9, 9) }, "got 9, which is the wrong answer"},
		{"true", func() { True("sorted", true, "a sorted slice") }, ""},
		{"false", func() { True("sorted", false, "a sorted slice") }, "sorted: expected a sorted slice"},
		{"near", func() { Near("pi", 3.14, 3.1416, 0.01) }, ""},
		{"not near", func() { Near("pi", 3, 3.1416, 0.01) }, "got 3, want 3.1416 ± 0.01"},
		{"large numbers grouped", func() { Near("n", 195000, 194500, 1) }, "got 195,000, want 194,500 ± 1"},
		{"every digit kept", func() { x := 0.1; Equal("sum", x+2*x, 0.3) }, "got 0.30000000000000004, want 0.3"},
		{"ints grouped", func() { Equal("count", 1000000, 999999) }, "got 1,000,000, want 999,999"},
		{"NaN is not near", func() { Near("x", nan(), 0, 1) }, "got NaN"},
		{"less", func() { Less("t", 1, 2) }, ""},
		{"not less", func() { Less("t", 2, 2) }, "got 2, want less than 2"},
		{"at most", func() { AtMost("t", 2, 2) }, ""},
		{"not at most", func() { AtMost("t", 2.5, 2) }, "got 2.5, want at most 2"},
		{"greater", func() { Greater("t", 3, 2) }, ""},
		{"not greater", func() { Greater("t", 2, 2) }, "want more than 2"},
		{"at least", func() { AtLeast("speed-up", 1.5, 1.5) }, ""},
		{"not at least", func() { AtLeast("speed-up", 0.9, 1.5) }, "speed-up: got 0.9, want at least 1.5"},
		{"between", func() { Between("x", 2, 1, 3) }, ""},
		{"not between", func() { Between("x", 4, 1, 3) }, "got 4, want between 1 and 3"},
		{"no error", func() { NoError("open", nil) }, ""},
		{"error", func() { NoError("open", errors.New("no such file")) }, "open: unexpected error: no such file"},
		{"is error", func() { IsError("open", errors.New("x")) }, ""},
		{"is not error", func() { IsError("open", nil) }, "expected an error, got nil"},
		{"panics", func() { Panics("f", func() { panic("x") }) }, ""},
		{"does not panic", func() { Panics("f", func() {}) }, "f: expected a panic, but it returned normally"},
		{"no panic", func() { NoPanic("f", func() {}) }, ""},
		{"panic", func() { NoPanic("f", func() { panic("index out of range") }) }, "f: panicked: index out of range"},
		{"runtime panic", func() { NoPanic("f", func() { var m map[string]int; m["a"] = 1 }) }, "panicked: assignment to entry in nil map"},
		{"nested failure", func() { NoPanic("f", func() { Equal("n", 1, 2) }) }, "CheckFailed: n: got 1, want 2"},
		{"failure within", func() { Within("f", time.Second, func() { Equal("n", 1, 2) }) }, "CheckFailed: n: got 1, want 2"},
		{"within", func() { Within("f", time.Second, func() {}) }, ""},
		{"too slow", func() { Within("wg.Wait()", 10*time.Millisecond, func() { <-release }) }, "wg.Wait(): did not finish within 10ms"},
		{"panic within", func() { Within("f", time.Second, func() { panic("boom") }) }, "f: panicked: boom"},
		{"goroutines", func() { Goroutines("g", 5, 6, 1) }, ""},
		{"leaked goroutines", func() { Goroutines("after Fetch", 5, 15, 1) }, "goroutines left running: 10 (5 before, 15 after; at most 1 may be left)"},
		{"fail", func() { Fail("x", "want %d", 3) }, "CheckFailed: x: want 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := failure(t, tt.f)
			switch {
			case tt.want == "" && got != "":
				t.Errorf("failed with %q, want it to pass", got)
			case tt.want != "" && got == "":
				t.Errorf("passed, want a failure containing %q", tt.want)
			case !strings.Contains(got, tt.want):
				t.Errorf("failed with %q, want it to contain %q", got, tt.want)
			case got != "" && !strings.HasPrefix(got, Prefix):
				t.Errorf("failed with %q, want the prefix %q", got, Prefix)
			}
		})
	}
}

func nan() float64 {
	var zero float64
	return zero / zero
}

func TestNoLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	stop := make(chan struct{})
	for range 3 {
		go func() { <-stop }()
	}
	msg := failure(t, func() { NoLeak("blocked", before, 0) })
	if !strings.Contains(msg, "goroutines left running") {
		t.Errorf("with 3 blocked goroutines: %q", msg)
	}
	close(stop)
	if msg := failure(t, func() { NoLeak("released", before, 0) }); msg != "" {
		t.Errorf("after the goroutines were released: %q", msg)
	}
}
