"""`prready sync OWNER/REPO`: mine the repository's issues into the local store."""

from __future__ import annotations

from pathlib import Path

import click

from prready.cli.options import github_options, issue_scope_options
from prready.cli.runtime import (
    checked_repo,
    github_access,
    load_user_config,
    make_workspace,
    rebuild_cache_option,
)
from prready.errors import UsageError


@click.command(name="sync")
@click.argument("repo")
@issue_scope_options
@click.option(
    "--from-file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Ingest `gh issue list --json ...` (or REST) output instead of calling the API.",
)
@click.option(
    "--exported-at",
    metavar="TIME",
    help="When the --from-file export was made (ISO 8601; default: its newest updatedAt).",
)
@click.option(
    "--complete",
    is_flag=True,
    help="The --from-file export holds every open issue: close stored open issues it lacks.",
)
@github_options
@rebuild_cache_option
def command(
    repo: str,
    all_open: bool,
    module_labels: tuple[str, ...],
    from_file: Path | None,
    exported_at: str | None,
    complete: bool,
    token: str | None,
    api_url: str | None,
    offline: bool,
    rebuild_cache: bool,
) -> None:
    """Fetch the issues a plan needs (beginner and bug labels by default) into the store.

    Re-running is cheap: unchanged queries cost 304 answers, which do not count against
    GitHub's rate limit. An interrupted sync continues where it stopped.

    \b
    Example:
      prready sync pytorch/pytorch
      prready sync pytorch/pytorch --module-label "module: nn"
      gh issue list -R pytorch/pytorch --limit 5000 --json number,title,body,labels,\\
        assignees,author,state,url,createdAt,updatedAt,comments > issues.json
      prready sync pytorch/pytorch --from-file issues.json --complete
    """
    from prready.app.sync import IssueFile, SyncScope, sync_with_tracking
    from prready.config import is_offline
    from prready.paths import resolve_paths
    from prready.render.console import progress_reporter
    from prready.render.sync import print_sync
    from prready.slug import parse_slug

    if (exported_at or complete) and from_file is None:
        raise UsageError("--exported-at and --complete go with --from-file FILE")
    slug = parse_slug(checked_repo(repo))
    paths = resolve_paths()
    config = load_user_config(paths, rebuild=rebuild_cache)
    offline = is_offline(offline)
    github = github_access(token, api_url, offline, need_token=from_file is None)
    with (
        progress_reporter() as progress,
        make_workspace(paths, config, offline=offline, progress=progress, github=github) as ws,
    ):
        file = None if from_file is None else IssueFile(from_file, exported_at, complete)
        scope = SyncScope(all_open, module_labels, file)
        report, tracking = sync_with_tracking(ws, slug, scope)
    print_sync(report, tracking)
