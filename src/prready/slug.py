"""Parse and normalise repository references given by users."""

from __future__ import annotations

import re

from prready.errors import UsageError
from prready.text import safe_line

# GitHub's own rules: owners are alphanumerics and single hyphens (max 39);
# repository names are alphanumerics, '.', '_', '-' (max 100), never "." or "..".
_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
_URL_FORMS = (
    re.compile(r"^(?:https?://)?(?:www\.)?github\.com/(?P<rest>.+?)/?$", re.IGNORECASE),
    re.compile(r"^git@github\.com:(?P<rest>.+?)/?$", re.IGNORECASE),
    re.compile(r"^ssh://git@github\.com/(?P<rest>.+?)/?$", re.IGNORECASE),
)


def parse_slug(text: str) -> str:
    """Return "owner/name" for OWNER/REPO, a github.com URL or an SSH remote.

    Raises UsageError (one line) for anything else, including paths that could escape a
    directory ("../..", absolute paths, extra slashes).
    """
    raw = (text or "").strip()
    if not raw:
        raise UsageError("repository is empty: give it as OWNER/REPO, e.g. pytorch/pytorch")
    rest = raw
    for pattern in _URL_FORMS:
        match = pattern.match(raw)
        if match:
            rest = match.group("rest")
            break
    if rest.endswith(".git"):
        rest = rest[: -len(".git")]
    parts = rest.split("/")
    if len(parts) != 2:
        raise UsageError(
            f"{safe_line(raw, 80)!r} is not OWNER/REPO: give it as OWNER/REPO, e.g. pytorch/pytorch"
        )
    owner, name = parts
    if not _OWNER.match(owner):
        raise UsageError(
            f"{safe_line(raw, 80)!r}: {safe_line(owner, 80)!r} is not a valid GitHub owner name"
        )
    if not _NAME.match(name) or name in (".", ".."):
        raise UsageError(
            f"{safe_line(raw, 80)!r}: {safe_line(name, 80)!r} is not a valid repository name"
        )
    return f"{owner}/{name}"


def parse_issue_ref(text: str) -> tuple[str, int]:
    """Parse OWNER/REPO#N (or a github.com issue/pull URL) into (slug, number)."""
    raw = (text or "").strip()
    url = re.match(
        r"^(?:https?://)?(?:www\.)?github\.com/([^/]+/[^/]+)/(?:issues|pull)/(\d+)/?$", raw
    )
    slug, sep, number = raw.rpartition("#")
    if url:
        slug, sep, number = url.group(1), "#", url.group(2)
    # ASCII digits only ("²".isdigit() is true), within the numbers GitHub issues.
    if not sep or not re.fullmatch(r"[0-9]{1,10}", number) or not 1 <= int(number) < 2**31:
        raise UsageError(
            f"{safe_line(raw, 80)!r} is not OWNER/REPO#NUMBER, e.g. pytorch/pytorch#12345"
        )
    return parse_slug(slug), int(number)
