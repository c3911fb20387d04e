"""`prready map` (placeholder until its issue lands)."""

import click

from prready.errors import PrreadyError


@click.command(name="map")
def command() -> None:
    """Not implemented yet.

    \b
    Example:
      prready map --help
    """
    raise PrreadyError("prready map is not implemented yet")
