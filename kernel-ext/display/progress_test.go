package display

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/goconc/goconc/kernel-ext/internal/repl"
)

// fakeClock is a clock the test moves by hand, so that counting updates
// does not depend on how fast the machine runs the loop.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestProgress(total int, label string) (*Progress, *fakeClock) {
	c := &fakeClock{t: time.Unix(1e9, 0)}
	p := newProgress(total, label, c.now, progressInterval)
	p.mu.Lock()
	p.publish()
	p.mu.Unlock()
	return p, c
}

func TestProgressThrottles(t *testing.T) {
	r := record(t)
	const steps = 10000
	p, clock := newTestProgress(steps, "spawning")
	// 10000 steps 0.1 ms apart: one second, so about ten updates.
	for i := 1; i <= steps; i++ {
		clock.advance(100 * time.Microsecond)
		p.Set(i)
	}
	p.Done()
	ds := r.all()
	// The first display, one update per 100 ms, and the final one.
	if n := len(ds); n < 10 || n > 12 {
		t.Errorf("%d displays for %d steps over 1 s; want 10 to 12", n, steps)
	}
	checkOneDisplay(t, ds)
	last := ds[len(ds)-1].Data[MIMEText].(string)
	if !strings.Contains(last, "10000/10000 (100%) in 1s") {
		t.Errorf("final text %q", last)
	}
}

func TestProgressFrozenClock(t *testing.T) {
	r := record(t)
	p, _ := newTestProgress(1000, "")
	for range 1000 {
		p.Add(1)
	}
	p.Done()
	p.Done()
	if n := len(r.all()); n != 2 {
		t.Errorf("%d displays in a tight loop; want 2, the first and the final", n)
	}
}

// A value the throttle held back is shown by the next change after the
// interval, or by Done; nothing is published between calls.
func TestProgressHeldBack(t *testing.T) {
	r := record(t)
	p, clock := newTestProgress(10, "work")
	p.Set(3) // held back: no time has passed since the first display
	clock.advance(progressInterval)
	if n := len(r.all()); n != 1 {
		t.Fatalf("%d displays with no call after the interval; want 1", n)
	}
	p.Set(4)
	ds := r.all()
	if len(ds) != 2 || !strings.Contains(ds[1].Data[MIMEText].(string), "4/10") {
		t.Fatalf("after the interval: %d displays, last %v", len(ds), ds[len(ds)-1].Data[MIMEText])
	}
	p.Set(5) // held back, then shown by Done
	p.Done()
	ds = r.all()
	if len(ds) != 3 || !strings.Contains(ds[2].Data[MIMEText].(string), "5/10") {
		t.Errorf("after Done: %d displays, last %v", len(ds), ds[len(ds)-1].Data[MIMEText])
	}
	checkOneDisplay(t, ds)
}

func TestProgressFunc(t *testing.T) {
	r := record(t)
	p, clock := newTestProgress(0, "sweep")
	f := p.Func()
	for i := 0; i <= 50; i++ {
		clock.advance(50 * time.Millisecond)
		f(i, 50)
	}
	p.Done()
	f(50, 50) // after Done: ignored
	ds := r.all()
	checkOneDisplay(t, ds)
	first := ds[0].Data[MIMEText].(string)
	if !strings.Contains(first, "0 done") {
		t.Errorf("bar of unknown total shows %q", first)
	}
	last := ds[len(ds)-1]
	if txt := last.Data[MIMEText].(string); !strings.Contains(txt, "50/50 (100%) in") {
		t.Errorf("final text %q", txt)
	}
	if h := last.Data[MIMEHTML].(string); !strings.Contains(h, `<progress value="50" max="50"`) {
		t.Errorf("final HTML %q", h)
	}
	// 2.55 s at one update per 100 ms at most, plus the first and the final.
	if n := len(ds); n > 28 {
		t.Errorf("%d displays; want at most 28", n)
	}
}

func TestProgressStopped(t *testing.T) {
	r := record(t)
	p, clock := newTestProgress(100, `<a&b>`)
	clock.advance(time.Second)
	p.Set(37)
	p.Done()
	last := r.all()[len(r.all())-1]
	if txt := last.Data[MIMEText].(string); !strings.Contains(txt, "37/100 (37%), stopped after 1s") {
		t.Errorf("text %q", txt)
	}
	if h := last.Data[MIMEHTML].(string); !strings.Contains(h, "&lt;a&amp;b&gt;") {
		t.Errorf("label not escaped in %q", h)
	}
}

// Progress bars are concurrent-safe: helpers report from their own
// goroutines.
func TestProgressConcurrent(t *testing.T) {
	r := record(t)
	p := NewProgress(800, "parallel")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				p.Add(1)
			}
		}()
	}
	wg.Wait()
	p.Done()
	ds := r.all()
	checkOneDisplay(t, ds)
	if txt := ds[len(ds)-1].Data[MIMEText].(string); !strings.Contains(txt, "800/800") {
		t.Errorf("final text %q", txt)
	}
}

// checkOneDisplay checks that ds are a display and its updates, all with
// one id.
func checkOneDisplay(t *testing.T, ds []repl.Display) {
	t.Helper()
	if len(ds) == 0 {
		t.Fatal("no display")
	}
	id := ds[0].ID
	if id == "" || ds[0].Update {
		t.Errorf("first display: id %q, update %v", id, ds[0].Update)
	}
	for i, d := range ds[1:] {
		if d.ID != id || !d.Update {
			t.Errorf("display %d: id %q update %v; want %q, true", i+1, d.ID, d.Update, id)
		}
		for _, m := range []string{MIMEText, MIMEHTML} {
			if _, ok := d.Data[m].(string); !ok {
				t.Errorf("display %d lacks %s", i+1, m)
			}
		}
	}
}
