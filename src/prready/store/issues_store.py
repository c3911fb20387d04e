"""Issues, pull requests, labels, comments, cross-references and sync state in the cache DB.

Tables are prefixed `gh_` (the parse cache shares the file with `parse_` tables). Every
write is an upsert or a replace-the-set, so re-running a sync never duplicates rows; a
function called outside a transaction opens its own, inside one it joins the caller's
(so a sync can write a page of issues and its resume cursor atomically).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from prready.models import Comment, CrossReference, Issue, Label, LabelKind, TakenStatus
from prready.paths import Paths
from prready.store.db import connect, transaction

APPLICATION_ID = 0x70727231

# Issues and pull requests share one shape; they live in two tables so that a sync of
# issues never mixes them (GitHub lists pull requests as issues).
_ISSUE_TABLE = """
    repo TEXT NOT NULL COLLATE NOCASE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL,
    labels TEXT NOT NULL,
    assignees TEXT NOT NULL,
    author TEXT NOT NULL,
    comments INTEGER NOT NULL,
    reactions INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    closed_at TEXT,
    url TEXT NOT NULL,
    state_reason TEXT,
    PRIMARY KEY (repo, number)
"""

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS gh_repos (
    repo TEXT PRIMARY KEY COLLATE NOCASE,
    full_name TEXT NOT NULL,
    default_branch TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT 'api',
    synced_at TEXT
);
CREATE TABLE IF NOT EXISTS gh_issues ({_ISSUE_TABLE});
CREATE INDEX IF NOT EXISTS gh_issues_state ON gh_issues (repo, state);
CREATE TABLE IF NOT EXISTS gh_pulls ({_ISSUE_TABLE});
CREATE TABLE IF NOT EXISTS gh_labels (
    repo TEXT NOT NULL COLLATE NOCASE,
    name TEXT NOT NULL,
    color TEXT NOT NULL,
    description TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT,
    PRIMARY KEY (repo, name)
);
CREATE TABLE IF NOT EXISTS gh_comments (
    repo TEXT NOT NULL COLLATE NOCASE,
    issue_number INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (repo, issue_number, seq)
);
CREATE TABLE IF NOT EXISTS gh_cross_refs (
    repo TEXT NOT NULL COLLATE NOCASE,
    issue_number INTEGER NOT NULL,
    pr_repo TEXT NOT NULL,
    pr_number INTEGER NOT NULL,
    pr_url TEXT NOT NULL,
    pr_state TEXT NOT NULL,
    merged INTEGER NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (repo, issue_number, pr_repo, pr_number)
);
CREATE TABLE IF NOT EXISTS gh_details (
    repo TEXT NOT NULL COLLATE NOCASE,
    issue_number INTEGER NOT NULL,
    fetched_at TEXT NOT NULL,
    taken_state TEXT,
    taken_evidence TEXT,
    PRIMARY KEY (repo, issue_number)
);
CREATE TABLE IF NOT EXISTS gh_issue_writes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch TEXT NOT NULL,
    generation INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS gh_sync_state (
    repo TEXT NOT NULL COLLATE NOCASE,
    query_key TEXT NOT NULL,
    etag TEXT,
    last_synced_at TEXT,
    walk_kind TEXT,
    walk_started_at TEXT,
    cursor_since TEXT,
    cursor_page INTEGER NOT NULL DEFAULT 1,
    pages_done INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (repo, query_key)
);
CREATE TABLE IF NOT EXISTS local_checkouts (
    repo TEXT PRIMARY KEY COLLATE NOCASE,
    path TEXT NOT NULL,
    used_at TEXT NOT NULL
)
"""

_ISSUE_COLUMNS = (
    "repo, number, title, body, state, labels, assignees, author, comments, reactions, "
    "created_at, updated_at, closed_at, url, state_reason"
)


