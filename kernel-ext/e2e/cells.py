"""Running a cell through jupyter_client, shared by the e2e tests and tools."""

import queue
import time


def iopub_until_idle(kc, msg_id, timeout=60, on_msg=None):
    """Collects the IOPub messages of request msg_id until its idle status.

    Returns [(arrival time, msg)] for every message but status ones, in
    order; on_msg, if given, sees each message of the request as it comes.
    Raises AssertionError when no idle status comes within timeout seconds.
    """
    outputs = []
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError("no idle status for %s within %ss" % (msg_id, timeout))
        try:
            msg = kc.get_iopub_msg(timeout=left)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if on_msg:
            on_msg(msg)
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                return outputs
            continue
        outputs.append((time.monotonic(), msg))


def shell_reply(kc, msg_id, timeout=60):
    """Returns the shell reply to request msg_id, skipping others."""
    deadline = time.monotonic() + timeout
    while True:
        reply = kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.01))
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply
