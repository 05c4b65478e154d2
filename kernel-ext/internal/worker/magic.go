package worker

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

// maxGOMAXPROCS bounds %gomaxprocs: far above any machine this runs on, far
// below a value that would make the scheduler allocate absurd per-P state.
const maxGOMAXPROCS = 1024

// magicHelp returns the magics with their help text, in %help's order.
func magicHelp() [][2]string {
	return [][2]string{
		{"%env", "list the environment; %env K shows K; %env K=V sets K in the worker"},
		{"%gomaxprocs", "show GOMAXPROCS; %gomaxprocs N sets it (1 ≤ N ≤ 1024)"},
		{"%goroutines", "number of goroutines and OS threads of the worker, and the goroutines grouped by state (chan receive, sleep, ...)"},
		{"%restart", "restart the worker, losing all state; %restart K=V ... sets the environment of the new worker (first line of a cell only)"},
		{"%doc", "%doc NAME shows the documentation of NAME (strings.Split, workload.RunSpawn, ...) in the pager"},
		{"%%native", "compile the cell with the Go toolchain and run it as a program (a child process): full speed, all of Go; %%native -o NAME binds its final expression to NAME in the session"},
		{"%%bench", "run the cell as benchmarks (testing.B): setup, then \"// bench: NAME\" lines each starting a benchmark; -count N (6), -benchtime D (100ms)"},
		{"%%time", "time the cell (interpreted or %%native): wall, user and system time, context switches, GC cycles, peak goroutines and threads"},
		{"%help", "this list"},
	}
}

// splitMagics separates the magic lines at the top of a cell from its Go
// code. Magic lines are the lines starting with % before the first other
// non-blank line; the rest is Go. goCode is code with every magic line
// blanked rune for rune, so that line numbers in errors and rune offsets
// of cursors stay those of the cell; goStart is the rune offset where the
// Go part begins.
func splitMagics(code string) (magics []string, goCode string, goStart int) {
	var b strings.Builder
	rest := code
	runes := 0
	for rest != "" {
		line, after, nl := strings.Cut(rest, "\n")
		trimmed := strings.TrimSpace(line)
		if trimmed != "" && !strings.HasPrefix(trimmed, "%") {
			break
		}
		if trimmed != "" {
			magics = append(magics, trimmed)
		}
		n := utf8.RuneCountInString(line)
		b.WriteString(strings.Repeat(" ", n))
		runes += n
		if nl {
			b.WriteByte('\n')
			runes++
		}
		rest = after
		if !nl {
			break
		}
	}
	if len(magics) == 0 {
		return nil, code, 0
	}
	b.WriteString(rest)
	return magics, b.String(), runes
}

func isBlank(s string) bool { return strings.TrimSpace(s) == "" }

// runMagic runs one magic line. A magic that shows help returns it as a
// pager bundle (the front end's help pane, like IPython's ?).
func (s *server) runMagic(line string) (page map[string]any, err error) {
	name, args, _ := strings.Cut(line, " ")
	args = strings.TrimSpace(args)
	if strings.HasPrefix(name, "%%") {
		return nil, nil // cell magics change how the cell runs: executeCell
	}
	if name == "%doc" {
		return s.magicDoc(args)
	}
	return nil, s.runPlainMagic(name, args)
}

// magicDoc looks name up as the kernel's inspect does: for a cell's
// declarations, the standard library and goconc's own packages.
func (s *server) magicDoc(name string) (map[string]any, error) {
	if name == "" || strings.ContainsFunc(name, unicode.IsSpace) {
		return nil, fmt.Errorf("%%doc: want one name, as in %%doc strings.Split")
	}
	in := s.eval.Inspect(name, utf8.RuneCountInString(name), 1)
	if !in.Found || len(in.Data) == 0 {
		return nil, fmt.Errorf("%%doc: no documentation found for %s (is its package one goconc exports? %%help lists the magics)", name)
	}
	return in.Data, nil
}

func (s *server) runPlainMagic(name, args string) error {
	switch name {
	case "%env":
		return s.magicEnv(args)
	case "%gomaxprocs":
		return s.magicGOMAXPROCS(args)
	case "%goroutines":
		return s.magicGoroutines(args)
	case "%help":
		var b strings.Builder
		b.WriteString("Magics: lines starting with % at the top of a cell, one per line; the rest of the cell runs as Go.\n" +
			"Cell magics (%%) change how the whole cell runs; %%time combines with %%native and %%bench.\n")
		for _, h := range magicHelp() {
			fmt.Fprintf(&b, "  %-12s %s\n", h[0], h[1])
		}
		_, err := fmt.Fprint(s.stdout, b.String())
		return err
	case "%restart":
		return fmt.Errorf("%%restart must be the first line of a cell")
	default:
		return fmt.Errorf("unknown magic %s; %%help lists the magics", name)
	}
}

