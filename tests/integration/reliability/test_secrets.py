"""Secrets: every command runs with a recognisable token (via --token and GITHUB_TOKEN,
and inside a git URL), and the token appears in no output, error, plan file or file
under PRREADY_HOME. Files prready creates there are private (0600, folders 0700)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from gitfixtures import make_bare_remote, make_history_repo, serve_git_http
from prready.paths import resolve_paths
from rhelpers import REPO, add_issues, fast_client, invoke, run_prready

TOKEN = "ghp_PRREADYTESTTOKEN0123456789abcdefABCDEF"
MARKERS = (TOKEN, TOKEN[4:24], TOKEN[-16:])  # the whole token and recognisable parts of it


def assert_token_absent(*texts: str) -> None:
    for text in texts:
        for marker in MARKERS:
            assert marker not in text, f"token fragment {marker!r} leaked"


def assert_home_clean(*extra_dirs: Path) -> int:
    """Read every file under PRREADY_HOME (and extra output dirs) as bytes; return how many."""
    home = Path(os.environ["PRREADY_HOME"])
    count = 0
    for base in (home, *extra_dirs):
        for root, _dirs, files in os.walk(base):
            for name in files:
                path = Path(root) / name
                if path.is_symlink() or not path.is_file():
                    continue
                data = path.read_bytes()
                for marker in MARKERS:
                    assert marker.encode() not in data, f"token found in {path}"
                    assert marker.encode("utf-16-le") not in data, f"token found in {path}"
                count += 1
    return count


@pytest.fixture
def world(github_server: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    fast_client(monkeypatch, per_page=100)
    add_issues(github_server, n=12, body="fails in minitorch/nn/functional.py")
    checkout = make_history_repo(tmp_path / "src")
    out = tmp_path / "out"
    out.mkdir()
    return {"server": github_server, "checkout": checkout, "out": out}


def every_command(world: dict[str, Any]) -> list[list[str]]:
    url, co, out = world["server"].url, str(world["checkout"]), world["out"]
    net = ["--api-url", url]
    return [
        ["sync", REPO, *net],
        ["sync", REPO, *net, "--all-open"],
        ["plan", REPO, "--checkout", co, *net, "--format", "html", "--output", str(out / "p.html")],
        ["plan", REPO, "--checkout", co, *net, "--format", "md", "--output", str(out / "p.md")],
        ["plan", REPO, "--checkout", co, *net, "--format", "json", "--output", str(out / "p.json")],
        ["issues", REPO, "--checkout", co, "--offline"],
        ["issues", REPO, "--format", "json", "--checkout", co, "--offline"],
        ["issues", REPO, "--labels"],
        ["map", REPO, "--checkout", co, "--format", "json"],
        ["track", f"{REPO}#1", "start", "--note", "working on it"],
        ["track", "--export", str(out / "progress.json")],
        ["status", REPO],
        ["status", "--format", "json"],
        ["backtest", REPO, "--checkout", co, *net, "--limit", "3"],
        ["profile", "--from-git", co],
        ["demo", "--format", "json", "--output", str(out / "demo.json")],
    ]


TAKES_TOKEN = {"sync", "plan", "backtest"}


# The loopback server is not github.com: the environment tokens bound to such a host are the
# enterprise ones, and GITHUB_TOKEN when GITHUB_API_URL names the host (GitHub Actions).
@pytest.mark.parametrize(
    "how", ["--token", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "GITHUB_TOKEN"]
)
def test_token_never_appears_in_any_output_or_file(world: dict[str, Any], how: str) -> None:
    ran = 0
    for args in every_command(world):
        env: dict[str, str] = {}
        if how == "--token" and args[0] in TAKES_TOKEN:
            args = [*args, "--token", TOKEN]
        elif how != "--token":
            env[how] = TOKEN
            if how == "GITHUB_TOKEN":
                env["GITHUB_API_URL"] = world["server"].url
        result = invoke(*args, env=env)
        assert result.exit_code == 0, (args, result.output)
        assert_token_absent(result.stdout, result.stderr, repr(result.exception))
        ran += 1
    assert ran == len(every_command(world))
    assert assert_home_clean(world["out"]) > 5
    assert world["server"].count(r"/issues$") > 0  # the token was really used


def test_token_absent_from_errors_of_every_failing_request(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_client(monkeypatch)
    add_issues(github_server, n=3)
    for kind, opts in (
        ("status", {"code": 500}),
        ("status", {"code": 401}),
        ("status", {"code": 422}),
        ("malformed", {}),
        ("drop", {}),
        ("unexpected", {"body": {"token": TOKEN}}),
    ):
        github_server.clear_faults()
        github_server.inject(r"/issues$", kind, times=None, **opts)
        result = invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
        assert result.exit_code != 0
        assert_token_absent(result.stdout, result.stderr, repr(result.exception))
    assert_home_clean()


def test_server_message_echoing_the_token_is_redacted(
    github_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast_client(monkeypatch)
    add_issues(github_server, n=3)
    github_server.inject(
        r"/issues$", "status", times=None, code=422, body={"message": f"bad token {TOKEN}"}
    )
    result = invoke("sync", REPO, "--api-url", github_server.url, "--token", TOKEN)
    assert result.exit_code == 1
    assert_token_absent(result.stdout, result.stderr)


def test_token_absent_from_a_crashing_subprocess(github_server: Any) -> None:
    add_issues(github_server, n=3)
    github_server.inject(r"/labels$", "status", times=None, code=401)
    proc = run_prready(
        ["sync", REPO, "--api-url", github_server.url], {"GH_ENTERPRISE_TOKEN": TOKEN}
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert_token_absent(proc.stdout, proc.stderr)
    assert_home_clean()


def test_credentials_in_a_git_url_are_never_stored_or_shown(tmp_path: Path) -> None:
    source = make_history_repo(tmp_path / "src")
    root = tmp_path / "served"
    root.mkdir()
    make_bare_remote(source, root / "widgets.git")
    with serve_git_http(root, auth=f"x-access-token:{TOKEN}") as (base, seen):
        url = base.replace("http://", f"http://x-access-token:{TOKEN}@") + "/widgets.git"
        first = invoke("map", REPO, "--git-url", url)
        again = invoke("map", REPO, "--git-url", url)
    assert first.exit_code == 0, first.output
    assert again.exit_code == 0, again.output
    assert any(h.startswith("Basic ") for h in seen)  # the credentials were used
    assert_token_absent(first.stdout, first.stderr, again.stdout, again.stderr)
    assert assert_home_clean() > 3  # .git/config, FETCH_HEAD, packed refs... all clean


def test_wrong_git_credentials_error_does_not_echo_them(tmp_path: Path) -> None:
    source = make_history_repo(tmp_path / "src")
    root = tmp_path / "served"
    root.mkdir()
    make_bare_remote(source, root / "widgets.git")
    with serve_git_http(root, auth="x-access-token:the-right-one") as (base, _seen):
        url = base.replace("http://", f"http://x-access-token:{TOKEN}@") + "/widgets.git"
        result = invoke("map", REPO, "--git-url", url)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert_token_absent(result.stdout, result.stderr, repr(result.exception))
    assert_home_clean()


# ---------------------------------------------------------------------- permissions
def test_files_under_prready_home_are_private(world: dict[str, Any]) -> None:
    for args in every_command(world):
        extra = ["--token", TOKEN] if args[0] in TAKES_TOKEN else []
        result = invoke(*args, *extra)
        assert result.exit_code == 0, (args, result.output)
    # One plan in its default place (data/plans), not an --output path.
    default_plan = invoke("plan", REPO, "--checkout", str(world["checkout"]), "--offline")
    assert default_plan.exit_code == 0, default_plan.output
    home = Path(os.environ["PRREADY_HOME"])
    paths = resolve_paths()
    for folder in (paths.cache, paths.data, paths.config):
        if folder.exists():
            assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    checked = 0
    for root, dirs, files in os.walk(home):
        here = Path(root)
        rel = here.relative_to(home).parts
        if not rel or rel[0] == "user-home" or (len(rel) >= 2 and rel[1] == "repos"):
            continue  # the test's own HOME; git's files inside clones (see the next test)
        if (here / ".git").exists():
            # A git work tree (the demo's sample repository): git writes 0644/0755 inside,
            # so the folder holding it must be private.
            assert stat.S_IMODE(here.parent.stat().st_mode) & 0o077 == 0, here.parent
            dirs[:] = []
            continue
        for name in dirs:
            if (here == paths.cache and name == "repos") or (here / name / ".git").exists():
                continue
            mode = stat.S_IMODE((here / name).stat().st_mode)
            assert mode & 0o077 == 0, (here / name, oct(mode))
        for name in files:
            mode = stat.S_IMODE((here / name).lstat().st_mode)
            assert mode & 0o077 == 0, (here / name, oct(mode))
            checked += 1
    assert checked >= 3  # cache, progress store, the plan
    for owner in paths.repos.iterdir():
        # Each clone sits in a 0700 folder, so git's own 0644 files are private too.
        assert stat.S_IMODE(owner.stat().st_mode) & 0o077 == 0, owner
    for plan in world["out"].iterdir():
        assert stat.S_IMODE(plan.stat().st_mode) & 0o077 == 0, plan


def test_clone_folder_is_private(tmp_path: Path) -> None:
    checkout = make_history_repo(tmp_path / "src")
    remote = make_bare_remote(checkout, tmp_path / "remote.git")
    assert invoke("map", REPO, "--git-url", remote).exit_code == 0
    repos = resolve_paths().repos
    assert stat.S_IMODE(repos.stat().st_mode) & 0o077 == 0, oct(repos.stat().st_mode)
