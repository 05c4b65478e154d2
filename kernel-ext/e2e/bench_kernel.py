"""Kernel speed, goconc beside ipykernel, measured in one run on one machine.

For each kernel: start to first kernel_info_reply (the kernel process is
launched, a client connects and asks; time until the reply arrives), and a
trivial cell's round trip (execute_request sent until status idle), medians
over many runs.

The trivial cell is timed with two clients:

- jupyter_client's BlockingKernelClient, what scripts use. Each of its calls
  runs an asyncio event loop (nest_asyncio) and each message is deserialised
  with date parsing, about half a millisecond per message on a small
  machine: with the five messages of a cell that is most of the figure.
- a direct client: synchronous pyzmq sockets, HMAC-SHA256 signing and
  verification of every message and JSON decoding of its header, parent
  header and content, which is what any client must do; nothing else. Its
  figure is close to the kernel's own latency.

Both clients are also timed against a null kernel (this script run with
--null-kernel: pyzmq answering each request at once with the messages a
kernel sends). What they measure there is the client's own cost plus what
Python needs to answer: a kernel near that figure spends next to nothing.

The start figure of a kernel that starts in well under 100 ms is bimodal:
the client connects at once, and when a socket is not bound yet ZeroMQ
retries only after its reconnect interval (100 ms by default). The minimum
is printed beside the median for that reason.

Usage: bench_kernel.py [--starts N] [--cells N] [KERNEL ...]
"""

import argparse
import datetime
import hashlib
import hmac
import json
import os
import platform
import queue
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid

import zmq

TRIVIAL = {"goconc": "1 + 1", "python3": "1 + 1"}
NULL_KERNEL = "bench-null-kernel"
DELIM = b"<IDS|MSG>"


def median_iqr(xs):
    q = statistics.quantiles(xs, n=4)
    return statistics.median(xs), q[0], q[2]


