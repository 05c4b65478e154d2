package session

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

// stressPrograms are goroutine-heavy cells, each split into the cells a
// notebook would have, with the result the last cell must show.
var stressPrograms = []struct {
	name  string
	cells []string
	want  string
}{
	{
		name: "loopvar",
		cells: []string{
			`import ("sync"; "fmt")`,
			`var wg sync.WaitGroup
var mu sync.Mutex
seen := map[int]int{}
for i := 0; i < 200; i++ {
	wg.Add(1)
	go func() {
		defer wg.Done()
		mu.Lock()
		seen[i]++
		mu.Unlock()
	}()
}
wg.Wait()
bad := 0
for i := 0; i < 200; i++ {
	if seen[i] != 1 {
		bad++
	}
}
fmt.Sprint(len(seen), " ", bad)`,
		},
		want: `"200 0"`,
	},
	{
		name: "workers",
		cells: []string{
			`import (
	"sync"
	"sync/atomic"
)`,
			`tasks := make(chan func(), 64)
var total int64
var wg sync.WaitGroup
for w := 0; w < 4; w++ {
	wg.Add(1)
	go func() {
		defer wg.Done()
		for f := range tasks {
			f()
		}
	}()
}`,
			`add := func(n int) { atomic.AddInt64(&total, int64(n)) }
for i := 0; i < 1000; i++ {
	v := i
	tasks <- func() { add(v) }
}
close(tasks)
wg.Wait()
total`,
		},
		want: "499500",
	},
	{
		name: "gofn",
		cells: []string{
			`import "sync"`,
			`var mu sync.Mutex
var wg sync.WaitGroup
sum := 0
for i := 0; i < 500; i++ {
	v := i
	fn := func() {
		defer wg.Done()
		mu.Lock()
		sum += v
		mu.Unlock()
	}
	wg.Add(1)
	go fn()
}
wg.Wait()
sum`,
		},
		want: "124750",
	},
	{
		// Deferred literals keep their form (for recover): they must not
		// bring the race back.
		name: "deferlit",
		cells: []string{
			`import "sync"`,
			`var wg sync.WaitGroup
var mu sync.Mutex
sum := 0
for i := 0; i < 300; i++ {
	wg.Add(1)
	go func() {
		defer func() {
			mu.Lock()
			sum += i
			mu.Unlock()
			wg.Done()
		}()
	}()
}
wg.Wait()
sum`,
		},
		want: "44850",
	},
	{
		name: "nested",
		cells: []string{
			`import ("sync"; "sync/atomic")`,
			`func spawnAll(n int) int64 {
	var wg sync.WaitGroup
	var sum int64
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < n; j++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					atomic.AddInt64(&sum, int64(i*n+j))
				}()
			}
		}()
	}
	wg.Wait()
	return sum
}`,
			`spawnAll(20)`,
		},
		want: "79800",
	},
}

const stressChildEnv = "GOCONC_STRESS_CHILD"

// TestStressChild is the child side of TestStressGoroutines: it runs one
// program in a fresh session and reports its result on stdout.
func TestStressChild(t *testing.T) {
	name := os.Getenv(stressChildEnv)
	if name == "" {
		t.Skip("run by TestStressGoroutines")
	}
	if raw, ok := strings.CutPrefix(name, "raw:"); ok {
		runRaw(t, raw)
		return
	}
	for _, p := range stressPrograms {
		if p.name != name {
			continue
		}
		s, err := New(Options{})
		if err != nil {
			t.Fatal(err)
		}
		var last string
		for _, c := range p.cells {
			r := s.Execute(context.Background(), c)
			if r.Err != nil {
				fmt.Printf("RESULT error %s\n", r.Err)
				return
			}
			if r.Value != nil {
				last = r.Value.Data["text/plain"].(string)
			}
		}
		fmt.Printf("RESULT %s\n", last)
		return
	}
	t.Fatalf("no program %q", name)
}

// TestStressGoroutines runs goroutine-heavy cells many times, each in its
// own process at GOMAXPROCS=2 (a crash kills the process), and requires no
// crash and no wrong result: the closure rewrite is what makes this hold
// for yaegi v0.16.1.
func TestStressGoroutines(t *testing.T) {
	if testing.Short() {
		t.Skip("stress test: skipped with -short")
	}
	runs := 50
	if n, err := strconv.Atoi(os.Getenv("GOCONC_STRESS_RUNS")); err == nil {
		runs = n
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range stressPrograms {
		crashed, wrong, examples := stressRuns(exe, p.name, p.want, runs)
		t.Logf("%s: %d runs at GOMAXPROCS=2, %d crashed, %d wrong", p.name, runs, crashed, wrong)
		if crashed+wrong > 0 {
			t.Errorf("%s: %d crashed, %d wrong of %d runs; e.g. %q", p.name, crashed, wrong, runs, examples)
		}
	}
	// The same programs without the rewrites, for comparison: not a
	// failure of the suite, whatever the counts.
	baseline := runs / 2
	for _, p := range stressPrograms {
		crashed, wrong, examples := stressRuns(exe, "raw:"+p.name, p.want, baseline)
		t.Logf("%s without the rewrites: %d runs, %d crashed, %d wrong; e.g. %q", p.name, baseline, crashed, wrong, examples)
	}
}

// stressRuns runs the child test for program runs times, two at a time.
func stressRuns(exe, program, want string, runs int) (crashed, wrong int, examples []string) {
	var mu sync.Mutex
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for i := 0; i < runs; i++ {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			cmd := exec.Command(exe, "-test.run=^TestStressChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), stressChildEnv+"="+program, "GOMAXPROCS=2")
			out, err := cmd.CombinedOutput()
			got := ""
			for _, line := range strings.Split(string(out), "\n") {
				if r, ok := strings.CutPrefix(line, "RESULT "); ok {
					got = r
				}
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil && got == "":
				crashed++
				if len(examples) < 2 {
					examples = append(examples, lastLines(string(out), 2))
				}
			case got != want:
				wrong++
				if len(examples) < 2 {
					examples = append(examples, got)
				}
			}
		}()
	}
	wg.Wait()
	return crashed, wrong, examples
}

// runRaw runs a program the way a kernel without package cell would: cells
// handed to yaegi as written (statement cells led by ";" so that yaegi takes
// them for statements), the last line evaluated for its value.
func runRaw(t *testing.T, name string) {
	for _, p := range stressPrograms {
		if p.name != name {
			continue
		}
		i := interp.New(interp.Options{})
		if err := i.Use(stdlib.Symbols); err != nil {
			t.Fatal(err)
		}
		cells := append([]string(nil), p.cells...)
		last := cells[len(cells)-1]
		cut := strings.LastIndex(last, "\n")
		cells[len(cells)-1], last = last[:max(cut, 0)], last[cut+1:]
		for _, c := range cells {
			if !strings.HasPrefix(c, "import") && !strings.HasPrefix(c, "func ") {
				c = ";" + c
			}
			if _, err := i.Eval(c); err != nil {
				fmt.Printf("RESULT error %v\n", err)
				return
			}
		}
		v, err := i.Eval(last)
		if err != nil {
			fmt.Printf("RESULT error %v\n", err)
			return
		}
		fmt.Printf("RESULT %s\n", Format(v.Interface()))
		return
	}
	t.Fatalf("no program %q", name)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
