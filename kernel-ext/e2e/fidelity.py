"""Fidelity: are the figures a notebook shows the figures Go code gets?

Measures each headline quantity three ways in one run on one machine:

  cell    a cell in the goconc kernel (through jupyter_client) calls the
          workload helper and saves its result with results.Store;
  bench   `goconc bench` runs the same helper natively and writes NAME.json;
  gotest  `go test -bench` runs the matching benchmark of kernel-ext/workload
          (compiled once with go test -c, run with a fixed
          -benchtime equal to the helper's batch size, so that every way
          times batches of the same size).

The three ways alternate for --rounds rounds (default 5: go test runs once
per round, -count 5 in all), so that a change of the machine's load during
the run touches all three alike; each way's figure is the median over the
rounds.

The cell and bench ways run the same configuration and report the median
over their repetitions; gotest reports ns/op of its one run. By
default spawn runs its defaults (seconds) and switch its Quick preset: its
defaults take minutes, most of them in the rings and brigades, which are not
compared here. --quick runs both Quick presets, --full both defaults.

The table gives each quantity's three medians with the spread of their
rounds, and the ratios cell/bench and gotest/mean (go test's ns/op is a
mean, elapsed / b.N, so it is set against the mean of bench's samples, which
on a skewed distribution lies far above their median): the goal is 1.00 +/- 0.10.
A ratio outside the goal is marked '!' when the rounds agree that the two
ways differ and '?' when their spread is too wide to tell (see ratio).

Then it measures what calling a native helper from a cell costs: a loop of N
calls of a trivial exported function (plots.PixelSize: arithmetic, two ints
back) inside one cell, against the same loop with an empty body in the same
cell, and against the same loop compiled (a throwaway module that requires
this one through a replace directive). The overhead per call is the
interpreted loop with the call minus the interpreted empty loop: what a cell
pays to reach compiled code, beside which the compiled call is also shown.
Goal: under 1 us.

Environment: GOCONC_KERNEL names the kernelspec (JUPYTER_PATH must find
it), GOCONC_BIN the goconc binary, GO the go command (default "go").
Run from anywhere; the repository is found from this file's path.

Usage: fidelity.py [--quick | --full] [--rounds N] [--calls N] [--keep DIR]
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from jupyter_client.manager import start_new_kernel

from cells import iopub_until_idle, shell_reply

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KERNEL = os.environ.get("GOCONC_KERNEL", "goconc")
GOCONC = os.environ.get("GOCONC_BIN", os.path.join(ROOT, "bin", "goconc"))
GO = os.environ.get("GO", "go")

# Each headline quantity: its name, the experiment and series label the
# helper reports it under, and the benchmark, metric and batch size that
# measure the same operation with go test -bench. The batch sizes are the
# helpers' defaults (full) and Quick presets (quick), in operations per batch,
# except that ping-pong benchmarks always run the default 20000 round trips:
# the helper times blocks of 100 round trips after a warm-up, the benchmark
# one stretch of b.N from a cold start, which 1000 would not amortize.
QUANTITIES = [
    # name, experiment, series label, benchmark (anchored), metric, full batch, quick batch
    ("goroutine spawn+exit", "spawn", "goroutine spawn+exit",
     "^BenchmarkSpawnGoroutine$", "ns/op", 10000, 1000),
    ("goroutine spawn, loop only", "spawn", "goroutine spawn (loop only)",
     "^BenchmarkSpawnGoroutine$", "loop-ns/op", 10000, 1000),
    ("thread spawn+exit", "spawn", "thread spawn+exit",
     "^BenchmarkSpawnThread$", "ns/op", 1000, 50),
    ("goroutine ping-pong, GOMAXPROCS=1", "switch", "goroutine ping-pong chan, GOMAXPROCS=1",
     "^BenchmarkPingPongChan$/^GOMAXPROCS=1$", "ns/switch", 20000, 20000),
    ("goroutine ping-pong, GOMAXPROCS=2", "switch", "goroutine ping-pong chan, GOMAXPROCS=2",
     "^BenchmarkPingPongChan$/^GOMAXPROCS=2$", "ns/switch", 20000, 20000),
    ("thread ping-pong chan (free)", "switch", "thread ping-pong chan (free)",
     "^BenchmarkPingPongThreadChan$/^free$", "ns/switch", 20000, 20000),
    ("thread ping-pong pipe (free)", "switch", "thread ping-pong pipe (free)",
     "^BenchmarkPingPongThreadPipe$/^free$", "ns/switch", 20000, 20000),
]

CONFIGS = {"spawn": ("RunSpawn", "SpawnConfig"), "switch": ("RunSwitch", "SwitchConfig")}

# Whether each experiment runs its Quick preset, when neither --quick nor
# --full is given.
DEFAULT_QUICK = {"spawn": False, "switch": True}


def run_cell(kc, code, timeout):
    """Executes code in the kernel; returns its stdout, raising on an error."""
    msg_id = kc.execute(code)
    outputs = [m for _, m in iopub_until_idle(kc, msg_id, timeout)]
    out = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
    errs = ["%s: %s" % (m["content"]["ename"], m["content"]["evalue"]) for m in outputs if m["msg_type"] == "error"]
    reply = shell_reply(kc, msg_id, timeout)
    if errs or reply["content"]["status"] != "ok":
        raise RuntimeError("cell failed: %s\n%s\n--- cell:\n%s" % (errs[-1] if errs else reply["content"].get("evalue"), out, code))
    return out


def series_medians(path):
    """Maps series label to its median, and label + MEAN to its mean, from a
    results.Store JSON record."""
    with open(path) as f:
        rec = json.load(f)
    got = {}
    for s in rec["result"]["series"]:
        if s["summary"]["n"] > 0:
            got[s["label"]] = s["summary"]["median"]
            got[s["label"] + MEAN] = s["summary"]["mean"]
    return got, rec["result"]["env"]


# The key suffix under which series_medians keeps a series' mean.
MEAN = " (mean)"


def way_cell(kc, experiments, quick, outdir):
    """Runs each experiment's helper in a cell, saving through results.Store.

    quick maps each experiment to whether it runs its Quick preset."""
    got, env = {}, None
    run_cell(kc, 'import (\n\t"github.com/goconc/goconc/kernel-ext/results"\n'
                 '\t"github.com/goconc/goconc/kernel-ext/workload"\n)', 60)
    for exp in experiments:
        fn, cfg = CONFIGS[exp]
        cfgexpr = "workload.%s{}" % cfg + (".Quick()" if quick[exp] else "")
        code = ('r, err := workload.%s(ctx, %s)\n'
                'if err != nil {\n\tpanic(err)\n}\n'
                'if _, err := (&results.Store{Dir: %s}).JSON(%s, r); err != nil {\n\tpanic(err)\n}\n'
                % (fn, cfgexpr, json.dumps(outdir), json.dumps(exp)))
        run_cell(kc, code, 1800)
        m, env = series_medians(os.path.join(outdir, exp + ".json"))
        got.update({(exp, k): v for k, v in m.items()})
    return got, env


def way_bench(experiments, quick, outdir):
    got, env = {}, None
    for exp in experiments:
        args = [GOCONC, "bench", exp] + (["--quick"] if quick[exp] else []) + ["--out", outdir]
        # The progress bar goes to stderr, left to the terminal.
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        m, env = series_medians(os.path.join(outdir, exp + ".json"))
        got.update({(exp, k): v for k, v in m.items()})
    return got, env


BENCH_LINE = re.compile(r"^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+(.*)$")


def build_gotest(tmp):
    """Compiles kernel-ext/workload's tests once, so that no round pays for it."""
    testbin = os.path.join(tmp, "workload.test")
    subprocess.run([GO, "test", "-c", "-o", testbin, "./kernel-ext/workload"], cwd=ROOT, check=True)
    return testbin


