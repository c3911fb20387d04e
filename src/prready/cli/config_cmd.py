"""`prready config path` and `prready config show`: where settings live and what they are."""

from __future__ import annotations

import click

from prready.cli.options import format_option


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
    from prready.render.config import print_config_path

    print_config_path(resolve_paths().config_file)


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
    from prready.render.config import print_config

    report = config_report(resolve_paths())
    print_config(report, fmt)
