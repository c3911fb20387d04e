"""The one module that talks to the GitHub REST API (through PyGithub's requester).

Everything is fetched as raw JSON with `requestJsonAndCheck`, never as PyGithub objects:
list items of PyGithub are lazily completed, and touching a field GitHub left out refetches
the whole issue, one request per issue. Here every list is a page of plain JSON turned into
prready's own dataclasses, conditional requests (`If-None-Match`) make unchanged pages
cost a free 304, and retries, rate limits and error messages are handled in one place.
"""

from __future__ import annotations

import http.client
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlparse

import requests
import urllib3
from github import Auth, Github, GithubException

from prready.config import Secret, check_token_transport
from prready.errors import NetworkError, RateLimitError
from prready.models import Comment, CrossReference, Issue, ProgressFn
from prready.sources.github_payloads import (
    comment_from_json,
    cross_ref_from_event,
    issue_from_json,
    label_from_json,
    repo_of_issue,
)

PER_PAGE = 100
SEARCH_CAP = 1000  # GitHub never returns more than 1000 search results


class NotFoundError(NetworkError):
    """GitHub answered 404 (no such repository or issue, or a private one)."""


class RepoMovedError(NetworkError):
    """The repository answered 301 without a usable new location."""


@dataclass
class RequestStats:
    """What the client spent: requests sent, 304s, retries, and the last rate-limit figures."""

    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    rate_limit: int | None = None
    rate_remaining: int | None = None
    rate_reset: int | None = None  # epoch seconds


@dataclass
class Page:
    """One page of a list endpoint: parsed items, its ETag, and whether more pages follow."""

    items: list[Any]
    etag: str | None
    not_modified: bool
    has_next: bool
    page: int = 1
    last_page: int | None = None  # from the Link header's rel="last", when given


@dataclass
class _Response:
    data: Any
    headers: dict[str, Any]
    not_modified: bool
    etag: str | None = field(default=None)


_TRANSIENT = (
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
    json.JSONDecodeError,
)


