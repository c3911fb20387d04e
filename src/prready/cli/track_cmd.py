"""`prready track` (placeholder until its issue lands)."""

import click

from prready.errors import PrreadyError


@click.command(name="track")
def command() -> None:
    """Not implemented yet.

    \b
    Example:
      prready track --help
    """
    raise PrreadyError("prready track is not implemented yet")