func (s *server) magicEnv(args string) error {
	switch {
	case args == "":
		env := os.Environ()
		sort.Strings(env)
		_, err := fmt.Fprintln(s.stdout, strings.Join(env, "\n"))
		return err
	case strings.Contains(args, "="):
		k, v, _ := strings.Cut(args, "=")
		k = strings.TrimSpace(k)
		if k == "" || strings.ContainsFunc(k, unicode.IsSpace) {
			return fmt.Errorf("%%env: %q is not a variable name", k)
		}
		if err := os.Setenv(k, v); err != nil {
			return fmt.Errorf("%%env: %w", err)
		}
		_, err := fmt.Fprintf(s.stdout, "env: %s=%s\n", k, v)
		return err
	case strings.ContainsFunc(args, unicode.IsSpace):
		return fmt.Errorf("%%env: use %%env K=V to set a variable")
	default:
		v, ok := os.LookupEnv(args)
		if !ok {
			_, err := fmt.Fprintf(s.stdout, "env: %s is not set\n", args)
			return err
		}
		_, err := fmt.Fprintf(s.stdout, "%s=%s\n", args, v)
		return err
	}
}

func (s *server) magicGOMAXPROCS(args string) error {
	if args == "" {
		_, err := fmt.Fprintf(s.stdout, "GOMAXPROCS=%d (NumCPU=%d)\n", runtime.GOMAXPROCS(0), runtime.NumCPU())
		return err
	}
	n, err := strconv.Atoi(args)
	if err != nil {
		return fmt.Errorf("%%gomaxprocs: %q is not a number", args)
	}
	if n < 1 || n > maxGOMAXPROCS {
		return fmt.Errorf("%%gomaxprocs: %d is out of range: use 1 to %d", n, maxGOMAXPROCS)
	}
	old := runtime.GOMAXPROCS(n)
	_, err = fmt.Fprintf(s.stdout, "GOMAXPROCS=%d (was %d; NumCPU=%d)\n", n, old, runtime.NumCPU())
	return err
}

func (s *server) magicGoroutines(args string) error {
	if args != "" {
		return fmt.Errorf("%%goroutines takes no arguments")
	}
	threads := "unknown"
	if n, err := osThreads(); err == nil {
		threads = strconv.Itoa(n)
	}
	n := runtime.NumGoroutine()
	states := "not listed: too many goroutines to take their stacks"
	if n <= maxListedGoroutines {
		states = goroutineStates()
	}
	_, err := fmt.Fprintf(s.stdout, "goroutines: %d (the worker itself uses about %d)\nOS threads: %s\nby state: %s\n",
		n, s.baseGoroutines, threads, states)
	return err
}

// maxListedGoroutines bounds the goroutines %goroutines groups by state:
// taking every stack stops the world for a time that grows with them.
const maxListedGoroutines = 10000

// goroutineStates groups the goroutines of the process by what they are
// doing ("chan receive", "select", "sleep", ...), largest group first:
// what a cell left running shows as the groups beyond the worker's own.
func goroutineStates() string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := map[string]int{}
	for _, line := range bytes.Split(buf, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte("goroutine ")) {
			continue
		}
		i, j := bytes.IndexByte(line, '['), bytes.LastIndexByte(line, ']')
		if i < 0 || j < i {
			continue
		}
		state, _, _ := strings.Cut(string(line[i+1:j]), ",") // drop ", 5 minutes"
		count[state]++
	}
	names := make([]string, 0, len(count))
	for k := range count {
		names = append(names, k)
	}
	sort.Slice(names, func(a, b int) bool {
		if count[names[a]] != count[names[b]] {
			return count[names[a]] > count[names[b]]
		}
		return names[a] < names[b]
	})
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = fmt.Sprintf("%d %s", count[k], k)
	}
	return strings.Join(parts, ", ")
}

// osThreads reads the thread count of this process from /proc.
func osThreads() (int, error) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("read thread count: %w", err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "Threads:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil {
				return 0, fmt.Errorf("read thread count: %w", err)
			}
			return n, nil
		}
	}
	return 0, fmt.Errorf("read thread count: no Threads line in /proc/self/status")
}

// complete answers a complete request: magic names on a magic line, the
// session's completions in the Go part.
func (s *server) complete(code string, cursor int) repl.Completion {
	_, goCode, goStart := splitMagics(code)
	if goStart == 0 || cursor >= goStart {
		return s.eval.Complete(goCode, cursor)
	}
	empty := repl.Completion{Matches: []string{}, CursorStart: cursor, CursorEnd: cursor, Metadata: map[string]any{}}
	runes := []rune(code)
	if cursor < 0 || cursor > len(runes) {
		return empty
	}
	start := cursor
	for start > 0 && runes[start-1] != '\n' && !unicode.IsSpace(runes[start-1]) {
		start--
	}
	word := string(runes[start:cursor])
	if !strings.HasPrefix(word, "%") {
		return empty
	}
	end := cursor
	for end < len(runes) && runes[end] != '\n' && !unicode.IsSpace(runes[end]) {
		end++
	}
	c := empty
	c.CursorStart, c.CursorEnd = start, end
	for _, h := range magicHelp() {
		if strings.HasPrefix(h[0], word) {
			c.Matches = append(c.Matches, h[0])
		}
	}
	return c
}

// cursorInGo tells whether the rune offset cursor lies in the Go part.
func cursorInGo(goStart, cursor int) bool { return goStart == 0 || cursor >= goStart }
