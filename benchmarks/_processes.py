"""Running a benchmark's stage in a fresh process: its wall time and peak RSS.

Helpers of ``end_to_end.py`` (a file starting with ``_`` is not a benchmark of
its own). :func:`run_command` runs a command as the user types it;
:func:`in_child` runs a function in a process forked from the caller, so that
a sabotage planted in the caller's module reaches it too.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

MB = 1024  # ru_maxrss is in KiB on Linux


class StageFailed(Exception):
    """A stage's process ended in an error (its traceback is the message)."""


def in_child(work: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``work(*args)`` in a forked child: its result, with the child's peak RSS in MB.

    The child starts from this small process (its RSS is the floor of the child's).
    """
    sys.stdout.flush()
    sys.stderr.flush()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_fd)
        status = 0
        try:
            result = work(*args)
        except BaseException:
            result, status = {"error": traceback.format_exc()}, 1
        result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MB
        sys.stdout.flush()
        sys.stderr.flush()
        with os.fdopen(write_fd, "w") as out:
            json.dump(result, out)
        os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd) as source:
        data = source.read()
    os.waitpid(pid, 0)
    result = json.loads(data) if data else {"error": "the stage's process died without a word"}
    if "error" in result:
        raise StageFailed(result["error"])
    return result


def run_command(argv: list[str], folder: Path) -> dict[str, Any]:
    """Run ``argv`` as the user does; its wall time, exit status, peak RSS and last stderr line."""
    out, err = folder / "stdout.txt", folder / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        began = time.perf_counter()
        child = subprocess.Popen(argv, stdout=stdout, stderr=stderr)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    lines = err.read_text(errors="replace").strip().splitlines()
    return {
        "wall": wall,
        "status": child.returncode,
        "rss_mb": usage.ru_maxrss / MB,
        "stderr": lines[-1] if lines else "",
        "stdout": out.read_text(errors="replace"),
    }


def aftersales_command(*args: str) -> list[str]:
    """The command line of ``aftersales ARGS`` with this interpreter."""
    return [sys.executable, "-m", "aftersales", *args]
