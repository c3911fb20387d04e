"""Tracking against the loopback GitHub server: the user's pull requests move steps along;
issues closed or taken by someone else are flagged with a replacement, and a re-plan
replaces them while keeping the user's history."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from progress_fixtures import REPO, make_plan
from prready.analysis.progress import replan_pins
from prready.app.status import StatusReport, status_report
from prready.app.track import TrackingUpdate, sync_tracked, track_issue
from prready.app.workspace import Workspace
from prready.config import Secret
from prready.models import StepStatus as S
from prready.paths import resolve_paths
from prready.sources.github_api import GitHubClient
from prready.store.progress_store import load_events, load_progress, open_progress, record_plan

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=timezone.utc)
ME = "newcomer"


@pytest.fixture
def world(github_server):  # type: ignore[no-untyped-def]
    """A repository with five open issues and a plan over four of them (#5 spare)."""
    ds = github_server.dataset
    ds.add_repo(REPO)
    ds.set_authenticated_user(ME)
    for n in range(1, 6):
        ds.add_issue(REPO, f"Issue {n}", created_at="2026-10-01T00:00:00Z", number=n)
    plan = make_plan(
        {1: [(1, ["python"]), (2, ["python", "docs"])], 2: [(3, ["cuda"])]},
        {1: [(4, ["docs"]), (5, ["python"])]},
    )
    conn = open_progress(resolve_paths().progress_db)
    record_plan(conn, plan, "2026-11-20T09:00:00Z")
    client = GitHubClient(github_server.url, Secret("test-token"), sleep=lambda _s: None)
    yield github_server, ds, conn, client
    conn.close()


def status(repo: str) -> StatusReport:
    with Workspace(resolve_paths()) as ws:
        return status_report(ws, repo)


def tracked(client: GitHubClient) -> TrackingUpdate:
    """`sync_tracked` as `prready sync` runs it, at NOW, through `client`."""
    with Workspace(resolve_paths(), now=NOW, client_factory=lambda *_a, **_k: client) as ws:
        return sync_tracked(ws, REPO)


def rows(conn) -> dict[int, object]:  # type: ignore[no-untyped-def]
    return {e.issue_number: e for e in load_progress(conn, REPO)}


def test_users_pull_request_moves_step_to_pr_open_then_merged(world) -> None:  # type: ignore[no-untyped-def]
    server, ds, conn, client = world
    with Workspace(resolve_paths(), now=NOW, offline=True) as ws:
        track_issue(ws, f"{REPO}#1", "start")
    pr = ds.add_pull(
        REPO,
        "Fix the typo",
        body="Fixes #1",
        user=ME,
        references=[1],
        created_at="2026-11-21T10:00:00Z",
    )
    update = tracked(client)
    assert update.login == ME
    entry = rows(conn)[1]
    assert entry.status == S.PR_OPEN  # type: ignore[attr-defined]
    assert entry.pr_url == f"https://github.com/{REPO}/pull/{pr}"  # type: ignore[attr-defined]
    assert [e.status for e in update.events] == [S.PR_OPEN]
    assert 1 not in update.flagged  # the user's own open PR is not "taken"
    report = status(REPO)
    assert report.repos[0].next[0].kind == "follow-up"

    ds.update_issue(REPO, pr, state="closed", merged_at="2026-11-22T08:00:00Z")
    ds.update_issue(REPO, 1, state="closed", state_reason="completed")
    update = tracked(client)
    assert rows(conn)[1].status == S.MERGED  # type: ignore[attr-defined]
    assert 1 not in update.flagged
    stage1 = status(REPO).repos[0].stages[0]
    assert (stage1.done, stage1.complete) == (1, True)
    # A merged step is not asked about again.
    server.reset_log()
    tracked(client)
    assert server.count(r"/issues/1(/|$)") == 0


def test_pull_request_found_by_search_and_closed_unmerged_leaves_a_note(world) -> None:  # type: ignore[no-untyped-def]
    _server, ds, conn, client = world
    # No timeline reference: only the search `is:pr author:ME repo:REPO` finds it.
    pr = ds.add_pull(
        REPO,
        "Add CUDA check",
        body=f"For https://github.com/{REPO}/issues/3",
        user=ME,
        created_at="2026-11-21T10:00:00Z",
    )
    tracked(client)
    assert rows(conn)[3].status == S.PR_OPEN  # type: ignore[attr-defined]
    ds.update_issue(REPO, pr, state="closed")
    tracked(client)
    entry = rows(conn)[3]
    assert entry.status == S.STARTED  # type: ignore[attr-defined]
    assert entry.notes == [  # type: ignore[attr-defined]
        f"pull request https://github.com/{REPO}/pull/{pr} was closed without merging"
    ]
    tracked(client)  # no duplicate note or event
    assert len(rows(conn)[3].notes) == 1  # type: ignore[attr-defined]


def test_issue_taken_by_someone_else_is_flagged_with_a_replacement_then_replanned(world) -> None:  # type: ignore[no-untyped-def]
    _server, ds, conn, client = world
    with Workspace(resolve_paths(), now=NOW, offline=True) as ws:
        track_issue(ws, f"{REPO}#1", "start")
    ds.add_pull(
        REPO,
        "Fix 2",
        body="Fixes #2",
        user="speedy",
        references=[2],
        created_at="2026-11-21T09:00:00Z",
    )
    ds.update_issue(REPO, 5, state="closed")  # the best-ranked spare is gone too
    update = tracked(client)
    assert update.flagged[2].startswith("taken: @speedy's pull request")
    # Same stage, shared skills, still open: #5 is closed, so #4 (docs) is suggested.
    assert update.replacements == {2: 4}
    entry = rows(conn)[2]
    assert entry.status == S.PLANNED and entry.replacement == 4  # type: ignore[attr-defined]
    report = status(REPO).repos[0]
    assert report.next[0].command == f"prready track {REPO}#4 start"
    assert "flagged: taken" in load_events(conn, REPO, limit=1)[0].detail

    # Re-plan: the started step stays pinned, the taken one is replaced and never suggested
    # again, the untouched rest are planned afresh (here the planner picks #3 again).
    decision = replan_pins(load_progress(conn, REPO))
    assert decision.pins == [(1, 1)]
    assert decision.replaced == {2: update.flagged[2]} and 2 in decision.excluded
    steps: dict[int, list[tuple[int, list[str]]]] = {}
    for stage, number in [*decision.pins, (2, 3), (1, 4)]:
        steps.setdefault(stage, []).append((number, []))
    record_plan(conn, make_plan(steps), NOW)
    assert {n: e.status.value for n, e in rows(conn).items()} == {  # type: ignore[attr-defined]
        1: "started",
        2: "replaced",
        3: "planned",
        4: "planned",
    }


def test_closed_issue_is_flagged_and_flag_clears_when_reopened(world) -> None:  # type: ignore[no-untyped-def]
    _server, ds, conn, client = world
    ds.update_issue(REPO, 3, state="closed", state_reason="not_planned")
    update = tracked(client)
    assert update.flagged == {3: "closed as not planned"}
    assert 3 not in update.replacements  # no other stage-2 candidate exists
    ds.update_issue(REPO, 3, state="open")
    update = tracked(client)
    assert update.cleared == [3] and rows(conn)[3].flag == ""  # type: ignore[attr-defined]


def test_without_a_token_only_availability_is_checked(world, github_server) -> None:  # type: ignore[no-untyped-def]
    _server, ds, conn, _client = world
    ds.add_pull(REPO, "Fix 1", body="Fixes #1", user=ME, references=[1])
    anonymous = GitHubClient(github_server.url, None, sleep=lambda _s: None)
    update = tracked(anonymous)
    assert update.login is None
    assert github_server.count(r"^/search/") == 0
    # Without knowing who the user is, their PR looks like someone else's claim.
    assert 1 in update.flagged and rows(conn)[1].status == S.PLANNED  # type: ignore[attr-defined]


def test_sync_tracked_opens_the_users_store_and_counts_requests(world) -> None:  # type: ignore[no-untyped-def]
    server, ds, conn, client = world
    ds.update_issue(REPO, 1, state="closed")
    server.reset_log()
    with Workspace(resolve_paths(), now=NOW, client_factory=lambda *_a, **_k: client) as ws:
        update = sync_tracked(ws, REPO)
    assert update.checked == 3 and update.flagged == {1: "closed"}
    assert rows(conn)[1].flag == "closed"  # type: ignore[attr-defined]
    # One /user, one search, a timeline per tracked step, issue (+ comments when open) per
    # step, and the checks of replacement candidates: bounded, no per-page surprises.
    assert server.count(r"^/user$") == 1 and server.count(r"^/search/issues") == 1
    assert server.count() <= 1 + 1 + 3 + 3 + 2 + 3 * 3
