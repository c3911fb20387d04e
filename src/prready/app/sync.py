"""`prready sync`: mine a repository's issues into the cache DB, cheaply and resumably.

Per label query (GitHub ANDs the `labels` filter, so one query per label, merged):
- a first sync walks the open issues by `updated` ascending with a keyset cursor
  (`since` = last seen `updated_at`), so issues that change or close mid-walk never shift
  unseen ones past the cursor; each page and its cursor are written in one transaction,
  so an interrupted walk resumes where it stopped;
- every later sync asks for a probe page that never changes its URL (state=all, sorted by
  `updated` descending) with `If-None-Match`: unchanged means a free 304; changed means
  its first page usually holds every change (closures included), else a keyset catch-up
  walk from the last sync minus a safety margin.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from prready import clock
from prready.analysis.labels import (
    classify_labels,
    complete_labels,
    default_scope,
    validate_overrides,
)
from prready.analysis.taken import detect_taken
from prready.app.issues import did_you_mean
from prready.app.track import TrackingUpdate, sync_tracked
from prready.app.workspace import Workspace
from prready.config import token_advice
from prready.errors import InputError, NotFoundError, OfflineError, UsageError
from prready.models import GONE_FROM_GITHUB, Issue, Label, LabelKind, TakenStatus
from prready.render.advice import advice_text, wider_sync_text
from prready.reports import LabelRow, SyncReport
from prready.sources.github_api import GitHubClient, Page
from prready.sources.issue_file import read_issue_file
from prready.store import issues_store as store
from prready.store.issues_store import FILE_COMPLETE, SaveCounts, SyncState

SAFETY_MARGIN = timedelta(minutes=10)
ALL_OPEN_KEY = "all-open"
LABELS_KEY = "labels"
REPO_KEY = "repo"
DETAILS_MAX_AGE = timedelta(hours=12)
_MAX_ROUNDS = 3


@dataclass(frozen=True)
class IssueFile:
    """An export of a repository's issues to sync from instead of the API.

    Its data is as old as the export: `exported_at`, else its newest `updatedAt`. A
    `complete` export holds every open issue, so stored open issues missing from it (and
    created before the export) are closed."""

    path: Path
    exported_at: str | None = None
    complete: bool = False


@dataclass(frozen=True)
class SyncScope:
    """Which issues a sync brings: from the API, every open issue (`all_open`) or the
    default labels plus `module_labels`; or, with `from_file`, that export's."""

    all_open: bool = False
    module_labels: tuple[str, ...] = ()
    from_file: IssueFile | None = None

    @property
    def wider(self) -> bool:
        """Asked for more than the default labels."""
        return self.all_open or bool(self.module_labels)


def sync_repo(ws: Workspace, slug: str, scope: SyncScope = SyncScope()) -> SyncReport:
    """Bring the stored issues of `slug` up to date: from the API, from `scope`'s file, or
    offline from the store as it is."""
    validate_overrides(ws.config.labels)
    if scope.from_file is not None:
        return _sync_from_file(ws, slug, scope.from_file)
    if ws.offline:
        return _offline_report(ws, slug)
    return _sync_api(ws, slug, scope)


def refresh_taken(
    ws: Workspace,
    slug: str,
    numbers: Sequence[int],
    *,
    fetch: bool = True,
    user_login: str | None = None,
    max_age: timedelta = DETAILS_MAX_AGE,
) -> dict[int, TakenStatus]:
    """Taken status of plan candidates only: refetch each issue, its comments and timeline
    (skipped when fetched within `max_age` and unchanged since; never with `fetch` False
    or offline), store and judge them."""
    moment = ws.now  # aware: the workspace's clock
    conn = ws.cache
    progress = ws.progress
    client = ws.client() if fetch and not ws.offline else None
    if client is not None and user_login is None and client.authenticated:
        user_login = client.authenticated_login()
    fetched = store.load_taken(conn, slug)
    result: dict[int, TakenStatus] = {}
    for done, number in enumerate(numbers):
        if progress is not None:
            progress("checking who is on each issue", done, len(numbers))
        issue = store.load_issue(conn, slug, number)
        if client is not None:
            issue = _refresh_details(ws, slug, number, issue, fetched, max_age)
        if issue is None:
            result[number] = TakenStatus("done", [GONE_FROM_GITHUB])
            continue
        status = detect_taken(
            issue,
            store.load_comments(conn, slug, number),
            store.load_cross_refs(conn, slug, number),
            moment,
            claim_days=ws.config.claim_days,
            user_login=user_login,
        )
        stamp = fetched.get(number, (None, clock.iso(moment)))[1]
        store.save_taken(conn, slug, number, status, stamp)
        result[number] = status
    return result


