"""`prready sync` (placeholder until its issue lands)."""

import click

from prready.errors import PrreadyError


@click.command(name="sync")
def command() -> None:
    """Not implemented yet.

    \b
    Example:
      prready sync --help
    """
    raise PrreadyError("prready sync is not implemented yet")
