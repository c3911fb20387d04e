"""The demo sample's GitHub data, in the JSON shapes GitHub's REST API returns.

The objects come from the loopback test server's builder (tests/ghserver/objects.py, the
one builder of REST objects; tools/make_demo_data.py puts tests/ on the import path), with
github.com's own URLs.

`sample_payloads()` gives everything a sync would fetch for `prready-demo/tinyml`: the
repository, its labels, issues and pull requests (pull requests appear among the issues
carrying `pull_request`, like on GitHub), comments, timelines, pulls and their files, and
the authenticated user. Times are fixed relative to SAMPLE_NOW so the demo's output never
depends on the clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from ghserver import objects as rest
from prready.demo import SAMPLE_FETCHED_AT, SAMPLE_NOW, SAMPLE_SLUG

from .issue_items import MAINTAINERS, SampleItem
from .sample_history import file_change_stats, tree_at
from .sample_items import all_items, item_numbers, resolve_refs

# The demo's newcomer: the login GitHub answers `GET /user` with.
SAMPLE_USER = "demo-newcomer"

# (name, color, description); GitHub's own defaults are marked in _DEFAULT_LABELS.
SAMPLE_LABELS: list[tuple[str, str, str | None]] = [
    ("bug", "d73a4a", "Something isn't working"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("bootcamp", "c2e0c6", "Onboarding tasks for new contributors"),
    ("RFC", "5319e7", "Request for comments: a design proposal"),
    ("needs discussion", "fbca04", "A decision is needed before work starts"),
    ("needs reproduction", "e99695", "We cannot act until someone posts a minimal reproduction"),
    ("triaged", "0e8a16", "Looked at by a maintainer and ready to work on"),
    ("high priority", "b60205", None),
    ("stale", "ededed", "No activity for a long time"),
    ("cla signed", "bfdadc", None),
    ("module: tensor", "1d76db", "tinyml/tensor"),
    ("module: autograd", "1d76db", "tinyml/autograd"),
    ("module: nn", "1d76db", "tinyml/nn: modules, functional, init"),
    ("module: optim", "1d76db", "Optimizers and learning-rate schedules"),
    ("module: data", "1d76db", "Datasets, samplers, DataLoader"),
    ("module: linalg", "1d76db", None),
    ("module: utils", "1d76db", None),
    ("module: cpp", "0052cc", "C++ kernels and bindings in csrc/"),
    ("module: cuda", "0052cc", "CUDA kernels"),
    ("module: docs", "0075ca", "Documentation"),
    ("module: tests", "c5def5", "Test suite"),
    ("module: build", "0052cc", "setup.py, packaging"),
    ("topic: typing", "bfd4f2", "Type annotations"),
    ("topic: performance", "bfd4f2", None),
    ("release notes: breaking", "f9d0c4", None),
]
_DEFAULT_LABELS = {
    "bug",
    "enhancement",
    "question",
    "wontfix",
    "duplicate",
    "good first issue",
    "help wanted",
}
# Who triages issues of each area (adds the labels in the timeline).
_TRIAGER = {
    "module: nn": "jweber",
    "module: optim": "priyar",
    "module: data": "meichen",
    "module: cpp": "dalvarez",
    "module: cuda": "dalvarez",
    "module: docs": "sokafor",
}
_LINE = re.compile(r"\{\{line:([^:}]+):(.+?)\}\}")
URLS = rest.Urls(api="https://api.github.com")
DESCRIPTION = (
    "A small library of tensors, autograd and neural networks (prready's bundled demo sample)"
)


def sample_payloads() -> dict[str, Any]:
    """All GitHub data of the sample, keyed like the REST endpoints that serve it."""
    numbers = item_numbers()
    items = all_items()
    labels = {
        name: {
            "name": name,
            "color": color,
            "description": desc,
            "default": name in _DEFAULT_LABELS,
        }
        for name, color, desc in SAMPLE_LABELS
    }
    records: dict[str, dict[str, Any]] = {}
    issues: dict[str, dict[str, Any]] = {}
    comments: dict[int, list[dict[str, Any]]] = {}
    for item in items:
        number = numbers[item.key]
        comments[number] = [
            rest.comment_object(
                SAMPLE_SLUG,
                number,
                {
                    "id": _comment_id(number, i),
                    "user": login,
                    "body": resolve_refs(body, numbers),
                    "created_at": at,
                    "author_association": _association(login),
                },
                URLS,
            )
            for i, (login, at, body) in enumerate(item.comments)
        ]
        records[item.key] = _record(item, number, labels, numbers)
        issues[item.key] = rest.issue_object(SAMPLE_SLUG, records[item.key], URLS)
    pulls: dict[int, dict[str, Any]] = {}
    pull_files: dict[int, list[dict[str, Any]]] = {}
    for item in items:
        if item.is_pull:
            number = numbers[item.key]
            pulls[number], pull_files[number] = _pull_json(item, number, records[item.key])
    timelines = {
        numbers[item.key]: _timeline(item, issues, comments[numbers[item.key]], items)
        for item in items
    }
    open_count = sum(1 for item in items if item.state == "open")
    return {
        "data_fetched_at": SAMPLE_FETCHED_AT,
        "now": SAMPLE_NOW,
        "repo": _repo_json(open_count),
        "labels": [rest.label_object(SAMPLE_SLUG, label, URLS) for label in labels.values()],
        "issues": sorted(issues.values(), key=lambda i: i["number"], reverse=True),
        "comments": comments,
        "timelines": timelines,
        "pulls": pulls,
        "pull_files": pull_files,
        "user": rest.public_user_object(
            SAMPLE_USER,
            URLS,
            {
                "name": "Demo Newcomer",
                "public_repos": 3,
                "followers": 1,
                "following": 4,
                "created_at": "2024-02-11T10:00:00Z",
                "updated_at": "2026-10-30T08:00:00Z",
            },
        ),
    }


def merged_fixes() -> dict[int, int]:
    """Closed issue number -> number of the merged pull request that fixed it."""
    numbers = item_numbers()
    return {
        numbers[ref]: numbers[item.key]
        for item in all_items()
        if item.is_pull and item.merged
        for ref in item.refs
    }


def _record(
    item: SampleItem, number: int, labels: dict[str, dict[str, Any]], numbers: dict[str, int]
) -> dict[str, Any]:
    """The item as the builder's issue (or pull request) record."""
    body = _resolve_lines(resolve_refs(item.body, numbers), item.created)
    return {
        "number": number,
        "pull": item.is_pull,
        "title": item.title,
        "user": item.user,
        "labels": [labels[name] for name in item.labels],
        "state": item.state,
        "assignees": item.assignees,
        "comments": item.comments,
        "created_at": item.created,
        "updated_at": _updated_at(item),
        "closed_at": item.closed,
        "author_association": _association(item.user),
        "body": body,
        "closed_by": item.closed_by,
        "reactions": item.reactions,
        "state_reason": item.reason,
        "merged_at": item.merged,
    }