class GitHubClient:
    """A GitHub REST client returning prready dataclasses or plain dicts, with retries,
    rate-limit handling and conditional requests. The token never leaves this object."""

    def __init__(
        self,
        api_url: str,
        token: Secret | None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        max_retries: int = 5,
        progress: ProgressFn | None = None,
        wait_limit_seconds: float = 300,
        per_page: int = PER_PAGE,
        timeout: int = 30,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        clock: Callable[[], float] = time.time,
        min_interval: float | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        check_token_transport(self.api_url, token)
        self.authenticated = bool(token)
        # Kept only to scrub it from text a server echoes back (a proxy, an Enterprise box).
        self._secret_text = token.reveal() if token else ""
        self.stats = RequestStats()
        self._sleep = sleep
        self._max_retries = max_retries
        self._progress = progress
        self._wait_limit = wait_limit_seconds
        self._per_page = per_page
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._clock = clock
        auth = Auth.Token(token.reveal()) if token else None
        # retry=None: our own loop retries (with an injectable sleep); PyGithub's default
        # retry would sleep on its own clock and hide rate limits from us.
        self._gh = Github(
            base_url=self.api_url,
            auth=auth,
            per_page=per_page,
            retry=None,
            timeout=timeout,
            seconds_between_requests=min_interval,
            seconds_between_writes=None,
        )
        self._requester = self._gh.requester

    # ------------------------------------------------------------------ public API
    def fetch_repo(self, slug: str) -> dict[str, Any]:
        """Raw repository JSON; a renamed repository is followed (compare `full_name`)."""
        data, _ = self.fetch_repo_if_changed(slug, None)
        assert data is not None
        return data

    def fetch_repo_if_changed(
        self, slug: str, etag: str | None
    ) -> tuple[dict[str, Any] | None, str | None]:
        """Repository JSON and its ETag, or (None, etag) when unchanged since `etag`."""
        resp = self._get(f"/repos/{slug}", etag=etag, what=f"repository {slug}")
        if resp.not_modified:
            return None, resp.etag
        data = _expect_dict(resp.data, f"repository {slug}")
        if data.get("message") == "Moved Permanently" and "full_name" not in data:
            data = self._follow_move(slug, data)
        if not isinstance(data.get("full_name"), str):
            raise NetworkError(f"GitHub sent an unexpected answer for repository {slug}")
        return data, resp.etag

    def fetch_labels(self, slug: str) -> list[dict[str, Any]]:
        """All labels of the repository as raw dicts (name, color, description)."""
        labels: list[dict[str, Any]] = []
        page = 1
        while True:
            result = self.list_labels_page(slug, page=page)
            labels.extend(result.items)
            if not result.has_next:
                return labels
            page += 1

    def list_labels_page(self, slug: str, *, page: int = 1, etag: str | None = None) -> Page:
        """One page of labels; `not_modified` when `etag` still matches."""
        params = {"per_page": self._per_page, "page": page}
        resp = self._get(f"/repos/{slug}/labels", params, etag=etag, what=f"labels of {slug}")
        if resp.not_modified:
            return Page([], resp.etag, True, False, page)
        items = [label_from_json(x) for x in _expect_list(resp.data, f"labels of {slug}")]
        return Page(items, resp.etag, False, _has_next(resp.headers), page)

    def list_issues_page(
        self,
        slug: str,
        *,
        state: str = "open",
        labels: str | None = None,
        since: str | None = None,
        sort: str = "updated",
        direction: str = "desc",
        page: int = 1,
        etag: str | None = None,
    ) -> Page:
        """One page of /issues (issues and pull requests) as `Issue`s; conditional on `etag`."""
        params: dict[str, Any] = {
            "state": state,
            "sort": sort,
            "direction": direction,
            "per_page": self._per_page,
            "page": page,
        }
        if labels:
            params["labels"] = labels
        if since:
            params["since"] = since
        what = f"issues of {slug}"
        resp = self._get(f"/repos/{slug}/issues", params, etag=etag, what=what)
        if resp.not_modified:
            return Page([], resp.etag, True, False, page)
        items = [issue_from_json(slug, x) for x in _expect_list(resp.data, what)]
        return Page(
            items, resp.etag, False, _has_next(resp.headers), page, _last_page(resp.headers)
        )

    def fetch_issue(self, slug: str, number: int) -> Issue:
        what = f"issue {slug}#{number}"
        resp = self._get(f"/repos/{slug}/issues/{number}", what=what)
        return issue_from_json(slug, _expect_dict(resp.data, what))

    def fetch_comments(self, slug: str, number: int) -> list[Comment]:
        """Every comment of an issue, oldest first."""
        raw = self._get_all(f"/repos/{slug}/issues/{number}/comments", f"comments of #{number}")
        return [comment_from_json(number, c) for c in raw if isinstance(c, dict)]

    def fetch_timeline(self, slug: str, number: int) -> list[CrossReference]:
        """Pull requests that cross-reference the issue (timeline `cross-referenced` events)."""
        raw = self._get_all(f"/repos/{slug}/issues/{number}/timeline", f"timeline of #{number}")
        refs: list[CrossReference] = []
        for event in raw:
            ref = cross_ref_from_event(number, event)
            if ref is not None:
                refs.append(ref)
        return refs

    def fetch_pull(self, slug: str, number: int) -> dict[str, Any]:
        """Raw pull request JSON (state, merged, merged_at, user, html_url, body)."""
        what = f"pull request {slug}#{number}"
        return _expect_dict(self._get(f"/repos/{slug}/pulls/{number}", what=what).data, what)

    def fetch_pull_files(self, slug: str, number: int) -> list[str]:
        """Paths changed by a pull request."""
        raw = self._get_all(f"/repos/{slug}/pulls/{number}/files", f"files of #{number}")
        return [
            f["filename"] for f in raw if isinstance(f, dict) and isinstance(f.get("filename"), str)
        ]

    def search_issues(self, query: str, limit: int = SEARCH_CAP) -> list[Issue]:
        """Issues and pull requests matching a search query (GitHub caps results at 1000)."""
        limit = min(limit, SEARCH_CAP)
        found: list[Issue] = []
        page = 1
        while len(found) < limit:
            params = {"q": query, "per_page": self._per_page, "page": page}
            resp = self._get("/search/issues", params, what="search")
            data = _expect_dict(resp.data, "search")
            items = data.get("items")
            if not isinstance(items, list):
                raise NetworkError("GitHub sent an unexpected answer for a search (no items)")
            for item in items:
                slug = repo_of_issue(item)
                found.append(issue_from_json(slug, item))
            if not items or not _has_next(resp.headers):
                break
            page += 1
        return found[:limit]

    def authenticated_login(self) -> str | None:
        """The token owner's login, or None without a token."""
        if not self.authenticated:
            return None
        data = _expect_dict(self._get("/user", what="the token's user").data, "user")
        login = data.get("login")
        return login if isinstance(login, str) else None

    # ------------------------------------------------------------------ requests
    def _get_all(self, path: str, what: str) -> list[Any]:
        out: list[Any] = []
        page = 1
        while True:
            resp = self._get(path, {"per_page": self._per_page, "page": page}, what=what)
            out.extend(_expect_list(resp.data, what))
            if not _has_next(resp.headers):
                return out
            page += 1

    def _get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        etag: str | None = None,
        what: str,
    ) -> _Response:
        """GET with retries: transient failures back off, rate limits wait or stop cleanly."""
        headers = {"If-None-Match": etag} if etag else {}
        attempt = 0
        while True:
            self.stats.requests += 1
            try:
                resp_headers, data = self._requester.requestJsonAndCheck(
                    "GET", path, parameters=dict(params or {}), headers=dict(headers)
                )
            except GithubException as exc:
                self._note_rate(exc.headers or {})
                attempt = self._handle_error(exc, attempt, what)
                continue
            except _TRANSIENT as exc:
                attempt = self._backoff(attempt, what, _describe(exc))
                continue
            self._note_rate(resp_headers)
            new_etag = resp_headers.get("etag") or etag
            if data is None:
                # requestJsonAndCheck gives no body for 304 Not Modified (and for an empty 2xx).
                if etag:
                    self.stats.not_modified += 1
                    return _Response(None, resp_headers, True, new_etag)
                attempt = self._backoff(attempt, what, "an empty answer")
                continue
            return _Response(data, resp_headers, False, new_etag)

    def _handle_error(self, exc: GithubException, attempt: int, what: str) -> int:
        status = exc.status
        headers = {str(k).lower(): v for k, v in (exc.headers or {}).items()}
        message = _message(exc.data, self._secret_text)
        if status == 401:
            raise NetworkError(
                "GitHub rejected the token (401 Bad credentials): check --token, "
                "GITHUB_TOKEN or `gh auth token`, or run without a token"
            )
        if status in (403, 429) and _is_rate_limited(headers, message):
            return self._wait_rate_limit(headers, message, attempt, what)
        if status == 404:
            raise NotFoundError(
                f"GitHub has no {what} (404): check the name; private repositories need a "
                "token with access"
            )
        if status == 410:
            raise NotFoundError(f"GitHub says {what} is gone (410)")
        if status >= 500:
            return self._backoff(attempt, what, f"HTTP {status}")
        raise NetworkError(f"GitHub refused the request for {what} (HTTP {status}: {message})")

    def _wait_rate_limit(
        self, headers: dict[str, Any], message: str, attempt: int, what: str
    ) -> int:
        retry_after = _int(headers.get("retry-after"))
        remaining = _int(headers.get("x-ratelimit-remaining"))
        if retry_after is not None or (remaining != 0 and "secondary" in message.lower()):
            # Secondary limit: honour Retry-After, else back off (GitHub says at least a minute).
            if attempt >= self._max_retries:
                raise RateLimitError(
                    f"GitHub's secondary rate limit keeps refusing {what}; wait a few minutes "
                    "and run again (everything fetched so far is saved)"
                )
            delay = (
                float(retry_after) if retry_after is not None else max(60.0, self._delay(attempt))
            )
            self._countdown(delay, "secondary rate limit")
            self.stats.retries += 1
            return attempt + 1
        reset = _int(headers.get("x-ratelimit-reset")) or int(self._clock()) + 60
        wait = max(0.0, reset - self._clock()) + 1.0
        if wait > self._wait_limit or attempt >= self._max_retries:
            raise RateLimitError(_rate_limit_message(reset, self.authenticated), _utc_iso(reset))
        self._countdown(wait, "rate limit: waiting for the reset")
        self.stats.retries += 1
        return attempt + 1

    def _backoff(self, attempt: int, what: str, reason: str) -> int:
        if attempt >= self._max_retries:
            raise NetworkError(
                f"GitHub kept failing for {what} ({reason}) after {attempt + 1} attempts; "
                "try again later (everything fetched so far is saved)"
            )
        self.stats.retries += 1
        delay = self._delay(attempt)
        self.stats.waited_seconds += delay
        self._sleep(delay)
        return attempt + 1

    def _delay(self, attempt: int) -> float:
        return float(min(self._backoff_cap, self._backoff_base * (2**attempt)))

    def _countdown(self, seconds: float, label: str) -> None:
        """Sleep in one-second steps, reporting the seconds left so the wait is visible."""
        total = int(seconds + 0.999)
        self.stats.waited_seconds += seconds
        for done in range(total):
            if self._progress is not None:
                self._progress(f"{label} ({total - done}s left)", done, total)
            self._sleep(min(1.0, seconds - done))
        if self._progress is not None:
            self._progress(label, total, total)

    def _note_rate(self, headers: dict[str, Any]) -> None:
        lower = {str(k).lower(): v for k, v in headers.items()}
        for key, attr in (
            ("x-ratelimit-limit", "rate_limit"),
            ("x-ratelimit-remaining", "rate_remaining"),
            ("x-ratelimit-reset", "rate_reset"),
        ):
            value = _int(lower.get(key))
            if value is not None:
                setattr(self.stats, attr, value)

    def _follow_move(self, slug: str, body: dict[str, Any]) -> dict[str, Any]:
        """Follow GitHub's moved-permanently body (`url`) for a renamed repository."""
        url = body.get("url")
        if not isinstance(url, str) or not url:
            raise RepoMovedError(f"repository {slug} has moved, and GitHub did not say where")
        path = urlparse(url).path
        base_path = urlparse(self.api_url).path.rstrip("/")
        if base_path and path.startswith(base_path):
            path = path[len(base_path) :]
        resp = self._get(path, what=f"the new location of {slug}")
        return _expect_dict(resp.data, f"repository {slug}")


