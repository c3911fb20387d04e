"""`prready track` and the GitHub side of tracking: record what the user did, move progress
between machines, and bring tracked steps up to date with their pull requests on GitHub.

Entry points: `track_issue`, `export_all`, `import_from` (the CLI), and
`sync_tracked(ws, slug)` for `prready sync` and `prready plan`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from prready.analysis.progress import suggest_replacement, unavailable_reason
from prready.app.inputs import canonical_repo
from prready.app.workspace import Workspace
from prready.errors import NotFoundError, UsageError
from prready.models import Comment, CrossReference, Issue, ProgressEntry, ProgressEvent, StepStatus
from prready.reports import ProgressExport, TrackedIssue, TrackingUpdate
from prready.slug import looks_like_pull_url, mentioned_issues, parse_issue_ref, repo_of_pull_url
from prready.store.progress_store import (
    add_note,
    load_candidates,
    load_progress,
    set_flag,
    set_status,
    timestamp,
)
from prready.store.progress_transfer import ImportSummary, export_progress, import_progress
from prready.text import safe_line

ACTIONS = {
    "start": StepStatus.STARTED,
    "pr": StepStatus.PR_OPEN,
    "done": StepStatus.MERGED,
    "drop": StepStatus.DROPPED,
}
MAX_NOTE = 2000
MAX_IMPORT_BYTES = 50 * 1024 * 1024
_SYNCED = (StepStatus.PLANNED, StepStatus.STARTED, StepStatus.PR_OPEN)


class TrackingClient(Protocol):
    """What tracking needs from `prready.sources.github_api.GitHubClient`."""

    def fetch_issue(self, slug: str, number: int) -> Issue: ...
    def fetch_comments(self, slug: str, number: int) -> list[Comment]: ...
    def fetch_timeline(self, slug: str, number: int) -> list[CrossReference]: ...
    def fetch_pull(self, slug: str, number: int) -> dict[str, Any]: ...
    def search_issues(self, query: str) -> list[Issue]: ...
    def authenticated_login(self) -> str | None: ...


@dataclass(frozen=True)
class _Pull:
    url: str
    state: Literal["merged", "open", "closed"]

    @property
    def rank(self) -> int:
        return {"merged": 0, "open": 1, "closed": 2}[self.state]


def track_issue(
    ws: Workspace,
    ref: str,
    action: str,
    *,
    url: str | None = None,
    note: str | None = None,
    force: bool = False,
) -> TrackedIssue:
    """Record that the user started, opened a PR for, finished or dropped an issue.

    The issue must exist: tracked or planned already, in the issue store, or (with
    the workspace online) on GitHub. A pull request URL must belong to the same
    repository. Moving a done step back needs `force`, which also tracks an issue that
    cannot be checked. Starting an issue a plan would set aside (a tracking issue, a
    question, one someone is on or has fixed) is recorded, with the reason as a warning."""
    if looks_like_pull_url(ref):
        raise UsageError(
            f"{safe_line(ref, 80)!r} is a pull request, not an issue: give the issue it fixes as "
            "OWNER/REPO#N, then `prready track OWNER/REPO#N pr URL`"
        )
    slug, number = parse_issue_ref(ref)
    slug = canonical_repo(slug, ws.paths)
    if action not in ACTIONS:
        raise UsageError(f"unknown action {action!r}: use one of {', '.join(ACTIONS)}")
    if action == "pr":
        url = check_pr_url(url, slug)
    elif url:
        raise UsageError(f"`{action}` takes no URL; only `pr URL` does")
    if note is not None:
        note = note.strip()
        if not note or len(note) > MAX_NOTE:
            raise UsageError(f"a note must be 1 to {MAX_NOTE} characters")
    current = {e.issue_number: e for e in load_progress(ws.progress_store, slug)}.get(number)
    if current is None and not force:
        _check_issue_exists(ws, slug, number)
    if (
        current is not None
        and current.status == StepStatus.MERGED
        and ACTIONS[action] != StepStatus.MERGED
        and not force
    ):
        raise UsageError(
            f"{slug}#{number} is done (merged); moving it back to {ACTIONS[action].value}",
            advice="force",
        )
    entry = set_status(
        ws.progress_store, slug, number, ACTIONS[action], now=ws.now, pr_url=url, note=note
    )
    warnings = pick_warnings(ws, slug, number) if ACTIONS[action] == StepStatus.STARTED else []
    return TrackedIssue(entry, warnings)


def pick_warnings(ws: Workspace, slug: str, number: int) -> list[str]:
    """Why the stored issue #number is no step a plan would give: its kind (tracking,
    question, RFC, awaiting a reproduction) and its last taken status (someone is on it,
    or it is fixed). None for an issue that is not stored."""
    from prready.analysis.kinds import classify_issue, set_aside_reason
    from prready.analysis.labels import complete_labels
    from prready.store import issues_store

    issue = _stored_issue(ws, slug, number)
    if issue is None:
        return []
    conn = ws.cache
    labels = complete_labels(
        issues_store.load_labels(conn, slug), issue.labels, ws.config.labels, slug
    )
    out = []
    reason = set_aside_reason(classify_issue(issue, labels))
    if reason is not None:
        out.append(f"a plan sets it aside: {reason[1]}")
    stored = issues_store.load_taken(conn, slug).get(number)
    if stored is not None and stored[0].taken and stored[0].evidence:
        what = {
            "done": "it may be fixed already",
            "declined": "the maintainers may not want it changed",
            "obsolete": "the code it is about may be gone",
        }.get(stored[0].state, "someone may be on it")
        out.append(f"{what} (as of {stored[1][:10]}): {stored[0].evidence[0]}")
    return out


def check_pr_url(url: str | None, slug: str | None = None) -> str:
    """A pull request URL (https://HOST/OWNER/REPO/pull/N) of `slug` if given, stripped;
    UsageError otherwise."""
    text = (url or "").strip()
    if not text:
        raise UsageError("`pr` needs the pull request's URL, e.g. https://github.com/o/r/pull/1")
    found = repo_of_pull_url(text)
    if found is None:
        raise UsageError(
            f"{safe_line(text, 80)!r} is not a pull request URL like https://github.com/o/r/pull/1"
        )
    if slug is not None and found.lower() != slug.lower():
        raise UsageError(
            f"{safe_line(text, 80)!r} is a pull request of {safe_line(found, 80)!r}, not of {slug}: "
            "give the pull request that fixes this issue"
        )
    return text


def _check_issue_exists(ws: Workspace, slug: str, number: int) -> None:
    """UsageError unless #number is an issue of slug: in the store, else on GitHub."""
    stored = _stored_issue(ws, slug, number)
    if stored is None and not ws.offline:
        try:
            stored = ws.client().fetch_issue(slug, number)
        except NotFoundError:
            raise UsageError(
                f"GitHub has no issue #{number} in {slug}: check the number",
                advice="force_anyway",
            ) from None
    if stored is None:
        raise UsageError(
            f"{slug}#{number} is not in the local store (offline): run `prready sync {slug}` first",
            advice="or_force",
        )
    if stored.is_pull_request:
        raise UsageError(
            f"{slug}#{number} is a pull request, not an issue: track the issue it fixes and "
            f"give the pull request with `pr`"
        )


def _stored_issue(ws: Workspace, slug: str, number: int) -> Issue | None:
    if not ws.paths.cache_db.exists():
        return None  # nothing synced: no cache file is created just to look
    from prready.store import issues_store

    return issues_store.load_issue(ws.cache, slug, number)


def export_all(ws: Workspace) -> ProgressExport:
    """All progress, as the export document (render turns it into JSON)."""
    return ProgressExport(export_progress(ws.progress_store, ws.now))


def import_from(ws: Workspace, path: Path) -> ImportSummary:
    """Merge an export file into the progress store (newer local state always wins)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise UsageError(f"{path} is larger than {MAX_IMPORT_BYTES // 2**20} MB")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not a JSON progress export: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    return import_text(ws, text, str(path))


def import_text(ws: Workspace, text: str, source: str) -> ImportSummary:
    """Merge an export (already read, e.g. from standard input) into the progress store."""
    if len(text) > MAX_IMPORT_BYTES:
        raise UsageError(f"{source} is larger than {MAX_IMPORT_BYTES // 2**20} MB")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{source} is not a JSON progress export: {exc}") from None
    except RecursionError:
        raise UsageError(f"{source} is nested too deeply to be a progress export") from None
    return import_progress(ws.progress_store, data)


def sync_tracked(ws: Workspace, slug: str) -> TrackingUpdate:
    """Bring the tracked steps of `slug` up to date with GitHub, through the workspace's
    client, in its progress store, as of its clock.

    The user's pull requests that reference a tracked issue (timeline cross-references,
    plus a search `is:pr author:LOGIN repo:SLUG`) set pr-open or merged; a pull request
    closed unmerged leaves the step started with a note. Issues that were closed or taken
    by someone else are flagged with a suggested replacement of the same stage and skills.
    Network calls happen outside transactions; each change is its own short write.
    """
    client, conn, now = ws.client(), ws.progress_store, ws.now
    login = client.authenticated_login()
    entries = [e for e in load_progress(conn, slug) if e.status in _SYNCED]
    result = TrackingUpdate(login=login, checked=len(entries))
    if not entries:
        return result
    tracked = {e.issue_number for e in load_progress(conn, slug)}
    refs = {e.issue_number: _timeline(slug, client, e.issue_number) for e in entries}
    pulls = _user_pulls(slug, client, login, refs, {e.issue_number for e in entries})
    busy: set[int] = set()
    for entry in entries:
        pull = pulls.get(entry.issue_number)
        if pull is not None:
            event = _apply_pull(conn, entry, pull, now)
            if event is not None:
                result.events.append(event)
            if pull.state != "closed":
                continue
        if entry.status == StepStatus.PR_OPEN:
            continue
        reason = _availability(ws, slug, entry.issue_number, refs[entry.issue_number], login)
        if reason:
            busy.add(entry.issue_number)
            replacement = _find_replacement(ws, slug, entry, tracked | busy, login)
            result.flagged[entry.issue_number] = reason
            if replacement is not None:
                result.replacements[entry.issue_number] = replacement
            set_flag(conn, slug, entry.issue_number, reason, replacement, now=now)
        elif entry.flag:
            set_flag(conn, slug, entry.issue_number, "", None, now=now)
            result.cleared.append(entry.issue_number)
    return result


def _user_pulls(
    slug: str,
    client: TrackingClient,
    login: str | None,
    refs: dict[int, list[CrossReference]],
    wanted: set[int],
) -> dict[int, _Pull]:
    """The user's best pull request per tracked issue: merged, else open, else closed."""
    if not login:
        return {}
    found: dict[int, _Pull] = {}

    def offer(number: int, pull: _Pull) -> None:
        if number in wanted and (number not in found or pull.rank < found[number].rank):
            found[number] = pull

    for number, crossrefs in refs.items():
        for ref in crossrefs:
            same_repo = not ref.repo or ref.repo.lower() == slug.lower()
            if same_repo and ref.author.lower() == login.lower():
                state = "merged" if ref.merged else ref.pr_state
                offer(number, _Pull(ref.pr_url, state))
    for pr in client.search_issues(f"is:pr author:{login} repo:{slug}"):
        if not pr.is_pull_request or pr.author.lower() != login.lower():
            continue
        mentioned = mentioned_issues(slug, f"{pr.title}\n{pr.body}") & wanted
        if not mentioned:
            continue
        url, state = pr.url, "open"
        if pr.state == "closed":
            raw = client.fetch_pull(slug, pr.number)
            state = "merged" if raw.get("merged") or raw.get("merged_at") else "closed"
            html_url = raw.get("html_url")
            url = html_url if isinstance(html_url, str) and html_url else url
        for number in mentioned:
            offer(number, _Pull(url, state))
    return found


