"""Moving progress between machines: export the progress store as versioned JSON data,
and import it back as a merge that never loses newer local state."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from prready.errors import UsageError
from prready.reports import ImportSummary
from prready.slug import parse_slug
from prready.store.db import transaction
from prready.store.progress_store import STATUSES, STEP_COLUMNS, load_progress, timestamp
from prready.validation import MAX_ISSUE_NUMBER, clean_text, too_deep, valid_issue_number

EXPORT_FORMAT = "prready-progress"
EXPORT_VERSION = 1
_MAX_TEXT = 20_000


def export_progress(conn: sqlite3.Connection, now: datetime | str | None = None) -> dict[str, Any]:
    """Everything the progress store holds as versioned, JSON-ready data."""
    entries = load_progress(conn)
    note_rows = conn.execute(
        "SELECT repo, issue_number, body, created_at FROM notes ORDER BY created_at, id"
    ).fetchall()
    notes: dict[tuple[str, int], list[dict[str, str]]] = {}
    for repo, number, body, created in note_rows:
        notes.setdefault((repo.lower(), number), []).append({"body": body, "created_at": created})
    events = conn.execute(
        "SELECT repo, issue_number, status, at, detail FROM events ORDER BY at, id"
    ).fetchall()
    plans = conn.execute(
        "SELECT repo, options, generated_at FROM plan_options ORDER BY lower(repo)"
    ).fetchall()
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": timestamp(now) if now is not None else None,
        "steps": [
            {
                "repo": e.repo,
                "issue_number": e.issue_number,
                "stage": e.stage,
                "status": e.status.value,
                "title": e.title,
                "pr_url": e.pr_url,
                "skills": e.skills,
                "flag": e.flag,
                "replacement": e.replacement,
                "created_at": e.created_at,
                "updated_at": e.updated_at,
                "notes": notes.get((e.repo.lower(), e.issue_number), []),
            }
            for e in entries
        ],
        "events": [
            {"repo": r, "issue_number": n, "status": st, "at": at, "detail": d}
            for r, n, st, at, d in events
        ],
        "plans": [{"repo": r, "options": json.loads(o), "generated_at": g} for r, o, g in plans],
    }


def import_progress(conn: sqlite3.Connection, data: Any) -> ImportSummary:
    """Merge an export into this store without losing newer local state.

    A step is taken from the file only when the file's `updated_at` is newer than the
    local one (ties keep local); notes and events are unions; a plan's options are taken
    when newer. The whole file is validated first: a bad shape is one UsageError line and
    nothing is written.
    """
    steps, events, plans = _validate_export(data)
    summary = ImportSummary()
    with transaction(conn):
        for step in steps:
            local = conn.execute(
                "SELECT created_at, updated_at FROM steps WHERE repo=? AND issue_number=?",
                (step["repo"], step["issue_number"]),
            ).fetchone()
            values = (
                step["stage"],
                step["status"],
                step["title"],
                step["pr_url"],
                json.dumps(step["skills"]),
                step["flag"],
                step["replacement"],
            )
            if local is None:
                conn.execute(
                    f"INSERT INTO steps ({STEP_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        step["repo"],
                        step["issue_number"],
                        *values,
                        step["created_at"],
                        step["updated_at"],
                    ),
                )
                summary.added += 1
            elif step["updated_at"] > local[1]:
                conn.execute(
                    "UPDATE steps SET stage=?, status=?, title=?, pr_url=?, skills=?, flag=?, "
                    "replacement=?, created_at=?, updated_at=? WHERE repo=? AND issue_number=?",
                    (
                        *values,
                        min(local[0], step["created_at"]),
                        step["updated_at"],
                        step["repo"],
                        step["issue_number"],
                    ),
                )
                summary.updated += 1
            else:
                summary.kept += 1
            for note in step["notes"]:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO notes (repo, issue_number, body, created_at) "
                    "VALUES (?,?,?,?)",
                    (step["repo"], step["issue_number"], note["body"], note["created_at"]),
                )
                summary.notes += cur.rowcount
        for ev in events:
            cur = conn.execute(
                "INSERT OR IGNORE INTO events (repo, issue_number, status, at, detail) "
                "VALUES (?,?,?,?,?)",
                (ev["repo"], ev["issue_number"], ev["status"], ev["at"], ev["detail"]),
            )
            summary.events += cur.rowcount
        for plan in plans:
            conn.execute(
                "INSERT INTO plan_options (repo, options, generated_at) VALUES (?,?,?) "
                "ON CONFLICT(repo) DO UPDATE SET options=excluded.options, "
                "generated_at=excluded.generated_at WHERE excluded.generated_at > generated_at",
                (plan["repo"], json.dumps(plan["options"], sort_keys=True), plan["generated_at"]),
            )
    return summary


def _validate_export(
    data: Any,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Check and normalise an export; UsageError naming the first bad field."""
    if too_deep(data):
        raise UsageError("progress export: nested too deeply to be a prready export")
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise UsageError(f'not a prready progress export (expected "format": "{EXPORT_FORMAT}")')
    version = data.get("version")
    if version != EXPORT_VERSION:
        raise UsageError(
            f"progress export version {version!r} is not supported (this prready reads "
            f"version {EXPORT_VERSION}); upgrade prready"
        )
    steps = [_check_step(s, f"steps[{i}]") for i, s in enumerate(_list(data, "steps", "export"))]
    events = [
        _check_event(e, f"events[{i}]") for i, e in enumerate(_list(data, "events", "export"))
    ]
    plans = []
    for i, p in enumerate(_list(data, "plans", "export")):
        where = f"plans[{i}]"
        options = _field(p, "options", dict, where)
        plans.append(
            {
                "repo": _repo(p, where),
                "options": options,
                "generated_at": _time(p, "generated_at", where),
            }
        )
    return steps, events, plans


