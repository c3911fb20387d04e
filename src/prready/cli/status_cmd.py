"""`prready status`: per stage done / in progress / left, with progress bars, and what next."""

from __future__ import annotations

import click

from prready.cli.options import format_option
from prready.cli.runtime import checked_repo, make_workspace


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
    from prready.render.status import print_status

    slug = checked_repo(repo) if repo else None
    with make_workspace(resolve_paths()) as ws:
        report = status_report(ws, slug)
    print_status(report, fmt)
