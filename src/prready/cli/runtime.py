"""Small helpers shared by commands: option parsing, config, sources, opening files."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from prready import process
from prready.errors import UsageError
from prready.formats import FORMAT_OF_SUFFIX, PLAN_FORMATS, PLAN_SUFFIX, PlanFormat

if TYPE_CHECKING:
    from prready.app.workspace import ClientFactory, GitHubAccess, Workspace
    from prready.config import UserConfig
    from prready.models import ProgressFn
    from prready.paths import Paths
    from prready.reports import PlanResult

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
    from prready.config import is_offline, load_config
    from prready.render.messages import echo_notes

    if rebuild:
        ctx = click.get_current_context(silent=True)
        offline = bool(ctx and ctx.params.get("offline")) or is_offline(False)
        if offline and ctx is not None and ctx.command.name == "plan":
            # The cache holds the stored issues; offline, nothing could fetch them again.
            raise UsageError(
                "--rebuild-cache with --offline would delete the stored issues this plan needs "
                "and cannot fetch again; drop --offline to rebuild from GitHub, or drop "
                "--rebuild-cache"
            )
        rebuild_cache(paths)
    config = load_config(paths.config_file)
    echo_notes(config.warnings, kind="warning")
    return config


@dataclass
class Injected:
    """What a caller of the CLI may hand it as Click's `obj` (tests do, through
    `CliRunner.invoke(cli, args, obj=Injected(...))`): the factory of the GitHub client,
    e.g. the real client with its sleeps recorded and small pages."""

    client_factory: ClientFactory | None = None


def github_access(
    token: str | None, api_url: str | None, offline: bool, *, need_token: bool = True
) -> GitHubAccess:
    """The one place GitHub options become an API URL and a token: --api-url (or the
    environment), --token (or the environment, or gh); no token offline or when the
    command will not call the API (`need_token` False). A token bound for plain HTTP is
    refused here, before anything is sent or cloned."""
    from prready.app.workspace import GitHubAccess
    from prready.config import check_token_transport, is_offline, resolve_api_url, resolve_token

    url = resolve_api_url(api_url)
    secret = (
        None if is_offline(offline) or not need_token else resolve_token(token, api_url=url).token
    )
    check_token_transport(url, secret)
    return GitHubAccess(url, secret)


def keep_objects_to_exit() -> None:
    """In a `prready` process that ends with its command (`prready.process`), turn the
    cyclic garbage collector off for the rest of the command: what it builds (a code
    map's ~150k containers) lives until the process ends a moment later, and the first
    collections after it would walk all of it (0.02-0.05 s of a cold torch map, 0.01-0.02
    s of a warm one). A command run in a caller's process leaves the collector as it is."""
    if process.ends_with_command():
        gc.disable()


def make_workspace(
    paths: Paths,
    config: UserConfig | None = None,
    *,
    offline: bool = False,
    progress: ProgressFn | None = None,
    github: GitHubAccess | Callable[[], GitHubAccess] | None = None,
    now: datetime | None = None,
) -> Workspace:
    """The command's workspace (use it in a `with`); the GitHub client comes from the
    factory the CLI's caller injected, else the real one."""
    from prready.app.workspace import Workspace

    ctx = click.get_current_context(silent=True)
    injected = ctx.find_root().obj if ctx is not None else None
    factory = injected.client_factory if isinstance(injected, Injected) else None
    return Workspace(
        paths,
        config,
        now=now,
        offline=offline,
        progress=progress,
        github=github,
        client_factory=factory,
    )


def checked_repo(repo: str, checkout: str | Path | None = None) -> str:
    """OWNER/REPO as the stores spell it; with --checkout, refuse a clone of another
    repository unless --allow-other-checkout was given."""
    from prready.app.inputs import canonical_repo, verify_checkout
    from prready.paths import resolve_paths

    slug = canonical_repo(repo, resolve_paths())
    if checkout is not None:
        ctx = click.get_current_context(silent=True)
        allow = bool(ctx and ctx.meta.get("prready.allow_other_checkout"))
        verify_checkout(slug, checkout, allow_other=allow)
    return slug


def write_plan_page(result: PlanResult, paths: Paths) -> Path:
    """Write the plan `plan`/`demo` made where it goes, its HTML templates kept compiled in
    the cache folder; with the collector paused, as the plan was made (`gc_paused`)."""
    from prready.app.map import gc_paused
    from prready.render.document import write_plan

    with gc_paused():
        return write_plan(result, paths.cache / "templates")


def parse_csv(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def parse_stages(text: str) -> list[int]:
    """ "1-4", "1,3", "2" -> stage numbers; anything else is a one-line error."""
    from prready.app.plan import STAGE_NUMBERS

    first, last = STAGE_NUMBERS[0], STAGE_NUMBERS[-1]
    every = f"{first}-{last}"
    some = ",".join(str(n) for n in STAGE_NUMBERS[::2])  # "1,3"
    stages: set[int] = set()
    for part in parse_csv(text):
        low, sep, high = part.partition("-")
        try:
            start, end = int(low), int(high) if sep else int(low)
        except ValueError:
            raise UsageError(
                f"--stages {text!r}: use numbers {every}, e.g. {every} or {some}"
            ) from None
        if not first <= start <= end <= last:
            raise UsageError(f"--stages {text!r}: stages run from {first} to {last}")
        stages.update(range(start, end + 1))
    if not stages:
        raise UsageError(f"--stages is empty: use e.g. {every}")
    return sorted(stages)


STDOUT = "-"


def is_stdout(output: Path | str | None) -> bool:
    """Whether a file option was given as '-' (standard output / input), as sqlite-utils and
    gh read it."""
    return output is not None and str(output) == STDOUT


def plan_format(fmt: str | None, output: Path | None, open_page: bool = False) -> PlanFormat:
    """The plan format: --format if given, else from the --output suffix, json for '-',
    html when there is no output or no suffix; an unknown suffix is a one-line error."""
    if open_page and is_stdout(output):
        raise UsageError("--open needs a file: drop --output - or --open")
    suffix = Path(output).suffix.lower() if output is not None else ""
    chosen = output_format(
        fmt,
        output,
        FORMAT_OF_SUFFIX,
        default="html",
        without_suffix="html",
        unknown=(
            f"cannot tell the plan format from {suffix!r}: add --format "
            f"{_one_of(PLAN_FORMATS)}, or name the file {_one_of(PLAN_SUFFIX.values())}"
        ),
    )
    # --format is a click.Choice of PLAN_FORMATS; the rest come from FORMAT_OF_SUFFIX.
    return cast(PlanFormat, chosen)


def _one_of(words: Iterable[str]) -> str:
    """"a, b or c"."""
    *rest, last = words
    return f"{', '.join(rest)} or {last}" if rest else last


def output_format(
    fmt: str | None,
    output: Path | str | None,
    by_suffix: Mapping[str, str],
    *,
    default: str,
    without_suffix: str | None,
    unknown: str,
) -> str:
    """--format if given, else `default` without --output, json for '-', else the format
    of the output's suffix (`without_suffix` for a name with none, when it is given); any
    other suffix is a one-line error saying `unknown`."""
    if fmt is not None:
        return fmt
    if output is None:
        return default
    if is_stdout(output):
        return "json"
    suffix = Path(output).suffix.lower()
    if not suffix and without_suffix is not None:
        return without_suffix
    if suffix not in by_suffix:
        raise UsageError(unknown)
    return by_suffix[suffix]


def open_in_browser(path: Path) -> None:
    import webbrowser

    if not webbrowser.open(path.resolve().as_uri()):
        click.echo(f"could not open a browser; open {path} yourself", err=True)
