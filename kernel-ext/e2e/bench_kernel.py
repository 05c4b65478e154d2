"""Kernel speed: goconc against its floors and ipykernel, measured in one run on one machine.

Three figures of goconc, each printed with its median and spread (IQR, min),
the floor it is held against measured in the same run, their ratio and
whether the target of issue 9 is met (nothing is asserted: a benchmark):

- start: from launching the kernel process until the first
  kernel_info_reply arrives. Its floor is the floor kernel
  (kernel-ext/internal/floorkernel, built by make bench): goconc's own
  transport and dispatcher in a Go process whose interpreter evaluates
  nothing, so that the difference is what goconc-kernel does beyond them
  (its package initialisation, the supervisor starting the worker).
  Target: at most 1.5x. The two kernels' starts alternate, so that both see
  the same load of a shared machine.
- start to the first cell's result: the same start, then the trivial cell
  until its execute_reply (which goconc sends after the result), so it
  includes the worker's start; the floor kernel's figure is beside it. No
  target: reported.
- trivial cell: one cell's round trip in a warm kernel (execute_request
  sent until status idle). Its floor is the instant kernel (this script run
  with --null-kernel: pyzmq answering each request at once with the
  messages a kernel sends), which costs the client and Python what they
  cost and the kernel nothing. Target: at most 1.25x. The floor kernel's
  cell is printed beside them: goconc's transport and dispatcher without
  the worker, which tells where goconc's share of the figure goes.

Starts are timed with two clients, and so is the trivial cell:

- jupyter_client (KernelManager, BlockingKernelClient), what front ends and
  scripts use. Each of its calls runs an asyncio event loop (nest_asyncio)
  and each message is deserialised with date parsing, about half a
  millisecond per message on a small machine.
- a direct client: synchronous pyzmq sockets, HMAC-SHA256 signing and
  verification of every message and JSON decoding of its header, parent
  header and content, which is what any client must do; nothing else. For
  a start it writes the connection file and runs the kernelspec's argv
  itself, and its socket retries its connection every millisecond, where
  ZeroMQ's default is 100 ms: a kernel that has not bound its port yet when
  jupyter_client first connects is found only 100 ms later, which makes
  jupyter_client's start figures bimodal on a busy machine (the minimum is
  printed for that reason).

ipykernel (python3) is measured the same way, for comparison.

Usage: bench_kernel.py [--starts N] [--cells N] [--floor-kernel PATH] [KERNEL ...]
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
import subprocess
import sys
import tempfile
import time
import uuid

import zmq

TRIVIAL = {"goconc": "1 + 1", "python3": "1 + 1"}
NULL_KERNEL = "bench-null-kernel"
FLOOR_KERNEL = "bench-floor-kernel"
DELIM = b"<IDS|MSG>"


def median_iqr(xs):
    q = statistics.quantiles(xs, n=4)
    return statistics.median(xs), q[0], q[2]


def start_once(name, code):
    """One start through jupyter_client: seconds to the first kernel_info_reply,
    and to the execute_reply of code sent right after it."""
    from jupyter_client.manager import KernelManager

    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        msg_id = kc.kernel_info()
        while kc.get_shell_msg(timeout=30)["parent_header"].get("msg_id") != msg_id:
            pass
        t_info = time.perf_counter() - t0
        msg_id = kc.execute(code)
        while kc.get_shell_msg(timeout=30)["parent_header"].get("msg_id") != msg_id:
            pass
        return t_info, time.perf_counter() - t0
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def start_once_direct(name, code):
    """One start through the direct client: it writes the connection file, runs
    the kernelspec's argv and asks over a DEALER socket that retries every
    millisecond. Returns seconds to kernel_info_reply and to code's execute_reply."""
    from jupyter_client.connect import write_connection_file
    from jupyter_client.kernelspec import KernelSpecManager

    argv = KernelSpecManager().get_kernel_spec(name).argv
    key = uuid.uuid4().hex.encode()
    fd, path = tempfile.mkstemp(prefix="bench-kernel-", suffix=".json")
    os.close(fd)
    _, info = write_connection_file(path, ip="127.0.0.1", key=key)
    wire = Wire(key)
    ctx = zmq.Context()
    shell = ctx.socket(zmq.DEALER)
    shell.setsockopt(zmq.RECONNECT_IVL, 1)
    shell.setsockopt(zmq.LINGER, 0)
    # The kernel's log (goconc's supervisor logs every worker it stops) is
    # shown only when the start fails.
    log = tempfile.TemporaryFile()
    t0 = time.perf_counter()
    proc = subprocess.Popen([a.replace("{connection_file}", path) for a in argv],
                            stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True)
    try:
        shell.connect("tcp://127.0.0.1:%d" % info["shell_port"])

        def reply_to(msg_type, content):
            msg_id = wire.send(shell, msg_type, content)
            while True:
                if not shell.poll(30000):
                    log.seek(0)
                    raise RuntimeError("%s: no reply to %s; its log:\n%s" % (name, msg_type, log.read().decode(errors="replace")))
                _, _, parent, _ = wire.recv(shell)
                if parent.get("msg_id") == msg_id:
                    return time.perf_counter() - t0

        t_info = reply_to("kernel_info_request", {})
        t_first = reply_to("execute_request", {"code": code, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False,
                                               "stop_on_error": True})
        return t_info, t_first
    finally:
        shell.close(0)
        ctx.term()
        # The kernel's process group: goconc's worker goes with it.
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()
        os.unlink(path)


