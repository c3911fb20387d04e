"""Per-file scan results in SQLite, keyed by git blob id, so a re-run re-scans only files
whose content changed. Lives in the cache DB (`Paths.cache_db`), tables prefixed `parse_`.

Values are `marshal`-encoded plain tuples: fast to load (a warm map of PyTorch reads ~12k
rows) and unable to execute code on load, unlike pickle. A scanner version in the key
makes results of an older scanner invisible instead of wrong.

A large snapshot (a whole map: 8 MB on PyTorch) is kept in a file of its own beside the
database (`snapshot_dir`), its row holding the file's name, length and CRC: SQLite writes
a big blob page by page into its log and again into the database when it checkpoints,
which cost a cold map of PyTorch ~40 ms that writing one file does not (SQLite's own
advice is to keep blobs past ~100 KB outside the database). A file that is missing, cut
short or altered reads as no snapshot, as a damaged row does.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from prready.errors import PrreadyError
from prready.paths import ensure_private_dir
from prready.store.db import connect, transaction

_SCALARS = frozenset({str, int, float, bool, bytes, type(None)})  # returned as they are

# What opening or writing the cache can raise when it is locked, damaged, full or gone:
# for a cache of scan results, such a failure only costs a rescan next time.
CACHE_WRITE_FAILURES = (sqlite3.Error, OSError, PrreadyError)

INSERT_ROWS = 2000  # rows written by one INSERT statement (see save_encoded)
EXTERNAL_MIN_BYTES = 256 * 1024  # a snapshot this large is kept in a file of its own
# Snapshots kept (the newest): a cold `plan` writes about eight of one repository's (the
# map and its base, native links, the lexical and history indexes, the fixes commits name,
# the test names and their map), so two more leave room for another map of it.
SNAPSHOTS_KEPT = 10
# The file of a row that is evicted or written over goes with it. Any other file no row
# names (left by a process that stopped between writing it and its row) goes once it is
# this old: younger, it may be another process's, written just before its row.
ORPHAN_GRACE_SECONDS = 3600.0
# What a row of an external snapshot holds before "name length crc": marshal never
# writes a NUL first, so no stored value reads as one.
_EXTERNAL = b"\0prready-snapshot-file\0"
# "prr1": shared by every table in the cache DB file (the issue store uses the same file).
CACHE_APP_ID = 0x70727231

SCHEMA = """
CREATE TABLE IF NOT EXISTS parse_results (
    blob TEXT NOT NULL,
    scanner TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (blob, scanner)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS parse_snapshots (
    key TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS parse_snapshot_bases (
    key TEXT PRIMARY KEY,
    base TEXT NOT NULL
) WITHOUT ROWID
"""

# The stored results of a JSON array of blob ids: with their data, or the ids alone.
_OF_WANTED = "FROM json_each(?) AS w JOIN parse_results r ON r.blob = w.value AND r.scanner = ?"
_WITH_DATA = "SELECT r.blob, r.data " + _OF_WANTED
_BLOBS_ONLY = "SELECT r.blob " + _OF_WANTED


class ParseCache:
    """Scan results by (blob id, scanner name+version)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = connect(path, CACHE_APP_ID, SCHEMA, "cache")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ParseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(self, scanner: str, blobs: Iterable[str]) -> dict[str, Any]:
        """Cached results for those blobs that have one (plain tuples, as stored)."""
        out: dict[str, Any] = {}
        for blob, data in self._stored(scanner, blobs, _WITH_DATA):
            try:
                out[blob] = marshal.loads(data)
            except (EOFError, ValueError, TypeError):
                continue  # a damaged row is a cache miss, re-scanned and overwritten
        return out

    def known(self, scanner: str, blobs: Iterable[str]) -> set[str]:
        """Those of `blobs` with a stored result (not loaded: a damaged one counts)."""
        return {row[0] for row in self._stored(scanner, blobs, _BLOBS_ONLY)}

    def _stored(self, scanner: str, blobs: Iterable[str], query: str) -> list[Any]:
        """The rows `query` selects for those of `blobs` with a stored result (the
        fallback's rows carry the data too)."""
        wanted = list(dict.fromkeys(blobs))
        if not wanted:
            return []
        try:
            # The wanted ids travel as one JSON array: SQLite unpacks it in C, twice as
            # fast as inserting 12k rows into a temporary table to join against.
            return self.conn.execute(query, (json.dumps(wanted), scanner)).fetchall()
        except sqlite3.OperationalError:  # an SQLite built without JSON functions
            return self._load_rows_via_temp_table(scanner, wanted)

    def _load_rows_via_temp_table(self, scanner: str, wanted: list[str]) -> list[Any]:
        cur = self.conn.cursor()
        cur.execute("CREATE TEMP TABLE IF NOT EXISTS parse_wanted (blob TEXT PRIMARY KEY)")
        cur.execute("BEGIN")  # one transaction: row-by-row autocommit is 10x slower
        try:
            cur.execute("DELETE FROM parse_wanted")
            cur.executemany("INSERT OR IGNORE INTO parse_wanted VALUES (?)", ((b,) for b in wanted))
            rows = cur.execute(
                "SELECT r.blob, r.data FROM parse_wanted w JOIN parse_results r "
                "ON r.blob = w.blob AND r.scanner = ?",
                (scanner,),
            ).fetchall()
            cur.execute("DELETE FROM parse_wanted")
        finally:
            cur.execute("COMMIT")
        return rows

    def save(self, scanner: str, results: dict[str, Any]) -> None:
        """Store results (plain tuples/str/int/None only) in one transaction."""
        self.save_encoded(scanner, {blob: marshal.dumps(v) for blob, v in results.items()})

    def save_encoded(self, scanner: str, results: dict[str, bytes]) -> None:
        """Store results already marshal-encoded (by the scanning workers)."""
        if not results:
            return
        # In key order: the B-tree is then filled page after page, not at random places.
        rows = sorted((blob, scanner, data) for blob, data in results.items())
        # Many rows a statement: SQLite runs each statement without the interpreter lock,
        # so a writer thread is not held up row by row while another thread computes.
        per = self._rows_per_insert()
        try:
            with transaction(self.conn):
                for at in range(0, len(rows), per):
                    batch = rows[at : at + per]
                    self.conn.execute(
                        "INSERT OR REPLACE INTO parse_results (blob, scanner, data) VALUES "
                        + ",".join(["(?,?,?)"] * len(batch)),
                        [value for row in batch for value in row],
                    )
        except sqlite3.OperationalError:
            return  # a full disk or a locked file only costs speed next time

    def _rows_per_insert(self) -> int:
        """Rows of 3 values one INSERT may bind: SQLite's limit on bound values (999 in
        builds before 3.32, which Python < 3.11 cannot ask for), at most INSERT_ROWS."""
        getlimit = getattr(self.conn, "getlimit", None)
        which = getattr(sqlite3, "SQLITE_LIMIT_VARIABLE_NUMBER", None)
        limit = getlimit(which) if getlimit is not None and which is not None else 999
        return max(1, min(INSERT_ROWS, limit // 3))

    def has_snapshot(self, key: str) -> bool:
        """Whether a value is stored under key (none is read)."""
        query = "SELECT 1 FROM parse_snapshots WHERE key = ?"
        return self.conn.execute(query, (key,)).fetchone() is not None

    def load_snapshot(self, key: str) -> Any | None:
        """A whole derived value stored under key (e.g. the resolved map of a file set)."""
        row = self.conn.execute("SELECT data FROM parse_snapshots WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        data = row[0]
        if isinstance(data, bytes) and data.startswith(_EXTERNAL):
            data = self._read_external(data[len(_EXTERNAL) :])
            if data is None:
                return None
        try:
            return marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None

    @property
    def snapshot_dir(self) -> Path:
        """Where large snapshots are kept (see the module docstring)."""
        return snapshot_dir(self.path)

    def _read_external(self, ref: bytes) -> bytes | None:
        """The bytes of the file a row names, when they are what the row says."""
        try:
            name, length, crc = ref.decode("ascii").split(" ")
            with open(self.snapshot_dir / name, "rb") as fh:
                data = fh.read()
        except (OSError, ValueError):
            return None
        if len(data) != int(length) or zlib.crc32(data) != int(crc):
            return None
        return data

    def _write_external(self, key: str, data: bytes) -> bytes | None:
        """Write `data` to a file of its own (atomically: a temporary file renamed) and
        return what its row holds; None when the file cannot be written."""
        crc = zlib.crc32(data)
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()
        # The content in the name too: a key written again with other bytes (by another
        # process, say) gets a file of its own, never one its row does not describe.
        name = f"{digest}-{len(data):x}-{crc:08x}.marshal"
        folder = self.snapshot_dir
        temp = folder / f".{name}.{os.urandom(4).hex()}.tmp"
        try:
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                return None  # not prready's to write into (--rebuild-cache removes it)
            ensure_private_dir(folder)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(temp, folder / name)
            except BaseException:
                with contextlib.suppress(OSError):
                    temp.unlink()
                raise
        except OSError:
            return None
        return _EXTERNAL + f"{name} {len(data)} {crc}".encode("ascii")

    def _external_names(self) -> set[str]:
        """The names of the files the stored rows name."""
        prefix = len(_EXTERNAL) + 1
        rows = self.conn.execute(
            "SELECT substr(data, ?) FROM parse_snapshots WHERE substr(data, 1, ?) = ?",
            (prefix, len(_EXTERNAL), _EXTERNAL),
        ).fetchall()
        return {bytes(ref).split(b" ")[0].decode("ascii", "replace") for (ref,) in rows}

    def _remove_files(self, dropped: set[str], named: set[str]) -> None:
        """Remove the files of `dropped` (rows this save evicted or wrote over), and any
        other file no row (`named`) names that is older than ORPHAN_GRACE_SECONDS."""
        folder = self.snapshot_dir
        if folder.is_symlink():
            return
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        now = time.time()
        for entry in entries:
            if entry.name in named:
                continue
            with contextlib.suppress(OSError):
                if (
                    entry.name in dropped
                    or now - entry.stat(follow_symlinks=False).st_mtime > ORPHAN_GRACE_SECONDS
                ):
                    os.unlink(entry.path)

    def save_snapshot(
        self, key: str, value: Any, *, keep: int = SNAPSHOTS_KEPT, base: str | None = None
    ) -> None:
        """Store value under key, keeping only the `keep` most recent snapshots and the
        ones they are written over. `base`: the key of the snapshot this value only
        completes (a map's changed parts over the full map), kept while this one is."""
        try:
            data = marshal.dumps(value)
        except ValueError:
            return  # not plain data: nothing is cached, nothing breaks
        external = len(data) >= EXTERNAL_MIN_BYTES
        if external:
            ref = self._write_external(key, data)
            if ref is None:
                return  # a full disk or an unwritable folder only costs speed next time
            data = ref
        try:
            with transaction(self.conn):
                # (Read inside the write transaction: no other process changes the rows.)
                before = self._external_names() if self.snapshot_dir.is_dir() else set()
                self.conn.execute(
                    "INSERT OR REPLACE INTO parse_snapshots (key, data) VALUES (?, ?)",
                    (key, data),
                )
                self.conn.execute("DELETE FROM parse_snapshot_bases WHERE key = ?", (key,))
                if base is not None:
                    self.conn.execute(
                        "INSERT INTO parse_snapshot_bases (key, base) VALUES (?, ?)", (key, base)
                    )
                self.conn.execute(
                    "DELETE FROM parse_snapshots WHERE rowid NOT IN "
                    "(SELECT rowid FROM parse_snapshots ORDER BY rowid DESC LIMIT ?) "
                    "AND key NOT IN (SELECT b.base FROM parse_snapshot_bases b "
                    "JOIN (SELECT key FROM parse_snapshots ORDER BY rowid DESC LIMIT ?) r "
                    "ON r.key = b.key)",
                    (keep, keep),
                )
                self.conn.execute(
                    "DELETE FROM parse_snapshot_bases WHERE key NOT IN "
                    "(SELECT key FROM parse_snapshots)"
                )
                named = self._external_names() if before or external else set()
        except sqlite3.OperationalError:
            return
        if before or external:
            self._remove_files(before - named, named)


def snapshot_dir(cache_db: Path) -> Path:
    """The folder beside the cache database that holds its large snapshots."""
    return cache_db.with_name(cache_db.name + "-snapshots")


def to_plain(value: Any) -> Any:
    """NamedTuples (and nested ones) as plain tuples, which marshal accepts.

    Runs once per scanned file in the workers (PyTorch: 12k files, ~300k values), so
    scalars are passed through inline instead of by a call each: half the time."""
    if type(value) in _SCALARS:
        return value
    if isinstance(value, tuple):
        return tuple([v if type(v) in _SCALARS else to_plain(v) for v in value])
    if isinstance(value, list):
        return [v if type(v) in _SCALARS else to_plain(v) for v in value]
    return value
