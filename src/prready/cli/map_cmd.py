"""`prready map`: build the code map of a repository, print a summary, export it."""

from __future__ import annotations

import click

from prready import process
from prready.cli.options import repo_source_options
from prready.cli.runtime import (
    checked_repo,
    is_stdout,
    keep_objects_to_exit,
    load_user_config,
    make_workspace,
    output_format,
    rebuild_cache_option,
)
from prready.formats import EXPORT_OF_SUFFIX, MAP_EXPORTS


@click.command(name="map")
@click.argument("repo", metavar="OWNER/REPO")
@repo_source_options
@click.option("--offline", is_flag=True, help="Use only the cached clone (also PRREADY_OFFLINE=1).")
@click.option(
    "--area-depth",
    type=click.IntRange(min=1),
    help="Group modules into areas of this many name parts "
    "(default: plan.area_depth in config.toml, else chosen per repository).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", *MAP_EXPORTS]),
    default=None,
    help="text prints a summary; json and graphml export the whole map. Default: from the "
    "--output suffix (.json, .graphml), json for '-', else text.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True),
    help="Write the json/graphml export to this file ('-' or none: standard output).",
)
@rebuild_cache_option
def command(
    repo: str,
    checkout: str | None,
    git_url: str | None,
    offline: bool,
    area_depth: int | None,
    fmt: str | None,
    output: str | None,
    rebuild_cache: bool,
) -> None:
    """Map a repository's code: modules, imports/includes, areas and their metrics.

    \b
    Examples:
      prready map pytorch/pytorch
      prready map pytorch/pytorch --checkout ~/src/pytorch --area-depth 2
      prready map pytorch/pytorch --format graphml --output torch.graphml
    """
    from prready.app.map import ScanStats, build_code_map, map_summary
    from prready.config import is_offline
    from prready.paths import resolve_paths
    from prready.render.console import progress_reporter
    from prready.render.map import export_map, print_map_summary

    fmt = _map_format(fmt, output)
    repo = checked_repo(repo, checkout)
    paths = resolve_paths()
    config = load_user_config(paths, rebuild_cache)
    stats = ScanStats()
    keep_objects_to_exit()
    with (
        progress_reporter() as progress,
        make_workspace(paths, config, offline=is_offline(offline), progress=progress) as ws,
    ):
        cm = build_code_map(
            ws, repo, checkout=checkout, git_url=git_url, area_depth=area_depth, stats=stats
        )
    process.outlive(cm)  # (see `prready.process`)
    if fmt == "text":
        print_map_summary(map_summary(cm, stats))
        return
    to_file = output is not None and not is_stdout(output)
    export_map(cm, fmt, output if to_file else None)


def _map_format(fmt: str | None, output: str | None) -> str:
    """--format, else the --output suffix; an export to '-' is JSON, no output a summary."""
    return output_format(
        fmt,
        output,
        EXPORT_OF_SUFFIX,
        default="text",
        without_suffix=None,
        unknown=f"cannot tell the export format from {output!r}: add --format {' or '.join(MAP_EXPORTS)}",
    )