@dataclass
class SyncState:
    """Where one query stands: the ETag of its probe page, when it last completed, and
    (while a walk is under way) the resume cursor."""

    query_key: str
    etag: str | None = None
    last_synced_at: str | None = None
    walk_kind: str | None = None  # None when no walk is in progress
    walk_started_at: str | None = None
    cursor_since: str | None = None
    cursor_page: int = 1
    pages_done: int = 0


@dataclass
class SaveCounts:
    """What one save changed: new open issues, new closed ones (for `backtest`), updated
    issues, issues now closed, pull requests seen."""

    new: int = 0
    new_closed: int = 0
    updated: int = 0
    closed: int = 0
    pulls: int = 0

    def add(self, other: SaveCounts) -> None:
        self.new += other.new
        self.new_closed += other.new_closed
        self.updated += other.updated
        self.closed += other.closed
        self.pulls += other.pulls


# Every insert, update or delete of a stored issue moves the issues' generation on, by
# triggers in the file itself: whatever code writes the table (any version of prready,
# a test), a reader that saw the same generation twice knows no issue changed in between.
# An update counts only when some value changed: a sync or a refreshed step that writes
# an issue back as it was leaves the generation (and what was keyed under it) standing.
_CHANGED = " OR ".join(
    f"OLD.{column} IS NOT NEW.{column}" for column in _ISSUE_COLUMNS.split(", ")
)
# Each trigger's name carries a digest of its event, so a file whose triggers another
# version of prready made (an edit trigger that misses a column added since) gets this
# version's, and the others are dropped.
_BUMP_GENERATION = "UPDATE gh_issue_writes SET generation = generation + 1 WHERE id = 1"
_GENERATION_EVENTS = {
    "insert": "INSERT ON gh_issues",
    "edit": f"UPDATE ON gh_issues WHEN {_CHANGED}",
    "delete": "DELETE ON gh_issues",
}
_GENERATION_TRIGGERS = {
    f"gh_issues_{name}_generation_{hashlib.sha256(event.encode()).hexdigest()[:12]}": (
        f"AFTER {event} BEGIN {_BUMP_GENERATION}; END"
    )
    for name, event in _GENERATION_EVENTS.items()
}
_GENERATION_NAMES = frozenset(_GENERATION_TRIGGERS)
_TRIGGER_NAMES = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'gh_issues'"


def open_cache(paths: Paths) -> sqlite3.Connection:
    """Open (creating if needed) the cache DB with the issue tables."""
    conn = connect(paths.cache_db, application_id=APPLICATION_ID, schema=SCHEMA, kind="cache")
    try:
        have = {name for (name,) in conn.execute(_TRIGGER_NAMES)}
        stale = {n for n in have - _GENERATION_NAMES if n.startswith("gh_issues_")}
        if (
            stale
            or not have >= _GENERATION_NAMES
            or not conn.execute("SELECT 1 FROM gh_issue_writes WHERE id = 1").fetchone()
        ):
            with transaction(conn):
                conn.execute(
                    "INSERT OR IGNORE INTO gh_issue_writes (id, epoch, generation) "
                    "VALUES (1, lower(hex(randomblob(8))), 0)"
                )
                for name in sorted(stale):  # (names from this file's own schema table)
                    conn.execute('DROP TRIGGER IF EXISTS "{}"'.format(name.replace('"', '""')))
                for name, body in _GENERATION_TRIGGERS.items():
                    conn.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
                # A counter that may have missed writes (another version's triggers) is
                # moved on, so nothing keyed under what it said before still counts.
                conn.execute(_BUMP_GENERATION)
    except sqlite3.OperationalError:
        pass  # a locked or read-only file: without the triggers, generation() answers None
    return conn


def generation(conn: sqlite3.Connection) -> str | None:
    """Where the stored issues (of any repository) stand: the same text twice means no
    issue was written in between (the count of writes, after a random mark of the counter
    itself, so a counter made anew never repeats an old one). None when the file does not
    count its writes."""
    try:
        names = {name for (name,) in conn.execute(_TRIGGER_NAMES)}
        row = conn.execute(
            "SELECT epoch, generation FROM gh_issue_writes WHERE id = 1"
        ).fetchone()
    except sqlite3.OperationalError:
        return None
    if row is None or not names >= _GENERATION_NAMES:
        return None
    return f"{row[0]}.{row[1]}"


