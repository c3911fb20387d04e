"""The workspace of a command: its stores are opened at most once and closed when the
command ends (on success and on error), it builds at most one GitHub client (none offline),
and a client factory handed to the CLI by its caller is the one used."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from prready.app.workspace import GitHubAccess, Workspace
from prready.cli import cli
from prready.cli.runtime import Injected
from prready.config import Secret
from prready.errors import OfflineError
from prready.paths import Paths, resolve_paths
from prready.sources.github_api import GitHubClient

REPO = "acme/widgets"
TOKEN = "ghp_workspaceTestToken000000000000000000"


class CountingFactory:
    """A client factory that builds the real client (no sleeping) and records each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def __call__(self, api_url: str, token: Secret | None, **options: Any) -> GitHubClient:
        self.calls.append((api_url, token.reveal() if token else None))
        return GitHubClient(api_url, token, sleep=lambda _s: None, per_page=10, **options)


class RefusingFactory:
    def __call__(self, *args: Any, **kwargs: Any) -> GitHubClient:
        raise AssertionError("no GitHub client may be built here")


def open_store_files(paths: Paths) -> list[str]:
    """This process's open descriptors on the two SQLite stores (Linux /proc)."""
    names = {str(paths.cache_db), str(paths.progress_db)}
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target in names:
            found.append(target)
    return found


def run(factory: Any, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj=Injected(client_factory=factory))


def serve(server: Any, issues: int = 3) -> None:
    server.dataset.add_repo(REPO)
    server.dataset.set_authenticated_user("newcomer")
    for k in range(issues):
        server.dataset.add_issue(
            REPO,
            f"issue {k}",
            labels=["bug"],
            created_at=f"2026-01-01T{k % 24:02d}:{k // 24:02d}:00Z",
        )


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")


@needs_proc
def test_stores_open_once_on_first_use_and_close_with_the_block() -> None:
    paths = resolve_paths()
    with Workspace(paths) as ws:
        assert ws.opened == {"cache": 0, "progress": 0, "assessments": 0, "parse": 0, "client": 0}
        assert open_store_files(paths) == []  # nothing is opened before it is needed
        assert ws.cache is ws.cache and ws.progress_store is ws.progress_store
        assert ws.assessments is ws.assessments and ws.parse_cache is ws.parse_cache
        assert ws.opened == {"cache": 1, "progress": 1, "assessments": 1, "parse": 1, "client": 0}
        assert sorted(set(open_store_files(paths))) == sorted(
            {str(paths.cache_db), str(paths.progress_db)}
        )
    assert open_store_files(paths) == []
    with pytest.raises(RuntimeError, match="closed"):
        _ = ws.cache  # a closed workspace does not quietly reopen its stores


@needs_proc
def test_stores_close_when_the_block_ends_in_an_error() -> None:
    paths = resolve_paths()
    with pytest.raises(ValueError), Workspace(paths) as ws:
        ws.cache.execute("SELECT 1")
        ws.progress_store.execute("SELECT 1")
        ws.assessments.load_details("a/b", {1: "k"})
        ws.parse_cache.known("scanner", ["blob"])
        raise ValueError("the command failed")
    assert open_store_files(paths) == []


@needs_proc
def test_stores_close_even_when_stopping_held_work_fails() -> None:
    """Held work that raises while it stops (a cache it cannot write) does not leave the
    stores open; its error is the one raised."""

    class Failing:
        def stop(self) -> None:
            raise OSError("disk full")

    paths = resolve_paths()
    ws = Workspace(paths)
    ws.cache.execute("SELECT 1")
    ws.progress_store.execute("SELECT 1")
    ws.hold(Failing())
    with pytest.raises(OSError, match="disk full"):
        ws.close()
    assert open_store_files(paths) == []
    ws.close()  # closed: nothing left to stop or close


def test_a_fixed_moment_is_shared_by_the_views_of_a_workspace() -> None:
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)
    with Workspace(resolve_paths(), now=datetime(2026, 1, 1)) as ws:
        assert ws.now.tzinfo is timezone.utc  # a naive moment is taken as UTC
        view = ws.at(moment)
        assert view.now == moment and ws.now != moment
        assert view.cache is ws.cache  # the same stores, opened once
        assert ws.opened["cache"] == 1


def test_an_offline_view_shares_the_stores_and_builds_no_client() -> None:
    with Workspace(resolve_paths(), client_factory=RefusingFactory()) as ws:
        view = ws.offline_view()
        assert view.offline and not ws.offline
        assert view.cache is ws.cache and ws.opened["cache"] == 1
        with pytest.raises(OfflineError):
            view.client()
        assert view.offline_view() is view
    with pytest.raises(RuntimeError, match="closed"):
        view.progress_store  # noqa: B018 - closed with the workspace it views


def test_offline_there_is_no_client() -> None:
    with Workspace(resolve_paths(), offline=True, client_factory=RefusingFactory()) as ws:
        with pytest.raises(OfflineError):
            ws.client()
        assert ws.opened["client"] == 0


def test_one_client_per_workspace_with_the_resolved_access(github_server: Any) -> None:
    factory = CountingFactory()
    access = GitHubAccess(github_server.url, Secret(TOKEN))
    with Workspace(resolve_paths(), github=access, client_factory=factory) as ws:
        assert ws.client() is ws.client()
    assert factory.calls == [(github_server.url, TOKEN)]


@needs_proc
def test_sync_builds_one_client_for_issues_and_tracking_and_closes_its_stores(
    github_server: Any,
) -> None:
    serve(github_server)
    factory = CountingFactory()
    result = run(factory, "sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
    assert result.exit_code == 0, result.output
    assert "3 new" in result.output
    # The injected factory built the command's one client, with the options resolved once.
    assert factory.calls == [(github_server.url, TOKEN)]
    assert github_server.count(r"^/user$") == 1  # tracking reused it (one /user, not two)
    assert open_store_files(resolve_paths()) == []


@needs_proc
def test_a_failing_command_still_closes_its_stores(github_server: Any) -> None:
    serve(github_server, issues=30)
    github_server.inject(r"/issues$", "status", times=None, code=503)
    factory = CountingFactory()
    result = run(factory, "sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert len(factory.calls) == 1
    assert open_store_files(resolve_paths()) == []


def test_offline_commands_build_no_client(github_server: Any) -> None:
    serve(github_server)
    synced = run(CountingFactory(), "sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
    assert synced.exit_code == 0, synced.output
    refusing = RefusingFactory()
    for args in (
        ["sync", REPO, "--offline"],
        ["issues", REPO, "--offline"],
        ["track", f"{REPO}#1", "start", "--offline"],
        ["status", REPO],
    ):
        result = run(refusing, *args)
        assert result.exit_code == 0, (args, result.output)


def test_backtest_uses_the_injected_client(github_server: Any, tmp_path: Path) -> None:
    from planfixtures import MINI_SLUG, make_mini_repo

    repo = make_mini_repo(tmp_path)
    github_server.dataset.add_repo(MINI_SLUG)
    factory = CountingFactory()
    result = run(
        factory,
        "backtest",
        MINI_SLUG,
        "--checkout",
        str(repo),
        "--api-url",
        github_server.url,
        "--token",
        TOKEN,
    )
    assert result.exit_code == 0, result.output
    assert factory.calls == [(github_server.url, TOKEN)]
    assert github_server.count(r"^/search/issues") >= 1  # the fake answered, not github.com


def test_a_command_that_never_reads_the_clock_ignores_a_bad_source_date_epoch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "not-a-number")
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 0, result.output