def time_start(name, runs):
    from jupyter_client.manager import KernelManager

    times, failed = [], 0
    while len(times) < runs:
        km = KernelManager(kernel_name=name)
        t0 = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        msg_id = kc.kernel_info()
        try:
            while True:
                reply = kc.get_shell_msg(timeout=30)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
            times.append(time.perf_counter() - t0)
        except queue.Empty:
            # jupyter_client picks free ports before the kernel binds them;
            # on a busy machine another process sometimes takes one first.
            failed += 1
            if failed > max(3, runs // 10):
                raise
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    if failed:
        print("%s: %d start(s) failed (a port taken before the kernel bound it) and were repeated" % (name, failed))
    return times


def time_cells(name, code, runs):
    """Round trips of code through jupyter_client's blocking client."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    times = []
    for i in range(runs + 10):
        t0 = time.perf_counter()
        msg_id = kc.execute(code)
        while True:
            msg = kc.get_iopub_msg(timeout=30)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                break
        dt = time.perf_counter() - t0
        kc.get_shell_msg(timeout=30)
        if i >= 10:  # the first cells warm up caches and the worker
            times.append(dt)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return times


class Wire:
    """Signing and parsing of Jupyter messages, as the protocol defines them."""

    def __init__(self, key):
        self.key = key
        self.session = str(uuid.uuid4())

    def sign(self, parts):
        if not self.key:
            return b""
        h = hmac.new(self.key, digestmod=hashlib.sha256)
        for p in parts:
            h.update(p)
        return h.hexdigest().encode()

    def send(self, sock, msg_type, content, parent=None, idents=(), metadata=None):
        header = {"msg_id": uuid.uuid4().hex, "session": self.session, "username": "bench",
                  "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
                  "msg_type": msg_type, "version": "5.3"}
        parts = [json.dumps(p).encode() for p in (header, parent or {}, metadata or {}, content)]
        sock.send_multipart(list(idents) + [DELIM, self.sign(parts)] + parts)
        return header["msg_id"]

    def recv(self, sock):
        """Returns identities, header, parent header and content; raises on a bad signature."""
        frames = sock.recv_multipart()
        i = frames.index(DELIM)
        sig, header, parent, metadata, content = frames[i + 1:i + 6]
        if not hmac.compare_digest(sig, self.sign([header, parent, metadata, content])):
            raise ValueError("message with a bad signature")
        return frames[:i], json.loads(header), json.loads(parent), json.loads(content)


def time_cells_direct(name, code, runs):
    """Round trips of code through the direct client (see the docstring)."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=name)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    kc.stop_channels()
    info = km.get_connection_info()
    key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
    wire = Wire(key)
    ctx = zmq.Context()
    shell = ctx.socket(zmq.DEALER)
    iopub = ctx.socket(zmq.SUB)
    iopub.setsockopt(zmq.SUBSCRIBE, b"")
    shell.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
    iopub.connect("%s://%s:%d" % (info["transport"], info["ip"], info["iopub_port"]))
    # Messages published before the subscription arrives are lost: ask
    # until a status comes through, then let the rest arrive and drop it.
    deadline = time.monotonic() + 30
    while not iopub.poll(100):
        if time.monotonic() > deadline:
            raise RuntimeError("no IOPub message from %s" % name)
        wire.send(shell, "kernel_info_request", {})
    time.sleep(0.2)
    for sock in (iopub, shell):
        while sock.poll(0):
            sock.recv_multipart()
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True}
    times = []
    for i in range(runs + 10):
        t0 = time.perf_counter()
        msg_id = wire.send(shell, "execute_request", content)
        while True:
            _, header, parent, c = wire.recv(iopub)
            if (parent.get("msg_id") == msg_id and header["msg_type"] == "status"
                    and c["execution_state"] == "idle"):
                break
        dt = time.perf_counter() - t0
        while True:
            _, header, parent, _ = wire.recv(shell)
            if parent.get("msg_id") == msg_id:
                break
        if i >= 10:
            times.append(dt)
    shell.close(0)
    iopub.close(0)
    ctx.term()
    km.shutdown_kernel(now=True)
    return times


def null_kernel(connection_file):
    """A kernel that evaluates nothing: it answers at once, as fast as pyzmq allows."""
    # jupyter_client interrupts a kernel it shuts down; that is no error here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with open(connection_file) as f:
        info = json.load(f)
    wire = Wire(info["key"].encode())
    ctx = zmq.Context()

    def bind(kind, port):
        s = ctx.socket(kind)
        s.bind("%s://%s:%d" % (info["transport"], info["ip"], port))
        return s

    shell, control = bind(zmq.ROUTER, info["shell_port"]), bind(zmq.ROUTER, info["control_port"])
    bind(zmq.ROUTER, info["stdin_port"])
    iopub, hb = bind(zmq.PUB, info["iopub_port"]), bind(zmq.REP, info["hb_port"])
    poller = zmq.Poller()
    for s in (shell, control, hb):
        poller.register(s, zmq.POLLIN)
    count = 0
    while True:
        for sock, _ in poller.poll():
            if sock is hb:
                hb.send_multipart(hb.recv_multipart())
                continue
            try:
                idents, header, _, content = wire.recv(sock)
            except ValueError:
                continue
            msg_type = header["msg_type"]
            wire.send(iopub, "status", {"execution_state": "busy"}, header, [b"status"])
            if msg_type == "kernel_info_request":
                wire.send(sock, "kernel_info_reply", {
                    "status": "ok", "protocol_version": "5.3", "implementation": "null",
                    "implementation_version": "0", "banner": "",
                    "language_info": {"name": "null", "version": "0", "mimetype": "text/plain",
                                      "file_extension": ".txt"}}, header, idents)
            elif msg_type == "execute_request":
                count += 1
                wire.send(iopub, "execute_input", {"code": content["code"], "execution_count": count},
                          header, [b"execute_input"])
                wire.send(iopub, "execute_result", {"execution_count": count, "data": {"text/plain": "2"},
                                                    "metadata": {}}, header, [b"execute_result"])
                wire.send(sock, "execute_reply", {"status": "ok", "execution_count": count,
                                                  "user_expressions": {}, "payload": []},
                          header, idents, {"status": "ok"})
            elif msg_type == "shutdown_request":
                wire.send(sock, "shutdown_reply", {"status": "ok", "restart": False}, header, idents)
                wire.send(iopub, "status", {"execution_state": "idle"}, header, [b"status"])
                return
            wire.send(iopub, "status", {"execution_state": "idle"}, header, [b"status"])


