"""The `prready` command line: parse options, call one library function, report errors.

Each command lives in its own module here; none of them holds SQL, HTTP or graph code.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from prready import __version__
from prready.errors import PrreadyError


class PrreadyGroup(click.Group):
    """Turns library errors into one clear line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PrreadyError as exc:
            err = click.ClickException(str(exc))
            err.exit_code = exc.exit_code  # type: ignore[misc]
            raise err from None
        except KeyboardInterrupt:
            click.echo(
                "Interrupted: everything already saved is kept; run again to continue.", err=True
            )
            ctx.exit(130)
        except BrokenPipeError:
            sys.stderr.close()
            ctx.exit(1)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            # A bug, not a user error: still one line (set PRREADY_DEBUG=1 for the traceback).
            if os.environ.get("PRREADY_DEBUG"):
                raise
            err = click.ClickException(
                f"unexpected {type(exc).__name__}: {_one_line(str(exc))} (this is a prready bug: "
                "please report it; PRREADY_DEBUG=1 shows the traceback; saved data is intact)"
            )
            err.exit_code = 70  # type: ignore[misc]  # EX_SOFTWARE
            raise err from None


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


def _one_line(text: str, limit: int = 200) -> str:
    clean = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return clean[:limit]


def _register() -> None:
    from prready.cli import (
        backtest_cmd,
        config_cmd,
        demo_cmd,
        issues_cmd,
        map_cmd,
        plan_cmd,
        profile_cmd,
        status_cmd,
        sync_cmd,
        track_cmd,
    )

    for module in (
        plan_cmd,
        sync_cmd,
        issues_cmd,
        map_cmd,
        track_cmd,
        status_cmd,
        demo_cmd,
        backtest_cmd,
        profile_cmd,
        config_cmd,
    ):
        cli.add_command(module.command)


_register()


def main() -> None:
    cli(prog_name="prready")
