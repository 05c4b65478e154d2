"""Native cells (%%native, %%bench, %%time) through the real client: jupyter_client.

Run with: JUPYTER_PATH=... /usr/bin/python3 -m unittest -v test_native
The corpus (native_corpus/<name>/main.go) is built once with go build, each binary run
for the expected output and exit status, and each program run again as a %%native
cell, whose output and exit status must be the same.
"""

import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from jupyter_client.manager import start_new_kernel

from cells import iopub_until_idle, shell_reply

KERNEL = os.environ.get("GOCONC_KERNEL", "goconc")
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "native_corpus")
# The first native cell after install may compile goconc's packages into
# Go's build cache: minutes on a cold cache.
FIRST = 900


def run_cell(kc, code, timeout=120):
    msg_id = kc.execute(code)
    out = iopub_until_idle(kc, msg_id, timeout)
    return shell_reply(kc, msg_id, timeout)["content"], out


def stream(out, name="stdout"):
    return "".join(m["content"]["text"] for _, m in out if m["msg_type"] == "stream" and m["content"]["name"] == name)


def results(out):
    return [m["content"]["data"]["text/plain"] for _, m in out if m["msg_type"] == "execute_result"]


def start(env=None):
    e = dict(os.environ)
    if env:
        e.update(env)
    return start_new_kernel(kernel_name=KERNEL, startup_timeout=60, env=e)


class NativeCorpusTest(unittest.TestCase):
    """Every program of the corpus, as a %%native cell, prints what its go build binary prints."""

    def test_corpus_same_as_go_build(self):
        names = sorted(d for d in os.listdir(CORPUS) if os.path.isfile(os.path.join(CORPUS, d, "main.go")))
        self.assertGreaterEqual(len(names), 60)
        bindir = tempfile.mkdtemp(prefix="goconc-corpus-")
        self.addCleanup(shutil.rmtree, bindir, True)
        subprocess.run(["go", "build", "-o", bindir + "/", "./kernel-ext/e2e/native_corpus/..."], cwd=ROOT, check=True)
        expected = {}
        for n in names:
            p = subprocess.run([os.path.join(bindir, n)], capture_output=True, text=True, timeout=60)
            expected[n] = (p.stdout, p.returncode, p.stderr)
        km, kc = start()
        self.addCleanup(km.shutdown_kernel, now=True)
        self.addCleanup(kc.stop_channels)
        first = True
        for n in names:
            with self.subTest(program=n):
                with open(os.path.join(CORPUS, n, "main.go")) as f:
                    src = f.read()
                reply, out = run_cell(kc, "%%native\n" + src, timeout=FIRST if first else 120)
                first = False
                want_out, code, want_err = expected[n]
                self.assertEqual(stream(out), want_out)
                if code == 0:
                    self.assertEqual(reply["status"], "ok", reply.get("evalue"))
                else:
                    self.assertEqual(reply["status"], "error")
                    self.assertIn("exit status %d" % code, reply["evalue"])
                if "panic:" in want_err:
                    panic_line = want_err[want_err.index("panic:"):].splitlines()[0]
                    self.assertIn(panic_line, stream(out, "stderr"))
                    self.assertIn(panic_line[len("panic: "):], reply["evalue"])
                    self.assertTrue(any("cell.go:" in line for line in reply["traceback"]), reply["traceback"])


class NativeCellTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.log = tempfile.NamedTemporaryFile(prefix="goconc-native-", suffix=".log", delete=False).name
        cls.km, cls.kc = start({"GOCONC_NATIVE_LOG": cls.log})
        # The first native cell pays for compiling what it imports.
        reply, _ = run_cell(cls.kc, '%%native\nimport "fmt"\nfmt.Println("warm")', timeout=FIRST)
        assert reply["status"] == "ok", reply

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)
        os.unlink(cls.log)

    def builds(self):
        with open(self.log) as f:
            return [dict(kv.split("=", 1) for kv in line.split()[1:]) for line in f if line.startswith("build ")]

    def test_value_and_earlier_declarations(self):
        reply, _ = run_cell(self.kc, 'import "strings"\ntype pt struct{ X, Y int }\nfunc (p pt) Sum() int { return p.X + p.Y }\n'
                                     'func shout(s string) string { return strings.ToUpper(s) + "!" }\nvar base = 40')
        self.assertEqual(reply["status"], "ok", reply)
        reply, out = run_cell(self.kc, '%%native\nimport "fmt"\nfmt.Println(shout("hi"))\npt{1, base}.Sum()')
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(stream(out), "HI!\n")
        self.assertEqual(results(out), ["41"])

    def test_output_streams_while_the_cell_runs(self):
        reply, out = run_cell(self.kc, '%%native\nimport ("fmt"; "time")\nfor i := 0; i < 3; i++ { fmt.Println("tick", i); time.Sleep(700 * time.Millisecond) }')
        self.assertEqual(reply["status"], "ok", reply)
        ticks = [(t, m["content"]["text"]) for t, m in out if m["msg_type"] == "stream"]
        self.assertEqual([s for _, s in ticks], ["tick 0\n", "tick 1\n", "tick 2\n"])
        gaps = [b[0] - a[0] for a, b in zip(ticks, ticks[1:])]
        self.assertTrue(all(g > 0.3 for g in gaps), gaps)

    def test_display_from_native_code(self):
        code = ('%%native\nimport ("fmt"; "github.com/goconc/goconc/kernel-ext/display")\n'
                'display.Markdown("**native**")\nh := display.New()\nh.Text("one")\nh.Text("two")\nfmt.Println("after")')
        reply, out = run_cell(self.kc, code, timeout=300)
        self.assertEqual(reply["status"], "ok", reply)
        kinds = [m["msg_type"] for _, m in out if m["msg_type"] in ("display_data", "update_display_data", "stream")]
        self.assertEqual(kinds, ["display_data", "display_data", "update_display_data", "stream"])
        disp = [m for _, m in out if m["msg_type"] in ("display_data", "update_display_data")]
        self.assertEqual(disp[0]["content"]["data"]["text/markdown"], "**native**")
        ids = [m["content"]["transient"]["display_id"] for m in disp[1:]]
        self.assertEqual(ids[0], ids[1])
        self.assertEqual(disp[2]["content"]["data"]["text/plain"], "two")

    def test_interrupt_stops_the_program_and_keeps_state(self):
        run_cell(self.kc, "kept := 7")
        for code in ['%%native\nimport ("fmt"; "time")\nfor i := 0; ; i++ { fmt.Println("tick", i); time.Sleep(100 * time.Millisecond) }',
                     '%%native\nimport "fmt"\nfmt.Println("started")\n<-ctx.Done()\nfmt.Println("ctx:", ctx.Err())']:
            msg_id = self.kc.execute(code)
            # Interrupt once the program runs (its build may take a while
            # on a busy machine), so that the program is what is stopped.
            seen = []

            def on_msg(m):
                if m["msg_type"] == "stream" and not seen:
                    seen.append(True)
                    self.km.interrupt_kernel()

            out = iopub_until_idle(self.kc, msg_id, 120, on_msg=on_msg)
            reply = shell_reply(self.kc, msg_id, 30)["content"]
            self.assertTrue(seen, "the program printed nothing")
            self.assertEqual(reply["status"], "error")
            self.assertEqual(reply["ename"], "Interrupted", reply)
            self.assertIn("the native cell was interrupted (SIGTERM", reply["evalue"])
            if "ctx.Done" in code:
                self.assertIn("ctx: context canceled\n", stream(out))
            reply, out = run_cell(self.kc, "kept")
            self.assertEqual(results(out), ["7"])

    def test_output_binding_round_trip(self):
        run_cell(self.kc, "type sample struct { Name string; Values []float64 }")
        reply, out = run_cell(self.kc, '%%native -o got\nm := map[string][]sample{"a": {{"x", []float64{1.5, 2}}}}\nm')
        self.assertEqual(reply["status"], "ok", reply)
        reply, out = run_cell(self.kc, 'got["a"][0].Values[1] + float64(len(got["a"][0].Name))')
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(results(out), ["3"])
        # A type the session does not know is refused, saying why.
        reply, _ = run_cell(self.kc, '%%native -o bad\ntype local struct{ A int }\nlocal{1}')
        self.assertEqual(reply["status"], "error")
        self.assertIn("declared in this native cell", reply["evalue"])

    def test_compile_error_names_the_cells_line_and_column(self):
        reply, out = run_cell(self.kc, '%%native\nimport "fmt"\nx := undefinedName + 1\nfmt.Println(x)')
        self.assertEqual(reply["status"], "error")
        self.assertIn("3:6: undefined: undefinedName", reply["evalue"])
        self.assertTrue(any("| x := undefinedName" in line for line in reply["traceback"]), reply["traceback"])

    def test_unchanged_cell_is_not_rebuilt(self):
        code = '%%native\nimport "fmt"\nfmt.Println("cache me", 12345)'
        n = len(self.builds())
        for _ in range(2):
            reply, out = run_cell(self.kc, code)
            self.assertEqual(stream(out), "cache me 12345\n")
        first, second = self.builds()[n:n + 2]
        self.assertEqual(first["key"], second["key"])
        self.assertEqual(second["cached"], "true")
        self.assertEqual(second["compile_ms"], "0.0")

    def test_bench_buffered_faster_than_unbuffered(self):
        code = ('%%bench -count 5 -benchtime 50ms\n'
                '// bench: Unbuffered\nch := make(chan int)\ngo func() { for range ch {} }()\nfor b.Loop() { ch <- 1 }\nclose(ch)\n'
                '// bench: Buffered\nch := make(chan int, 256)\ngo func() { for range ch {} }()\nfor b.Loop() { ch <- 1 }\nclose(ch)\n')
        reply, out = run_cell(self.kc, code, timeout=300)
        self.assertEqual(reply["status"], "ok", reply)
        disp = [m["content"]["data"] for _, m in out if m["msg_type"] == "display_data"]
        table = disp[0]["text/plain"]
        self.assertIn("image/png", disp[1])
        medians = {}
        for name in ("Unbuffered", "Buffered"):
            m = re.search(r"^%s\s+([\d.,]+) (ns|µs|ms)" % name, table, re.M)
            self.assertIsNotNone(m, table)
            medians[name] = float(m.group(1).replace(",", "")) * {"ns": 1, "µs": 1e3, "ms": 1e6}[m.group(2)]
        self.assertLess(medians["Buffered"], medians["Unbuffered"], table)
        self.assertIn("Buffered vs Unbuffered: ns/op -", table)
        self.assertEqual(len(re.findall(r"^BenchmarkBuffered-\d+\s", stream(out), re.M)), 5)

    def test_time_sees_the_threads_a_cell_locks(self):
        body = ('import ("runtime"; "sync"; "time")\nvar locked, wg sync.WaitGroup\nrelease := make(chan struct{})\n'
                'for i := 0; i < 50; i++ {\n\tlocked.Add(1)\n\twg.Add(1)\n'
                '\tgo func() { defer wg.Done(); runtime.LockOSThread(); locked.Done(); <-release }()\n}\n'
                'locked.Wait()\ntime.Sleep(300 * time.Millisecond)\nclose(release)\nwg.Wait()')
        for magic in ("%%time\n%%native\n", "%%time\n"):
            with self.subTest(magic=magic):
                reply, out = run_cell(self.kc, magic + body, timeout=300)
                self.assertEqual(reply["status"], "ok", reply)
                text = stream(out)
                m = re.search(r"OS threads: peak (\d+)", text)
                self.assertIsNotNone(m, text)
                self.assertGreaterEqual(int(m.group(1)), 50, text)
                self.assertRegex(text, r"context switches: \d+ voluntary, \d+ involuntary")
                self.assertRegex(text, r"goroutines: peak (5\d|[6-9]\d)")
                self.assertRegex(text, r"wall [\d.,]+ (µs|ms|s), user")


class NoToolchainTest(unittest.TestCase):
    def test_native_cell_without_go_fails_at_once_and_says_how(self):
        empty = tempfile.mkdtemp(prefix="goconc-nogo-")
        self.addCleanup(shutil.rmtree, empty, True)
        km, kc = start({"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": empty, "GOCONC_GO": ""})
        self.addCleanup(km.shutdown_kernel, now=True)
        self.addCleanup(kc.stop_channels)
        if shutil.which("go", path="/usr/bin:/bin"):
            self.skipTest("go is installed in /usr/bin or /bin")
        t0 = time.monotonic()
        reply, _ = run_cell(kc, '%%native\nprintln("hi")')
        self.assertLess(time.monotonic() - t0, 10)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "NoGoToolchain")
        for want in ("no go command on PATH", "make run", "environment.yml"):
            self.assertIn(want, reply["evalue"])
        reply, out = run_cell(kc, "1 + 1")
        self.assertEqual(results(out), ["2"])


if __name__ == "__main__":
    unittest.main()
