"""GitHub's REST JSON turned into prready's dataclasses: pure, no network.

Shared by the API client (`github_api`), the issue file reader and the demo, so every
path into the store reads GitHub's shapes the same way. Fields GitHub may omit or null
get neutral defaults; a payload of the wrong shape is a NetworkError naming what it was.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from prready.errors import InvalidIssueError, NetworkError
from prready.models import Comment, CrossReference, Issue
from prready.validation import (
    MAX_ISSUE_NUMBER,
    clean_name,
    clean_text,
    valid_issue_number,
)

_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$")


def issue_from_json(slug: str, data: Any) -> Issue:
    """An `Issue` from REST issue JSON; fields GitHub may omit get neutral defaults."""
    if not isinstance(data, dict) or not isinstance(data.get("number"), int):
        raise NetworkError(f"GitHub sent an issue of {slug} in an unexpected shape")
    if valid_issue_number(data["number"]) is None:
        raise InvalidIssueError(
            f"an issue of {slug} has number {str(data['number'])[:30]}, outside "
            f"1..{MAX_ISSUE_NUMBER}"
        )
    reactions = data.get("reactions")
    return Issue(
        repo=slug,
        number=data["number"],
        title=_str(data.get("title")),
        body=_str(data.get("body")),
        state="closed" if data.get("state") == "closed" else "open",
        labels=[n for n in (_label_name(x) for x in _as_list(data.get("labels"))) if n],
        assignees=_assignees(data),
        author=_login(data.get("user")),
        comments=data["comments"] if isinstance(data.get("comments"), int) else 0,
        reactions=_reaction_count(reactions),
        created_at=_str(data.get("created_at")),
        updated_at=_str(data.get("updated_at")),
        closed_at=data.get("closed_at") if isinstance(data.get("closed_at"), str) else None,
        url=_str(data.get("html_url")),
        is_pull_request="pull_request" in data,
        state_reason=data.get("state_reason")
        if isinstance(data.get("state_reason"), str)
        else None,
    )


def comment_from_json(number: int, data: dict[str, Any]) -> Comment:
    return Comment(
        number, _login(data.get("user")), _str(data.get("body")), _str(data.get("created_at"))
    )


def cross_ref_from_event(number: int, event: Any) -> CrossReference | None:
    if not isinstance(event, dict) or event.get("event") != "cross-referenced":
        return None
    source = event.get("source")
    issue = source.get("issue") if isinstance(source, dict) else None
    if not isinstance(issue, dict) or valid_issue_number(issue.get("number")) is None:
        return None
    pull = issue.get("pull_request")
    if not isinstance(pull, dict):
        return None  # mentioned by another issue, not by a pull request
    return CrossReference(
        issue_number=number,
        pr_number=issue["number"],
        pr_url=_str(issue.get("html_url")),
        pr_state="closed" if issue.get("state") == "closed" else "open",
        merged=bool(pull.get("merged_at")),
        author=_login(issue.get("user")),
        created_at=_str(event.get("created_at")),
        repo=repo_of_issue(issue),
    )


def label_from_json(data: Any) -> dict[str, Any]:
    if isinstance(data, str):
        return {"name": clean_name(data), "color": "", "description": ""}
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        raise NetworkError("GitHub sent a label in an unexpected shape")
    return {
        "name": clean_name(data["name"]),
        "color": _str(data.get("color")),
        "description": _str(data.get("description")),
    }


def _label_name(data: Any) -> str:
    if isinstance(data, str):
        return clean_name(data)
    if isinstance(data, dict) and isinstance(data.get("name"), str):
        return clean_name(str(data["name"]))
    return ""


def _assignees(data: dict[str, Any]) -> list[str]:
    logins = [_login(a) for a in _as_list(data.get("assignees")) if isinstance(a, dict)]
    single = data.get("assignee")
    if not logins and isinstance(single, dict):
        logins = [_login(single)]
    return [x for x in logins if x]


def _login(user: Any) -> str:
    if isinstance(user, dict) and isinstance(user.get("login"), str):
        return valid_login(str(user["login"]))
    return "ghost"  # GitHub's name for deleted accounts


def valid_login(login: str) -> str:
    """A GitHub login as GitHub allows them (letters, digits, hyphens, `[bot]`), else "ghost"."""
    return login if _LOGIN.match(login) else "ghost"


def _reaction_count(reactions: Any) -> int:
    if isinstance(reactions, dict) and isinstance(reactions.get("total_count"), int):
        return int(reactions["total_count"])
    return 0


def repo_of_issue(issue: Any) -> str:
    """ "owner/name" of an issue object, from `repository` or its `repository_url`."""
    if not isinstance(issue, dict):
        return ""
    repo = issue.get("repository")
    if isinstance(repo, dict) and isinstance(repo.get("full_name"), str):
        return clean_name(str(repo["full_name"]), 200)
    for key in ("repository_url", "html_url"):
        url = issue.get(key)
        if isinstance(url, str):
            parts = urlparse(url).path.strip("/").split("/")
            if key == "repository_url" and len(parts) >= 2:
                return "/".join(parts[-2:])
            if key == "html_url" and len(parts) >= 4:
                return "/".join(parts[:2])
    return ""


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return clean_text(value) if isinstance(value, str) else ""
