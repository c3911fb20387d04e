"""`prready demo`: the whole pipeline on the bundled sample data, offline."""

from __future__ import annotations

from pathlib import Path

import click

from prready.cli.options import plan_output_options
from prready.cli.runtime import (
    make_workspace,
    open_in_browser,
    parse_csv,
    plan_format,
    write_plan_page,
)


@click.command(name="demo")
@click.option(
    "--skills",
    metavar="LIST",
    default="python,testing,nn",
    show_default=True,
    help="The sample newcomer's skills, comma-separated.",
)
@plan_output_options
def command(skills: str, fmt: str | None, output: Path | None, open_page: bool) -> None:
    """Run the full plan pipeline on bundled sample data (no network, no token).

    The sample is a small ML library, tinyml, with a real git history and a few dozen
    issues of our own in GitHub's shapes. The page says it is sample data.

    \b
    Example:
      prready demo --open
      prready demo --format md --output demo-plan.md
    """
    from prready.app.demo import run_demo
    from prready.paths import resolve_paths
    from prready.render.console import progress_reporter
    from prready.render.terminal import print_plan_outcome

    fmt = plan_format(fmt, output, open_page)
    paths = resolve_paths()
    # The demo reads no config and needs no GitHub: the sample brings its own.
    with progress_reporter() as progress, make_workspace(paths, progress=progress) as ws:
        result = run_demo(ws, skills=parse_csv(skills), fmt=fmt, output=output)
        write_plan_page(result, paths)
    print_plan_outcome(result.plan, result.entries, result.output)
    if open_page:
        open_in_browser(result.output)