def time_starts(kernels, code, runs, start):
    """runs starts of each kernel, alternating between them, so that a shared
    machine's changing load weighs on all alike. Returns, per kernel, the
    seconds to kernel_info_reply and to the first cell's reply."""
    out = {k: ([], []) for k in kernels}
    failed = 0
    for _ in range(runs):
        for k in kernels:
            while True:
                try:
                    t_info, t_first = start(k, code)
                    break
                except (queue.Empty, RuntimeError) as e:
                    # jupyter_client picks free ports before the kernel binds
                    # them; on a busy machine another process sometimes takes
                    # one first.
                    failed += 1
                    if failed > max(3, runs // 10):
                        raise
                    print("%s: a start failed (%s) and is repeated" % (k, e or "timeout"))
            out[k][0].append(t_info)
            out[k][1].append(t_first)
    return out


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


class ClientJC:
    """A warm kernel and jupyter_client's blocking client."""

    def __init__(self, name):
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name=name)
        self.km.start_kernel()
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def cell(self, code):
        """Seconds from execute_request until status idle."""
        t0 = time.perf_counter()
        msg_id = self.kc.execute(code)
        while True:
            msg = self.kc.get_iopub_msg(timeout=30)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status"
                    and msg["content"]["execution_state"] == "idle"):
                break
        dt = time.perf_counter() - t0
        self.kc.get_shell_msg(timeout=30)
        return dt

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


class ClientDirect:
    """A warm kernel (started by jupyter_client) and the direct client."""

    def __init__(self, name):
        from jupyter_client.manager import KernelManager

        self.name = name
        self.km = KernelManager(kernel_name=name)
        self.km.start_kernel()
        kc = self.km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.stop_channels()
        info = self.km.get_connection_info()
        key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
        self.wire = Wire(key)
        self.ctx = zmq.Context()
        self.shell = self.ctx.socket(zmq.DEALER)
        self.iopub = self.ctx.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.shell.connect("%s://%s:%d" % (info["transport"], info["ip"], info["shell_port"]))
        self.iopub.connect("%s://%s:%d" % (info["transport"], info["ip"], info["iopub_port"]))
        # Messages published before the subscription arrives are lost: ask
        # until a status comes through, then let the rest arrive and drop it.
        deadline = time.monotonic() + 30
        while not self.iopub.poll(100):
            if time.monotonic() > deadline:
                raise RuntimeError("no IOPub message from %s" % name)
            self.wire.send(self.shell, "kernel_info_request", {})
        time.sleep(0.2)
        for sock in (self.iopub, self.shell):
            while sock.poll(0):
                sock.recv_multipart()

    def cell(self, code):
        """Seconds from execute_request until status idle."""
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True}
        t0 = time.perf_counter()
        msg_id = self.wire.send(self.shell, "execute_request", content)
        while True:
            _, header, parent, c = self.wire.recv(self.iopub)
            if (parent.get("msg_id") == msg_id and header["msg_type"] == "status"
                    and c["execution_state"] == "idle"):
                break
        dt = time.perf_counter() - t0
        while True:
            _, header, parent, _ = self.wire.recv(self.shell)
            if parent.get("msg_id") == msg_id:
                break
        return dt

    def close(self):
        self.shell.close(0)
        self.iopub.close(0)
        self.ctx.term()
        self.km.shutdown_kernel(now=True)


def time_cells(names, code, runs, client):
    """runs round trips of code in each of the kernels names, warm, through
    client (ClientJC or ClientDirect), alternating between the kernels."""
    clients = []
    try:
        for n in names:
            clients.append(client(n))
        times = {n: [] for n in names}
        for i in range(runs + 10):
            for n, c in zip(names, clients):
                dt = c.cell(code)
                if i >= 10:  # the first cells warm up caches and the worker
                    times[n].append(dt)
        return times
    finally:
        for c in clients:
            c.close()


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


def install_kernels(floor_kernel):
    """Makes the instant kernel and the floor kernel findable by jupyter_client;
    returns the directory to remove."""
    d = tempfile.mkdtemp(prefix="bench-kernel-")
    specs = {NULL_KERNEL: ([sys.executable, os.path.abspath(__file__), "--null-kernel", "{connection_file}"],
                           "instant kernel (bench_kernel.py)"),
             FLOOR_KERNEL: ([floor_kernel, "{connection_file}"], "floor kernel (goconc's transport, evaluates nothing)")}
    for name, (argv, display) in specs.items():
        spec = os.path.join(d, "kernels", name)
        os.makedirs(spec)
        with open(os.path.join(spec, "kernel.json"), "w") as f:
            json.dump({"argv": argv, "display_name": display, "language": "null"}, f)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [d, os.environ.get("JUPYTER_PATH")]))
    return d


