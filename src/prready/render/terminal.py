"""The plan in the terminal (the console and progress display: `prready.render.console`).

Text from GitHub goes through safe_line before it reaches the terminal, so a hostile title
cannot move the cursor, clear the screen, set the window title or plant a hyperlink. Rich
Text objects (never markup strings) carry it, so "[bold]" in a title stays literal.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from prready.models import Plan, ProgressEntry, StepStatus, TakenStatus
from prready.render.console import make_console
from prready.render.messages import echo_notes
from prready.render.view import SET_ASIDE_WORDS, STATUS_WORDS, format_time
from prready.text import safe_line

SET_ASIDE_LINES = 6  # set-aside issues named in the terminal (the page lists more)
TABLE_WIDTH = 110  # wide enough for most titles on one line, narrow enough to read
_STAGE_STYLES = {1: "cyan", 2: "blue", 3: "yellow", 4: "magenta"}
_TAKEN_SHORT = {
    "fresh": "free", "taken": "taken", "stale-claim": "quiet claim", "done": "fixed",
    "declined": "declined", "obsolete": "code gone",
}  # fmt: skip
_TAKEN_STYLES = {
    "fresh": "green", "taken": "red", "stale-claim": "yellow", "done": "red", "declined": "red",
    "obsolete": "red",
}  # fmt: skip
_STATUS_STYLES = {
    StepStatus.MERGED.value: "green",
    StepStatus.PR_OPEN.value: "blue",
    StepStatus.STARTED.value: "yellow",
    StepStatus.DROPPED.value: "dim",
    StepStatus.REPLACED.value: "dim",
}


def short_effort(effort: str) -> str:
    """The table's effort: the work itself, then one word per addition the step card
    spells out ("3-5 days + build + review"), so a narrow column never cuts it."""
    work, *extras = safe_line(effort, 300).split(" + ")
    words = [_EFFORT_WORDS.get(extra.rsplit(" ", 1)[-1], "more") for extra in extras]
    return " + ".join([work, *words])


_EFFORT_WORDS = {"source": "build", "build": "build", "setup": "setup", "review": "review"}


def print_plan_outcome(
    plan: Plan, entries: list[ProgressEntry], output: Path, notes: Sequence[str] = ()
) -> None:
    """After `plan` or `demo` wrote the plan to `output`: the notes (standard error), then the
    table and where the file is, unless standard output ('-') holds the document alone."""
    echo_notes(notes)
    if str(output) == "-":
        if plan.sample:
            click.echo("This plan uses prready's bundled SAMPLE data (tinyml).", err=True)
        return
    render_plan_table(plan, entries, make_console())
    if plan.sample:
        click.echo("This plan uses prready's bundled SAMPLE data (tinyml), not a real repository.")
    click.echo(f"Plan written to {output}")


def render_plan_table(plan: Plan, progress: list[ProgressEntry], console: Console) -> None:
    """A concise table per stage: issue, difficulty, fit, who else is on it, your status, effort."""
    statuses = {e.issue_number: e.status.value for e in progress if e.repo == plan.repo}
    header = Text(f"Plan for {safe_line(plan.repo, 140)}", style="bold")
    if plan.sample:
        header.append("  (sample data)", style="yellow")
    console.print(header)
    console.print(Text(f"Issue data fetched {format_time(plan.data_fetched_at)}", style="dim"))
    # Every stage's table gets the same width and effort column, so the columns line up
    # from stage to stage and only the issue title wraps.
    width = min(console.width, TABLE_WIDTH)
    steps = [st for stage in plan.stages for st in stage.steps]
    taken_width = max([len("Taken?"), *(len(_taken_word(st.taken)) for st in steps)])
    you_width = max(
        [
            len("You"),
            *(
                len(STATUS_WORDS[StepStatus(statuses.get(st.issue.number, "planned"))])
                for st in steps
            ),
        ]
    )
    effort_width = max([len("Effort"), *(len(short_effort(st.effort)) for st in steps)])
    for stage in plan.stages:
        style = _STAGE_STYLES.get(stage.number, "white")
        console.print()
        title = Text(f"Stage {stage.number} · {safe_line(stage.title, 60)}", style=f"bold {style}")
        if stage.goal:
            title.append(f"  {safe_line(stage.goal, 120)}", style="dim")
        console.print(title)
        if not stage.steps:
            why = f": {safe_line(stage.note, 300)}" if stage.note else " yet."
            console.print(Text(f"  No issue fits this stage{why}", style="dim"))
            continue
        table = Table(width=width, box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("Issue", overflow="fold", min_width=24, ratio=1)
        table.add_column("Level", no_wrap=True, width=5)
        table.add_column("Taken?", no_wrap=True, width=taken_width)
        table.add_column("You", no_wrap=True, width=you_width)
        table.add_column("Effort", no_wrap=True, width=effort_width)
        for step in stage.steps:
            status = statuses.get(step.issue.number, StepStatus.PLANNED.value)
            score = min(5, max(1, int(step.difficulty.score)))
            table.add_row(
                Text(f"#{step.issue.number} {safe_line(step.issue.title, 120)}"),
                Text(f"{score}/5"),
                Text(_taken_word(step.taken), style=_TAKEN_STYLES.get(step.taken.state, "")),
                Text(STATUS_WORDS[StepStatus(status)], style=_STATUS_STYLES.get(status, "")),
                Text(short_effort(step.effort)),
            )
        console.print(table)
        if stage.note:  # fewer steps than asked, and why
            console.print(Text(f"  {safe_line(stage.note, 300)}", style="dim"))
    console.print(Text("Level: difficulty from 1 (very easy) to 5 (very hard).", style="dim"))
    if plan.set_aside:
        total = max(plan.set_aside_total, len(plan.set_aside))
        console.print()
        console.print(Text(f"Listed apart, never steps: {total} issue(s)", style="bold"))
        shown = plan.set_aside[:SET_ASIDE_LINES]
        for item in shown:
            kind = SET_ASIDE_WORDS.get(item.kind, safe_line(item.kind, 20))
            name = safe_line(item.issue.title, 80)
            line = f"  #{item.issue.number} {name} ({kind}): {safe_line(item.reason, 400)}"
            console.print(Text(line, style="dim"))
        if total > len(shown):
            console.print(Text(f"  ... and {total - len(shown)} more", style="dim"))


def _taken_word(taken: TakenStatus) -> str:
    if taken.pulls_unchecked:
        return "unchecked"  # from a file: no claim seen, linked pull requests never fetched
    return _TAKEN_SHORT.get(taken.state, "free")
