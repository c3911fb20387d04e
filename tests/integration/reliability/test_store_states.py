"""Stores in states a user's disk can hold: from a newer prready (by `user_version` or by an
extra required column), from an older one (migrated), with overwritten pages, read-only, on
a full disk, under a PRREADY_HOME that is a file. Each is named for what it is, with the
recovery for that case; the progress store is never deleted or rewritten."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from gitfixtures import make_history_repo
from prready.paths import resolve_paths
from prready.render.advice import error_text
from prready.store.db import SCHEMA_VERSIONS, os_error_message, sqlite_error
from rhelpers import REPO, assert_clean_failure, assert_ok, cache_rows, invoke


def seed_cache(tmp_path: Path, n: int = 200) -> Path:
    items = [
        {"number": k, "title": f"issue {k}", "state": "OPEN", "body": "x" * 3000}
        for k in range(1, n + 1)
    ]
    data = tmp_path / "issues.json"
    data.write_text(json.dumps(items))
    assert_ok(invoke("sync", REPO, "--from-file", str(data)))
    return data


def set_user_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def overwrite_pages(path: Path, first: int, count: int) -> None:
    """Overwrite `count` pages from page `first` with noise (a bad sector, a stray write)."""
    page = 4096
    with path.open("r+b") as fh:
        fh.seek(page * first)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(page * count)))


# ---------------------------------------------------------------------- versions
def test_new_stores_carry_their_schema_version(tmp_path: Path) -> None:
    seed_cache(tmp_path, n=3)
    assert_ok(invoke("track", f"{REPO}#1", "start", "--offline", "--force"))
    paths = resolve_paths()
    assert user_version(paths.cache_db) == SCHEMA_VERSIONS["cache"]
    assert user_version(paths.progress_db) == SCHEMA_VERSIONS["progress"]


def test_store_from_before_versioning_is_migrated_and_kept(tmp_path: Path) -> None:
    assert_ok(invoke("track", f"{REPO}#4", "start", "--offline", "--force", "--note", "mine"))
    progress = resolve_paths().progress_db
    set_user_version(progress, 0)
    assert_ok(invoke("track", f"{REPO}#5", "start", "--offline", "--force"))
    assert user_version(progress) == SCHEMA_VERSIONS["progress"]
    assert "mine" in invoke("status", "--format", "json").stdout


@pytest.mark.parametrize("kind", ["cache", "progress"])
def test_store_from_a_newer_prready_is_refused_and_untouched(tmp_path: Path, kind: str) -> None:
    seed_cache(tmp_path, n=3)
    assert_ok(invoke("track", f"{REPO}#1", "start", "--offline", "--force"))
    paths = resolve_paths()
    path = paths.cache_db if kind == "cache" else paths.progress_db
    set_user_version(path, SCHEMA_VERSIONS[kind] + 7)
    before = path.read_bytes()
    args = (
        ["issues", REPO, "--offline"]
        if kind == "cache"
        else ["track", f"{REPO}#2", "start", "--offline", "--force"]
    )
    line = assert_clean_failure(invoke(*args), code=1, match="newer prready")
    assert ("--rebuild-cache" in line) == (kind == "cache")
    assert path.read_bytes() == before


def test_progress_store_with_an_extra_required_column_is_refused(tmp_path: Path) -> None:
    assert_ok(invoke("track", f"{REPO}#1", "start", "--offline", "--force"))
    progress = resolve_paths().progress_db
    conn = sqlite3.connect(progress)
    # SQLite cannot add NOT NULL without a default; a newer prready would rebuild the table.
    conn.executescript(
        "DROP TABLE steps; CREATE TABLE steps (repo TEXT NOT NULL COLLATE NOCASE, "
        "issue_number INTEGER NOT NULL CHECK (issue_number > 0), stage INTEGER NOT NULL "
        "DEFAULT 0, status TEXT NOT NULL, title TEXT NOT NULL DEFAULT '', pr_url TEXT, skills "
        "TEXT NOT NULL DEFAULT '[]', flag TEXT NOT NULL DEFAULT '', replacement INTEGER, "
        "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, owner_id INTEGER NOT NULL, "
        "PRIMARY KEY (repo, issue_number));"
    )
    conn.close()
    before = progress.read_bytes()
    line = assert_clean_failure(
        invoke("track", f"{REPO}#2", "start", "--offline", "--force"), code=1, match="newer"
    )
    assert "owner_id" in line
    assert progress.read_bytes() == before


# ---------------------------------------------------------------------- damage
def test_overwritten_cache_pages_are_named_with_rebuild_cache(tmp_path: Path) -> None:
    data = seed_cache(tmp_path)
    cache = resolve_paths().cache_db
    conn = sqlite3.connect(cache)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    overwrite_pages(cache, 3, 40)
    line = assert_clean_failure(invoke("issues", REPO, "--offline"), code=1, match="corrupted")
    assert "--rebuild-cache" in line and "intact" not in line
    assert_ok(invoke("sync", REPO, "--from-file", str(data), "--rebuild-cache"))
    assert cache_rows("gh_issues") == 200


def test_overwritten_progress_pages_are_named_and_never_deleted(tmp_path: Path) -> None:
    for n in range(1, 4):
        assert_ok(
            invoke("track", f"{REPO}#{n}", "start", "--offline", "--force", "--note", "n" * 2000)
        )
    progress = resolve_paths().progress_db
    conn = sqlite3.connect(progress)
    conn.executemany(
        "INSERT INTO notes (repo, issue_number, body, created_at) VALUES (?, ?, ?, ?)",
        [(REPO, 1, f"note {k} " + "z" * 3000, "2026-01-01T00:00:00Z") for k in range(200)],
    )
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    overwrite_pages(progress, 3, 60)
    before = progress.read_bytes()
    line = assert_clean_failure(invoke("status", "--format", "json"), code=1, match="corrupted")
    assert "do not delete" in line and "track --export" in line and "intact" not in line
    assert progress.read_bytes() == before


def test_prready_home_that_is_a_file_gets_its_own_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    monkeypatch.setenv("PRREADY_HOME", str(home))
    line = assert_clean_failure(
        invoke("track", f"{REPO}#1", "start", "--offline", "--force"), code=1
    )
    assert "is a file, not a folder" in line and "PRREADY_HOME" in line
    assert home.read_text() == "not a folder"


def test_read_only_store_is_named_read_only(tmp_path: Path) -> None:
    data = seed_cache(tmp_path, n=3)
    cache = resolve_paths().cache_db
    # Root writes through read-only modes: there the file and its folder are made
    # immutable (chattr +i), which stops root too, as a read-only mount would.
    as_root = os.geteuid() == 0
    targets = [cache, cache.parent]
    cache.chmod(0o444)
    cache.parent.chmod(0o555)
    if as_root:
        subprocess.run(["chattr", "+i", *map(str, targets)], check=True)
    try:
        again = invoke("sync", REPO, "--from-file", str(data))
        line = assert_clean_failure(again)
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", *map(str, targets)], check=True)
        cache.parent.chmod(0o700)
        cache.chmod(0o600)
    assert "read-only" in line or "writable" in line, line


@pytest.mark.parametrize(
    ("error", "kind", "expected", "absent"),
    [
        ("attempt to write a readonly database", "cache", "read-only", "--rebuild-cache"),
        ("database or disk is full", "progress", "disk holding", "delete"),
        ("database disk image is malformed", "cache", "--rebuild-cache", "intact"),
        ("file is not a database", "progress", "track --export", "--rebuild-cache"),
    ],
)
def test_store_errors_are_named_for_what_they_are(
    error: str, kind: str, expected: str, absent: str
) -> None:
    # Root ignores file modes and a real full disk is not ours to fill: the SQLite messages
    # for those cases are checked against the one function every store error goes through.
    error_ = sqlite_error(Path("/x/store.sqlite3"), kind, sqlite3.OperationalError(error))
    line = error_text(error_)
    assert expected in line and absent not in line
    assert "--" not in str(error_)  # the library names no flag: the CLI words the advice


def test_full_disk_and_read_only_folder_errors_are_named() -> None:
    import errno

    full = os_error_message(Path("/x/s"), "cache", OSError(errno.ENOSPC, "No space left"))
    ro = os_error_message(Path("/x/s"), "progress", OSError(errno.EROFS, "Read-only"))
    assert "disk is full" in full and "read-only" in ro


def test_plan_offline_rebuild_cache_keeps_the_issues_it_needs(tmp_path: Path) -> None:
    seed_cache(tmp_path, n=5)
    checkout = make_history_repo(tmp_path / "src")
    result = invoke(
        "plan", REPO, "--offline", "--rebuild-cache", "--checkout", str(checkout),
        "--format", "json",
    )  # fmt: skip
    assert_clean_failure(result, code=2, match="--offline")
    assert cache_rows("gh_issues") == 5
