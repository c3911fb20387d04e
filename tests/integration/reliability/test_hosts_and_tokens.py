"""Hosts and tokens as gh has them: the clone URL follows the API host (--api-url, GH_HOST),
GH_TOKEN before GITHUB_TOKEN, enterprise tokens for other hosts, `gh auth token --hostname
HOST`, and a token is never sent to a host it was not issued for (two loopback servers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from prready.config import resolve_api_url, resolve_token
from prready.sources.git_repo import default_url
from rhelpers import REPO, add_issues, assert_clean_failure, assert_ok, fast_client, invoke

DOTCOM = "ghp_dotcomToken00000000000000000000000000"
ENTERPRISE = "ghp_enterpriseToken0000000000000000000000"


def fake_gh(tmp_path: Path, tokens: dict[str, str]) -> str:
    """A `gh` on PATH answering `gh auth token --hostname HOST` from `tokens` only."""
    lines = ["#!/bin/sh", '[ "$1 $2 $3" = "auth token --hostname" ] || exit 4', 'case "$4" in']
    lines += [f'  "{host}") echo {token} ;;' for host, token in tokens.items()]
    lines += ["  *) exit 1 ;;", "esac"]
    gh = tmp_path / "bin" / "gh"
    gh.parent.mkdir(exist_ok=True)
    gh.write_text("\n".join(lines) + "\n")
    gh.chmod(0o755)
    return str(gh.parent)


def token_of(api_url: str, env: dict[str, str], tmp_path: Path) -> str | None:
    env = {"PATH": str(tmp_path / "empty"), **env}
    secret = resolve_token(None, env, api_url=api_url).token
    return secret.reveal() if secret else None


# ---------------------------------------------------------------------- precedence
def test_gh_token_comes_before_github_token(tmp_path: Path) -> None:
    env = {"GH_TOKEN": "from-gh", "GITHUB_TOKEN": "from-github"}
    assert token_of("https://api.github.com", env, tmp_path) == "from-gh"
    assert token_of("https://api.github.com", {"GITHUB_TOKEN": "g"}, tmp_path) == "g"


@pytest.mark.parametrize(
    "api_url", ["https://ghe.example.com/api/v3", "http://127.0.0.1:9/api/v3", "https://x.test"]
)
def test_a_github_com_token_never_goes_to_another_host(tmp_path: Path, api_url: str) -> None:
    env = {"GH_TOKEN": DOTCOM, "GITHUB_TOKEN": DOTCOM}
    assert token_of(api_url, env, tmp_path) is None
    assert token_of(api_url, {**env, "GH_ENTERPRISE_TOKEN": ENTERPRISE}, tmp_path) == ENTERPRISE
    assert token_of(api_url, {"GITHUB_ENTERPRISE_TOKEN": ENTERPRISE}, tmp_path) == ENTERPRISE


def test_enterprise_tokens_never_go_to_github_com(tmp_path: Path) -> None:
    env = {"GH_ENTERPRISE_TOKEN": ENTERPRISE, "GITHUB_ENTERPRISE_TOKEN": ENTERPRISE}
    assert token_of("https://api.github.com", env, tmp_path) is None


def test_github_token_of_actions_on_a_server_goes_to_that_server(tmp_path: Path) -> None:
    api = "https://ghe.example.com/api/v3"
    env = {"GITHUB_TOKEN": ENTERPRISE, "GITHUB_API_URL": api}
    assert token_of(api, env, tmp_path) == ENTERPRISE
    assert token_of("https://other.example.com/api/v3", env, tmp_path) is None


def test_gh_auth_token_is_asked_for_the_api_host(tmp_path: Path) -> None:
    path = fake_gh(tmp_path, {"github.com": DOTCOM, "ghe.example.com": ENTERPRISE})
    env = {"PATH": path}
    ghe = resolve_token(None, env, api_url="https://ghe.example.com/api/v3").token
    dotcom = resolve_token(None, env, api_url="https://api.github.com").token
    other = resolve_token(None, env, api_url="https://nobody.example.com/api/v3").token
    assert ghe is not None and ghe.reveal() == ENTERPRISE
    assert dotcom is not None and dotcom.reveal() == DOTCOM
    assert other is None


# ---------------------------------------------------------------------- two servers
def test_token_of_one_loopback_server_is_never_sent_to_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ghserver import GitHubServer

    fast_client(monkeypatch)
    with GitHubServer(expected_token=ENTERPRISE) as ours, GitHubServer() as other:
        add_issues(ours, n=3)
        add_issues(other, n=3)
        host = ours.url.removeprefix("http://")
        env = {
            "PATH": fake_gh(tmp_path, {host: ENTERPRISE}),
            "GH_TOKEN": DOTCOM,
            "GITHUB_TOKEN": DOTCOM,
        }
        assert_ok(invoke("sync", REPO, "--api-url", ours.url, env=env))
        assert_ok(invoke("sync", "acme/widgets", "--api-url", other.url, env=env))
        assert ours.requests and all(r.authenticated for r in ours.requests)
        assert other.requests and not any(r.authenticated for r in other.requests)


# ---------------------------------------------------------------------- clone URL
@pytest.mark.parametrize(
    ("api_url", "clone"),
    [
        ("https://api.github.com", "https://github.com/o/r.git"),
        ("https://ghe.example.com/api/v3", "https://ghe.example.com/o/r.git"),
        ("https://api.acme.ghe.com", "https://acme.ghe.com/o/r.git"),
        ("http://127.0.0.1:8080/api/v3", "http://127.0.0.1:8080/o/r.git"),
    ],
)
def test_clone_url_follows_the_api_host(api_url: str, clone: str) -> None:
    assert default_url("o/r", api_url) == clone


def test_gh_host_names_the_api_and_the_clone_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_HOST", "ghe.example.com")
    assert resolve_api_url(None) == "https://ghe.example.com/api/v3"
    assert default_url("o/r") == "https://ghe.example.com/o/r.git"
    monkeypatch.setenv("GH_HOST", "github.com")
    assert default_url("o/r") == "https://github.com/o/r.git"


def test_plan_clones_from_the_api_host(github_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    add_issues(github_server, n=3)
    fast_client(monkeypatch)
    result = invoke("plan", REPO, "--api-url", github_server.url, "--token", ENTERPRISE)
    # The loopback API serves no git: the clone fails, but it was asked of the API's host.
    assert_clean_failure(result, code=2, match=f"{github_server.url}/acme/widgets.git")
    assert github_server.count(r"^/acme/widgets\.git/") >= 1
