"""The console and the progress display for long steps (clone, sync, scan, graph build).

Kept apart from the plan's table (`prready.render.terminal`) so a command that only shows
progress, such as `prready map`, does not load the plan renderer and what it imports.
Labels go through safe_line: a name from a repository cannot move the cursor.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from prready.text import safe_line

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

    from prready.models import ProgressFn


def make_console(stream: IO[str] | None = None, err: bool = False) -> Console:
    """A console on `stream` (else stdout, or stderr with err=True); colour only on a terminal
    and never when NO_COLOR is set."""
    from rich.console import Console

    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(
        file=stream, stderr=err, no_color=no_color, highlight=False, emoji=False, soft_wrap=False
    )


@contextmanager
def progress_reporter(console: Console | None = None) -> Iterator[ProgressFn]:
    """Yield a ProgressFn: a live bar/spinner on a terminal, plain occasional lines otherwise.
    Without `console`, on standard error; rich is then loaded only for a terminal (a warm
    `prready map` in a pipe or a log does not pay for it)."""
    if console is None and not _may_be_terminal(sys.stderr):
        yield _PlainReporter(_write_stderr)
        return
    console = console if console is not None else make_console(err=True)
    if console.is_terminal:
        with _LiveReporter(console) as report:
            yield report
    else:
        yield _PlainReporter(lambda line: console.print(line, soft_wrap=True, markup=False))


def _may_be_terminal(stream: IO[str]) -> bool:
    """False only when rich would surely not treat `stream` as a terminal either: not a
    TTY and none of the variables that force one (FORCE_TERMINAL, TTY_COMPATIBLE)."""
    if os.environ.get("FORCE_TERMINAL") or os.environ.get("TTY_COMPATIBLE"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _write_stderr(line: str) -> None:
    stream = sys.stderr  # looked up at each call: a test runner may swap it
    stream.write(line + "\n")
    stream.flush()


class _LiveReporter:
    """One rich task per label: a bar when the total is known, a spinner when it is not."""

    def __init__(self, console: Console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            # Standard output holds a document when `--output -` is given: never route it
            # through the live display (which is on standard error).
            redirect_stdout=False,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> _LiveReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, label: str, done: int, total: int | None) -> None:
        key = safe_line(label, 80)
        if key not in self.tasks:
            self.tasks[key] = self.progress.add_task(key, total=total)
        self.progress.update(self.tasks[key], completed=done, total=total)


class _PlainReporter:
    """Lines for logs and pipes: when a step starts, every 25% (or 10 s), and when it ends."""

    def __init__(self, write: Callable[[str], None], interval: float = 10.0) -> None:
        self.write = write
        self.interval = interval
        self.state: dict[str, tuple[int, float]] = {}  # label -> (last quarter, last time)

    def __call__(self, label: str, done: int, total: int | None) -> None:
        key = safe_line(label, 80)
        now = time.monotonic()
        quarter = int(4 * done / total) if total else -1
        last = self.state.get(key)
        finished = total is not None and done >= total
        if last is None or finished or quarter > last[0] or now - last[1] >= self.interval:
            if last is not None and finished and last[0] == 4:
                return
            amount = f"{done}/{total}" if total else str(done)
            self.write(f"{key}: {amount}")
            self.state[key] = (4 if finished else quarter, now)
