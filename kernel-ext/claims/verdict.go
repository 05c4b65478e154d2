package claims

import (
	"fmt"
	"html"
	"strings"

	"gonum.org/v1/plot"

	"github.com/goconc/goconc/kernel-ext/results"
	"github.com/goconc/goconc/kernel-ext/units"
	"github.com/goconc/goconc/kernel-ext/workload"
)

// Figure is one figure of a verdict: a value with its unit, or, for the
// seed's qualitative cells ("thousands", "cooperative"), a text.
type Figure struct {
	// Label names what the figure is of; a seed figure and a measured
	// figure with the same label are shown side by side.
	Label string `json:"label"`
	// Value and Unit, e.g. 17 and "µs", or 9500 and "ns" (printed as
	// 9.5 µs); ignored when Text is set.
	Value float64 `json:"value"`
	Unit  string  `json:"unit,omitempty"`
	// Text replaces Value and Unit when set.
	Text string `json:"text,omitempty"`
}

// String formats the figure as its text, or as package units formats its
// value in its unit: Figure{Value: 9500, Unit: "ns"} is "9.5 µs", and so is
// Figure{Value: 9.5, Unit: "µs"}.
func (f Figure) String() string {
	if f.Text != "" {
		return f.Text
	}
	return units.Format(f.Value, f.Unit)
}

// Verdict is the outcome of checking one row's claim against this machine's
// measurements. All fields have JSON tags: Save writes it, ReadVerdicts and
// WriteSummary read it back.
type Verdict struct {
	// Row is the row's ID (see Table) and Name its heading.
	Row  string `json:"row"`
	Name string `json:"name"`
	// Claim is the claim checked, quoting the seed's figures.
	Claim string `json:"claim"`
	// Seed holds the seed's figures (Rust), Measured this machine's (Go).
	Seed     []Figure `json:"seed"`
	Measured []Figure `json:"measured"`
	// Holds reports whether the claim holds on this machine.
	Holds bool `json:"holds"`
	// Inconclusive is set when the measurements cannot decide, for
	// instance when a quick run was too small to test "millions"; Holds is
	// then false.
	Inconclusive bool `json:"inconclusive,omitempty"`
	// Text says in plain words, with the numbers, what was found.
	Text string `json:"text"`
	// Notebook is the notebook that measures the row.
	Notebook string `json:"notebook"`
	// Env is the environment the judged results were measured in.
	Env workload.Env `json:"env"`
}

// Outcome returns "holds", "does not hold" or "inconclusive".
func (v Verdict) Outcome() string {
	switch {
	case v.Inconclusive:
		return "inconclusive"
	case v.Holds:
		return "holds"
	default:
		return "does not hold"
	}
}

// String returns a one-line summary: the row, the outcome and the text.
func (v Verdict) String() string {
	return fmt.Sprintf("%s: %s. %s", v.Name, v.Outcome(), v.Text)
}

// comparison is one line of the seed-against-machine table.
type comparison struct {
	label, seed, measured string
}

// comparisons pairs seed and measured figures by label, in the order the
// labels first appear (seed figures first).
func (v Verdict) comparisons() []comparison {
	var rows []comparison
	index := map[string]int{}
	add := func(f Figure, measured bool) {
		i, ok := index[f.Label]
		if !ok {
			i = len(rows)
			index[f.Label] = i
			rows = append(rows, comparison{label: f.Label})
		}
		if measured {
			rows[i].measured = f.String()
		} else {
			rows[i].seed = f.String()
		}
	}
	for _, f := range v.Seed {
		add(f, false)
	}
	for _, f := range v.Measured {
		add(f, true)
	}
	return rows
}

// TableMarkdown returns the figures as a Markdown table with the columns
// "seed (Rust)" and "this machine (Go)"; a dash marks a figure one side
// lacks.
func (v Verdict) TableMarkdown() string {
	var b strings.Builder
	b.WriteString("| | seed (Rust) | this machine (Go) |\n|---|---|---|\n")
	for _, c := range v.comparisons() {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCell(c.label), mdCell(orDash(c.seed)), mdCell(orDash(c.measured)))
	}
	return b.String()
}