def install_null_kernel():
    """Makes the null kernel findable by jupyter_client; returns the directory to remove."""
    d = tempfile.mkdtemp(prefix="bench-kernel-")
    spec = os.path.join(d, "kernels", NULL_KERNEL)
    os.makedirs(spec)
    with open(os.path.join(spec, "kernel.json"), "w") as f:
        json.dump({"argv": [sys.executable, os.path.abspath(__file__), "--null-kernel", "{connection_file}"],
                   "display_name": "null kernel (bench_kernel.py)", "language": "null"}, f)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [d, os.environ.get("JUPYTER_PATH")]))
    return d


def fmt(xs):
    m, q1, q3 = median_iqr(xs)
    return "median %6.2f ms (IQR %.2f-%.2f, min %.2f)" % (m * 1e3, q1 * 1e3, q3 * 1e3, min(xs) * 1e3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=100)
    ap.add_argument("--cells", type=int, default=300)
    ap.add_argument("--null-kernel", metavar="CONNECTION_FILE", help=argparse.SUPPRESS)
    ap.add_argument("kernels", nargs="*", default=[os.environ.get("GOCONC_KERNEL", "goconc"), "python3"])
    a = ap.parse_args()
    if a.null_kernel:
        null_kernel(a.null_kernel)
        return
    print("machine: %s, %d CPUs, Python %s" % (platform.machine(), os.cpu_count(), platform.python_version()))
    print("runs: %d starts, %d trivial cells per kernel and client (after 10 warm-up cells)" % (a.starts, a.cells))
    tmp = install_null_kernel()
    try:
        floor = time_cells(NULL_KERNEL, "1 + 1", a.cells), time_cells_direct(NULL_KERNEL, "1 + 1", a.cells)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%-12s trivial cell via jupyter_client: %s;  direct client: %s" % ("null kernel", fmt(floor[0]), fmt(floor[1])))
    sys.stdout.flush()
    res = {}
    for name in a.kernels:
        code = TRIVIAL.get(name, "1 + 1")
        starts = time_start(name, a.starts)
        cells = time_cells(name, code, a.cells)
        direct = time_cells_direct(name, code, a.cells)
        res[name] = (median_iqr(starts)[0], median_iqr(cells)[0], median_iqr(direct)[0])
        sm, sq1, sq3 = median_iqr(starts)
        print("%-12s start to kernel_info_reply: median %7.1f ms (IQR %.1f-%.1f, min %.1f)   "
              "trivial cell: %s" % (name, sm * 1e3, sq1 * 1e3, sq3 * 1e3, min(starts) * 1e3, fmt(cells)))
        print("%-12s trivial cell, direct client: %s" % (name, fmt(direct)))
        sys.stdout.flush()
    if len(a.kernels) >= 2:
        base, other = a.kernels[0], a.kernels[1]
        print("ratio %s/%s: start %.2fx, trivial cell %.2fx (direct client %.2fx)" % (
            other, base, res[other][0] / res[base][0], res[other][1] / res[base][1], res[other][2] / res[base][2]))
    print("(null kernel: pyzmq answering at once; its figures bound from above what the client itself costs)")


if __name__ == "__main__":
    main()
