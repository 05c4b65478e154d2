// Package check holds the checks of graded test cells: small functions that
// compare what a student's code did with what was expected and, when it
// differs, end the cell with a message that says both.
//
// A failed check panics with a *Failure. The kernel reports the panic as the
// cell's error, whose value starts with "CheckFailed: " and goes on with the
// message, e.g.
//
//	panic: CheckFailed: Sum(1, 2): got 4, want 3
//	    in the cell at 3:1
//
// so that a student sees what went wrong without a Go stack, and a grader
// (goconc grade, or nbgrader, which counts any error output as a failed
// test) scores the cell as failed. A check that passes prints nothing.
//
// Every check takes first a short description of what is checked (what),
// which starts the message; write it as the student would recognise the
// thing: "Sum(1, 2)", "goroutines after Fetch", "speed-up with 4 workers".
//
// Checks must be called from the cell's own goroutine: a check that fails in
// a goroutine the cell started panics there, and a panic in a goroutine ends
// the whole worker process. Run code that may block or panic through Within,
// Panics or NoPanic instead.
package check

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"time"

	"github.com/goconc/goconc/kernel-ext/units"
)

// Prefix starts the error value of a cell that a check failed.
const Prefix = "CheckFailed: "

// Failure is the panic value of a failed check.
type Failure struct {
	// What is the description the check was given.
	What string
	// Message says what was expected and what was seen.
	Message string
}

// Error returns Prefix, What and Message: "CheckFailed: what: message".
func (f *Failure) Error() string {
	if f.What == "" {
		return Prefix + f.Message
	}
	return Prefix + f.What + ": " + f.Message
}

// fail ends the calling cell with a Failure.
func fail(what, format string, args ...any) {
	panic(&Failure{What: what, Message: fmt.Sprintf(format, args...)})
}

// Fail ends the cell with a failure whose message is written like
// fmt.Sprintf(format, args...), for checks the other functions do not
// cover.
func Fail(what, format string, args ...any) {
	fail(what, format, args...)
}

// True checks that ok holds; expected says, in words, what should have
// been true ("the result is sorted").
func True(what string, ok bool, expected string) {
	if !ok {
		fail(what, "expected %s, but it was not so", expected)
	}
}

// Equal checks that got equals want. Numbers compare by value whatever
// their types (int 3 equals int64 3 and float64 3.0); other values compare
// with reflect.DeepEqual.
func Equal(what string, got, want any) {
	if equal(got, want) {
		return
	}
	msg := fmt.Sprintf("got %s, want %s", show(got), show(want))
	if gt, wt := reflect.TypeOf(got), reflect.TypeOf(want); gt != wt && gt != nil && wt != nil && show(got) == show(want) {
		msg += fmt.Sprintf(" (a %v where a %v was expected)", gt, wt)
	}
	fail(what, "%s", msg)
}

// NotEqual checks that got differs from bad, a value known to be wrong
// (for instance the result of the unfixed code).
func NotEqual(what string, got, bad any) {
	if equal(got, bad) {
		fail(what, "got %s, which is the wrong answer this check is about", show(got))
	}
}

// Near checks that got is within tol of want: |got - want| <= tol.
func Near(what string, got, want, tol float64) {
	if !(math.Abs(got-want) <= tol) {
		fail(what, "got %s, want %s ± %s", num(got), num(want), num(tol))
	}
}

// Less checks that got < limit.
func Less(what string, got, limit float64) {
	if !(got < limit) {
		fail(what, "got %s, want less than %s", num(got), num(limit))
	}
}

// AtMost checks that got <= limit.
func AtMost(what string, got, limit float64) {
	if !(got <= limit) {
		fail(what, "got %s, want at most %s", num(got), num(limit))
	}
}

// Greater checks that got > limit.
func Greater(what string, got, limit float64) {
	if !(got > limit) {
		fail(what, "got %s, want more than %s", num(got), num(limit))
	}
}

// AtLeast checks that got >= limit.
func AtLeast(what string, got, limit float64) {
	if !(got >= limit) {
		fail(what, "got %s, want at least %s", num(got), num(limit))
	}
}

// Between checks that lo <= got <= hi.
func Between(what string, got, lo, hi float64) {
	if !(lo <= got && got <= hi) {
		fail(what, "got %s, want between %s and %s", num(got), num(lo), num(hi))
	}
}

// NoError checks that err is nil.
func NoError(what string, err error) {
	if err != nil {
		fail(what, "unexpected error: %v", err)
	}
}

