"""What the server names (repository, logins, labels) is checked like user input; echoes
of the token in any disguise are redacted; issue links come only from the repository's own
host; invisible letters never reach the terminal; the clone lock file is private."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from gitfixtures import make_bare_remote, make_history_repo
from prready.config import redact_secret
from prready.paths import resolve_paths
from prready.render.view import issue_url
from prready.text import safe_line
from rhelpers import REPO, add_issues, assert_clean_failure, assert_ok, fast_client, invoke

TOKEN = "ghp_serverNamesTOKEN0123456789abcdefABCDEF"
DISGUISES = {
    "whole": TOKEN,
    "upper": TOKEN.upper(),
    "lower": TOKEN.lower(),
    "truncated-head": TOKEN[:12],
    "truncated-tail": TOKEN[-10:],
    "middle": TOKEN[8:20],
    "base64": base64.b64encode(TOKEN.encode()).decode(),
    "basic-auth": base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode(),
    "urlsafe-base64": base64.urlsafe_b64encode(TOKEN.encode()).decode().rstrip("="),
}


def rewrite_repo(server: Any, change: Any) -> None:
    original = server.respond

    def respond(path: str, query: dict[str, str], headers: dict[str, str], base: str) -> Any:
        reply = original(path, query, headers, base)
        if path == f"/repos/{REPO}" and reply.status == 200:
            data = json.loads(reply.body)
            change(data)
            reply.body = json.dumps(data).encode()
        return reply

    server.respond = respond


def home_bytes() -> bytes:
    home = Path(os.environ["PRREADY_HOME"])
    return b"".join(p.read_bytes() for p in home.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.mark.parametrize("name", [f"acme/{TOKEN}", f"{TOKEN[:20]}/widgets", f"ACME/{TOKEN.upper()}"])
def test_server_full_name_holding_the_token_is_never_printed_or_stored(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    add_issues(github_server, n=3)
    fast_client(monkeypatch)
    rewrite_repo(github_server, lambda d: d.update(full_name=name))
    result = invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
    assert_clean_failure(result, code=1, match="holding the token")
    for text in (result.stdout, result.stderr):
        assert TOKEN[:12] not in text and TOKEN[-10:] not in text.upper()
    assert TOKEN[4:16].encode() not in home_bytes()


@pytest.mark.parametrize("name", ["acme/\x1b[31mred", "acme/wid gets", "../etc", "a/b/c", ""])
def test_invalid_server_full_name_is_refused_without_echo(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    add_issues(github_server, n=3)
    fast_client(monkeypatch)
    rewrite_repo(github_server, lambda d: d.update(full_name=name))
    result = invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
    line = assert_clean_failure(result, code=1, match="invalid repository name")
    assert "\x1b" not in result.stderr and (not name or name not in line)


@pytest.mark.parametrize("disguise", sorted(DISGUISES))
def test_server_message_echoing_the_token_in_disguise_is_redacted(
    github_server: Any, monkeypatch: pytest.MonkeyPatch, disguise: str
) -> None:
    fast_client(monkeypatch)
    add_issues(github_server, n=3)
    echo = DISGUISES[disguise]
    github_server.inject(
        r"/issues$", "status", times=None, code=422, body={"message": f"bad credential {echo}!"}
    )
    result = invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
    assert result.exit_code == 1
    assert echo not in result.stdout + result.stderr
    assert "bad credential ***" in result.stderr


def test_redaction_leaves_other_text_alone() -> None:
    text = "Validation Failed: field 'labels' is invalid (ghp_ is a prefix)"
    assert redact_secret(text, TOKEN) == text


def test_server_labels_and_logins_are_cleaned_before_storing(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ds = github_server.dataset
    ds.add_repo(REPO)
    hostile = "good\u3164first\u202e issue\x1b[2J"
    ds.add_issue(REPO, "t", labels=[hostile], user="mallory", created_at="2026-01-01T00:00:00Z")
    fast_client(monkeypatch)
    assert_ok(invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN, "--all-open"))
    conn = sqlite3.connect(resolve_paths().cache_db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM gh_labels")]
        labels = [r[0] for r in conn.execute("SELECT labels FROM gh_issues")]
    finally:
        conn.close()
    assert hostile not in names and any(n.startswith("goodfirst") for n in names)
    assert all("\u3164" not in x and "\x1b" not in x and "\u202e" not in x for x in names + labels)


@pytest.mark.parametrize(
    "letter", ["\u3164", "\u115f", "\u1160", "\uffa0", "\u00ad", "\u180e", "\U000e0041", "\u2800"]
)
def test_invisible_letters_never_reach_the_terminal(letter: str) -> None:
    assert safe_line(f"safe{letter}title{letter}") == "safetitle"


@pytest.mark.parametrize(
    ("url", "linked"),
    [
        (f"https://github.com/{REPO}/issues/7", True),
        (f"https://github.com/{REPO}/pull/7", True),
        ("https://evil.example/acme/widgets/issues/7", False),
        ("https://github.com.evil.example/acme/widgets/issues/7", False),
        ("https://github.com/other/repo/issues/7", False),
        ("https://user@github.com/acme/widgets/issues/7", False),
        ("http://github.com/acme/widgets/issues/7", False),
        ("https://github.com:8443/acme/widgets/issues/7", False),
    ],
)
def test_issue_links_come_only_from_the_repository_host(url: str, linked: bool) -> None:
    got = issue_url(REPO, 7, url)
    assert got == (url if linked else f"https://github.com/{REPO}/issues/7")


def test_clone_lock_file_is_private(tmp_path: Path) -> None:
    checkout = make_history_repo(tmp_path / "src")
    remote = make_bare_remote(checkout, tmp_path / "remote.git")
    assert_ok(invoke("map", REPO, "--git-url", remote))
    locks = list(resolve_paths().repos.rglob(".*.lock"))
    assert locks
    for lock in locks:
        assert stat.S_IMODE(lock.stat().st_mode) == 0o600, (lock, oct(lock.stat().st_mode))
