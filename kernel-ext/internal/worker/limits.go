package worker

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

// MaxDisplay bounds the size of one display or cell value, in bytes of its
// MIME bundle. A larger one is replaced by a note: a front end handed a
// 50 MB HTML string freezes, and the event pipe carries at most 64 MiB.
const MaxDisplay = 8 << 20

// bundleSize returns the size of a MIME bundle as the kernel will send it,
// near enough: strings count their bytes, other values their JSON.
func bundleSize(data map[string]any) int {
	n := 0
	for mime, v := range data {
		n += len(mime)
		if s, ok := v.(string); ok {
			n += len(s)
			continue
		}
		b, err := json.Marshal(v)
		if err != nil {
			continue // the kernel cannot send it either; it reports that
		}
		n += len(b)
	}
	return n
}

// capDisplay returns d, or a plain-text note in its place when d is larger
// than max. The display id is kept, so an update of a display that grew too
// large still replaces the display.
func capDisplay(d repl.Display, max int, what string) repl.Display {
	n := bundleSize(d.Data)
	if n <= max {
		return d
	}
	mimes := slices.Sorted(maps.Keys(d.Data))
	note := fmt.Sprintf("[goconc: %s of %s (%s) not shown: larger than the %s limit of one output; show a summary or write it to a file]",
		what, sizeString(int64(n)), strings.Join(mimes, ", "), sizeString(int64(max)))
	d.Data = map[string]any{"text/plain": note}
	d.Metadata = nil
	return d
}

// maxErrorText bounds the value of an error and each line of its
// traceback: a panic with a 50 MB string must not reach the front end whole.
const maxErrorText = 64 << 10

// capError shortens the text of e in place to maxErrorText per field.
func capError(e *repl.Error) {
	if e == nil {
		return
	}
	e.Value = capText(e.Value)
	for i, l := range e.Traceback {
		e.Traceback[i] = capText(l)
	}
}

// capText cuts s to maxErrorText bytes, on a rune boundary, with a note.
func capText(s string) string {
	if len(s) <= maxErrorText {
		return s
	}
	cut := maxErrorText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… [goconc: %s more not shown]", sizeString(int64(len(s)-cut)))
}

// sizeString writes n bytes for people: 300 MiB, 1.5 GiB, 512 B.
func sizeString(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GiB"
	case n >= 1<<20:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " B"
}

// MemoryLimitEnv names the environment variable that sets the worker's
// memory bound (bytes, or a number with a KiB, MiB or GiB suffix; "off" for
// none). `%restart GOCONC_MEMORY_LIMIT=2GiB` changes it.
const MemoryLimitEnv = "GOCONC_MEMORY_LIMIT"

// parseSize reads a size such as 300MiB, 2GiB, 1.5GB or 1048576.
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}} {
		if v, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(v), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f <= 0 || f*mult > 1<<62 {
		return 0, fmt.Errorf("%q is not a size (examples: 512MiB, 2GiB, 1073741824)", s)
	}
	return int64(f * mult), nil
}

// MemoryLimit returns the memory the worker may use before the running
// cell is stopped, and where that figure comes from: MemoryLimitEnv when
// set, else half the memory available when the worker starts, which
// leaves the machine (and the front end) room. 0 means no limit.
func MemoryLimit() (limit int64, source string, err error) {
	if v, ok := os.LookupEnv(MemoryLimitEnv); ok && strings.TrimSpace(v) != "" {
		if strings.EqualFold(strings.TrimSpace(v), "off") {
			return 0, MemoryLimitEnv + "=off", nil
		}
		n, err := parseSize(v)
		if err != nil {
			return 0, "", fmt.Errorf("worker: %s: %w", MemoryLimitEnv, err)
		}
		return n, MemoryLimitEnv, nil
	}
	avail, err := memAvailable()
	if err != nil {
		return 0, "", nil // no guard rather than a wrong one
	}
	return avail / 2, "half the memory available when the worker started; set " + MemoryLimitEnv + " to change it", nil
}

// memAvailable reads MemAvailable from /proc/meminfo, in bytes.
func memAvailable() (int64, error) {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, fmt.Errorf("read available memory: %w", err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "MemAvailable:"); ok {
			f := strings.Fields(v)
			if len(f) == 0 {
				break
			}
			kb, err := strconv.ParseInt(f[0], 10, 64)
			if err != nil {
				return 0, fmt.Errorf("read available memory: %w", err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("read available memory: no MemAvailable in /proc/meminfo")
}

// memoryInUse returns the memory the Go runtime holds from the OS for this
// process: heap, goroutine stacks and runtime structures, less what it has
// given back.
func memoryInUse(samples []metrics.Sample) int64 {
	metrics.Read(samples)
	var total, released int64
	for _, s := range samples {
		if s.Value.Kind() != metrics.KindUint64 {
			continue
		}
		switch s.Name {
		case "/memory/classes/total:bytes":
			total = int64(s.Value.Uint64())
		case "/memory/classes/heap/released:bytes":
			released = int64(s.Value.Uint64())
		}
	}
	return total - released
}

// memorySamples returns the metrics memoryInUse reads.
func memorySamples() []metrics.Sample {
	return []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
}

// guardSlack is the growth a cell that started above the limit is allowed:
// the runtime's own allocations must not get it stopped.
const guardSlack = 16 << 20

// guardInterval is how often the memory guard looks. A goroutine bomb
// grows by a few MB in that time.
const guardInterval = 100 * time.Millisecond

// guardMemory stops the running cell, as an interrupt does, when the
// worker's memory passes limit, telling the cell why. A cell that started
// above the limit (goroutines of a stopped cell still exiting, say) is
// stopped only if memory grows past where it started. It runs until tick
// is stopped. Before acting it collects garbage and returns free memory to
// the OS (at most once a second), so that garbage alone never stops a cell.
//
// It ticks with an fdTicker, not a time.Ticker, so that a cell's
// measurements do not pay for the guard.
func (s *server) guardMemory(limit int64, source string, tick *fdTicker) {
	samples := memorySamples()
	var lastFree time.Time
	for {
		if tick.wait() != nil {
			return
		}
		used := memoryInUse(samples)
		if used <= limit {
			continue
		}
		s.mu.Lock()
		run := s.run
		s.mu.Unlock()
		if run == nil || used <= run.memStart+guardSlack {
			continue
		}
		if run.ctx.Err() != nil {
			// Stopped, yet still growing: a native call that ignores its
			// context. Past half again the limit the worker ends itself,
			// with the reason, before the kernel's OOM killer picks a
			// victim (perhaps the browser).
			if hard := limit + limit/2; used > hard && s.exit != nil {
				if time.Since(lastFree) > time.Second {
					debug.FreeOSMemory()
					lastFree = time.Now()
					if used = memoryInUse(samples); used <= hard {
						continue
					}
				}
				fmt.Fprintf(s.stderr, "fatal error: goconc: the worker used %s of memory, half again its limit of %s (%s), after the running cell was told to stop\n",
					sizeString(used), sizeString(limit), source)
				s.exit(2)
				return
			}
			continue
		}
		if time.Since(lastFree) > time.Second {
			debug.FreeOSMemory()
			lastFree = time.Now()
			if used = memoryInUse(samples); used <= max(limit, run.memStart+guardSlack) {
				continue
			}
		}
		run.stopReason.Store(fmt.Sprintf("the worker used %s of memory, above its limit of %s (%s)",
			sizeString(used), sizeString(limit), source))
		run.cancel()
	}
}
