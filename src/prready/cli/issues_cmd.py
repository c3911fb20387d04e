"""`prready issues OWNER/REPO`: stored issues with mapped modules, difficulty, skills, taken;
`--labels` shows how the repository's labels were classified."""

from __future__ import annotations

import click

from prready.cli.options import format_option, repo_source_options
from prready.cli.runtime import checked_repo, load_user_config, make_workspace


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
    from prready.app.issues import list_issues
    from prready.app.sync import label_report
    from prready.config import is_offline, resolve_api_url, web_host
    from prready.paths import resolve_paths
    from prready.render.issues import print_issues, print_labels
    from prready.slug import parse_slug

    slug = parse_slug(checked_repo(repo, checkout))
    paths = resolve_paths()
    config = load_user_config(paths)
    if show_labels:
        with make_workspace(paths, config) as ws:
            rows = label_report(ws, slug)
        print_labels(rows, slug, fmt)
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
    print_issues(result, state, fmt, web_host(resolve_api_url(None)))
