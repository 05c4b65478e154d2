"""The Jupyter kernel conformance suite (jupyter_kernel_test) run against goconc.

Every sample is filled, so none of the suite's twelve tests is skipped.
Run with: JUPYTER_PATH=... /usr/bin/python3 -m unittest -v test_conformance
"""

import os
import unittest

import jupyter_kernel_test as jkt

KERNEL = os.environ.get("GOCONC_KERNEL", "goconc")
DISPLAY = 'import "github.com/goconc/goconc/kernel-ext/display"\n'


class GoconcKernelTests(jkt.KernelTests):
    kernel_name = KERNEL
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'import "fmt"\nfmt.Println("hello, world")'
    # yaegi's builtin println writes to stdout (Go's writes to stderr), so
    # the sample writes to os.Stderr as Go code meant for stderr does.
    code_stderr = 'import (\n\t"fmt"\n\t"os"\n)\nfmt.Fprintln(os.Stderr, "oops, on stderr")'

    completion_samples = [
        {"text": 'import "strings"\nstrings.TrimSpa', "matches": {"TrimSpace"}},
        {"text": "var goroutineCount = 3\ngoroutineCo", "matches": {"goroutineCount"}},
    ]

    complete_code_samples = ["1 + 1", "x := 1", "func f() {}", 'import "fmt"\nfmt.Println(1)']
    incomplete_code_samples = ["func f() {", "for i := 0; i < 3; i++ {", 'x := `unterminated', "fmt.Println(1,"]
    invalid_code_samples = ["x := )", "func func", "1 + / 2", "}"]

    code_page_something = "%doc strings.Split"

    code_generate_error = 'panic("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"go" + "routine"', "result": '"goroutine"'},
        {"code": "[]int{1, 2, 3}", "result": "[1 2 3]"},
    ]

    code_display_data = [
        {"code": DISPLAY + 'display.HTML("<b>goroutines</b>")', "mime": "text/html"},
        {"code": DISPLAY + 'display.Markdown("*threads*")', "mime": "text/markdown"},
    ]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "1 ?*"

    code_inspect_sample = "strings.Split"

    code_clear_output = DISPLAY + "display.ClearOutput(false)"


if __name__ == "__main__":
    unittest.main()