def _apply_pull(
    conn: sqlite3.Connection, entry: ProgressEntry, pull: _Pull, now: datetime
) -> ProgressEvent | None:
    """Move a step along for the user's pull request; never moves a step backwards. A
    pull request closed unmerged takes the step back to started, with a note saying so."""
    repo, number = entry.repo, entry.issue_number
    closed = pull.state == "closed"
    note = f"pull request {pull.url} was closed without merging" if closed else None
    if pull.state == "merged" and entry.status != StepStatus.MERGED:
        status, how = StepStatus.MERGED, "merged"
    elif pull.state == "open" and entry.status in (StepStatus.PLANNED, StepStatus.STARTED):
        status, how = StepStatus.PR_OPEN, "opened"
    elif closed and entry.status != StepStatus.STARTED:
        status, how = StepStatus.STARTED, "closed unmerged"
    else:
        if note is not None and note not in entry.notes:
            add_note(conn, repo, number, note, now=now)
        return None
    set_status(
        conn,
        repo,
        number,
        status,
        now=now,
        pr_url=None if closed else pull.url,
        note=note,
        detail=f"pull request {how} (GitHub)",
    )
    return ProgressEvent(repo, number, status, timestamp(now), note or pull.url)


def _timeline(slug: str, client: TrackingClient, number: int) -> list[CrossReference]:
    """The issue's cross-references; none for an issue GitHub no longer has (deleted or
    transferred), which `_availability` then flags instead of the whole update failing."""
    try:
        return client.fetch_timeline(slug, number)
    except NotFoundError:
        return []


