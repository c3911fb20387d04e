from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from prready.errors import StoreError
from prready.render.advice import error_text
from prready.store.db import connect, transaction

SCHEMA = "CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, v TEXT)"


def test_connect_sets_wal_and_permissions(tmp_path: Path) -> None:
    path = tmp_path / "s" / "x.sqlite3"
    conn = connect(path, 0x1234, SCHEMA, "cache")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA application_id").fetchone()[0] == 0x1234
    assert path.stat().st_mode & 0o777 == 0o600
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    conn = connect(tmp_path / "x.sqlite3", 1, SCHEMA, "cache")
    with pytest.raises(RuntimeError), transaction(conn):
        conn.execute("INSERT INTO t VALUES ('a', '1')")
        raise RuntimeError("boom")
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "foreign.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE someone_elses (x)")
    other.commit()
    other.close()
    with pytest.raises(StoreError) as info:
        connect(path, 0x1234, SCHEMA, "cache")
    assert info.value.advice == "rebuild_foreign_cache" and "--" not in str(info.value)
    assert error_text(info.value).endswith("; run again with --rebuild-cache to replace it")


def test_garbage_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError) as info:
        connect(path, 0x1234, SCHEMA, "progress")
    assert "corrupted" in str(info.value) and "track --export" in error_text(info.value)
