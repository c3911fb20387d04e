"""Issues from a JSON file instead of the API, for people behind a proxy or without a token.

Two shapes are accepted: what `gh issue list --json number,title,body,labels,assignees,
author,state,url,createdAt,updatedAt,comments` writes (camelCase keys, upper-case states,
comments as a list of objects or a count), and the REST list format (a list of issue
objects, or a search answer with `items`). Anything else is a one-line UsageError naming
the file and what is wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from prready import clock
from prready.errors import NetworkError, UsageError
from prready.models import Comment, Issue
from prready.sources.github_payloads import issue_from_json, valid_login
from prready.text import safe_line
from prready.validation import (
    MAX_ISSUE_NUMBER,
    clean_name,
    clean_text,
    too_deep,
    valid_issue_number,
)

MAX_FILE_BYTES = 1 << 30


@dataclass
class IssueFile:
    """What a file held: issues (and pull requests, flagged), plus comments when included."""

    issues: list[Issue]
    comments: dict[int, list[Comment]] = field(default_factory=dict)
    shape: Literal["gh", "rest"] = "gh"


def read_issue_file(path: Path, slug: str) -> IssueFile:
    """Parse the file fully; the repository is checked against the issues' URLs."""
    data = _read_json(path)
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]  # a search answer
    if not isinstance(data, list):
        raise UsageError(
            f"{path}: expected a JSON list of issues (from `gh issue list --json ...` or the "
            f"REST API), found {_kind(data)}"
        )
    result = IssueFile([])
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise UsageError(f"{path}: item {index} is {_kind(item)}, not an issue object")
        if not isinstance(item.get("number"), int) or isinstance(item.get("number"), bool):
            raise UsageError(f"{path}: item {index} has no integer 'number'")
        if valid_issue_number(item["number"]) is None:
            raise UsageError(
                f"{path}: item {index} has issue number {str(item['number'])[:30]}, outside "
                f"1..{MAX_ISSUE_NUMBER}; nothing was imported"
            )
        rest = "html_url" in item or "created_at" in item or "user" in item
        issue = _from_rest(path, slug, item) if rest else _from_gh(path, slug, item, index)
        result.shape = "rest" if rest else "gh"
        _check_repo(path, slug, issue)
        result.issues.append(issue)
        comments = item.get("comments")
        if not rest and isinstance(comments, list):
            result.comments[issue.number] = [
                _gh_comment(issue.number, c) for c in comments if isinstance(c, dict)
            ]
    return result


# ---------------------------------------------------------------------- shapes
def _from_gh(path: Path, slug: str, item: dict[str, Any], index: int) -> Issue:
    for key in ("title", "state"):
        if not isinstance(item.get(key), str):
            raise UsageError(f"{path}: item {index} has no string {key!r}")
    for key in ("labels", "assignees"):
        if item.get(key) is not None and not isinstance(item[key], list):
            raise UsageError(f"{path}: item {index} has {key!r} that is not a list")
    # Dates decide what is newer (an older copy never overwrites a newer one) and how old
    # the plan's data is: one that is no time is refused, not stored as "".
    dates = {key: _time(path, item, key, index) for key in ("createdAt", "updatedAt", "closedAt")}
    comments = item.get("comments")
    if isinstance(comments, list):
        count = len(comments)
    elif isinstance(comments, int) and not isinstance(comments, bool):
        count = comments
    elif isinstance(comments, dict) and isinstance(comments.get("totalCount"), int):
        count = comments["totalCount"]
    else:
        count = 0
    state = item["state"].lower()
    reactions = item.get("reactionGroups")
    return Issue(
        repo=slug,
        number=item["number"],
        title=clean_text(item["title"]),
        body=_text(item.get("body")),
        state="closed" if state in ("closed", "merged") else "open",
        labels=[clean_name(n) for n in (_name(x, "name") for x in _list(item.get("labels"))) if n],
        assignees=[
            valid_login(n) for n in (_name(x, "login") for x in _list(item.get("assignees"))) if n
        ],
        author=valid_login(_name(item.get("author"), "login") or "ghost"),
        comments=count,
        reactions=_gh_reactions(reactions),
        created_at=dates["createdAt"],
        updated_at=dates["updatedAt"] or dates["createdAt"],
        closed_at=dates["closedAt"] or None,
        url=_text(item.get("url")),
        is_pull_request="/pull/" in _text(item.get("url")),
        state_reason=_gh_state_reason(item.get("stateReason")),
    )


def _from_rest(path: Path, slug: str, item: dict[str, Any]) -> Issue:
    try:
        return issue_from_json(slug, item)
    except NetworkError:
        raise UsageError(f"{path}: issue {item.get('number')} is not a REST issue object") from None


def _gh_comment(number: int, data: dict[str, Any]) -> Comment:
    return Comment(
        number,
        valid_login(_name(data.get("author"), "login") or "ghost"),
        _text(data.get("body")),
        _text(data.get("createdAt")),
    )


# ---------------------------------------------------------------------- helpers
def _read_json(path: Path) -> Any:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UsageError(f"{path} is larger than 1 GB; split it or sync through the API")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory, not a JSON file") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text: give the JSON `gh issue list` wrote") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise UsageError(f"{path} is nested too deeply to be an issue list") from None
    if too_deep(data):
        raise UsageError(f"{path} is nested too deeply to be an issue list")
    return data


def _check_repo(path: Path, slug: str, issue: Issue) -> None:
    """Refuse a file whose issue URLs point at another repository."""
    if not issue.url:
        return
    parts = urlparse(issue.url).path.strip("/").split("/")
    if len(parts) >= 4 and parts[2] in ("issues", "pull"):
        found = f"{parts[0]}/{parts[1]}"
        if found.lower() != slug.lower():
            raise UsageError(f"{path} holds issues of {found}, not {slug}")


def _time(path: Path, item: dict[str, Any], key: str, index: int) -> str:
    """The item's `key` time as stored (ISO 8601 in UTC, "2026-11-20T09:30:00Z"); "" when
    absent or null."""
    value = item.get(key)
    if value is None or value == "":
        return ""
    stored = clock.stored_iso(value)  # (a year outside 1970-9999 is no GitHub time)
    if not stored:
        shown = safe_line(str(value), 40)
        raise UsageError(f"{path}: item {index} has {key} {shown!r}, not an ISO 8601 time")
    return stored


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _name(value: Any, key: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get(key), str):
        return str(value[key])
    return ""


def _text(value: Any) -> str:
    return clean_text(value) if isinstance(value, str) else ""


def _gh_reactions(groups: Any) -> int:
    total = 0
    for group in _list(groups):
        users = group.get("users") if isinstance(group, dict) else None
        if isinstance(users, dict) and isinstance(users.get("totalCount"), int):
            total += users["totalCount"]
    return total


def _gh_state_reason(value: Any) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    return value.lower()


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", type(None): "null"}
    return names.get(type(value), f"a {type(value).__name__}")
