"""`prready status`: where the user stands in each tracked repository and what to do next."""

from __future__ import annotations

from typing import TYPE_CHECKING

from prready.reports import RepoStatus, StatusReport
from prready.slug import parse_slug

if TYPE_CHECKING:
    from prready.app.workspace import Workspace


def status_report(ws: Workspace, repo: str | None = None, *, events: int = 5) -> StatusReport:
    """Per-repository stage summaries, next actions and recent events from the progress store.

    Reads only: a missing store is an empty report (nothing is created).
    """
    slug = parse_slug(repo) if repo is not None else None
    if not ws.paths.progress_db.exists():
        return StatusReport([], slug)
    # Imported only now: `prready status` on a machine with nothing tracked starts fast.
    from prready.analysis.progress import group_by_repo, next_actions, summarize_stages
    from prready.store.progress_store import load_events, load_progress

    conn = ws.progress_store
    entries = load_progress(conn, slug)
    report = StatusReport([], slug)
    for name, items in group_by_repo(entries).items():
        report.repos.append(
            RepoStatus(
                repo=name,
                stages=summarize_stages(items),
                next=next_actions(items),
                entries=items,
                events=load_events(conn, name, limit=events),
            )
        )
    return report
