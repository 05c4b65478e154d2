"""goconc's notebooks: valid, committed without outputs, and each runs in quick mode.

Every notebook under notebooks/ (and its subdirectories, except notebooks/assignments/, which
has tests of its own) is executed top to bottom through nbclient with the kernel named by
$GOCONC_KERNEL (default goconc), with GOCONC_QUICK=1 and GOCONC_OUT set to a temporary
directory shared by all of them, in name order as make run executes them (how-to-choose reads
what the earlier notebooks saved). Measuring notebooks must show an inline PNG figure and
save their verdicts.

Run with: JUPYTER_PATH=... GOCONC_KERNEL=... /usr/bin/python3 -m unittest -v test_notebooks
"""

import glob
import json
import os
import shutil
import tempfile
import time
import unittest

import nbformat
from nbclient import NotebookClient

KERNEL = os.environ.get("GOCONC_KERNEL", "goconc")
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NOTEBOOKS = os.path.join(ROOT, "notebooks")
# Seconds a single cell may take in quick mode before the run is failed.
CELL_TIMEOUT = 300

# The verdicts (kernel-ext/claims row IDs) each measuring notebook must save.
VERDICTS = {
    "01-use-case": ["use-case"],
    "02-concurrency-model": ["concurrency-model"],
    "03-resource-cost": ["spawn", "memory"],
    "04-scalability": ["scalability"],
    "05-code-complexity": ["code-complexity"],
    "06-context-switch": ["context-switch"],
    "07-ecosystem": ["ecosystem"],
}


def notebook_paths():
    """Every notebook under notebooks/, except notebooks/assignments/, sorted by path."""
    paths = []
    for path in glob.glob(os.path.join(NOTEBOOKS, "**", "*.ipynb"), recursive=True):
        rel = os.path.relpath(path, NOTEBOOKS)
        if rel.split(os.sep)[0] == "assignments" or ".ipynb_checkpoints" in rel:
            continue
        paths.append(path)
    return sorted(paths)


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


class CommittedNotebooks(unittest.TestCase):
    def test_there_are_notebooks(self):
        names = {name_of(p) for p in notebook_paths()}
        for want in ["00-start-here", "how-to-choose", "use-both", *VERDICTS]:
            self.assertIn(want, names)

    def test_valid_without_outputs(self):
        for path in notebook_paths():
            with self.subTest(notebook=os.path.relpath(path, ROOT)):
                nb = nbformat.read(path, as_version=4)
                nbformat.validate(nb)
                self.assertEqual(nb.metadata.kernelspec.name, "goconc")
                self.assertEqual(nb.metadata.kernelspec.language, "go")
                for i, cell in enumerate(nb.cells):
                    if cell.cell_type != "code":
                        continue
                    self.assertEqual(cell.get("outputs"), [], "cell %d has outputs" % i)
                    self.assertIsNone(cell.get("execution_count"), "cell %d has an execution count" % i)

    def test_measuring_notebooks_have_a_parameters_cell(self):
        for path in notebook_paths():
            if name_of(path) not in VERDICTS:
                continue
            with self.subTest(notebook=name_of(path)):
                nb = nbformat.read(path, as_version=4)
                tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
                self.assertEqual(len(tagged), 1)
                self.assertIn("GOCONC_QUICK", tagged[0].source)


class QuickRun(unittest.TestCase):
    """Executes every notebook in quick mode, in name order, sharing one GOCONC_OUT."""

    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="goconc-notebooks-")
        cls.saved_env = {k: os.environ.get(k) for k in ("GOCONC_QUICK", "GOCONC_OUT")}
        # The kernel inherits the client's environment.
        os.environ["GOCONC_QUICK"] = "1"
        os.environ["GOCONC_OUT"] = os.path.join(cls.out, "data")
        cls.times = []

    @classmethod
    def tearDownClass(cls):
        for k, v in cls.saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        shutil.rmtree(cls.out, ignore_errors=True)
        if cls.times:
            print("\nquick-mode notebook times:", ", ".join("%s %.1fs" % t for t in cls.times),
                  "; total %.1fs" % sum(t for _, t in cls.times))

    def test_notebooks_execute(self):
        for path in notebook_paths():
            name = name_of(path)
            with self.subTest(notebook=name):
                nb = nbformat.read(path, as_version=4)
                client = NotebookClient(nb, kernel_name=KERNEL, timeout=CELL_TIMEOUT,
                                        resources={"metadata": {"path": os.path.dirname(path)}})
                start = time.monotonic()
                client.execute()  # raises CellExecutionError, with the cell and its error, on failure
                self.times.append((name, time.monotonic() - start))
                outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
                errors = [o for o in outputs if o.output_type == "error"]
                self.assertEqual(errors, [])
                if name not in VERDICTS:
                    continue
                pngs = [o for o in outputs if "image/png" in o.get("data", {})]
                self.assertTrue(pngs, "%s displayed no image/png" % name)
                for row in VERDICTS[name]:
                    vpath = os.path.join(self.out, "data", "verdict-%s.json" % row)
                    self.assertTrue(os.path.exists(vpath), "%s saved no %s" % (name, vpath))
                    with open(vpath) as f:
                        verdict = json.load(f)["result"]
                    self.assertEqual(verdict["row"], row)
                    self.assertIsInstance(verdict["holds"], bool)
                    self.assertTrue(verdict["text"])
                    shown = "".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
                    self.assertIn("### Verdict — ", shown, "%s showed no verdict" % name)


if __name__ == "__main__":
    unittest.main()
