"""Text from GitHub, a repository or a file never acts on the terminal: every command that
prints it (status, track, issues, map, profile, config, errors quoting server or file data)
shows it through prready.text.safe_line, so no escape sequence, hyperlink, window title,
carriage return, bidi override or invisible filler letter reaches stdout or stderr.
`--token` on the command line draws a warning."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from progress_fixtures import make_plan
from prready.paths import resolve_paths
from prready.store.progress_store import open_progress, record_plan, set_flag
from rhelpers import REPO, assert_clean_failure, assert_ok, invoke

# Clear screen, an OSC 8 hyperlink, a window title, a carriage return that overwrites the
# line, a right-to-left override and a Hangul filler (an invisible letter).
EVIL = (
    "\x1b[2Jtitle\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\"
    "\x1b]0;pwned\x07\rspoof\u202eevil\u3164x"
)
FORBIDDEN = {"\x1b", "\x07", "\r", "\u202e", "\u3164", "\x9b", "\x9d", "\x9c"}


def assert_inert(result: Result, link_target_gone: bool = True) -> None:
    """Nothing of EVIL that a terminal would act on is in stdout or stderr."""
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        found = FORBIDDEN & set(text)
        assert not found, (name, sorted(found), text)
        if link_target_gone:
            assert "evil.example" not in text, (name, text)


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True
    )
    assert proc.returncode == 0, proc.stderr


# ------------------------------------------------------------------ tracking: claims, flags
@pytest.fixture
def flagged_step() -> None:
    """A planned issue with a hostile title, flagged as taken by a hostile claim/assignee."""
    plan = make_plan({1: [(1, ["python"]), (2, ["docs"])]})
    plan.stages[0].steps[0].issue.title = EVIL
    conn = open_progress(resolve_paths().progress_db)
    try:
        record_plan(conn, plan, "2026-11-20T09:00:00Z")
        claim = f"taken: assigned to @{EVIL} ({EVIL} said: I'll take this)"
        set_flag(conn, REPO, 1, claim, 2, now="2026-11-21T09:00:00Z")
    finally:
        conn.close()


def test_status_shows_hostile_titles_claims_and_notes_inert(flagged_step: None) -> None:
    assert_ok(invoke("track", f"{REPO}#2", "start", "--note", EVIL, "--force"))
    for args in (("status", REPO), ("status",)):
        result = invoke(*args)
        assert_ok(result)
        assert_inert(result)
        assert "taken: assigned to @" in result.stdout  # the claim is shown, made inert
    # JSON keeps the data exactly, with what a terminal would act on written as escapes.
    result = invoke("status", REPO, "--format", "json")
    assert_ok(result)
    assert_inert(result, link_target_gone=False)
    steps = json.loads(result.stdout)["repos"][0]["steps"]
    assert any(EVIL in step["flag"] for step in steps)


def test_track_warning_about_a_claimed_issue_is_inert(flagged_step: None) -> None:
    result = invoke("track", f"{REPO}#1", "start")
    assert_ok(result)
    assert "looks unavailable (taken: assigned to @" in result.stderr
    assert_inert(result)


# ------------------------------------------------------------------ issues from the server
def test_issues_table_labels_and_logins_from_the_server_are_inert(github_server: Any) -> None:
    ds = github_server.dataset
    ds.add_repo(REPO)
    ds.add_label(REPO, "good first issue")
    ds.add_issue(
        REPO, EVIL, labels=["good first issue", f"bug{EVIL}"], user="mallory",
        created_at="2026-01-01T00:00:00Z",
    )  # fmt: skip
    assert_ok(invoke("sync", REPO, "--api-url", github_server.url))
    for args in (("issues", REPO), ("issues", REPO, "--labels")):
        result = invoke(*args)
        assert_ok(result)
        assert_inert(result)
    assert "title" in invoke("issues", REPO).stdout


def test_server_error_message_quoted_in_the_error_is_inert(github_server: Any) -> None:
    github_server.dataset.add_repo(REPO)
    github_server.inject(
        rf"^/repos/{REPO}", "status", times=None, code=422, body={"message": EVIL}
    )
    result = invoke("sync", REPO, "--api-url", github_server.url)
    line = assert_clean_failure(result)
    assert "HTTP 422" in line and "title" in line
    assert_inert(result)


# ------------------------------------------------------------------ repository content
@pytest.fixture
def hostile_checkout(tmp_path: Path) -> Path:
    """A repository whose package, file names and commit author are hostile."""
    repo = tmp_path / "repo"
    name = "evil\u202eyp.\u3164pkg"
    pkg = repo / name
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / f"mod\u3164\u202e{'x' * 3}.py").write_text("import os\nimport numpy\n")
    (repo / "setup.py").write_text("from setuptools import setup\n")
    git("init", "-q", cwd=repo)
    git("add", "-A", cwd=repo)
    author = {
        "GIT_AUTHOR_NAME": "\x1b]0;pwned\x07Eve\u202e\u3164",
        "GIT_AUTHOR_EMAIL": "eve\u202e\u3164\x1b[2J@example.com",
    }
    git("commit", "-qm", "hostile", cwd=repo, env=author)
    return repo


def test_map_summary_of_hostile_file_names_is_inert(hostile_checkout: Path) -> None:
    result = invoke("map", REPO, "--checkout", str(hostile_checkout))
    assert_ok(result)
    assert_inert(result)
    assert "evilyp.pkg" in result.stdout  # the area is listed, its name made inert
    result = invoke("map", REPO, "--checkout", str(hostile_checkout), "--format", "json")
    assert_ok(result)
    assert_inert(result)
    names = [m["path"] for m in json.loads(result.stdout)["modules"]]
    assert any("\u202e" in name and "\u3164" in name for name in names)  # data kept


def test_profile_of_a_hostile_author_and_file_names_is_inert(hostile_checkout: Path) -> None:
    result = invoke("profile", "--from-git", str(hostile_checkout))
    assert_ok(result)
    assert_inert(result)
    assert "@example.com" in result.stdout and "numpy" in result.stdout


# ------------------------------------------------------------------ files and input
def test_config_values_and_warnings_are_inert() -> None:
    config = resolve_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    escaped = json.dumps(EVIL)  # a TOML basic string accepts JSON's escapes
    config.write_text(f"{escaped} = 1\n[profile]\nskills = [{escaped}]\n")
    result = invoke("config", "show")
    assert_ok(result)
    assert "profile.skills" in result.stdout and "unknown key" in result.stderr
    # A list setting is shown as JSON, whose \u001b escapes are plain text: inert.
    assert_inert(result, link_target_gone=False)
    result = invoke("config", "show", "--format", "json")
    assert_ok(result)
    assert_inert(result, link_target_gone=False)
    assert json.loads(result.stdout)["settings"]["profile.skills"]["value"] == [EVIL]


def test_error_quoting_a_hostile_issue_reference_is_inert() -> None:
    result = invoke("track", f"acme/wid\u3164gets\u202e{EVIL}#1", "start")
    assert_clean_failure(result, code=2)
    assert_inert(result)


# ------------------------------------------------------------------ --token
def test_token_on_the_command_line_draws_a_warning_never_the_token() -> None:
    token = "ghp_commandLineToken0123456789abcdefABCD"
    result = invoke("sync", REPO, "--offline", "--token", token)
    warnings = [ln for ln in result.stderr.splitlines() if "process list" in ln]
    assert len(warnings) == 1, result.stderr
    assert "GH_TOKEN" in warnings[0] and "gh auth login" in warnings[0]
    assert token not in result.output
    quiet = invoke("sync", REPO, "--offline", env={"GH_TOKEN": token})
    assert "process list" not in quiet.stderr and token not in quiet.output
