package worker

import (
	"testing"
	"time"
)

func TestFDTicker(t *testing.T) {
	// Taken before the ticker starts: its third tick comes at least 15 ms
	// after.
	start := time.Now()
	tick, err := newFDTicker(5 * time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := tick.wait(); err != nil {
			t.Fatalf("wait: %v", err)
		}
	}
	if d := time.Since(start); d < 15*time.Millisecond {
		t.Errorf("3 ticks of 5ms in %v", d)
	}
	// Stopping releases a goroutine blocked in wait.
	done := make(chan error)
	go func() {
		for {
			if err := tick.wait(); err != nil {
				done <- err
				return
			}
		}
	}()
	if err := tick.stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("wait did not return after stop")
	}
}