# ---------------------------------------------------------------------- helpers
def _has_next(headers: dict[str, Any]) -> bool:
    link = {str(k).lower(): v for k, v in headers.items()}.get("link") or ""
    return 'rel="next"' in link


def _last_page(headers: dict[str, Any]) -> int | None:
    link = {str(k).lower(): v for k, v in headers.items()}.get("link") or ""
    match = re.search(r'[?&]page=(\d+)[^>]*>;\s*rel="last"', link)
    return int(match.group(1)) if match else None


def _expect_list(data: Any, what: str) -> list[Any]:
    if not isinstance(data, list):
        raise NetworkError(f"GitHub sent an unexpected answer for {what} (expected a list)")
    return data


def _expect_dict(data: Any, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise NetworkError(f"GitHub sent an unexpected answer for {what} (expected an object)")
    return data


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _message(data: Any, secret: str = "") -> str:
    """The server's message, printable, bounded, and without our token even if the server
    (a proxy, an Enterprise box) chose to echo it back."""
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        text = data["message"]
    else:
        text = ""
    if secret:
        text = text.replace(secret, "***")
    return "".join(ch if ch.isprintable() else " " for ch in text)[:200]


def _is_rate_limited(headers: dict[str, Any], message: str) -> bool:
    lower = message.lower()
    return (
        headers.get("x-ratelimit-remaining") == "0"
        or "retry-after" in headers
        or "rate limit" in lower
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return "malformed JSON"
    if isinstance(exc, requests.exceptions.Timeout | TimeoutError):
        return "a timeout"
    return "a dropped connection"


def _utc_iso(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rate_limit_message(reset: int, authenticated: bool) -> str:
    when = datetime.fromtimestamp(reset, tz=timezone.utc)
    local = when.astimezone().strftime("%H:%M %Z").strip()
    utc = when.strftime("%Y-%m-%d %H:%M UTC")
    hint = "" if authenticated else " (no token: 60 requests/hour; set GITHUB_TOKEN for 5,000)"
    return (
        f"GitHub API rate limit reached{hint}; everything fetched so far is saved: run the "
        f"same command again after {local} ({utc})"
    )
