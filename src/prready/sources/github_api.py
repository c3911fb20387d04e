"""The one module that talks to the GitHub REST API.

Everything is fetched as raw JSON over one `requests.Session`, never as PyGithub objects
(their lazy completion refetches whole issues, and their requester follows redirects and
202s by unbounded recursion, with a timeout per read but no deadline per request). Every
list is a page of plain JSON turned into prready's own dataclasses; conditional requests
(`If-None-Match`) make unchanged pages cost a free 304; retries, rate limits, deadlines,
body-size caps, redirects and error messages are handled in one place.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Protocol
from urllib.parse import urlencode, urljoin, urlparse, urlsplit

import requests
import urllib3

from prready import __version__, clock
from prready.config import Secret, check_token_transport, redact_secret
from prready.errors import (
    InvalidIssueError,
    NetworkError,
    NotFoundError,
    RateLimitError,
    RepoMovedError,
    UsageError,
)
from prready.models import Comment, CrossReference, Issue, ProgressFn
from prready.slug import parse_slug
from prready.sources.github_payloads import (
    comment_from_json,
    cross_ref_from_event,
    issue_from_json,
    label_from_json,
    repo_of_issue,
)
from prready.sources.http_headers import (
    header_int,
    link_targets,
    reset_epoch,
    retry_after_seconds,
)
from prready.text import safe_line
from prready.validation import too_deep

PER_PAGE = 100
SEARCH_CAP = 1000  # GitHub never returns more than 1000 search results
DEADLINE_SECONDS = 90.0  # one request, from connecting to its last byte
CONNECT_TIMEOUT = 3.0  # nothing reachable: say so within seconds, not minutes
MAX_BODY_BYTES = 64 * 2**20  # a page of 100 issues is a few MB at most
MAX_REDIRECTS = 5
MAX_ACCEPTED = 3  # 202 "still computing" answers before giving up
MAX_PAGES = 5000  # pages of one listing (500,000 items at 100 a page)
MAX_JSON_DEPTH = 64  # GitHub's payloads nest about 6 deep
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass
class RequestStats:
    """What the client spent: requests sent, 304s, retries, and the last rate-limit figures
    (`sync` reports them)."""

    requests: int = 0
    not_modified: int = 0
    retries: int = 0
    rate_limit: int | None = None
    rate_remaining: int | None = None
    skipped: int = 0  # items refused at the boundary (issue numbers outside 1..2^31-1)


class ResponseStore(Protocol):
    """Where the client keeps answers it may ask for again conditionally: per URL, the
    ETag, the Link header and the body (prready.store.response_cache implements it)."""

    def lookup(self, url: str) -> tuple[str, str, bytes] | None: ...
    def remember(self, url: str, etag: str, link: str, body: bytes) -> None: ...


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


@dataclass
class _Answer:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes


class _Transient(Exception):
    """A failure worth retrying (timeout, reset, truncated body); the message names it."""


_TRANSIENT = (
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    ConnectionError,
    TimeoutError,
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
        deadline: float = DEADLINE_SECONDS,
        max_body_bytes: int = MAX_BODY_BYTES,
        connect_timeout: float = CONNECT_TIMEOUT,
        responses: ResponseStore | None = None,
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
        self._timeout = float(timeout)
        self._connect_timeout = float(connect_timeout)
        self._deadline = float(deadline)
        self._max_body = max_body_bytes
        self._min_interval = min_interval or 0.0
        self._last_request = 0.0
        self._token = token
        api = urlsplit(self.api_url)
        self._origin = (api.scheme, (api.hostname or "").lower(), api.port)
        self._session = requests.Session()
        # Proxies and CA bundles from the environment apply; netrc credentials never do:
        # the only credential sent is our token, and only to the API's own host.
        self._session.trust_env = True
        self._session.auth = lambda r: r  # disables requests' netrc lookup
        self._session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                "User-Agent": f"prready/{__version__}",
            }
        )
        self._pages: dict[str, tuple[int, dict[str, int]]] = {}
        # Issues, comments, timelines, pull requests, searches and /user are asked for
        # with the ETag of the last answer: unchanged, GitHub answers a free 304.
        self._responses = responses
        self._login: tuple[str | None] | None = None

    # ------------------------------------------------------------------ public API
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
        name = data.get("full_name")
        if not isinstance(name, str):
            raise NetworkError(f"GitHub sent an unexpected answer for repository {slug}")
        # The server's name for the repository is checked like user input, and never
        # echoed when it carries (part of) our token.
        if self._secret_text and redact_secret(name, self._secret_text) != name:
            raise NetworkError(
                f"GitHub answered for repository {slug} with a name holding the token; refused"
            )
        try:
            data["full_name"] = parse_slug(name)
        except UsageError:
            raise NetworkError(
                f"GitHub answered for repository {slug} with an invalid repository name"
            ) from None
        return data, resp.etag

    def list_labels_page(self, slug: str, *, page: int = 1, etag: str | None = None) -> Page:
        """One page of labels; `not_modified` when `etag` still matches."""
        params = {"per_page": self._per_page, "page": page}
        resp = self._get(f"/repos/{slug}/labels", params, etag=etag, what=f"labels of {slug}")
        if resp.not_modified:
            return Page([], resp.etag, True, False, page)
        items = [label_from_json(x) for x in _expect_list(resp.data, f"labels of {slug}")]
        has_next = _has_next(resp.headers)
        if has_next:
            _check_progress(items, page, f"labels of {slug}")
        return Page(items, resp.etag, False, has_next, page)

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
        raw = _expect_list(resp.data, what)
        items = self._issues(slug, raw)
        has_next = _has_next(resp.headers)
        if has_next:
            _check_progress(raw, page, what)
        return Page(items, resp.etag, False, has_next, page, _last_page(resp.headers))

    def fetch_issue(self, slug: str, number: int) -> Issue:
        what = f"issue {slug}#{number}"
        resp = self._get(f"/repos/{slug}/issues/{number}", what=what, remember=True)
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
        resp = self._get(f"/repos/{slug}/pulls/{number}", what=what, remember=True)
        return _expect_dict(resp.data, what)

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
            resp = self._get("/search/issues", params, what="search", remember=True)
            data = _expect_dict(resp.data, "search")
            items = data.get("items")
            if not isinstance(items, list):
                raise NetworkError("GitHub sent an unexpected answer for a search (no items)")
            for item in items:
                found.extend(self._issues(repo_of_issue(item), [item]))
            if not items or not _has_next(resp.headers):
                break
            if page * self._per_page >= SEARCH_CAP:
                break
            page += 1
        return found[:limit]

    def authenticated_login(self) -> str | None:
        """The token owner's login, or None without a token; asked once per client (and
        then conditionally, a free 304, while the stored answer still holds)."""
        if not self.authenticated:
            return None
        if self._login is None:
            resp = self._get("/user", what="the token's user", remember=True)
            login = _expect_dict(resp.data, "user").get("login")
            self._login = (login if isinstance(login, str) else None,)
        return self._login[0]

    def _issues(self, slug: str, raw: list[Any]) -> list[Issue]:
        """Issues of a page; one numbered outside 1..2^31-1 is skipped and counted, never
        stored (an issue 0 would break every later plan)."""
        out = []
        for item in raw:
            try:
                out.append(issue_from_json(slug, item))
            except InvalidIssueError:
                self.stats.skipped += 1
        return out

    # ------------------------------------------------------------------ requests
    def _get_all(self, path: str, what: str) -> list[Any]:
        out: list[Any] = []
        page = 1
        while True:
            params = {"per_page": self._per_page, "page": page}
            resp = self._get(path, params, what=what, remember=True)
            items = _expect_list(resp.data, what)
            out.extend(items)
            if not _has_next(resp.headers):
                return out
            _check_progress(items, page, what)
            page += 1

    def _get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        etag: str | None = None,
        what: str,
        remember: bool = False,
    ) -> _Response:
        """GET with retries: transient failures back off, rate limits wait or stop cleanly.
        `remember`: conditional on the stored answer's ETag, which a 304 then stands for."""
        key: str | None = None
        stored: tuple[str, str, bytes] | None = None
        if remember and etag is None and self._responses is not None:
            key = _response_key(self.api_url + path, params)
            stored = self._responses.lookup(key)
            if stored is not None:
                etag = stored[0]
        headers = {"If-None-Match": etag} if etag else {}
        attempt = 0
        accepted = 0
        while True:
            self.stats.requests += 1
            try:
                answer = self._fetch(path, dict(params or {}), headers, what)
            except _Transient as exc:
                attempt = self._backoff(attempt, what, str(exc))
                continue
            self._note_rate(answer.headers)
            status = answer.status
            if status == 304:
                self.stats.not_modified += 1
                if stored is not None:
                    try:
                        data = _parse_json(stored[2])
                    except _Transient:
                        stored, etag, headers = None, None, {}  # a damaged entry: ask afresh
                        continue
                    link = {"link": stored[1]} if stored[1] else {}
                    return _Response(data, {**answer.headers, **link}, False, stored[0])
                return _Response(None, answer.headers, True, answer.headers.get("etag") or etag)
            if status == 202:
                # "Still computing": GitHub asks to come back; never forever.
                accepted += 1
                if accepted > MAX_ACCEPTED:
                    raise NetworkError(
                        f"GitHub is still preparing {what} (202 Accepted, {accepted} times); "
                        "try again in a few minutes"
                    )
                self._countdown(self._delay(accepted - 1), f"GitHub is preparing {what}")
                continue
            if status >= 400 or status < 200:
                attempt = self._handle_error(status, answer, attempt, what)
                continue
            if not answer.body.strip():
                attempt = self._backoff(attempt, what, "an empty answer")
                continue
            try:
                data = _parse_json(answer.body)
            except _Transient as exc:
                attempt = self._backoff(attempt, what, str(exc))
                continue
            self._check_page(path, params, answer.body, what)
            new_etag = answer.headers.get("etag")
            if key is not None and self._responses is not None and new_etag:
                self._responses.remember(key, new_etag, answer.headers.get("link", ""), answer.body)
            return _Response(data, answer.headers, False, new_etag or etag)

    def _fetch(
        self, path: str, params: dict[str, Any], headers: dict[str, str], what: str
    ) -> _Answer:
        """One request under one deadline, following same-host redirects a bounded number of
        times; the body is read in pieces so neither a trickle nor a flood goes unchecked."""
        if self._min_interval:
            gap = self._last_request + self._min_interval - time.monotonic()
            if gap > 0:
                self._sleep(gap)
        self._last_request = time.monotonic()
        deadline = time.monotonic() + self._deadline
        url = path if path.startswith(("http://", "https://")) else self.api_url + path
        seen: set[str] = set()
        for _hop in range(MAX_REDIRECTS + 1):
            self._check_same_host(url, what)
            send = dict(headers)
            if self._token:
                send["Authorization"] = f"token {self._token.reveal()}"
            left = deadline - time.monotonic()
            try:
                resp = self._session.get(
                    url,
                    params=params or None,
                    headers=send,
                    stream=True,
                    allow_redirects=False,
                    timeout=(min(self._connect_timeout, left), min(self._timeout, left)),
                )
            except requests.exceptions.RequestException as exc:
                raise _connection_error(exc, self.api_url, what) from None
            try:
                if resp.status_code in _REDIRECTS and resp.headers.get("location"):
                    target = urljoin(resp.url, resp.headers["location"])
                    seen.add(resp.url)
                    if target in seen:
                        raise NetworkError(
                            f"GitHub redirects {what} in a loop ({safe_line(target, 100)}); "
                            "stopped"
                        )
                    url, params = target, {}
                    continue
                body = self._read_body(resp, deadline, what)
                lower = {k.lower(): v for k, v in resp.headers.items()}
                return _Answer(resp.status_code, lower, body)
            finally:
                resp.close()
        raise NetworkError(
            f"GitHub redirected {what} more than {MAX_REDIRECTS} times; stopped"
        )

    def _read_body(self, resp: requests.Response, deadline: float, what: str) -> bytes:
        length = header_int(resp.headers.get("content-length"), hi=2**62)
        if length is not None and length > self._max_body:
            raise NetworkError(_too_large(what, self._max_body))
        parts: list[bytes] = []
        size = 0
        raw = resp.raw
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise NetworkError(_too_slow(what, self._deadline))
            _set_read_timeout(raw, min(self._timeout, left))
            try:
                chunk = raw.read1(65536)
            except _TRANSIENT as exc:
                if time.monotonic() >= deadline:
                    raise NetworkError(_too_slow(what, self._deadline)) from None
                raise _Transient(_describe(exc)) from None
            if not chunk:
                if length is not None and size < length:
                    raise _Transient("a dropped connection (the answer was cut short)")
                return b"".join(parts)
            size += len(chunk)
            if size > self._max_body:
                raise NetworkError(_too_large(what, self._max_body))
            parts.append(chunk)

    def _check_same_host(self, url: str, what: str) -> None:
        parts = urlsplit(url)
        if (parts.scheme, (parts.hostname or "").lower(), parts.port) != self._origin:
            raise NetworkError(
                f"GitHub sent {what} to another host ({safe_line(parts.hostname or url, 100)}); "
                f"not followed: prready only talks to {safe_line(self._origin[1], 100)}, the API "
                "host it was given"
            )

    def _check_page(
        self, path: str, params: dict[str, Any] | None, body: bytes, what: str
    ) -> None:
        """A listing must make progress: a page repeating an earlier page of the same query
        (a server ignoring `page` or `since`) or more than MAX_PAGES pages stops it."""
        if not params or "page" not in params:
            return
        key = path + "?" + "&".join(
            f"{k}={v}" for k, v in sorted(params.items()) if k not in ("page",)
        )
        digest = hashlib.sha256(body).hexdigest()
        page = int(params["page"])
        count, seen = self._pages.get(key, (0, {}))
        earlier = seen.get(digest)
        if earlier is not None and earlier != page and body.strip() not in (b"[]", b"{}"):
            raise NetworkError(
                f"GitHub's pages of {what} do not make progress (page {params['page']} "
                "repeats an earlier page); stopped (everything fetched so far is saved)"
            )
        count += 1
        if count > MAX_PAGES:
            raise NetworkError(
                f"GitHub's pages of {what} go on past {MAX_PAGES} pages; stopped "
                "(everything fetched so far is saved)"
            )
        seen.setdefault(digest, page)
        self._pages[key] = (count, seen)

    def _handle_error(self, status: int, answer: _Answer, attempt: int, what: str) -> int:
        headers = answer.headers
        try:
            data = _parse_json(answer.body) if answer.body.strip() else None
        except _Transient:
            data = None
        message = _message(data, self._secret_text)
        if status == 401:
            raise NetworkError(
                "GitHub rejected the token (401 Bad credentials)", advice="check_token"
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
        if status in _REDIRECTS:
            raise RepoMovedError(f"GitHub answered {status} for {what} without a new location")
        if status >= 500:
            return self._backoff(attempt, what, f"HTTP {status}")
        raise NetworkError(f"GitHub refused the request for {what} (HTTP {status}: {message})")

    def _wait_rate_limit(
        self, headers: dict[str, Any], message: str, attempt: int, what: str
    ) -> int:
        now = self._clock()
        retry_after = retry_after_seconds(headers.get("retry-after"), now)
        remaining = header_int(headers.get("x-ratelimit-remaining"))
        if retry_after is not None or (remaining != 0 and "secondary" in message.lower()):
            # Secondary limit: honour Retry-After, else back off (GitHub says at least a minute).
            delay = retry_after if retry_after is not None else max(60.0, self._delay(attempt))
            if attempt >= self._max_retries or delay > self._wait_limit:
                raise RateLimitError(
                    f"GitHub's secondary rate limit keeps refusing {what}; run the same command "
                    f"again after {clock.utc_minutes(now + max(delay, 60.0))} (everything fetched so far "
                    "is saved)",
                    clock.iso_from_epoch(int(now + max(delay, 60.0))),
                )
            self._countdown(delay, "secondary rate limit")
            self.stats.retries += 1
            return attempt + 1
        reset = reset_epoch(headers.get("x-ratelimit-reset"), now)
        wait = max(0.0, reset - now) + 1.0
        if wait > self._wait_limit or attempt >= self._max_retries:
            # Never name a time in the past: a reset that has passed means "in a minute".
            shown = int(max(reset, now + 60))
            raise RateLimitError(_rate_limit_message(shown, self.authenticated), clock.iso_from_epoch(shown))
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
        if self._progress is None:
            self._sleep(delay)
        else:
            self._countdown(delay, f"{reason} for {what}: retrying")
        return attempt + 1

    def _delay(self, attempt: int) -> float:
        return float(min(self._backoff_cap, self._backoff_base * (2**attempt)))

    def _countdown(self, seconds: float, label: str) -> None:
        """Sleep in one-second steps, reporting the seconds left so the wait is visible."""
        total = int(seconds + 0.999)
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
        ):
            value = header_int(lower.get(key))
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
def _response_key(url: str, params: dict[str, Any] | None) -> str:
    """The stored answer's name: the URL with its query in a fixed order (never a token)."""
    query = urlencode(sorted((str(k), str(v)) for k, v in (params or {}).items()))
    return f"{url}?{query}" if query else url


