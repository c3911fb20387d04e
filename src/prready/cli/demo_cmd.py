"""`prready demo` (placeholder until its issue lands)."""

import click

from prready.errors import PrreadyError


@click.command(name="demo")
def command() -> None:
    """Not implemented yet.

    \b
    Example:
      prready demo --help
    """
    raise PrreadyError("prready demo is not implemented yet")
