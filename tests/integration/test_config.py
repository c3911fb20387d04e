from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from prready.config import Secret, load_config, resolve_api_url, resolve_token
from prready.errors import UsageError
from prready.paths import resolve_paths, write_private_file


def test_token_precedence(tmp_path: Path) -> None:
    env = {"GITHUB_TOKEN": "env-gh", "GH_TOKEN": "env-gh2", "PATH": str(tmp_path)}
    assert resolve_token("cli", env).origin == "option"
    # GH_TOKEN before GITHUB_TOKEN, as gh does.
    assert resolve_token(None, env).token.reveal() == "env-gh2"  # type: ignore[union-attr]
    from_env = resolve_token(None, {"GH_TOKEN": "x", "PATH": str(tmp_path)})
    assert (from_env.origin, from_env.variable) == ("environment", "GH_TOKEN")
    assert resolve_token(None, {"PATH": str(tmp_path)}).token is None


def test_token_from_gh_cli(tmp_path: Path) -> None:
    gh = tmp_path / "gh"
    gh.write_text("#!/bin/sh\n[ \"$1 $2\" = 'auth token' ] && echo gho_fromcli\n")
    gh.chmod(0o755)
    source = resolve_token(None, {"PATH": str(tmp_path)})
    assert source.origin == "gh"
    assert source.token is not None and source.token.reveal() == "gho_fromcli"
    assert subprocess.run([str(gh), "auth", "token"], capture_output=True).returncode == 0


def test_secret_never_shows_itself() -> None:
    secret = Secret("ghp_supersecret")
    assert "supersecret" not in repr(secret)
    assert "supersecret" not in f"{secret}"
    assert "supersecret" not in str([secret])


def test_api_url_resolution() -> None:
    assert resolve_api_url(None, {}) == "https://api.github.com"
    assert resolve_api_url(None, {"GITHUB_API_URL": "https://ghe.example/api/v3/"}) == (
        "https://ghe.example/api/v3"
    )
    assert resolve_api_url("http://127.0.0.1:9", {"GITHUB_API_URL": "x"}) == "http://127.0.0.1:9"
    with pytest.raises(UsageError):
        resolve_api_url("ftp://x", {})


def test_paths_follow_prready_home(tmp_path: Path) -> None:
    paths = resolve_paths({"PRREADY_HOME": str(tmp_path)})
    assert paths.cache_db.is_relative_to(tmp_path)
    assert paths.progress_db.is_relative_to(tmp_path)
    assert paths.config_file.is_relative_to(tmp_path)
    assert paths.cache_db.parent != paths.progress_db.parent


def test_private_files_are_user_only(tmp_path: Path) -> None:
    target = write_private_file(tmp_path / "d" / "f.json", "{}")
    assert target.stat().st_mode & 0o777 == 0o600
    assert target.parent.stat().st_mode & 0o777 == 0o700


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("labels = [", "not valid TOML"),
        ("[labels]\nbug = 3", "[labels]"),
        ("[profile]\nskills = 'python'", "profile.skills"),
        ("[plan]\narea_depth = 'deep'", "area_depth"),
        ("[plan]\nclaim_days = 0", "claim_days"),
        ("plan = 3", "[plan]"),
    ],
)
def test_bad_config_is_one_clear_line(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(UsageError) as info:
        load_config(path)
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_good_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[labels]\n"pt2-bug" = "bug"\n[profile]\nskills = ["python", "cuda"]\n'
        "[plan]\narea_depth = 2\nexclude_labels = ['wontfix']\n"
    )
    cfg = load_config(path)
    assert cfg.labels == {"pt2-bug": "bug"}
    assert cfg.skills == ["python", "cuda"]
    assert cfg.area_depth == 2 and cfg.exclude_labels == ["wontfix"]
    assert load_config(tmp_path / "missing.toml").skills == []


def test_token_advice_names_the_variables_read_for_that_host() -> None:
    from prready.config import token_advice

    assert token_advice("https://api.github.com") == (
        "set GH_TOKEN or GITHUB_TOKEN, or run `gh auth login --hostname github.com`"
    )
    advice = token_advice("https://ghe.example.com/api/v3")
    assert "GH_ENTERPRISE_TOKEN" in advice and "GITHUB_TOKEN" not in advice
    assert advice.endswith("--hostname ghe.example.com`")
