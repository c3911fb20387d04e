"""`prready plan` (placeholder until its issue lands)."""

import click

from prready.errors import PrreadyError


@click.command(name="plan")
def command() -> None:
    """Not implemented yet.

    \b
    Example:
      prready plan --help
    """
    raise PrreadyError("prready plan is not implemented yet")
