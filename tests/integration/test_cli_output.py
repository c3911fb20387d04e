"""Output like sqlite-utils and gh: '-' is standard output for every file option, the plan
format follows the output's suffix, only the document goes to stdout, the terminal plan
shows tracked states, and the JSON plan validates against docs/plan.schema.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from prready.cli import cli
from prready.demo import SAMPLE_SLUG

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "plan.schema.json").read_text("utf-8")
)


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin)


def plan_numbers(doc: dict[str, Any]) -> list[int]:
    return [st["issue"]["number"] for stage in doc["stages"] for st in stage["steps"]]


@pytest.fixture(scope="module")
def demo_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One demo run shared by the read-only checks below (it takes a few seconds)."""
    home = tmp_path_factory.mktemp("demo-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PRREADY_HOME", str(home))
        result = run("demo", "--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    return {"stdout": result.stdout, "stderr": result.stderr}


def test_dash_output_writes_only_the_document_to_stdout(demo_json: dict[str, Any]) -> None:
    doc = json.loads(demo_json["stdout"])  # nothing but the document
    jsonschema.validate(doc, SCHEMA)
    assert doc["repo"] == SAMPLE_SLUG
    assert "Plan written" not in demo_json["stdout"] + demo_json["stderr"]
    assert not Path("-").exists()


def test_format_follows_the_output_suffix(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = run("demo", "-o", str(out))
    assert result.exit_code == 0, result.output
    jsonschema.validate(json.loads(out.read_text("utf-8")), SCHEMA)
    md = tmp_path / "plan.md"
    assert run("demo", "--output", str(md)).exit_code == 0
    assert md.read_text("utf-8").lstrip().startswith("#")
    # An explicit --format wins over the suffix.
    forced = tmp_path / "forced.json"
    assert run("demo", "--format", "md", "-o", str(forced)).exit_code == 0
    assert not forced.read_text("utf-8").lstrip().startswith("{")


def test_unknown_suffix_and_open_with_dash_are_one_line_errors(tmp_path: Path) -> None:
    result = run("demo", "-o", str(tmp_path / "plan.txt"))
    assert result.exit_code == 2
    assert "--format" in result.output and "Traceback" not in result.output
    result = run("demo", "-o", "-", "--open")
    assert result.exit_code == 2 and "--open" in result.output


def test_markdown_to_stdout(tmp_path: Path) -> None:
    result = run("demo", "--format", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.lstrip().startswith("#")
    assert "Stage 1" in result.stdout and "Level:" not in result.stdout  # no terminal table


def test_terminal_plan_shows_tracked_states_and_json_validates_outside_the_plan() -> None:
    first = run("demo", "--format", "json", "-o", "-")
    doc = json.loads(first.stdout)
    numbers = plan_numbers(doc)
    started, opened = numbers[0], numbers[1]
    assert run("track", f"{SAMPLE_SLUG}#{started}", "start").exit_code == 0
    pr = f"https://github.com/{SAMPLE_SLUG}/pull/999"
    assert run("track", f"{SAMPLE_SLUG}#{opened}", "pr", pr).exit_code == 0
    outside = next(n for n in range(1, 60) if n not in numbers and _is_stored_issue(n))
    assert run("track", f"{SAMPLE_SLUG}#{outside}", "start").exit_code == 0

    table = run("demo")
    assert table.exit_code == 0, table.output
    rows = {line.split()[0]: line for line in table.stdout.splitlines() if line.strip()[:1] == "#"}
    assert "Started" in rows[f"#{started}"]
    assert "PR open" in rows[f"#{opened}"]

    again = json.loads(run("demo", "--format", "json", "-o", "-").stdout)
    jsonschema.validate(again, SCHEMA)  # a replan pins the started issue into a stage
    assert outside in {p["issue_number"] for p in again["progress"]}


def test_track_export_and_import_through_dashes() -> None:
    assert run("demo", "--format", "json", "-o", "-").exit_code == 0
    exported = run("track", "--export", "-")
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.stdout)
    assert data["steps"], "the demo plan's steps are exported"
    assert "standard output" in exported.stderr
    assert not Path("-").exists()
    imported = run("track", "--import", "-", stdin=exported.stdout)
    assert imported.exit_code == 0, imported.output
    assert "kept" in imported.stdout
    bad = run("track", "--import", "-", stdin="not json")
    assert bad.exit_code == 2 and "standard input" in bad.output


def _is_stored_issue(number: int) -> bool:
    from prready.paths import resolve_paths
    from prready.store import issues_store

    conn = issues_store.open_cache(resolve_paths())
    try:
        issue = issues_store.load_issue(conn, SAMPLE_SLUG, number)
    finally:
        conn.close()
    return issue is not None and issue.state == "open" and not issue.is_pull_request
