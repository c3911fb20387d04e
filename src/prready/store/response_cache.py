"""GitHub's answers kept for conditional requests (table `gh_responses` in the cache DB):
per URL the ETag, the Link header and the body, so asking again with `If-None-Match`
costs a free 304 while nothing changed. Implements github_api's `ResponseStore`."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from prready.store.db import transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS gh_responses (
    url TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    link TEXT NOT NULL,
    body BLOB NOT NULL
)
"""
KEEP = 5000  # answers kept; the oldest go first (a plan asks for a few dozen)


class ResponseCache:
    """Stored answers by URL, in the command's cache connection (`connection()` gives it,
    opened once per command by its owner); the table is created on first use."""

    def __init__(self, connection: Callable[[], sqlite3.Connection]) -> None:
        self._connection = connection
        self._ready = False

    def _conn(self) -> sqlite3.Connection:
        conn = self._connection()
        if not self._ready:
            conn.execute(SCHEMA)
            self._ready = True
        return conn

    def lookup(self, url: str) -> tuple[str, str, bytes] | None:
        row = (
            self._conn()
            .execute("SELECT etag, link, body FROM gh_responses WHERE url = ?", (url,))
            .fetchone()
        )
        if row is None:
            return None
        return str(row[0]), str(row[1]), bytes(row[2])

    def remember(self, url: str, etag: str, link: str, body: bytes) -> None:
        conn = self._conn()
        try:
            with _joined(conn):
                conn.execute(
                    "INSERT OR REPLACE INTO gh_responses (url, etag, link, body) VALUES (?, ?, ?, ?)",
                    (url, etag, link, body),
                )
                # A replaced row gets a new rowid: the lowest rowids are the stalest answers.
                conn.execute(
                    "DELETE FROM gh_responses "
                    "WHERE rowid <= (SELECT max(rowid) FROM gh_responses) - ?",
                    (KEEP,),
                )
        except sqlite3.OperationalError:
            return  # a full disk or a locked file only costs a billed request next time


@contextmanager
def _joined(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A transaction of its own, or the caller's when one is open."""
    if conn.in_transaction:
        yield conn
    else:
        with transaction(conn):
            yield conn
