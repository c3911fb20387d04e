"""Shared fixtures. Every test runs with PRREADY_HOME in tmp_path and no GitHub token or
API URL from the developer's environment, so no test reads or writes the real home."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("prready-home")
    monkeypatch.setenv("PRREADY_HOME", str(home))
    monkeypatch.setenv("HOME", str(home / "user-home"))
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "PRREADY_OFFLINE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    # Keep git from reading the developer's global or system config.
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    (home / "gitconfig").write_text("[user]\n\tname = Test\n\temail = test@example.com\n")
    return home
