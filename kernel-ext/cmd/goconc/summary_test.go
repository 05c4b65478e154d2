package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goconc/goconc/kernel-ext/claims"
	"github.com/goconc/goconc/kernel-ext/results"
	"github.com/goconc/goconc/kernel-ext/workload"
)

func TestSummary(t *testing.T) {
	dir := t.TempDir()
	v, err := claims.Ecosystem(workload.EcosystemResult{Points: []workload.EcosystemPoint{
		{Kind: workload.WaitSyscall, Goroutines: 10, Added: 10},
		{Kind: workload.WaitNetpoll, Goroutines: 10, Added: 0},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Save(&results.Store{Dir: filepath.Join(dir, "data")}); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run([]string{"summary", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("goconc summary: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "verdicts saved: 1") {
		t.Errorf("stdout: %q", stdout.String())
	}
	page, err := os.ReadFile(filepath.Join(dir, "summary.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Ecosystem") {
		t.Error("summary.html lacks the ecosystem row")
	}
}

func TestSummaryUsage(t *testing.T) {
	for _, args := range [][]string{{"summary"}, {"summary", "a", "b"}, {"summary", filepath.Join(t.TempDir(), "missing")}} {
		var stdout, stderr bytes.Buffer
		if err := run(args, &stdout, &stderr); err == nil {
			t.Errorf("goconc %v succeeded", args)
		}
	}
}
