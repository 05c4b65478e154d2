"""Runs issue 5's list of bad inputs against a live goconc kernel and reports.

One line per case: whether the kernel survived (it answers and the next cell
works), whether the state was kept (a variable defined before the case still
has its value; "lost*" marks the cases where losing the worker is the
expected outcome and the cell said so), and the error or note the user saw,
trimmed. A total follows. The exit status is 0 when every case came out as
expected.

Run with: JUPYTER_PATH=... GOCONC_KERNEL=... /usr/bin/python3 reliability_report.py
"""

import hashlib
import hmac
import json
import os
import socket
import sys
import time
import uuid

import zmq
from jupyter_client.manager import start_new_kernel

from test_reliability import (KERNEL, drain_iopub, error_text, errors_of, goroutine_count, result_of,
                              run_cell, shell_reply, streams, wait_cell)

WIDTH = 90  # of the error column


def trim(text):
    text = " ".join(text.split())
    return text if len(text) <= WIDTH else text[:WIDTH - 1] + "…"


class Outcome(Exception):
    """Raised by a case that did not end as it must."""


class Runner:
    def __init__(self):
        self.start()
        self.rows = []
        self.n = 0

    def start(self):
        self.km, self.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)

    def stop(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)

    def new_client(self):
        self.kc.stop_channels()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def cell(self, code, timeout=60, allow_stdin=False):
        return run_cell(self.kc, code, timeout, allow_stdin)

    def error_of(self, code, timeout=60, allow_stdin=False):
        """Runs code that must fail with exactly one error output."""
        reply, out = self.cell(code, timeout, allow_stdin)
        errs = errors_of(out)
        if reply["status"] != "error" or len(errs) != 1:
            raise Outcome("status %s with %d error outputs" % (reply["status"], len(errs)))
        return error_text(errs[0]).split("\n")[0]

    def interrupted(self, code, wait=1.0):
        msg_id = self.kc.execute(code)
        time.sleep(wait)
        t0 = time.monotonic()
        self.km.interrupt_kernel()
        reply = shell_reply(self.kc, msg_id, timeout=60)["content"]
        took = time.monotonic() - t0
        drain_iopub(self.kc)
        if reply["status"] != "error":
            raise Outcome("not stopped: status %s" % reply["status"])
        return "stopped in %.2f s: %s" % (took, error_text(reply).split("\n")[0])

    def alive(self):
        try:
            if not self.km.is_alive():
                return False
            reply, out = self.cell("6 * 7", timeout=30)
            return reply["status"] == "ok" and result_of(out) == "42"
        except Exception:
            return False

    def case(self, name, fn, state="kept"):
        """Runs one case. state: "kept" (definitions must survive), "lost"
        (the worker is replaced, as the cell is told) or "-" (not relevant)."""
        self.n += 1
        var, val = "reportKeep%d" % self.n, self.n
        if state != "-":
            self.cell("%s := %d" % (var, val))
        ok = True
        try:
            text = fn()
        except Exception as e:  # the report goes on; the line says what failed
            text, ok = "FAILED: %s" % e, False
        survived = self.alive()
        kept = "-"
        if state != "-" and survived:
            reply, out = self.cell(var)
            has = reply["status"] == "ok" and result_of(out) == str(val)
            kept = "yes" if has else ("lost*" if state == "lost" else "NO")
            ok = ok and (has == (state == "kept"))
        ok = ok and survived
        self.rows.append((name, "yes" if survived else "NO", kept, trim(text), ok))
        if not survived:
            self.stop()
            self.start()

    def report(self):
        w = max(len(r[0]) for r in self.rows)
        print("%-*s  %-8s  %-5s  %s" % (w, "case", "survived", "state", "error / note"))
        for name, surv, kept, text, ok in self.rows:
            print("%-*s  %-8s  %-5s  %s%s" % (w, name, surv, kept, text, "" if ok else "   <-- UNEXPECTED"))
        good = sum(r[4] for r in self.rows)
        alive = sum(r[1] == "yes" for r in self.rows)
        kept = sum(r[2] == "yes" for r in self.rows)
        lost = sum(r[2] == "lost*" for r in self.rows)
        print("total: %d cases, %d as expected; kernel survived %d/%d; state kept %d, lost as expected %d (* worker replaced, cell told)"
              % (len(self.rows), good, alive, len(self.rows), kept, lost))
        return good == len(self.rows)


def stream_note(out, *words):
    text = streams(out)
    for line in text.splitlines():
        if "[goconc:" in line:
            return line
    for w in words:
        if w in text:
            return w
    return "stream of %d bytes" % len(text)


