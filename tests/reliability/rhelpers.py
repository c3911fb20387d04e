"""Helpers shared by the reliability tests: run the real CLI, check that a failure is one
clean line, read the stores back, and build loopback GitHub datasets."""

from __future__ import annotations

import functools
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from prready.cli import cli
from prready.paths import resolve_paths

REPO = "acme/widgets"
SRC = Path(__file__).resolve().parents[2] / "src"


def invoke(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """Run `prready ARGS` in-process, as a user would (stdout and stderr kept apart)."""
    return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=True)


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
        return int(conn.execute(f"SELECT count(*) FROM {table} WHERE repo = ?", (repo,)).fetchone()[0])
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


def add_issues(server: Any, repo: str = REPO, n: int = 30, label: str = "good first issue",
               start_hour: int = 0, **fields: Any) -> list[int]:  # fmt: skip
    """`n` open issues with one label, one hour apart (distinct updated_at)."""
    ds = server.dataset
    if repo not in getattr(ds, "_prready_repos", set()):
        ds.add_repo(repo)
        ds.add_label(repo, "good first issue")
        ds.add_label(repo, "bug")
        ds._prready_repos = {*getattr(ds, "_prready_repos", set()), repo}
    out = []
    for k in range(n):
        hour = start_hour + k
        when = f"2026-{1 + hour // 600:02d}-{1 + (hour // 24) % 25:02d}T{hour % 24:02d}:00:00Z"
        out.append(
            ds.add_issue(repo, fields.pop("title", None) or f"issue {hour}", labels=[label],
                         created_at=when, **fields)  # fmt: skip
        )
    return out


class NoSleep:
    """Records backoff and rate-limit waits instead of sleeping through them."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def fast_client(monkeypatch: Any, per_page: int = 10) -> NoSleep:
    """Make the CLI's GitHub client record its sleeps and use small pages (the real client,
    the real retry loop; only the clock is not waited on)."""
    from prready.app import plan as plan_app
    from prready.app import sync as sync_app
    from prready.sources.github_api import GitHubClient

    sleeps = NoSleep()
    factory = functools.partial(GitHubClient, sleep=sleeps, per_page=per_page)
    monkeypatch.setattr(sync_app, "GitHubClient", factory)
    monkeypatch.setattr(plan_app, "GitHubClient", factory)
    return sleeps
