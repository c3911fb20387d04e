"""Small helpers shared by commands: option parsing, config, sources, opening files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from prready.errors import UsageError

if TYPE_CHECKING:
    from prready.app.plan import Source
    from prready.config import UserConfig
    from prready.paths import Paths

# Heavy modules (PyGithub, GitPython, networkx, rich, Jinja2) are imported inside the
# functions and command bodies that use them, so `prready --help` starts fast.

F = TypeVar("F", bound=Callable[..., Any])


def rebuild_cache_option(func: F) -> F:
    return click.option(
        "--rebuild-cache",
        is_flag=True,
        help="Delete the issue/parse cache first (a broken cache); progress is never touched.",
    )(func)


def load_user_config(paths: Paths, rebuild: bool = False) -> UserConfig:
    from prready.app.cache import rebuild_cache
    from prready.config import load_config

    if rebuild:
        rebuild_cache(paths)
    return load_config(paths.config_file)


def source_from_options(
    token: str | None,
    api_url: str | None,
    offline: bool,
    checkout: str | None,
    git_url: str | None,
) -> Source:
    from prready.app.plan import Source
    from prready.config import check_token_transport, is_offline, resolve_api_url, resolve_token

    offline = is_offline(offline)
    secret = None if offline else resolve_token(token).token
    url = resolve_api_url(api_url)
    check_token_transport(url, secret)
    return Source(
        token=secret,
        api_url=url,
        offline=offline,
        checkout=Path(checkout) if checkout else None,
        git_url=git_url,
    )


def parse_csv(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def parse_stages(text: str) -> list[int]:
    """ "1-4", "1,3", "2" -> stage numbers; anything else is a one-line error."""
    stages: set[int] = set()
    for part in parse_csv(text):
        low, sep, high = part.partition("-")
        try:
            start, end = int(low), int(high) if sep else int(low)
        except ValueError:
            raise UsageError(f"--stages {text!r}: use numbers 1-4, e.g. 1-4 or 1,3") from None
        if not 1 <= start <= end <= 4:
            raise UsageError(f"--stages {text!r}: stages run from 1 to 4")
        stages.update(range(start, end + 1))
    if not stages:
        raise UsageError("--stages is empty: use e.g. 1-4")
    return sorted(stages)


def open_in_browser(path: Path) -> None:
    import webbrowser

    if not webbrowser.open(path.resolve().as_uri()):
        click.echo(f"could not open a browser; open {path} yourself", err=True)
