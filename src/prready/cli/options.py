"""Option decorators shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from prready.formats import PLAN_FORMATS

F = TypeVar("F", bound=Callable[..., Any])



def github_options(func: F) -> F:
    """--token, --api-url and --offline, for every command that may touch the network."""
    func = click.option(
        "--offline",
        is_flag=True,
        help="Use only the local store and checkouts (also PRREADY_OFFLINE=1).",
    )(func)
    func = click.option(
        "--api-url",
        metavar="URL",
        help="GitHub API base URL (default: $GITHUB_API_URL or https://api.github.com).",
    )(func)
    func = click.option(
        "--token",
        metavar="TOKEN",
        callback=_warn_token_in_process_list,
        help="GitHub token (default: $GH_TOKEN, $GITHUB_TOKEN; $GH_ENTERPRISE_TOKEN for other hosts; then `gh auth token`).",
    )(func)
    return func


TOKEN_IN_PROCESS_LIST = (
    "warning: --token puts the token on the command line, which other users of this "
    "machine can read in the process list (ps); set GH_TOKEN or GITHUB_TOKEN, or run "
    "`gh auth login`, instead"
)


def _warn_token_in_process_list(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> str | None:
    """One line on stderr when a token was given as an argument (never the token itself)."""
    if value is not None:
        click.echo(TOKEN_IN_PROCESS_LIST, err=True)
    return value


def repo_source_options(func: F) -> F:
    """--checkout and --git-url: where the repository's code comes from."""
    func = click.option(
        "--git-url",
        metavar="URL",
        help="Clone from this URL instead of GitHub (a mirror, Enterprise, a local path).",
    )(func)
    func = click.option(
        "--allow-other-checkout",
        is_flag=True,
        expose_value=False,
        callback=_remember_flag,
        help="Use --checkout even when its origin remote or pyproject names another repository.",
    )(func)
    func = click.option(
        "--checkout",
        type=click.Path(file_okay=False, exists=True),
        help="Use this existing local clone as is (never fetched or modified).",
    )(func)
    return func


def _remember_flag(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    """Keep a flag in ctx.meta, so commands need no parameter for it (runtime reads it)."""
    ctx.meta[f"prready.{param.name}"] = value
    return value


def format_option(choices: tuple[str, ...], default: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=default,
            show_default=True,
            help="Output format.",
        )(func)

    return decorate


def plan_output_options(func: F) -> F:
    """--format, --output and --open for the commands that write a plan."""
    func = click.option("--open", "open_page", is_flag=True, help="Open the plan in a browser.")(
        func
    )
    func = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
        help="Where to write the plan; '-' for standard output (then only the document "
        "goes there). Default: in the data directory (the path is printed).",
    )(func)
    func = click.option(
        "--format",
        "fmt",
        type=click.Choice(PLAN_FORMATS),
        default=None,
        help="Plan format: html, md or json. Default: from the --output suffix "
        "(.html, .md, .json), json for '-', else html.",
    )(func)
    return func


def issue_scope_options(func: F) -> F:
    """--all-open and --module-label: which issues a sync fetches."""
    func = click.option(
        "--module-label",
        "module_labels",
        multiple=True,
        metavar="LABEL",
        help="Also fetch the open issues of this label (repeatable), e.g. 'module: nn'.",
    )(func)
    func = click.option(
        "--all-open", is_flag=True, help="Fetch every open issue, not only beginner/bug ones."
    )(func)
    return func
