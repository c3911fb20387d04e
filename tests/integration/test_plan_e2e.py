"""End to end, against the loopback GitHub server and a real git remote: `prready plan`,
then the user takes a stage-one issue through start -> pull request -> merged, and
`prready status`, the plan page and the JSON plan reflect each step (issue 7's flow)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from prready.app.demo import build_sample_origin
from prready.cli import cli
from prready.demo import SAMPLE_SLUG, sample_payloads
from prready.paths import resolve_paths
from samplefixtures import clone_sample, serve_sample

TOKEN = "ghp_e2eTESTTOKEN000000000000000000000000"
LOGIN = "newcomer-e2e"


@pytest.fixture
def world(github_server: Any) -> dict[str, Any]:
    ds = github_server.dataset
    serve_sample(ds)
    ds.set_authenticated_user(LOGIN)
    origin = build_sample_origin(resolve_paths())
    return {"server": github_server, "origin": origin}


def _run(args: list[str]) -> Any:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result


def _plan(world: dict[str, Any], out: Path, fmt: str = "json") -> Any:
    return _run(
        [
            "plan",
            SAMPLE_SLUG,
            "--api-url",
            world["server"].url,
            "--token",
            TOKEN,
            "--git-url",
            str(world["origin"]),
            "--skills",
            "python,testing",
            "--format",
            fmt,
            "--output",
            str(out),
        ]
    )


def _status_of(plan: dict[str, Any], number: int) -> str:
    for stage in plan["stages"]:
        for step in stage["steps"]:
            if step["issue"]["number"] == number:
                return str(step["status"])
    raise AssertionError(f"#{number} is not in the plan")


def test_plan_to_merged_pull_request(world: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = _plan(world, out)
    assert result.exit_code == 0, result.output
    plan = json.loads(out.read_text())
    first = plan["stages"][0]["steps"][0]["issue"]["number"]
    assert _status_of(plan, first) == "planned"

    result = _run(["track", f"{SAMPLE_SLUG}#{first}", "start", "--note", "reading the docs"])
    assert result.exit_code == 0, result.output
    status = _run(["status", SAMPLE_SLUG])
    assert status.exit_code == 0 and f"#{first}" in status.output

    ds = world["server"].dataset
    pull = ds.add_pull(
        SAMPLE_SLUG,
        f"Fix #{first}",
        body=f"Fixes #{first}",
        user=LOGIN,
        references=[first],
        created_at="2026-11-10T10:00:00Z",
    )
    assert _plan(world, out).exit_code == 0
    plan = json.loads(out.read_text())
    assert _status_of(plan, first) == "pr-open"
    # Kept in place, and first in its stage: the step the user is on leads.
    assert plan["stages"][0]["steps"][0]["issue"]["number"] == first

    ds.update_issue(SAMPLE_SLUG, pull, state="closed", merged_at="2026-11-12T10:00:00Z")
    html = tmp_path / "plan.html"
    assert _plan(world, html, fmt="html").exit_code == 0
    assert _plan(world, out).exit_code == 0
    plan = json.loads(out.read_text())
    assert _status_of(plan, first) == "merged"
    page = html.read_text()
    assert "merged" in page.lower()
    status = _run(["status", SAMPLE_SLUG])
    assert status.exit_code == 0
    assert "merged" in status.output.lower()
    assert TOKEN not in page and TOKEN not in status.output


def _gh_issue_list(payloads: dict[str, Any]) -> list[dict[str, Any]]:
    """What `gh issue list --json number,title,body,labels,assignees,author,state,url,
    createdAt,updatedAt,comments` prints for the sample's open issues."""
    out = []
    for raw in payloads["issues"]:
        if "pull_request" in raw or raw["state"] != "open":
            continue
        comments = payloads["comments"].get(str(raw["number"]), [])
        out.append(
            {
                "number": raw["number"],
                "title": raw["title"],
                "body": raw["body"] or "",
                "labels": [{"name": label["name"]} for label in raw["labels"]],
                "assignees": [{"login": a["login"]} for a in raw["assignees"] or []],
                "author": {"login": raw["user"]["login"]},
                "state": "OPEN",
                "url": raw["html_url"],
                "createdAt": raw["created_at"],
                "updatedAt": raw["updated_at"],
                "comments": [
                    {
                        "author": {"login": c["user"]["login"]},
                        "body": c["body"],
                        "createdAt": c["created_at"],
                    }
                    for c in comments
                ],
            }
        )
    return out


