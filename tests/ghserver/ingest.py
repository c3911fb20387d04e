"""Ingest REST-shaped issue, comment, pull, file and timeline dicts into a Dataset, keeping
only the fields the server models (everything else is regenerated on output)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .dataset import normalise_file

if TYPE_CHECKING:
    from .dataset import Dataset

_ISSUE_URL_NUMBER = re.compile(r"/issues/(\d+)$")
# The server derives these from comments and the issue's state; loading them would double them.
_DERIVED_EVENTS = ("commented", "closed")


def load_payloads(ds: Dataset, repo: str, payload: dict[str, Any]) -> list[int]:
    """Load `payload` (keys: labels, issues, pulls, comments, files, timeline) into `repo`."""
    unknown = set(payload) - {"labels", "issues", "pulls", "comments", "files", "timeline"}
    if unknown:
        raise ValueError(f"unknown payload keys: {sorted(unknown)}")
    for label in payload.get("labels", []):
        ds.add_label(
            repo,
            label["name"],
            label.get("color") or "ededed",
            label.get("description") or "",
            default=bool(label.get("default")),
        )
    pulls = {int(p["number"]): p for p in payload.get("pulls", [])}
    numbers: list[int] = []
    for issue in sorted(payload.get("issues", []), key=lambda i: int(i["number"])):
        number = int(issue["number"])
        if "pull_request" in issue or number in pulls:
            _load_pull(ds, repo, issue, pulls.pop(number, {}))
        else:
            _load_issue(ds, repo, issue)
        numbers.append(number)
    for number, pull in sorted(pulls.items()):
        _load_pull(ds, repo, pull, pull)
        numbers.append(number)
    for number, comment in _comments(payload.get("comments", [])):
        ds.add_comment(
            repo,
            number,
            _login(comment.get("user")),
            comment.get("body") or "",
            comment["created_at"],
            comment_id=comment.get("id") if isinstance(comment.get("id"), int) else None,
            author_association=comment.get("author_association") or "NONE",
        )
    for number, files in payload.get("files", {}).items():
        # A file without `patch` (binary, or a huge diff) is served without one.
        ds.issue(repo, int(number))["files"] = [normalise_file({"patch": None, **f}) for f in files]
    for number, events in payload.get("timeline", {}).items():
        for event in events:
            _load_event(ds, repo, int(number), event)
    return numbers


def _load_issue(ds: Dataset, repo: str, issue: dict[str, Any]) -> None:
    ds.add_issue(
        repo,
        issue["title"],
        body=issue.get("body"),
        user=_login(issue.get("user")),
        labels=[_label_name(ds, repo, lab) for lab in issue.get("labels", [])],
        assignees=[_login(a) for a in issue.get("assignees") or []],
        state=issue.get("state", "open"),
        created_at=issue["created_at"],
        updated_at=issue.get("updated_at"),
        closed_at=issue.get("closed_at"),
        state_reason=issue.get("state_reason"),
        reactions=int((issue.get("reactions") or {}).get("total_count", 0)),
        number=int(issue["number"]),
        locked=bool(issue.get("locked", False)),
        author_association=issue.get("author_association", "NONE"),
        closed_by=_login(issue["closed_by"]) if issue.get("closed_by") else None,
    )


def _load_pull(ds: Dataset, repo: str, issue: dict[str, Any], pull: dict[str, Any]) -> None:
    merged_at = pull.get("merged_at") or (issue.get("pull_request") or {}).get("merged_at")
    number = ds.add_pull(
        repo,
        issue["title"],
        body=issue.get("body"),
        user=_login(issue.get("user")),
        state=issue.get("state", "open"),
        merged_at=merged_at,
        created_at=issue["created_at"],
        updated_at=issue.get("updated_at"),
        closed_at=issue.get("closed_at"),
        labels=[_label_name(ds, repo, lab) for lab in issue.get("labels", [])],
        assignees=[_login(a) for a in issue.get("assignees") or []],
        number=int(issue["number"]),
    )
    rec = ds.issue(repo, number)
    rec["reactions"] = int((issue.get("reactions") or {}).get("total_count", 0))
    rec["draft"] = bool(issue.get("draft", pull.get("draft", False)))
    rec["author_association"] = issue.get("author_association") or "NONE"
    rec["closed_by"] = _login(issue["closed_by"]) if issue.get("closed_by") else None
    if pull.get("merged_by"):
        rec["merged_by"] = _login(pull["merged_by"])
    if isinstance(pull.get("commits"), int):
        rec["commits"] = pull["commits"]
    head = pull.get("head") or {}
    if head.get("ref"):
        rec["branch"] = head["ref"]
    head_repo = head.get("repo") or {}
    if head_repo.get("full_name") and head_repo["full_name"] != repo:
        kept = ("fork", "description", "created_at", "updated_at", "pushed_at")
        rec["head_repo"] = (
            head_repo["full_name"],
            {k: head_repo[k] for k in kept if k in head_repo},
        )


def _load_event(ds: Dataset, repo: str, number: int, event: dict[str, Any]) -> None:
    if event.get("event") in _DERIVED_EVENTS:
        return
    source = (event.get("source") or {}).get("issue")
    if event.get("event") == "cross-referenced" and source:
        source_repo = (source.get("repository") or {}).get("full_name") or _repo_from_url(
            source.get("repository_url"), repo
        )
        ds.issue(repo, number)["events"].append(
            {
                "event": "cross-referenced",
                "created_at": event["created_at"],
                "source_repo": source_repo,
                "source_number": int(source["number"]),
            }
        )
        if source_repo not in ds.repos:
            # Keep a foreign source renderable: a minimal stand-in issue in its own repo.
            ds.add_repo(source_repo)
        if int(source["number"]) not in ds.repos[source_repo]["issues"]:
            if "pull_request" in source:
                _load_pull(
                    ds,
                    source_repo,
                    source,
                    {"merged_at": (source.get("pull_request") or {}).get("merged_at")},
                )
            else:
                _load_issue(ds, source_repo, source)
    else:
        ds.add_raw_timeline_event(repo, number, event)


def _comments(comments: Any) -> list[tuple[int, dict[str, Any]]]:
    """Comments as a list with `issue_url`, or a {number: [comments]} dict."""
    if isinstance(comments, dict):
        return [(int(n), c) for n, items in comments.items() for c in items]
    pairs = []
    for comment in comments:
        match = _ISSUE_URL_NUMBER.search(comment.get("issue_url", ""))
        if not match:
            raise ValueError("a comment in a list needs issue_url ending in /issues/N")
        pairs.append((int(match.group(1)), comment))
    return pairs


def _login(user: Any) -> str:
    if isinstance(user, dict):
        return str(user.get("login") or "ghost")
    return str(user or "ghost")


def _label_name(ds: Dataset, repo: str, label: Any) -> str:
    if isinstance(label, str):
        return label
    if label["name"] not in ds.repo(repo)["labels"]:
        ds.add_label(
            repo,
            label["name"],
            label.get("color") or "ededed",
            label.get("description") or "",
            default=bool(label.get("default")),
        )
    return str(label["name"])


def _repo_from_url(url: str | None, default: str) -> str:
    match = re.search(r"/repos/([^/]+/[^/]+)$", url or "")
    return match.group(1) if match else default
