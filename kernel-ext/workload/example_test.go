package workload_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goconc/goconc/kernel-ext/workload"
)

func ExampleRunSpawn() {
	r, err := workload.RunSpawn(context.Background(), workload.SpawnConfig{}.Quick())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Series {
		fmt.Printf("%-28s %8.0f ns/op  (95%% CI %.0f–%.0f)\n", s.Label, s.Summary.Median, s.Summary.CILow, s.Summary.CIHigh)
	}
	fmt.Printf("%d threads requested, %d distinct thread ids seen\n", r.ThreadCheck.Requested, r.ThreadCheck.DistinctTIDs)
}

func ExampleRunSwitch() {
	cfg := workload.SwitchConfig{}.Quick()
	cfg.Placements = []workload.Placement{workload.PlacementSameCPU}
	r, err := workload.RunSwitch(context.Background(), cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Series {
		fmt.Printf("%-45s %8.0f %s  CPUs %v\n", s.Label, s.Summary.Median, s.Unit, s.CPUs)
	}
}

func ExampleRunMemory() {
	r, err := workload.RunMemory(context.Background(), workload.MemoryConfig{}.Quick())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("per goroutine: %.0f B, per thread: %.0f B resident\n", r.GoroutineFit.Slope, r.ThreadFit.Slope)
}

func ExampleRunScale() {
	r, err := workload.RunScale(context.Background(), workload.ScaleConfig{}.Quick())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Points {
		fmt.Printf("%-9s N=%-6d %6.0f ns/unit  %d threads\n", p.Kind, p.N, p.PerUnitNs, p.Threads)
	}
}

func ExampleRunCPU() {
	r, err := workload.RunCPU(context.Background(), workload.CPUConfig{}.Quick())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Points {
		fmt.Printf("%-9s W=%d GOMAXPROCS=%d speed-up %.2f\n", p.Kind, p.Workers, p.GOMAXPROCS, p.Speedup)
	}
}

func ExampleRunIO() {
	r, err := workload.RunIO(context.Background(), workload.IOConfig{}.Quick())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Points {
		fmt.Printf("%-5s %-9s %8.0f req/s  peak %d threads\n", p.Mode, p.Kind, p.Throughput, p.PeakThreads)
	}
}

func ExampleRunPreemption() {
	r, err := workload.RunPreemption(context.Background(), workload.PreemptConfig{}.Quick())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, s := range r.Series {
		fmt.Printf("%-55s worst tick delay %v\n", s.Label, time.Duration(s.Summary.Max))
	}
}

func ExampleRunEcosystem() {
	r, err := workload.RunEcosystem(context.Background(), workload.EcosystemConfig{}.Quick())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range r.Points {
		fmt.Printf("%-8s %d goroutines waiting: %d threads added\n", p.Kind, p.Goroutines, p.Added)
	}
}

func ExampleThreadBound() {
	l, err := workload.ThreadBound()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("up to %d more threads (limited by %s)\n", l.Bound, l.Limiting)
	err = workload.CheckThreads(l.Bound + 1)
	fmt.Println(errors.Is(err, workload.ErrThreadBound))
}

func ExampleRunThreadExhaustion() {
	cr, err := workload.RunThreadExhaustion(context.Background(), workload.ExhaustConfig{MaxThreads: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("child exited with status %d:\n%.60s\n", cr.ExitCode, cr.Stderr)
}

func ExampleMedian() {
	fmt.Println(workload.Median([]float64{12, 10, 40, 11}))
	// Output: 11
}

func ExampleSummarize() {
	s := workload.Summarize([]float64{12, 10, 11, 13, 10, 12, 11, 40, 11, 12})
	fmt.Printf("median %.0f, p5 %.0f, p95 %.0f, 95%% CI [%.0f, %.0f] (coverage %.3f)\n",
		s.Median, s.P5, s.P95, s.CILow, s.CIHigh, s.CILevel)
	// Output: median 11, p5 10, p95 40, 95% CI [10, 13] (coverage 0.979)
}
