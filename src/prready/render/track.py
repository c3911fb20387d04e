"""`prready track` output: the step as now recorded, and what an export or import moved."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from prready.text import safe_line

if TYPE_CHECKING:
    from prready.models import ProgressEntry
    from prready.reports import ImportSummary


def print_tracked(entry: ProgressEntry, action: str) -> None:
    """ "owner/repo#12: started", with the pull request after `pr`; a warning when the issue
    looks unavailable (closed, locked, moved...)."""
    pr = f" ({safe_line(entry.pr_url, 200)})" if entry.pr_url and action == "pr" else ""
    click.echo(f"{safe_line(entry.repo, 140)}#{entry.issue_number}: {entry.status.value}{pr}")
    if entry.flag:
        click.echo(
            f"Warning: this issue looks unavailable ({safe_line(entry.flag, 200)})", err=True
        )


def print_export(text: str, count: int) -> None:
    """The export document alone on standard output; the count on standard error."""
    click.echo(text, nl=False)
    click.echo(f"Exported {count} tracked step(s) to standard output", err=True)


def print_exported(count: int, path: Path) -> None:
    click.echo(f"Exported {count} tracked step(s) to {path}")


def print_imported(source: Path, summary: ImportSummary) -> None:
    s = summary
    click.echo(
        f"Imported {source}: {s.added} new, {s.updated} updated, "
        f"{s.kept} kept (local as new or newer), {s.notes} note(s), {s.events} event(s)"
    )
