"""`prready track`: record progress on an issue, or move progress to another machine."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from prready.cli.options import github_options
from prready.cli.runtime import github_access, is_stdout, make_workspace
from prready.errors import UsageError

if TYPE_CHECKING:
    from prready.app.workspace import GitHubAccess, Workspace

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
    from prready.config import is_offline
    from prready.paths import resolve_paths

    offline = is_offline(offline)

    def github() -> GitHubAccess:
        # Resolved only if the issue is in no store: tracking a synced issue needs no token.
        return github_access(token, api_url, False)

    with make_workspace(resolve_paths(), offline=offline, github=github) as ws:
        _run(ws, ref, action, url, note, force, export_file, import_file)


def _run(
    ws: Workspace,
    ref: str | None,
    action: str | None,
    url: str | None,
    note: str | None,
    force: bool,
    export_file: Path | None,
    import_file: Path | None,
) -> None:
    from prready.app.track import MAX_NOTE, export_all, import_from, import_text, track_issue
    from prready.render.track import print_export, print_imported, print_tracked, write_export

    if export_file is not None or import_file is not None:
        if ref or action or url or note or force or (export_file and import_file):
            raise UsageError("use --export FILE or --import FILE alone, without an issue")
        if export_file is not None and is_stdout(export_file):
            print_export(export_all(ws))
        elif export_file is not None:
            write_export(export_all(ws), export_file)
        else:
            assert import_file is not None
            if is_stdout(import_file):
                s = import_text(ws, sys.stdin.read(), "standard input")
            else:
                s = import_from(ws, import_file)
            print_imported(import_file, s)
        return
    if not ref or not action:
        raise UsageError(
            "give OWNER/REPO#N and an action (start, pr URL, done, drop), or --export/--import FILE"
        )
    if note is not None and not 1 <= len(note.strip()) <= MAX_NOTE:
        raise UsageError(f"--note must be 1 to {MAX_NOTE} characters")
    tracked = track_issue(ws, ref, action, url=url, note=note, force=force)
    print_tracked(tracked, action)
