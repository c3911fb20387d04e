"""`prready sync` against the loopback GitHub server: scope, incremental re-sync with 304s,
closures, resume after interruption, retries, rate limits, error messages, offline."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from prready.app.sync import IssueFile, SyncScope, label_report, refresh_taken, sync_repo
from prready.app.workspace import Workspace
from prready.cli import cli
from prready.config import Secret, UserConfig
from prready.errors import NetworkError, OfflineError, RateLimitError, UsageError
from prready.paths import Paths, resolve_paths
from prready.render.advice import error_text
from prready.sources.github_api import GitHubClient
from prready.store import issues_store as store

REPO = "pytorch/pytorch"
TOKEN = "ghp_secretTOKENvalue123"


@pytest.fixture
def paths() -> Paths:
    return resolve_paths()


class Sleeps:
    """A sleep that only records, so backoff and rate-limit waits take no time."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def build(server: Any, n_gfi: int = 25, n_bug: int = 12, n_nn: int = 7) -> dict[str, list[int]]:
    ds = server.dataset
    ds.add_repo(REPO)
    # "wontfix" stands for the labels outside the default scope (which fetches beginner,
    # bug, docs, tests, feature and size labels: see test_plan_kinds.py for PyTorch's).
    for name in ("good first issue", "bug", "module: nn", "triaged", "wontfix"):
        ds.add_label(REPO, name)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    out: dict[str, list[int]] = {"gfi": [], "bug": [], "nn": [], "other": [], "both": []}
    k = 0

    def add(kind: str, labels: list[str], **kw: Any) -> None:
        nonlocal k
        k += 1
        when = (start + timedelta(hours=k)).strftime("%Y-%m-%dT%H:%M:%SZ")
        out[kind].append(ds.add_issue(REPO, f"{kind} {k}", labels=labels, created_at=when, **kw))

    for _ in range(n_gfi):
        add("gfi", ["good first issue"])
    for _ in range(n_bug):
        add("bug", ["bug", "triaged"])
    for _ in range(n_nn):
        add("nn", ["module: nn"])
    for _ in range(3):
        add("other", ["wontfix"])
    add("both", ["good first issue", "bug"])
    ds.add_issue(REPO, "closed gfi", labels=["good first issue"], state="closed",
                 created_at="2024-06-01T00:00:00Z")  # fmt: skip
    out["pr"] = [ds.add_pull(REPO, "a fix", labels=["bug"], references=[out["bug"][0]])]
    return out


def client_for(
    server: Any, sleeps: Sleeps | None = None, token: str | None = TOKEN, **kw: Any
) -> GitHubClient:
    kw.setdefault("per_page", 10)
    return GitHubClient(
        server.url, Secret(token) if token else None, sleep=sleeps or Sleeps(), **kw
    )


def workspace(
    paths: Paths,
    config: UserConfig | None = None,
    *,
    client: GitHubClient | None = None,
    offline: bool = False,
    progress: Any = None,
) -> Workspace:
    """A workspace whose one GitHub client is `client` (injected through the workspace's
    client factory, as the CLI's caller injects one), or none offline."""
    return Workspace(
        paths,
        config,
        offline=offline,
        progress=progress,
        client_factory=None if client is None else lambda *_args, **_kwargs: client,
    )


def stored_numbers(paths: Paths, state: str = "open") -> list[int]:
    conn = store.open_cache(paths)
    try:
        return [i.number for i in store.load_issues(conn, REPO, state)]
    finally:
        conn.close()


def list_requests(server: Any) -> list[Any]:
    return [r for r in server.requests if r.path.endswith("/issues")]


# ---------------------------------------------------------------------- scope and cost
def test_cold_sync_fetches_beginner_and_bug_issues_one_query_per_label(
    github_server: Any, paths: Paths
) -> None:
    made = build(github_server)
    report = sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    expected = sorted(made["gfi"] + made["bug"] + made["both"])
    assert stored_numbers(paths) == expected  # no nn/other issues, no duplicates
    assert report.issues_new == len(expected) and report.queries == 2
    queries = {r.query.get("labels") for r in list_requests(github_server)}
    assert queries == {"good first issue", "bug"}  # never "a,b": the filter is an AND
    # 26 "good first issue" issues at 10 per page: 3 walk pages + 1 probe (+1 for an overlap).
    gfi = [r for r in list_requests(github_server) if r.query.get("labels") == "good first issue"]
    assert len(gfi) <= 3 + 2
    conn = store.open_cache(paths)
    pulls = store.load_pulls(conn, REPO)
    conn.close()
    assert [p.number for p in pulls] == made["pr"]  # pull requests kept apart


