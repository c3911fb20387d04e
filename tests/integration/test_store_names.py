"""How the stores spell a repository (`prready.store.names`): read from real stores made by
their own modules, matched without regard to case, the cache first, never written."""

from __future__ import annotations

from pathlib import Path

from progress_fixtures import make_plan
from prready.app.inputs import canonical_repo
from prready.models import Issue
from prready.paths import resolve_paths
from prready.store import issues_store
from prready.store.names import stored_repo_name
from prready.store.progress_store import open_progress, record_plan


def issue(repo: str) -> Issue:
    return Issue(
        repo=repo, number=1, title="t", body="b", state="open", labels=[], assignees=[],
        author="a", comments=0, reactions=0, created_at="2026-01-01T00:00:00Z",
        updated_at="2026-01-01T00:00:00Z", closed_at=None, url="",
    )  # fmt: skip


def test_nothing_stored_answers_none_and_creates_no_database(tmp_path: Path) -> None:
    cache, progress = tmp_path / "cache.sqlite3", tmp_path / "progress.sqlite3"
    assert stored_repo_name(cache, progress, "PyTorch/PyTorch") is None
    assert not cache.exists() and not progress.exists()


def test_the_cache_spells_a_synced_repository_as_github_does() -> None:
    paths = resolve_paths()
    conn = issues_store.open_cache(paths)
    try:
        issues_store.record_repo(conn, "pytorch/pytorch", "PyTorch/PyTorch")
        issues_store.save_issues(conn, [issue("acme/widgets")])
    finally:
        conn.close()
    found = stored_repo_name(paths.cache_db, paths.progress_db, "PYTORCH/pytorch")
    assert found == "PyTorch/PyTorch"  # gh_repos' full name, whatever case was asked
    # Issues without a repository row: their own spelling.
    assert stored_repo_name(paths.cache_db, paths.progress_db, "Acme/Widgets") == "acme/widgets"
    assert canonical_repo("ACME/widgets", paths) == "acme/widgets"
    assert canonical_repo("someone/else", paths) == "someone/else"  # unknown: as given


def test_tracked_steps_spell_it_when_the_cache_does_not(tmp_path: Path) -> None:
    cache, progress = tmp_path / "cache.sqlite3", tmp_path / "progress.sqlite3"
    conn = open_progress(progress)
    try:
        record_plan(
            conn, make_plan({1: [(7, ["python"])]}, repo="Acme/Widgets"), "2026-11-01T09:00:00Z"
        )
    finally:
        conn.close()
    assert stored_repo_name(cache, progress, "acme/WIDGETS") == "Acme/Widgets"
    assert not cache.exists()
