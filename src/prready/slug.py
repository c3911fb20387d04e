"""References to repositories, issues and pull requests: parse and normalise those given
by users (OWNER/REPO, OWNER/REPO#N, URLs), and find those written in issue, pull request
and commit text ("#12", "fixes owner/repo#3", issue URLs)."""

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


# --------------------------------------------------------------------- pull request URLs
# Any host (GitHub Enterprise too), with a port; OWNER/REPO/pull/N.
_PULL_URL = re.compile(
    r"^https?://[A-Za-z0-9.-]+(?::\d+)?/(?P<owner>[^/\s]+)/(?P<name>[^/\s]+)/pull/(\d+)/?$"
)
_PULL_AS_ISSUE = re.compile(r"^(?:https?://)?[^/\s]+/[^/\s]+/[^/\s]+/pull/\d+/?$")


def repo_of_pull_url(text: str) -> str | None:
    """"owner/name" of a pull request URL (https://HOST/OWNER/REPO/pull/N), else None."""
    match = _PULL_URL.match(text)
    return f"{match.group('owner')}/{match.group('name')}" if match else None


def looks_like_pull_url(text: str | None) -> bool:
    """Whether a reference given as an issue is a pull request's URL (scheme optional)."""
    return _PULL_AS_ISSUE.match((text or "").strip()) is not None


# --------------------------------------------------------------------- references in text
# GitHub's closing keywords, then one reference or a list of them: #N, owner/repo#N or an
# issue URL ("Fixes #12", "closes #12, #13 and #14", "resolves https://github.com/o/r/issues/4").
_REF = r"(?:https?://github\.com/[\w.-]+/[\w.-]+/issues/|(?:[\w.-]+/[\w.-]+)?#)\d{1,9}\b"
_CLOSING = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b:?[ \t]+"
    rf"(?P<refs>{_REF}(?:(?:[ \t]*,[ \t]*|[ \t]+and[ \t]+|[ \t]+){_REF}){{0,20}})",
    re.IGNORECASE,
)
_CLOSED = re.compile(
    r"(?:https?://github\.com/(?P<urlrepo>[\w.-]+/[\w.-]+)/issues/|(?P<repo>[\w.-]+/[\w.-]+)?#)"
    r"(?P<number>\d{1,9})\b"
)


def closing_references(text: str, repo: str = "") -> list[int]:
    """Issue numbers a pull request body or commit message closes ("Fixes #12", "closes
    #12, #13 and #14", "closes owner/repo#3", "resolves https://github.com/owner/repo/issues/4"),
    first mention first. With `repo` ("owner/name" or the name alone) a reference to a
    repository of another name is left out; owners are not compared, since a moved
    repository's old links name its former owner (google/jax, microsoft/DeepSpeed), at the
    cost of taking a fork's same-named issue for this one's."""
    want = (repo or "").rpartition("/")[2].lower()
    numbers: dict[int, None] = {}
    for closing in _CLOSING.finditer(text or ""):
        for ref in _CLOSED.finditer(closing.group("refs")):
            other = (ref.group("urlrepo") or ref.group("repo") or "").lower()
            if other and want and want != other.rpartition("/")[2]:
                continue
            numbers.setdefault(int(ref.group("number")))
    return list(numbers)


def mentioned_issues(slug: str, text: str) -> set[int]:
    """Issue numbers a text refers to, closing or not ("#12", "fixes #12", slug#12, issue
    URLs of `slug`); not "&#12;" (an HTML entity) nor another repository's."""
    numbers = {int(m) for m in re.findall(r"(?<![\w/&])#(\d{1,9})\b", text)}
    owner_repo = re.escape(slug)
    numbers |= {
        int(m) for m in re.findall(rf"github\.com/{owner_repo}/issues/(\d{{1,9}})", text, re.I)
    }
    numbers |= {int(m) for m in re.findall(rf"{owner_repo}#(\d{{1,9}})\b", text, re.I)}
    return numbers
