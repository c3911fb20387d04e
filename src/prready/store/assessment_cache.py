"""Issue assessments in the cache DB (table `assess_results`), one row per issue, each
under the key it was computed for, so a warm plan re-assesses only issues whose key
changed. Values are `marshal`-encoded plain tuples like the parse cache's: fast to load
and unable to run code on load. What a key covers is decided by the caller.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from prready.store.db import connect, transaction
from prready.store.parse_cache import CACHE_APP_ID

SCHEMA = """
CREATE TABLE IF NOT EXISTS assess_results (
    repo TEXT NOT NULL COLLATE NOCASE,
    number INTEGER NOT NULL,
    key TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (repo, number)
) WITHOUT ROWID
"""


class AssessmentCache:
    """Plain assessment values by (repository, issue number), each with its key."""

    def __init__(self, path: Path) -> None:
        self.conn = connect(path, CACHE_APP_ID, SCHEMA, "cache")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> AssessmentCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(self, repo: str, keys: dict[int, str]) -> Iterator[tuple[int, Any]]:
        """(number, value) for the issues in `keys` (number -> key) whose stored key is the
        same, one row at a time (a caller turning each into objects never holds all the
        plain values at once); a damaged row counts as missing (recomputed, overwritten)."""
        rows = self.conn.execute(
            "SELECT number, key, data FROM assess_results WHERE repo = ?", (repo,)
        )
        for number, key, data in rows:
            if keys.get(number) != key:
                continue
            try:
                value = marshal.loads(data)
            except (EOFError, ValueError, TypeError):
                continue
            yield number, value

    def save(self, repo: str, rows: Iterable[tuple[int, str, Any]]) -> None:
        """Store (number, key, plain value) rows in one transaction, replacing older ones."""
        encoded = sorted((repo, number, key, marshal.dumps(value)) for number, key, value in rows)
        if not encoded:
            return
        try:
            with transaction(self.conn):
                self.conn.executemany(
                    "INSERT OR REPLACE INTO assess_results (repo, number, key, data) "
                    "VALUES (?, ?, ?, ?)",
                    encoded,
                )
        except sqlite3.OperationalError:
            return  # a full disk or a locked file only costs speed next time