def label_report(ws: Workspace, slug: str) -> list[LabelRow]:
    """Stored labels classified with the current config, with open-issue counts."""
    config = ws.config
    validate_overrides(config.labels)
    labels = store.load_labels(ws.cache, slug)
    counts = store.label_counts(ws.cache, slug)
    if not labels and not counts:
        raise OfflineError(f"no labels of {slug} are stored: run `prready sync {slug}` first")
    order = {kind: i for i, kind in enumerate(LabelKind)}
    rows = [
        LabelRow(x.name, x.kind.value, x.value, counts.get(x.name, 0), x.description)
        for x in complete_labels(labels, counts, config.labels)
    ]
    rows.sort(key=lambda r: (order[LabelKind(r.kind)], -r.open_issues, r.name.lower()))
    return rows


# ---------------------------------------------------------------------- API sync
def _sync_api(ws: Workspace, slug: str, scope: SyncScope) -> SyncReport:
    conn, client, progress, moment = ws.cache, ws.client(), ws.progress, ws.now
    report = SyncReport(slug)
    if not client.authenticated:
        report.notes.append(
            "no GitHub token: limited to 60 requests an hour; "
            f"{token_advice(client.api_url)} for 5,000"
        )
    before = (client.stats.requests, client.stats.not_modified, client.stats.retries)
    skipped_before = client.stats.skipped
    try:
        slug = _sync_repo_record(conn, client, slug, report)
        labels = _sync_labels(ws, slug)
        report.labels = len(labels)
        queries = _select_queries(slug, labels, scope, report)
        report.queries = len(queries)
        counts = SaveCounts()
        for index, (key, label) in enumerate(queries):
            if progress is not None:
                progress(f"issues: {key}", index, len(queries))
            counts.add(_sync_query(ws, slug, key, label))
        store.record_repo(conn, slug, slug, synced_at=clock.iso(moment))
    finally:
        stats = client.stats
        report.requests = stats.requests - before[0]
        report.not_modified = stats.not_modified - before[1]
        report.retries = stats.retries - before[2]
        report.rate_limit, report.rate_remaining = stats.rate_limit, stats.rate_remaining
        if stats.skipped > skipped_before:
            report.notes.append(
                f"skipped {stats.skipped - skipped_before} issues GitHub numbered outside "
                "1..2147483647 (not stored)"
            )
    report.repo = slug
    report.issues_new, report.issues_updated = counts.new, counts.updated
    report.issues_new_closed = counts.new_closed
    report.issues_closed, report.pulls = counts.closed, counts.pulls
    report.stored_open = store.count_issues(conn, slug).get("open", 0)
    report.synced_at = clock.iso(moment)
    return report


def _sync_repo_record(
    conn: sqlite3.Connection, client: GitHubClient, slug: str, report: SyncReport
) -> str:
    """Check the repository exists and learn its canonical name (following a rename)."""
    state = store.get_sync_state(conn, slug, REPO_KEY)
    try:
        data, etag = client.fetch_repo_if_changed(slug, state.etag)
    except NotFoundError:
        raise NotFoundError(
            f"GitHub has no repository {slug} (404): check the spelling; a private repository "
            "needs a token with access to it"
        ) from None
    if data is None:
        row = conn.execute("SELECT full_name FROM gh_repos WHERE repo = ?", (slug,)).fetchone()
        return str(row[0]) if row else slug
    full_name = str(data["full_name"])
    if full_name.lower() != slug.lower():
        report.renamed_from = slug
        report.notes.append(f"{slug} was renamed to {full_name}; synced {full_name}: use that name")
    state.etag = etag
    store.put_sync_state(conn, full_name, state)
    branch = data.get("default_branch")
    store.record_repo(
        conn, full_name, full_name, default_branch=branch if isinstance(branch, str) else ""
    )
    return full_name


