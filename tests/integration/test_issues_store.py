"""The issue store: upserts without duplicates, pull requests apart, replace-the-set
children, sync state, and page transactions that roll back as a whole."""

from __future__ import annotations

import dataclasses

import pytest

from prready.errors import StoreError
from prready.models import Comment, CrossReference, Issue, Label, LabelKind, TakenStatus
from prready.paths import Paths, resolve_paths
from prready.store import issues_store as store

REPO = "pytorch/pytorch"


def issue(number: int, updated: str = "2026-01-02T00:00:00Z", **kw: object) -> Issue:
    base = Issue(
        repo=REPO, number=number, title=f"issue {number}", body="body", state="open",
        labels=["bug"], assignees=[], author="alice", comments=0, reactions=0,
        created_at="2026-01-01T00:00:00Z", updated_at=updated, closed_at=None,
        url=f"https://github.com/{REPO}/issues/{number}",
    )  # fmt: skip
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


@pytest.fixture
def conn():  # type: ignore[no-untyped-def]
    connection = store.open_cache(resolve_paths())
    yield connection
    connection.close()


def test_upsert_counts_and_never_duplicates(conn) -> None:  # type: ignore[no-untyped-def]
    counts = store.save_issues(conn, [issue(1), issue(2)])
    assert (counts.new, counts.updated) == (2, 0)
    counts = store.save_issues(conn, [issue(1), issue(2, "2026-02-01T00:00:00Z", title="new")])
    assert (counts.new, counts.updated) == (0, 1)
    assert [i.title for i in store.load_issues(conn, REPO)] == ["issue 1", "new"]
    assert conn.execute("SELECT count(*) FROM gh_issues").fetchone()[0] == 2


def test_counts_of_several_saves_add_up_field_by_field(conn) -> None:  # type: ignore[no-untyped-def]
    """A sync adds the counts of each page's save: every field once (issue 16 suspected
    `updated` twice; it is not)."""
    total = store.SaveCounts()
    total.add(store.save_issues(conn, [issue(1), issue(2), issue(3, is_pull_request=True)]))
    later = "2026-02-01T00:00:00Z"
    total.add(store.save_issues(conn, [issue(1, later, state="closed"), issue(2, later)]))
    total.add(store.save_issues(conn, [issue(4), issue(5, state="closed")]))
    assert (total.new, total.new_closed, total.updated, total.closed, total.pulls) == (3, 1, 2, 1, 1)
    total.add(store.SaveCounts(new=1, new_closed=7, updated=10, closed=100, pulls=1000))
    assert dataclasses.astuple(total) == (4, 8, 12, 101, 1001)


def test_older_copy_does_not_overwrite_newer(conn) -> None:  # type: ignore[no-untyped-def]
    store.save_issues(conn, [issue(1, "2026-03-01T00:00:00Z", title="newer")])
    store.save_issues(conn, [issue(1, "2026-01-01T00:00:00Z", title="older")])
    assert store.load_issue(conn, REPO, 1).title == "newer"  # type: ignore[union-attr]


def test_closing_is_counted_and_filtered(conn) -> None:  # type: ignore[no-untyped-def]
    store.save_issues(conn, [issue(1), issue(2)])
    counts = store.save_issues(conn, [issue(1, "2026-02-01T00:00:00Z", state="closed")])
    assert counts.closed == 1
    assert [i.number for i in store.load_issues(conn, REPO)] == [2]
    assert [i.number for i in store.load_issues(conn, REPO, "closed")] == [1]
    assert store.mark_closed(conn, REPO, [2, 99], "2026-02-02T00:00:00Z") == 1
    assert store.load_issues(conn, REPO) == []
    assert store.count_issues(conn, REPO) == {"closed": 2}


def test_pull_requests_are_stored_apart(conn) -> None:  # type: ignore[no-untyped-def]
    counts = store.save_issues(conn, [issue(1), issue(2, is_pull_request=True)])
    assert counts.pulls == 1 and counts.new == 1
    assert [i.number for i in store.load_issues(conn, REPO)] == [1]
    (pull,) = store.load_pulls(conn, REPO)
    assert pull.number == 2 and pull.is_pull_request
    assert store.load_issue(conn, REPO, 2).is_pull_request  # type: ignore[union-attr]


def test_repo_names_are_case_insensitive(conn) -> None:  # type: ignore[no-untyped-def]
    store.save_issues(conn, [issue(1)])
    assert [i.number for i in store.load_issues(conn, "PyTorch/PyTorch")] == [1]


