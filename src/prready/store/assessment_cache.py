"""Issue assessments in the cache DB (table `assess_items`), one row per issue, each under
the key it was computed for, so a warm plan re-assesses only issues whose key changed.

A row holds two values: `rank`, what choosing a plan's steps reads (modules without their
evidence, the difficulty score, skills, kinds, features), and `detail`, what only a shown
issue needs (each module's evidence, the difficulty's reasons). A plan loads `rank` for
every stored issue and `detail` for the few it shows. Values are `marshal`-encoded plain
tuples like the parse cache's: fast to load and unable to run code on load. What a key
covers is decided by the caller.

Next to the rows, each repository's *pool* (table `assess_pools`) holds every `rank` value
of its last plan with its key, as one value: a warm plan decodes one value instead of
twenty thousand rows, and each module name and path is written (and loaded) once instead
of once per issue. An entry counts only under its own key, like a row; the rows stay the
record (a plan whose pool misses reads them, then writes the pool afresh).

A pool may carry a *stamp*, the caller's note of when its keys are known to be every
issue's current key (app.assessments: the stored issues' generation, the shared part of
the keys and a span of time), so a plan can take the keys from the pool instead of
working them out. The stamp lives in the pool's row: writing the pool (by any version of
prready, which names only `repo` and `pool`) drops it, and it is set only on the very
pool value its caller read.
"""

from __future__ import annotations

import contextlib
import marshal
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from prready.store.db import connect, transaction
from prready.store.parse_cache import CACHE_APP_ID

SCHEMA = """
CREATE TABLE IF NOT EXISTS assess_items (
    repo TEXT NOT NULL COLLATE NOCASE,
    number INTEGER NOT NULL,
    key TEXT NOT NULL,
    rank BLOB NOT NULL,
    detail BLOB NOT NULL,
    PRIMARY KEY (repo, number)
);
CREATE TABLE IF NOT EXISTS assess_pools (
    repo TEXT NOT NULL COLLATE NOCASE PRIMARY KEY,
    pool BLOB NOT NULL,
    stamp TEXT
)
"""
# The table of the format before `rank` and `detail` were apart (one value per issue).
OLD_TABLE = "assess_results"
_CHUNK = 500  # issue numbers per `IN (...)` query, well under SQLite's variable limit
_FEW = 2000  # up to this many issues are read by number, more by reading every row


