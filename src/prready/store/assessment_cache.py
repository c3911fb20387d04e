"""Issue assessments in the cache DB (table `assess_items`), one row per issue, each under
the key it was computed for, so a warm plan re-assesses only issues whose key changed.

A row holds two values: `rank`, what choosing a plan's steps reads (modules without their
evidence, the difficulty score, skills, kinds, features), and `detail`, what only a shown
issue needs (each module's evidence, the difficulty's reasons). A plan loads `rank` for
every stored issue and `detail` for the few it shows. Values are `marshal`-encoded plain
tuples like the parse cache's: fast to load and unable to run code on load. What a key
covers is decided by the caller.
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
)
"""
# The table of the format before `rank` and `detail` were apart (one value per issue).
OLD_TABLE = "assess_results"
_CHUNK = 500  # issue numbers per `IN (...)` query, well under SQLite's variable limit


class AssessmentCache:
    """Plain assessment values by (repository, issue number), each with its key."""

    def __init__(self, path: Path) -> None:
        self.conn = connect(path, CACHE_APP_ID, SCHEMA, "cache")
        with contextlib.suppress(sqlite3.OperationalError):  # locked: dropped next time
            self.conn.execute(f"DROP TABLE IF EXISTS {OLD_TABLE}")

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
        rows = self.conn.execute(
            f"SELECT number, key, rank, {column} FROM assess_items WHERE repo = ?", (repo,)
        )
        for number, key, rank, detail in rows:
            if keys.get(number) != key:
                continue
            value = _decode(rank)
            more = _decode(detail) if details else None
            if value is not None and (more is not None or not details):
                yield number, value, more

    def load_details(self, repo: str, keys: Mapping[int, str]) -> dict[int, tuple[Any, Any]]:
        """number -> (rank value, detail value) for the issues in `keys` whose stored key
        is the same (a damaged or missing row is left out)."""
        numbers = sorted(keys)
        out: dict[int, tuple[Any, Any]] = {}
        for start in range(0, len(numbers), _CHUNK):
            chunk = numbers[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows = self.conn.execute(
                "SELECT number, key, rank, detail FROM assess_items "
                f"WHERE repo = ? AND number IN ({marks})",
                (repo, *chunk),
            )
            for number, key, rank, detail in rows:
                if keys.get(number) != key:
                    continue
                values = _decode(rank), _decode(detail)
                if values[0] is not None and values[1] is not None:
                    out[number] = values
        return out

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