def _availability(
    ws: Workspace, slug: str, number: int, refs: list[CrossReference], login: str | None
) -> str:
    """Why the issue can no longer be worked on by the user, "" if it still can."""
    from prready.analysis.taken import detect_taken

    client = ws.client()
    try:
        issue = client.fetch_issue(slug, number)
    except NotFoundError:
        return "no longer on GitHub"
    if issue.state == "closed":
        return unavailable_reason(issue, None)
    # No comment to read on an issue that has none: one request fewer per step.
    comments = client.fetch_comments(slug, number) if issue.comments else []
    taken = detect_taken(
        issue, comments, refs, ws.now, claim_days=ws.config.claim_days, user_login=login
    )
    return unavailable_reason(issue, taken)


def _find_replacement(
    ws: Workspace,
    slug: str,
    entry: ProgressEntry,
    exclude: set[int],
    login: str | None,
    tries: int = 3,
) -> int | None:
    """A still-available candidate of the same stage and skills from the last plan."""
    candidates = load_candidates(ws.progress_store, slug)
    skip = set(exclude)
    for _ in range(tries):
        cand = suggest_replacement(entry.stage, entry.skills, candidates, skip)
        if cand is None:
            return None
        refs = ws.client().fetch_timeline(slug, cand.number)
        if not _availability(ws, slug, cand.number, refs, login):
            return cand.number
        skip.add(cand.number)
    return None
