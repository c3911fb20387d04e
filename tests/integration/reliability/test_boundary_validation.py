"""The same rules at every way in (the API, `--from-file`, `track --import`, the command
line): issue numbers 1..2^31-1, valid Unicode (lone surrogates replaced), bounded nesting.
A bad number is never stored: an issue 0 in the store used to break every later `plan`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from test_cli_input import gh_issue, write_json

from prready.paths import resolve_paths
from rhelpers import REPO, add_issues, assert_clean_failure, assert_ok, fast_client, invoke

TOKEN = "ghp_boundaryToken000000000000000000000000"
BAD_NUMBERS = [0, -1, 10**22, 2**31]


def stored_numbers() -> list[int]:
    path = resolve_paths().cache_db
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT number FROM gh_issues ORDER BY number")]
    finally:
        conn.close()


def stored_titles() -> list[str]:
    conn = sqlite3.connect(resolve_paths().cache_db)
    try:
        return [r[0] for r in conn.execute("SELECT title FROM gh_issues ORDER BY number")]
    finally:
        conn.close()


def serve_rewritten(server: Any, change: Any) -> None:
    """Serve /issues pages after `change(items)` edits the decoded JSON list."""
    original = server.respond

    def respond(path: str, query: dict[str, str], headers: dict[str, str], base: str) -> Any:
        reply = original(path, query, headers, base)
        if path.endswith("/issues") and reply.status == 200:
            items = json.loads(reply.body)
            change(items)
            reply.body = json.dumps(items).encode()
            reply.headers.pop("ETag", None)
        return reply

    server.respond = respond


# ---------------------------------------------------------------------- the API
@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_api_issue_with_impossible_number_is_skipped_and_counted(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, bad: int
) -> None:
    add_issues(github_server, n=3)
    fast_client(monkeypatch)

    def renumber(items: list[dict[str, Any]]) -> None:
        if items:
            items[0]["number"] = bad

    serve_rewritten(github_server, renumber)
    result = invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
    assert_ok(result)
    assert "skipped" in result.output + result.stderr
    numbers = stored_numbers()
    assert numbers and all(1 <= n < 2**31 for n in numbers)


def test_api_title_with_lone_surrogate_is_stored_as_replacement(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=2)
    fast_client(monkeypatch)

    def poison(items: list[dict[str, Any]]) -> None:
        for item in items:
            item["title"] = "bad \ud800 title"
            item["body"] = "\udfff body"
            item["user"]["login"] = "\ud800evil"

    serve_rewritten(github_server, poison)
    assert_ok(invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN))
    assert stored_titles() == ["bad \ufffd title"] * 2


def test_api_issue_nested_too_deep_is_one_line(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_issues(github_server, n=2)
    fast_client(monkeypatch)

    def nest(items: list[dict[str, Any]]) -> None:
        deep: Any = "x"
        for _ in range(200):
            deep = [deep]
        items[0]["title"] = deep

    serve_rewritten(github_server, nest)
    result = invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
    assert_clean_failure(result, code=1, match="nested")
    assert stored_numbers() == []


# ---------------------------------------------------------------------- --from-file
@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_from_file_issue_with_impossible_number_is_refused(tmp_path: Path, bad: int) -> None:
    path = write_json(tmp_path / "issues.json", [gh_issue(1), gh_issue(bad)])
    result = invoke("sync", REPO, "--from-file", str(path))
    assert_clean_failure(result, code=2, match="outside 1..2147483647")
    assert stored_numbers() == []


@pytest.mark.parametrize("shape", ["gh", "rest"])
def test_from_file_lone_surrogates_are_replaced(tmp_path: Path, shape: str) -> None:
    item: dict[str, Any] = gh_issue(3, title="a \ud800 b")
    if shape == "rest":
        item = {
            "number": 3, "title": "a \ud800 b", "body": "\udc00", "state": "open",
            "html_url": f"https://github.com/{REPO}/issues/3", "user": {"login": "x\udfff"},
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        }  # fmt: skip
    path = tmp_path / "issues.json"
    path.write_text(json.dumps([item]), encoding="utf-8")  # \ud800 escaped, as JSON allows
    assert_ok(invoke("sync", REPO, "--from-file", str(path)))
    assert stored_titles() == ["a \ufffd b"]


def test_from_file_nested_just_past_the_cap_is_one_line(tmp_path: Path) -> None:
    deep: Any = "x"
    for _ in range(100):
        deep = {"a": deep}
    path = write_json(tmp_path / "issues.json", [gh_issue(1, body=deep)])
    assert_clean_failure(invoke("sync", REPO, "--from-file", str(path)), code=2, match="nested")
    assert stored_numbers() == []


# ---------------------------------------------------------------------- track --import
def export_with(tmp_path: Path, **step_changes: Any) -> Path:
    assert_ok(invoke("track", f"{REPO}#5", "start", "--offline", "--force", "--note", "kept"))
    out = tmp_path / "export.json"
    assert_ok(invoke("track", "--export", str(out)))
    data = json.loads(out.read_text())
    data["steps"][0].update(step_changes)
    target = tmp_path / "import.json"
    target.write_text(json.dumps(data))
    return target


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_track_import_with_impossible_number_is_one_line(tmp_path: Path, bad: int) -> None:
    path = export_with(tmp_path, issue_number=bad)
    before = invoke("status", "--format", "json").stdout
    assert_clean_failure(invoke("track", "--import", str(path)), code=2, match="issue_number")
    assert invoke("status", "--format", "json").stdout == before


def test_track_import_lone_surrogates_are_replaced(tmp_path: Path) -> None:
    path = export_with(tmp_path, title="t \ud800", updated_at="2099-01-01T00:00:00Z")
    data = json.loads(path.read_text())
    data["steps"][0]["notes"].append({"body": "n \udfff", "created_at": "2099-01-01T00:00:00Z"})
    path.write_text(json.dumps(data))
    assert_ok(invoke("track", "--import", str(path)))
    status = invoke("status", "--format", "json")
    assert_ok(status)
    assert "\\ufffd" in status.stdout or "\ufffd" in status.stdout


def test_track_import_nested_100000_deep_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "import.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert_clean_failure(invoke("track", "--import", str(path)), code=2, match="nested")


# ---------------------------------------------------------------------- the command line
@pytest.mark.parametrize(
    "ref", [f"{REPO}#99999999999999999999", f"{REPO}#²", f"{REPO}#0", f"{REPO}#2147483648",
            f"https://github.com/{REPO}/issues/99999999999999999999"],
)  # fmt: skip
def test_track_impossible_issue_number_is_usage_error(ref: str) -> None:
    assert_clean_failure(invoke("track", ref, "start"), code=2, match="OWNER/REPO#NUMBER")
    assert not resolve_paths().progress_db.exists()
