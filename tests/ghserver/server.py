"""A loopback GitHub REST server on 127.0.0.1 (stdlib only): ETag/304, X-RateLimit-*
budgets, 401/403/429 bodies like GitHub's, fault injection and a request log for tests."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import re
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .api import DOCS, ApiRequest, handle
from .dataset import Dataset

FAULT_KINDS = (
    "status",
    "drop",
    "slow",
    "malformed",
    "unexpected",
    "rate_limit_primary",
    "rate_limit_secondary",
)
SECONDARY_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000."
)
_STATUS_MESSAGES = {
    500: "Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass
class RequestRecord:
    """One request as the server saw it (never the token itself)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    if_none_match: bool
    authenticated: bool
    fault: str | None = None


@dataclass
class Fault:
    """An injected misbehaviour for requests whose path matches `pattern`."""

    pattern: re.Pattern[str]
    kind: str
    times: int | None
    opts: dict[str, Any]


@dataclass
class Bucket:
    """A rate-limit budget (per resource, per authenticated or anonymous caller)."""

    limit: int
    remaining: int
    reset: int
    used: int = 0


@dataclass
class _Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    fault: str | None = None
    drop: bool = False


class GitHubServer:
    """Serve `dataset` like api.github.com; use `url` as PyGithub's base_url."""

    def __init__(
        self,
        dataset: Dataset | None = None,
        *,
        expected_token: str | None = None,
        core_limit: int = 5000,
        anonymous_core_limit: int = 60,
        search_limit: int = 30,
        anonymous_search_limit: int = 10,
        port: int = 0,
    ) -> None:
        self.port = port  # 0: an ephemeral port
        self.dataset = dataset if dataset is not None else Dataset()
        self._token_digest = _digest(expected_token) if expected_token is not None else None
        self._limits = {
            ("core", True): core_limit,
            ("core", False): anonymous_core_limit,
            ("search", True): search_limit,
            ("search", False): anonymous_search_limit,
        }
        self._buckets: dict[tuple[str, bool], Bucket] = {}
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self.requests: list[RequestRecord] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> GitHubServer:
        """Listen on 127.0.0.1 (an ephemeral port unless one was given) in a daemon thread."""
        handler = type("BoundHandler", (_Handler,), {"app": self})
        self._httpd = _QuietServer(("127.0.0.1", self.port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="ghserver",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> GitHubServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The API base URL, e.g. http://127.0.0.1:PORT."""
        if self._httpd is None:
            raise RuntimeError("server not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- test controls --------------------------------------------------------

    def inject(self, path_regex: str, kind: str, times: int | None = 1, **opts: Any) -> None:
        """Misbehave on the next `times` requests whose path matches (re.search; None = always).
        kinds: status(code=500, body=None), drop(fraction=0.5), slow(delay=1.0),
        malformed, unexpected(body=None), rate_limit_primary, rate_limit_secondary(retry_after=1, code=403)."""
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; one of {FAULT_KINDS}")
        with self._lock:
            self._faults.append(Fault(re.compile(path_regex), kind, times, opts))

    def clear_faults(self) -> None:
        """Forget every injected fault."""
        with self._lock:
            self._faults.clear()

    def set_rate_limit(
        self,
        limit: int | None = None,
        remaining: int | None = None,
        reset_in: float | None = None,
        *,
        resource: str = "core",
        authenticated: bool | None = None,
    ) -> None:
        """Set a budget (both authenticated and anonymous callers unless `authenticated` given)."""
        with self._lock:
            for auth in (True, False) if authenticated is None else (authenticated,):
                key = (resource, auth)
                if limit is not None:
                    self._limits[key] = limit
                bucket = self._bucket(key)
                if limit is not None:
                    bucket.limit = limit
                bucket.remaining = bucket.limit if remaining is None else remaining
                bucket.used = bucket.limit - bucket.remaining
                if reset_in is not None:
                    bucket.reset = int(time.time() + reset_in)

    def count(self, path_regex: str | None = None, status: int | None = None) -> int:
        """How many logged requests match the path pattern (re.search) and status."""
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (path_regex is None or re.search(path_regex, r.path))
                and (status is None or r.status == status)
            )

    def reset_log(self) -> None:
        """Empty `requests`."""
        with self._lock:
            self.requests.clear()

    # -- request handling -----------------------------------------------------

    def respond(
        self, path: str, query: dict[str, str], headers: dict[str, str], base_url: str
    ) -> _Reply:
        """Everything but the socket: auth, faults, routing, ETag, rate limit."""
        token = _token(headers.get("authorization", ""))
        authenticated = token is not None
        if (
            token is not None
            and self._token_digest is not None
            and not hmac.compare_digest(_digest(token), self._token_digest)
        ):
            return _json_reply(
                401, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"}
            )
        fault = self._take_fault(path)
        if fault is not None and fault.kind == "slow":
            time.sleep(float(fault.opts.get("delay", 1.0)))
        resource = "search" if path.startswith("/search/") else "core"
        if path == "/rate_limit":
            return self._rate_limit_reply(authenticated)
        with self._lock:
            bucket = self._bucket((resource, authenticated))
        if fault is not None and fault.kind not in ("slow", "drop"):
            return self._fault_reply(fault, bucket, authenticated)
        result = handle(self.dataset, ApiRequest(path, query, base_url, authenticated))
        body = json.dumps(result.body).encode()
        etag = 'W/"' + hashlib.sha256(body).hexdigest()[:40] + '"'
        reply_headers = dict(result.headers)
        if result.status == 200:
            reply_headers["ETag"] = etag
            reply_headers["Cache-Control"] = "private, max-age=60, s-maxage=60"
            reply_headers["Vary"] = "Accept, Authorization, Cookie"
            if headers.get("if-none-match") in (etag, etag[2:]):
                # A conditional hit costs no budget, like GitHub.
                return _Reply(304, b"", {"ETag": etag, **self._limit_headers(bucket, resource)})
        with self._lock:
            if bucket.remaining <= 0:
                return self._exhausted_reply(bucket, resource, authenticated)
            bucket.remaining -= 1
            bucket.used += 1
        reply = _Reply(
            result.status, body, {**reply_headers, **self._limit_headers(bucket, result.resource)}
        )
        if fault is not None:
            reply.fault = fault.kind
            reply.drop = fault.kind == "drop"
            reply.headers["X-Drop-Fraction"] = str(fault.opts.get("fraction", 0.5))
        return reply

    def log(self, record: RequestRecord) -> None:
        """Append to the request log."""
        with self._lock:
            self.requests.append(record)

    # -- internals ------------------------------------------------------------

    def _bucket(self, key: tuple[str, bool]) -> Bucket:
        bucket = self._buckets.get(key)
        now = time.time()
        if bucket is None or now >= bucket.reset:
            limit = self._limits[key]
            bucket = Bucket(limit=limit, remaining=limit, reset=int(now + 3600))
            self._buckets[key] = bucket
        return bucket

    def _limit_headers(self, bucket: Bucket, resource: str) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(bucket.limit),
            "X-RateLimit-Remaining": str(max(bucket.remaining, 0)),
            "X-RateLimit-Reset": str(bucket.reset),
            "X-RateLimit-Used": str(bucket.used),
            "X-RateLimit-Resource": resource,
        }

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.times is not None and fault.times <= 0:
                    continue
                if fault.pattern.search(path):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _fault_reply(self, fault: Fault, bucket: Bucket, authenticated: bool) -> _Reply:
        limits = self._limit_headers(bucket, "core")
        if fault.kind == "status":
            code = int(fault.opts.get("code", 500))
            body = fault.opts.get("body") or {
                "message": _STATUS_MESSAGES.get(code, "Error"),
                "documentation_url": DOCS,
                "status": str(code),
            }
            reply = _json_reply(code, body, limits)
        elif fault.kind == "malformed":
            reply = _Reply(
                200,
                b'{"id": 1, "title": "truncat',
                {"Content-Type": "application/json; charset=utf-8", **limits},
            )
        elif fault.kind == "unexpected":
            reply = _json_reply(
                200, fault.opts.get("body", {"unexpected": ["shape"], "items": None}), limits
            )
        elif fault.kind == "rate_limit_primary":
            exhausted = Bucket(
                limit=bucket.limit,
                remaining=0,
                reset=int(time.time() + float(fault.opts.get("reset_in", 60))),
                used=bucket.limit,
            )
            reply = self._exhausted_reply(exhausted, "core", authenticated)
        else:  # rate_limit_secondary
            code = int(fault.opts.get("code", 403))
            body = {
                "message": SECONDARY_MESSAGE,
                "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
            }
            reply = _json_reply(
                code, body, {**limits, "Retry-After": str(int(fault.opts.get("retry_after", 1)))}
            )
        reply.fault = fault.kind
        return reply

    def _exhausted_reply(self, bucket: Bucket, resource: str, authenticated: bool) -> _Reply:
        who = (
            "user ID 1."
            if authenticated
            else "127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)"
        )
        body = {
            "message": f"API rate limit exceeded for {who}",
            "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
        }
        headers = self._limit_headers(Bucket(bucket.limit, 0, bucket.reset, bucket.limit), resource)
        return _json_reply(403, body, headers)

    def _rate_limit_reply(self, authenticated: bool) -> _Reply:
        # GET /rate_limit never costs budget.
        with self._lock:
            core = self._bucket(("core", authenticated))
            search = self._bucket(("search", authenticated))

            def view(b: Bucket) -> dict[str, int]:
                return {
                    "limit": b.limit,
                    "remaining": max(b.remaining, 0),
                    "reset": b.reset,
                    "used": b.used,
                }

            body = {
                "resources": {
                    "core": view(core),
                    "search": view(search),
                    "graphql": view(
                        Bucket(
                            0 if not authenticated else 5000,
                            0 if not authenticated else 5000,
                            core.reset,
                        )
                    ),
                },
                "rate": view(core),
            }
            return _json_reply(200, body, self._limit_headers(core, "core"))


class _QuietServer(ThreadingHTTPServer):
    """Clients that time out or hang up mid-answer are expected here, not worth a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Thin socket layer: parse, ask the app, write (or drop) the reply, log."""

    app: GitHubServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this Nagle adds ~40 ms each.
    disable_nagle_algorithm = True

    def version_string(self) -> str:
        return "GitHub.com"

    timeout = 30

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        base_url = f"http://{headers.get('host') or self.app.url.removeprefix('http://')}"
        try:
            reply = self.app.respond(parts.path, query, headers, base_url)
        except Exception as exc:  # a server bug must surface as a 500, not a hung client
            reply = _json_reply(
                500, {"message": f"ghserver bug: {exc!r}", "documentation_url": DOCS}
            )
        self.app.log(
            RequestRecord(
                method="GET",
                path=parts.path,
                query=query,
                status=reply.status,
                if_none_match="if-none-match" in headers,
                authenticated=_token(headers.get("authorization", "")) is not None,
                fault=reply.fault,
            )
        )
        self._write(reply)

    def _write(self, reply: _Reply) -> None:
        self.send_response(reply.status)
        fraction = float(reply.headers.pop("X-Drop-Fraction", "0.5"))
        headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if reply.drop:
            self.wfile.write(reply.body[: int(len(reply.body) * fraction)])
            self.wfile.flush()
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if reply.status != 304:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read `server.requests` instead of stderr."""


def _json_reply(status: int, body: Any, headers: dict[str, str] | None = None) -> _Reply:
    return _Reply(status, json.dumps(body).encode(), dict(headers or {}))


def _token(authorization: str) -> str | None:
    """The credential in `token X`, `Bearer X` or `Basic ...`, else None."""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() in ("token", "bearer", "basic") and value.strip():
        return value.strip()
    return None


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()
