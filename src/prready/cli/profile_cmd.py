"""`prready profile` (placeholder until its issue lands)."""

import click

from prready.errors import PrreadyError


@click.command(name="profile")
def command() -> None:
    """Not implemented yet.

    \b
    Example:
      prready profile --help
    """
    raise PrreadyError("prready profile is not implemented yet")
