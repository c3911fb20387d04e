"""The progress store: plan recording, status changes, notes, events, export/import, and
concurrent or killed writers."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from progress_fixtures import REPO, at, make_plan
from prready.errors import UsageError
from prready.models import StepStatus as S
from prready.paths import resolve_paths
from prready.store.progress_store import (
    add_note,
    load_candidates,
    load_events,
    load_progress,
    open_progress,
    record_plan,
    set_flag,
    set_status,
)
from prready.store.progress_transfer import export_progress, import_progress


@pytest.fixture
def db(tmp_path: Path):  # type: ignore[no-untyped-def]
    conn = open_progress(tmp_path / "progress.sqlite3")
    yield conn
    conn.close()


def statuses(conn) -> dict[int, str]:  # type: ignore[no-untyped-def]
    return {e.issue_number: e.status.value for e in load_progress(conn, REPO)}


def test_progress_store_lives_in_the_data_dir_not_the_cache() -> None:
    paths = resolve_paths()
    assert paths.progress_db.parent == paths.data
    assert paths.cache not in paths.progress_db.parents


def test_record_plan_adds_planned_steps_options_and_candidates(db) -> None:  # type: ignore[no-untyped-def]
    plan = make_plan(
        {1: [(1, ["python"]), (2, ["docs"])], 2: [(3, ["cuda"])]}, {2: [(9, ["cuda"])]}
    )
    events = record_plan(db, plan, at(0))
    assert statuses(db) == {1: "planned", 2: "planned", 3: "planned"}
    assert [e.issue_number for e in events] == [1, 2, 3]
    first = load_progress(db, REPO)[0]
    assert (first.stage, first.title, first.skills) == (1, "issue 1", ["python"])
    assert first.created_at == "2026-11-01T09:00:00Z"
    assert _plan_options(db, REPO) == {"skills": ["python"]}
    assert _plan_options(db, "other/repo") is None
    assert [(c.number, c.stage) for c in load_candidates(db, REPO)] == [
        (1, 1),
        (2, 1),
        (3, 2),
        (9, 2),
    ]


def test_replan_keeps_touched_steps_and_replaces_dropped_out_untouched_ones(db) -> None:  # type: ignore[no-untyped-def]
    record_plan(db, make_plan({1: [(1, []), (2, [])], 2: [(3, [])]}), at(0))
    set_status(db, REPO, 1, S.STARTED, now=at(1))
    # The new plan moved #1 to stage 2 (a started step keeps its stage), dropped #2, kept #3.
    record_plan(db, make_plan({2: [(1, []), (3, []), (4, [])]}), at(2))
    rows = {e.issue_number: e for e in load_progress(db, REPO)}
    assert {n: e.status.value for n, e in rows.items()} == {
        1: "started",
        2: "replaced",
        3: "planned",
        4: "planned",
    }
    assert rows[1].stage == 1 and rows[3].stage == 2
    # #2 comes back: planned again, with an event saying so.
    record_plan(db, make_plan({1: [(2, [])]}), at(3))
    assert statuses(db) == {1: "started", 2: "planned", 3: "replaced", 4: "replaced"}
    latest = {e.issue_number: e.detail for e in load_events(db, REPO, limit=3)}
    assert latest == {
        2: "back in stage 1 of the plan",
        3: "replaced by the new plan",
        4: "replaced by the new plan",
    }


def test_set_status_creates_updates_and_logs(db) -> None:  # type: ignore[no-untyped-def]
    url = "https://github.com/acme/widgets/pull/40"
    set_status(db, REPO, 7, S.STARTED, now=at(1), note="repro found")
    set_status(db, REPO, 7, S.PR_OPEN, now=at(2), pr_url=url)
    entry = set_status(db, REPO, 7, S.MERGED, now=at(3))
    assert (entry.stage, entry.status, entry.pr_url) == (0, S.MERGED, url)
    assert entry.notes == ["repro found"]
    assert entry.created_at == "2026-11-01T09:01:00Z" and entry.updated_at == "2026-11-01T09:03:00Z"
    events = load_events(db, REPO)
    assert [e.status for e in events] == [S.MERGED, S.PR_OPEN, S.STARTED]  # newest first
    assert events[1].detail == url and events[2].detail == "repro found"
    assert len(load_events(db, limit=2)) == 2
    # Repository names are case-insensitive, like GitHub's.
    assert set_status(db, "ACME/Widgets", 7, S.DROPPED, now=at(4)).repo == REPO


def test_add_note_requires_a_tracked_step(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError, match="not tracked"):
        add_note(db, REPO, 5, "hello", now=at(0))
    set_status(db, REPO, 5, S.STARTED, now=at(0))
    add_note(db, REPO, 5, "second", now=at(1))
    assert load_progress(db, REPO)[0].notes == ["second"]


def test_set_flag_logs_only_changes(db) -> None:  # type: ignore[no-untyped-def]
    record_plan(db, make_plan({1: [(1, [])]}), at(0))
    assert set_flag(db, REPO, 1, "closed", 9, now=at(1)) is True
    assert set_flag(db, REPO, 1, "closed", 9, now=at(2)) is False
    entry = load_progress(db, REPO)[0]
    assert (entry.flag, entry.replacement) == ("closed", 9)
    assert load_events(db, REPO)[0].detail == "flagged: closed; suggested replacement #9"
    assert set_flag(db, REPO, 1, "", None, now=at(3)) is True
    assert load_progress(db, REPO)[0].flag == ""
    assert set_flag(db, REPO, 404, "closed", None, now=at(3)) is False


def test_export_import_roundtrip_into_a_fresh_store(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    record_plan(db, make_plan({1: [(1, ["python"])], 2: [(2, [])]}), at(0))
    set_status(
        db,
        REPO,
        1,
        S.PR_OPEN,
        now=at(1),
        pr_url="https://github.com/acme/widgets/pull/3",
        note="asked for review",
    )
    set_flag(db, REPO, 2, "taken: bob", None, now=at(2))
    data = json.loads(json.dumps(export_progress(db, at(5))))
    fresh = open_progress(tmp_path / "other" / "progress.sqlite3")
    summary = import_progress(fresh, data)
    assert (summary.added, summary.updated, summary.kept, summary.notes) == (2, 0, 0, 1)
    assert load_progress(fresh) == load_progress(db)
    assert load_events(fresh) == load_events(db)
    assert _plan_options(fresh, REPO) == {"skills": ["python"]}
    again = import_progress(fresh, data)  # idempotent
    assert (again.added, again.updated, again.kept, again.notes, again.events) == (0, 0, 2, 0, 0)


def test_import_never_loses_newer_local_state(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    set_status(db, REPO, 1, S.STARTED, now=at(1))
    set_status(db, REPO, 2, S.STARTED, now=at(1))
    exported = export_progress(db)
    other = open_progress(tmp_path / "laptop.sqlite3")
    import_progress(other, exported)
    set_status(other, REPO, 1, S.MERGED, now=at(5), note="merged on the laptop")  # newer there
    set_status(db, REPO, 2, S.DROPPED, now=at(6))  # newer here
    summary = import_progress(db, export_progress(other))
    assert (summary.updated, summary.kept) == (1, 1)
    assert statuses(db) == {1: "merged", 2: "dropped"}
    assert load_progress(db, REPO)[0].notes == ["merged on the laptop"]
    assert {e.status for e in load_events(db)} == {S.STARTED, S.MERGED, S.DROPPED}


GOOD_STEP = {
    "repo": REPO,
    "issue_number": 1,
    "stage": 1,
    "status": "started",
    "title": "t",
    "pr_url": None,
    "created_at": "2026-11-01T09:00:00Z",
    "updated_at": "2026-11-01T09:00:00Z",
}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a prready progress export"),
        ({"format": "prready-progress", "version": 99}, "version 99 is not supported"),
        ({"format": "prready-progress", "version": 1, "steps": {}}, "export.steps must be a list"),
        (
            {"format": "prready-progress", "version": 1, "steps": [{**GOOD_STEP, "status": "won"}]},
            "steps[0].status must be one of",
        ),
        (
            {"format": "prready-progress", "version": 1, "steps": [{**GOOD_STEP, "repo": "../x"}]},
            "steps[0].repo",
        ),
        (
            {
                "format": "prready-progress",
                "version": 1,
                "steps": [GOOD_STEP, {**GOOD_STEP, "updated_at": "yesterday"}],
            },
            "steps[1].updated_at is not an ISO 8601 time",
        ),
        (
            {
                "format": "prready-progress",
                "version": 1,
                "steps": [{**GOOD_STEP, "issue_number": True}],
            },
            "steps[0].issue_number must be a int",
        ),
        (
            {
                "format": "prready-progress",
                "version": 1,
                "steps": [{**GOOD_STEP, "pr_url": "javascript:alert(1)"}],
            },
            "pr_url must be an http",
        ),
        (
            {"format": "prready-progress", "version": 1, "events": [{"repo": REPO}]},
            "events[0].issue_number",
        ),
    ],
)
def test_import_rejects_bad_shapes_with_one_line_and_writes_nothing(db, data, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError) as info:
        import_progress(db, data)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert load_progress(db) == []


# ---------------------------------------------------------------- concurrent writers
def _hammer(path: str, worker: int, rounds: int, barrier) -> None:  # type: ignore[no-untyped-def]
    conn = open_progress(Path(path))
    barrier.wait(60)  # start writing together
    for i in range(rounds):
        number = 1 + i % 5  # both workers write the same five issues
        status = (S.STARTED, S.PR_OPEN)[i % 2]
        set_status(conn, REPO, number, status, now=at(i), note=f"w{worker} round {i}")
        add_note(conn, REPO, number, f"extra w{worker} {i}", now=at(i))
    conn.close()


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    open_progress(path).close()
    rounds = 300
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    workers = [ctx.Process(target=_hammer, args=(str(path), w, rounds, barrier)) for w in (1, 2)]
    for proc in workers:
        proc.start()
    for proc in workers:
        proc.join(120)
        assert proc.exitcode == 0
    conn = open_progress(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 2 * rounds
    notes = {n for e in load_progress(conn, REPO) for n in e.notes}
    assert len(notes) == 2 * 2 * rounds
    for worker in (1, 2):
        assert all(f"w{worker} round {i}" in notes for i in range(rounds))
    assert len(load_progress(conn, REPO)) == 5
    # The writes really overlapped: the log alternates between the workers many times.
    order = [d.split()[0] for (d,) in conn.execute("SELECT detail FROM events ORDER BY id")]
    assert sum(a != b for a, b in itertools.pairwise(order)) >= 3


_WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from prready.models import StepStatus
    from prready.store.progress_store import open_progress, set_status
    conn = open_progress(Path(sys.argv[1]))
    i = 0
    while True:
        i += 1
        set_status(conn, "acme/widgets", i, StepStatus.STARTED,
                   now=datetime.now(timezone.utc), note="n" * 2000 + str(i))
        print(i, flush=True)
    """
)


def test_kill_9_mid_write_keeps_the_store_intact(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    committed = []
    for line in proc.stdout:
        committed.append(int(line))
        if len(committed) >= 80:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    conn = open_progress(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    numbers = {e.issue_number for e in load_progress(conn)}
    assert set(committed) <= numbers
    assert all(e.status == S.STARTED for e in load_progress(conn))


def test_tracking_an_issue_the_plan_considered_takes_its_stage(db) -> None:  # type: ignore[no-untyped-def]
    record_plan(db, make_plan({1: [(1, [])]}, {3: [(8, ["cuda"])]}), at(0))
    entry = set_status(db, REPO, 8, S.STARTED, now=at(1))
    assert (entry.stage, entry.title, entry.skills) == (3, "issue 8", ["cuda"])
    assert set_status(db, REPO, 99, S.STARTED, now=at(1)).stage == 0


def _plan_options(conn, repo: str):  # type: ignore[no-untyped-def]
    """The options the last plan for `repo` was recorded with (None if never planned)."""
    row = conn.execute("SELECT options FROM plan_options WHERE repo=?", (repo,)).fetchone()
    return json.loads(row[0]) if row else None
