"""Opening prready's SQLite files safely: WAL, busy timeout, private permissions, and a
clear error for a file that is corrupted or not ours."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from prready.errors import StoreError
from prready.paths import ensure_private_dir

BUSY_TIMEOUT_MS = 30_000


def connect(path: Path, application_id: int, schema: str, kind: str) -> sqlite3.Connection:
    """Open (creating if needed) a store whose schema is `schema` (idempotent DDL).

    `application_id` marks the file as ours; a foreign or corrupted file raises StoreError
    naming `kind` ("cache" or "progress") and how to recover.
    """
    ensure_private_dir(path.parent)
    fresh = not path.exists() or path.stat().st_size == 0
    if fresh:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the {kind} store {path}: {exc}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        found = conn.execute("PRAGMA application_id").fetchone()[0]
        if not fresh and found != application_id:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if tables:
                raise StoreError(_foreign_message(path, kind))
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        with transaction(conn):
            for statement in _split_sql(schema):
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {application_id}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(_corrupt_message(path, kind, exc)) from None
    except StoreError:
        conn.close()
        raise
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            with suppress(OSError):
                side.chmod(0o600)
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception (Ctrl-C included)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")


def integrity_ok(conn: sqlite3.Connection) -> bool:
    return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _split_sql(schema: str) -> list[str]:
    return [s.strip() for s in schema.split(";") if s.strip()]


def _foreign_message(path: Path, kind: str) -> str:
    if kind == "cache":
        return f"{path} is not a prready cache; run again with --rebuild-cache to replace it"
    return f"{path} is not a prready progress store; move it aside and run again"


def _corrupt_message(path: Path, kind: str, exc: Exception) -> str:
    if kind == "cache":
        return f"the cache {path} is unreadable ({exc}); run again with --rebuild-cache"
    return (
        f"the progress store {path} is unreadable ({exc}); restore it from a "
        "`prready track --export` file or move it aside"
    )


def read_only_lookup(path: Path, *queries: tuple[str, tuple[object, ...]]) -> str | None:
    """The first non-empty value the queries find, read-only (the file is never created or
    written); None when there is no file, no answer, or the file is not a readable store."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        for sql, args in queries:
            row = conn.execute(sql, args).fetchone()
            if row and row[0]:
                return str(row[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return None
