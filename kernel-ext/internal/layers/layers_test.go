package layers

import (
	"bufio"
	"bytes"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const mod = "github.com/goconc/goconc/"

// Groups of packages that rules name. A name ending in "/..." stands for a
// path and everything below it.
var (
	yaegi          = []string{"github.com/traefik/yaegi/..."}
	gonumPlot      = []string{"gonum.org/v1/plot/..."}
	zmq            = []string{"github.com/go-zeromq/..."}
	evaluation     = []string{mod + "kernel-ext/internal/session", mod + "kernel-ext/internal/cell", mod + "kernel-ext/internal/gaps", mod + "kernel-ext/internal/symbols/...", mod + "kernel-ext/internal/worker", "github.com/traefik/yaegi/..."}
	kernelParts    = []string{mod + "kernel-ext/internal/jupyter", mod + "kernel-ext/internal/kernel", mod + "kernel-ext/internal/supervisor", mod + "kernel-ext/internal/worker", mod + "kernel-ext/internal/workerproto", mod + "kernel-ext/internal/kernelspec"}
	goconcInternal = []string{mod + "kernel-ext/internal/..."}
)

func join(groups ...[]string) []string { return slices.Concat(groups...) }

// rules are the arrows that must never exist (DEVELOPERS.md): no package
// matching pkg may depend, directly or through others, on any of deny,
// except on the packages in allow.
var rules = []rule{
	{mod + "kernel-ext/cmd/goconc-kernel", join(yaegi, gonumPlot, evaluation, []string{mod + "kernel-ext/workload", mod + "plots/...", mod + "kernel-ext/display"}), nil,
		"the process Jupyter starts relays messages: it links no interpreter, no plotting and no symbol table, so it starts at once"},
	{mod + "kernel-ext/workload/...", join(yaegi, zmq, goconcInternal, []string{mod + "plots/...", mod + "kernel-ext/display"}), nil,
		"the native helpers are plain Go, usable and benchmarked without the kernel"},
	{mod + "plots/...", join(yaegi, zmq, goconcInternal, []string{mod + "kernel-ext/display", mod + "kernel-ext/results", mod + "kernel-ext/claims"}), nil,
		"plots turns result values into figures and knows nothing of Jupyter"},
	{mod + "kernel-ext/internal/jupyter", join(evaluation, []string{mod + "kernel-ext/internal/repl", mod + "kernel-ext/internal/kernel", mod + "kernel-ext/internal/supervisor"}), nil,
		"the transport knows the wire protocol and nothing of Go evaluation"},
	{mod + "kernel-ext/internal/kernel", join(evaluation, []string{mod + "kernel-ext/internal/supervisor", mod + "kernel-ext/internal/workerproto"}), nil,
		"the dispatcher talks to a repl.Interpreter only"},
	{mod + "kernel-ext/internal/supervisor", join(evaluation, gonumPlot, zmq), nil,
		"the supervisor speaks workerproto to a worker process; it links no session"},
	{mod + "kernel-ext/internal/workerproto", join(evaluation, gonumPlot, zmq, goconcInternal), []string{mod + "kernel-ext/internal/repl"},
		"the worker protocol is shared by both sides and carries repl values only"},
	{mod + "kernel-ext/internal/assign", join(goconcInternal, []string{mod + "kernel-ext/..."}), []string{mod + "kernel-ext/internal/repl", mod + "kernel-ext/check", mod + "kernel-ext/units", mod + "kernel-ext/internal/assign"},
		"course tooling runs cells through a repl.Interpreter and checks with package check"},
	{mod + "kernel-ext/internal/floorkernel", join(goconcInternal, yaegi, gonumPlot), []string{mod + "kernel-ext/internal/floorkernel", mod + "kernel-ext/internal/jupyter", mod + "kernel-ext/internal/kernel", mod + "kernel-ext/internal/repl", mod + "kernel-ext/internal/version"},
		"the floor make bench measures goconc-kernel's start against is the transport and the dispatcher alone"},
	{mod + "kernel-ext/units", []string{mod + "...", "github.com/...", "gonum.org/...", "golang.org/..."}, []string{mod + "kernel-ext/units"},
		"units is a leaf that every printer may import: the standard library only"},
	{mod + "kernel-ext/claims", join(yaegi, zmq, goconcInternal), nil,
		"claims judges results; it knows nothing of Jupyter or the interpreter"},
	{mod + "kernel-ext/results", join(yaegi, zmq, goconcInternal), nil,
		"results writes files; it knows nothing of Jupyter or the interpreter"},
	{mod + "kernel-ext/check", join(yaegi, zmq, goconcInternal), nil,
		"check is called by test cells and knows nothing of the kernel"},
	{mod + "kernel-ext/display", join(yaegi, zmq, kernelParts, evaluation), nil,
		"display makes MIME bundles; the worker installs the publisher that carries them"},
	{mod + "kernel-ext/internal/native", join(yaegi, zmq, gonumPlot, []string{mod + "kernel-ext/internal/session", mod + "kernel-ext/internal/worker", mod + "kernel-ext/internal/supervisor", mod + "kernel-ext/internal/kernel", mod + "kernel-ext/internal/jupyter", mod + "kernel-ext/internal/symbols/..."}), nil,
		"native cells are built and run by the Go toolchain: the package links no interpreter, no plotting and no session"},
	{mod + "kernel-ext/internal/cell", join(yaegi, zmq, gonumPlot, goconcInternal), []string{mod + "kernel-ext/internal/cell"},
		"the cell rewriter is pure syntax: go/parser and go/scanner only"},
	{mod + "kernel-ext/internal/gaps", join(zmq, gonumPlot, goconcInternal), []string{mod + "kernel-ext/internal/gaps", mod + "kernel-ext/internal/cell"},
		"the check of cells reads the cell and yaegi's tables; it knows nothing of the session or the kernel"},
}

type rule = struct {
	pkg   string
	deny  []string
	allow []string
	why   string
}

// TestLayers fails on every forbidden arrow, naming the chain of imports
// that makes it.
func TestLayers(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH")
	}
	for _, v := range violations(importGraph(t), rules) {
		t.Error(v)
	}
}

