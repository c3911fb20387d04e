"""The life of a `prready` process that ends when its command does (`cli.main`).

What a command builds (a code map's ~150k containers, a plan's issues) would live until
the process ends a moment later, and freeing it object by object is work nobody waits
for: a cold map of PyTorch spent ~20 ms freeing its scans and ~10 ms more tearing its
modules down. Such a process ends the way the interpreter would, less the freeing
(`exit_now`): exit handlers run, output flushed, then `os._exit` (when another thread
still runs or a debugger or profiler watches, it exits the interpreter's way). Code
that runs in a caller's process (a test, a library user) changes nothing: `outlive` is
then a no-op and every object is freed as usual.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn

_ends_with_command = False
_kept: list[object] = []


def end_with_command(ends: bool = True) -> None:
    """Say whether this process ends when its command does (the CLI's `main`); False
    lets go of what `outlive` kept."""
    global _ends_with_command
    _ends_with_command = ends
    if not ends:
        _kept.clear()


def ends_with_command() -> bool:
    """Whether this process ends when its command does (see `end_with_command`)."""
    return _ends_with_command


def outlive(*objects: object) -> None:
    """Keep `objects` to the end of a process that ends with its command, which then
    never frees them (see the module docstring); elsewhere, nothing."""
    if _ends_with_command:
        _kept.extend(objects)


def exit_now(code: object = 0) -> NoReturn:
    """End the process with `code` (as `SystemExit` takes it) after what the interpreter
    does at exit, less freeing every object: `atexit` handlers run, standard output and
    error flushed. While another thread that is not a daemon still runs (the interpreter
    would wait for it, after telling thread pools to end), or a debugger, profiler or
    coverage tool watches (it writes its results as the interpreter exits), the process
    exits the interpreter's way instead: `SystemExit(code)` is raised."""
    if not _may_skip_teardown():
        raise SystemExit(code)
    status = _exit_status(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            # The interpreter's own status when its output cannot be flushed (a closed pipe).
            status = status or 120
    os._exit(status)


def _may_skip_teardown() -> bool:
    """Whether nothing needs the interpreter's own exit: no other thread that is not a
    daemon, no trace or profile function, no `sys.monitoring` tool (3.12+)."""
    current = threading.current_thread()
    if any(t is not current and not t.daemon and t.is_alive() for t in threading.enumerate()):
        return False
    if sys.gettrace() is not None or sys.getprofile() is not None:
        return False
    monitoring = getattr(sys, "monitoring", None)  # its tool ids are 0 to 5
    return monitoring is None or all(monitoring.get_tool(tool) is None for tool in range(6))


def _exit_status(code: object) -> int:
    """The status `SystemExit(code)` ends a process with: None is 0, an int itself, and
    anything else is printed to standard error and is 1."""
    if code is None:
        return 0
    if isinstance(code, int):  # (True and False too: 1 and 0)
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1
