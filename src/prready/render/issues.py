"""`prready issues` output: the assessed issues as a table or JSON, and `--labels`, the
repository's label classification, as a table or JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from prready.render.messages import echo_notes
from prready.render.view import issue_url
from prready.text import safe_line

if TYPE_CHECKING:
    from prready.models import IssueAssessment
    from prready.reports import IssuesResult, LabelRow


def print_issues(result: IssuesResult, state: str, fmt: str, host: str) -> None:
    """The issues on standard output (notes on standard error); `host` is the web host
    that issue URLs point to (github.com, or a GitHub Enterprise server)."""
    if fmt == "json":
        found = [assessment_json(a, result.repo, host) for a in result.assessments]
        click.echo(json.dumps(found, indent=2, sort_keys=True))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        "#",
        "title",
        "modules",
        "diff.",
        "skills",
        "status",
        title=f"{len(result.assessments)} of {result.total} {state} issues of {result.repo}",
    )
    for a in result.assessments:
        modules = ", ".join(f"{safe_line(m.name, 80)} ({m.score:.2f})" for m in a.modules[:2]) or (
            "?" if result.mapped else "no code map yet"
        )
        table.add_row(
            str(a.issue.number),
            Text(safe_line(a.issue.title, 80)),
            Text(modules),
            f"{a.difficulty.score}/5",
            safe_line(", ".join(a.skills), 80),
            "fresh, PRs unchecked" if a.taken.pulls_unchecked else a.taken.state,
        )
    Console(soft_wrap=False).print(table)
    echo_notes(result.notes)


def print_labels(rows: list[LabelRow], repo: str, fmt: str) -> None:
    """How each label of `repo` was classified, with its open issues."""
    if fmt == "json":
        click.echo(json.dumps([vars(r) for r in rows], indent=2, sort_keys=True))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table("label", "kind", "value", "open issues", title=f"Labels of {repo}")
    for row in rows:
        table.add_row(
            Text(safe_line(row.name, 100)),
            Text(safe_line(row.kind, 40)),
            Text(safe_line(row.value or "", 100)),
            str(row.open_issues),
        )
    Console(soft_wrap=False).print(table)


def assessment_json(a: IssueAssessment, slug: str, host: str = "github.com") -> dict[str, Any]:
    """One issue for `--format json`: stable keys, plain values; the url always a page of
    `slug` on its web host `host` (GitHub Enterprise: the server), never a server's other host."""
    return {
        "number": a.issue.number,
        "title": a.issue.title,
        "url": issue_url(slug, a.issue.number, a.issue.url, host),
        "state": a.issue.state,
        "labels": list(a.issue.labels),
        "modules": [
            {"name": m.name, "path": m.path, "score": m.score, "evidence": list(m.evidence)}
            for m in a.modules
        ],
        "difficulty": a.difficulty.score,
        "difficulty_reasons": list(a.difficulty.reasons),
        "skills": list(a.skills),
        "taken": a.taken.taken,
        "taken_state": a.taken.state,
        "taken_evidence": list(a.taken.evidence),
        # What kind of work it is and what hardware it needs, each with its evidence.
        "kinds": dict(a.kinds.kinds) if a.kinds else {},
        "hardware": dict(a.kinds.hardware) if a.kinds else {},
    }