def test_module_labels_and_all_open(github_server: Any, paths: Paths) -> None:
    made = build(github_server)
    sync_repo(
        workspace(paths, client=client_for(github_server)),
        REPO,
        SyncScope(module_labels=("Module: NN",)),
    )
    assert set(made["nn"]) <= set(stored_numbers(paths))
    assert not set(made["other"]) & set(stored_numbers(paths))
    sync_repo(workspace(paths, client=client_for(github_server)), REPO, SyncScope(all_open=True))
    assert set(made["other"]) <= set(stored_numbers(paths))
    with pytest.raises(UsageError, match="did you mean 'module: nn'"):
        sync_repo(
            workspace(paths, client=client_for(github_server)),
            REPO,
            SyncScope(module_labels=("module: nnn",)),
        )


def test_resync_unchanged_costs_only_304s(github_server: Any, paths: Paths) -> None:
    build(github_server)
    sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    github_server.reset_log()
    client = client_for(github_server)
    report = sync_repo(workspace(paths, client=client), REPO)
    assert github_server.requests, "the re-sync asked GitHub"
    assert all(r.status == 304 for r in github_server.requests)
    assert all(r.if_none_match for r in github_server.requests)
    assert report.issues_new == report.issues_updated == 0
    assert report.not_modified == report.requests == len(github_server.requests)


def test_resync_after_changes_updates_and_marks_closed(github_server: Any, paths: Paths) -> None:
    made = build(github_server)
    sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    ds = github_server.dataset
    ds.update_issue(REPO, made["gfi"][0], title="renamed title")
    ds.update_issue(REPO, made["bug"][3], state="closed", state_reason="completed")
    new = ds.add_issue(
        REPO, "brand new", labels=["good first issue"], created_at=datetime.now(timezone.utc)
    )
    github_server.reset_log()
    report = sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    assert report.issues_closed == 1 and report.issues_new == 1 and report.issues_updated >= 1
    assert made["bug"][3] not in stored_numbers(paths)
    assert made["bug"][3] in stored_numbers(paths, "closed")
    assert new in stored_numbers(paths)
    conn = store.open_cache(paths)
    assert store.load_issue(conn, REPO, made["gfi"][0]).title == "renamed title"  # type: ignore[union-attr]
    conn.close()
    per_query: dict[str, int] = {}
    for r in list_requests(github_server):
        per_query[r.query.get("labels", "")] = per_query.get(r.query.get("labels", ""), 0) + 1
        assert "since" not in r.query or r.query.get("state") == "all"
    assert max(per_query.values()) <= 2


def test_large_change_uses_since_catch_up(github_server: Any, paths: Paths) -> None:
    made = build(github_server)
    sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    for number in made["gfi"][:15]:  # more than one 10-item page of changes
        github_server.dataset.update_issue(REPO, number, body="edited")
    github_server.reset_log()
    sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    since = [r for r in list_requests(github_server) if "since" in r.query]
    assert since and all(r.query["state"] == "all" and r.query["sort"] == "updated" for r in since)
    conn = store.open_cache(paths)
    assert all(store.load_issue(conn, REPO, n).body == "edited" for n in made["gfi"][:15])  # type: ignore[union-attr]
    conn.close()


# ---------------------------------------------------------------------- resilience
def test_interrupted_sync_resumes_without_loss_or_duplicates(
    github_server: Any, paths: Paths
) -> None:
    made = build(github_server, n_gfi=60)
    state = {"pages": 0}

    def progress(label: str, done: int, total: int | None) -> None:
        if label.startswith("issues: label:good first issue") and done == 2 and not state["pages"]:
            state["pages"] = done
            github_server.inject(r"/issues$", "drop", times=None)

    client = client_for(github_server, max_retries=1, progress=progress)
    with pytest.raises(NetworkError, match="dropped connection"):
        sync_repo(workspace(paths, client=client, progress=progress), REPO)
    kept = stored_numbers(paths)
    assert len(kept) == 10 + 9  # two pages committed (the keyset cursor re-reads one item)
    github_server.clear_faults()
    github_server.reset_log()
    sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    assert stored_numbers(paths) == sorted(made["gfi"] + made["bug"] + made["both"])
    conn = store.open_cache(paths)
    rows = conn.execute("SELECT count(*), count(DISTINCT number) FROM gh_issues").fetchone()
    conn.close()
    assert rows[0] == rows[1]
    first = [r for r in list_requests(github_server) if r.query.get("labels") == "good first issue"]
    assert first[0].query.get("since"), "the walk resumed from its cursor, not from scratch"