def test_round_trip_keeps_every_field(conn) -> None:  # type: ignore[no-untyped-def]
    original = issue(
        3, labels=["a", "b,c"], assignees=["x"], comments=4, reactions=5,
        closed_at="2026-01-03T00:00:00Z", state="closed", state_reason="completed",
        title="<b>'quoted'</b>", body="\u202e bidi",
    )  # fmt: skip
    twin = dataclasses.replace(original, number=4, labels=["a", "b,c"], assignees=["x"])
    store.save_issues(conn, [original, twin])
    assert store.load_issue(conn, REPO, 3) == original
    # The list loader builds issues by position and shares decoding between equal lists.
    loaded = store.load_issues(conn, REPO, "all")
    assert loaded == [original, twin]
    loaded[0].labels.append("mine")  # each issue still owns its lists
    assert loaded[1].labels == ["a", "b,c"]


def test_labels_are_replaced_as_a_set_and_counted(conn) -> None:  # type: ignore[no-untyped-def]
    store.save_labels(conn, REPO, [Label("bug", kind=LabelKind.BUG, value="bug"), Label("old")])
    store.save_labels(conn, REPO, [Label("bug", "f00", "d", LabelKind.BUG, "bug")])
    assert store.load_labels(conn, REPO) == [Label("bug", "f00", "d", LabelKind.BUG, "bug")]
    store.save_issues(conn, [issue(1), issue(2, labels=["bug", "x"])])
    assert store.label_counts(conn, REPO) == {"bug": 2, "x": 1}


def test_comments_cross_refs_and_taken(conn) -> None:  # type: ignore[no-untyped-def]
    comments = [
        Comment(1, "a", "first", "2026-01-01T00:00:00Z"),
        Comment(1, "b", "second", "2026-01-02T00:00:00Z"),
    ]
    store.save_comments(conn, REPO, 1, comments)
    store.save_comments(conn, REPO, 1, comments)
    assert store.load_comments(conn, REPO, 1) == comments
    ref = CrossReference(1, 9, "u", "open", False, "bob", "2026-01-03T00:00:00Z", REPO)
    store.save_cross_refs(conn, REPO, 1, [ref, ref])
    assert store.load_cross_refs(conn, REPO, 1) == [ref]
    store.save_taken(conn, REPO, 1, TakenStatus("taken", ["e"]), "2026-01-04T00:00:00Z")
    assert store.load_taken(conn, REPO) == {
        1: (TakenStatus("taken", ["e"]), "2026-01-04T00:00:00Z")
    }


def test_sync_state_and_last_synced(conn) -> None:  # type: ignore[no-untyped-def]
    assert store.get_sync_state(conn, REPO, "label:bug") == store.SyncState("label:bug")
    state = store.SyncState("label:bug", 'W/"x"', "2026-01-01T00:00:00Z", "cold", "t", "c", 3, 7)
    store.put_sync_state(conn, REPO, state)
    assert store.get_sync_state(conn, REPO, "label:bug") == state
    keys = conn.execute("SELECT query_key FROM gh_sync_state WHERE repo = ?", (REPO,)).fetchall()
    assert keys == [("label:bug",)]
    assert store.last_synced_at(conn, REPO) is None
    store.record_repo(conn, REPO, REPO, synced_at="2026-01-05T00:00:00Z")
    store.record_repo(conn, REPO, REPO, default_branch="main")
    store.record_repo(conn, REPO, REPO)
    assert store.default_branch(conn, REPO) == "main"
    assert store.last_synced_at(conn, REPO) == "2026-01-05T00:00:00Z"
    assert store.repo_source(conn, REPO) == "api"


def test_page_transaction_rolls_back_data_and_cursor_together(conn) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), store.page_transaction(conn):
        store.save_issues(conn, [issue(1)])
        store.put_sync_state(conn, REPO, store.SyncState("q", cursor_page=2))
        raise RuntimeError("killed mid-page")
    assert store.load_issues(conn, REPO) == []
    assert store.get_sync_state(conn, REPO, "q").cursor_page == 1


def test_foreign_file_is_a_clear_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    paths = Paths(cache=tmp_path, data=tmp_path, config=tmp_path)
    other = sqlite3.connect(paths.cache_db)
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    with pytest.raises(StoreError, match="not a prready cache"):
        store.open_cache(paths)
