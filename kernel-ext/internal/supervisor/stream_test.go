package supervisor

import (
	"strings"
	"testing"
)

func TestTakeKeepsPartialRunesAndMarkers(t *testing.T) {
	st := &streamer{watch: true, atLineStart: true}
	st.pending = []byte("héllo\npan")
	if got := st.takeLocked(false); got != "héllo\n" {
		t.Errorf("got %q, want the text before a possible marker", got)
	}
	st.pending = append(st.pending, "cake\n\xe2\x82"...)
	if got := st.takeLocked(false); got != "pancake\n" {
		t.Errorf("got %q, want the text before a partial rune", got)
	}
	st.pending = append(st.pending, '\xac')
	if got := st.takeLocked(false); got != "€" {
		t.Errorf("got %q, want the completed rune", got)
	}
	st.pending = []byte("bad \xff\n")
	if got := st.takeLocked(true); got != "bad \uFFFD\n" {
		t.Errorf("got %q, want invalid UTF-8 replaced", got)
	}
}

func TestMarkerIndex(t *testing.T) {
	for _, c := range []struct {
		in   string
		at   bool
		want int
	}{
		{"panic: x", true, 0},
		{"panic: x", false, -1},
		{"a\nfatal error: y\n", false, 2},
		{"no panic: here\n", true, -1},
		{"x\n1:40: panic: main.func(...)\npanic: boom", true, 2},
		{"cell.go:1:40: panic: main.func(...)\n", true, 0},
		{"a:b: panic: no\n", true, -1},
	} {
		if got := markerIndex([]byte(c.in), c.at); got != c.want {
			t.Errorf("markerIndex(%q, %v) = %d, want %d", c.in, c.at, got, c.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	report := "1:40: panic: main.func(...)\npanic: boom [recovered, repanicked]\n\ngoroutine 7 [running]:\nmain.f()\n\t/x.go:3 +0x1\ncreated by github.com/traefik/yaegi/interp.run in goroutine 1\n\t/y.go:9 +0x2\n\ngoroutine 1 [select]:\nother\n"
	d := summarize(report, "exit status 2")
	if d.summary != "panic: boom (in a goroutine started by a cell)" {
		t.Errorf("summary %q", d.summary)
	}
	tb := strings.Join(d.trace, "\n")
	if !strings.HasPrefix(tb, "panic: boom [recovered, repanicked]\n\ngoroutine 7 [running]:") || strings.Contains(tb, "other") {
		t.Errorf("trace %q", tb)
	}
	d = summarize("runtime: program exceeds 10000-thread limit\nfatal error: thread exhaustion\n\nruntime stack:\n", "exit status 2")
	if d.summary != "fatal error: thread exhaustion (runtime: program exceeds 10000-thread limit)" {
		t.Errorf("summary %q", d.summary)
	}
	if d := summarize("", "signal: killed"); d.summary != "signal: killed" || d.trace != nil {
		t.Errorf("no report: %+v", d)
	}
}
