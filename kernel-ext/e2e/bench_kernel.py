"""Kernel speed, goconc beside ipykernel, measured in one run on one machine.

For each kernel: start to first kernel_info_reply (the kernel process is
launched, a client connects and asks; time until the reply arrives), and a
trivial cell's round trip (execute_request sent until status idle), medians
over many runs. Both kernels go through the same jupyter_client code, so the
client's own overhead is in both figures alike.

The start figure of a kernel that starts in well under 100 ms is bimodal:
the client connects at once, and when a socket is not bound yet ZeroMQ
retries only after its reconnect interval (100 ms by default). The minimum
is printed beside the median for that reason.

Usage: bench_kernel.py [--starts N] [--cells N] [KERNEL ...]
"""

import argparse
import os
import platform
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

TRIVIAL = {"goconc": "1 + 1", "python3": "1 + 1"}


def median_iqr(xs):
    q = statistics.quantiles(xs, n=4)
    return statistics.median(xs), q[0], q[2]


def time_start(name, runs):
    times = []
    for _ in range(runs):
        km = KernelManager(kernel_name=name)
        t0 = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        msg_id = kc.kernel_info()
        while True:
            reply = kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        times.append(time.perf_counter() - t0)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return times


def time_cells(name, code, runs):
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--starts", type=int, default=100)
    ap.add_argument("--cells", type=int, default=300)
    ap.add_argument("kernels", nargs="*", default=[os.environ.get("GOCONC_KERNEL", "goconc"), "python3"])
    a = ap.parse_args()
    print("machine: %s, %d CPUs, Python %s" % (platform.machine(), os.cpu_count(), platform.python_version()))
    print("runs: %d starts, %d trivial cells per kernel (after 10 warm-up cells)" % (a.starts, a.cells))
    res = {}
    for name in a.kernels:
        code = TRIVIAL.get(name, "1 + 1")
        starts = time_start(name, a.starts)
        cells = time_cells(name, code, a.cells)
        res[name] = (median_iqr(starts), median_iqr(cells))
        (sm, sq1, sq3), (cm, cq1, cq3) = res[name]
        print("%-12s start to kernel_info_reply: median %7.1f ms (IQR %.1f-%.1f, min %.1f)   "
              "trivial cell: median %6.2f ms (IQR %.2f-%.2f, min %.2f)"
              % (name, sm * 1e3, sq1 * 1e3, sq3 * 1e3, min(starts) * 1e3, cm * 1e3, cq1 * 1e3, cq3 * 1e3, min(cells) * 1e3))
        sys.stdout.flush()
    if len(a.kernels) >= 2:
        base, other = a.kernels[0], a.kernels[1]
        print("ratio %s/%s: start %.2fx, trivial cell %.2fx" % (
            other, base, res[other][0][0] / res[base][0][0], res[other][1][0] / res[base][1][0]))


if __name__ == "__main__":
    main()
