"""GitHub's answers kept for conditional requests (table `gh_responses` in the cache DB):
per URL the ETag, the Link header and the body, so asking again with `If-None-Match`
costs a free 304 while nothing changed. Implements github_api's `ResponseStore`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from prready.store.db import connect, transaction
from prready.store.parse_cache import CACHE_APP_ID

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
    """Stored answers by URL; each call opens the cache DB briefly (a plan makes a few
    dozen), so the object holds no connection and needs no closing."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def lookup(self, url: str) -> tuple[str, str, bytes] | None:
        conn = connect(self.path, CACHE_APP_ID, SCHEMA, "cache")
        try:
            row = conn.execute(
                "SELECT etag, link, body FROM gh_responses WHERE url = ?", (url,)
            ).fetchone()
        finally:
            conn.close()
        if row is None:
            return None
        return str(row[0]), str(row[1]), bytes(row[2])

    def remember(self, url: str, etag: str, link: str, body: bytes) -> None:
        conn = connect(self.path, CACHE_APP_ID, SCHEMA, "cache")
        try:
            with transaction(conn):
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
        finally:
            conn.close()
