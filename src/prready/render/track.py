"""`prready track` output: the step as now recorded, and what an export or import moved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from prready.errors import UsageError
from prready.paths import write_private_file
from prready.text import inert_json, safe_line

if TYPE_CHECKING:
    from prready.reports import ImportSummary, ProgressExport, TrackedIssue


def print_tracked(tracked: TrackedIssue, action: str) -> None:
    """ "owner/repo#12: started", with the pull request after `pr`; a warning when the issue
    looks unavailable (closed, locked, moved...) and one per reason it is a poor pick."""
    entry = tracked.entry
    pr = f" ({safe_line(entry.pr_url, 200)})" if entry.pr_url and action == "pr" else ""
    click.echo(f"{safe_line(entry.repo, 140)}#{entry.issue_number}: {entry.status.value}{pr}")
    if entry.flag:
        click.echo(
            f"Warning: this issue looks unavailable ({safe_line(entry.flag, 200)})", err=True
        )
    for warning in tracked.warnings:
        click.echo(f"Warning: {safe_line(warning, 300)}", err=True)


def export_json(export: ProgressExport) -> str:
    """The export document as JSON text, inert in a terminal and in HTML."""
    return inert_json(json.dumps(export.document, indent=2, ensure_ascii=False)) + "\n"


def print_export(export: ProgressExport) -> None:
    """The export document alone on standard output; the count on standard error."""
    click.echo(export_json(export), nl=False)
    click.echo(f"Exported {export.steps} tracked step(s) to standard output", err=True)


def write_export(export: ProgressExport, path: Path) -> None:
    """Write the export to `path` (0600, atomically) and say how many steps it holds."""
    try:
        write_private_file(Path(path), export_json(export))
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    click.echo(f"Exported {export.steps} tracked step(s) to {path}")


def print_imported(source: Path, summary: ImportSummary) -> None:
    s = summary
    click.echo(
        f"Imported {source}: {s.added} new, {s.updated} updated, "
        f"{s.kept} kept (local as new or newer), {s.notes} note(s), {s.events} event(s)"
    )