def _has_next(headers: dict[str, Any]) -> bool:
    link = {str(k).lower(): v for k, v in headers.items()}.get("link") or ""
    return "next" in link_targets(link)


def _check_progress(items: list[Any], page: int, what: str) -> None:
    """An empty page that still says rel="next" would page on for ever."""
    if not items:
        raise NetworkError(
            f"GitHub's pages of {what} do not make progress (page {page} is empty but says "
            "another follows); stopped (everything fetched so far is saved)"
        )


def _parse_json(body: bytes) -> Any:
    try:
        text = body.decode("utf-8", errors="replace")
        data = json.loads(text)
    except RecursionError:
        raise NetworkError("GitHub sent JSON nested too deeply to read") from None
    except ValueError:
        raise _Transient("malformed JSON") from None
    if too_deep(data, MAX_JSON_DEPTH):
        raise NetworkError(f"GitHub sent JSON nested more than {MAX_JSON_DEPTH} levels deep")
    return data


def _set_read_timeout(raw: Any, seconds: float) -> None:
    """Bound the next read by what is left of the deadline (urllib3 keeps the socket in the
    http.client response's buffered reader; absent once the body is consumed)."""
    try:
        sock = raw._fp.fp.raw._sock
    except AttributeError:
        return
    try:
        sock.settimeout(max(seconds, 0.01))
    except OSError:
        return


