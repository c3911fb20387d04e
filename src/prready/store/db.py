"""Opening prready's SQLite files safely: WAL, busy timeout, private permissions, a schema
version in `PRAGMA user_version`, and a clear error for a file that is corrupted, read-only,
on a full disk, written by a newer prready or not ours."""

from __future__ import annotations

import errno
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from prready.errors import StoreError
from prready.paths import ensure_private_dir

BUSY_TIMEOUT_MS = 30_000
# The schema version each kind of file is written with (PRAGMA user_version). Files from
# before versioning read 0 and are migrated; a file with a higher number came from a newer
# prready and is refused rather than written with an old idea of its tables.
SCHEMA_VERSIONS = {"cache": 1, "progress": 1}
# version -> statements that bring a file from version-1 up to it (the DDL itself is
# idempotent CREATE ... IF NOT EXISTS, so version 1 needs nothing more).
MIGRATIONS: dict[str, dict[int, list[str]]] = {"cache": {}, "progress": {}}


def connect(path: Path, application_id: int, schema: str, kind: str) -> sqlite3.Connection:
    """Open (creating if needed) a store whose schema is `schema` (idempotent DDL).

    `application_id` marks the file as ours; a foreign, corrupted, read-only, newer or
    unreachable file raises StoreError naming `kind` ("cache" or "progress") and the
    recovery for that case.
    """
    try:
        ensure_private_dir(path.parent)
        fresh = not path.exists() or path.stat().st_size == 0
        if fresh:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
    except OSError as exc:
        raise StoreError(os_error_message(path, kind, exc)) from None
    if not path.is_file():
        raise StoreError(f"the {kind} store {path} is not a regular file; move it aside")
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
                raise _foreign_error(path, kind)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        known = SCHEMA_VERSIONS[kind]
        if version > known:
            raise _newer_error(path, kind, f"schema version {version}, this one knows {known}")
        if not fresh:
            _check_columns(conn, schema, path, kind)
        _enable_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        with transaction(conn):
            for statement in _split_sql(schema):
                conn.execute(statement)
            for step in range(version + 1, known + 1):
                for statement in MIGRATIONS[kind].get(step, []):
                    conn.execute(statement)
            if found != application_id:  # unchanged files are not rewritten
                conn.execute(f"PRAGMA application_id = {application_id}")
            if version < known:
                conn.execute(f"PRAGMA user_version = {known}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise sqlite_error(path, kind, exc) from None
    except StoreError:
        conn.close()
        raise
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            with suppress(OSError):
                side.chmod(0o600)
    return conn


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Put the file in WAL mode. SQLite answers "database is locked" at once, without
    waiting as the busy timeout says, while another process holds the file's lock as it
    opens or closes it (two prready commands started together on a new cache): that is
    waited out here, as long as the busy timeout, instead of failing the command."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


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


def quick_check(path: Path) -> bool | None:
    """PRAGMA quick_check on a store file, read-only: True if sound, False if damaged,
    None when there is no file to check (or it cannot even be opened)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        return bool(conn.execute("PRAGMA quick_check").fetchone()[0] == "ok")
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def describe_failure(exc: BaseException, cache_db: Path, progress_db: Path) -> StoreError | str:
    """After an unexpected error: a store error named for what it is (the damaged file found
    by quick_check, or the failing SQLite operation), else a word on whether the saved data
    was checked and found sound."""
    checks = {
        "cache": (cache_db, quick_check(cache_db)),
        "progress": (progress_db, quick_check(progress_db)),
    }
    damaged = [(kind, path) for kind, (path, ok) in checks.items() if ok is False]
    if damaged:
        kind, path = damaged[-1]  # the progress store first: it cannot be refetched
        return _corrupt_error(path, kind, exc if isinstance(exc, Exception) else Exception())
    if isinstance(exc, sqlite3.Error):
        return sqlite_error(None, "cache", exc)
    if all(ok is not False for _, ok in checks.values()):
        return "the stores passed PRAGMA quick_check afterwards"
    return "the stores were not checked"


def sqlite_error(path: Path | None, kind: str, exc: sqlite3.Error) -> StoreError:
    """The error naming what went wrong with a store (full disk, read-only, corrupted, ...)
    and the recovery for that case; `path` None when the failing file is not known."""
    text = str(exc).lower()
    where = f"the {kind} store {path}" if path else "a prready store"
    if "full" in text:
        return StoreError(
            f"the disk holding {where} is full ({exc}); free some space and run again "
            "(the write that failed was rolled back)"
        )
    if "readonly" in text or "read-only" in text or "permission" in text:
        return StoreError(
            f"{where} is read-only ({exc}); make it and its folder writable, or point "
            "PRREADY_HOME at a writable folder"
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return _corrupt_error(path, kind, exc)
    if "disk i/o" in text:
        return StoreError(
            f"reading or writing {where} failed ({exc}): check the disk, then run again"
        )
    if "unable to open" in text:
        return StoreError(
            f"cannot open {where} ({exc}): check that its folder exists and is writable"
        )
    if "no such column" in text or "has no column" in text or "not null" in text:
        return _newer_error(path, kind, str(exc))
    return _corrupt_error(path, kind, exc)


def os_error_message(path: Path, kind: str, exc: OSError) -> str:
    """One line for a store folder or file the OS refuses (full, read-only, a file where a
    folder should be)."""
    detail = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        return f"the disk is full: cannot create the {kind} store {path}; free some space"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return (
            f"cannot write the {kind} store {path} ({detail}): the folder is read-only; make "
            "it writable or point PRREADY_HOME at a writable folder"
        )
    if isinstance(exc, FileExistsError | NotADirectoryError) or exc.errno in (
        errno.EEXIST,
        errno.ENOTDIR,
    ):
        blocker = next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), None)
        home = os.environ.get("PRREADY_HOME")
        via = " (from PRREADY_HOME)" if home and blocker == Path(home).expanduser() else ""
        return (
            f"{blocker or path.parent}{via} is a file, not a folder: prready keeps its "
            f"{kind} store there; point PRREADY_HOME at a folder or move the file aside"
        )
    return f"cannot create the {kind} store {path}: {detail}"


def _split_sql(schema: str) -> list[str]:
    return [s.strip() for s in schema.split(";") if s.strip()]


def _foreign_error(path: Path, kind: str) -> StoreError:
    if kind == "cache":
        return StoreError(f"{path} is not a prready cache", advice="rebuild_foreign_cache")
    return StoreError(f"{path} is not a prready progress store; move it aside and run again")


def _check_columns(conn: sqlite3.Connection, schema: str, path: Path, kind: str) -> None:
    """Refuse a table with a NOT NULL column we do not know (a newer prready added it: every
    insert of ours would fail)."""
    reference = sqlite3.connect(":memory:")
    try:
        for statement in _split_sql(schema):
            reference.execute(statement)
        tables = [
            r[0] for r in reference.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for table in tables:
            ours = {r[1] for r in reference.execute(f"PRAGMA table_info({table})")}
            for row in conn.execute(f"PRAGMA table_info({table})"):
                name, notnull, default = row[1], row[3], row[4]
                if name not in ours and notnull and default is None:
                    raise _newer_error(path, kind, f"table {table} has a required column {name}")
    finally:
        reference.close()


def _newer_error(path: Path | None, kind: str, detail: str) -> StoreError:
    where = f"{path}" if path else f"the {kind} store"
    if kind == "cache":
        return StoreError(
            f"{where} was written by a newer prready ({detail}); upgrade prready",
            advice="rebuild_newer_cache",
        )
    return StoreError(
        f"{where} was written by a newer prready ({detail}); upgrade prready to use it (it was "
        "not changed)"
    )


def _corrupt_error(path: Path | None, kind: str, exc: Exception) -> StoreError:
    store = f"the cache {path}" if kind == "cache" else f"the progress store {path}"
    if path is None:
        store = "the cache" if kind == "cache" else "the progress store"
    if kind == "cache":
        return StoreError(
            f"{store} is corrupted ({exc}); it holds only data prready can fetch again",
            advice="rebuild_cache",
        )
    return StoreError(
        f"{store} is corrupted ({exc}); do not delete it: move it aside and restore your progress",
        advice="restore_progress",
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