def test_keyboard_interrupt_keeps_committed_pages(github_server: Any, paths: Paths) -> None:
    build(github_server, n_gfi=40)

    def progress(label: str, done: int, total: int | None) -> None:
        if label.startswith("issues: label:") and done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_repo(
            workspace(
                paths, client=client_for(github_server, progress=progress), progress=progress
            ),
            REPO,
        )
    assert len(stored_numbers(paths)) == 10 + 9 + 9  # three pages committed
    sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    assert len(stored_numbers(paths)) == 40 + 12 + 1


def test_5xx_and_malformed_answers_are_retried_with_backoff(
    github_server: Any, paths: Paths
) -> None:
    build(github_server)
    github_server.inject(r"/issues$", "status", times=2, code=502)
    github_server.inject(r"/labels$", "malformed", times=1)
    sleeps = Sleeps()
    report = sync_repo(workspace(paths, client=client_for(github_server, sleeps)), REPO)
    assert report.retries == 3
    assert sorted(sleeps.calls) == [1.0, 1.0, 2.0]  # exponential per request: 1, 2 / 1
    assert len(stored_numbers(paths)) == 38


def test_retries_are_capped(github_server: Any, paths: Paths) -> None:
    build(github_server)
    github_server.inject(r"/issues$", "status", times=None, code=503)
    sleeps = Sleeps()
    with pytest.raises(NetworkError, match=r"after 4 attempts") as info:
        sync_repo(workspace(paths, client=client_for(github_server, sleeps, max_retries=3)), REPO)
    assert sleeps.calls == [1.0, 2.0, 4.0]
    assert "\n" not in str(info.value)


def test_unexpected_shape_is_a_clear_error(github_server: Any, paths: Paths) -> None:
    build(github_server)
    github_server.inject(r"/issues$", "unexpected", times=1, body={"items": []})
    with pytest.raises(NetworkError, match="unexpected answer for issues of pytorch/pytorch"):
        sync_repo(workspace(paths, client=client_for(github_server)), REPO)


def test_rate_limit_exhausted_mid_sync_stops_cleanly_and_resumes(
    github_server: Any, paths: Paths
) -> None:
    made = build(github_server, n_gfi=60)
    github_server.set_rate_limit(limit=5000, remaining=5, reset_in=3600)
    with pytest.raises(RateLimitError) as info:
        sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    message = str(info.value)
    assert (
        "UTC" in message and "run the same command again after" in message and "\n" not in message
    )
    assert info.value.reset_at and info.value.reset_at.endswith("Z")
    assert len(stored_numbers(paths)) == 10 + 9 + 9  # repo + labels + 3 pages fit in the budget
    github_server.set_rate_limit(limit=5000, remaining=5000)
    sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    assert stored_numbers(paths) == sorted(made["gfi"] + made["bug"] + made["both"])


def test_rate_limit_with_near_reset_waits_with_a_countdown(
    github_server: Any, paths: Paths
) -> None:
    build(github_server)
    github_server.inject(r"/issues$", "rate_limit_primary", times=1, reset_in=5)
    sleeps = Sleeps()
    shown: list[str] = []
    client = client_for(github_server, sleeps, progress=lambda label, d, t: shown.append(label))
    sync_repo(workspace(paths, client=client), REPO)
    assert 4 <= sum(sleeps.calls) <= 7
    assert any(re.search(r"rate limit.*\(\d+s left\)", s) for s in shown)
    assert len(stored_numbers(paths)) == 38


def test_secondary_rate_limit_honours_retry_after(github_server: Any, paths: Paths) -> None:
    build(github_server)
    github_server.inject(r"/issues$", "rate_limit_secondary", times=1, retry_after=7)
    sleeps = Sleeps()
    sync_repo(workspace(paths, client=client_for(github_server, sleeps)), REPO)
    assert sum(sleeps.calls) == pytest.approx(7)
    assert len(stored_numbers(paths)) == 38