def _pull_json(
    item: SampleItem, number: int, record: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    files = file_change_stats(item.key) if item.merged else list(item.files)
    entries = [
        {"filename": path, "status": status, "additions": added, "deletions": removed}
        for path, status, added, removed in files
    ]
    fork = {
        "fork": True,
        "created_at": item.created,
        "updated_at": item.created,
        "pushed_at": item.created,
    }
    pull = {
        **record,
        "files": entries,
        "branch": item.branch,
        "merged_by": item.user if item.merged else None,
        "commits": 1 + len(files) // 2,
    }
    if item.user not in MAINTAINERS:
        pull["head_repo"] = (f"{item.user}/tinyml", fork)
    pull_json = rest.pull_object(SAMPLE_SLUG, pull, _base_repo_fields(), URLS, full=True)
    diff = [rest.file_object(SAMPLE_SLUG, number, {**e, "patch": None}, URLS) for e in entries]
    return pull_json, diff


def _timeline(
    item: SampleItem,
    issues: dict[str, dict[str, Any]],
    comment_json: list[dict[str, Any]],
    items: list[SampleItem],
) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    triager = item.user if item.user in MAINTAINERS else _triager(item.labels)
    for name in item.labels:
        label_json = {"name": name, "color": dict((n, c) for n, c, _ in SAMPLE_LABELS)[name]}
        at = _plus_hour(item.created)
        events.append(
            rest.event_object(SAMPLE_SLUG, "labeled", triager, at, URLS, label=label_json)
        )
    for login in item.assignees:
        events.append(
            rest.event_object(
                SAMPLE_SLUG,
                "assigned",
                login,
                item.assigned_at or item.created,
                URLS,
                assignee=rest.user_object(login, URLS),
            )
        )
    events.extend(rest.commented_event(c) for c in comment_json)
    for other in items:
        if other.is_pull and item.key in other.refs:
            source = {**issues[other.key], "repository": _base_repo()}
            events.append(rest.cross_referenced_event(source, URLS, other.created))
    if item.is_pull and item.merged:
        events.append(rest.event_object(SAMPLE_SLUG, "merged", item.user, item.merged, URLS))
    if item.closed:
        events.append(
            rest.event_object(
                SAMPLE_SLUG,
                "closed",
                item.closed_by or item.user,
                item.closed,
                URLS,
                state_reason=item.reason,
            )
        )
    return sorted(events, key=lambda e: e["created_at"])


def _base_repo_fields() -> dict[str, Any]:
    """The sample repository's own fields where pulls and cross-references embed it."""
    return {"description": DESCRIPTION, "owner_type": "Organization"}


def _base_repo() -> dict[str, Any]:
    return rest.simple_repo_object(SAMPLE_SLUG, _base_repo_fields(), URLS)


def _repo_json(open_count: int) -> dict[str, Any]:
    fields = dict(
        _base_repo_fields(),
        created_at="2025-05-06T10:00:00Z",
        updated_at=SAMPLE_FETCHED_AT,
        pushed_at="2026-10-20T15:50:00Z",
        stargazers_count=214,
        watchers_count=214,
        watchers=214,
        forks_count=31,
        forks=31,
        subscribers_count=12,
        network_count=31,
        open_issues_count=open_count,
        open_issues=open_count,
        size=412,
        topics=["machine-learning", "autograd", "deep-learning", "education"],
        license={
            "key": "bsd-3-clause",
            "name": 'BSD 3-Clause "New" or "Revised" License',
            "spdx_id": "BSD-3-Clause",
            "url": "https://api.github.com/licenses/bsd-3-clause",
            "node_id": "MDc6TGljZW5zZTU=",
        },
    )
    return rest.repo_object(SAMPLE_SLUG, fields, URLS)


def _resolve_lines(text: str, when: str) -> str:
    """Replace {{line:PATH:NEEDLE}} by NEEDLE's line number in PATH as of `when`."""
    if "{{line:" not in text:
        return text
    tree = tree_at(when)

    def line_of(match: re.Match[str]) -> str:
        path, needle = match.group(1), match.group(2)
        for lineno, line in enumerate(tree[path].splitlines(), start=1):
            if needle in line:
                return str(lineno)
        raise ValueError(f"sample issue text: {needle!r} not in {path} as of {when}")

    return _LINE.sub(line_of, text)


def _updated_at(item: SampleItem) -> str:
    times = [item.created, *(at for _, at, _ in item.comments)]
    times += [t for t in (item.closed, item.assigned_at, item.merged) if t]
    return max(times)


def _association(login: str) -> str:
    return "MEMBER" if login in MAINTAINERS else "NONE"


def _triager(labels: list[str]) -> str:
    for name in labels:
        if name in _TRIAGER:
            return _TRIAGER[name]
    return "lfischer"


def _comment_id(number: int, index: int) -> int:
    return 1_500_000_000 + number * 1000 + index


def _plus_hour(at: str) -> str:
    later = datetime.fromisoformat(at.replace("Z", "+00:00")) + timedelta(hours=1)
    return later.strftime("%Y-%m-%dT%H:%M:%SZ")
