package display

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"
)

// progressInterval is the least time between two updates of a progress
// bar: ten a second look smooth, and a loop that reports every iteration
// would otherwise send the front end thousands of messages a second.
const progressInterval = 100 * time.Millisecond

// Progress is a progress bar shown as one display updated in place (HTML,
// with a text/plain alternative). Updates are throttled to about ten a
// second; a value skipped by the throttle is shown by the next change
// after the interval, and the final state, once Done is called, is always
// shown. A Progress is safe for use by several goroutines.
//
// A Progress publishes only from the calls made to it, which the workload
// helpers make between their measurements: it arms no timer, because a
// publication firing in the middle of a measurement would disturb it, and
// a pending timer alone makes the Go scheduler read the clock at every
// goroutine switch on its P.
type Progress struct {
	h     *Handle
	label string

	mu       sync.Mutex
	total    int
	done     int
	start    time.Time
	last     time.Time // when the bar was last published
	shownAt  [2]int    // done and total as last published
	finished bool

	// now stands for time.Now; tests replace it to count updates without
	// depending on the machine's speed.
	now      func() time.Time
	interval time.Duration
}

// NewProgress shows a progress bar at 0 of total steps, labelled label.
// A total of zero or less means the total is unknown: the bar then counts
// steps without a percentage.
func NewProgress(total int, label string) *Progress {
	p := newProgress(total, label, time.Now, progressInterval)
	p.mu.Lock()
	p.publish()
	p.mu.Unlock()
	return p
}

func newProgress(total int, label string, now func() time.Time, interval time.Duration) *Progress {
	return &Progress{h: New(), label: label, total: total, start: now(), now: now, interval: interval}
}

// Set records that done steps are complete.
func (p *Progress) Set(done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done = done
	p.changed()
}

// Add records n more complete steps.
func (p *Progress) Add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.changed()
}

// SetTotal changes the number of steps.
func (p *Progress) SetTotal(total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = total
	p.changed()
}

// Done shows the final state of the bar, with the time taken, and stops
// its updates. A bar done before reaching its total, as when a cell is
// interrupted, says where it stopped. Calling Done again does nothing.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.finished = true
	p.publish()
}

// Func returns a progress callback of the form the workload helpers take,
// func(done, total int), that sets both counts; the helpers may grow the
// total as they learn their size. Call Done when the helper returns: only
// then is the bar final.
func (p *Progress) Func() func(done, total int) {
	return func(done, total int) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.done, p.total = done, total
		p.changed()
	}
}

// changed publishes the new state unless the throttle holds it back.
// p.mu is held.
func (p *Progress) changed() {
	if p.finished || p.shownAt == [2]int{p.done, p.total} {
		return
	}
	if p.now().Sub(p.last) >= p.interval {
		p.publish()
	}
}

// publish shows the current state. p.mu is held.
func (p *Progress) publish() {
	p.last = p.now()
	p.shownAt = [2]int{p.done, p.total}
	text, htm := p.render(p.last.Sub(p.start))
	p.h.Update(map[string]any{MIMEText: text, MIMEHTML: htm}, nil)
}

// render returns the bar as text and as HTML.
func (p *Progress) render(elapsed time.Duration) (text, htm string) {
	const width = 30 // characters of the text bar
	var status, bar string
	frac := -1.0
	if p.total > 0 {
		frac = min(max(float64(p.done)/float64(p.total), 0), 1)
		status = fmt.Sprintf("%d/%d (%.0f%%)", p.done, p.total, 100*frac)
		n := int(frac * width)
		bar = "[" + strings.Repeat("#", n) + strings.Repeat("-", width-n) + "] "
	} else {
		status = fmt.Sprintf("%d done", p.done)
	}
	switch {
	case p.finished && p.total > 0 && p.done < p.total:
		status += ", stopped after " + formatDuration(elapsed)
	case p.finished:
		status += " in " + formatDuration(elapsed)
	case frac > 0 && frac < 1:
		eta := time.Duration(float64(elapsed) * (1 - frac) / frac)
		status += ", " + formatDuration(elapsed) + ", about " + formatDuration(eta) + " left"
	default:
		status += ", " + formatDuration(elapsed)
	}
	label := p.label
	if label != "" {
		label += " "
	}
	text = label + bar + status

	value := ""
	if frac >= 0 {
		value = fmt.Sprintf(` value="%d" max="%d"`, max(p.done, 0), p.total)
		if p.done > p.total {
			value = fmt.Sprintf(` value="%d" max="%d"`, p.total, p.total)
		}
	}
	htm = fmt.Sprintf(`<div class="goconc-progress" style="font-family: monospace">`+
		`<span>%s</span> <progress%s style="width: 40ch; vertical-align: middle"></progress> <span>%s</span></div>`,
		html.EscapeString(p.label), value, html.EscapeString(status))
	return text, htm
}

// formatDuration rounds d to what a person reads on a progress bar.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	default:
		return d.Round(time.Second).String()
	}
}