# ---------------------------------------------------------------------- issues and pulls
def save_issues(conn: sqlite3.Connection, issues: Iterable[Issue]) -> SaveCounts:
    """Upsert issues (pull requests go to their own table) and count what changed.

    An older copy never overwrites a newer one (compared by `updated_at`)."""
    counts = SaveCounts()
    with _tx(conn):
        for issue in issues:
            table = "gh_pulls" if issue.is_pull_request else "gh_issues"
            row = conn.execute(
                f"SELECT updated_at, state FROM {table} WHERE repo = ? AND number = ?",
                (issue.repo, issue.number),
            ).fetchone()
            if issue.is_pull_request:
                counts.pulls += 1
            elif row is None:
                counts.new += issue.state == "open"
                counts.new_closed += issue.state != "open"
            elif issue.updated_at > row[0] or (issue.updated_at == row[0] and issue.state != row[1]):
                # (The same copy with another state: an issue a complete export closed, and
                # back in a later one.)
                counts.updated += 1
                if row[1] == "open" and issue.state == "closed":
                    counts.closed += 1
            conn.execute(
                f"INSERT INTO {table} ({_ISSUE_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (repo, number) DO UPDATE SET title = excluded.title, "
                "body = excluded.body, state = excluded.state, labels = excluded.labels, "
                "assignees = excluded.assignees, author = excluded.author, "
                "comments = excluded.comments, reactions = excluded.reactions, "
                "created_at = excluded.created_at, updated_at = excluded.updated_at, "
                "closed_at = excluded.closed_at, url = excluded.url, "
                f"state_reason = excluded.state_reason WHERE excluded.updated_at >= {table}.updated_at",
                _issue_row(issue),
            )
    return counts


def load_issues(
    conn: sqlite3.Connection, slug: str, state: str = "open", *, pulls: bool = False
) -> list[Issue]:
    """Stored issues of a repository ("open", "closed" or "all"), by number."""
    table = "gh_pulls" if pulls else "gh_issues"
    sql = f"SELECT {_ISSUE_COLUMNS} FROM {table} WHERE repo = ?"
    args: list[object] = [slug]
    if state != "all":
        sql += " AND state = ?"
        args.append(state)
    rows = conn.execute(sql + " ORDER BY number", args)
    # Thousands of issues share a few label and assignee lists: each distinct JSON text is
    # decoded once (every issue still gets its own list).
    lists: dict[str, list[str]] = {}
    return [_issue_from_row(row, pulls, lists) for row in rows]


def load_pulls(conn: sqlite3.Connection, slug: str, state: str = "all") -> list[Issue]:
    return load_issues(conn, slug, state, pulls=True)


def load_issue(conn: sqlite3.Connection, slug: str, number: int) -> Issue | None:
    for table, pulls in (("gh_issues", False), ("gh_pulls", True)):
        row = conn.execute(
            f"SELECT {_ISSUE_COLUMNS} FROM {table} WHERE repo = ? AND number = ?", (slug, number)
        ).fetchone()
        if row is not None:
            return _issue_from_row(row, pulls)
    return None


def mark_closed(
    conn: sqlite3.Connection, slug: str, numbers: Iterable[int], closed_at: str | None
) -> int:
    """Mark stored open issues closed (e.g. gone from GitHub); returns how many changed."""
    changed = 0
    with _tx(conn):
        for number in numbers:
            cur = conn.execute(
                "UPDATE gh_issues SET state = 'closed', closed_at = coalesce(closed_at, ?) "
                "WHERE repo = ? AND number = ? AND state = 'open'",
                (closed_at, slug, number),
            )
            changed += cur.rowcount
    return changed


def count_issues(conn: sqlite3.Connection, slug: str) -> dict[str, int]:
    rows = conn.execute(
        "SELECT state, count(*) FROM gh_issues WHERE repo = ? GROUP BY state", (slug,)
    ).fetchall()
    return {state: n for state, n in rows}