def way_gotest(testbin, quick, count):
    """Runs each quantity's benchmark with -benchtime set to its batch size;
    maps quantity name to the median over count runs."""
    # One invocation per (pattern, batch): the batch size differs between them.
    runs = {}
    for q in QUANTITIES:
        batch = q[6] if quick[q[1]] else q[5]
        runs.setdefault((q[3], batch), []).append(q)
    got = {}
    for (pattern, batch), qs in runs.items():
        out = subprocess.run([testbin, "-test.run", "^$", "-test.bench", pattern,
                              "-test.benchtime", "%dx" % batch, "-test.count", str(count)],
                             cwd=os.path.join(ROOT, "kernel-ext", "workload"),
                             check=True, capture_output=True, text=True).stdout
        values = {}
        for line in out.splitlines():
            m = BENCH_LINE.match(line)
            if not m:
                continue
            fields = m.group(2).split()
            for v, unit in zip(fields[0::2], fields[1::2]):
                values.setdefault(unit, []).append(float(v))
        for q in qs:
            if values.get(q[4]):
                got[q[0]] = statistics.median(values[q[4]])
    return got


# x is declared outside the loop: in a cell, "x, _ := f()" inside a
# top-level loop body fails with "undefined: x" (yaegi at top level).
CALL_LOOP = """
const calls = %d
w, h := plots.DefaultWidth, plots.DefaultHeight
sink, x := 0, 0
for rep := 0; rep < 3; rep++ {
	t0 := time.Now()
	for i := 0; i < calls; i++ {
		sink += i
	}
	empty := float64(time.Since(t0).Nanoseconds()) / calls
	t0 = time.Now()
	for i := 0; i < calls; i++ {
		x, _ = plots.PixelSize(w, h, 96)
		sink += x
	}
	call := float64(time.Since(t0).Nanoseconds()) / calls
	fmt.Printf("LOOP %%f %%f %%d\\n", empty, call, sink)
}
"""