def ms(x):
    """Seconds as milliseconds by the rule goconc prints its figures with
    (package units): at most three significant digits, grouped thousands."""
    r = float("%.3g" % (x * 1e3))
    return "{:,.6f}".format(r).rstrip("0").rstrip(".")


def spread(xs):
    m, q1, q3 = median_iqr(xs)
    return "median %s ms (IQR %s-%s, min %s)" % (ms(m), ms(q1), ms(q3), ms(min(xs)))


def against(what, xs, floor_name, floors, target=None):
    """Prints what's figure beside its floor, their ratio and the target's outcome."""
    print("  %-34s %s" % (what, spread(xs)))
    print("  %-34s %s" % (floor_name, spread(floors)))
    ratio = statistics.median(xs) / statistics.median(floors)
    line = "  %-34s %.2fx" % ("ratio of the medians", ratio)
    if len(xs) == len(floors):
        # Alternating runs pair up: the ratios' spread shows how far one
        # run's load could move the figure.
        _, q1, q3 = median_iqr([x / f for x, f in zip(xs, floors)])
        line += " (paired runs: IQR %.2f-%.2fx)" % (q1, q3)
    if target is not None:
        line += "; target <= %.2fx: %s" % (target, "met" if ratio <= target else "NOT met")
    print(line)
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=100)
    ap.add_argument("--cells", type=int, default=300)
    ap.add_argument("--floor-kernel", default=os.environ.get("GOCONC_FLOOR_KERNEL", ""),
                    help="the floorkernel binary (make bench builds it into build/bench)")
    ap.add_argument("--null-kernel", metavar="CONNECTION_FILE", help=argparse.SUPPRESS)
    ap.add_argument("kernels", nargs="*", default=[os.environ.get("GOCONC_KERNEL", "goconc"), "python3"])
    a = ap.parse_args()
    if a.null_kernel:
        null_kernel(a.null_kernel)
        return
    if not a.floor_kernel or not os.access(a.floor_kernel, os.X_OK):
        sys.exit("bench_kernel.py: --floor-kernel PATH (or GOCONC_FLOOR_KERNEL) must name the floorkernel binary; make bench builds it")
    goconc, others = a.kernels[0], a.kernels[1:]
    print("%s, machine %s, %d CPUs, Python %s, jupyter_client %s, pyzmq %s; load average %s" % (
        datetime.date.today().isoformat(), platform.machine(), os.cpu_count(), platform.python_version(),
        jupyter_client_version(), zmq.__version__, " ".join("%.2f" % x for x in os.getloadavg())))
    print("runs: %d starts of each kernel and client (alternating), %d trivial cells per kernel and client "
          "(after 10 warm-up cells)" % (a.starts, a.cells))
    code = TRIVIAL.get(goconc, "1 + 1")
    tmp = install_kernels(os.path.abspath(a.floor_kernel))
    try:
        starts = {"jupyter_client": time_starts([goconc, FLOOR_KERNEL], code, a.starts, start_once),
                  "direct client": time_starts([goconc, FLOOR_KERNEL], code, a.starts, start_once_direct)}
        cells = {"jupyter_client": time_cells([goconc, NULL_KERNEL, FLOOR_KERNEL], code, a.cells, ClientJC),
                 "direct client": time_cells([goconc, NULL_KERNEL, FLOOR_KERNEL], code, a.cells, ClientDirect)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for client in ("jupyter_client", "direct client"):
        s = starts[client]
        print("\n%s, through %s:" % (goconc, client))
        print(" start to kernel_info_reply")
        against("goconc", s[goconc][0], "floor kernel", s[FLOOR_KERNEL][0], 1.5)
        print(" start to the first cell's reply (%r; goconc's includes the worker's start)" % code)
        against("goconc", s[goconc][1], "floor kernel", s[FLOOR_KERNEL][1])
        print(" trivial cell (%r), warm" % code)
        against("goconc", cells[client][goconc], "instant kernel (pyzmq)", cells[client][NULL_KERNEL], 1.25)
        # Where goconc's share goes: its transport and dispatcher alone, or
        # the worker behind them.
        print("  %-34s %s" % ("(floor kernel: no worker)", spread(cells[client][FLOOR_KERNEL])))
    for name in others:
        code = TRIVIAL.get(name, "1 + 1")
        s = time_starts([name], code, a.starts, start_once)[name]
        print("\n%s, for comparison:" % name)
        print("  %-34s %s" % ("start to kernel_info_reply", spread(s[0])))
        print("  %-34s %s" % ("start to the first cell's reply", spread(s[1])))
        print("  %-34s %s" % ("trivial cell, jupyter_client", spread(time_cells([name], code, a.cells, ClientJC)[name])))
        print("  %-34s %s" % ("trivial cell, direct client", spread(time_cells([name], code, a.cells, ClientDirect)[name])))
        sys.stdout.flush()
    print("\nload average at the end: %s" % " ".join("%.2f" % x for x in os.getloadavg()))


def jupyter_client_version():
    import jupyter_client
    return jupyter_client.__version__


if __name__ == "__main__":
    main()
