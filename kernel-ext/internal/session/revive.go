package session

import (
	"reflect"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/traefik/yaegi/interp"
)

// yaegi v0.16.1 stops interpreted code by incrementing a run id that every
// frame compares with its own at each step. A function literal keeps a
// copy of the frame it was evaluated in, id included, so after an
// interrupt every closure made before it returns zero values at once,
// whether interpreted or native code calls it: a cell's f := func() {…}
// silently stops working. Once the interrupted code has stopped, putting
// the id back revives those closures. It would also revive an interpreted
// goroutine that has not yet seen the stop (one asleep in a native call,
// say), which the interrupt must stop: the id goes back only when no
// goroutine runs interpreted code any more.

// runID gives access to the interpreter's run id, nil when the field is
// not where v0.16.1 has it.
func runID(i *interp.Interpreter) *uint64 {
	f := reflect.ValueOf(i).Elem().FieldByName("id")
	if !f.IsValid() || f.Kind() != reflect.Uint64 {
		return nil
	}
	return (*uint64)(unsafe.Pointer(f.UnsafeAddr()))
}

// yaegiFrame marks the goroutines that run interpreted code.
var yaegiFrame = []byte("github.com/traefik/yaegi/interp.")

// waitNoInterpreted waits up to limit for every goroutine running
// interpreted code to end, and reports whether they did.
func waitNoInterpreted(limit time.Duration) bool {
	return waitGone(yaegiFrame, limit, 20*time.Millisecond)
}

// revive puts the run id back to before, the value it had before an
// interrupted run, if no interpreted code runs any more; it reports
// whether it did.
func (s *Session) revive(before uint64) bool {
	if s.runID == nil || !waitNoInterpreted(reviveLimit) {
		return false
	}
	atomic.StoreUint64(s.runID, before)
	return true
}

// reviveLimit bounds how long an interrupt waits for interpreted
// goroutines to notice it before giving up reviving closures.
const reviveLimit = 200 * time.Millisecond
