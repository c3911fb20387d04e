"""Bad input on the command line: malformed OWNER/REPO, unknown options, broken config,
bad --from-file, unwritable output paths. Each gives one clear line, a non-zero exit, no
traceback, and nothing written half-way."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from prready.config import carries_token_safely
from prready.paths import resolve_paths
from rhelpers import REPO, assert_clean_failure, assert_ok, cache_rows, invoke


def gh_issue(number: int, repo: str = REPO, **extra: object) -> dict[str, object]:
    """One item as `gh issue list --json number,title,body,labels,state,url,...` writes it."""
    item: dict[str, object] = {
        "number": number,
        "title": f"issue {number}",
        "body": "body",
        "state": "OPEN",
        "labels": [{"name": "good first issue"}],
        "assignees": [],
        "author": {"login": "alice"},
        "url": f"https://github.com/{repo}/issues/{number}",
        "createdAt": "2026-01-01T00:00:00Z",
        "updatedAt": "2026-01-02T00:00:00Z",
        "comments": [],
    }
    item.update(extra)
    return item


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ---------------------------------------------------------------------- OWNER/REPO
@pytest.mark.parametrize(
    ("repo", "match"),
    [
        ("", "repository is empty"),
        ("   ", "repository is empty"),
        ("acme", "is not OWNER/REPO"),
        ("acme/widgets/extra", "is not OWNER/REPO"),
        ("acme//widgets", "is not OWNER/REPO"),
        ("../..", "not a valid GitHub owner"),
        ("acme/..", "not a valid repository name"),
        ("/etc/passwd", "is not OWNER/REPO"),
        ("-rf/x", "no such option"),
        ("acme/wid gets", "not a valid repository name"),
        ("acme/\x1b[31mred", "not a valid repository name"),
        ("https://gitlab.com/acme/widgets", "is not OWNER/REPO"),
    ],
)
def test_malformed_repo_is_one_line_usage_error(repo: str, match: str) -> None:
    line = assert_clean_failure(invoke("sync", repo, "--offline"), code=2, match=match)
    assert "\x1b" not in line  # the echoed input is made printable
    assert not resolve_paths().cache_db.exists()  # nothing written


def test_very_long_repo_argument_is_echoed_bounded() -> None:
    line = assert_clean_failure(invoke("sync", "a" * 5000 + "/b", "--offline"), code=2)
    assert len(line) < 300


@pytest.mark.parametrize(
    "form",
    [
        "https://github.com/acme/widgets",
        "https://github.com/acme/widgets.git",
        "git@github.com:acme/widgets.git",
        "http://www.github.com/acme/widgets/",
        "  acme/widgets  ",
    ],
)
def test_url_forms_are_accepted_and_normalised(tmp_path: Path, form: str) -> None:
    data = write_json(tmp_path / "issues.json", [gh_issue(1), gh_issue(2)])
    result = invoke("sync", form, "--from-file", str(data))
    assert_ok(result)
    assert result.stdout.startswith(f"{REPO}: 2 new")
    assert cache_rows("gh_issues") == 2


@pytest.mark.parametrize(
    "args",
    [
        ("track", "acme/widgets", "start"),
        ("track", "acme/widgets#0", "start"),
        ("track", "acme/widgets#-3", "start"),
        ("track", "../..#1", "start"),
        ("track", "https://github.com/acme/widgets/pull/x", "start"),
    ],
)
def test_malformed_issue_reference_is_one_line(args: tuple[str, ...]) -> None:
    assert_clean_failure(invoke(*args), code=2)
    assert not resolve_paths().progress_db.exists()


# ---------------------------------------------------------------------- options
@pytest.mark.parametrize(
    "args",
    [
        ("sync", REPO, "--bogus"),
        ("plan", REPO, "--per-stage", "9"),
        ("plan", REPO, "--format", "pdf"),
        ("issues", REPO, "--limit", "0"),
        ("map", REPO, "--area-depth", "-1"),
        ("status", "--format", "xml"),
        ("map", REPO, "--checkout", "/no/such/dir"),
        ("nosuchcommand",),
        ("demo", "--format", "pdf"),
        ("demo", "--output", "/"),
    ],
)
def test_unknown_or_invalid_options_are_usage_errors(args: tuple[str, ...]) -> None:
    result = invoke(*args)
    assert_clean_failure(result, code=2)
    assert not resolve_paths().cache_db.exists()


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ("9", "--stages '9': stages run from 1 to 4"),
        ("0-2", "--stages '0-2': stages run from 1 to 4"),
        ("x", "--stages 'x': use numbers 1-4, e.g. 1-4 or 1,3"),
        ("4-1", "--stages '4-1': stages run from 1 to 4"),
        (",", "--stages is empty: use e.g. 1-4"),
    ],
)
def test_bad_stage_list_is_one_line(stages: str, message: str) -> None:
    line = assert_clean_failure(invoke("plan", REPO, "--stages", stages, "--offline"), code=2)
    assert line == f"Error: {message}"
    assert not resolve_paths().progress_db.exists()


@pytest.mark.parametrize("url", ["ftp://example.com", "file:///etc", "javascript:alert(1)", "x"])
def test_bad_api_url_is_one_line(url: str) -> None:
    assert_clean_failure(invoke("sync", REPO, "--api-url", url), code=2, match="API URL")


@pytest.mark.parametrize(
    "url", ["http://api.example.test", "http://10.0.0.1/api/v3", "http://[fe80::1]:8080"]
)
@pytest.mark.parametrize("command", ["sync", "plan"])
def test_token_is_never_sent_over_plain_http(url: str, command: str) -> None:
    secret = "ghp_plainhttp0123456789abcdefSECRET"
    # The token bound to such a host (not github.com) is the enterprise one.
    result = invoke(command, REPO, "--api-url", url, env={"GH_ENTERPRISE_TOKEN": secret})
    line = assert_clean_failure(result, code=2, match="plain HTTP")
    assert secret not in result.output
    assert "https://" in line


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://ghe.example.com/api/v3", True),
        ("http://127.0.0.1:8080", True),
        ("http://127.5.5.5", True),
        ("http://[::1]:9", True),
        ("http://localhost:1234/api", True),
        ("http://api.example.test", False),
        ("http://localhost.evil.test", False),
        ("http://192.168.1.10", False),
        ("ftp://127.0.0.1", False),
    ],
)
def test_which_api_urls_may_carry_a_token(url: str, safe: bool) -> None:
    assert carries_token_safely(url) is safe


def test_pr_url_that_is_not_a_pull_request_is_refused() -> None:
    for url in ("javascript:alert(1)", "https://github.com/acme/widgets/issues/3", "not a url"):
        assert_clean_failure(invoke("track", f"{REPO}#3", "pr", url), code=2)
    assert not resolve_paths().progress_db.exists()


def test_overlong_note_is_refused_and_nothing_stored() -> None:
    assert_clean_failure(invoke("track", f"{REPO}#3", "start", "--note", "x" * 100_000), code=2)
    assert not resolve_paths().progress_db.exists()


# ---------------------------------------------------------------------- config file
@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[labels\n", "not valid TOML"),
        ("skills = [", "not valid TOML"),
        ("[profile]\nskills = 3\n", "profile.skills"),
        ("profile = 'x'\n", "[profile] must be a table"),
        ("[plan]\narea_depth = 0\n", "plan.area_depth"),
        ("[plan]\narea_depth = true\n", "plan.area_depth"),
        ("[plan]\nclaim_days = 'soon'\n", "plan.claim_days"),
        ("[plan]\nexclude_labels = [1, 2]\n", "plan.exclude_labels"),
        ("[labels]\n'good first issue' = 3\n", "[labels]"),
        ("[labels]\n'module: nn' = 'nonsense'\n", "the kind must be one of"),
    ],
)
def test_broken_config_file_is_one_line_naming_the_file(
    text: str, match: str, tmp_path: Path
) -> None:
    config = resolve_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    data = write_json(tmp_path / "issues.json", [gh_issue(1)])
    line = assert_clean_failure(invoke("sync", REPO, "--from-file", str(data)), match=match)
    assert str(config) in line or "config" in line
    assert cache_rows("gh_issues") == 0


def test_config_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    config = resolve_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_bytes(b"[profile]\nskills = ['\xff\xfe']\n")
    data = write_json(tmp_path / "issues.json", [gh_issue(1)])
    assert_clean_failure(invoke("sync", REPO, "--from-file", str(data)), code=2, match="TOML")


def test_config_that_is_a_directory_is_one_line(tmp_path: Path) -> None:
    config = resolve_paths().config_file
    config.mkdir(parents=True)
    data = write_json(tmp_path / "issues.json", [gh_issue(1)])
    assert_clean_failure(invoke("sync", REPO, "--from-file", str(data)), code=2, match="config")


# ---------------------------------------------------------------------- --from-file
@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"this is not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"number": 1}', "expected a JSON list"),
        (b'"just a string"', "expected a JSON list"),
        (b"[1, 2, 3]", "not an issue object"),
        (b'[{"title": "no number"}]', "no integer 'number'"),
        (b'[{"number": true, "title": "x", "state": "OPEN"}]', "no integer 'number'"),
        (b'[{"number": 1, "state": "OPEN"}]', "no string 'title'"),
        (b"[" * 50_000 + b"]" * 50_000, "nested too deeply"),
    ],
)
def test_from_file_wrong_content_is_one_line(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "issues.json"
    path.write_bytes(content)
    assert_clean_failure(invoke("sync", REPO, "--from-file", str(path)), code=2, match=match)
    assert cache_rows("gh_issues") == 0


def test_from_file_bad_item_late_in_file_writes_nothing(tmp_path: Path) -> None:
    items: list[object] = [gh_issue(n) for n in range(1, 50)] + [{"number": "fifty"}]
    path = write_json(tmp_path / "issues.json", items)
    assert_clean_failure(invoke("sync", REPO, "--from-file", str(path)), code=2, match="item 49")
    assert cache_rows("gh_issues") == 0  # not half of the file


def test_from_file_of_another_repository_is_refused(tmp_path: Path) -> None:
    path = write_json(tmp_path / "issues.json", [gh_issue(1), gh_issue(2, repo="evil/other")])
    assert_clean_failure(
        invoke("sync", REPO, "--from-file", str(path)), code=2, match="holds issues of evil/other"
    )
    assert cache_rows("gh_issues") == 0


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_from_file_unreadable_is_one_line(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "issues.json"
    if kind == "directory":
        path.mkdir()
    result = invoke("sync", REPO, "--from-file", str(path))
    assert_clean_failure(result, code=2)
    assert cache_rows("gh_issues") == 0


def test_track_import_of_garbage_leaves_progress_untouched(tmp_path: Path) -> None:
    assert_ok(invoke("track", f"{REPO}#5", "start", "--force", "--note", "kept"))
    before = invoke("status", "--format", "json").stdout
    for content in ("not json", '{"version": 99}', "[]", '{"steps": "x"}', "\u0000"):
        path = tmp_path / "import.json"
        path.write_text(content)
        assert_clean_failure(invoke("track", "--import", str(path)))
    after = invoke("status", "--format", "json")
    assert_ok(after)
    assert after.stdout == before and "kept" in after.stdout


# ---------------------------------------------------------------------- output paths
def unwritable(tmp_path: Path) -> Path:
    """A path whose parent is a regular file: no process (root included) can create it."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    return blocker / "out"


