"""The console and the progress display for long steps (clone, sync, scan, graph build).

Kept apart from the plan's table (`prready.render.terminal`) so a command that only shows
progress, such as `prready map`, does not load the plan renderer and what it imports.
Labels go through safe_line: a name from a repository cannot move the cursor.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from prready.models import ProgressFn
from prready.text import safe_line


def make_console(stream: IO[str] | None = None, err: bool = False) -> Console:
    """A console on `stream` (else stdout, or stderr with err=True); colour only on a terminal
    and never when NO_COLOR is set."""
    no_color = bool(os.environ.get("NO_COLOR"))
    return Console(
        file=stream, stderr=err, no_color=no_color, highlight=False, emoji=False, soft_wrap=False
    )


@contextmanager
def progress_reporter(console: Console) -> Iterator[ProgressFn]:
    """Yield a ProgressFn: a live bar/spinner on a terminal, plain occasional lines otherwise."""
    if console.is_terminal:
        with _LiveReporter(console) as report:
            yield report
    else:
        yield _PlainReporter(console)


class _LiveReporter:
    """One rich task per label: a bar when the total is known, a spinner when it is not."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
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

    def __init__(self, console: Console, interval: float = 10.0) -> None:
        self.console = console
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
            self.console.print(Text(f"{key}: {amount}"), soft_wrap=True)
            self.state[key] = (4 if finished else quarter, now)