def test_offline_plan_after_from_file_sync_needs_no_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 4's offline path: `sync --from-file` then `plan --offline --checkout`, with
    every socket connection refused so any network use would fail the test."""
    checkout = tmp_path / "tinyml"
    clone_sample(checkout)
    issues_file = tmp_path / "issues.json"
    issues_file.write_text(json.dumps(_gh_issue_list(sample_payloads())))

    def no_network(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network used: {args}")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    synced = _run(["sync", SAMPLE_SLUG, "--from-file", str(issues_file)])
    assert synced.exit_code == 0, synced.output
    out = tmp_path / "plan.json"
    planned = _run(
        [
            "plan",
            SAMPLE_SLUG,
            "--offline",
            "--checkout",
            str(checkout),
            "--format",
            "json",
            "--output",
            str(out),
            "--skills",
            "python",
        ]
    )
    assert planned.exit_code == 0, planned.output
    plan = json.loads(out.read_text())
    steps = [step for stage in plan["stages"] for step in stage["steps"]]
    assert len(plan["stages"]) == 4 and all(stage["steps"] for stage in plan["stages"])
    assert all(step["taken"]["state"] in ("fresh", "stale-claim") for step in steps)
    # The claim comment came in through the gh JSON: the claimed issue is never "fresh".
    claimed = next(
        i["number"]
        for i in _gh_issue_list(sample_payloads())
        if i["title"].startswith("Broadcasting error should say")
    )
    for step in steps:
        if step["issue"]["number"] == claimed:
            assert step["taken"]["state"] == "stale-claim"


def test_feature_scope_hint_only_when_the_default_scope_hid_features() -> None:
    from prready.app.plan import PlanOptions, feature_scope_hint
    from prready.app.sync import SyncScope
    from prready.models import (
        ContributingSummary,
        Difficulty,
        Issue,
        Plan,
        PlanStep,
        SkillFit,
        Stage,
        TakenStatus,
    )

    def issue(number: int, title: str, labels: list[str]) -> Issue:
        return Issue(
            "o/r",
            number,
            title,
            "",
            "open",
            labels,
            [],
            "a",
            0,
            0,
            "2026-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
            None,
            "",
        )

    def plan_with(*issues: Issue) -> Plan:
        steps = [
            PlanStep(
                4,
                i,
                [],
                Difficulty(4, []),
                SkillFit([], [], []),
                TakenStatus("fresh"),
                [],
                [],
                [],
                "",
                [],
                [],
                "1-2 weeks",
            )
            for i in issues
        ]
        stage = Stage(4, "substantial", "A substantial contribution", "", steps)
        return Plan("o/r", "", "", [], [stage], ContributingSummary("", [], [], [], []))

    bugs = plan_with(issue(1, "Crash in conv", ["bug"]))
    assert "--all-open" in feature_scope_hint(bugs, PlanOptions(), synced=True)
    assert feature_scope_hint(bugs, PlanOptions(scope=SyncScope(all_open=True)), synced=True) == ""
    assert (
        feature_scope_hint(
            bugs, PlanOptions(scope=SyncScope(module_labels=("module: nn",))), synced=True
        )
        == ""
    )
    assert feature_scope_hint(bugs, PlanOptions(), synced=False) == ""
    feature = plan_with(issue(2, "Add support for bf16", ["enhancement"]))
    assert feature_scope_hint(feature, PlanOptions(), synced=True) == ""
