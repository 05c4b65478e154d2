// Package plots turns measurement results into gonum figures and renders
// them to PNG and SVG bytes.
//
// The figure builders take small plain value types (Bar, Series, maps of
// samples) rather than the experiments' result types, so that figures can
// be drawn from any source: a native experiment, a JSON file written by
// goconc bench, or numbers typed into a cell. Every builder labels both
// axes with their units, titles the figure, adds a legend when there is
// more than one series and chooses logarithmic axes when the values span
// decades, so that a figure is readable at notebook width (DefaultWidth ×
// DefaultHeight) without further tweaking. Numbers are printed as package
// units prints them everywhere else (verdicts, goconc bench): an axis of
// durations or byte sizes takes the unit of its largest value, its ticks
// are labelled in that unit's notation, and each printed value (a bar's
// median, a legend's worst delay) carries its own unit, so that a median
// of 9500 ns reads "9.5 µs" in a figure as in a verdict. The returned *plot.Plot can
// still be adjusted before it is rendered.
//
// Adapters draw the results of the native experiments of package workload
// with the builders: SpawnCost, SwitchCost, SwitchLatency, MemoryCost,
// ScaleTime, ScaleMemory, CPUSpeedup, IOLatency, PreemptDelays and
// EcosystemThreads.
//
// The package knows nothing of Jupyter, of the interpreter or of the
// kernel: the display package wraps the bytes rendered here in MIME
// bundles.
package plots
