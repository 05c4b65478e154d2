package session

import (
	"bytes"
	"runtime"
	"strconv"
	"time"
)

// yaegi's EvalWithContext returns as soon as its context is cancelled,
// while the goroutine it started to run the program goes on until the
// interpreted code notices the stop (the next step) or a native call it is
// in returns. Evaluating the next cell meanwhile is a data race inside the
// interpreter. yaegi offers no way to wait for that goroutine, so after an
// interrupt the session looks for it in the goroutine dump (it is "created
// by EvalWithContext in goroutine N", N being the caller) and waits, within
// limits, for it to end.

// waitLeftover waits up to limit for the goroutine that caller's call of
// EvalWithContext started to end, and reports whether it did.
func waitLeftover(caller uint64, limit time.Duration) bool {
	marker := []byte("interp.(*Interpreter).EvalWithContext in goroutine " + strconv.FormatUint(caller, 10) + "\n")
	return waitGone(marker, limit, 50*time.Millisecond)
}

// waitGone waits up to limit for marker to leave every goroutine's stack,
// looking again after a delay that doubles up to maxDelay, and reports
// whether it left.
func waitGone(marker []byte, limit, maxDelay time.Duration) bool {
	deadline := time.Now().Add(limit)
	buf := make([]byte, 1<<16)
	for delay := time.Millisecond; ; delay = min(2*delay, maxDelay) {
		buf = stackDump(buf[:cap(buf)], true)
		if !bytes.Contains(buf, marker) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(delay)
	}
}

// stackDump returns the stack dump of the calling goroutine, or of all
// goroutines, in buf or in a larger buffer if it does not fit.
func stackDump(buf []byte, all bool) []byte {
	for {
		n := runtime.Stack(buf, all)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// goroutineID returns the id of the calling goroutine, from the header of
// its stack dump ("goroutine 96 [running]:").
func goroutineID() uint64 {
	var buf [64]byte
	n := runtime.Stack(buf[:], false)
	fields := bytes.Fields(buf[:n])
	if len(fields) < 2 {
		return 0
	}
	id, _ := strconv.ParseUint(string(fields[1]), 10, 64)
	return id
}

// evalCreator starts the last line of the stack dump of a goroutine that
// yaegi's EvalWithContext started.
var evalCreator = []byte("\ncreated by github.com/traefik/yaegi/interp.(*Interpreter).EvalWithContext in goroutine ")

// createdByEval reports whether the calling goroutine is one that yaegi's
// EvalWithContext started to run a program.
func createdByEval() bool {
	buf := stackDump(make([]byte, 1<<14), false)
	// The creator is the last line but its "\tfile:line" one; only the
	// last "created by" counts.
	i := bytes.LastIndex(buf, []byte("\ncreated by "))
	return i >= 0 && bytes.HasPrefix(buf[i:], evalCreator)
}
