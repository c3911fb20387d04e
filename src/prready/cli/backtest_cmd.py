"""`prready backtest` (placeholder until its issue lands)."""

import click

from prready.errors import PrreadyError


@click.command(name="backtest")
def command() -> None:
    """Not implemented yet.

    \b
    Example:
      prready backtest --help
    """
    raise PrreadyError("prready backtest is not implemented yet")