def _check_step(raw: Any, where: str) -> dict[str, Any]:
    stage = _field(raw, "stage", int, where)
    if not 0 <= stage <= 9:
        raise UsageError(f"progress export: {where}.stage must be 0-9, not {stage}")
    replacement = raw.get("replacement") if isinstance(raw, dict) else None
    if replacement is not None and valid_issue_number(replacement) is None:
        raise UsageError(f"progress export: {where}.replacement must be an issue number or null")
    skills = _field(raw, "skills", list, where, default=[])
    if not all(isinstance(s, str) and len(s) < 200 for s in skills):
        raise UsageError(f"progress export: {where}.skills must be a list of short strings")
    skills = [clean_text(s) for s in skills]
    pr_url = raw.get("pr_url")
    if pr_url is not None and not (
        isinstance(pr_url, str) and pr_url.startswith(("https://", "http://"))
    ):
        raise UsageError(f"progress export: {where}.pr_url must be an http(s) URL or null")
    if pr_url is not None:
        pr_url = clean_text(pr_url)
    notes = []
    for i, n in enumerate(_field(raw, "notes", list, where, default=[])):
        nwhere = f"{where}.notes[{i}]"
        notes.append(
            {"body": _text(n, "body", nwhere), "created_at": _time(n, "created_at", nwhere)}
        )
    return {
        "repo": _repo(raw, where),
        "issue_number": _number(raw, where),
        "stage": stage,
        "status": _status(raw, "status", where),
        "title": _text(raw, "title", where, ""),
        "pr_url": pr_url,
        "skills": skills,
        "flag": _text(raw, "flag", where, ""),
        "replacement": replacement,
        "created_at": _time(raw, "created_at", where),
        "updated_at": _time(raw, "updated_at", where),
        "notes": notes,
    }


def _check_event(raw: Any, where: str) -> dict[str, Any]:
    return {
        "repo": _repo(raw, where),
        "issue_number": _number(raw, where),
        "status": _status(raw, "status", where),
        "at": _time(raw, "at", where),
        "detail": _text(raw, "detail", where, ""),
    }


def _list(data: dict[str, Any], key: str, where: str) -> list[Any]:
    return list(_field(data, key, list, where, default=[]))


def _field(raw: Any, key: str, kind: type, where: str, default: Any = None) -> Any:
    if not isinstance(raw, dict):
        raise UsageError(f"progress export: {where} must be an object")
    value = raw.get(key, default)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise UsageError(f"progress export: {where}.{key} must be a {kind.__name__}")
    return value


def _text(raw: Any, key: str, where: str, default: str | None = None) -> str:
    value = _field(raw, key, str, where, default)
    if len(value) > _MAX_TEXT:
        raise UsageError(f"progress export: {where}.{key} is longer than {_MAX_TEXT} characters")
    return clean_text(str(value))


def _number(raw: Any, where: str) -> int:
    number = _field(raw, "issue_number", int, where)
    if valid_issue_number(number) is None:
        raise UsageError(
            f"progress export: {where}.issue_number must be 1..{MAX_ISSUE_NUMBER}, "
            f"not {str(number)[:30]}"
        )
    return int(number)


def _repo(raw: Any, where: str) -> str:
    text = _field(raw, "repo", str, where)
    try:
        return parse_slug(text)
    except UsageError as exc:
        raise UsageError(f"progress export: {where}.repo: {exc}") from None


def _status(raw: Any, key: str, where: str) -> str:
    value = _field(raw, key, str, where)
    if value not in STATUSES:
        raise UsageError(f"progress export: {where}.{key} must be one of {', '.join(STATUSES)}")
    return str(value)


def _time(raw: Any, key: str, where: str) -> str:
    value = _field(raw, key, str, where)
    try:
        return timestamp(value)
    except ValueError:
        raise UsageError(f"progress export: {where}.{key} is not an ISO 8601 time") from None
