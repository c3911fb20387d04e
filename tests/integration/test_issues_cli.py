"""`prready issues` lists from the store alone: no clone needed (the mapping columns wait
for a code map), and whether someone is on an issue is judged from the stored comments and
linked pull requests, as `plan` judges it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

from prready.cli import cli
from prready.models import CrossReference
from prready.paths import resolve_paths
from prready.store import issues_store

REPO = "acme/widgets"


def iso(days_ago: float) -> str:
    moment = datetime.now(timezone.utc) - timedelta(days=days_ago)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def gh_issue(number: int, title: str, comments: list[dict[str, object]] | None = None) -> dict:  # type: ignore[type-arg]
    return {
        "number": number,
        "title": title,
        "body": "Fix it in widgets/core.py",
        "state": "OPEN",
        "labels": [{"name": "good first issue"}],
        "assignees": [],
        "author": {"login": "reporter"},
        "url": f"https://github.com/{REPO}/issues/{number}",
        "createdAt": iso(20),
        "updatedAt": iso(1),
        "comments": comments or [],
    }


def sync_sample(tmp_path: Path) -> None:
    claim = {"author": {"login": "eager"}, "body": "I'd like to work on this!", "createdAt": iso(2)}
    data = [
        gh_issue(1, "Free typo"),
        gh_issue(2, "Claimed in a comment", [claim]),
        gh_issue(3, "Has an open pull request"),
    ]
    path = tmp_path / "issues.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(cli, ["sync", REPO, "--from-file", str(path)])
    assert result.exit_code == 0, result.output
    conn = issues_store.open_cache(resolve_paths())
    pr = CrossReference(3, 9, f"https://github.com/{REPO}/pull/9", "open", False, "other", iso(1))
    issues_store.save_cross_refs(conn, REPO, 3, [pr])
    conn.close()


def test_issues_list_from_the_store_without_a_clone(tmp_path: Path) -> None:
    sync_sample(tmp_path)
    result = CliRunner().invoke(cli, ["issues", REPO])  # no --checkout, no clone, no network
    assert result.exit_code == 0, result.output
    assert "no code map yet" in result.stdout
    assert "Free typo" in result.stdout
    assert "no code map yet" in result.stderr and f"prready map {REPO}" in result.stderr
    assert "--checkout DIR" in result.stderr  # a plan made from a clone of one's own
    assert not (resolve_paths().repos / "acme" / "widgets").exists()


def test_issues_judge_taken_from_stored_comments_and_pull_requests(tmp_path: Path) -> None:
    sync_sample(tmp_path)
    result = CliRunner().invoke(cli, ["issues", REPO, "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["number"]: row for row in json.loads(result.stdout)}
    assert rows[1]["taken_state"] == "fresh" and not rows[1]["taken"]
    assert rows[2]["taken_state"] == "taken" and rows[2]["taken"]
    assert any("eager" in line for line in rows[2]["taken_evidence"])
    assert rows[3]["taken_state"] == "taken"
    assert any("#9" in line for line in rows[3]["taken_evidence"])
    assert all(row["modules"] == [] for row in rows.values())
