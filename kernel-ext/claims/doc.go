// Package claims holds the seed's comparison table of OS threads and async
// tasks (measured in Rust) as data, and judges each of its measurable rows
// against what the experiments of package workload measured for goroutines
// and OS threads on the machine at hand.
//
// Each judging function (Spawn, ContextSwitch, Memory, Scalability, UseCase,
// ConcurrencyModel, CodeComplexity, Ecosystem) takes workload results and
// returns a Verdict: the claim, the seed's figures, the figures measured
// here with their units, whether the claim holds on this machine and a
// sentence or two saying so with the numbers. A verdict is computed only
// from its inputs, so the same result gives the same verdict, and one from
// another machine may well say otherwise.
//
// The criteria are deliberately stated in the verdict's text (for example
// "at least 10× dearer"): the seed's figures are from another language on
// another machine, so a verdict checks the claim's shape (which side is
// cheaper, by roughly how much), not its exact numbers.
//
// Notebooks show a verdict with Verdict.Markdown or Verdict.HTML and save it
// with Verdict.Save; WriteSummary gathers every saved verdict under a
// directory into one summary.html page.
package claims
