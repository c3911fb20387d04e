"""`prready config path` and `prready config show`: where settings live and what they are."""

from __future__ import annotations

import json

import click

from prready.cli.options import format_option
from prready.text import inert_json, safe_line


@click.group(name="config")
def command() -> None:
    """Show where prready's config file is and the settings it resolves.

    \b
    Example:
      prready config path              # the config.toml to edit
      prready config show              # every setting and where it came from
      prready config show --format json
    """


@command.command(name="path")
def path_command() -> None:
    """Print the path of config.toml (it may not exist yet).

    \b
    Example:
      $EDITOR "$(prready config path)"
    """
    from prready.paths import resolve_paths

    click.echo(str(resolve_paths().config_file))


@command.command(name="show")
@format_option(("text", "json"), "text")
def show_command(fmt: str) -> None:
    """Show every setting as resolved, with its source (config.toml, an environment
    variable or the default). The GitHub token is never shown: only where it was found.

    \b
    Example:
      prready config show
      PRREADY_HOME=/tmp/p prready config show --format json
    """
    from prready.app.config_report import config_report
    from prready.paths import resolve_paths

    report = config_report(resolve_paths())
    if fmt == "json":
        data = {
            "config_file": report.config_file,
            "exists": report.exists,
            "settings": {s.key: {"value": s.value, "source": s.source} for s in report.settings},
            "warnings": report.warnings,
        }
        click.echo(inert_json(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)))
        return
    state = "" if report.exists else " (does not exist: every value is a default)"
    click.echo(f"config file: {report.config_file}{state}")
    width = max(len(s.key) for s in report.settings)
    for s in report.settings:
        click.echo(f"  {s.key:<{width}}  {_setting_text(s.value)}  ({s.source})")
    for warning in report.warnings:
        click.echo(f"warning: {safe_line(warning, 300)}", err=True)


def _setting_text(value: object) -> str:
    """A setting as config.toml would spell it (strings bare), safe for the terminal."""
    return safe_line(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))
