"""The progress store: plan steps, their status, notes and an event log, kept in the data
directory (never the cache) so that rebuilding the cache cannot lose a user's history.

Every write runs in one `BEGIN IMMEDIATE` transaction on a WAL database with a busy
timeout, so two prready processes writing at once both land. Times are ISO 8601 UTC
strings with second precision ("2026-11-21T10:00:00Z"), comparable as text.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from prready import clock
from prready.analysis.progress import PlanCandidate, candidates_from_plan
from prready.errors import UsageError
from prready.models import Plan, PlanStep, ProgressEntry, ProgressEvent, StepStatus
from prready.store.db import connect, transaction

APPLICATION_ID = 0x70727250  # "prrP"
STATUSES = tuple(s.value for s in StepStatus)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS steps (
    repo TEXT NOT NULL COLLATE NOCASE,
    issue_number INTEGER NOT NULL CHECK (issue_number > 0),
    stage INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ({", ".join(repr(s) for s in STATUSES)})),
    title TEXT NOT NULL DEFAULT '',
    pr_url TEXT,
    skills TEXT NOT NULL DEFAULT '[]',
    flag TEXT NOT NULL DEFAULT '',
    replacement INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (repo, issue_number)
);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY,
    repo TEXT NOT NULL COLLATE NOCASE,
    issue_number INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (repo, issue_number, body, created_at)
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    repo TEXT NOT NULL COLLATE NOCASE,
    issue_number INTEGER NOT NULL,
    status TEXT NOT NULL,
    at TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    UNIQUE (repo, issue_number, status, at, detail)
);
CREATE INDEX IF NOT EXISTS events_by_time ON events (at);
CREATE TABLE IF NOT EXISTS plan_options (
    repo TEXT PRIMARY KEY COLLATE NOCASE,
    options TEXT NOT NULL,
    generated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS candidates (
    repo TEXT NOT NULL COLLATE NOCASE,
    issue_number INTEGER NOT NULL,
    stage INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    skills TEXT NOT NULL DEFAULT '[]',
    rank INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (repo, issue_number)
)
"""

STEP_COLUMNS = (
    "repo, issue_number, stage, status, title, pr_url, skills, flag, replacement, "
    "created_at, updated_at"
)


