"""`prready issues`: the stored issues of a repository with their mapped modules, difficulty,
required skills and whether someone is already on them."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from prready import clock
from prready.analysis.labels import complete_labels
from prready.analysis.obsolete import CheckoutNames, gone_code, obsolete_status
from prready.analysis.planner import assess_issues
from prready.analysis.taken import detect_taken, fixed_by_commit
from prready.app.assessments import assess_cached
from prready.app.inputs import verify_checkout
from prready.app.map import build_code_map
from prready.app.retrieval import checkout_fixes, prefetch_index
from prready.app.workspace import Workspace
from prready.code_models import CodeMap
from prready.errors import OfflineError, UsageError
from prready.models import UNCHECKED_PULLS, Issue, IssueAssessment, Label, TakenStatus
from prready.paths import Paths
from prready.reports import IssuesResult
from prready.slug import parse_slug
from prready.store import issues_store as store
from prready.text import safe_line

STATES = ("open", "closed", "all")


def list_issues(
    ws: Workspace,
    slug: str,
    *,
    state: str = "open",
    limit: int | None = None,
    labels: tuple[str, ...] = (),
    checkout: str | Path | None = None,
    git_url: str | None = None,
    code_map: CodeMap | None = None,
) -> IssuesResult:
    """Assess the stored issues of `slug` against its code map (built or given)."""
    slug = parse_slug(slug)
    if state not in STATES:
        raise UsageError(f"the issue state must be one of {', '.join(STATES)}, not {state!r}")
    if limit is not None and limit < 1:
        raise UsageError(f"the number of issues to list must be positive, not {limit}")
    paths = ws.paths
    moment = as_of_data(ws, slug, clock.iso(ws.now))
    issues, repo_labels, _ = load_stored(ws, slug, state=state, now=moment)
    total = len(issues)
    if labels:
        wanted = {name.lower() for name in labels}
        issues = [i for i in issues if wanted & {name.lower() for name in i.labels}]
    # Newest activity first, so a limit keeps what people are talking about now.
    issues.sort(key=lambda i: (i.updated_at, i.number), reverse=True)
    if limit is not None:
        issues = issues[:limit]
    taken = note_unchecked_pulls(ws, slug, judge_taken(ws, slug, issues, now=moment))
    notes = []
    mapped = True
    chosen = code_map is not None or checkout is not None or git_url is not None
    remembered = None if chosen else _remembered_checkout(ws, slug)
    if remembered is not None:
        shown = safe_line(str(remembered), 200)
        try:
            verify_checkout(slug, remembered)  # (the CLI checks only a checkout it is given)
            code_map = build_code_map(
                ws, slug, checkout=remembered, on_sources=ws.hold(prefetch_index(paths.cache_db))
            )
            notes.append(f"mapped from {shown}, the checkout `plan` last used")
        except UsageError:  # (InputError too) another repository there now, or a fork
            store.forget_checkout(ws.cache, slug)
            notes.append(f"{shown}, the checkout `plan` last used, is not {slug} now: not used")
    if code_map is None:
        if checkout is None and git_url is None and not has_cached_clone(slug, paths):
            # Listing needs only the store: without a clone, the mapping columns wait.
            code_map, mapped = empty_code_map(slug), False
            notes.append(
                f"no code map yet: `prready map {slug}` (or `plan`) clones and maps the code, "
                "or give your own clone with --checkout DIR; then modules, difficulty and "
                "skills follow it"
            )
        else:
            # A cached clone is used as it is: listing never fetches code.
            given = checkout is not None or git_url is not None
            code_map = build_code_map(
                ws if given else ws.offline_view(),
                slug,
                checkout=checkout,
                git_url=git_url,
                on_sources=ws.hold(prefetch_index(paths.cache_db)),  # issues are mapped next
            )
    if mapped:
        assessments = assess_cached(
            ws, slug, issues, code_map, repo_labels, taken, now=moment
        ).assessments
        fixed = fixed_in_checkout(ws, slug, code_map, assessments)
        assessments = [
            replace(a, taken=fixed[a.issue.number]) if a.issue.number in fixed else a
            for a in assessments
        ]
    else:
        assessments = assess_issues(issues, code_map, repo_labels, taken, now=moment)
    assessments.sort(key=lambda a: (a.issue.updated_at, a.issue.number), reverse=True)
    if mapped and not code_map.modules:
        notes.append("the code map is empty: no module could be mapped")
    return IssuesResult(
        repo=slug,
        assessments=assessments,
        total=total,
        head=code_map.head,
        notes=notes,
        mapped=mapped,
    )


def fixed_in_checkout(
    ws: Workspace, slug: str, code_map: CodeMap, assessments: Sequence[IssueAssessment]
) -> dict[int, TakenStatus]:
    """The open issues a commit of the checkout closes, landed after the issue data was
    fetched (`taken.fixed_by_commit`), each with its "done" status: a plan must not send
    anyone to fix what is fixed."""
    fixes = checkout_fixes(ws, code_map)
    if not fixes:
        return {}
    fetched_at = store.last_synced_at(ws.cache, slug) or ""
    out: dict[int, TakenStatus] = {}
    for a in assessments:
        commit = fixes.get(a.issue.number)
        status = fixed_by_commit(a.issue, commit, fetched_at) if commit is not None else None
        if status is not None:
            kept = [e for e in a.taken.evidence if e != UNCHECKED_PULLS]
            out[a.issue.number] = TakenStatus("done", [*status.evidence, *kept])
    return out


def gone_from_checkout(
    checkout: CheckoutNames, issues: Sequence[Issue], status: Mapping[int, TakenStatus]
) -> dict[int, TakenStatus]:
    """The free issues whose named code the checkout no longer has (`obsolete.gone_code`),
    each with its "obsolete" status (`status`: each issue's status so far): a plan must not
    send anyone to fix deleted code."""
    out: dict[int, TakenStatus] = {}
    for issue in issues:
        gone = gone_code(issue.title, issue.body or "", checkout)
        found = obsolete_status(gone, status[issue.number])
        if found is not None:
            out[issue.number] = found
    return out


def judge_taken(
    ws: Workspace, slug: str, issues: list[Issue], *, now: str
) -> dict[int, TakenStatus]:
    """Whether someone is on each issue, judged from its stored comments and pull-request
    cross-references as of `now`: what `plan` decides for its candidates offline."""
    comments, refs = store.load_details(ws.cache, slug)
    config = ws.config
    moment = clock.parse_iso(now)
    return {
        i.number: detect_taken(
            i,
            comments.get(i.number, []),
            refs.get(i.number, []),
            moment,
            claim_days=config.claim_days,
        )
        for i in issues
    }


def note_unchecked_pulls(
    ws: Workspace, slug: str, taken: dict[int, TakenStatus]
) -> dict[int, TakenStatus]:
    """For issues that came from a file (never synced through the API), a "fresh" status
    says its linked pull requests were not checked rather than promising it is free."""
    source = store.repo_source(ws.cache, slug)
    if source != "file":
        return taken
    return {
        n: TakenStatus(t.state, [*t.evidence, UNCHECKED_PULLS])
        if t.state == "fresh" and UNCHECKED_PULLS not in t.evidence
        else t
        for n, t in taken.items()
    }


def did_you_mean(ws: Workspace, slug: str) -> str:
    """ " (did you mean OWNER/NAME?)" for a stored repository spelled like `slug` (a typo:
    hugingface/datasets), else ""."""
    owner, _, name = slug.lower().partition("/")
    for stored in store.stored_repos(ws.cache):
        other_owner, _, other_name = stored.lower().partition("/")
        # One half the same, the other spelt nearly so: huggingface/peft is no typo of
        # huggingface/trl, nor keras-team/keras of keras-team/keras-hub.
        if (owner == other_owner and _close(name, other_name)) or (
            name == other_name and _close(owner, other_owner)
        ):
            return f" (did you mean {safe_line(stored, 140)}?)"
    return ""


def _close(a: str, b: str) -> bool:
    return a != b and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85


def _remembered_checkout(ws: Workspace, slug: str) -> Path | None:
    """The clone `plan --checkout DIR` last mapped `slug` from, when no cached clone exists
    and it is still a directory: `issues` then rates the issues against the same code."""
    remembered = store.last_checkout(ws.cache, slug)
    if remembered is None or has_cached_clone(slug, ws.paths) or not Path(remembered).is_dir():
        return None
    return Path(remembered)


def has_cached_clone(slug: str, paths: Paths) -> bool:
    """Whether `map`, `plan` or `issues` (with the checkout)... left a clone of `slug` in the
    cache."""
    from prready.sources.git_repo import cache_path

    return (cache_path(slug, paths.repos) / ".git").exists()


def empty_code_map(slug: str) -> CodeMap:
    """A map with no modules: issues are still rated from their text and labels."""
    import networkx as nx

    return CodeMap(
        repo=slug, root="", head="", graph=nx.DiGraph(), modules={}, areas={}, symbols={}
    )


def as_of_data(ws: Workspace, slug: str, now: str) -> str:
    """The time issues are judged at: when their data was fetched, if before `now`. An
    export synced from a file a year ago says how old an issue and a claim were then, not
    how old they would be today had nothing happened since."""
    fetched = clock.parse_iso_or_none(store.last_synced_at(ws.cache, slug))
    if fetched is None or fetched >= clock.parse_iso(now):
        return now
    return clock.iso(fetched)


def load_stored(
    ws: Workspace, slug: str, *, state: str, now: str
) -> tuple[list[Issue], list[Label], dict[int, TakenStatus]]:
    """Stored issues (no pull requests), the repository's classified labels, and each
    issue's taken status as of `now`: the last one computed from its details, else from
    assignees."""
    conn, config = ws.cache, ws.config
    issues = [i for i in store.load_issues(conn, slug, state) if not i.is_pull_request]
    stored_labels = store.load_labels(conn, slug)
    computed = store.load_taken(conn, slug)
    if not issues:
        what = "" if state == "all" else f"{state} "
        hint = "" if store.count_issues(conn, slug) else did_you_mean(ws, slug)
        raise OfflineError(
            f"no {what}issues of {slug} are stored{hint}: run `prready sync {slug}` first"
        )
    names = (name for i in issues for name in i.labels)
    repo_labels = complete_labels(stored_labels, names, config.labels, slug)
    moment = clock.parse_iso(now)
    taken: dict[int, TakenStatus] = {}
    # Without details an issue's status follows from its assignees alone: one verdict per
    # distinct list of assignees (each issue still gets its own status).
    by_assignees: dict[tuple[str, ...], TakenStatus] = {}
    for issue in issues:
        if issue.number in computed:
            taken[issue.number] = computed[issue.number][0]
            continue
        who = tuple(issue.assignees)
        status = by_assignees.get(who)
        if status is None:
            status = by_assignees[who] = detect_taken(
                issue, [], [], moment, claim_days=config.claim_days
            )
        taken[issue.number] = TakenStatus(status.state, list(status.evidence))
    return issues, repo_labels, note_unchecked_pulls(ws, slug, taken)