# ---------------------------------------------------------------------- labels
def save_labels(conn: sqlite3.Connection, slug: str, labels: Sequence[Label]) -> None:
    """Replace the repository's labels with `labels`."""
    with _tx(conn):
        conn.execute("DELETE FROM gh_labels WHERE repo = ?", (slug,))
        conn.executemany(
            "INSERT OR REPLACE INTO gh_labels VALUES (?, ?, ?, ?, ?, ?)",
            [(slug, x.name, x.color, x.description, x.kind.value, x.value) for x in labels],
        )


def load_labels(conn: sqlite3.Connection, slug: str) -> list[Label]:
    rows = conn.execute(
        "SELECT name, color, description, kind, value FROM gh_labels WHERE repo = ? "
        "ORDER BY name COLLATE NOCASE",
        (slug,),
    ).fetchall()
    return [Label(n, c, d, LabelKind(k), v) for n, c, d, k, v in rows]


def known_logins(conn: sqlite3.Connection, slug: str) -> frozenset[str]:
    """The GitHub logins the repository's stored issues, pull requests and comments were
    written by, as GitHub spells them."""
    rows = conn.execute(
        "SELECT author FROM gh_issues WHERE repo = ? UNION SELECT author FROM gh_pulls "
        "WHERE repo = ? UNION SELECT author FROM gh_comments WHERE repo = ?",
        (slug, slug, slug),
    ).fetchall()
    return frozenset(a for (a,) in rows if a)


def label_counts(conn: sqlite3.Connection, slug: str, state: str = "open") -> dict[str, int]:
    """Stored issues per label name (issues only, not pull requests)."""
    counts: dict[str, int] = {}
    for (labels,) in conn.execute(
        "SELECT labels FROM gh_issues WHERE repo = ? AND (? = 'all' OR state = ?)",
        (slug, state, state),
    ):
        for name in json.loads(labels):
            counts[name] = counts.get(name, 0) + 1
    return counts


# ---------------------------------------------------------------------- comments, refs, taken
def save_comments(
    conn: sqlite3.Connection, slug: str, number: int, comments: Sequence[Comment]
) -> None:
    """Replace the stored comments of one issue."""
    with _tx(conn):
        conn.execute("DELETE FROM gh_comments WHERE repo = ? AND issue_number = ?", (slug, number))
        conn.executemany(
            "INSERT INTO gh_comments VALUES (?, ?, ?, ?, ?, ?)",
            [(slug, number, i, c.author, c.body, c.created_at) for i, c in enumerate(comments)],
        )


def load_comments(conn: sqlite3.Connection, slug: str, number: int) -> list[Comment]:
    rows = conn.execute(
        "SELECT author, body, created_at FROM gh_comments WHERE repo = ? AND issue_number = ? "
        "ORDER BY seq",
        (slug, number),
    ).fetchall()
    return [Comment(number, a, b, c) for a, b, c in rows]


def save_cross_refs(
    conn: sqlite3.Connection, slug: str, number: int, refs: Sequence[CrossReference]
) -> None:
    """Replace the stored pull-request cross-references of one issue."""
    with _tx(conn):
        conn.execute(
            "DELETE FROM gh_cross_refs WHERE repo = ? AND issue_number = ?", (slug, number)
        )
        conn.executemany(
            "INSERT OR REPLACE INTO gh_cross_refs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (slug, number, r.repo, r.pr_number, r.pr_url, r.pr_state, int(r.merged),
                 r.author, r.created_at)
                for r in refs
            ],
        )  # fmt: skip


def load_cross_refs(conn: sqlite3.Connection, slug: str, number: int) -> list[CrossReference]:
    rows = conn.execute(
        "SELECT pr_number, pr_url, pr_state, merged, author, created_at, pr_repo "
        "FROM gh_cross_refs WHERE repo = ? AND issue_number = ? ORDER BY created_at, pr_number",
        (slug, number),
    ).fetchall()
    return [CrossReference(number, n, u, s, bool(m), a, c, r) for n, u, s, m, a, c, r in rows]