// IsError checks that err is not nil: the code was expected to report a
// failure.
func IsError(what string, err error) {
	if err == nil {
		fail(what, "expected an error, got nil")
	}
}

// Panics checks that f panics.
func Panics(what string, f func()) {
	if _, panicked := try(f); !panicked {
		fail(what, "expected a panic, but it returned normally")
	}
}

// NoPanic checks that f returns without panicking, and reports the panic
// value when it does not. f runs on the caller's goroutine: a panic in a
// goroutine f starts is not caught (use Within, whose f runs on a
// goroutine of its own, for code that may panic before it returns).
func NoPanic(what string, f func()) {
	if p, panicked := try(f); panicked {
		failed(what, p)
	}
}

// failed ends the cell for a panic of f: a check that failed inside f is
// passed on as it is, any other panic is reported as such.
func failed(what string, p any) {
	if f, ok := p.(*Failure); ok {
		panic(f)
	}
	fail(what, "panicked: %s", panicText(p))
}

// try runs f and tells whether it panicked, and with what.
func try(f func()) (p any, panicked bool) {
	panicked = true
	defer func() {
		if panicked {
			p = recover()
		}
	}()
	f()
	panicked = false
	return nil, false
}

// panicText renders a recovered panic value.
func panicText(p any) string {
	if e, ok := p.(error); ok {
		return e.Error()
	}
	return fmt.Sprint(p)
}

// Within checks that f returns within timeout, without panicking. f runs on
// a goroutine of its own; when it overruns, that goroutine is left running
// (Go cannot stop it) and the check fails with a hint at the usual causes.
func Within(what string, timeout time.Duration, f func()) {
	done := make(chan any, 1)
	go func() {
		p, panicked := try(f)
		if !panicked {
			p = nil
		} else if p == nil {
			p = "panic(nil)"
		}
		done <- p
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case p := <-done:
		if p != nil {
			failed(what, p)
		}
	case <-t.C:
		fail(what, "did not finish within %v: is something waiting for a value that never comes (a deadlock, a missing close or wg.Done), or is it just too slow?", timeout)
	}
}

// Goroutines checks that no more than slack goroutines were left over:
// after, the count of goroutines (runtime.NumGoroutine) after the code
// under test ran, must be at most before + slack. See also NoLeak, which
// counts after itself and gives exiting goroutines time to end.
func Goroutines(what string, before, after, slack int) {
	if after > before+slack {
		fail(what, "goroutines left running: %d (%d before, %d after; at most %d may be left): are they blocked on a channel nobody reads or closes?",
			after-before, before, after, slack)
	}
}

// LeakWait is how long NoLeak waits for goroutines to end.
const LeakWait = 2 * time.Second

// NoLeak checks that the goroutines the code under test started have
// ended: it waits up to LeakWait for runtime.NumGoroutine() to come down
// to before + slack, where before is runtime.NumGoroutine() taken before
// the code under test ran.
func NoLeak(what string, before, slack int) {
	deadline := time.Now().Add(LeakWait)
	n := runtime.NumGoroutine()
	for n > before+slack && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	Goroutines(what, before, n, slack)
}

// equal compares numbers by value and anything else deeply.
func equal(got, want any) bool {
	if g, ok := toFloat(got); ok {
		if w, ok := toFloat(want); ok {
			return g == w
		}
	}
	return reflect.DeepEqual(got, want)
}

// toFloat converts a value of any integer or floating-point kind.
func toFloat(v any) (float64, bool) {
	r := reflect.ValueOf(v)
	switch r.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(r.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(r.Uint()), true
	case reflect.Float32, reflect.Float64:
		return r.Float(), true
	}
	return 0, false
}

// maxShow bounds a value quoted in a message: a failure about a slice of a
// million elements must stay readable.
const maxShow = 200

// show renders v for a message: strings quoted, the rest as %v, cut short
// when long.
func show(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		s = "nil"
	case string:
		s = fmt.Sprintf("%q", x)
	case float32, float64:
		f, _ := toFloat(x)
		s = num(f)
	case int, int8, int16, int32, int64:
		s = units.Count(int(reflect.ValueOf(x).Int()))
	case error:
		s = fmt.Sprintf("error %q", x.Error())
	default:
		s = fmt.Sprintf("%v", x)
	}
	if len(s) > maxShow {
		s = s[:maxShow] + "…"
	}
	return s
}

// num renders a number as the rest of goconc prints it (package units),
// but with every digit it has: a check that fails on 0.30000000000000004
// against 0.3 must not say "got 0.3, want 0.3".
func num(f float64) string {
	return units.Exact(f)
}
