package worker

import (
	"bytes"
	"sync"
	"testing"
)

// lockedBuffer collects writes from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.b.String()
	l.b.Reset()
	return s
}

// inCell runs f on a goroutine tagged as the statements of run, and waits.
func inCell(s *server, run *running, f func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.tagCell(run)
		f()
	}()
	<-done
}

func TestOutputOfEarlierCellsIsMarked(t *testing.T) {
	out := &lockedBuffer{}
	s := &server{}
	w := markingWriter{s, out}
	write := func(text string) {
		if n, err := w.Write([]byte(text)); n != len(text) || err != nil {
			t.Errorf("Write(%q) = %d, %v", text, n, err)
		}
	}

	// Cell 1 leaves a goroutine that prints when told.
	cell1 := &running{id: 1}
	say := make(chan string)
	said := make(chan struct{})
	tell := func(text string) {
		say <- text
		<-said
	}
	left := make(chan struct{})
	s.run = cell1
	inCell(s, cell1, func() {
		go func() {
			defer close(left)
			for text := range say {
				write(text)
				said <- struct{}{}
			}
		}()
		write("cell 1 itself\n")
	})
	tell("while cell 1 runs\n")

	// While no cell runs, a cell's goroutine is marked as well: its line
	// may still reach the supervisor before the end of the cell it follows.
	s.mu.Lock()
	s.run = nil
	s.mu.Unlock()
	tell("while idle\n")

	// Cell 2 runs: the goroutine of cell 1 is marked, cell 2's own
	// goroutines are not.
	cell2 := &running{id: 2}
	s.mu.Lock()
	s.run = cell2
	s.mu.Unlock()
	tell("late one\nlate two\n")
	inCell(s, cell2, func() {
		write("cell 2 itself\n")
		done := make(chan struct{})
		go func() {
			defer close(done)
			write("cell 2's goroutine\n")
		}()
		<-done
	})
	close(say)
	<-left
	// A goroutine no cell started (the worker's own) is never marked.
	write("untagged\n")

	want := "cell 1 itself\nwhile cell 1 runs\n" + foreignMark + "while idle\n" +
		foreignMark + "late one\n" + foreignMark + "late two\n" +
		"cell 2 itself\ncell 2's goroutine\nuntagged\n"
	if got := out.take(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestMarkLines(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a\n", foreignMark + "a\n"},
		{"a\nb", foreignMark + "a\n" + foreignMark + "b"},
		{"no newline", foreignMark + "no newline"},
		{"\n\n", foreignMark + "\n" + foreignMark + "\n"},
	} {
		if got := string(markLines([]byte(tc.in))); got != tc.want {
			t.Errorf("markLines(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
