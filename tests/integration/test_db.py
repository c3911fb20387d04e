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


class _LockedFor:
    """A connection whose `PRAGMA journal_mode = WAL` answers "database is locked" the
    first `times` times, as SQLite does while another process opens or closes the file."""

    def __init__(self, times: int, message: str = "database is locked") -> None:
        self.left, self.message, self.calls = times, message, 0

    def execute(self, sql: str) -> None:
        self.calls += 1
        if self.left:
            self.left -= 1
            raise sqlite3.OperationalError(self.message)


def test_switching_to_wal_waits_out_another_process_holding_the_lock() -> None:
    from prready.store.db import _enable_wal

    conn = _LockedFor(3)
    _enable_wal(conn)  # type: ignore[arg-type]
    assert conn.calls == 4


def test_switching_to_wal_gives_up_after_the_busy_timeout_and_on_other_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prready.store import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 50)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        db._enable_wal(_LockedFor(10_000))  # type: ignore[arg-type]
    other = _LockedFor(1, "disk I/O error")
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        db._enable_wal(other)  # type: ignore[arg-type]
    assert other.calls == 1
