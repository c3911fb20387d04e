"""The `prready` command line: parse options, call one library function, report errors.

Each command lives in its own module here; none of them holds SQL, HTTP or graph code.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
from collections.abc import Iterator
from typing import Any

import click

from prready import __version__, process
from prready.errors import PrreadyError
from prready.text import safe_line


class PrreadyGroup(click.Group):
    """Turns library errors into one clear line and a non-zero exit, never a traceback."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from SUMMARIES: `--help` imports no command module."""
        names = [n for n in self.list_commands(ctx) if n in SUMMARIES]
        if not names:
            return super().format_commands(ctx, formatter)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = [(n, _shorten(SUMMARIES[n], limit)) for n in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)
        return None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PrreadyError as exc:
            # Messages may quote server, repository or file data: one inert line, always.
            from prready.render.advice import error_text

            err = click.ClickException(safe_line(error_text(exc), 1000))
            err.exit_code = exc.exit_code  # type: ignore[misc]
            raise err from None
        except KeyboardInterrupt:
            click.echo(
                "Interrupted: everything already saved is kept; run again to continue.", err=True
            )
            ctx.exit(130)
        except BrokenPipeError as exc:
            if not _output_closed():  # a socket or a child's pipe: not the reader going away
                raise _unexpected(exc) from None
            sys.stderr.close()
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            # A bug, not a user error: still one line (set PRREADY_DEBUG=1 for the traceback).
            if os.environ.get("PRREADY_DEBUG"):
                raise
            raise _unexpected(exc) from None


def _unexpected(exc: BaseException) -> click.ClickException:
    """One line for an exception no command expected."""
    message, store_problem = _unexpected_message(exc)
    err = click.ClickException(message)
    # A damaged, full or read-only store is the disk's doing (1); anything else a bug.
    err.exit_code = 1 if store_problem else 70  # type: ignore[misc]  # EX_SOFTWARE
    return err


def _output_closed() -> bool:
    """Whether standard output or error is a pipe whose reader went away (`| head`): then
    prready stops quietly. poll() reports POLLERR on such a pipe's write end."""
    import select

    if not hasattr(select, "poll"):
        return True  # cannot tell: keep the quiet exit
    poller = select.poll()
    for fd in (1, 2):
        with contextlib.suppress(OSError, ValueError):
            poller.register(fd, 0)
    try:
        return any(event & (select.POLLERR | select.POLLHUP) for _, event in poller.poll(0))
    except OSError:
        return True


@click.group(cls=PrreadyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="prready")
def cli() -> None:
    """Plan your way to a substantial pull request in a major ML library.

    \b
    Example:
      prready demo                      # the whole pipeline on bundled sample data
      export GITHUB_TOKEN=...
      prready plan pytorch/pytorch --skills python,numerics
    """


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word with "..." as click's own listing does."""
    if len(text) <= limit:
        return text
    words, out = text.split(), ""
    for word in words:
        if len(out) + len(word) + 1 > limit - 3:
            break
        out = f"{out} {word}" if out else word
    return f"{out}..."


# Each command's module, imported only when that command runs or help lists it: `prready
# --version` and `prready status` load nothing of the other commands.
COMMAND_MODULES = {
    "plan": "prready.cli.plan_cmd",
    "sync": "prready.cli.sync_cmd",
    "issues": "prready.cli.issues_cmd",
    "map": "prready.cli.map_cmd",
    "track": "prready.cli.track_cmd",
    "status": "prready.cli.status_cmd",
    "demo": "prready.cli.demo_cmd",
    "backtest": "prready.cli.backtest_cmd",
    "profile": "prready.cli.profile_cmd",
    "config": "prready.cli.config_cmd",
}
# The first line of each command's help, for `prready --help` to list without importing
# the commands (tests/integration/test_cli_help.py checks these match the commands' own help).
SUMMARIES = {
    "plan": "Write a four-stage plan (first contact -> small fix -> real bug -> substantial PR).",
    "sync": "Fetch the issues a plan needs (beginner and bug labels by default) into the store.",
    "issues": "List stored issues with the modules they map to, difficulty, skills and status.",
    "map": "Map a repository's code: modules, imports/includes, areas and their metrics.",
    "track": "Record what you did on an issue: start, pr URL, done or drop.",
    "status": "Show where you are in your plan: per stage done, in progress and left, and what next.",
    "demo": "Run the full plan pipeline on bundled sample data (no network, no token).",
    "backtest": "Check the mapping on closed issues whose fix is known.",
    "profile": "Propose skills from the languages, places and imports of the files you changed.",
    "config": "Show where prready's config file is and the settings it resolves.",
}


class LazyCommands(dict):  # type: ignore[type-arg]
    """`cli.commands` that imports a command's module on first lookup; iterating lists the
    names without importing anything."""

    def __init__(self, modules: dict[str, str]) -> None:
        super().__init__()
        self._modules = modules

    def _load(self, name: object) -> None:
        if isinstance(name, str) and name in self._modules and not dict.__contains__(self, name):
            dict.__setitem__(self, name, importlib.import_module(self._modules[name]).command)

    def __getitem__(self, name: Any) -> Any:
        self._load(name)
        return dict.__getitem__(self, name)

    def get(self, name: Any, default: Any = None) -> Any:
        self._load(name)
        return dict.get(self, name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._modules or dict.__contains__(self, name)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._modules, *dict.keys(self)]))

    def __len__(self) -> int:
        return len(list(iter(self)))

    def keys(self) -> Any:
        return list(iter(self))

    def values(self) -> Any:
        return [self[name] for name in self]

    def items(self) -> Any:
        return [(name, self[name]) for name in self]


cli.commands = LazyCommands(COMMAND_MODULES)


def main() -> None:
    """The `prready` program: a process that ends with its command, without freeing what
    the command built (see `prready.process`; every file and database prready writes is
    closed by its `with` before this returns)."""
    process.end_with_command()
    try:
        cli(prog_name="prready")
    except SystemExit as done:
        process.exit_now(done.code)
    process.exit_now(0)


def _unexpected_message(exc: BaseException) -> tuple[str, bool]:
    """A store failure named for what it is; anything else a bug, with the stores checked
    (quick_check) before anything is said about them."""
    from prready.app.cache import store_health
    from prready.paths import resolve_paths

    state = store_health(exc, resolve_paths())
    if isinstance(state, PrreadyError):  # a store failure (a damaged file, an SQLite error)
        from prready.render.advice import error_text

        return error_text(state), True
    return (
        f"unexpected {type(exc).__name__}: {safe_line(str(exc))} (this is a prready bug: "
        f"please report it; PRREADY_DEBUG=1 shows the traceback; {state})"
    ), False
