"""Network faults against the loopback GitHub server, through the real `prready sync`
command: 5xx bursts, dropped connections, read timeouts, malformed JSON, wrong shapes,
rate limits mid-sync, 401 and 404. Each is retried or reported in one line; the store
stays consistent and the next run resumes without duplicates."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from prready.paths import resolve_paths
from rhelpers import (
    REPO,
    add_issues,
    assert_clean_failure,
    assert_ok,
    cache_rows,
    fast_client,
    inject_after,
    integrity,
    invoke,
    plan_args,
)

TOKEN = "ghp_networkFaultsToken000000000000000000"
N_ISSUES = 30  # three walk pages of 10


def sync(server: Any, *extra: str) -> Any:
    return invoke("sync", REPO, "--api-url", server.url, "--token", TOKEN, *extra)


def assert_store_consistent(expected: int | None = None) -> int:
    """integrity_check ok, no duplicate rows; returns how many issues are stored."""
    db = resolve_paths().cache_db
    assert integrity(db) == "ok"
    stored = cache_rows("gh_issues")
    if expected is not None:
        assert stored == expected
    return stored


def full_resync_works(server: Any, issues: list[int]) -> None:
    server.clear_faults()
    assert_ok(sync(server))
    assert_store_consistent(len(issues))


# ---------------------------------------------------------------------- retried faults
@pytest.mark.parametrize("code", [500, 502, 503, 504])
def test_5xx_burst_is_retried_and_sync_completes(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    issues = add_issues(github_server, n=N_ISSUES)
    sleeps = fast_client(monkeypatch)
    inject_after(github_server, r"/issues$", 1, "status", times=3, code=code)
    result = sync(github_server)
    assert_ok(result)
    assert_store_consistent(len(issues))
    # Exponential backoff (1 + 2 + 4 s), counted down second by second where it shows.
    assert sum(sleeps.calls) == pytest.approx(7.0)
    assert f"HTTP {code}" in result.stderr and "retrying" in result.stderr
    assert github_server.count(r"/issues$", status=code) == 3


@pytest.mark.parametrize(
    ("kind", "opts"),
    [("drop", {"fraction": 0.5}), ("drop", {"fraction": 0.0}), ("malformed", {})],
)
def test_dropped_or_malformed_answer_mid_sync_is_retried(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, kind: str, opts: dict[str, Any]
) -> None:
    issues = add_issues(github_server, n=N_ISSUES)
    sleeps = fast_client(monkeypatch)
    inject_after(github_server, r"/issues$", 2, kind, times=2, **opts)
    assert_ok(sync(github_server))
    assert_store_consistent(len(issues))
    assert len(sleeps.calls) >= 2


def test_read_timeout_is_retried(github_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    issues = add_issues(github_server, n=N_ISSUES)
    sleeps = fast_client(monkeypatch, timeout=1)
    inject_after(github_server, r"/issues$", 1, "slow", times=1, delay=2.5)
    assert_ok(sync(github_server))
    assert_store_consistent(len(issues))
    assert sleeps.calls  # the timed-out request was retried after a backoff


def test_persistent_5xx_stops_in_one_line_and_next_run_resumes(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    issues = add_issues(github_server, n=N_ISSUES)
    fast_client(monkeypatch)
    inject_after(github_server, r"/issues$", 2, "status", times=None, code=503)
    line = assert_clean_failure(sync(github_server), code=1, match="kept failing")
    assert "saved" in line
    kept = assert_store_consistent()
    # The two pages committed before the outage (the keyset cursor overlaps by one issue).
    assert 10 < kept < N_ISSUES
    github_server.reset_log()
    full_resync_works(github_server, issues)
    # The resumed walk did not start over: it asked for what was left, not all three pages.
    walk = [
        r.query
        for r in github_server.requests
        if r.path.endswith("/issues")
        and r.query.get("direction") == "asc"
        and r.query.get("labels") == "good first issue"
    ]
    assert walk and all(q.get("since") for q in walk), walk  # from the cursor, not page 1
    assert len(walk) < 4  # a walk from scratch takes 4 pages


def test_server_unreachable_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_client(monkeypatch)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the block ends: nothing listens there
    result = invoke("sync", REPO, "--api-url", f"http://127.0.0.1:{port}", "--token", TOKEN)
    assert_clean_failure(result, code=1, match="connection to 127.0.0.1 refused")


# ---------------------------------------------------------------------- reported faults
@pytest.mark.parametrize(
    "body", [{"items": []}, {"message": "hello"}, "a string", 42, [1, 2, 3], [{"no": "number"}]]
)
def test_200_with_unexpected_shape_is_one_line(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, body: Any
) -> None:
    add_issues(github_server, n=N_ISSUES)
    fast_client(monkeypatch)
    inject_after(github_server, r"/issues$", 1, "unexpected", times=1, body=body)
    line = assert_clean_failure(sync(github_server), code=1, match="unexpected")
    assert "Traceback" not in line
    assert_store_consistent(10)  # the page before the bad one is kept


def test_unexpected_shape_for_repository_is_one_line(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=3)
    fast_client(monkeypatch)
    github_server.inject(r"^/repos/[^/]+/[^/]+$", "unexpected", times=1, body=["not", "a", "repo"])
    assert_clean_failure(sync(github_server), code=1, match="unexpected answer for repository")
    assert cache_rows("gh_issues") == 0


def test_primary_rate_limit_mid_sync_stops_cleanly_and_resumes(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    issues = add_issues(github_server, n=N_ISSUES)
    sleeps = fast_client(monkeypatch)
    # repo + labels + two issue pages, then the budget is gone for an hour.
    github_server.set_rate_limit(limit=5000, remaining=4, reset_in=3600)
    line = assert_clean_failure(sync(github_server), code=1, match="rate limit")
    assert "run the same command again after" in line and "UTC" in line
    assert sleeps.calls == []  # an hour is too long to wait: it stops instead
    assert 10 < assert_store_consistent() < N_ISSUES  # committed pages kept
    github_server.set_rate_limit(limit=5000, remaining=5000)
    full_resync_works(github_server, issues)


def test_primary_rate_limit_with_near_reset_waits_then_completes(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    issues = add_issues(github_server, n=N_ISSUES)
    sleeps = fast_client(monkeypatch)
    inject_after(github_server, r"/issues$", 1, "rate_limit_primary", times=1, reset_in=3)
    result = sync(github_server)
    assert_ok(result)
    assert_store_consistent(len(issues))
    assert 2 <= sum(sleeps.calls) <= 6
    assert "rate limit" in result.stderr  # the wait is visible


@pytest.mark.parametrize("code", [403, 429])
def test_secondary_rate_limit_honours_retry_after(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    issues = add_issues(github_server, n=N_ISSUES)
    sleeps = fast_client(monkeypatch)
    inject_after(
        github_server, r"/issues$", 1, "rate_limit_secondary", times=1, retry_after=4, code=code
    )
    assert_ok(sync(github_server))
    assert_store_consistent(len(issues))
    assert sum(sleeps.calls) == pytest.approx(4.0)


def test_persistent_secondary_rate_limit_stops_in_one_line(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=N_ISSUES)
    fast_client(monkeypatch)
    inject_after(github_server, r"/issues$", 1, "rate_limit_secondary", times=None, retry_after=1)
    assert_clean_failure(sync(github_server), code=1, match="secondary rate limit")
    assert_store_consistent(10)


def test_bad_token_401_is_one_line_without_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from ghserver import GitHubServer

    fast_client(monkeypatch)
    with GitHubServer(expected_token="the-right-one") as server:
        add_issues(server, n=3)
        result = invoke("sync", REPO, "--api-url", server.url, "--token", TOKEN)
    line = assert_clean_failure(result, code=1, match="401")
    assert TOKEN not in result.output and TOKEN not in line
    assert cache_rows("gh_issues") == 0


def test_missing_repository_404_is_one_line(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_client(monkeypatch)
    add_issues(github_server, repo="acme/other", n=2)
    assert_clean_failure(sync(github_server), code=1, match="GitHub has no repository acme/widgets")
    assert cache_rows("gh_issues") == 0


def test_404_for_issues_mid_sync_is_one_line_and_keeps_pages(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=N_ISSUES)
    fast_client(monkeypatch)
    inject_after(
        github_server, r"/issues$", 1, "status", times=1, code=404, body={"message": "Not Found"}
    )
    assert_clean_failure(sync(github_server), code=1, match="404")
    assert_store_consistent(10)


def test_tracked_issue_gone_from_github_is_flagged_not_fatal(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from gitfixtures import make_history_repo

    fast_client(monkeypatch, per_page=100)
    add_issues(github_server, n=6)
    assert_ok(invoke("track", f"{REPO}#99", "start", "--force"))  # #99 does not exist
    checkout = make_history_repo(tmp_path)
    result = invoke(
        *plan_args(
            checkout,
            github_server.url,
            TOKEN,
            "--format",
            "json",
            "--output",
            str(tmp_path / "p.json"),
        ),
    )
    assert_ok(result)
    status = invoke("status", REPO, "--format", "json")
    assert "no longer on GitHub" in status.stdout