def open_progress(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the progress store at `path` (normally Paths.progress_db)."""
    return connect(path, application_id=APPLICATION_ID, schema=SCHEMA, kind="progress")


def timestamp(now: datetime | str) -> str:
    """`now` as the store's ISO 8601 UTC text; naive datetimes are taken as UTC."""
    return clock.iso(clock.parse_iso(now) if isinstance(now, str) else now)


def record_plan(conn: sqlite3.Connection, plan: Plan, now: datetime | str) -> list[ProgressEvent]:
    """Store a new plan's steps: new issues become planned, touched steps keep their status,
    untouched steps the plan no longer holds become replaced. Returns the events written."""
    at = timestamp(now)
    repo = plan.repo
    events: list[ProgressEvent] = []
    with transaction(conn):
        existing = {row[1]: row for row in _select_steps(conn, repo)}
        for stage in plan.stages:
            for step in stage.steps:
                row = existing.pop(step.issue.number, None)
                events += _record_step(conn, repo, stage.number, step, row, at)
        for number, row in existing.items():
            if row[3] == StepStatus.PLANNED.value:
                _update(conn, repo, number, status=StepStatus.REPLACED.value, updated_at=at)
                why = f": {row[7]}" if row[7] else ""
                detail = f"replaced by the new plan{why}"
                events.append(_event(conn, repo, number, StepStatus.REPLACED, at, detail))
        conn.execute(
            "INSERT INTO plan_options (repo, options, generated_at) VALUES (?,?,?) "
            "ON CONFLICT(repo) DO UPDATE SET options=excluded.options, "
            "generated_at=excluded.generated_at",
            (repo, json.dumps(plan.options, sort_keys=True, default=str), at),
        )
        conn.execute("DELETE FROM candidates WHERE repo=?", (repo,))
        conn.executemany(
            "INSERT INTO candidates (repo, issue_number, stage, title, skills, rank) "
            "VALUES (?,?,?,?,?,?)",
            [
                (repo, c.number, c.stage, c.title, json.dumps(list(c.skills)), c.rank)
                for c in candidates_from_plan(plan)
            ],
        )
    return events


def set_status(
    conn: sqlite3.Connection,
    repo: str,
    number: int,
    status: StepStatus,
    *,
    now: datetime | str,
    pr_url: str | None = None,
    note: str | None = None,
    detail: str | None = None,
    stage: int | None = None,
    title: str | None = None,
) -> ProgressEntry:
    """Set a step's status, log an event and keep `note` with the step. An untracked issue
    becomes a step of the stage the last plan gave it (0 if none). Returns the stored step."""
    status = StepStatus(status)
    at = timestamp(now)
    with transaction(conn):
        row = conn.execute(
            "SELECT created_at FROM steps WHERE repo=? AND issue_number=?", (repo, number)
        ).fetchone()
        if row is None:
            # An issue the last plan considered keeps that plan's stage, title and skills.
            known = conn.execute(
                "SELECT stage, title, skills FROM candidates WHERE repo=? AND issue_number=?",
                (repo, number),
            ).fetchone() or (0, "", "[]")
            first_stage = known[0] if stage is None else stage
            _insert_step(
                conn, repo, number, first_stage, status, at, title or known[1], known[2], pr_url
            )
        else:
            conn.execute(
                "UPDATE steps SET status=?, pr_url=COALESCE(?, pr_url), "
                "stage=COALESCE(?, stage), title=COALESCE(?, title), updated_at=? "
                "WHERE repo=? AND issue_number=?",
                (status.value, pr_url, stage, title, at, repo, number),
            )
        if note:
            _insert_note(conn, repo, number, note, at)
        _event(conn, repo, number, status, at, _join(detail, pr_url, note))
    return _load_one(conn, repo, number)


def add_note(
    conn: sqlite3.Connection, repo: str, number: int, text: str, *, now: datetime | str
) -> None:
    """Keep a note with a tracked step (UsageError if the issue is not tracked)."""
    at = timestamp(now)
    with transaction(conn):
        row = conn.execute(
            "SELECT status FROM steps WHERE repo=? AND issue_number=?", (repo, number)
        ).fetchone()
        if row is None:
            raise UsageError(
                f"{repo}#{number} is not tracked yet: run `prready track "
                f"{repo}#{number} start` first"
            )
        _insert_note(conn, repo, number, text, at)


def set_flag(
    conn: sqlite3.Connection,
    repo: str,
    number: int,
    flag: str,
    replacement: int | None,
    *,
    now: datetime | str,
) -> bool:
    """Mark a step's issue as unavailable (or clear the mark with flag="").
    Logs an event only when something changed; returns whether it did."""
    at = timestamp(now)
    with transaction(conn):
        row = conn.execute(
            "SELECT status, flag, replacement FROM steps WHERE repo=? AND issue_number=?",
            (repo, number),
        ).fetchone()
        if row is None or (row[1], row[2]) == (flag, replacement):
            return False
        conn.execute(
            "UPDATE steps SET flag=?, replacement=?, updated_at=? WHERE repo=? AND issue_number=?",
            (flag, replacement, at, repo, number),
        )
        if flag:
            alt = f"; suggested replacement #{replacement}" if replacement else ""
            detail = f"flagged: {flag}{alt}"
        else:
            detail = "available again"
        _event(conn, repo, number, StepStatus(row[0]), at, detail)
    return True


def load_progress(conn: sqlite3.Connection, repo: str | None = None) -> list[ProgressEntry]:
    """All tracked steps (of one repository if given), by repo, stage, then creation."""
    notes: dict[tuple[str, int], list[str]] = {}
    query = "SELECT repo, issue_number, body FROM notes"
    args: tuple[Any, ...] = ()
    if repo is not None:
        query += " WHERE repo=?"
        args = (repo,)
    for note_repo, number, body in conn.execute(query + " ORDER BY created_at, id", args):
        notes.setdefault((note_repo.lower(), number), []).append(body)
    return [
        _entry(row, notes.get((row[0].lower(), row[1]), [])) for row in _select_steps(conn, repo)
    ]


def load_events(
    conn: sqlite3.Connection, repo: str | None = None, limit: int = 50
) -> list[ProgressEvent]:
    """The event log, newest first (a short timeline for status and the HTML page)."""
    where, args = ("WHERE repo=?", [repo]) if repo is not None else ("", [])
    rows = conn.execute(
        f"SELECT repo, issue_number, status, at, detail FROM events {where} "
        "ORDER BY at DESC, id DESC LIMIT ?",
        (*args, max(0, limit)),
    )
    return [ProgressEvent(r[0], r[1], StepStatus(r[2]), r[3], r[4]) for r in rows]


def load_candidates(conn: sqlite3.Connection, repo: str) -> list[PlanCandidate]:
    """The last plan's steps and candidates, for suggesting replacements without re-planning."""
    rows = conn.execute(
        "SELECT issue_number, stage, title, skills, rank FROM candidates WHERE repo=? "
        "ORDER BY rank, issue_number",
        (repo,),
    )
    return [PlanCandidate(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4]) for r in rows]


