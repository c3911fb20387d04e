"""`prready status` (placeholder until its issue lands)."""

import click

from prready.errors import PrreadyError


@click.command(name="status")
def command() -> None:
    """Not implemented yet.

    \b
    Example:
      prready status --help
    """
    raise PrreadyError("prready status is not implemented yet")