def test_no_token_works_and_says_so(github_server: Any, paths: Paths) -> None:
    build(github_server)
    report = sync_repo(workspace(paths, client=client_for(github_server, token=None)), REPO)
    assert sum("60 requests an hour" in n for n in report.notes) == 1
    # The loopback server is not github.com: the advice names the Enterprise variable and
    # the host for gh, never GITHUB_TOKEN (which would not be sent there).
    note = next(n for n in report.notes if "60 requests" in n)
    assert "GH_ENTERPRISE_TOKEN" in note and "--hostname 127.0.0.1" in note, note
    assert not any(r.authenticated for r in github_server.requests)
    assert report.rate_limit == 60


def test_bad_token_missing_repo_and_rename_messages(paths: Paths) -> None:
    from ghserver import GitHubServer

    with GitHubServer(expected_token="right-token") as server:
        build(server)
        with pytest.raises(NetworkError) as info:
            sync_repo(workspace(paths, client=client_for(server)), REPO)
        assert "401" in str(info.value) and TOKEN not in str(info.value)
        with pytest.raises(NetworkError, match=r"no repository nobody/nothing \(404\)"):
            sync_repo(
                workspace(paths, client=client_for(server, token="right-token")), "nobody/nothing"
            )
        server.dataset.rename_repo(REPO, "pytorch/torch")
        report = sync_repo(workspace(paths, client=client_for(server, token="right-token")), REPO)
        assert report.repo == "pytorch/torch" and report.renamed_from == REPO
        assert any("renamed to pytorch/torch" in n for n in report.notes)
        conn = store.open_cache(paths)
        assert store.load_issues(conn, "pytorch/torch")
        conn.close()


def test_token_never_reaches_store_or_errors(github_server: Any, paths: Paths) -> None:
    build(github_server)
    sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    github_server.inject(r"/issues$", "status", times=None, code=500)
    with pytest.raises(NetworkError) as info:
        sync_repo(
            workspace(paths, client=client_for(github_server, max_retries=0)),
            REPO,
            SyncScope(all_open=True),
        )
    assert TOKEN not in str(info.value) and TOKEN not in repr(info.value)
    for path in paths.cache.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes()


# ---------------------------------------------------------------------- offline and file
def test_offline_needs_a_store_then_uses_it_without_network(
    github_server: Any, paths: Paths, tmp_path: Path
) -> None:
    build(github_server)
    with pytest.raises(OfflineError, match="stored; run `prready sync ") as info:
        sync_repo(workspace(paths, offline=True), REPO)
    assert info.value.advice == "sync_from_file" and "--" not in str(info.value)
    assert f"`prready sync {REPO} --from-file issues.json`" in error_text(info.value)
    data = [
        {"number": 5, "title": "t", "body": "", "state": "OPEN", "labels": [{"name": "good first issue"}],
         "assignees": [], "author": {"login": "a"}, "url": f"https://github.com/{REPO}/issues/5",
         "createdAt": "2025-01-01T00:00:00Z", "updatedAt": "2025-01-02T00:00:00Z", "comments": 2},
    ]  # fmt: skip
    (tmp_path / "issues.json").write_text(json.dumps(data))
    report = sync_repo(
        workspace(paths, offline=True),
        REPO,
        SyncScope(from_file=IssueFile(tmp_path / "issues.json")),
    )
    assert report.source == "file" and report.issues_new == 1 and report.missing
    report = sync_repo(workspace(paths, offline=True), REPO)
    assert report.source == "offline" and report.stored_open == 1
    assert github_server.requests == []
    rows = label_report(workspace(paths), REPO)
    assert [(r.name, r.kind, r.open_issues) for r in rows] == [("good first issue", "beginner", 1)]


