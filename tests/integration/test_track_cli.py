"""`prready track` and `prready status` through the CLI: exit codes, then the rows stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from progress_fixtures import REPO, at, issue, make_plan
from prready.cli import cli
from prready.models import StepStatus as S
from prready.models import TakenStatus
from prready.paths import resolve_paths
from prready.store import issues_store
from prready.store.progress_store import load_events, load_progress, open_progress, record_plan

PR = "https://github.com/acme/widgets/pull/40"


@pytest.fixture(autouse=True)
def stored_issues() -> None:
    """Issues 1-10 of REPO in the issue store: `track` checks an issue exists."""
    conn = issues_store.open_cache(resolve_paths())
    issues_store.save_issues(conn, [issue(n) for n in range(1, 11)])
    conn.close()


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), env=env)


def stored() -> dict[int, tuple[str, str | None, list[str]]]:
    conn = open_progress(resolve_paths().progress_db)
    try:
        return {e.issue_number: (e.status.value, e.pr_url, e.notes) for e in load_progress(conn)}
    finally:
        conn.close()


def plan_three_steps() -> None:
    conn = open_progress(resolve_paths().progress_db)
    record_plan(conn, make_plan({1: [(1, ["python"]), (2, [])], 2: [(3, [])]}), at(0))
    conn.close()


def test_track_start_pr_done_drop_are_stored() -> None:
    conn = issues_store.open_cache(resolve_paths())
    # (a title a plan would give: "issue 5" over an empty body waits for a reproduction)
    issues_store.save_issues(conn, [issue(5, "KeyError in Accelerator.prepare with no parameters")])
    conn.close()
    result = run("track", f"{REPO}#5", "start", "--note", "repro on CPU")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{REPO}#5: started"
    assert stored()[5] == ("started", None, ["repro on CPU"])
    result = run("track", f"https://github.com/{REPO}/issues/5", "pr", PR)
    assert result.exit_code == 0, result.output
    assert stored()[5][:2] == ("pr-open", PR)
    assert run("track", f"{REPO}#5", "done").exit_code == 0
    assert run("track", f"{REPO}#6", "drop").exit_code == 0
    assert {n: s for n, (s, _, _) in stored().items()} == {5: "merged", 6: "dropped"}
    conn = open_progress(resolve_paths().progress_db)
    assert [e.status for e in load_events(conn, REPO)] == [
        S.DROPPED,
        S.MERGED,
        S.PR_OPEN,
        S.STARTED,
    ]
    conn.close()


def test_starting_an_issue_a_plan_sets_aside_warns_and_still_records_it() -> None:
    conn = issues_store.open_cache(resolve_paths())
    issues_store.save_issues(conn, [issue(11, "Tracking issue: MPS op coverage")])
    said = (
        '@maint said on 2026-10-20 that it is fixed: "This was fixed by #77." '
        "(still open on GitHub: check, then ask for it to be closed)"
    )
    issues_store.save_taken(conn, REPO, 3, TakenStatus("done", [said]), "2026-10-21T00:00:00Z")
    conn.close()
    result = run("track", f"{REPO}#11", "start")
    assert result.exit_code == 0, result.output
    assert "Warning: a plan sets it aside: a tracking issue" in result.output
    assert stored()[11][0] == "started"
    result = run("track", f"{REPO}#3", "start")
    assert result.exit_code == 0, result.output
    assert f"Warning: it may be fixed already (as of 2026-10-21): {said}" in result.output
    assert stored()[3][0] == "started"
    # Only starting warns: a pull request for it is the user's own news.
    result = run("track", f"{REPO}#3", "pr", PR)
    assert result.exit_code == 0 and "Warning" not in result.output, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["track", f"{REPO}#5", "pr"], "needs the pull request's URL"),
        (["track", f"{REPO}#5", "pr", "javascript:alert(1)"], "is not a pull request URL"),
        (["track", f"{REPO}#5", "start", PR], "takes no URL"),
        (["track", "acme/widgets#x", "start"], "is not OWNER/REPO#NUMBER"),
        (["track", "../etc#1", "start"], "not a valid GitHub owner"),
        (["track", f"{REPO}#5", "start", "--note", "  "], "--note must be"),
        (["track", f"{REPO}#5"], "give OWNER/REPO#N and an action"),
        (["track", "--export", "a.json", "--import", "b.json"], "alone"),
        (["track", f"{REPO}#5", "start", "--export", "a.json"], "alone"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not resolve_paths().progress_db.exists() or stored() == {}


def test_bad_import_file_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = run("track", "--import", str(bad))
    assert result.exit_code == 2 and "is not a JSON progress export" in result.output
    bad.write_text(json.dumps({"format": "prready-progress", "version": 1, "steps": [{}]}))
    result = run("track", "--import", str(bad))
    assert result.exit_code == 2 and "steps[0]" in result.output
    result = run("track", "--import", str(tmp_path / "missing.json"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_export_then_import_on_a_fresh_home_restores_the_same_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan_three_steps()
    assert run("track", f"{REPO}#1", "start", "--note", "on it").exit_code == 0
    assert run("track", f"{REPO}#1", "pr", PR).exit_code == 0
    assert run("track", f"{REPO}#2", "drop").exit_code == 0
    before_rows = stored()
    before = run("status", REPO)
    export = tmp_path / "progress.json"
    result = run("track", "--export", str(export))
    assert result.exit_code == 0 and "Exported 3 tracked step(s)" in result.output
    assert export.stat().st_mode & 0o777 == 0o600

    monkeypatch.setenv("PRREADY_HOME", str(tmp_path / "new-machine"))
    assert not resolve_paths().progress_db.exists()
    result = run("track", "--import", str(export))
    assert result.exit_code == 0, result.output
    assert "3 new, 0 updated" in result.output
    assert stored() == before_rows
    after = run("status", REPO)
    assert after.exit_code == 0 and after.output == before.output


def test_status_shows_stages_bars_and_next_step() -> None:
    plan_three_steps()
    run("track", f"{REPO}#1", "start")
    run("track", f"{REPO}#1", "done")
    result = run("status", REPO)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == REPO
    stage1 = next(line for line in lines if "Stage 1" in line)
    assert "█" * 20 in stage1 and "complete" in stage1 and "done 1" in stage1
    # One merged step completes the stage: the step left there is optional, not owed.
    assert stage1.endswith("left 1 (optional now)")
    stage2 = next(line for line in lines if "Stage 2" in line)
    assert "░" * 20 in stage2 and stage2.endswith("left 1")
    assert f"prready track {REPO}#3 start" in result.output  # stage 1 done: move up
    assert "\x1b[" not in result.output  # not a terminal: no escape codes
    assert run("status", REPO).output == result.output  # deterministic
    # A dropped step is no step left: counted apart.
    run("track", f"{REPO}#3", "drop")
    lines = run("status", REPO).output.splitlines()
    stage2 = next(line for line in lines if "Stage 2" in line)
    assert stage2.endswith("left 0 · dropped 1")


def test_status_colour_follows_terminal_and_no_color() -> None:
    plan_three_steps()
    run("track", f"{REPO}#1", "start")
    coloured = run("status", env={"FORCE_COLOR": "1"})
    assert "\x1b[33m" in coloured.output
    plain = run("status", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert (
        plain.exit_code == 0 and "\x1b[33m" not in plain.output and "\x1b[36m" not in plain.output
    )


def test_status_json_and_empty_store() -> None:
    result = run("status")
    assert result.exit_code == 0 and "Nothing tracked" in result.output
    assert not resolve_paths().progress_db.exists()  # status only reads
    plan_three_steps()
    run("track", f"{REPO}#2", "start")
    data = json.loads(run("status", "--format", "json").output)
    (repo,) = data["repos"]
    assert repo["repo"] == REPO
    assert [(s["stage"], s["in_progress"], s["left"]) for s in repo["stages"][:2]] == [
        (1, 1, 1),
        (2, 0, 1),
    ]
    assert repo["next"][0]["command"] == f"prready track {REPO}#2 pr URL"
    assert run("status", "not a repo").exit_code == 2