def main():
    r = Runner()

    # Crashes of the cell and of the worker.
    r.case("panic in the cell", lambda: r.error_of('panic("boom")'))
    r.case("panic in a goroutine", lambda: r.error_of(
        'import "time"\ngo func() { panic("boom in a goroutine") }()\ntime.Sleep(3 * time.Second)'), state="lost")
    def idle_crash():
        r.cell('import "time"\ngo func() { time.Sleep(300 * time.Millisecond); panic("boom while idle") }()')
        time.sleep(1.5)
        _, out = r.cell("1")
        note = streams(out, "stderr").strip()
        if "boom while idle" not in note:
            raise Outcome("the next cell was not told: %r" % note)
        return note
    r.case("panic in a goroutine after its cell", idle_crash, state="lost")
    r.case("os.Exit(3)", lambda: r.error_of('import "os"\nos.Exit(3)'))
    r.case("log.Fatal", lambda: r.error_of('import "log"\nlog.Fatal("fatal")'))
    r.case("runtime.Goexit", lambda: r.error_of('import "runtime"\nruntime.Goexit()'))
    r.case("fatal error: thread exhaustion", lambda: r.error_of(
        'import "runtime/debug"\ndebug.SetMaxThreads(1)'), state="lost")
    r.case("fatal error: concurrent map writes", lambda: r.error_of(
        'import "time"\nm := map[int]int{}\nfor g := 0; g < 4; g++ { go func() { for j := 0; ; j++ { m[j%100] = j } }() }\n'
        "time.Sleep(20 * time.Second)"), state="lost")

    # Runaway and blocked cells.
    r.case("endless loop, interrupted", lambda: r.interrupted("n := 0\nfor { n++ }"))
    r.case("endless native helper, interrupted", lambda: r.interrupted(
        'import "github.com/goconc/goconc/kernel-ext/workload"\n'
        "_, err := workload.RunCPU(ctx, workload.CPUConfig{Chunks: 1 << 40, ChunkSize: 4096, Workers: []int{2}, "
        "GOMAXPROCS: []int{2}, Reps: 1000, Warmup: 1})\nerr", wait=1.5))

    r.case("native call ignoring ctx, interrupted", lambda: r.interrupted('import "time"\ntime.Sleep(time.Hour)'))

    def idle_interrupt():
        r.km.interrupt_kernel()
        time.sleep(0.3)
        return "interrupt_reply ok; nothing to stop"
    r.case("interrupt while idle", idle_interrupt)

    def two_interrupts():
        msg_id = r.kc.execute("for {}")
        time.sleep(1.0)
        r.km.interrupt_kernel()
        r.km.interrupt_kernel()
        reply = shell_reply(r.kc, msg_id)["content"]
        r.km.interrupt_kernel()
        drain_iopub(r.kc)
        return "both answered; " + error_text(reply).split("\n")[0]
    r.case("two interrupts in a row", two_interrupts)
    r.case("blocked on a channel, interrupted", lambda: r.interrupted("ch := make(chan int)\n<-ch"))
    r.case("blocked on a WaitGroup, interrupted", lambda: r.interrupted(
        'import "sync"\nvar wg sync.WaitGroup\nwg.Add(1)\nwg.Wait()'))

    # Goroutines that outlive their cell; too many goroutines or threads.
    def late_output():
        r.cell('import ("fmt"; "time")\ngo func() { time.Sleep(300 * time.Millisecond); fmt.Println("late") }()')
        time.sleep(1.0)
        _, out = r.cell('fmt.Println("next")')
        if "late" not in streams(out):
            raise Outcome("the late line was lost")
        return stream_note(out)
    r.case("goroutine printing after its cell", late_output)

    def late_during():
        r.cell('import ("fmt"; "time")\ngo func() { time.Sleep(300 * time.Millisecond); fmt.Println("from A") }()')
        _, out = r.cell('time.Sleep(800 * time.Millisecond)\nfmt.Println("B itself")')
        text = streams(out)
        marked = [l for l in text.splitlines() if "from A" in l]
        if not marked or not marked[0].startswith("[goconc:") or "B itself" not in text.splitlines():
            raise Outcome("not marked: %r" % text)
        return marked[0]
    r.case("goroutine printing during a later cell", late_during)

    def goroutines_magic():
        base, _ = goroutine_count(r.kc)
        r.cell("stopLeft := make(chan struct{})\nfor i := 0; i < 50; i++ { go func() { <-stopLeft }() }")
        _, out = r.cell("%goroutines")
        r.cell("close(stopLeft)")
        text = streams(out)
        now = int(text.split("goroutines: ")[1].split()[0])
        if now < base + 50:
            raise Outcome("%%goroutines shows %d, want >= %d" % (now, base + 50))
        return "50 left blocked: %d goroutines (baseline %d), by state: %s" % (now, base, text.split("by state: ")[1].strip())
    r.case("%goroutines after a cell", goroutines_magic)

    def ten_million():
        base, base_threads = goroutine_count(r.kc)
        text = r.interrupted("block := make(chan struct{})\nfor i := 0; i < 10000000; i++ { go func() { <-block }() }", wait=2.0)
        for _ in range(50):
            now, threads = goroutine_count(r.kc)
            if now < base + 20:
                break
            time.sleep(0.2)
        if now >= base + 20 or threads >= base_threads + 20:
            raise Outcome("goroutines %d (baseline %d), threads %d (baseline %d)" % (now, base, threads, base_threads))
        return "%s; goroutines back to %d (baseline %d), threads %d (%d)" % (text, now, base, threads, base_threads)
    r.case("1e7 goroutines, interrupted", ten_million)

    def bomb():
        r.cell("%restart GOCONC_MEMORY_LIMIT=300MiB")
        r.cell("reportBomb := 1")
        text = r.error_of("bomb := make(chan struct{})\nfor i := 0; i < 100000000; i++ { go func() { <-bomb }() }", timeout=120)
        reply, _ = r.cell("reportBomb")
        r.cell("%restart")
        if reply["status"] != "ok":
            raise Outcome("state lost: " + error_text(reply))
        return text
    r.case("goroutine bomb, memory guard (300MiB)", bomb, state="-")
    r.case("more threads than the bound", lambda: r.error_of(
        'import "github.com/goconc/goconc/kernel-ext/workload"\n'
        "_, err := workload.RunSpawn(ctx, workload.SpawnConfig{Goroutines: 10, Threads: 1 << 30, Reps: 1})\n"
        "if err != nil { panic(err) }"))

    # Floods of output.
    def flood(code, check):
        reply, out = r.cell(code, timeout=120)
        if reply["status"] != "ok":
            raise Outcome(error_text(reply).split("\n")[0])
        return check(out)

    def sent(out):
        return sum(len(json.dumps(m["content"])) for m in out)
    r.case("100 MB printed", lambda: flood(
        'import ("fmt"; "strings")\nline := strings.Repeat("x", 1023) + "\\n"\nfor i := 0; i < 100*1024; i++ { fmt.Print(line) }',
        lambda out: "%d MB sent; %s" % (sent(out) >> 20, stream_note(out))))
    r.case("a 10 MB line", lambda: flood(
        'import ("fmt"; "strings")\nfmt.Println(strings.Repeat("y", 10 << 20))',
        lambda out: "%d MB sent; %s" % (sent(out) >> 20, stream_note(out))))
    r.case("invalid UTF-8", lambda: flood(
        'import "fmt"\nfmt.Println("a\\xffb")',
        lambda out: "printed as %r" % streams(out).strip()))
    r.case("a 50 MB display", lambda: flood(
        'import ("strings"; "github.com/goconc/goconc/kernel-ext/display")\ndisplay.HTML(strings.Repeat("z", 50 << 20))',
        lambda out: "%d KB sent; %s" % (sent(out) >> 10, [m["content"]["data"]["text/plain"] for m in out if m["msg_type"] == "display_data"][0])))

    def huge_panic():
        text = r.error_of('import "strings"\npanic(strings.Repeat("p", 20 << 20))', timeout=120)
        return "%d KB shown: %s" % (len(text) >> 10, text[:30] + " … " + text[-40:])
    r.case("panic with a 20 MB value", huge_panic)

    # Standard input.
    def stdin_allowed():
        msg_id = r.kc.execute('import "fmt"\nvar name string\nfmt.Scanln(&name)\nfmt.Println("hello,", name)', allow_stdin=True)
        req = r.kc.get_stdin_msg(timeout=30)
        r.kc.input("gopher")
        _, out = wait_cell(r.kc, msg_id)
        return "%s, then %r" % (req["msg_type"], streams(out).strip())
    r.case("stdin, allowed", stdin_allowed)
    r.case("stdin, not allowed", lambda: r.error_of('import "fmt"\nvar name2 string\nfmt.Scanln(&name2)'))

    def stdin_interrupted():
        msg_id = r.kc.execute('import "fmt"\nvar name3 string\nfmt.Scanln(&name3)', allow_stdin=True)
        r.kc.get_stdin_msg(timeout=30)
        r.km.interrupt_kernel()
        reply = shell_reply(r.kc, msg_id)["content"]
        drain_iopub(r.kc)
        return error_text(reply).split("\n")[0]
    r.case("stdin, interrupted", stdin_interrupted)

    # Compile errors: one error output, on the cell's own line.
    for code in ["a := 1\n_ = a\nb := )", "x := 1\nfunc f( {\n}", "y := 2\n_ = y\n}", 's := "unterminated\n_ = s',
                 "c := 1\n_ = c\nd := 1 @ 2", "for {\n", 'import "no/such/package"', "var n string = 1",
                 "k := 1\n_ = k\nk2 := undefinedName + 1", "func g() int {\n\treturn\n}", 'import "fmt"\nfmt.NoSuchFunc()']:
        r.case("compile error: " + code.replace("\n", "⏎").replace("\t", " "), lambda code=code: r.error_of(code))

    # The client and the kernel's life.
    def client_gone():
        r.kc.execute('import ("fmt"; "time")\nfor i := 0; i < 10; i++ { fmt.Println(i); time.Sleep(100 * time.Millisecond) }')
        time.sleep(0.3)
        r.new_client()
        return "a new client connected and works"
    r.case("client disappears mid-cell", client_gone)

    def restart_running():
        r.kc.execute("for {}")
        time.sleep(1.0)
        t0 = time.monotonic()
        r.km.restart_kernel(now=False)
        took = time.monotonic() - t0
        r.new_client()
        return "restarted in %.1f s (a fresh kernel: state lost by request)" % took
    r.case("restart while a cell runs", restart_running, state="-")

    # Strangers on the shell socket.
    info = r.km.get_connection_info()
    key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
    zctx = zmq.Context()

    def raw(frames_list, wait=1.0):
        s = zctx.socket(zmq.DEALER)
        s.setsockopt(zmq.LINGER, 0)
        s.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
        for f in frames_list:
            s.send_multipart(f)
        got = []
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if s.poll(100):
                got.append(s.recv_multipart())
        s.close()
        return got

    def parts(code, msg_id=None):
        header = {"msg_id": msg_id or uuid.uuid4().hex, "msg_type": "execute_request", "username": "stranger",
                  "session": uuid.uuid4().hex, "date": "2026-01-01T00:00:00Z", "version": "5.3"}
        content = {"code": code, "silent": False, "store_history": False, "user_expressions": {}, "allow_stdin": False}
        return [json.dumps(p).encode() for p in (header, {}, {}, content)]

    def sign(ps):
        h = hmac.new(key, digestmod=hashlib.sha256)
        for p in ps:
            h.update(p)
        return h.hexdigest().encode()

    def not_run(name, sig):
        p = parts("%s := 1" % name)
        got = raw([[b"<IDS|MSG>", sig(p)] + p])
        reply, _ = r.cell(name)
        if got or reply["status"] != "error":
            raise Outcome("executed or answered")
        return "dropped: no reply, %s never defined" % name
    r.case("wrong signature", lambda: not_run("pwnedWrong", lambda p: b"0" * 64))
    r.case("missing signature", lambda: not_run("pwnedMissing", lambda p: b""))

    def replay():
        r.cell("replayCount := 0")
        p = parts("replayCount++")
        frames = [b"<IDS|MSG>", sign(p)] + p
        raw([frames, frames])
        _, out = r.cell("replayCount")
        if result_of(out) != "1":
            raise Outcome("ran %s times" % result_of(out))
        return "the signed message ran once, its replay was dropped"
    r.case("replayed message", replay)

    def malformed():
        big = parts("1")
        big[0] = json.dumps({"msg_id": "x" * (4 << 20), "msg_type": "execute_request"}).encode()
        raw([[b"no delimiter"], [b"<IDS|MSG>"], [b"<IDS|MSG>", b"0" * 64, b"{not json", b"{}", b"{}", b"{}"],
             [b"<IDS|MSG>", sign(big)] + big, [b"x" * (1 << 20)] * 8])
        for port in (info["hb_port"], info["control_port"], info["shell_port"]):
            with socket.create_connection((info["ip"], port), timeout=5) as c:
                c.sendall(b"\xff" + b"\x00" * 8 + b"\x7f" + os.urandom(200))
        return "malformed frames, a 4 MB header and raw TCP garbage dropped"
    r.case("malformed frames", malformed)
    zctx.destroy(linger=0)

    def shutdown_running():
        r.kc.execute("for {}")
        time.sleep(1.0)
        t0 = time.monotonic()
        r.km.shutdown_kernel(now=False)
        took = time.monotonic() - t0
        if r.km.is_alive():
            raise Outcome("still running")
        r.stop()
        r.start()
        return "the kernel exited cleanly in %.1f s (a new one was started)" % took
    r.case("shutdown while a cell runs", shutdown_running, state="-")

    ok = r.report()
    r.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
