"""Helpers shared by the reliability tests: run the real CLI, check that a failure is one
clean line, read the stores back, and build loopback GitHub datasets."""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from prready.cli import cli
from prready.cli.runtime import Injected
from prready.paths import resolve_paths

REPO = "acme/widgets"
SRC = Path(__file__).resolve().parents[1] / "src"


# The GitHub client factory the next in-process runs hand the CLI (set by `fast_client`
# for one test through monkeypatch.setitem, so it is reset afterwards).
CLIENT: dict[str, Any] = {"factory": None}


def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """Run `prready ARGS` in-process, as a user would (stdout and stderr kept apart); the
    CLI gets the injected client factory, if a test set one, as its caller's object."""
    injected = Injected(client_factory=CLIENT["factory"])
    return CliRunner().invoke(
        cli, list(args), env=env, input=input, catch_exceptions=True, obj=injected
    )


def assert_clean_failure(result: Result, code: int | None = None, match: str = "") -> str:
    """Non-zero exit, no traceback, the error is one line; returns that line."""
    assert result.exit_code != 0, result.output
    if code is not None:
        assert result.exit_code == code, (result.exit_code, result.output)
    # A library exception escaping the CLI would show here as something other than SystemExit.
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    line = errors[0]
    assert len(line) < 600, line
    if match:
        assert match.lower() in line.lower(), line
    return line


def assert_ok(result: Result) -> None:
    assert result.exit_code == 0, (result.exit_code, result.output, repr(result.exception))
    assert "Traceback" not in result.output


def cache_rows(table: str, repo: str = REPO) -> int:
    """Rows of `table` in the cache store for `repo` (0 when the store does not exist)."""
    path = resolve_paths().cache_db
    if not path.exists():
        return 0
    conn = sqlite3.connect(path)
    try:
        if not conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (table,)
        ).fetchone():
            return 0
        return int(
            conn.execute(f"SELECT count(*) FROM {table} WHERE repo = ?", (repo,)).fetchone()[0]
        )
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def run_prready(
    args: Sequence[str], env: dict[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m prready ARGS` in a real subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "prready", *args],
        env=subprocess_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def subprocess_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The test's environment (PRREADY_HOME, HOME, git isolation) plus `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_TOKEN", "GH_TOKEN")}
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
    return env


def add_issues(
    server: Any, repo: str = REPO, n: int = 30, label: str = "good first issue", **fields: Any
) -> list[int]:
    """`n` open issues with one label, one hour apart (distinct updated_at)."""
    ds = server.dataset
    known: set[str] = ds.__dict__.setdefault("_reliability_repos", set())
    if repo not in known:
        ds.add_repo(repo)
        ds.add_label(repo, "good first issue")
        ds.add_label(repo, "bug")
        known.add(repo)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(
        hours=len(ds.__dict__.setdefault("_reliability_made", []))
    )
    out = []
    for k in range(n):
        when = (start + timedelta(hours=k)).strftime("%Y-%m-%dT%H:%M:%SZ")
        title = fields.get("title") or f"issue {k}"
        extra = {key: v for key, v in fields.items() if key != "title"}
        out.append(ds.add_issue(repo, title, labels=[label], created_at=when, **extra))
    ds.__dict__["_reliability_made"].extend(out)
    return out


class NoSleep:
    """Records backoff and rate-limit waits instead of sleeping through them."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fast_client(monkeypatch: Any, per_page: int = 10, **options: Any) -> NoSleep:
    """Make the CLI's GitHub client record its sleeps and use small pages (the real client,
    the real retry loop; only the clock is not waited on): injected through the workspace
    as its client factory, for this test only."""
    from prready.sources.github_api import GitHubClient

    sleeps = NoSleep()
    factory = functools.partial(GitHubClient, sleep=sleeps, per_page=per_page, **options)
    monkeypatch.setitem(CLIENT, "factory", factory)
    return sleeps


def inject_after(
    server: Any, path_regex: str, skip: int, kind: str, times: int | None = 1, **opts: Any
) -> threading.Event:
    """Let `skip` requests matching `path_regex` through, then inject a fault (mid-sync).

    Returns an Event set when the faulty request arrives (before it is answered)."""
    original = server.respond
    seen = [0]
    lock = threading.Lock()
    fired = threading.Event()

    def respond(path: str, query: dict[str, str], headers: dict[str, str], base_url: str) -> Any:
        if re.search(path_regex, path):
            with lock:
                seen[0] += 1
                if seen[0] == skip + 1:
                    server.inject(path_regex, kind, times=times, **opts)
                    fired.set()
        return original(path, query, headers, base_url)

    server.respond = respond
    return fired


def plan_args(checkout: Path, api_url: str, token: str, *extra: str) -> list[str]:
    """`prready plan REPO` against a local checkout and the loopback server."""
    return ["plan", REPO, "--checkout", str(checkout), "--api-url", api_url, "--token", token,
            *extra]  # fmt: skip
