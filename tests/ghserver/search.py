"""The subset of GitHub's issue search syntax that clients use: repo:, is:/type:/state:,
author:, assignee:, label:, no:, in:, created:/updated:/closed:/comments: ranges, free words."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dataset import Dataset

Record = dict[str, Any]
Predicate = Callable[[str, Record], bool]


def search_issues(
    ds: Dataset, query: str, sort: str | None, order: str
) -> list[tuple[str, Record, float]]:
    """(repo, record, score) for every issue/pull matching `query`, in GitHub's order."""
    predicates, words, scopes = parse_query(query)
    hits = []
    for repo, record in ds.repos.items():
        for rec in record["issues"].values():
            if not all(p(repo, rec) for p in predicates):
                continue
            score = _word_score(rec, words, scopes)
            if words and score == 0:
                continue
            hits.append((repo, rec, float(score or 1)))
    keys: dict[str, Callable[[tuple[str, Record, float]], Any]] = {
        "created": lambda h: h[1]["created_at"],
        "updated": lambda h: h[1]["updated_at"],
        "comments": lambda h: len(h[1]["comments"]),
        "reactions": lambda h: h[1]["reactions"],
    }
    if sort in keys:
        hits.sort(key=lambda h: (keys[sort](h), h[1]["number"]), reverse=order != "asc")
    else:
        hits.sort(key=lambda h: (h[2], h[1]["updated_at"]), reverse=True)
    return hits


def parse_query(query: str) -> tuple[list[Predicate], list[str], set[str]]:
    """Split a search string into qualifier predicates, free words and `in:` scopes."""
    try:
        tokens = shlex.split(query)
    except ValueError:
        tokens = query.split()
    predicates: list[Predicate] = []
    words: list[str] = []
    scopes: set[str] = set()
    for token in tokens:
        negate = token.startswith("-") and ":" in token
        key, sep, value = token.lstrip("-").partition(":") if negate else token.partition(":")
        key = key.lower()
        if not sep or key not in _QUALIFIERS:
            words.append(token.lower())
            continue
        if key == "in":
            scopes.update(v.strip().lower() for v in value.split(","))
            continue
        pred = _QUALIFIERS[key](value)
        predicates.append((lambda p: lambda repo, rec: not p(repo, rec))(pred) if negate else pred)
    return predicates, words, scopes


def _word_score(rec: Record, words: list[str], scopes: set[str]) -> int:
    scopes = scopes or {"title", "body"}
    texts = []
    if "title" in scopes:
        texts.append(rec["title"] or "")
    if "body" in scopes:
        texts.append(rec["body"] or "")
    if "comments" in scopes:
        texts.extend(c["body"] or "" for c in rec["comments"])
    haystack = "\n".join(texts).lower()
    tokens = re.findall(r"\w+", haystack)
    counts = [haystack.count(w) if " " in w else tokens.count(w) for w in words]
    # Every word must occur (GitHub ANDs free words); phrases match as substrings.
    return sum(counts) if all(counts) else 0


def _is(value: str) -> Predicate:
    value = value.lower()
    table: dict[str, Predicate] = {
        "issue": lambda repo, rec: not rec["pull"],
        "pr": lambda repo, rec: rec["pull"],
        "pull-request": lambda repo, rec: rec["pull"],
        "open": lambda repo, rec: rec["state"] == "open",
        "closed": lambda repo, rec: rec["state"] == "closed",
        "merged": lambda repo, rec: rec["merged_at"] is not None,
        "unmerged": lambda repo, rec: rec["pull"] and rec["merged_at"] is None,
        "locked": lambda repo, rec: rec["locked"],
        "draft": lambda repo, rec: rec["draft"],
    }
    return table.get(value, lambda repo, rec: False)


def _no(value: str) -> Predicate:
    field = {"label": "labels", "assignee": "assignees"}.get(value.lower())
    if field is None:
        return lambda repo, rec: value.lower() == "milestone"
    return lambda repo, rec: not rec[field]


def _compare(field: str) -> Callable[[str], Predicate]:
    """created:>=2024-01-01, updated:<2024-02-01, closed:2024-01-01..2024-02-01, comments:>3.
    Dates compare as ISO strings; a bound's precision (a day, a minute) limits the compare."""

    def build(value: str) -> Predicate:
        if ".." in value:
            low, high = value.split("..", 1)
            lower = build(">=" + low) if low != "*" else None
            upper = build("<=" + high) if high != "*" else None
            return lambda repo, rec: (
                (lower is None or lower(repo, rec)) and (upper is None or upper(repo, rec))
            )
        op = next((o for o in (">=", "<=", ">", "<") if value.startswith(o)), "=")
        bound = value[len(op) :] if op != "=" else value
        return lambda repo, rec: _holds(_field_value(rec, field), op, bound)

    return build


def _field_value(rec: Record, field: str) -> int | str | None:
    if field == "comments":
        return len(rec["comments"])
    return rec[field]


def _holds(actual: int | str | None, op: str, bound: str) -> bool:
    if actual is None:
        return False
    if isinstance(actual, int):
        left: int | str = actual
        right: int | str = int(bound)
    else:
        left, right = actual[: len(bound)], bound
    return {
        ">=": left >= right,  # type: ignore[operator]
        "<=": left <= right,  # type: ignore[operator]
        ">": left > right,  # type: ignore[operator]
        "<": left < right,  # type: ignore[operator]
        "=": left == right,
    }[op]


_QUALIFIERS: dict[str, Callable[[str], Predicate]] = {
    "repo": lambda v: lambda repo, rec: repo.lower() == v.lower(),
    "org": lambda v: lambda repo, rec: repo.split("/")[0].lower() == v.lower(),
    "user": lambda v: lambda repo, rec: repo.split("/")[0].lower() == v.lower(),
    "is": _is,
    "type": lambda v: _is("pr" if v.lower() == "pr" else "issue"),
    "state": lambda v: _is(v),
    "author": lambda v: lambda repo, rec: rec["user"].lower() == v.lower(),
    "assignee": lambda v: lambda repo, rec: v.lower() in (a.lower() for a in rec["assignees"]),
    "commenter": lambda v: (
        lambda repo, rec: v.lower() in (c["user"].lower() for c in rec["comments"])
    ),
    "involves": lambda v: (
        lambda repo, rec: (
            v.lower()
            in {
                rec["user"].lower(),
                *(a.lower() for a in rec["assignees"]),
                *(c["user"].lower() for c in rec["comments"]),
            }
        )
    ),
    # label:a,b means either label; repeating label: means both.
    "label": lambda v: (
        lambda repo, rec: any(w.lower() == n.lower() for w in v.split(",") for n in rec["labels"])
    ),
    "no": _no,
    "in": lambda v: lambda repo, rec: True,
    "created": _compare("created_at"),
    "updated": _compare("updated_at"),
    "closed": _compare("closed_at"),
    "merged": _compare("merged_at"),
    "comments": _compare("comments"),
}