def _record_step(
    conn: sqlite3.Connection,
    repo: str,
    stage: int,
    step: PlanStep,
    row: tuple[Any, ...] | None,
    at: str,
) -> list[ProgressEvent]:
    """Add or refresh one plan step; a touched step keeps its stage and status."""
    number = step.issue.number
    skills = json.dumps(list(step.fit.required))
    if row is None:
        _insert_step(conn, repo, number, stage, StepStatus.PLANNED, at, step.issue.title, skills)
        return [_event(conn, repo, number, StepStatus.PLANNED, at, f"added to stage {stage}")]
    if row[3] == StepStatus.REPLACED.value:
        _update(conn, repo, number, status=StepStatus.PLANNED.value, updated_at=at)
        detail = f"back in stage {stage} of the plan"
        event = [_event(conn, repo, number, StepStatus.PLANNED, at, detail)]
        row = (*row[:3], StepStatus.PLANNED.value, *row[4:])
    else:
        event = []
    if row[3] == StepStatus.PLANNED.value:
        _update(conn, repo, number, stage=stage)
    _update(conn, repo, number, title=step.issue.title, skills=skills)
    return event


def _insert_step(
    conn: sqlite3.Connection,
    repo: str,
    number: int,
    stage: int,
    status: StepStatus,
    at: str,
    title: str = "",
    skills: str = "[]",
    pr_url: str | None = None,
) -> None:
    conn.execute(
        f"INSERT INTO steps ({STEP_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (repo, number, stage, status.value, title, pr_url, skills, "", None, at, at),
    )


def _update(conn: sqlite3.Connection, repo: str, number: int, **values: Any) -> None:
    """UPDATE one step; keys are trusted column names from this module, values are bound."""
    sets = ", ".join(f"{key}=?" for key in values)
    conn.execute(
        f"UPDATE steps SET {sets} WHERE repo=? AND issue_number=?",
        (*values.values(), repo, number),
    )


def _select_steps(conn: sqlite3.Connection, repo: str | None) -> list[tuple[Any, ...]]:
    where, args = ("WHERE repo=?", (repo,)) if repo is not None else ("", ())
    return conn.execute(
        f"SELECT {STEP_COLUMNS} FROM steps {where} "
        "ORDER BY lower(repo), stage = 0, stage, created_at, issue_number",
        args,
    ).fetchall()


def _load_one(conn: sqlite3.Connection, repo: str, number: int) -> ProgressEntry:
    for entry in load_progress(conn, repo):
        if entry.issue_number == number:
            return entry
    raise LookupError(f"{repo}#{number} vanished from the progress store")


def _entry(row: tuple[Any, ...], notes: list[str]) -> ProgressEntry:
    return ProgressEntry(
        repo=row[0],
        issue_number=row[1],
        stage=row[2],
        status=StepStatus(row[3]),
        title=row[4],
        pr_url=row[5],
        skills=list(json.loads(row[6])),
        flag=row[7],
        replacement=row[8],
        created_at=row[9],
        updated_at=row[10],
        notes=notes,
    )


def _event(
    conn: sqlite3.Connection, repo: str, number: int, status: StepStatus, at: str, detail: str
) -> ProgressEvent:
    conn.execute(
        "INSERT OR IGNORE INTO events (repo, issue_number, status, at, detail) VALUES (?,?,?,?,?)",
        (repo, number, status.value, at, detail),
    )
    return ProgressEvent(repo, number, status, at, detail)


def _insert_note(conn: sqlite3.Connection, repo: str, number: int, body: str, at: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO notes (repo, issue_number, body, created_at) VALUES (?,?,?,?)",
        (repo, number, body, at),
    )


def _join(*parts: str | None) -> str:
    return "; ".join(p for p in parts if p)
