"""`prready issues`, `prready backtest` and `prready profile` end to end: a real git
repository built in tmp_path, issues saved in the store, no network."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planfixtures import MINI_SLUG as SLUG
from planfixtures import make_mini_repo
from prready.cli import cli
from prready.paths import resolve_paths

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the backport prready itself depends on there
    import tomli as tomllib


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_mini_repo(tmp_path)


def test_issues_json_lists_mapped_modules(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["issues", SLUG, "--checkout", str(repo), "--offline", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = {item["number"]: item for item in json.loads(result.stdout)}
    assert set(data) == {1, 2}
    adam = data[2]
    assert adam["modules"][0]["name"] == "mini.optim.adam"
    assert adam["modules"][0]["path"] == "mini/optim/adam.py"
    assert 0 < adam["modules"][0]["score"] <= 1
    assert any("innermost in-repo frame" in e for e in adam["modules"][0]["evidence"])
    assert isinstance(adam["difficulty"], int) and adam["skills"][0] == "python"
    assert adam["taken"] is False and adam["taken_state"] == "fresh"
    assert data[1]["modules"][0]["name"] == "mini.nn.functional"


def test_issues_table_and_limit(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["issues", SLUG, "--checkout", str(repo), "--offline", "--limit", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "1 of 2 open issues" in result.output
    assert "Adam raises KeyError" in result.output  # most recently updated first
    assert "Typo in" not in result.output


def test_issues_without_stored_issues_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["issues", "acme/empty", "--offline"])
    assert result.exit_code != 0
    assert "run `prready sync acme/empty` first" in result.output
    assert "Traceback" not in result.output


def test_backtest_offline_uses_fixing_commits(repo: Path) -> None:
    result = CliRunner().invoke(
        cli, ["backtest", SLUG, "--checkout", str(repo), "--offline", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["cases"] == 2 and data["sources"] == {"commits": 2, "pull requests": 0}
    rows = {row["number"]: row for row in data["rows"]}
    assert rows[5]["source"].startswith("commit ") and rows[5]["true_files"] == [
        "mini/nn/functional.py"
    ]
    assert rows[6]["top1"] and rows[6]["file_hit"]
    assert data["top3"] == 2
    text = CliRunner().invoke(cli, ["backtest", SLUG, "--checkout", str(repo), "--offline"])
    assert "area in top 3: 2/2 (100%)" in text.output


def test_profile_proposes_and_saves_skills(repo: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["profile", "--from-git", str(repo), "--author", "ada@example.org", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    skills = {s["skill"]: s["evidence"] for s in data["skills"]}
    assert data["commits"] == 2 and not data["author_guessed"]
    assert "python" in skills and "testing" in skills and "docs" in skills
    assert any("numpy" in e for e in skills["numerics"])
    config = resolve_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[labels]\n"easy" = "beginner"\n\n[profile]\nskills = [\n  "cuda",\n]\nname = "me"\n'
    )
    saved = runner.invoke(
        cli, ["profile", "--from-git", str(repo), "--author", "ada@example.org", "--save"]
    )
    assert saved.exit_code == 0, saved.output
    parsed = tomllib.loads(config.read_text())
    assert parsed["profile"]["skills"][0] == "python" and "cuda" not in parsed["profile"]["skills"]
    assert parsed["profile"]["name"] == "me" and parsed["labels"] == {"easy": "beginner"}
    assert (config.stat().st_mode & 0o077) == 0


def test_profile_errors_are_one_line(repo: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(cli, ["profile", "--from-git", str(tmp_path / "nope")])
    assert missing.exit_code != 0 and "not a directory" in missing.output
    nobody = runner.invoke(cli, ["profile", "--from-git", str(repo), "--author", "zed@nowhere"])
    assert nobody.exit_code != 0 and "no commits by 'zed@nowhere'" in nobody.output
    assert "Traceback" not in missing.output + nobody.output


def test_issues_labels_shows_classification_with_counts(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["issues", SLUG, "--labels", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert (
        rows["good first issue"]["kind"] == "beginner"
        and rows["good first issue"]["open_issues"] == 1
    )
    assert rows["module: optim"]["kind"] == "area" and rows["module: optim"]["value"] == "optim"
    assert rows["bug"]["kind"] == "bug" and rows["bug"]["open_issues"] == 1
    table = CliRunner().invoke(cli, ["issues", SLUG, "--labels"])
    assert table.exit_code == 0 and "good first issue" in table.output


def test_issue_table_neutralises_terminal_escapes(repo: Path) -> None:
    from prready.models import Issue
    from prready.store import issues_store as store

    conn = store.open_cache(resolve_paths())
    try:
        store.save_issues(
            conn,
            [
                Issue(
                    repo=SLUG,
                    number=9,
                    title="\x1b]0;pwned\x07Evil \x1b[31mred\u202e title",
                    body="",
                    state="open",
                    labels=[],
                    assignees=[],
                    author="x",
                    comments=0,
                    reactions=0,
                    created_at="2026-06-01T00:00:00Z",
                    updated_at="2026-06-01T00:00:00Z",
                    closed_at=None,
                    url="",
                )
            ],
        )
    finally:
        conn.close()
    result = CliRunner().invoke(cli, ["issues", SLUG, "--checkout", str(repo), "--offline"])
    assert result.exit_code == 0, result.output
    assert (
        "\x1b" not in result.output
        and "\u202e" not in result.output
        and "\x07" not in result.output
    )
    assert "Evil" in result.output