// Markdown returns the verdict for a notebook: a heading with the outcome,
// the claim, the table of figures and the text.
func (v Verdict) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Verdict — %s: %s %s\n\n", v.Name, outcomeMark(v), v.Outcome())
	fmt.Fprintf(&b, "**Claim.** %s\n\n", v.Claim)
	b.WriteString(v.TableMarkdown())
	fmt.Fprintf(&b, "\n%s\n", v.Text)
	return b.String()
}

// Statement returns the verdict without its table of figures, as Markdown:
// a heading with the outcome, the claim and the text. Notebooks show the
// table (TableMarkdown) beside the figure and the statement last.
func (v Verdict) Statement() string {
	return fmt.Sprintf("### Verdict — %s: %s %s\n\n**Claim.** %s\n\n%s\n", v.Name, outcomeMark(v), v.Outcome(), v.Claim, v.Text)
}

// HTML returns the verdict as an HTML fragment, as Markdown does, with the
// outcome coloured.
func (v Verdict) HTML() string {
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="goconc-verdict" data-row="%s" data-outcome="%s">`+"\n", html.EscapeString(v.Row), html.EscapeString(v.Outcome()))
	fmt.Fprintf(&b, `<h3>Verdict — %s: <span style="color:%s">%s %s</span></h3>`+"\n",
		html.EscapeString(v.Name), outcomeColour(v), outcomeMark(v), html.EscapeString(v.Outcome()))
	fmt.Fprintf(&b, "<p><b>Claim.</b> %s</p>\n", html.EscapeString(v.Claim))
	b.WriteString(v.tableHTML())
	fmt.Fprintf(&b, "<p>%s</p>\n</div>\n", html.EscapeString(v.Text))
	return b.String()
}

func (v Verdict) tableHTML() string {
	var b strings.Builder
	b.WriteString("<table>\n<tr><th></th><th>seed (Rust)</th><th>this machine (Go)</th></tr>\n")
	for _, c := range v.comparisons() {
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			html.EscapeString(c.label), html.EscapeString(orDash(c.seed)), html.EscapeString(orDash(c.measured)))
	}
	b.WriteString("</table>\n")
	return b.String()
}

// FileName returns the name (without extension) Save uses for a row's
// verdict: "verdict-" followed by the row ID.
func FileName(row string) string { return "verdict-" + row }

// Save writes the verdict as JSON through s (as FileName(v.Row) + ".json",
// wrapped in a results.Record) and returns the path.
func (v Verdict) Save(s *results.Store) (string, error) {
	if v.Row == "" {
		return "", fmt.Errorf("claims: save: verdict has no row")
	}
	return s.JSON(FileName(v.Row), v)
}

// SaveAll writes what a notebook measured through s: result as NAME.json,
// the samples of series as NAME-samples.csv (when there are any), fig as
// NAME.png and NAME.svg (when not nil), and each verdict (see Save). It
// returns the paths written, and stops at the first error.
func SaveAll(s *results.Store, name string, result any, series []workload.Series, fig *plot.Plot, verdicts ...Verdict) ([]string, error) {
	var paths []string
	p, err := s.JSON(name, result)
	if err != nil {
		return paths, err
	}
	paths = append(paths, p)
	if len(series) > 0 {
		if p, err = s.Samples(name+"-samples", series); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	if fig != nil {
		ps, err := s.Figure(name, fig)
		if err != nil {
			return paths, err
		}
		paths = append(paths, ps...)
	}
	for _, v := range verdicts {
		if p, err = v.Save(s); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func outcomeMark(v Verdict) string {
	switch {
	case v.Inconclusive:
		return "?"
	case v.Holds:
		return "✔"
	default:
		return "✘"
	}
}

func outcomeColour(v Verdict) string {
	switch {
	case v.Inconclusive:
		return "#777"
	case v.Holds:
		return "#1a7f37"
	default:
		return "#cf222e"
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// mdCell escapes the characters that would break a Markdown table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}
