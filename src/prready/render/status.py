"""`prready status` output: per repository, a bar per stage, flagged steps, what next and
recent events (text), or the same data as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from prready.text import inert_json, safe_line

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from prready.analysis.progress import StageSummary
    from prready.reports import RepoStatus, StatusReport

BAR_WIDTH = 20


def print_status(report: StatusReport, fmt: str) -> None:
    """The report on standard output, as text (colour follows the terminal) or JSON."""
    if fmt == "json":
        click.echo(inert_json(json.dumps(status_json(report), indent=2, ensure_ascii=False)))
        return
    if not report.repos:
        which = report.asked or "any repository"
        hint = report.asked or "OWNER/REPO"
        click.echo(f"Nothing tracked for {which} yet: run `prready plan {hint}` first.")
        return
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    ascii_only = not (console.encoding or "").lower().startswith("utf")
    for index, repo_status in enumerate(report.repos):
        if index:
            console.print()
        _print_repo(console, repo_status, ascii_only)


def status_json(report: StatusReport) -> dict[str, object]:
    """The report as JSON-ready data: stages with totals, next actions, steps and events."""
    return {
        "repos": [
            {
                "repo": r.repo,
                "stages": [
                    {**asdict(s), "total": s.total, "complete": s.complete} for s in r.stages
                ],
                "next": [asdict(a) for a in r.next],
                "steps": [{**asdict(e), "status": e.status.value} for e in r.entries],
                "events": [{**asdict(e), "status": e.status.value} for e in r.events],
            }
            for r in report.repos
        ]
    }


def _print_repo(console: Console, status: RepoStatus, ascii_only: bool) -> None:
    from rich.text import Text

    console.print(Text(safe_line(status.repo), style="bold"))
    planned = any(e.stage for e in status.entries)
    for stage in status.stages:
        if stage.total or stage.dropped or stage.replaced or (stage.stage and planned):
            console.print(_stage_line(stage, ascii_only))
    for entry in status.entries:
        if entry.flag:
            console.print(Text(f"  ! #{entry.issue_number}: {safe_line(entry.flag)}", style="red"))
    _print_next(console, status)
    _print_events(console, status)


def _print_next(console: Console, status: RepoStatus) -> None:
    from rich.text import Text

    if not status.next:
        return
    console.print(Text("  Next:", style="bold"))
    for action in status.next:
        console.print(Text(f"    - {safe_line(action.text)}"))
        console.print(Text(f"        {safe_line(action.command)}", style="cyan"))


def _print_events(console: Console, status: RepoStatus) -> None:
    from rich.text import Text

    if not status.events:
        return
    console.print(Text("  Recent:", style="bold"))
    for event in status.events:
        detail = f"  {safe_line(event.detail)}" if event.detail else ""
        console.print(
            Text(
                f"    {safe_line(event.at, 40)}  #{event.issue_number} {event.status.value}{detail}"
            )
        )


def _stage_line(stage: StageSummary, ascii_only: bool) -> Text:
    """ "  Stage 2  small fix   ████░░░░  started   done 1 · in progress 1 · left 2" """
    from rich.text import Text

    line = Text("  ")
    label = f"Stage {stage.stage}" if stage.stage else "Other  "
    line.append(f"{label}  {stage.name:<17}", style="bold" if stage.complete else "")
    line.append_text(_bar(stage, ascii_only))
    state = "complete" if stage.complete else ("started" if stage.in_progress else "")
    line.append(f"  {state:<8}", style="green" if stage.complete else "yellow")
    separator = ", " if ascii_only else " · "
    line.append(
        f"  done {stage.done}{separator}in progress {stage.in_progress}{separator}left {stage.left}"
    )
    if stage.complete and stage.left:
        # (One merged pull request completes a stage: the steps left are optional.)
        line.append(" (optional now)", style="dim")
    if stage.dropped:
        line.append(f"{separator}dropped {stage.dropped}", style="dim")
    return line


def _bar(stage: StageSummary, ascii_only: bool) -> Text:
    from rich.text import Text

    full, empty = ("#", "-") if ascii_only else ("█", "░")
    filled = round(stage.fraction * BAR_WIDTH)
    bar = Text("[" if ascii_only else "")
    bar.append(full * filled, style="green" if stage.complete else "yellow")
    bar.append(empty * (BAR_WIDTH - filled), style="dim")
    if ascii_only:
        bar.append("]")
    return bar