def _connection_error(exc: BaseException, api_url: str, what: str) -> Exception:
    """Name a failure to connect for what it is; only timeouts and resets are retried."""
    host = safe_line(urlsplit(api_url).hostname or api_url, 100)
    chain: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and len(chain) < 12:
        chain.append(cur)
        nxt = cur.__cause__ or cur.__context__
        if nxt is None and cur.args and isinstance(cur.args[0], BaseException):
            nxt = cur.args[0]
        if nxt is None and hasattr(cur, "reason") and isinstance(cur.reason, BaseException):
            nxt = cur.reason
        cur = nxt if nxt not in chain else None
    text = " ".join(str(e) for e in chain).lower()
    if any(isinstance(e, socket.gaierror) for e in chain) or "name resolution" in text or (
        "name or service not known" in text or "nodename nor servname" in text
    ):
        return NetworkError(
            f"cannot find {host}: the name does not resolve (DNS failure); check the network",
            advice="api_url_or_offline",
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return NetworkError(
            f"connection to {host} refused: nothing listens there", advice="check_api_url"
        )
    if any(isinstance(e, ssl.SSLError) for e in chain) or isinstance(
        exc, requests.exceptions.SSLError
    ):
        return NetworkError(
            f"TLS error talking to {host} (certificate or protocol); check the clock, a proxy "
            "or REQUESTS_CA_BUNDLE"
        )
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return NetworkError(
            f"cannot reach {host}: no answer to connecting within a few seconds (timeout); "
            "check the network",
            advice="work_offline",
        )
    if isinstance(exc, requests.exceptions.ProxyError):
        return NetworkError(f"the proxy refused the connection to {host}; check HTTPS_PROXY")
    if any(isinstance(e, OSError) and getattr(e, "errno", None) in (101, 113) for e in chain):
        return NetworkError(f"cannot reach {host}: the network is unreachable")
    return _Transient(_describe(exc))


def _too_large(what: str, cap: int) -> str:
    return f"GitHub's answer for {what} is larger than {cap // 2**20} MB; refused"


def _too_slow(what: str, deadline: float) -> str:
    return (
        f"GitHub took more than {deadline:g} s to answer for {what} (the per-request "
        "deadline); try again later (everything fetched so far is saved)"
    )


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


def _message(data: Any, secret: str = "") -> str:
    """The server's message, printable, bounded, and without our token even if the server
    (a proxy, an Enterprise box) chose to echo it back."""
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        text = data["message"]
    else:
        text = ""
    text = redact_secret(text, secret)
    return safe_line(text, 200)


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
    if isinstance(
        exc,
        requests.exceptions.Timeout | TimeoutError | socket.timeout
        | urllib3.exceptions.TimeoutError,
    ):
        return "a timeout (no answer within the read timeout)"
    if isinstance(exc, ConnectionResetError) or "reset" in str(exc).lower():
        return "a connection reset"
    return "a dropped connection"


def _rate_limit_message(reset: int, authenticated: bool) -> str:
    when = datetime.fromtimestamp(reset, tz=timezone.utc)
    local = when.astimezone().strftime("%H:%M %Z").strip()
    utc = clock.utc_minutes(reset)
    hint = "" if authenticated else " (no token: 60 requests/hour; set GITHUB_TOKEN for 5,000)"
    return (
        f"GitHub API rate limit reached{hint}; everything fetched so far is saved: run the "
        f"same command again after {local} ({utc})"
    )
