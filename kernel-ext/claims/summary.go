package claims

import (
	"encoding/json"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/goconc/goconc/kernel-ext/workload"
)

// SummaryFile is the name of the page WriteSummary writes.
const SummaryFile = "summary.html"

// ReadVerdicts reads every verdict saved under dir, in it or in any
// subdirectory (files named verdict-*.json, as Save writes them). When a row
// was saved more than once, the most recently saved verdict is kept. The
// verdicts are returned in the order of the seed's table; verdicts of rows
// not in the table follow, by row ID.
func ReadVerdicts(dir string) ([]Verdict, error) {
	type saved struct {
		v     Verdict
		saved time.Time
	}
	latest := map[string]saved{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() || !strings.HasPrefix(name, "verdict-") || filepath.Ext(name) != ".json" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		// The file is a results.Record; only the fields needed here are
		// decoded, so that this package does not depend on its layout
		// beyond the two names.
		var rec struct {
			Saved  time.Time `json:"saved"`
			Result *Verdict  `json:"result"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			return fmt.Errorf("decode %s: %w", path, err)
		}
		if rec.Result == nil || rec.Result.Row == "" {
			return fmt.Errorf("%s holds no verdict", path)
		}
		if old, ok := latest[rec.Result.Row]; !ok || !rec.Saved.Before(old.saved) {
			latest[rec.Result.Row] = saved{*rec.Result, rec.Saved}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("claims: read verdicts: %w", err)
	}
	order := map[string]int{}
	for i, r := range table {
		order[r.ID] = i
	}
	var vs []Verdict
	for _, s := range latest {
		vs = append(vs, s.v)
	}
	sort.Slice(vs, func(i, j int) bool {
		oi, iok := order[vs[i].Row]
		oj, jok := order[vs[j].Row]
		switch {
		case iok && jok:
			return oi < oj
		case iok != jok:
			return iok
		default:
			return vs[i].Row < vs[j].Row
		}
	})
	return vs, nil
}

// WriteSummary reads the verdicts saved under dir (see ReadVerdicts) and
// writes dir/summary.html: the seed's table with, for every row, the
// figures measured on this machine, the verdict, and links to the executed
// notebook (NOTEBOOK.html and NOTEBOOK.ipynb) when they are in dir. Rows
// without a saved verdict are listed as such. It returns the page's path.
func WriteSummary(dir string) (string, error) {
	if fi, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("claims: summary: %w", err)
	} else if !fi.IsDir() {
		return "", fmt.Errorf("claims: summary: %s is not a directory", dir)
	}
	vs, err := ReadVerdicts(dir)
	if err != nil {
		return "", err
	}
	page := summaryHTML(dir, vs)
	path := filepath.Join(dir, SummaryFile)
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		return "", fmt.Errorf("claims: summary: %w", err)
	}
	return path, nil
}

func summaryHTML(dir string, vs []Verdict) string {
	byRow := map[string]Verdict{}
	for _, v := range vs {
		byRow[v.Row] = v
	}
	rows := Table()
	for _, v := range vs {
		if _, err := Lookup(v.Row); err != nil {
			rows = append(rows, Row{ID: v.Row, Name: v.Name, Notebook: v.Notebook, Measured: true})
		}
	}

	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>goconc: the seed's claims on this machine</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; max-width: 80em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.4em 0.6em; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
.holds { color: #1a7f37; font-weight: bold; }
.fails { color: #cf222e; font-weight: bold; }
.inconclusive, .none { color: #777; font-weight: bold; }
ul { margin: 0; padding-left: 1.1em; }
small { color: #555; }
</style>
</head>
<body>
<h1>Threads vs tasks: the seed's claims on this machine</h1>
<p>Each row of the seed's comparison (Rust: OS threads against async tasks) redone in Go
(OS threads against goroutines) by goconc's notebooks, and judged against what this machine measured.</p>
`)
	if env, ok := firstEnv(vs); ok {
		fmt.Fprintf(&b, "<p><small>Measured with %s on %s/%s, %s, %d CPUs, kernel %s.</small></p>\n",
			html.EscapeString(env.GoVersion), html.EscapeString(env.GOOS), html.EscapeString(env.GOARCH),
			html.EscapeString(env.CPUModel), env.NumCPU, html.EscapeString(env.KernelRelease))
	}
	b.WriteString("<table>\n<tr><th>Row</th><th>Seed: threads (Rust)</th><th>Seed: async tasks (Rust)</th>" +
		"<th>This machine (Go)</th><th>Verdict</th><th>Notebook</th></tr>\n")
	for _, r := range rows {
		v, ok := byRow[r.ID]
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td><td>%s</td>", html.EscapeString(r.Name),
			html.EscapeString(r.Threads), html.EscapeString(r.Async))
		switch {
		case ok:
			b.WriteString("<td><ul>")
			for _, f := range v.Measured {
				fmt.Fprintf(&b, "<li>%s: %s</li>", html.EscapeString(f.Label), html.EscapeString(f.String()))
			}
			b.WriteString("</ul></td>")
			fmt.Fprintf(&b, `<td><span class="%s">%s</span><br>%s</td>`, outcomeClass(v),
				html.EscapeString(v.Outcome()), html.EscapeString(v.Text))
		case r.Measured:
			b.WriteString(`<td>—</td><td><span class="none">no verdict saved</span></td>`)
		default:
			b.WriteString(`<td>—</td><td><span class="none">not a measurement</span></td>`)
		}
		fmt.Fprintf(&b, "<td>%s</td></tr>\n", notebookLinks(dir, r.Notebook))
	}
	b.WriteString("</table>\n")
	fmt.Fprintf(&b, "<p><small>Written by goconc summary at %s.</small></p>\n</body>\n</html>\n",
		time.Now().UTC().Format(time.RFC3339))
	return b.String()
}

// notebookLinks links the executed notebook's HTML and .ipynb when they
// exist in dir, and names the notebook otherwise.
func notebookLinks(dir, notebook string) string {
	if notebook == "" {
		return ""
	}
	var links []string
	for _, ext := range []string{".html", ".ipynb"} {
		if _, err := os.Stat(filepath.Join(dir, notebook+ext)); err == nil {
			name := html.EscapeString(notebook + ext)
			links = append(links, fmt.Sprintf(`<a href="%s">%s</a>`, name, name))
		}
	}
	if len(links) == 0 {
		return html.EscapeString(notebook) + " <small>(not executed)</small>"
	}
	return strings.Join(links, "<br>")
}

func outcomeClass(v Verdict) string {
	switch {
	case v.Inconclusive:
		return "inconclusive"
	case v.Holds:
		return "holds"
	default:
		return "fails"
	}
}

func firstEnv(vs []Verdict) (workload.Env, bool) {
	for _, v := range vs {
		if v.Env.GoVersion != "" {
			return v.Env, true
		}
	}
	return workload.Env{}, false
}
