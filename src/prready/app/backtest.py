"""`prready backtest`: how far to trust the issue-to-module mapping on this repository.

Ground truth comes from fixes that actually happened: commits in the clone whose message
closes an issue ("Fixes #N"), and, online, merged pull requests that cross-reference a
closed issue (the files they changed). The mapping is scored by
`prready.analysis.backtest`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from prready.analysis.backtest import (
    BacktestCase,
    score_backtest,
)
from prready.analysis.labels import complete_labels
from prready.app.map import build_code_map
from prready.app.retrieval import mapping_index, prefetch_index
from prready.app.workspace import Workspace
from prready.code_models import CodeMap, CommitRecord
from prready.config import UserConfig
from prready.errors import NetworkError
from prready.models import CrossReference, Issue, Label, ProgressFn
from prready.render.advice import error_text
from prready.reports import BacktestRun
from prready.slug import closing_references, parse_slug
from prready.sources.git_repo import read_history
from prready.sources.github_api import GitHubClient
from prready.store import issues_store as store

DEFAULT_LIMIT = 100  # closed issues looked up online: about 2 requests each


def run_backtest(
    ws: Workspace,
    slug: str,
    *,
    checkout: str | Path | None = None,
    git_url: str | None = None,
    limit: int = DEFAULT_LIMIT,
    code_map: CodeMap | None = None,
) -> BacktestRun:
    """Collect fixed issues with the files their fix changed, then score the mapping."""
    slug = parse_slug(slug)
    paths, config, progress, offline = ws.paths, ws.config, ws.progress, ws.offline
    if code_map is None:
        code_map = build_code_map(
            ws,
            slug,
            checkout=checkout,
            git_url=git_url,
            # The index is built next, from the history read below (none read early).
            on_sources=ws.hold(prefetch_index(paths.cache_db, history=False)),
        )
    conn = ws.cache
    closed = {i.number: i for i in store.load_issues(conn, slug, "closed") if not i.is_pull_request}
    stored_labels = store.load_labels(conn, slug)
    cross_refs = {n: store.load_cross_refs(conn, slug, n) for n in closed}
    notes: list[str] = []
    history = read_history(Path(code_map.root), rev=code_map.head or "HEAD")
    by_commit = fixes_from_commits(history, slug)
    by_pull: dict[int, tuple[str, list[str]]] = {}
    if not offline:
        client = ws.client()
        try:
            # A sync keeps mostly open issues: ask for recently closed ones too, so the
            # backtest has cases on a repository synced with the default scope.
            query = f"repo:{slug} is:issue is:closed"
            for issue in client.search_issues(query, limit=limit):
                if not issue.is_pull_request and issue.repo.lower() == slug.lower():
                    closed.setdefault(issue.number, issue)
            by_pull = _fixes_from_pulls(client, slug, closed, cross_refs, limit, progress)
        except NetworkError as exc:
            notes.append(f"pull requests not consulted ({error_text(exc)}); scored commits only")
    else:
        notes.append("offline: ground truth from 'Fixes #N' commits only")
    cases: list[BacktestCase] = []
    counts = {"pull requests": 0, "commits": 0}
    for number, issue in sorted(closed.items()):
        if issue.state_reason == "not_planned":
            continue
        if number in by_pull:
            source, files = by_pull[number]
            counts["pull requests"] += 1
        elif number in by_commit:
            source, files = by_commit[number]
            counts["commits"] += 1
        else:
            continue
        cases.append(BacktestCase(issue=issue, changed_files=files, source=source))
    if not closed:
        notes.append(
            f"no closed issues of {slug} are stored: `prready sync {slug}` keeps closed ones it saw"
        )
    labels = _classified(stored_labels, closed.values(), config)
    index = mapping_index(ws, code_map, commits=history)
    report = score_backtest(slug, cases, code_map, labels, index=index)
    return BacktestRun(report=report, sources=counts, notes=notes)


def fixes_from_commits(
    commits: Sequence[CommitRecord], slug: str
) -> dict[int, tuple[str, list[str]]]:
    """Issue number -> ("commit abc1234", files) for commits whose message closes it;
    several commits for one issue pool their files."""
    out: dict[int, tuple[str, list[str]]] = {}
    for commit in reversed(commits):  # oldest first, so the first fixing commit names it
        for number in closing_references(commit.message, slug):
            source, files = out.get(number, (f"commit {commit.sha[:7]}", []))
            out[number] = (source, list(dict.fromkeys([*files, *commit.files])))
    return out


def _fixes_from_pulls(
    client: GitHubClient,
    slug: str,
    closed: dict[int, Issue],
    cross_refs: dict[int, list[CrossReference]],
    limit: int,
    progress: ProgressFn | None,
) -> dict[int, tuple[str, list[str]]]:
    """Merged pull requests of this repository that cross-reference a closed issue; the
    timeline is fetched only for issues with no stored cross-references."""
    out: dict[int, tuple[str, list[str]]] = {}
    numbers = [
        n for n, i in sorted(closed.items(), reverse=True) if i.state_reason != "not_planned"
    ]
    for done, number in enumerate(numbers[:limit]):
        if progress is not None:
            progress(
                "finding the pull requests that fixed closed issues", done, min(limit, len(numbers))
            )
        refs = cross_refs.get(number) or client.fetch_timeline(slug, number)
        merged = sorted(
            {
                r.pr_number
                for r in refs
                if r.merged and (not r.repo or r.repo.lower() == slug.lower())
            }
        )
        if not merged:
            continue
        pr = merged[0]
        files = client.fetch_pull_files(slug, pr)
        if files:
            out[number] = (f"pull request #{pr}", files)
    return out


def _classified(stored: list[Label], issues: Iterable[Issue], config: UserConfig) -> list[Label]:
    return complete_labels(stored, (name for i in issues for name in i.labels), config.labels)