COMPILED = """package main

import (
	"fmt"
	"time"

	"github.com/goconc/goconc/plots"
)

func main() {
%s}
"""


def parse_loops(out):
    """Medians of the empty-loop and call-loop ns per iteration."""
    rows = [l.split() for l in out.splitlines() if l.startswith("LOOP ")]
    if not rows:
        raise RuntimeError("no LOOP lines in:\n" + out)
    return statistics.median(float(r[1]) for r in rows), statistics.median(float(r[2]) for r in rows)


def call_overhead(kc, calls, tmp):
    run_cell(kc, 'import (\n\t"fmt"\n\t"time"\n\n\t"github.com/goconc/goconc/plots"\n)', 60)
    cell = parse_loops(run_cell(kc, CALL_LOOP % calls, 600))

    mod = os.path.join(tmp, "compiled")
    os.makedirs(mod)
    with open(os.path.join(mod, "go.mod"), "w") as f:
        f.write("module fidelitycompiled\n\ngo 1.26\n\nrequire github.com/goconc/goconc v0.0.0\n\n"
                "replace github.com/goconc/goconc => %s\n" % ROOT)
    shutil.copy(os.path.join(ROOT, "go.sum"), mod)
    body = "\n".join("\t" + l if l else l for l in (CALL_LOOP % calls).strip("\n").splitlines())
    with open(os.path.join(mod, "main.go"), "w") as f:
        f.write(COMPILED % (body + "\n"))
    env = dict(os.environ, GOFLAGS=(os.environ.get("GOFLAGS", "") + " -mod=mod").strip())
    out = subprocess.run([GO, "run", "."], cwd=mod, env=env, check=True, capture_output=True, text=True).stdout
    return cell, parse_loops(out)


def fmt_ns(v):
    if v is None:
        return "-"
    for div, unit in ((1e6, "ms"), (1e3, "us"), (1, "ns")):
        if abs(v) >= div:
            return "%.3g %s" % (v / div, unit)
    return "%.3g ns" % v


def ratio(a, b):
    """The ratio of two ways' figures for one quantity, and its mark.

    a and b are the per-round figures of the two ways. The ratio is that of
    their medians; the mark compares it with the goal, 1.00 +/- 0.10, and
    with this run's own noise, the range of ratios the rounds allow (the
    smallest a over the largest b to the largest a over the smallest b):
    "" when the goal is met, "?" when it is missed but the rounds spread so
    widely that they do not tell the two ways apart, "!" when every round
    says the ways differ. A single round is always "?" when it misses.
    """
    a = [x for x in a if x is not None]
    b = [x for x in b if x]
    if not a or not b:
        return "-", ""
    r = statistics.median(a) / statistics.median(b)
    if abs(r - 1) <= 0.10:
        return "%.2f" % r, ""
    if len(a) < 2 or len(b) < 2:
        return "%.2f" % r, " ?"  # one round shows no spread to judge by
    lo, hi = min(a) / max(b), max(a) / min(b)
    return "%.2f" % r, " ?" if lo <= 1 <= hi else " !"


