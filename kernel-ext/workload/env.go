package workload

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// Env is the environment a result was measured in.
type Env struct {
	GoVersion     string `json:"go_version"`        // runtime.Version()
	GOOS          string `json:"goos"`              // runtime.GOOS
	GOARCH        string `json:"goarch"`            // runtime.GOARCH
	CPUModel      string `json:"cpu_model"`         // "model name" of /proc/cpuinfo
	NumCPU        int    `json:"num_cpu"`           // runtime.NumCPU(): CPUs this process may use
	GOMAXPROCS    int    `json:"gomaxprocs"`        // at the start of the run; series record their own
	KernelRelease string `json:"kernel_release"`    // uname -r
	GODEBUG       string `json:"godebug,omitempty"` // the GODEBUG environment variable
	// CgoEnabled is the binary's CGO_ENABLED build setting. With cgo the
	// runtime creates threads with pthread_create (8 MiB stack mappings
	// by default), without it with clone(2) directly.
	CgoEnabled string    `json:"cgo_enabled,omitempty"`
	Time       time.Time `json:"time"` // when the run started, UTC
}

// CurrentEnv describes the running process and machine: Go version,
// GOOS/GOARCH, the CPU model from /proc/cpuinfo, runtime.NumCPU, the current
// GOMAXPROCS, the kernel release from uname(2) and GODEBUG.
func CurrentEnv() Env {
	e := Env{
		GoVersion:  runtime.Version(),
		GOOS:       runtime.GOOS,
		GOARCH:     runtime.GOARCH,
		NumCPU:     runtime.NumCPU(),
		GOMAXPROCS: gomaxprocs(),
		GODEBUG:    os.Getenv("GODEBUG"),
		Time:       time.Now().UTC(),
	}
	var u unix.Utsname
	if err := unix.Uname(&u); err == nil {
		e.KernelRelease = unix.ByteSliceToString(u.Release[:])
	}
	e.CPUModel = cpuModel()
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, st := range bi.Settings {
			if st.Key == "CGO_ENABLED" {
				e.CgoEnabled = st.Value
			}
		}
	}
	return e
}

func gomaxprocs() int { return runtime.GOMAXPROCS(0) }

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		switch strings.TrimSpace(k) {
		case "model name", "Processor", "cpu model", "uarch":
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Threads returns the number of threads of this process, from the kernel's
// own accounting (the Threads: line of /proc/self/status).
func Threads() (int, error) {
	v, err := procStatusField("/proc/self/status", "Threads")
	if err != nil {
		return 0, err
	}
	return int(v), nil
}

// ProcMemory is the process's memory as the kernel accounts it
// (/proc/self/status), in bytes.
type ProcMemory struct {
	RSS  int64 `json:"rss"`   // VmRSS: resident memory
	Size int64 `json:"size"`  // VmSize: mapped address space
	Data int64 `json:"data"`  // VmData: private data + stacks
	Stk  int64 `json:"stack"` // VmStk: the main thread's stack
}

// ReadProcMemory reads ProcMemory from /proc/self/status.
func ReadProcMemory() (ProcMemory, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ProcMemory{}, fmt.Errorf("workload: read memory: %w", err)
	}
	var m ProcMemory
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"VmRSS", &m.RSS}, {"VmSize", &m.Size}, {"VmData", &m.Data}, {"VmStk", &m.Stk}} {
		v, err := statusField(b, f.name)
		if err != nil {
			return ProcMemory{}, fmt.Errorf("workload: read memory: %w", err)
		}
		*f.dst = v * 1024 // the kernel reports kB
	}
	return m, nil
}

// kernelStack returns the system-wide KernelStack of /proc/meminfo in bytes:
// thread kernel stacks are not in any process's RSS, so this is the only
// place they can be seen (system-wide, hence noisy).
func kernelStack() int64 {
	v, err := procStatusField("/proc/meminfo", "KernelStack")
	if err != nil {
		return 0
	}
	return v * 1024
}

func memAvailable() (int64, error) {
	v, err := procStatusField("/proc/meminfo", "MemAvailable")
	return v * 1024, err
}

func procStatusField(path, name string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("workload: %w", err)
	}
	v, err := statusField(b, name)
	if err != nil {
		return 0, fmt.Errorf("workload: %s: %w", path, err)
	}
	return v, nil
}

// statusField parses "Name:   123 kB" lines as found in /proc/*/status and
// /proc/meminfo; the unit, if any, is left to the caller.
func statusField(b []byte, name string) (int64, error) {
	prefix := []byte(name + ":")
	for line := range bytes.Lines(b) {
		if !bytes.HasPrefix(line, prefix) {
			continue
		}
		fields := strings.Fields(string(line[len(prefix):]))
		if len(fields) == 0 {
			break
		}
		return strconv.ParseInt(fields[0], 10, 64)
	}
	return 0, fmt.Errorf("no %s field", name)
}

// Placement says where an experiment's locked threads may run.
type Placement string

const (
	// PlacementFree leaves placement to the OS scheduler. On VMs, waking a
	// thread on another CPU costs ~10x a same-CPU wake-up, and unpinned
	// figures swing between the two from run to run.
	PlacementFree Placement = "free"
	// PlacementSameCPU pins every thread of the variant to one CPU, so each
	// switch is a same-CPU wake-up (the seed's "pinned" figure).
	PlacementSameCPU Placement = "same-cpu"
	// PlacementSpread pins thread i to CPU i mod (allowed CPUs), so partners
	// wake each other across CPUs when more than one CPU is allowed.
	PlacementSpread Placement = "spread"
)

// pinSelf pins the calling thread according to p; i is the thread's index in
// its variant. The caller must have locked its OS thread and must exit
// locked, so that the runtime destroys the thread and its affinity never
// leaks to goroutines scheduled later on it.
func pinSelf(p Placement, i int, allowed []int) error {
	if p == PlacementFree || p == "" || len(allowed) == 0 {
		return nil
	}
	cpu := allowed[0]
	if p == PlacementSpread {
		cpu = allowed[i%len(allowed)]
	}
	var set unix.CPUSet
	set.Set(cpu)
	if err := unix.SchedSetaffinity(0, &set); err != nil {
		return fmt.Errorf("workload: pin thread to CPU %d: %w", cpu, err)
	}
	return nil
}

// allowedCPUs lists the CPUs this process may run on.
func allowedCPUs() []int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil
	}
	var cpus []int
	for i := 0; i < len(set)*64 && len(cpus) < set.Count(); i++ {
		if set.IsSet(i) {
			cpus = append(cpus, i)
		}
	}
	return cpus
}

// lastCPU returns the CPU the calling thread last ran on (field 39 of
// /proc/thread-self/stat), or -1.
func lastCPU() int {
	b, err := os.ReadFile("/proc/thread-self/stat")
	if err != nil {
		return -1
	}
	// The command name (field 2) may contain spaces; count from after ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3, so field 39 is f[36].
	if len(f) < 37 {
		return -1
	}
	n, err := strconv.Atoi(f[36])
	if err != nil {
		return -1
	}
	return n
}

// checkPlacement validates a placement value.
func checkPlacement(p Placement) error {
	switch p {
	case PlacementFree, PlacementSameCPU, PlacementSpread:
		return nil
	}
	return fmt.Errorf("workload: unknown placement %q (want %q, %q or %q)", p, PlacementFree, PlacementSameCPU, PlacementSpread)
}

func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}