# ---------------------------------------------------------------------- taken and labels
def test_refresh_taken_fetches_only_candidates(github_server: Any, paths: Paths) -> None:
    made = build(github_server)
    ds = github_server.dataset
    claimed, fresh, assigned = made["gfi"][0], made["gfi"][1], made["gfi"][2]
    ds.add_comment(
        REPO,
        claimed,
        "carol",
        "Hi! Can I take this?",
        datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    ds.update_issue(REPO, assigned, assignees=["dave"])
    sync_repo(workspace(paths, client=client_for(github_server)), REPO)
    github_server.reset_log()
    candidates = [claimed, fresh, assigned, made["bug"][0]]
    result = refresh_taken(
        workspace(paths, client=client_for(github_server)), REPO, candidates, user_login="me"
    )
    assert result[claimed].state == "taken" and any("@carol" in e for e in result[claimed].evidence)
    assert result[fresh].state == "fresh"
    assert result[assigned].state == "taken"
    assert result[made["bug"][0]].state == "taken"  # an open PR cross-references it
    numbers = {
        int(m.group(1))
        for r in github_server.requests
        if (m := re.search(r"/issues/(\d+)", r.path))
    }
    assert numbers == set(candidates)
    github_server.reset_log()  # fresh enough: a second call asks nothing
    again = refresh_taken(
        workspace(paths, client=client_for(github_server)), REPO, candidates, user_login="me"
    )
    assert github_server.requests == [] and again[claimed].state == "taken"
    offline = refresh_taken(workspace(paths, offline=True), REPO, candidates, user_login="me")
    assert offline[claimed].state == "taken"


def test_label_report_counts_and_overrides(github_server: Any, paths: Paths) -> None:
    build(github_server)
    sync_repo(workspace(paths, client=client_for(github_server)), REPO, SyncScope(all_open=True))
    rows = {
        r.name: r
        for r in label_report(
            workspace(paths, config=UserConfig(labels={"wontfix": "beginner"})), REPO
        )
    }
    assert (
        rows["good first issue"].kind == "beginner" and rows["good first issue"].open_issues == 26
    )
    assert rows["module: nn"].kind == "area" and rows["module: nn"].value == "nn"
    assert rows["triaged"].kind == "triage" and rows["wontfix"].kind == "beginner"
    with pytest.raises(OfflineError):
        label_report(workspace(paths), "nobody/nothing")


# ---------------------------------------------------------------------- CLI
def test_cli_sync_and_errors(github_server: Any) -> None:
    build(github_server)
    runner = CliRunner()
    result = runner.invoke(cli, ["sync", REPO, "--api-url", github_server.url, "--token", TOKEN])
    assert result.exit_code == 0, result.output
    assert "38 open issues stored" in result.output and TOKEN not in result.output
    result = runner.invoke(
        cli, ["sync", "nobody/nothing", "--api-url", github_server.url], env={"GH_TOKEN": TOKEN}
    )
    assert result.exit_code != 0 and "404" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    result = runner.invoke(cli, ["sync", "not a repo"])
    assert result.exit_code == 2
    result = runner.invoke(cli, ["sync", REPO, "--offline"])
    assert result.exit_code == 0 and "offline" in result.output


# ---------------------------------------------------------------------- client calls others use
def test_client_fetches_details_as_prready_dataclasses(github_server: Any) -> None:
    made = build(github_server)
    ds = github_server.dataset
    target = made["gfi"][0]
    ds.add_comment(REPO, target, "carol", "I'd like to work on this", "2026-01-01T00:00:00Z")
    merged = ds.add_pull(REPO, "merged fix", user="erin", state="closed", merged=True,
                         references=[target], files=[{"filename": "torch/nn/a.py", "status": "modified",
                                                      "additions": 1, "deletions": 0}],
                         merged_at="2026-01-02T00:00:00Z")  # fmt: skip
    client = client_for(github_server, per_page=100)
    issue = client.fetch_issue(REPO, target)
    assert (
        issue.number == target
        and issue.labels == ["good first issue"]
        and not issue.is_pull_request
    )
    (comment,) = client.fetch_comments(REPO, target)
    assert comment.author == "carol" and comment.issue_number == target
    (ref,) = client.fetch_timeline(REPO, target)
    assert ref.pr_number == merged and ref.merged and ref.author == "erin" and ref.repo == REPO
    pull = client.fetch_pull(REPO, merged)
    assert pull["merged"] is True and pull["user"]["login"] == "erin"
    assert client.fetch_pull_files(REPO, merged) == ["torch/nn/a.py"]
    found = client.search_issues(f'repo:{REPO} is:issue label:"good first issue"', limit=5)
    assert len(found) == 5 and all("good first issue" in i.labels for i in found)
    assert client.authenticated_login() == "octocat"
    assert client_for(github_server, token=None).authenticated_login() is None
    with pytest.raises(NetworkError, match="404"):
        client.fetch_issue(REPO, 99999)
    # A list never triggers one request per issue (no lazy completion).
    github_server.reset_log()
    client.list_issues_page(REPO, state="all")
    assert len(github_server.requests) == 1
