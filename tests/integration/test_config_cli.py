"""`prready config path` and `prready config show` through the CLI: the file's path, each
setting with its source, unknown keys reported, and never the token's value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from prready.cli import cli
from prready.paths import resolve_paths

TOKEN = "ghp_configSHOWtoken000000000000000000000"


def test_config_path_prints_the_file_even_before_it_exists(isolated_home: Path) -> None:
    result = CliRunner().invoke(cli, ["config", "path"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(resolve_paths().config_file)
    assert result.stdout.startswith(str(isolated_home))
    assert not resolve_paths().config_file.exists()  # only told, never created


def test_config_show_gives_values_and_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    config = resolve_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[plan]\nclaim_days = 12\nclaim_dayz = 3\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.com/api/v3")
    result = CliRunner().invoke(cli, ["config", "show", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    settings = data["settings"]
    assert settings["plan.claim_days"] == {"value": 12, "source": "config.toml"}
    assert settings["plan.area_depth"]["source"] == "default"
    assert settings["github.api_url"] == {
        "value": "https://ghe.example.com/api/v3",
        "source": "GITHUB_API_URL",
    }
    assert settings["paths.data"]["source"] == "PRREADY_HOME"
    assert settings["github.token"]["source"] == "GITHUB_TOKEN"
    assert any("plan.claim_days?" in w for w in data["warnings"])
    text = CliRunner().invoke(cli, ["config", "show"])
    assert text.exit_code == 0
    assert "plan.claim_days" in text.stdout and "(config.toml)" in text.stdout
    assert "did you mean plan.claim_days?" in text.stderr
    for output in (result.output, text.output):
        assert TOKEN not in output and TOKEN[:12] not in output


def test_broken_config_is_one_line() -> None:
    config = resolve_paths().config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[plan\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["config", "show"])
    assert result.exit_code == 2
    assert "not valid TOML" in result.output and "Traceback" not in result.output


def test_subcommands_have_help_with_an_example() -> None:
    for name in ("path", "show"):
        result = CliRunner().invoke(cli, ["config", name, "--help"])
        assert result.exit_code == 0 and "Example" in result.output


def test_config_show_names_where_the_token_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library says where a token came from in neutral words; `config show` names
    them for the user: gh's command, or "not found"."""
    for name in ("GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GITHUB_API_URL", raising=False)
    monkeypatch.delenv("GH_HOST", raising=False)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    shown = CliRunner().invoke(cli, ["config", "show"])
    assert shown.exit_code == 0, shown.output
    assert "github.token" in shown.stdout and "(not found)" in shown.stdout
    gh = bin_dir / "gh"
    gh.write_text(f"#!/bin/sh\n[ \"$1 $2\" = 'auth token' ] && echo {TOKEN}\n")
    gh.chmod(0o755)
    result = CliRunner().invoke(cli, ["config", "show", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["settings"]["github.token"]["source"] == "gh auth token"
    text = CliRunner().invoke(cli, ["config", "show"])
    line = next(x for x in text.stdout.splitlines() if "github.token" in x)
    assert line.endswith("(gh auth token)") and TOKEN not in text.output
