"""Course assignments through the real binary: goconc assign and goconc grade.

Run with: GOCONC_BIN=bin/goconc /usr/bin/python3 -m unittest -v test_assign
(from kernel-ext/e2e). The grader starts its own worker processes: no Jupyter
kernelspec is needed.
"""

import copy
import glob
import json
import os
import subprocess
import tempfile
import unittest

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BIN = os.path.abspath(os.environ.get("GOCONC_BIN", os.path.join(ROOT, "bin", "goconc")))
ASSIGNMENTS = os.path.join(ROOT, "notebooks", "assignments")
SOURCES = sorted(glob.glob(os.path.join(ASSIGNMENTS, "*.ipynb")))


def grader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def find(nb, grade_id):
    for cell in nb.cells:
        if grader(cell).get("grade_id") == grade_id:
            return cell
    raise KeyError(grade_id)


class AssignTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(BIN, os.X_OK):
            raise unittest.SkipTest("no goconc binary at %s (set GOCONC_BIN)" % BIN)
        cls.tmp = tempfile.TemporaryDirectory(prefix="goconc-assign-")
        cls.dir = cls.tmp.name

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def path(self, name):
        return os.path.join(self.dir, name)

    def assign(self, source):
        out = self.path("release-" + os.path.basename(source))
        p = subprocess.run([BIN, "assign", source, "-o", out], capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        return out

    def grade(self, submission, source=None, timeout="20s"):
        """Grades submission; returns (JSON report, text report)."""
        report = self.path(os.path.basename(submission) + ".report.json")
        args = [BIN, "grade", submission, "--timeout", timeout, "--json", report]
        if source:
            args += ["--source", source]
        p = subprocess.run(args, capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, "grade failed:\n%s\n%s" % (p.stdout, p.stderr))
        with open(report) as f:
            return json.load(f), p.stdout

    def submission(self, source, name, change):
        """Writes the solution notebook source, changed by change(nb), as a submission."""
        nb = nbformat.read(source, as_version=4)
        change(nb)
        out = self.path(name)
        nbformat.write(nb, out)
        return out

    def by_id(self, report):
        return {t["grade_id"]: t for t in report["tests"]}

    def test_there_are_assignments(self):
        self.assertGreaterEqual(len(SOURCES), 4)
        manual = 0
        for src in SOURCES:
            nb = nbformat.read(src, as_version=4)
            nbformat.validate(nb)
            self.assertEqual(nb.metadata.kernelspec.name, "goconc")
            for cell in nb.cells:
                if cell.cell_type == "code":
                    self.assertEqual(cell.outputs, [], "%s has outputs" % src)
                g = grader(cell)
                if g.get("grade") and g.get("solution"):
                    manual += 1
        self.assertGreaterEqual(manual, 1, "no answer cell graded by hand")

    def test_solutions_score_full_marks(self):
        for src in SOURCES:
            with self.subTest(notebook=os.path.basename(src)):
                report, text = self.grade(src, source=src)
                self.assertGreater(report["max_score"], 0)
                self.assertEqual(report["score"], report["max_score"], text)
                self.assertTrue(all(t["status"] == "passed" for t in report["tests"]), text)

    def test_released_notebooks_are_valid_and_score_zero(self):
        for src in SOURCES:
            with self.subTest(notebook=os.path.basename(src)):
                rel = self.assign(src)
                nb = nbformat.read(rel, as_version=4)
                nbformat.validate(nb)
                text = "\n".join(c.source for c in nb.cells)
                self.assertNotIn("BEGIN SOLUTION", text)
                self.assertNotIn("HIDDEN TESTS", text)
                source = nbformat.read(src, as_version=4)
                self.assertEqual([grader(c) for c in nb.cells], [grader(c) for c in source.cells])
                for cell in nb.cells:
                    if cell.cell_type == "code":
                        self.assertEqual(cell.outputs, [])
                        self.assertIsNone(cell.execution_count)
                report, out = self.grade(rel, source=src)
                self.assertEqual(report["score"], 0, out)
                self.assertGreater(report["max_score"], 0)
                for t in report["tests"]:
                    self.assertNotEqual(t["status"], "passed", out)
                    self.assertTrue(t["message"], out)
                errors = [c["error"]["evalue"] for c in report["cells"] if c.get("error")]
                self.assertTrue(any("not implemented yet" in e for e in errors), out)
                for m in report["manual"]:
                    if m["answer"]:
                        self.assertIn("YOUR ANSWER HERE", m["answer"])

    def test_round_trip_release_then_instructor_answers(self):
        # The release with the instructor's answers typed in scores full
        # marks: what assign removed, grade puts back.
        for src in SOURCES:
            with self.subTest(notebook=os.path.basename(src)):
                rel = nbformat.read(self.assign(src), as_version=4)
                source = nbformat.read(src, as_version=4)
                for cell, orig in zip(rel.cells, source.cells):
                    if grader(cell).get("solution"):
                        cell.source = orig.source
                path = self.path("answered-" + os.path.basename(src))
                nbformat.write(rel, path)
                report, text = self.grade(path, source=src)
                self.assertEqual(report["score"], report["max_score"], text)
                self.assertFalse(any(t.get("restored") for t in report["tests"]), text)

    def test_hang(self):
        src = os.path.join(ASSIGNMENTS, "04-racy-counter.ipynb")

        def hang(nb):
            # The owner waits for the end of a channel nobody closes.
            cell = find(nb, "channel")
            cell.source = cell.source.replace("\tclose(incs)\n", "")

        report, text = self.grade(self.submission(src, "hang.ipynb", hang), source=src, timeout="4s")
        tests = self.by_id(report)
        self.assertEqual(tests["mutex-test"]["status"], "passed", text)
        self.assertEqual(tests["channel-test"]["status"], "timeout", text)
        self.assertIn("did not finish within 4s", tests["channel-test"]["message"])
        # The measurement cell hangs too, so its test has nothing to check.
        self.assertEqual(tests["measure-test"]["status"], "failed", text)
        self.assertEqual(report["score"], tests["mutex-test"]["max_points"], text)
        self.assertTrue(any("timed out" in n and "restarted" in n for n in report["notes"]), text)

    def test_panic_in_a_goroutine(self):
        src = os.path.join(ASSIGNMENTS, "04-racy-counter.ipynb")

        def crash(nb):
            find(nb, "channel").source = (
                "func ChannelCount(workers, perWorker int) int {\n"
                "\tincs := make(chan int, workers*perWorker)\n"
                "\tvar wg sync.WaitGroup\n"
                "\tfor w := 0; w < workers; w++ {\n\t\twg.Add(1)\n"
                "\t\tgo func() {\n\t\t\tdefer wg.Done()\n"
                "\t\t\tfor i := 0; i < perWorker; i++ {\n\t\t\t\tincs <- 1\n\t\t\t}\n"
                "\t\t\tclose(incs) // every worker closes: the second panics\n"
                "\t\t}()\n\t}\n\twg.Wait()\n\treturn len(incs)\n}\n")

        report, text = self.grade(self.submission(src, "crash.ipynb", crash), source=src)
        tests = self.by_id(report)
        self.assertEqual(tests["mutex-test"]["status"], "passed", text)
        self.assertEqual(tests["channel-test"]["status"], "crashed", text)
        self.assertRegex(tests["channel-test"]["message"], r"panic: (send on|close of) closed channel \(in a goroutine")
        self.assertEqual(report["score"], tests["mutex-test"]["max_points"], text)
        self.assertTrue(any("run again" in n for n in report["notes"]), text)

    def test_leak(self):
        src = os.path.join(ASSIGNMENTS, "03-goroutine-leak.ipynb")

        def leak(nb):
            find(nb, "first").source = (
                "func First(replicas []string) string {\n\tanswers := make(chan string)\n"
                "\tfor _, r := range replicas {\n\t\tgo func() { answers <- search(r) }()\n\t}\n"
                "\tfirst := <-answers\n\treturn first\n}\n")

        report, text = self.grade(self.submission(src, "leak.ipynb", leak), source=src)
        tests = self.by_id(report)
        self.assertEqual(tests["first-answer"]["status"], "passed", text)
        self.assertEqual(tests["first-no-leak"]["status"], "failed", text)
        self.assertIn("CheckFailed: goroutines left by First(5 replicas)", tests["first-no-leak"]["message"])
        self.assertIn("goroutines left running", tests["first-no-leak"]["message"])
        self.assertEqual(report["score"], tests["first-answer"]["max_points"], text)

    def test_wrong_answer_and_altered_test(self):
        src = os.path.join(ASSIGNMENTS, "01-thread-crossover.ipynb")

        def wrong(nb):
            find(nb, "crossover").source = (
                "func Crossover(t, g, overhead float64) float64 {\n\treturn (t - g) / overhead\n}\n")
            # The student also "fixed" the test; the grader restores it.
            find(nb, "crossover-test").source = 'check.Equal("all good", 1, 1)\n'

        report, text = self.grade(self.submission(src, "wrong.ipynb", wrong), source=src)
        tests = self.by_id(report)
        t = tests["crossover-test"]
        self.assertEqual(t["status"], "failed", text)
        self.assertEqual(t["restored"], "altered", text)
        self.assertEqual(t["message"], "CheckFailed: Crossover(20000, 500, 0.10): got 195,000, want 194,500 ± 1")
        self.assertEqual(report["score"], report["max_score"] - t["max_points"], text)

    def test_deleted_test_cell(self):
        src = os.path.join(ASSIGNMENTS, "02-worker-pool.ipynb")

        def delete(nb):
            nb.cells.remove(find(nb, "pool-no-leak"))
            # ...and the pool leaves a goroutine behind, which that test catches.
            cell = find(nb, "pool")
            cell.source = cell.source.replace("\tresults := make([]int, len(jobs))\n",
                                              "\tresults := make([]int, len(jobs))\n\tgo func() { select {} }()\n")

        report, text = self.grade(self.submission(src, "deleted.ipynb", delete), source=src)
        tests = self.by_id(report)
        t = tests["pool-no-leak"]
        self.assertEqual(t["restored"], "deleted", text)
        self.assertEqual(t["status"], "failed", text)
        self.assertIn("goroutines left running", t["message"])
        self.assertEqual(report["score"], report["max_score"] - t["max_points"], text)
        self.assertTrue(any("pool-no-leak was deleted" in n for n in report["notes"]), text)
        self.assertIn("restored", text)

    def test_hiding_the_checks_is_flagged(self):
        src = os.path.join(ASSIGNMENTS, "01-thread-crossover.ipynb")

        def cheat(nb):
            # Wrong code, and a "check" whose Near never fails.
            find(nb, "crossover").source = (
                "type lenient struct{}\n\nfunc (lenient) Near(what string, got, want, tol float64) {}\n\n"
                "func (lenient) Equal(what string, got, want any) {}\n\nvar check = lenient{}\n\n"
                "func Crossover(t, g, overhead float64) float64 {\n\treturn 1\n}\n")

        report, text = self.grade(self.submission(src, "cheat.ipynb", cheat), source=src)
        self.assertTrue(report["review"], text)
        self.assertIn("REVIEW BY HAND: cell", text)
        self.assertIn("declares the name check", report["review"][0])

    def test_hidden_tests_run_only_with_the_source(self):
        src = os.path.join(ASSIGNMENTS, "05-preemption.ipynb")

        def wrong(nb):
            find(nb, "q1-answer").source = 'answer := "yes"\n'

        sub = self.submission(src, "hidden.ipynb", wrong)
        # The student's copy has no hidden tests.
        rel = nbformat.read(self.assign(sub), as_version=4)
        path = self.path("hidden-release.ipynb")
        find(rel, "q1-answer").source = 'answer := "yes"\n'
        nbformat.write(rel, path)
        with_source, text = self.grade(path, source=src)
        self.assertEqual(self.by_id(with_source)["q1-test"]["status"], "failed", text)
        without, text = self.grade(path)
        self.assertEqual(self.by_id(without)["q1-test"]["status"], "passed", text)
        self.assertTrue(any("without the source" in n for n in without["notes"]), text)

    def test_nbgrader_scoring_rule_through_the_kernel(self):
        # nbgrader's autograder executes the notebook with the notebook's
        # kernel (nbclient, errors allowed) and fails exactly the test cells
        # that have an error output. Check that rule through the real kernel
        # on a submission with one wrong answer.
        from nbclient import NotebookClient

        prefix = self.path("jupyter")
        p = subprocess.run([BIN, "install", "--prefix", prefix, "--name", "goconc-assign-test"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        src = os.path.join(ASSIGNMENTS, "01-thread-crossover.ipynb")
        nb = nbformat.read(src, as_version=4)
        find(nb, "crossover").source = "func Crossover(t, g, overhead float64) float64 {\n\treturn 1\n}\n"
        old = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
        try:
            NotebookClient(nb, kernel_name="goconc-assign-test", timeout=60, allow_errors=True,
                           startup_timeout=60).execute()
        finally:
            if old is None:
                del os.environ["JUPYTER_PATH"]
            else:
                os.environ["JUPYTER_PATH"] = old
        failed = {grader(c)["grade_id"] for c in nb.cells
                  if grader(c).get("grade") and not grader(c).get("solution")
                  and any(o.output_type == "error" for o in c.outputs)}
        self.assertEqual(failed, {"crossover-test"})
        err = [o for o in find(nb, "crossover-test").outputs if o.output_type == "error"][0]
        self.assertTrue(err.evalue.startswith("CheckFailed: Crossover(20000, 500, 0.10): got 1, want 194,500"), err.evalue)
        self.assertFalse(any("goroutine " in line for line in err.traceback), err.traceback)

    def test_graded_notebook_is_written(self):
        src = SOURCES[0]
        out = self.path("graded.ipynb")
        p = subprocess.run([BIN, "grade", src, "--source", src, "--out", out, "-q"], capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        nb = nbformat.read(out, as_version=4)
        nbformat.validate(nb)
        self.assertTrue(any(c.cell_type == "code" and c.outputs for c in nb.cells))


if __name__ == "__main__":
    unittest.main()