class AssessmentCache:
    """Plain assessment values by (repository, issue number), each with its key."""

    def __init__(self, path: Path) -> None:
        self.conn = connect(path, CACHE_APP_ID, SCHEMA, "cache")
        with contextlib.suppress(sqlite3.OperationalError):  # locked: dropped next time
            self.conn.execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")
        with contextlib.suppress(sqlite3.OperationalError):  # locked: no stamps this time
            columns = {row[1] for row in self.conn.execute("PRAGMA table_info(assess_pools)")}
            if "stamp" not in columns:
                self.conn.execute("ALTER TABLE assess_pools ADD COLUMN stamp TEXT")
        # repo -> (the pool's bytes as last read, its stamp): what `stamp_pool` may stamp.
        self._read: dict[str, tuple[bytes, str | None]] = {}

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> AssessmentCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(
        self, repo: str, keys: Mapping[int, str], *, details: bool = False
    ) -> Iterator[tuple[int, Any, Any]]:
        """(number, rank value, detail value) for the issues in `keys` (number -> key)
        whose stored key is the same, one row at a time (a caller turning each into
        objects never holds all the plain values at once); a damaged row counts as missing
        (recomputed, overwritten). Without `details` the detail values are not read (None)."""
        column = "detail" if details else "NULL"
        sql = f"SELECT number, key, rank, {column} FROM assess_items WHERE repo = ?"
        for number, key, rank, detail in self._rows(sql, repo, keys):
            if keys.get(number) != key:
                continue
            value = _decode(rank)
            more = _decode(detail) if details else None
            if value is not None and (more is not None or not details):
                yield number, value, more

    def load_details(self, repo: str, keys: Mapping[int, str]) -> dict[int, tuple[Any, Any]]:
        """number -> (rank value, detail value) for the issues in `keys` whose stored key
        is the same (a damaged or missing row is left out)."""
        out: dict[int, tuple[Any, Any]] = {}
        sql = "SELECT number, key, rank, detail FROM assess_items WHERE repo = ?"
        for number, key, rank, detail in self._rows(sql, repo, keys):
            if keys.get(number) != key:
                continue
            values = _decode(rank), _decode(detail)
            if values[0] is not None and values[1] is not None:
                out[number] = values
        return out

    def _rows(self, sql: str, repo: str, keys: Mapping[int, str]) -> Iterator[tuple[Any, ...]]:
        """The rows `sql` (which selects by repository) gives for the numbers in `keys`: by
        number when they are few (a plan's shown issues, those its pool missed), else
        every row of the repository (the caller skips the others)."""
        if len(keys) > _FEW:
            yield from self.conn.execute(sql, (repo,))
            return
        numbers = sorted(keys)
        for start in range(0, len(numbers), _CHUNK):
            chunk = numbers[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            yield from self.conn.execute(f"{sql} AND number IN ({marks})", (repo, *chunk))

    def load_pool(self, repo: str) -> dict[int, tuple[str, Any]]:
        """number -> (key, rank value) as the repository's pool holds them ({} without one,
        or for a damaged one)."""
        self._read.pop(repo, None)
        try:
            row = self.conn.execute(
                "SELECT pool, stamp FROM assess_pools WHERE repo = ?", (repo,)
            ).fetchone()
        except sqlite3.OperationalError:
            return {}
        value = _decode(row[0]) if row is not None else None
        if not isinstance(value, dict):
            return {}
        self._read[repo] = (row[0], row[1] if isinstance(row[1], str) else None)
        return {
            number: entry
            for number, entry in value.items()
            if isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str)
        }

    def pool_stamp(self, repo: str) -> str | None:
        """The stamp of the pool `load_pool` last read for `repo` (None: none, or not read)."""
        read = self._read.get(repo)
        return read[1] if read is not None else None

    def stamp_pool(self, repo: str, stamp: str) -> None:
        """Stamp the pool `load_pool` last read for `repo`, if it is still the stored one."""
        read = self._read.get(repo)
        if read is None or read[1] == stamp:
            return
        try:
            with transaction(self.conn):
                self.conn.execute(
                    "UPDATE assess_pools SET stamp = ? WHERE repo = ? AND pool = ?",
                    (stamp, repo, read[0]),
                )
        except sqlite3.OperationalError:
            return  # a locked file only costs speed next time
        self._read[repo] = (read[0], stamp)

    def save_pool(
        self, repo: str, pool: Mapping[int, tuple[str, Any]], stamp: str | None = None
    ) -> None:
        """Replace the repository's pool with `pool` (number -> (key, rank value)) and its
        `stamp`; values sharing their texts are written once (marshal's references)."""
        data = marshal.dumps(dict(sorted(pool.items())))
        self._read.pop(repo, None)
        try:
            with transaction(self.conn):
                self.conn.execute(
                    "INSERT OR REPLACE INTO assess_pools (repo, pool, stamp) VALUES (?, ?, ?)",
                    (repo, data, stamp),
                )
        except sqlite3.OperationalError:
            return  # a full disk or a locked file only costs speed next time

    def save(self, repo: str, rows: Iterable[tuple[int, str, Any, Any]]) -> None:
        """Store (number, key, rank value, detail value) rows in one transaction, replacing
        older ones."""
        encoded = sorted(
            (repo, number, key, marshal.dumps(rank), marshal.dumps(detail))
            for number, key, rank, detail in rows
        )
        if not encoded:
            return
        try:
            with transaction(self.conn):
                self.conn.executemany(
                    "INSERT OR REPLACE INTO assess_items (repo, number, key, rank, detail) "
                    "VALUES (?, ?, ?, ?, ?)",
                    encoded,
                )
        except sqlite3.OperationalError:
            return  # a full disk or a locked file only costs speed next time


def _decode(data: bytes) -> Any:
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
