"""`prready backtest OWNER/REPO`: score the issue-to-module mapping against real fixes."""

from __future__ import annotations

import click

from prready.cli.options import format_option, github_options, repo_source_options
from prready.cli.runtime import checked_repo, github_access, load_user_config, make_workspace

DEFAULT_LIMIT = 100  # prready.app.backtest.DEFAULT_LIMIT, here so `--help` needs no app import


@click.command(name="backtest")
@click.argument("repo")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="Closed issues to look up online (about two requests each).",
)
@format_option(("text", "json"), "text")
@repo_source_options
@github_options
def command(
    repo: str,
    limit: int,
    fmt: str,
    checkout: str | None,
    git_url: str | None,
    token: str | None,
    api_url: str | None,
    offline: bool,
) -> None:
    """Check the mapping on closed issues whose fix is known.

    Ground truth: the files changed by the merged pull request that fixed each closed
    issue (online), or by commits saying "Fixes #N" (always). Reports how often the
    changed area is the mapping's first guess (top 1), among its first three (top 3),
    and how often a changed file is among the three files it names.

    \b
    Example:
      prready backtest pytorch/pytorch --limit 50
      prready backtest prready-demo/tinyml --offline --checkout ./tinyml
    """
    from prready.app.backtest import run_backtest
    from prready.config import is_offline
    from prready.paths import resolve_paths
    from prready.render.backtest import print_backtest
    from prready.render.console import progress_reporter
    from prready.slug import parse_slug

    slug = parse_slug(checked_repo(repo, checkout))
    paths = resolve_paths()
    config = load_user_config(paths)
    offline = is_offline(offline)
    github = github_access(token, api_url, offline)

    with (
        progress_reporter() as progress,
        make_workspace(paths, config, offline=offline, progress=progress, github=github) as ws,
    ):
        run = run_backtest(ws, slug, checkout=checkout, git_url=git_url, limit=limit)
    print_backtest(run, fmt)
