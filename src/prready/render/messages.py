"""Side notes on standard error ("note: ...", "warning: ..."), one inert line each: the
results on standard output stay clean for a pipe."""

from __future__ import annotations

from collections.abc import Iterable

import click

from prready.text import safe_line


def echo_notes(lines: Iterable[str], kind: str = "note", limit: int = 300) -> None:
    """Each line as `kind: line` on standard error, made terminal-safe and cut at `limit`."""
    for line in lines:
        click.echo(f"{kind}: {safe_line(line, limit)}", err=True)