def _sync_labels(ws: Workspace, slug: str) -> list[Label]:
    """Labels, refetched only when one of their pages changed (ETags kept per page)."""
    conn, client, config, progress = ws.cache, ws.client(), ws.config, ws.progress
    state = store.get_sync_state(conn, slug, LABELS_KEY)
    etags = [e for e in (state.etag or "").split("\n") if e]
    if etags:
        unchanged = all(
            client.list_labels_page(slug, page=i + 1, etag=e).not_modified
            for i, e in enumerate(etags)
        )
        if unchanged:
            return classify_labels(store.load_labels(conn, slug), config.labels, slug)
    raw: list[dict[str, object]] = []
    etags = []
    page = 1
    while True:
        if progress is not None:
            progress("labels", page - 1, None)
        result: Page = client.list_labels_page(slug, page=page)
        raw.extend(result.items)
        etags.append(result.etag or "")
        if not result.has_next:
            break
        page += 1
    labels = classify_labels(raw, config.labels, slug)
    with store.page_transaction(conn):
        store.save_labels(conn, slug, labels)
        state.etag = "\n".join(etags) if all(etags) else None
        store.put_sync_state(conn, slug, state)
    return labels


def _select_queries(
    slug: str, labels: list[Label], scope: SyncScope, report: SyncReport
) -> list[tuple[str, str | None]]:
    """(sync-state key, label) per query: the default scope (beginner, bug, docs, tests,
    feature, size and "contributions welcome" labels, in the repository's own vocabulary:
    enough for every stage of a plan) plus asked-for modules. Each query costs a free 304
    on an unchanged re-sync."""
    if scope.all_open:
        return [(ALL_OPEN_KEY, None)]
    by_lower = {x.name.lower(): x.name for x in labels}
    chosen = default_scope(labels)
    for wanted in scope.module_labels:
        name = by_lower.get(wanted.strip().lower())
        if name is None:
            close = difflib.get_close_matches(wanted, list(by_lower.values()), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            raise UsageError(f"{wanted!r} is not a label of {slug}{hint}")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        report.notes.append(
            f"{slug} has no beginner, bug, docs, tests or feature labels: " + wider_sync_text("use")
        )
    return [(f"label:{name}", name) for name in chosen]


def _sync_query(ws: Workspace, slug: str, key: str, label: str | None) -> SaveCounts:
    conn, client, moment = ws.cache, ws.client(), ws.now
    counts = SaveCounts()
    state = store.get_sync_state(conn, slug, key)
    if state.walk_kind is None and state.last_synced_at is None:
        state = SyncState(key, walk_kind="cold", walk_started_at=clock.iso(moment))
    for _round in range(_MAX_ROUNDS):
        if state.walk_kind is not None:
            counts.add(_walk(ws, slug, state, label))
        probe = client.list_issues_page(
            slug, state="all", labels=label, sort="updated", direction="desc", etag=state.etag
        )
        if probe.not_modified:
            state.last_synced_at = clock.iso(moment)
            store.put_sync_state(conn, slug, state)
            return counts
        since = clock.iso(
            clock.parse_iso(state.last_synced_at or clock.iso(moment)) - SAFETY_MARGIN
        )
        fresh = [x for x in probe.items if x.updated_at >= since]
        with store.page_transaction(conn):
            counts.add(store.save_issues(conn, fresh))
            if len(fresh) == len(probe.items) and probe.has_next:
                # More changed than one page holds: walk them with a keyset cursor.
                state = SyncState(
                    key, walk_kind="catchup", walk_started_at=clock.iso(moment), cursor_since=since,
                    last_synced_at=state.last_synced_at,
                )  # fmt: skip
            else:
                state.etag, state.last_synced_at = probe.etag, clock.iso(moment)
            store.put_sync_state(conn, slug, state)
        if state.walk_kind is None:
            return counts
    return counts


def _walk(ws: Workspace, slug: str, state: SyncState, label: str | None) -> SaveCounts:
    """Keyset walk by `updated` ascending; each page and the cursor commit together."""
    conn, client, progress = ws.cache, ws.client(), ws.progress
    counts = SaveCounts()
    issue_state = "open" if state.walk_kind == "cold" else "all"
    while True:
        page = client.list_issues_page(
            slug, state=issue_state, labels=label, since=state.cursor_since, sort="updated",
            direction="asc", page=state.cursor_page,
        )  # fmt: skip
        with store.page_transaction(conn):
            counts.add(store.save_issues(conn, page.items))
            state.pages_done += 1
            last = page.items[-1].updated_at if page.items else None
            if not page.has_next or last is None:
                state.walk_kind, state.cursor_since, state.cursor_page = None, None, 1
                state.last_synced_at, state.etag = state.walk_started_at, None
            elif last == state.cursor_since:
                state.cursor_page += 1  # a full page sharing one timestamp: step past it
            else:
                state.cursor_since, state.cursor_page = last, 1
            store.put_sync_state(conn, slug, state)
        if progress is not None:
            left = page.last_page - page.page if page.last_page else None
            total = state.pages_done + left if left is not None else None
            progress(f"issues: {state.query_key}", state.pages_done, total)
        if state.walk_kind is None:
            return counts


# ---------------------------------------------------------------------- file and offline
def _sync_from_file(ws: Workspace, slug: str, file: IssueFile) -> SyncReport:
    conn, config, complete = ws.cache, ws.config, file.complete
    parsed = read_issue_file(file.path, slug)
    report = SyncReport(slug, source="file")
    exported = export_time(parsed.issues, file.exported_at) or clock.iso(ws.now)
    if exported > clock.iso(ws.now + timedelta(days=1)):
        if file.exported_at:
            raise InputError(
                "exported_at", f"{exported} is in the future: give the time the file was exported"
            )
        raise UsageError(
            f"{file.path}: its newest updatedAt, {exported}, is in the future: the export's "
            "times are wrong; fix them or give --exported-at"
        )
    in_file = {i.number for i in parsed.issues}
    stored_open = [i for i in store.load_issues(conn, slug, "open") if not i.is_pull_request]
    if complete and stored_open and not any(
        i.state == "open" and not i.is_pull_request for i in parsed.issues
    ):
        # (An empty or closed-only export would close every stored open issue.)
        raise UsageError(
            f"{file.path}: the file holds no open issue, so --complete would close all "
            f"{len(stored_open)} open issues stored for {slug}; export the open issues "
            "(gh issue list --state open ...) or leave out --complete"
        )
    # Open in the store, absent from the file, and already there when the file was written.
    missing = sorted(
        i.number for i in stored_open if i.number not in in_file and i.created_at <= exported
    )
    with store.page_transaction(conn):
        counts = store.save_issues(conn, parsed.issues)
        closed = store.mark_closed(conn, slug, missing, exported) if complete else 0
        for number, comments in parsed.comments.items():
            store.save_comments(conn, slug, number, comments)
        names = (name for issue in parsed.issues for name in issue.labels)
        labels = complete_labels(store.load_labels(conn, slug), names, config.labels)
        store.save_labels(conn, slug, labels)
        previous = store.repo_source(conn, slug)
        # The store's data is as new as its newest sync: an older export adds what it
        # holds, it does not date everything back.
        before = clock.parse_iso_or_none(store.last_synced_at(conn, slug))
        newest = exported if before is None or clock.parse_iso(exported) > before else None
        store.record_repo(
            conn, slug, slug, source="api" if previous == "api" else "file", synced_at=newest
        )
        if complete:
            store.put_sync_state(conn, slug, SyncState(FILE_COMPLETE, last_synced_at=exported))
    report.issues_new, report.issues_updated, report.pulls = (
        counts.new,
        counts.updated,
        counts.pulls,
    )
    report.issues_closed, report.labels = counts.closed + closed, len(labels)
    report.issues_new_closed = counts.new_closed
    report.stored_open = store.count_issues(conn, slug).get("open", 0)
    report.synced_at = exported
    report.notes.append(f"the file's data is as of {exported} (its export time)")
    if missing and not complete:
        report.notes.append(
            f"{len(missing)} open issue(s) in the store are not in this file; if it is a "
            "complete export of the open issues" + advice_text("complete")
        )
    if not parsed.comments:
        report.missing.append("comments (taken-issue detection uses assignees only)")
    return report


def export_time(issues: Sequence[Issue], given: str | None) -> str | None:
    """When a file was exported: `given` (ISO 8601, normalised to UTC), else its newest
    `updatedAt` (the export cannot be older), else None."""
    if given:
        stored = clock.stored_iso(given)
        if not stored:
            raise InputError(
                "exported_at", f"{given!r} is not an ISO 8601 time, e.g. 2026-11-21T10:00:00Z"
            )
        return stored
    stamps = [i.updated_at for i in issues if i.updated_at]
    return max(stamps) if stamps else None


def _offline_report(ws: Workspace, slug: str) -> SyncReport:
    conn = ws.cache
    report = SyncReport(slug, source="offline")
    report.stored_open = store.count_issues(conn, slug).get("open", 0)
    report.synced_at = store.last_synced_at(conn, slug)
    if report.synced_at is None and report.stored_open == 0:
        raise OfflineError(
            f"offline: no issues of {slug} are stored{did_you_mean(ws, slug)}; "
            f"run `prready sync {slug}` online",
            advice="sync_from_file",
            repo=slug,
        )
    report.labels = len(store.load_labels(conn, slug))
    report.notes.append("offline: nothing was fetched; using the store as it is")
    if not report.labels:
        report.missing.append("labels")
    return report


# ---------------------------------------------------------------------- details
def _refresh_details(
    ws: Workspace,
    slug: str,
    number: int,
    stored: Issue | None,
    fetched: dict[int, tuple[TakenStatus, str]],
    max_age: timedelta,
) -> Issue | None:
    """Refetch one candidate's issue, comments and timeline unless fresh enough."""
    conn, client, moment = ws.cache, ws.client(), ws.now
    last = fetched.get(number)
    if stored is not None and last is not None:
        at = clock.parse_iso(last[1])
        if moment - at < max_age and stored.updated_at <= last[1]:
            return stored
    try:
        issue = client.fetch_issue(slug, number)
    except NotFoundError:
        store.mark_closed(conn, slug, [number], clock.iso(moment))
        return None
    comments = client.fetch_comments(slug, number) if issue.comments else []
    refs = client.fetch_timeline(slug, number)
    with store.page_transaction(conn):
        store.save_issues(conn, [issue])
        store.save_comments(conn, slug, number, comments)
        store.save_cross_refs(conn, slug, number, refs)
        fetched[number] = (TakenStatus("fresh"), clock.iso(moment))
    return issue


def sync_with_tracking(
    ws: Workspace, slug: str, scope: SyncScope = SyncScope()
) -> tuple[SyncReport, TrackingUpdate | None]:
    """`prready sync`: mine the issues, then bring the user's tracked steps up to date
    (their pull requests, issues closed or taken by others) with the same client."""
    client = ws.client() if not ws.offline and scope.from_file is None else None
    before = _spent(client) if client is not None else None
    report = sync_repo(ws, slug, scope)
    tracking = None
    if client is not None:
        tracking = sync_tracked(ws, report.repo or slug)
    if before is not None and client is not None:
        # The summary counts every request of the command: tracking's (and /user) too.
        after = _spent(client)
        report.requests, report.not_modified, report.retries = (
            after[0] - before[0],
            after[1] - before[1],
            after[2] - before[2],
        )
        report.rate_limit = client.stats.rate_limit
        report.rate_remaining = client.stats.rate_remaining
    return report, tracking


def _spent(client: GitHubClient) -> tuple[int, int, int]:
    return client.stats.requests, client.stats.not_modified, client.stats.retries
