"""`prready issues` (placeholder until its issue lands)."""

import click

from prready.errors import PrreadyError


@click.command(name="issues")
def command() -> None:
    """Not implemented yet.

    \b
    Example:
      prready issues --help
    """
    raise PrreadyError("prready issues is not implemented yet")