// TestViolationsFindsIndirectArrows checks the checker on a made-up graph:
// an arrow through another package is found, with its chain; an allowed
// one and a rule that matches nothing are reported as such.
func TestViolationsFindsIndirectArrows(t *testing.T) {
	graph := map[string][]string{
		mod + "a":  {mod + "b", mod + "ok"},
		mod + "b":  {"x/y/z"},
		mod + "ok": nil,
		"x/y/z":    nil,
	}
	got := violations(graph, []rule{
		{pkg: mod + "a", deny: []string{"x/...", mod + "ok"}, allow: []string{mod + "ok"}, why: "because"},
		{pkg: mod + "gone", deny: []string{"x/..."}},
	})
	want := []string{
		"a depends on x/y/z (a → b → x/y/z): because",
		"rule for gone matches no package: the tree moved, update the rules",
	}
	if !slices.Equal(got, want) {
		t.Errorf("violations:\n got %q\nwant %q", got, want)
	}
}

// violations lists the arrows of graph that rules forbid, and the rules
// that match no package.
func violations(graph map[string][]string, rules []rule) []string {
	pkgs := slices.Sorted(maps.Keys(graph))
	var out []string
	for _, r := range rules {
		matched := false
		for _, pkg := range pkgs {
			if !matches(r.pkg, pkg) {
				continue
			}
			matched = true
			for _, path := range deps(graph, pkg) {
				dep := path[len(path)-1]
				if dep == pkg || !matchesAny(r.deny, dep) || matchesAny(r.allow, dep) {
					continue
				}
				out = append(out, fmt.Sprintf("%s depends on %s (%s): %s", short(pkg), short(dep), strings.Join(shortAll(path), " → "), r.why))
			}
		}
		if !matched {
			out = append(out, fmt.Sprintf("rule for %s matches no package: the tree moved, update the rules", short(r.pkg)))
		}
	}
	return out
}

// TestNothingImportsCmd: commands are leaves.
func TestNothingImportsCmd(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go is not on PATH")
	}
	for pkg, imps := range importGraph(t) {
		for _, imp := range imps {
			if matches(mod+"kernel-ext/cmd/...", imp) {
				t.Errorf("%s imports %s", short(pkg), short(imp))
			}
		}
	}
}

// importGraph returns every package of the module and every package they
// depend on, each with its direct imports (test files excluded: they are
// not linked into a binary).
//
// The module's source files are stat'ed: go test caches a passing result
// by the files the test touched, and it cannot see what go list reads.
func importGraph(t *testing.T) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}|{{.Dir}}|{{join .GoFiles \" \"}} {{join .CgoFiles \" \"}}|{{join .Imports \" \"}}", mod+"...")
	cmd.Dir = "../../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.Bytes())
	}
	graph := map[string][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "|")
		if len(f) != 4 {
			t.Fatalf("go list printed %q", sc.Text())
		}
		graph[f[0]] = strings.Fields(f[3])
		if strings.HasPrefix(f[0], mod) {
			for _, name := range strings.Fields(f[2]) {
				if _, err := os.Stat(filepath.Join(f[1], name)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	return graph
}

// deps returns, for each package pkg depends on, one chain of imports from
// pkg to it (breadth first: a shortest one).
func deps(graph map[string][]string, pkg string) [][]string {
	prev := map[string]string{pkg: ""}
	queue := []string{pkg}
	var out [][]string
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		var path []string
		for q := p; q != ""; q = prev[q] {
			path = append(path, q)
		}
		slices.Reverse(path)
		out = append(out, path)
		for _, imp := range graph[p] {
			if _, seen := prev[imp]; !seen {
				prev[imp] = p
				queue = append(queue, imp)
			}
		}
	}
	return out
}

func matches(pattern, pkg string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

func matchesAny(patterns []string, pkg string) bool {
	return slices.ContainsFunc(patterns, func(p string) bool { return matches(p, pkg) })
}

func short(pkg string) string { return strings.TrimPrefix(pkg, mod) }

func shortAll(path []string) []string {
	out := make([]string, len(path))
	for i, p := range path {
		out[i] = short(p)
	}
	return out
}
