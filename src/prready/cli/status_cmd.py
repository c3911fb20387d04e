"""`prready status`: per stage done / in progress / left, with progress bars, and what next."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING

import click

from prready.cli.options import format_option
from prready.cli.runtime import checked_repo, make_workspace
from prready.text import inert_json, safe_line

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from prready.analysis.progress import StageSummary
    from prready.app.status import RepoStatus, StatusReport

BAR_WIDTH = 20


@click.command(name="status")
@click.argument("repo", required=False, metavar="[OWNER/REPO]")
@format_option(("text", "json"), "text")
def command(repo: str | None, fmt: str) -> None:
    """Show where you are in your plan: per stage done, in progress and left, and what next.

    Without OWNER/REPO, every tracked repository is shown. Colour follows the terminal
    (none when piped or when NO_COLOR is set).

    \b
    Example:
      prready status pytorch/pytorch
      prready status --format json
    """
    from prready.app.status import status_report
    from prready.paths import resolve_paths

    slug = checked_repo(repo) if repo else None
    with make_workspace(resolve_paths()) as ws:
        report = status_report(ws, slug)
    if fmt == "json":
        click.echo(inert_json(json.dumps(_as_json(report), indent=2, ensure_ascii=False)))
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


def _print_repo(console: Console, status: RepoStatus, ascii_only: bool) -> None:
    from rich.text import Text

    console.print(Text(safe_line(status.repo), style="bold"))
    planned = any(e.stage for e in status.entries)
    for stage in status.stages:
        if not (stage.total or stage.dropped) and (stage.stage == 0 or not planned):
            continue
        line = Text("  ")
        label = f"Stage {stage.stage}" if stage.stage else "Other  "
        line.append(f"{label}  {stage.name:<17}", style="bold" if stage.complete else "")
        line.append_text(_bar(stage, ascii_only))
        state = "complete" if stage.complete else ("started" if stage.in_progress else "")
        line.append(f"  {state:<8}", style="green" if stage.complete else "yellow")
        line.append(
            f"  done {stage.done} · in progress {stage.in_progress} · left {stage.left}"
            if not ascii_only
            else f"  done {stage.done}, in progress {stage.in_progress}, left {stage.left}"
        )
        if stage.dropped:
            line.append(f" (dropped {stage.dropped})", style="dim")
        console.print(line)
    flagged = [e for e in status.entries if e.flag]
    for entry in flagged:
        console.print(
            Text(f"  ! #{entry.issue_number}: {safe_line(entry.flag)}", style="red"),
        )
    if status.next:
        console.print(Text("  Next:", style="bold"))
        for action in status.next:
            console.print(Text(f"    - {safe_line(action.text)}"))
            console.print(Text(f"        {safe_line(action.command)}", style="cyan"))
    if status.events:
        console.print(Text("  Recent:", style="bold"))
        for event in status.events:
            detail = f"  {safe_line(event.detail)}" if event.detail else ""
            console.print(
                Text(
                    f"    {safe_line(event.at, 40)}  #{event.issue_number} "
                    f"{event.status.value}{detail}"
                ),
            )


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


def _as_json(report: StatusReport) -> dict[str, object]:
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
