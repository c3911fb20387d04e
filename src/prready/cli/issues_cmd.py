"""`prready issues OWNER/REPO`: stored issues with mapped modules, difficulty, skills, taken;
`--labels` shows how the repository's labels were classified."""

from __future__ import annotations

import json

import click

from prready.cli.options import format_option, repo_source_options
from prready.cli.runtime import checked_repo, load_user_config, make_workspace
from prready.text import safe_line


@click.command(name="issues")
@click.argument("repo")
@format_option(("table", "json"), "table")
@click.option(
    "--labels", "show_labels", is_flag=True, help="Show the label classification with counts."
)
@click.option(
    "--state", type=click.Choice(["open", "closed", "all"]), default="open", show_default=True
)
@click.option(
    "--label",
    "only_labels",
    multiple=True,
    metavar="NAME",
    help="Only issues with this label (repeatable).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Show at most N issues (most recently active first).",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Use only the store and local checkouts (also PRREADY_OFFLINE=1).",
)
@repo_source_options
def command(
    repo: str,
    fmt: str,
    show_labels: bool,
    state: str,
    only_labels: tuple[str, ...],
    limit: int | None,
    offline: bool,
    checkout: str | None,
    git_url: str | None,
) -> None:
    """List stored issues with the modules they map to, difficulty, skills and status.

    Run `prready sync OWNER/REPO` first; listing needs only the store. Modules come from
    the code map once a clone exists (`prready map` or `plan`; or give --checkout). Taken
    is judged from the stored comments and linked pull requests, as `plan` judges it. The
    JSON output has one object per issue with number, modules [{name, path, score,
    evidence}], difficulty, skills and taken.

    \b
    Example:
      prready issues pytorch/pytorch --limit 20
      prready issues pytorch/pytorch --format json > issues.json
      prready issues pytorch/pytorch --labels
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from prready.app.issues import assessment_json, list_issues
    from prready.app.sync import label_report
    from prready.config import is_offline, resolve_api_url, web_host
    from prready.paths import resolve_paths
    from prready.slug import parse_slug

    slug = parse_slug(checked_repo(repo, checkout))
    paths = resolve_paths()
    config = load_user_config(paths)
    if show_labels:
        with make_workspace(paths, config) as ws:
            rows = label_report(ws, slug)
        if fmt == "json":
            click.echo(json.dumps([vars(r) for r in rows], indent=2, sort_keys=True))
            return
        table = Table("label", "kind", "value", "open issues", title=f"Labels of {slug}")
        for row in rows:
            table.add_row(
                Text(safe_line(row.name, 100)),
                Text(safe_line(row.kind, 40)),
                Text(safe_line(row.value or "", 100)),
                str(row.open_issues),
            )
        Console(soft_wrap=False).print(table)
        return
    from prready.render.console import progress_reporter

    with (
        progress_reporter() as progress,
        make_workspace(paths, config, offline=is_offline(offline), progress=progress) as ws,
    ):
        result = list_issues(
            ws,
            slug,
            state=state,
            limit=limit,
            labels=only_labels,
            checkout=checkout,
            git_url=git_url,
        )
    if fmt == "json":
        host = web_host(resolve_api_url(None))
        found = [assessment_json(a, slug, host) for a in result.assessments]
        click.echo(json.dumps(found, indent=2, sort_keys=True))
        return
    table = Table(
        "#",
        "title",
        "modules",
        "diff.",
        "skills",
        "status",
        title=f"{len(result.assessments)} of {result.total} {state} issues of {slug}",
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
    for note in result.notes:
        click.echo(f"note: {safe_line(note, 300)}", err=True)