def load_details(
    conn: sqlite3.Connection, slug: str
) -> tuple[dict[int, list[Comment]], dict[int, list[CrossReference]]]:
    """Every stored comment and pull-request cross-reference of a repository, per issue
    (two queries, for listings that judge all issues at once)."""
    comments: dict[int, list[Comment]] = {}
    for n, a, b, c in conn.execute(
        "SELECT issue_number, author, body, created_at FROM gh_comments WHERE repo = ? "
        "ORDER BY issue_number, seq",
        (slug,),
    ):
        comments.setdefault(n, []).append(Comment(n, a, b, c))
    refs: dict[int, list[CrossReference]] = {}
    for n, num, u, st, m, a, c, r in conn.execute(
        "SELECT issue_number, pr_number, pr_url, pr_state, merged, author, created_at, pr_repo "
        "FROM gh_cross_refs WHERE repo = ? ORDER BY issue_number, created_at, pr_number",
        (slug,),
    ):
        refs.setdefault(n, []).append(CrossReference(n, num, u, st, bool(m), a, c, r))
    return comments, refs


def save_taken(
    conn: sqlite3.Connection, slug: str, number: int, status: TakenStatus, fetched_at: str
) -> None:
    """Remember when an issue's details were fetched and what they showed."""
    with _tx(conn):
        conn.execute(
            "INSERT OR REPLACE INTO gh_details VALUES (?, ?, ?, ?, ?)",
            (slug, number, fetched_at, status.state, json.dumps(status.evidence)),
        )


def load_taken(conn: sqlite3.Connection, slug: str) -> dict[int, tuple[TakenStatus, str]]:
    """Per issue number: the last taken status computed and when its details were fetched."""
    rows = conn.execute(
        "SELECT issue_number, taken_state, taken_evidence, fetched_at FROM gh_details "
        "WHERE repo = ?",
        (slug,),
    ).fetchall()
    return {n: (TakenStatus(s or "fresh", json.loads(e or "[]")), at) for n, s, e, at in rows}


# ---------------------------------------------------------------------- repo and sync state
def record_repo(
    conn: sqlite3.Connection,
    slug: str,
    full_name: str,
    *,
    default_branch: str = "",
    source: str = "api",
    synced_at: str | None = None,
) -> None:
    with _tx(conn):
        conn.execute(
            "INSERT INTO gh_repos VALUES (?, ?, ?, ?, ?) ON CONFLICT (repo) DO UPDATE SET "
            "full_name = excluded.full_name, "
            "default_branch = coalesce(nullif(excluded.default_branch, ''), gh_repos.default_branch), "
            "source = excluded.source, synced_at = coalesce(excluded.synced_at, gh_repos.synced_at)",
            (slug, full_name, default_branch, source, synced_at),
        )


def default_branch(conn: sqlite3.Connection, slug: str) -> str | None:
    """The repository's default branch as GitHub last reported it (None: unknown)."""
    row = conn.execute("SELECT default_branch FROM gh_repos WHERE repo = ?", (slug,)).fetchone()
    return row[0] or None if row else None


def last_synced_at(conn: sqlite3.Connection, slug: str) -> str | None:
    """When the repository's issues were last synced completely (None: never)."""
    row = conn.execute("SELECT synced_at FROM gh_repos WHERE repo = ?", (slug,)).fetchone()
    return row[0] if row else None


# The sync state a complete export (`sync --from-file --complete`) leaves, dated by the
# file's data: while it is the newest data, the store holds every open issue.
FILE_COMPLETE = "file:complete"


def holds_every_open_issue(conn: sqlite3.Connection, slug: str) -> bool:
    """Whether the newest issue data came from a complete export of the open issues."""
    synced = last_synced_at(conn, slug)
    return synced is not None and get_sync_state(conn, slug, FILE_COMPLETE).last_synced_at == synced


