"""Crash safety with real subprocesses: kill -9 (and Ctrl-C) during a sync and during a
progress write, two runs at once, corrupted or foreign SQLite files, and --rebuild-cache
recovering the cache without touching the progress store."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from prready.paths import resolve_paths
from rhelpers import (
    REPO,
    add_issues,
    assert_clean_failure,
    assert_ok,
    cache_rows,
    inject_after,
    integrity,
    invoke,
    plan_args,
    run_prready,
    subprocess_env,
)

TOKEN = "ghp_crashSafetyToken0000000000000000000000"
N_ISSUES = 350  # four walk pages at GitHub's 100 per page


def start_prready(args: list[str]) -> subprocess.Popen[str]:
    # Ctrl-C as a terminal delivers it: a suite started in the background by a
    # non-interactive shell (`pytest &`) runs with SIGINT ignored, and children inherit that.
    return subprocess.Popen(
        [sys.executable, "-m", "prready", *args],
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def distinct_and_total(table: str = "gh_issues") -> tuple[int, int]:
    conn = sqlite3.connect(resolve_paths().cache_db)
    try:
        row = conn.execute(f"SELECT count(DISTINCT number), count(*) FROM {table}").fetchone()
        return int(row[0]), int(row[1])
    finally:
        conn.close()


def progress_steps() -> dict[tuple[str, int], str]:
    conn = sqlite3.connect(resolve_paths().progress_db)
    try:
        rows = conn.execute("SELECT repo, issue_number, status FROM steps").fetchall()
        return {(repo, number): status for repo, number, status in rows}
    finally:
        conn.close()


# ---------------------------------------------------------------------- kill during sync
def test_kill9_during_sync_keeps_committed_pages_and_next_run_resumes(github_server: Any) -> None:
    add_issues(github_server, n=N_ISSUES)
    fired = inject_after(github_server, r"/issues$", 2, "slow", times=1, delay=15)
    proc = start_prready(["sync", REPO, "--api-url", github_server.url, "--token", TOKEN])
    try:
        assert fired.wait(60), "the sync never reached its third page"
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    db = resolve_paths().cache_db
    assert integrity(db) == "ok"
    kept = cache_rows("gh_issues")
    assert 100 < kept < N_ISSUES  # two committed pages survived
    github_server.clear_faults()
    github_server.reset_log()
    done = run_prready(["sync", REPO, "--api-url", github_server.url, "--token", TOKEN], {})
    assert done.returncode == 0, done.stderr
    assert integrity(db) == "ok"
    assert distinct_and_total() == (N_ISSUES, N_ISSUES)  # nothing lost, nothing twice
    resumed = [
        r.query
        for r in github_server.requests
        if r.path.endswith("/issues")
        and r.query.get("direction") == "asc"
        and r.query.get("labels") == "good first issue"
    ]
    assert resumed and all(q.get("since") for q in resumed)  # continued from the cursor
    assert len(resumed) < 4


def test_ctrl_c_during_sync_says_what_is_kept(github_server: Any) -> None:
    add_issues(github_server, n=N_ISSUES)
    fired = inject_after(github_server, r"/issues$", 1, "slow", times=1, delay=15)
    proc = start_prready(["sync", REPO, "--api-url", github_server.url, "--token", TOKEN])
    try:
        assert fired.wait(60)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err  # the whole standard error when it is not
    assert "Traceback" not in err and "Interrupted" in err, err
    assert integrity(resolve_paths().cache_db) == "ok"
    assert cache_rows("gh_issues") == 100, err


def test_two_syncs_at_once_do_not_corrupt_or_duplicate(github_server: Any) -> None:
    add_issues(github_server, n=N_ISSUES)
    procs = [
        start_prready(["sync", REPO, "--api-url", github_server.url, "--token", TOKEN])
        for _ in range(2)
    ]
    results = [p.communicate(timeout=120) for p in procs]
    # The whole standard error of each, not a shortened repr: it says what went wrong.
    assert [p.returncode for p in procs] == [0, 0], "\n---\n".join(err for _, err in results)
    assert integrity(resolve_paths().cache_db) == "ok"
    assert distinct_and_total() == (N_ISSUES, N_ISSUES)


# ---------------------------------------------------------------------- kill during a progress write
def export_with_steps(path: Path, n: int) -> Path:
    steps = [
        {
            "repo": "big/import",
            "issue_number": k,
            "stage": 1 + k % 4,
            "status": "started",
            "title": f"step {k} " + "x" * 200,
            "pr_url": None,
            "skills": ["python"],
            "flag": "",
            "replacement": None,
            "updated_at": "2026-11-01T00:00:00Z",
            "created_at": "2026-10-01T00:00:00Z",
            "notes": [{"body": "n" * 300, "created_at": "2026-11-01T00:00:00Z"}],
        }
        for k in range(1, n + 1)
    ]
    data = {
        "format": "prready-progress",
        "version": 1,
        "exported_at": None,
        "steps": steps,
        "events": [],
        "plans": [],
    }
    path.write_text(json.dumps(data))
    return path


def test_kill9_during_progress_import_is_all_or_nothing(tmp_path: Path) -> None:
    assert_ok(invoke("track", f"{REPO}#1", "start", "--force", "--note", "committed before"))
    export = export_with_steps(tmp_path / "big.json", 8_000)
    # How long a full import takes here, measured in a separate home.
    probe_home = tmp_path / "probe-home"
    began = time.monotonic()
    probe = run_prready(["track", "--import", str(export)], {"PRREADY_HOME": str(probe_home)})
    took = time.monotonic() - began
    assert probe.returncode == 0, probe.stderr
    killed = 0
    for fraction in (0.45, 0.6, 0.75, 0.9):
        proc = start_prready(["track", "--import", str(export)])
        time.sleep(took * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        killed += proc.returncode == -signal.SIGKILL
        assert integrity(resolve_paths().progress_db) == "ok"
        steps = progress_steps()
        assert steps[(REPO, 1)] == "started"  # what was committed before is never lost
        assert len(steps) in (1, 8_001)  # the import is one transaction: all or nothing
        if len(steps) == 8_001:
            break
    assert killed >= 1
    done = run_prready(["track", "--import", str(export)], {})
    assert done.returncode == 0, done.stderr
    assert len(progress_steps()) == 8_001


def test_kill9_during_export_leaves_the_file_whole(tmp_path: Path) -> None:
    """Files are written to a temporary name and renamed: a killed writer never leaves a
    truncated file at the target."""
    target = tmp_path / "progress.json"
    assert_ok(invoke("track", f"{REPO}#1", "start", "--force"))
    assert_ok(invoke("track", "--export", str(target)))
    original = target.read_bytes()
    for _ in range(3):
        proc = start_prready(["track", "--export", str(target)])
        time.sleep(0.4)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        content = target.read_bytes()
        assert json.loads(content)["format"] == "prready-progress"  # whole, old or new
    assert json.loads(original)["steps"]


# ---------------------------------------------------------------------- corrupted stores
def write_garbage(path: Path, kind: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "garbage":
        path.write_bytes(b"this is not a database\n" * 500)
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO photos (name) VALUES ('holiday.jpg')")
        conn.commit()
        conn.close()
    elif kind == "truncated":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t (x TEXT)")
        conn.executemany("INSERT INTO t VALUES (?)", [("y" * 500,)] * 2000)
        conn.commit()
        conn.close()
        data = path.read_bytes()
        path.write_bytes(data[:100] + b"\0" * 4000 + data[4100 : len(data) // 3])
    elif kind == "directory":
        path.mkdir()


@pytest.mark.parametrize(
    ("kind", "match"),
    [
        ("garbage", "--rebuild-cache"),
        ("foreign", "is not a prready cache"),
        ("truncated", "--rebuild-cache"),
        ("directory", "cache"),
    ],
)
def test_broken_cache_gets_one_clear_line(tmp_path: Path, kind: str, match: str) -> None:
    write_garbage(resolve_paths().cache_db, kind)
    data = tmp_path / "issues.json"
    data.write_text(json.dumps([{"number": 1, "title": "t", "state": "OPEN"}]))
    assert_clean_failure(invoke("sync", REPO, "--from-file", str(data)), code=1, match=match)


def test_foreign_file_is_never_modified(tmp_path: Path) -> None:
    cache = resolve_paths().cache_db
    write_garbage(cache, "foreign")
    before = cache.read_bytes()
    assert_clean_failure(invoke("issues", REPO, "--offline"), code=1)
    assert cache.read_bytes() == before


@pytest.mark.parametrize("kind", ["garbage", "foreign", "truncated"])
def test_broken_progress_store_gets_one_clear_line_and_is_kept(kind: str) -> None:
    progress = resolve_paths().progress_db
    write_garbage(progress, kind)
    before = progress.read_bytes()
    line = assert_clean_failure(invoke("track", f"{REPO}#1", "start"), code=1)
    assert "progress" in line and ("--export" in line or "move it aside" in line)
    assert progress.read_bytes() == before  # never overwritten


@pytest.mark.parametrize("kind", ["garbage", "foreign", "truncated"])
def test_plan_rebuild_cache_recovers_and_keeps_progress(
    github_server: Any, tmp_path: Path, kind: str
) -> None:
    from gitfixtures import make_history_repo

    checkout = make_history_repo(tmp_path)
    add_issues(github_server, n=12)
    assert_ok(invoke("track", f"{REPO}#99", "start", "--force", "--note", "my own work"))
    progress = resolve_paths().progress_db
    write_garbage(resolve_paths().cache_db, kind)
    base = plan_args(checkout, github_server.url, TOKEN, "--format", "json")
    assert_clean_failure(invoke(*base), code=1, match="cache")
    assert integrity(progress) == "ok"
    result = invoke(*base, "--rebuild-cache")
    assert_ok(result)
    assert integrity(resolve_paths().cache_db) == "ok"
    assert cache_rows("gh_issues") == 12
    steps = progress_steps()
    assert steps[(REPO, 99)] == "started"  # the user's own tracking survived the rebuild
    status = invoke("status", REPO, "--format", "json")
    assert "my own work" in status.stdout


def test_rebuild_cache_never_deletes_a_broken_progress_store(
    github_server: Any, tmp_path: Path
) -> None:
    from gitfixtures import make_history_repo

    checkout = make_history_repo(tmp_path)
    add_issues(github_server, n=3)
    progress = resolve_paths().progress_db
    write_garbage(progress, "garbage")
    before = progress.read_bytes()
    result = invoke(
        *plan_args(checkout, github_server.url, TOKEN, "--rebuild-cache"),
    )
    assert_clean_failure(result, code=1, match="progress")
    assert progress.read_bytes() == before


def test_sync_rebuild_cache_recovers_and_keeps_progress(tmp_path: Path) -> None:
    assert_ok(invoke("track", f"{REPO}#7", "start", "--force"))
    progress = resolve_paths().progress_db.read_bytes()
    write_garbage(resolve_paths().cache_db, "garbage")
    data = tmp_path / "issues.json"
    data.write_text(json.dumps([{"number": 1, "title": "t", "state": "OPEN"}]))
    assert_ok(invoke("sync", REPO, "--from-file", str(data), "--rebuild-cache"))
    assert cache_rows("gh_issues") == 1
    assert integrity(resolve_paths().cache_db) == "ok"
    assert resolve_paths().progress_db.read_bytes() == progress
