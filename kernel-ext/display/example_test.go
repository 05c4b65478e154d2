package display_test

import (
	"fmt"
	"log"

	"github.com/goconc/goconc/kernel-ext/display"
	"github.com/goconc/goconc/kernel-ext/internal/repl"
	"github.com/goconc/goconc/plots"
)

// Outside the kernel no publisher is installed, and displays print their
// text/plain part.
func ExampleHTML() {
	display.HTML("<b>bold</b>")
	display.Markdown("*emphasis*")
	// Output:
	// <HTML output>
	// *emphasis*
}

func ExampleJSON() {
	if err := display.JSON(map[string]any{"goroutines": 100000, "threads": 100}); err != nil {
		log.Fatal(err)
	}
	// Output:
	// {
	//   "goroutines": 100000,
	//   "threads": 100
	// }
}

// printer is a Publisher that prints what the kernel would receive.
type printer struct{}

func (printer) Display(d repl.Display) {
	fmt.Printf("update=%v text=%q\n", d.Update, d.Data[display.MIMEText])
}

func (printer) ClearOutput(wait bool) { fmt.Println("clear, wait:", wait) }

func ExampleHandle() {
	defer display.SetPublisher(printer{})()
	h := display.New()
	h.Text("running…")
	h.Text("finished")
	// Output:
	// update=false text="running…"
	// update=true text="finished"
}

func ExamplePlot() {
	defer display.SetPublisher(printer{})()
	p, err := plots.CostBars("Spawn and exit", "µs per spawn", []plots.Bar{
		{Label: "goroutine", Median: 0.35, Low: 0.31, High: 0.40},
		{Label: "OS thread", Median: 14.2, Low: 13.0, High: 16.5},
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := display.Plot(p); err != nil {
		log.Fatal(err)
	}
	// Output: update=false text="<figure \"Spawn and exit\">"
}

func ExampleProgress_Func() {
	// run stands for a workload helper taking a progress callback.
	run := func(progress func(done, total int)) {
		for i := 1; i <= 3; i++ {
			progress(i, 3)
		}
	}
	var shown int
	defer display.SetPublisher(countingPublisher{&shown})()
	bar := display.NewProgress(0, "spawn")
	run(bar.Func())
	bar.Done()
	fmt.Println(shown >= 2) // the first display and the final one at least
	// Output: true
}

type countingPublisher struct{ n *int }

func (c countingPublisher) Display(repl.Display) { *c.n++ }
func (c countingPublisher) ClearOutput(bool)     {}
