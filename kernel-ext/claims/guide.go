package claims

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/goconc/goconc/kernel-ext/results"
	"github.com/goconc/goconc/kernel-ext/units"
	"github.com/goconc/goconc/kernel-ext/workload"
)

// Crossover is one line of the decision guide: a question a designer asks
// and, for OS threads and for goroutines, the figure at which the answer
// changes on this machine.
type Crossover struct {
	Question   string `json:"question"`
	Threads    Figure `json:"threads"`
	Goroutines Figure `json:"goroutines"`
	// Advice says what the two figures mean for the choice.
	Advice string `json:"advice"`
}

// overheadShare is the share of a task's life the guide lets creation or
// switching take before calling it too costly.
const overheadShare = 0.1

// Guide computes the decision guide's crossovers from this machine's
// results: how many concurrent tasks threads allow (scale's limits), how
// many fit in 1 GiB (mem), how short a task may be before being created as
// a thread or a goroutine takes a tenth of its life (spawn), and how often
// it may hand off work before switches take a tenth of its time (sw). A
// result with no data (the zero value) leaves its line out; with none at
// all, Guide returns an error.
func Guide(spawn workload.SpawnResult, mem workload.MemoryResult, sw workload.SwitchResult, scale workload.ScaleResult) ([]Crossover, error) {
	var lines []Crossover
	if len(scale.Points) > 0 {
		capThreads := scale.Limits.Current + scale.Limits.Bound
		maxG := 0
		for _, p := range scale.Points {
			if p.Kind == "goroutine" {
				maxG = max(maxG, p.N)
			}
		}
		lines = append(lines, Crossover{
			Question:   "How many concurrent tasks, one each?",
			Threads:    Figure{Label: "threads", Value: float64(capThreads), Unit: "at most"},
			Goroutines: Figure{Label: "goroutines", Value: float64(maxG), Unit: "run here"},
			Advice: fmt.Sprintf("Past ~%s concurrent tasks a thread each is impossible here (%s); goroutines ran %s and are limited by memory only.",
				units.Count(capThreads), limitName(scale.Limits.Limiting), units.Count(maxG)),
		})
	}
	if g, tr, tk, _, err := memoryPerUnit(mem); err == nil {
		thread := math.Max(0, tr) + tk
		const gib = 1 << 30
		lines = append(lines, Crossover{
			Question:   "How many fit in 1 GiB of memory?",
			Threads:    Figure{Label: "threads", Value: math.Floor(gib / thread), Unit: "threads"},
			Goroutines: Figure{Label: "goroutines", Value: math.Floor(gib / g), Unit: "goroutines"},
			Advice: fmt.Sprintf("A blocked thread costs %s (resident and kernel stack), a blocked goroutine %s: %s as many goroutines as threads fit in the same memory.",
				units.Bytes(thread), units.Bytes(g), units.Ratio(thread/g)),
		})
	}
	if tRun, _, err := medianOf("spawn", spawn.Series, "thread spawn to running"); err == nil {
		if gExit, _, err := medianOf("spawn", spawn.Series, "goroutine spawn+exit"); err == nil {
			lines = append(lines, Crossover{
				Question:   "How short may a task be, if creating it may take a tenth of its life?",
				Threads:    Figure{Label: "threads", Value: tRun / overheadShare, Unit: "ns"},
				Goroutines: Figure{Label: "goroutines", Value: gExit / overheadShare, Unit: "ns"},
				Advice: fmt.Sprintf("Tasks shorter than %s should not get a thread of their own (reuse threads in a pool); a goroutine each is fine down to %s.",
					units.Duration(tRun/overheadShare), units.Duration(gExit/overheadShare)),
			})
		}
	}
	if t, _, err := medianOf("context switch", sw.Series, "thread ping-pong pipe (same-cpu)", "thread ping-pong pipe"); err == nil {
		if g, _, err := medianOf("context switch", sw.Series, "goroutine ping-pong chan, GOMAXPROCS=1", "goroutine ping-pong chan"); err == nil {
			lines = append(lines, Crossover{
				Question:   "How often may tasks hand work to each other, if switching may take a tenth of the time?",
				Threads:    Figure{Label: "threads", Value: t / overheadShare, Unit: "ns between hand-offs"},
				Goroutines: Figure{Label: "goroutines", Value: g / overheadShare, Unit: "ns between hand-offs"},
				Advice: fmt.Sprintf("Pipelines that hand off more often than every %s spend over a tenth of their time switching threads; goroutines allow a hand-off every %s.",
					units.Duration(t/overheadShare), units.Duration(g/overheadShare)),
			})
		}
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("claims: guide: none of the results has data")
	}
	return lines, nil
}

// GuideMarkdown formats crossovers as a Markdown table.
func GuideMarkdown(lines []Crossover) string {
	var b strings.Builder
	b.WriteString("| question | OS threads | goroutines | what it means here |\n|---|---|---|---|\n")
	for _, c := range lines {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", mdCell(c.Question), mdCell(c.Threads.String()), mdCell(c.Goroutines.String()), mdCell(c.Advice))
	}
	return b.String()
}

// GuideInputs are the results Guide reads, with where each came from.
type GuideInputs struct {
	Spawn  workload.SpawnResult  `json:"spawn"`
	Memory workload.MemoryResult `json:"memory"`
	Switch workload.SwitchResult `json:"switch"`
	Scale  workload.ScaleResult  `json:"scale"`
	// Sources maps each result's name in the store ("spawn", "memory",
	// "switch", "scale") to where it came from: saved by an earlier
	// notebook, or measured now with the quick preset.
	Sources map[string]string `json:"sources"`
}

// Where a GuideInputs result came from.
const (
	SourceSaved    = "saved by an earlier notebook"
	SourceMeasured = "measured now (quick preset)"
)

// LoadGuideInputs reads the results the measuring notebooks saved in s
// under the names "spawn", "memory", "switch" and "scale". A result that is
// missing or unreadable is measured now with its Quick preset (a few
// seconds), so that the guide can be computed in a fresh kernel; Sources
// tells which was which. It stops at the first measurement that fails, a
// cancelled ctx for one.
func LoadGuideInputs(ctx context.Context, s *results.Store) (GuideInputs, error) {
	in := GuideInputs{Sources: map[string]string{}}
	steps := []struct {
		name    string
		v       any
		measure func() error
	}{
		{"spawn", &in.Spawn, func() (err error) { in.Spawn, err = workload.RunSpawn(ctx, workload.SpawnConfig{}.Quick()); return }},
		{"memory", &in.Memory, func() (err error) { in.Memory, err = workload.RunMemory(ctx, workload.MemoryConfig{}.Quick()); return }},
		{"switch", &in.Switch, func() (err error) { in.Switch, err = workload.RunSwitch(ctx, workload.SwitchConfig{}.Quick()); return }},
		{"scale", &in.Scale, func() (err error) { in.Scale, err = workload.RunScale(ctx, workload.ScaleConfig{}.Quick()); return }},
	}
	for _, st := range steps {
		if _, err := s.ReadJSON(st.name, st.v); err == nil {
			in.Sources[st.name] = SourceSaved
			continue
		}
		if err := st.measure(); err != nil {
			return in, fmt.Errorf("claims: guide: measuring %s: %w", st.name, err)
		}
		in.Sources[st.name] = SourceMeasured
	}
	return in, nil
}
