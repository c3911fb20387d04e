"""`prready track`: record progress on an issue, or move progress to another machine."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from prready.cli.options import github_options
from prready.cli.runtime import github_client_factory, is_stdout
from prready.errors import UsageError

# The actions of prready.app.track.ACTIONS, spelled out so `--help` needs no app import.
ACTION_NAMES = ("start", "pr", "done", "drop")


@click.command(name="track")
@click.argument("ref", required=False, metavar="OWNER/REPO#N")
@click.argument("action", required=False, type=click.Choice(ACTION_NAMES))
@click.argument("url", required=False, metavar="[URL]")
@click.option("--note", metavar="TEXT", help="Keep a note with the step (shown by status).")
@click.option(
    "--force",
    is_flag=True,
    help="Move a done step back, or track an issue that cannot be found in the store or on GitHub.",
)
@click.option(
    "--export",
    "export_file",
    metavar="FILE",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write all progress to FILE as JSON (to move to another machine); '-' for stdout.",
)
@click.option(
    "--import",
    "import_file",
    metavar="FILE",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Merge progress from a JSON export ('-' for stdin); newer local state is kept.",
)
@github_options
def command(
    ref: str | None,
    action: str | None,
    url: str | None,
    note: str | None,
    force: bool,
    export_file: Path | None,
    import_file: Path | None,
    token: str | None,
    api_url: str | None,
    offline: bool,
) -> None:
    """Record what you did on an issue: start, pr URL, done or drop.

    The issue may also be given as its github.com URL. It must exist: in the store (after
    `prready sync` or `plan`), else it is looked up on GitHub. `prready sync` later updates
    steps from your pull requests on GitHub.

    \b
    Example:
      prready track pytorch/pytorch#12345 start --note "repro on CPU"
      prready track pytorch/pytorch#12345 pr https://github.com/pytorch/pytorch/pull/12400
      prready track pytorch/pytorch#12345 done
      prready track --export progress.json     # then, on the other machine:
      prready track --import progress.json
      prready track --export - | ssh laptop prready track --import -
    """
    from prready.app.track import export_text, export_to, import_from, import_text, track_issue
    from prready.render.track import print_export, print_exported, print_imported, print_tracked

    if export_file is not None or import_file is not None:
        if ref or action or url or note or force or (export_file and import_file):
            raise UsageError("use --export FILE or --import FILE alone, without an issue")
        if export_file is not None and is_stdout(export_file):
            text, count = export_text()
            print_export(text, count)
        elif export_file is not None:
            count = export_to(export_file)
            print_exported(count, export_file)
        else:
            assert import_file is not None
            if is_stdout(import_file):
                s = import_text(sys.stdin.read(), "standard input")
            else:
                s = import_from(import_file)
            print_imported(import_file, s)
        return
    if not ref or not action:
        raise UsageError(
            "give OWNER/REPO#N and an action (start, pr URL, done, drop), or --export/--import FILE"
        )
    entry = track_issue(
        ref,
        action,
        url=url,
        note=note,
        force=force,
        client=github_client_factory(token, api_url, offline),
    )
    print_tracked(entry, action)
