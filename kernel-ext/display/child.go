package display

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

// childFDsEnv names the variable through which goconc's worker hands a
// native cell's program (compiled with the Go toolchain, run as a child
// of the worker) two pipes for its displays: "OUT,ACK". Displays then
// travel as the worker's own do, in frames the worker decodes as
// workerproto events, and each waits for the worker's acknowledgement, so
// output printed after a display cannot overtake it. The name is
// internal/native.DisplayFDsEnv; package display must not import the
// kernel's packages, so it is written twice.
const childFDsEnv = "GOCONC_DISPLAY_FDS"

func init() {
	v, ok := os.LookupEnv(childFDsEnv)
	if !ok {
		return
	}
	// Processes the program starts must not inherit the pipes or the
	// variable.
	os.Unsetenv(childFDsEnv)
	outFD, ackFD, ok := strings.Cut(v, ",")
	if !ok {
		return
	}
	o, err1 := strconv.Atoi(outFD)
	a, err2 := strconv.Atoi(ackFD)
	if err1 != nil || err2 != nil {
		return
	}
	var st syscall.Stat_t
	if syscall.Fstat(o, &st) != nil || syscall.Fstat(a, &st) != nil {
		return
	}
	syscall.CloseOnExec(o)
	syscall.CloseOnExec(a)
	SetPublisher(&framePublisher{out: os.NewFile(uintptr(o), "goconc-display"), ack: os.NewFile(uintptr(a), "goconc-display-ack")})
}

// framePublisher writes displays as frames: a 4-byte big-endian length
// and a JSON event, as package workerproto encodes them.
type framePublisher struct {
	mu       sync.Mutex
	out, ack *os.File
	broken   bool
}

type frameEvent struct {
	Kind    string        `json:"kind"`
	Display *repl.Display `json:"display,omitempty"`
	Wait    bool          `json:"wait,omitempty"`
}

func (p *framePublisher) Display(d repl.Display) {
	p.send(frameEvent{Kind: "display", Display: &d})
}

func (p *framePublisher) ClearOutput(wait bool) {
	p.send(frameEvent{Kind: "clear_output", Wait: wait})
}

func (p *framePublisher) send(ev frameEvent) {
	body, err := json.Marshal(ev)
	if err != nil {
		return
	}
	frame := make([]byte, 4+len(body))
	binary.BigEndian.PutUint32(frame, uint32(len(body)))
	copy(frame[4:], body)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.broken {
		return
	}
	var one [1]byte
	if _, err := p.out.Write(frame); err != nil {
		p.broken = true
		return
	}
	if _, err := p.ack.Read(one[:]); err != nil {
		p.broken = true
	}
}
