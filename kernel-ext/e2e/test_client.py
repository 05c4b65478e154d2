"""goconc through the real Jupyter client stack: jupyter_client, nbconvert, jupyter console.

Run with: JUPYTER_PATH=... /usr/bin/python3 -m unittest -v test_client
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

import nbformat
from jupyter_client.manager import start_new_kernel

from cells import iopub_until_idle, shell_reply

KERNEL = os.environ.get("GOCONC_KERNEL", "goconc")
JUPYTER = os.environ.get("JUPYTER", "/usr/bin/jupyter")


def run_cell(kc, code, timeout=60, allow_stdin=False, on_msg=None):
    """Executes code; returns (reply content, list of (arrival time, iopub msg))."""
    msg_id = kc.execute(code, allow_stdin=allow_stdin)
    outputs = iopub_until_idle(kc, msg_id, timeout, on_msg)
    return shell_reply(kc, msg_id, timeout)["content"], outputs


def stdout_of(outputs, name="stdout"):
    return "".join(m["content"]["text"] for _, m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == name)


class KernelTest(unittest.TestCase):
    def setUp(self):
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)

    def tearDown(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def test_mixed_cell_and_state_across_cells(self):
        reply, out = run_cell(self.kc, 'x := 40\nimport "fmt"\nfunc add(a, b int) int { return a + b }\nfmt.Println(add(x, 1))\nadd(x, 2)')
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(stdout_of(out), "41\n")
        results = [m for _, m in out if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertEqual(results[0]["content"]["data"]["text/plain"], "42")
        reply, out = run_cell(self.kc, 'import "fmt"\nfmt.Println(add(x, 10))')
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(stdout_of(out), "50\n")

    def test_loop_variables_are_per_iteration(self):
        code = (
            'import ("fmt"; "sort"; "sync")\n'
            "var mu sync.Mutex\nvar wg sync.WaitGroup\ngot := []int{}\n"
            "for i := 0; i < 3; i++ {\n wg.Add(1)\n go func() { defer wg.Done(); mu.Lock(); got = append(got, i); mu.Unlock() }()\n}\n"
            "wg.Wait()\nsort.Ints(got)\nfmt.Println(got)"
        )
        reply, out = run_cell(self.kc, code)
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(stdout_of(out), "[0 1 2]\n")

    def test_goroutine_panic_costs_the_worker_not_the_kernel(self):
        run_cell(self.kc, "before := 1")
        reply, out = run_cell(self.kc, 'import "time"\ngo func() { panic("boom in a goroutine") }()\ntime.Sleep(2 * time.Second)')
        self.assertEqual(reply["status"], "error")
        errors = [m for _, m in out if m["msg_type"] == "error"]
        self.assertEqual(len(errors), 1, [m["msg_type"] for _, m in out])
        self.assertIn("boom in a goroutine", errors[0]["content"]["evalue"] + "\n".join(errors[0]["content"]["traceback"]))
        # The kernel is alive and a fresh worker answers; what the old one held is gone.
        reply, out = run_cell(self.kc, "1 + 1")
        self.assertEqual(reply["status"], "ok", reply)
        reply, _ = run_cell(self.kc, "before")
        self.assertEqual(reply["status"], "error")

    def test_output_streams_while_the_cell_runs(self):
        reply, out = run_cell(self.kc, 'import ("fmt"; "time")\nfor i := 0; i < 3; i++ { fmt.Println("tick", i); time.Sleep(time.Second) }')
        self.assertEqual(reply["status"], "ok", reply)
        streams = [(t, m["content"]["text"]) for t, m in out if m["msg_type"] == "stream"]
        self.assertEqual([s for _, s in streams], ["tick 0\n", "tick 1\n", "tick 2\n"])
        gaps = [b[0] - a[0] for a, b in zip(streams, streams[1:])]
        # A second apart when streamed, all at once when buffered to the end.
        self.assertTrue(all(g > 0.5 for g in gaps), gaps)

    def test_interrupt_stops_a_runaway_cell_and_keeps_state(self):
        run_cell(self.kc, "kept := 7")
        msg_id = self.kc.execute("for {}")
        time.sleep(1.0)
        t0 = time.monotonic()
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=30)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertLess(time.monotonic() - t0, 10)
        reply, out = run_cell(self.kc, "kept")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual([m["content"]["data"]["text/plain"] for _, m in out if m["msg_type"] == "execute_result"], ["7"])

    def test_compile_error_names_the_cells_line(self):
        reply, out = run_cell(self.kc, "a := 1\n_ = a\nb := undefinedName + 1")
        self.assertEqual(reply["status"], "error")
        self.assertEqual([m["msg_type"] for _, m in out], ["execute_input", "error"])
        self.assertIn("3:", reply["evalue"])
        self.assertIn("undefinedName", reply["evalue"])

    def test_stdin(self):
        code = 'import "fmt"\nvar name string\nfmt.Scanln(&name)\nfmt.Println("hello,", name)'

        msg_id = self.kc.execute(code, allow_stdin=True)
        req = self.kc.get_stdin_msg(timeout=30)
        self.assertEqual(req["msg_type"], "input_request")
        self.kc.input("gopher")
        reply = self.kc.get_shell_msg(timeout=30)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        reply, out = run_cell(self.kc, code, allow_stdin=False)
        self.assertEqual(reply["status"], "error")
        self.assertIn("input", reply["evalue"] + " ".join(reply["traceback"]))


class NotebookTest(unittest.TestCase):
    def test_nbconvert_executes_a_mixed_notebook(self):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Go (goconc)", "language": "go"}
        nb.cells = [
            nbformat.v4.new_markdown_cell("A notebook with mixed cells"),
            nbformat.v4.new_code_cell('import "fmt"\nn := 3\nfmt.Println("n is", n)'),
            nbformat.v4.new_code_cell('import "github.com/goconc/goconc/kernel-ext/display"\ndisplay.HTML("<i>inline</i>")'),
            nbformat.v4.new_code_cell("n * 2"),
            nbformat.v4.new_code_cell('panic("an allowed error")'),
            nbformat.v4.new_code_cell("n + 1"),
        ]
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "mixed.ipynb")
            nbformat.write(nb, src)
            subprocess.run(
                [JUPYTER, "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
                 "--ExecutePreprocessor.kernel_name=" + KERNEL, "--ExecutePreprocessor.timeout=120",
                 src, "--output", "executed.ipynb"],
                check=True, capture_output=True, timeout=300,
            )
            out = nbformat.read(os.path.join(d, "executed.ipynb"), as_version=4)
        cells = [c for c in out.cells if c.cell_type == "code"]
        self.assertEqual(cells[0].outputs[0]["text"], "n is 3\n")
        self.assertIn("text/html", cells[1].outputs[0]["data"])
        self.assertEqual(cells[2].outputs[0]["data"]["text/plain"], "6")
        self.assertEqual(cells[3].outputs[0]["output_type"], "error")
        self.assertEqual(cells[4].outputs[0]["data"]["text/plain"], "4")
        self.assertEqual([c.execution_count for c in cells], [1, 2, 3, 4, 5])

    def test_console_session(self):
        script = 'import "fmt"\nfmt.Println("from the console", 6*7)\nexit\n'
        p = subprocess.run(
            [JUPYTER, "console", "--kernel=" + KERNEL, "--simple-prompt"],
            input=script, capture_output=True, text=True, timeout=120,
        )
        self.assertIn("from the console 42", p.stdout, p.stdout + p.stderr)


if __name__ == "__main__":
    unittest.main()