def spread(xs):
    """The range of the rounds' figures as a fraction of their median."""
    xs = [x for x in xs if x is not None]
    if len(xs) < 2:
        return "-"
    return "%.0f%%" % (100 * (max(xs) - min(xs)) / statistics.median(xs))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    preset = ap.add_mutually_exclusive_group()
    preset.add_argument("--quick", action="store_true", help="every helper's Quick preset (a smoke run, noisy figures)")
    preset.add_argument("--full", action="store_true", help="every helper's defaults (switch takes minutes)")
    ap.add_argument("--calls", type=int, default=1000000, help="helper calls per timed loop")
    ap.add_argument("--rounds", type=int, default=5,
                    help="rounds of the three ways, alternated (go test runs -count 1 per round)")
    ap.add_argument("--keep", help="keep the JSON results in this directory")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="goconc-fidelity-")
    keep = a.keep or tmp
    experiments = sorted({q[1] for q in QUANTITIES}, key=["spawn", "switch"].index)
    quick = {e: a.quick or (not a.full and DEFAULT_QUICK[e]) for e in experiments}
    print("machine: %s, %d CPUs, load average %.2f; kernel %s; goconc %s; configs: %s"
          % (platform.machine(), os.cpu_count(), os.getloadavg()[0], KERNEL, GOCONC,
             ", ".join("%s %s" % (e, "quick" if quick[e] else "default") for e in experiments)))
    sys.stdout.flush()

    # The ways alternate, round after round, so that a change in the
    # machine's load during the run touches all three alike.
    testbin = build_gotest(tmp)
    rounds = {"cell": [], "bench": [], "bench mean": [], "gotest": []}
    km, kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)
    try:
        for r in range(a.rounds):
            t0 = time.monotonic()
            cell, cell_env = way_cell(kc, experiments, quick, os.path.join(keep, "cell-%d" % r))
            bench, bench_env = way_bench(experiments, quick, os.path.join(keep, "bench-%d" % r))
            # Results are keyed by quantity name from here on.
            rounds["cell"].append({q[0]: cell.get((q[1], q[2])) for q in QUANTITIES})
            rounds["bench"].append({q[0]: bench.get((q[1], q[2])) for q in QUANTITIES})
            rounds["bench mean"].append({q[0]: bench.get((q[1], q[2] + MEAN)) for q in QUANTITIES})
            rounds["gotest"].append(way_gotest(testbin, quick, 1))
            print("round %d: %.0f s (GOMAXPROCS: worker %d, goconc bench %d), load average %.2f"
                  % (r + 1, time.monotonic() - t0, cell_env["gomaxprocs"], bench_env["gomaxprocs"], os.getloadavg()[0]))
            sys.stdout.flush()
        loops = call_overhead(kc, a.calls, tmp)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    def per_round(way, name):
        return [r.get(name) for r in rounds[way]]

    def med(way, name):
        xs = [x for x in per_round(way, name) if x is not None]
        return statistics.median(xs) if xs else None

    print()
    print("median over %d rounds of each way's median per operation, and the rounds' spread "
          "(range / median):" % a.rounds)
    print("%-36s %17s %17s %17s  %10s %12s" % ("", "cell", "bench", "go test", "cell/bench", "gotest/mean"))
    for q in QUANTITIES:
        name = q[0]
        cols = ["%10s %6s" % (fmt_ns(med(w, name)), spread(per_round(w, name))) for w in ("cell", "bench", "gotest")]
        rc, fc = ratio(per_round("cell", name), per_round("bench", name))
        rg, fg = ratio(per_round("gotest", name), per_round("bench mean", name))
        print("%-36s %17s %17s %17s  %10s %12s" % (name, cols[0], cols[1], cols[2], rc + fc, rg + fg))
    print("Goal: each ratio 1.00 +/- 0.10. '!' marks a ratio outside it in every round's pairing; "
          "'?' one outside it that this run's spread cannot tell from noise (more --rounds, a quieter "
          "machine or --full may). go test reports a mean (elapsed / b.N), so gotest/mean compares it "
          "with the mean of bench's samples: on a skewed distribution, such as thread ping-pong's, the "
          "mean lies far above the median. Spawn: time per goroutine or thread; ping-pong: per one-way hand-off.")

    (cell_empty, cell_call), (comp_empty, comp_call) = loops
    print()
    print("helper call from a cell (plots.PixelSize, %d calls per loop, median of 3 loops):" % a.calls)
    print("  cell:     empty loop %s/iter, loop with call %s/iter -> call overhead %s"
          % (fmt_ns(cell_empty), fmt_ns(cell_call), fmt_ns(cell_call - cell_empty)))
    print("  compiled: empty loop %s/iter, loop with call %s/iter"
          % (fmt_ns(comp_empty), fmt_ns(comp_call)))
    print("  goal: call overhead under 1 us: %s" % ("met" if cell_call - cell_empty < 1000 else "NOT met"))
    if a.keep:
        print("results kept in %s" % a.keep)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
