"""A real browser runs a goconc notebook: the classic Notebook server (Debian's)
on 127.0.0.1 with a token, headless Chromium driven by playwright-core, Kernel >
Restart & Run All; the test finds an inline plot image and the expected text and
keeps a screenshot.

Environment: GOCONC_BROWSER_NOTEBOOK (the notebook to open), GOCONC_BROWSER_EXPECT
(text that must appear), GOCONC_SCREENSHOT (where the screenshot goes),
GOCONC_KERNEL (the kernelspec the notebook is opened with). The notebook runs in
quick mode (GOCONC_QUICK=1). With GOCONC_BROWSER_REQUIRED=1 (make test) a
missing Chromium or playwright-core fails the test instead of skipping it.
"""

import os
import secrets
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.request

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
JUPYTER = os.environ.get("JUPYTER", "/usr/bin/jupyter")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


HAVE_BROWSER = os.path.exists("/usr/bin/chromium") and os.path.isdir(
    os.path.join(HERE, "browser", "node_modules", "playwright-core"))
REQUIRED = os.environ.get("GOCONC_BROWSER_REQUIRED") == "1"


@unittest.skipUnless(HAVE_BROWSER or REQUIRED, "Chromium or playwright-core missing: run .ci/deps --browser")
class BrowserTest(unittest.TestCase):
    def test_run_all_in_the_notebook_server(self):
        self.assertTrue(HAVE_BROWSER, "Chromium or playwright-core missing: run .ci/deps --browser")
        notebook = os.environ["GOCONC_BROWSER_NOTEBOOK"]
        expect = os.environ["GOCONC_BROWSER_EXPECT"]
        screenshot = os.path.abspath(os.environ.get("GOCONC_SCREENSHOT", "browser-screenshot.png"))
        os.makedirs(os.path.dirname(screenshot), exist_ok=True)
        token = secrets.token_hex(16)
        port = free_port()
        with tempfile.TemporaryDirectory() as d:
            # The copy names the kernelspec under test, as a user picking
            # it in Kernel > Change kernel would.
            nb = nbformat.read(notebook, as_version=4)
            nb.metadata["kernelspec"] = {"name": os.environ.get("GOCONC_KERNEL", "goconc"),
                                         "display_name": "Go (goconc)", "language": "go"}
            nbformat.write(nb, os.path.join(d, os.path.basename(notebook)))
            env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1", GOCONC_QUICK="1",
                       GOCONC_OUT=os.path.join(d, "results"))
            server = subprocess.Popen(
                [JUPYTER, "notebook", "--no-browser", "--ip=127.0.0.1", "--port=%d" % port,
                 "--port-retries=0", "--NotebookApp.token=" + token, "--allow-root",
                 "--notebook-dir=" + d],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
            try:
                base = "http://127.0.0.1:%d" % port
                deadline = time.monotonic() + 60
                while True:
                    try:
                        urllib.request.urlopen(base + "/api/status?token=" + token, timeout=2)
                        break
                    except OSError:
                        if time.monotonic() > deadline or server.poll() is not None:
                            raise AssertionError("the Notebook server did not start")
                        time.sleep(0.3)
                url = "%s/notebooks/%s?token=%s" % (base, os.path.basename(notebook), token)
                p = subprocess.run(["node", os.path.join(HERE, "browser", "runall.mjs"), url, screenshot, expect, "600"],
                                   capture_output=True, text=True, timeout=900)
                print(p.stdout + p.stderr)
                self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
                self.assertTrue(os.path.getsize(screenshot) > 10000)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()


if __name__ == "__main__":
    unittest.main()
