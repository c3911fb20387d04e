"""HTTP limits against hostile or broken servers, through the real `prready sync`: every
request has a deadline, bodies are size-capped, pagination must make progress, 202s and
redirects are bounded, rate-limit headers in any form are clamped, network errors are
named for what they are, and the token only ever goes to the API's own host."""

from __future__ import annotations

import re
import socket
import struct
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import pytest

from rawserver import RawServer, head
from rhelpers import (
    REPO,
    NoSleep,
    add_issues,
    assert_clean_failure,
    assert_ok,
    fast_client,
    invoke,
)

TOKEN = "ghp_httpLimitsToken0000000000000000000000"


def client_factory(monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> NoSleep:
    return fast_client(monkeypatch, **kwargs)


def sync(url: str, *extra: str) -> Any:
    return invoke("sync", REPO, "--api-url", url, "--token", TOKEN, *extra)


def rewrite(server: Any, path_regex: str, change: Any, times: int | None = None) -> list[int]:
    """Let the loopback server answer, then pass (reply, query, base_url) to `change`."""
    original = server.respond
    hits = [0]

    def respond(path: str, query: dict[str, str], headers: dict[str, str], base_url: str) -> Any:
        reply = original(path, query, headers, base_url)
        if re.search(path_regex, path) and (times is None or hits[0] < times):
            hits[0] += 1
            change(reply, query, base_url + path)
        return reply

    server.respond = respond
    return hits


# ---------------------------------------------------------------------- deadline and size
def test_trickled_body_fails_within_the_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    def trickle(conn: socket.socket) -> None:
        conn.sendall(head(Content_Length=1000))
        for _ in range(60):
            conn.sendall(b" ")
            time.sleep(2)

    client_factory(monkeypatch, deadline=3, timeout=30)
    with RawServer(trickle) as server:
        started = time.monotonic()
        result = sync(server.url)
        elapsed = time.monotonic() - started
    assert_clean_failure(result, code=1, match="per-request deadline")
    assert elapsed < 10  # one deadline (3 s) plus a trickle step, not 60 x 2 s


@pytest.mark.parametrize("declared", [True, False])
def test_huge_body_is_refused_without_reading_it_all(
    monkeypatch: pytest.MonkeyPatch, declared: bool
) -> None:
    size = 1_200_000_000
    sent = [0]

    def flood(conn: socket.socket) -> None:
        if declared:
            conn.sendall(head(Content_Length=size))
        else:
            conn.sendall(head(Connection="close"))
        block = b"[" + b"0," * 32767 + b"0"
        while sent[0] < size:
            conn.sendall(block)
            sent[0] += len(block)

    client_factory(monkeypatch, max_body_bytes=4 * 2**20)
    with RawServer(flood) as server:
        result = sync(server.url)
    assert_clean_failure(result, code=1, match="larger than 4 MB")
    assert sent[0] < 64 * 2**20  # stopped reading long before the 1.2 GB


def test_json_nested_100000_deep_is_one_line(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=3)
    client_factory(monkeypatch)

    def nest(reply: Any, query: dict[str, str], url: str) -> None:
        reply.body = b"[" * 100_000 + b"]" * 100_000

    rewrite(github_server, r"/issues$", nest)
    assert_clean_failure(sync(github_server.url), code=1, match="nested")


# ---------------------------------------------------------------------- pagination
def test_link_that_always_says_next_stops_in_one_line(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=3)
    client_factory(monkeypatch)

    def always_next(reply: Any, query: dict[str, str], url: str) -> None:
        page = int(query.get("page", "1"))
        reply.headers["Link"] = f'<{url}?per_page=10&page={page + 1}>; rel="next"'

    rewrite(github_server, r"/labels$", always_next)
    assert_clean_failure(sync(github_server.url), code=1, match="do not make progress")
    assert github_server.count(r"/labels$") < 10


def test_server_repeating_a_page_stops_in_one_line(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=15)
    client_factory(monkeypatch)
    original = github_server.respond

    def ignore_paging(path: str, query: dict[str, str], headers: dict[str, str], base: str) -> Any:
        if path.endswith("/issues") and query.get("direction") == "asc":
            asked = int(query.get("page", "1"))
            query = {k: v for k, v in query.items() if k not in ("page", "since")}
            reply = original(path, query, headers, base)
            reply.headers["Link"] = f'<{base}{path}?page={asked + 1}>; rel="next"'
            return reply
        return original(path, query, headers, base)

    github_server.respond = ignore_paging
    assert_clean_failure(sync(github_server.url), code=1, match="repeats an earlier page")
    assert github_server.count(r"/issues$") < 10


# ---------------------------------------------------------------------- 202 and redirects
def test_202_forever_is_bounded(github_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    add_issues(github_server, n=3)
    client_factory(monkeypatch)

    def accepted(reply: Any, query: dict[str, str], url: str) -> None:
        reply.status, reply.body = 202, b"{}"

    rewrite(github_server, r"^/repos/acme/widgets$", accepted)
    assert_clean_failure(sync(github_server.url), code=1, match="202")
    assert github_server.count(r"^/repos/acme/widgets$") <= 5


@pytest.mark.parametrize("loop", ["self", "pair", "chain"])
def test_same_host_redirect_loop_is_bounded(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, loop: str
) -> None:
    add_issues(github_server, n=3)
    client_factory(monkeypatch)
    counter = [0]

    def redirect(reply: Any, query: dict[str, str], url: str) -> None:
        counter[0] += 1
        target = {
            "self": "/repos/acme/widgets",
            "pair": "/repos/acme/widgets" if counter[0] % 2 == 0 else "/repos/acme/other",
            "chain": f"/repos/acme/widgets?hop={counter[0]}",
        }[loop]
        reply.status, reply.body = 301, b'{"message": "Moved Permanently"}'
        reply.headers["Location"] = target

    rewrite(github_server, r"^/repos/acme/(widgets|other)$", redirect)
    line = assert_clean_failure(sync(github_server.url), code=1, match="redirect")
    assert "loop" in line or "more than 5" in line
    assert github_server.count(r"^/repos/acme/") <= 7


def test_token_is_never_sent_to_another_host(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ghserver import GitHubServer

    add_issues(github_server, n=3)
    client_factory(monkeypatch)
    with GitHubServer() as other:
        add_issues(other, n=3)

        def elsewhere(reply: Any, query: dict[str, str], url: str) -> None:
            reply.status = 302
            reply.headers["Location"] = other.url.replace("127.0.0.1", "localhost") + (
                "/repos/acme/widgets"
            )

        rewrite(github_server, r"^/repos/acme/widgets$", elsewhere)
        assert_clean_failure(sync(github_server.url), code=1, match="another host")
        assert other.requests == []


# ---------------------------------------------------------------------- rate-limit headers
def _printed_time(line: str) -> datetime:
    match = re.search(r"(\d{4}-\d\d-\d\d \d\d:\d\d) UTC", line)
    assert match, line
    return datetime.strptime(match.group(1), "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)


@pytest.mark.parametrize("value", ["inf", "1e999", "99999999999999", "+inf", "86400"])
def test_retry_after_beyond_the_wait_limit_stops_naming_a_future_time(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    add_issues(github_server, n=3)
    sleeps = client_factory(monkeypatch)
    github_server.inject(r"/issues$", "rate_limit_secondary", times=None, code=429)

    def header(reply: Any, query: dict[str, str], url: str) -> None:
        reply.headers["Retry-After"] = value

    rewrite(github_server, r"/issues$", header)
    line = assert_clean_failure(sync(github_server.url), code=1, match="run the same command")
    now = datetime.now(timezone.utc)
    assert now - timedelta(minutes=1) <= _printed_time(line) <= now + timedelta(days=1, minutes=1)
    assert sleeps.calls == []


@pytest.mark.parametrize("form", ["soon", "", "garbage date", "past-date", "future-date", "3.5"])
def test_retry_after_in_any_form_is_waited_or_bounded(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    add_issues(github_server, n=3)
    sleeps = client_factory(monkeypatch)
    now = datetime.now(timezone.utc)
    value = {
        "past-date": format_datetime(now - timedelta(hours=3), usegmt=True),
        "future-date": format_datetime(now + timedelta(seconds=30), usegmt=True),
    }.get(form, form)
    github_server.inject(r"/issues$", "rate_limit_secondary", times=1, code=429)

    def header(reply: Any, query: dict[str, str], url: str) -> None:
        reply.headers["Retry-After"] = value

    rewrite(github_server, r"/issues$", header, times=1)
    assert_ok(sync(github_server.url))
    waited = sum(sleeps.calls)
    if form == "future-date":
        assert 25 <= waited <= 31  # the HTTP-date form is honoured
    elif form == "3.5":
        assert waited == pytest.approx(3.5)
    else:
        assert waited <= 120  # unreadable or past: a bounded backoff, never a crash


@pytest.mark.parametrize("reset", ["inf", "soon", "1e999", "-5", "past"])
def test_unreadable_or_past_ratelimit_reset_waits_briefly(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, reset: str
) -> None:
    add_issues(github_server, n=3)
    sleeps = client_factory(monkeypatch)
    github_server.inject(r"/issues$", "rate_limit_primary", times=1)
    value = str(int(time.time()) - 7200) if reset == "past" else reset

    def header(reply: Any, query: dict[str, str], url: str) -> None:
        reply.headers["X-RateLimit-Reset"] = value
        reply.headers["X-RateLimit-Remaining"] = "0"

    rewrite(github_server, r"/issues$", header, times=1)
    assert_ok(sync(github_server.url))
    assert sum(sleeps.calls) <= 62


def test_far_future_reset_stops_naming_a_time_within_a_day(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=3)
    client_factory(monkeypatch)
    github_server.inject(r"/issues$", "rate_limit_primary", times=None)

    def header(reply: Any, query: dict[str, str], url: str) -> None:
        reply.headers["X-RateLimit-Reset"] = "99999999999999"

    rewrite(github_server, r"/issues$", header)
    line = assert_clean_failure(sync(github_server.url), code=1, match="rate limit")
    now = datetime.now(timezone.utc)
    assert now - timedelta(minutes=1) <= _printed_time(line) <= now + timedelta(days=1, minutes=1)


def test_persistent_limit_with_a_past_reset_never_prints_a_past_time(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=3)
    client_factory(monkeypatch)
    github_server.inject(r"/issues$", "rate_limit_primary", times=None)
    past = str(int(time.time()) - 7200)

    def header(reply: Any, query: dict[str, str], url: str) -> None:
        reply.headers["X-RateLimit-Reset"] = past

    rewrite(github_server, r"/issues$", header)
    line = assert_clean_failure(sync(github_server.url), code=1, match="rate limit")
    assert _printed_time(line) >= datetime.now(timezone.utc) - timedelta(minutes=1)


@pytest.mark.parametrize("value", ["1e999", "inf", "-1", "lots"])
def test_odd_ratelimit_remaining_on_normal_answers_is_ignored(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    add_issues(github_server, n=3)
    client_factory(monkeypatch)

    def header(reply: Any, query: dict[str, str], url: str) -> None:
        reply.headers["X-RateLimit-Remaining"] = value
        reply.headers["X-RateLimit-Reset"] = value

    rewrite(github_server, r".", header)
    assert_ok(sync(github_server.url))


# ---------------------------------------------------------------------- network errors named
def test_dns_failure_is_named_and_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    client_factory(monkeypatch)
    started = time.monotonic()
    result = sync("https://no-such-host.invalid")
    assert_clean_failure(result, code=1, match="DNS")
    assert time.monotonic() - started < 3


def test_connection_refused_is_named_and_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps = client_factory(monkeypatch)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    assert_clean_failure(sync(f"http://127.0.0.1:{port}"), code=1, match="refused")
    assert time.monotonic() - started < 3
    assert sleeps.calls == []


def test_tls_error_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    client_factory(monkeypatch)

    def plain(conn: socket.socket) -> None:
        conn.sendall(head("400 Bad Request", Content_Length=0))

    with RawServer(plain, read_first=False) as server:
        result = sync(server.url.replace("http://", "https://"))
    assert_clean_failure(result, code=1, match="TLS error")


def test_connection_reset_is_named_and_retried_with_a_countdown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sleeps = client_factory(monkeypatch, max_retries=2)

    def reset(conn: socket.socket) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    with RawServer(reset) as server:
        result = sync(server.url)
        attempts = len(server.requests)
    line = assert_clean_failure(result, code=1, match="kept failing")
    assert "reset" in line or "dropped" in line
    assert attempts == 3 and sum(sleeps.calls) == pytest.approx(3.0)
    assert "retrying" in result.stderr and "s left" in result.stderr


def test_unreachable_host_times_out_connecting_within_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sleeps = client_factory(monkeypatch)
    # A listener that never accepts, its backlog full: further connects get no answer,
    # like a host that drops packets.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        filler = socket.create_connection(("127.0.0.1", port))
        started = time.monotonic()
        result = sync(f"http://127.0.0.1:{port}")
        elapsed = time.monotonic() - started
        filler.close()
    assert_clean_failure(result, code=1, match="timeout")
    assert elapsed < 5 and sleeps.calls == []  # 3 s to connect, not retried