def stored_repos(conn: sqlite3.Connection) -> list[str]:
    """Every repository with data in the store, by name."""
    return [row[0] for row in conn.execute("SELECT repo FROM gh_repos ORDER BY repo")]


def record_checkout(conn: sqlite3.Connection, slug: str, path: str, at: str) -> None:
    """Remember the user's own clone a command mapped `slug` from (`--checkout DIR`)."""
    with _tx(conn):
        conn.execute(
            "INSERT INTO local_checkouts (repo, path, used_at) VALUES (?, ?, ?) "
            "ON CONFLICT(repo) DO UPDATE SET path = excluded.path, used_at = excluded.used_at",
            (slug, path, at),
        )


def last_checkout(conn: sqlite3.Connection, slug: str) -> str | None:
    """The clone `record_checkout` remembered for `slug` (None: none)."""
    row = conn.execute("SELECT path FROM local_checkouts WHERE repo = ?", (slug,)).fetchone()
    return row[0] if row else None


def forget_checkout(conn: sqlite3.Connection, slug: str) -> None:
    with _tx(conn):
        conn.execute("DELETE FROM local_checkouts WHERE repo = ?", (slug,))


def repo_source(conn: sqlite3.Connection, slug: str) -> str | None:
    """ "api" or "file": where the stored issues came from (None: nothing stored)."""
    row = conn.execute("SELECT source FROM gh_repos WHERE repo = ?", (slug,)).fetchone()
    return row[0] if row else None


def get_sync_state(conn: sqlite3.Connection, slug: str, query_key: str) -> SyncState:
    row = conn.execute(
        "SELECT etag, last_synced_at, walk_kind, walk_started_at, cursor_since, cursor_page, "
        "pages_done FROM gh_sync_state WHERE repo = ? AND query_key = ?",
        (slug, query_key),
    ).fetchone()
    if row is None:
        return SyncState(query_key)
    return SyncState(query_key, *row)


def put_sync_state(conn: sqlite3.Connection, slug: str, state: SyncState) -> None:
    with _tx(conn):
        conn.execute(
            "INSERT OR REPLACE INTO gh_sync_state VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                slug, state.query_key, state.etag, state.last_synced_at, state.walk_kind,
                state.walk_started_at, state.cursor_since, state.cursor_page, state.pages_done,
            ),
        )  # fmt: skip


@contextmanager
def page_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One transaction for a page of data plus its cursor (joins an open one)."""
    with _tx(conn):
        yield conn


# ---------------------------------------------------------------------- helpers
@contextmanager
def _tx(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    if conn.in_transaction:
        yield conn
    else:
        with transaction(conn):
            yield conn


def _issue_row(issue: Issue) -> tuple[object, ...]:
    return (
        issue.repo, issue.number, issue.title, issue.body, issue.state,
        json.dumps(issue.labels), json.dumps(issue.assignees), issue.author, issue.comments,
        issue.reactions, issue.created_at, issue.updated_at, issue.closed_at, issue.url,
        issue.state_reason,
    )  # fmt: skip


def _issue_from_row(
    row: Sequence[object], pulls: bool, lists: dict[str, list[str]] | None = None
) -> Issue:
    (repo, number, title, body, state, labels, assignees, author, comments, reactions,
     created, updated, closed, url, reason) = row  # fmt: skip
    decoded = lists if lists is not None else {}
    # Positional, in Issue's field order: 20k issues per warm plan.
    return Issue(
        str(repo), int(number), str(title), str(body),  # type: ignore[call-overload]
        "closed" if state == "closed" else "open", _names(labels, decoded), _names(assignees, decoded),
        str(author), int(comments), int(reactions),  # type: ignore[call-overload]
        str(created), str(updated), None if closed is None else str(closed), str(url),
        pulls, None if reason is None else str(reason),
    )  # fmt: skip


def _names(text: object, decoded: dict[str, list[str]]) -> list[str]:
    """A stored JSON list of names, decoded once per distinct text (a fresh list each time)."""
    key = str(text)
    found = decoded.get(key)
    if found is None:
        found = decoded[key] = json.loads(key)
    return list(found)