def test_track_export_to_unwritable_path_is_one_line(tmp_path: Path) -> None:
    assert_ok(invoke("track", f"{REPO}#5", "start", "--force"))
    target = unwritable(tmp_path) / "progress.json"
    assert_clean_failure(invoke("track", "--export", str(target)), match="progress.json")
    assert not target.exists()


def test_export_over_an_existing_file_is_atomic(tmp_path: Path) -> None:
    assert_ok(invoke("track", f"{REPO}#5", "start", "--force"))
    target = tmp_path / "progress.json"
    assert_ok(invoke("track", "--export", str(target)))
    assert json.loads(target.read_text())  # a complete JSON document
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)


def test_output_path_that_is_a_directory_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "adir"
    target.mkdir()
    assert_ok(invoke("track", f"{REPO}#5", "start", "--force"))
    assert_clean_failure(invoke("track", "--export", str(target)), code=2)
    assert os.listdir(target) == []


@pytest.mark.parametrize("fmt", ["html", "md", "json"])
def test_plan_output_to_unwritable_path_is_one_line(tmp_path: Path, fmt: str) -> None:
    target = unwritable(tmp_path) / f"plan.{fmt}"
    line = assert_clean_failure(invoke("demo", "--format", fmt, "--output", str(target)))
    assert "cannot write" in line and str(target) in line
    assert not target.exists()
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_plan_output_replaces_an_old_plan_whole(tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old plan")
    assert_ok(invoke("demo", "--format", "json", "--output", str(target)))
    assert json.loads(target.read_text())  # the new plan, complete
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]
