"""Shared fixtures. Every test runs with PRREADY_HOME in tmp_path and no GitHub token or
API URL from the developer's environment, so no test reads or writes the real home."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# Set on a test whose setup or call failed: its home is kept for a look afterwards.
FAILED = pytest.StashKey[bool]()


@pytest.fixture(autouse=True)
def isolated_home(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Path]:
    """Removed after a test that passed: a plan of the torch tree leaves a clone of some
    300 MB in its cache, and a CI machine's disk may be small."""
    home = tmp_path_factory.mktemp("prready-home")
    monkeypatch.setenv("PRREADY_HOME", str(home))
    monkeypatch.setenv("HOME", str(home / "user-home"))
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_API_URL", "PRREADY_OFFLINE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    # Keep git from reading the developer's global or system config.
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    (home / "gitconfig").write_text("[user]\n\tname = Test\n\temail = test@example.com\n")
    yield home
    if not request.node.stash.get(FAILED, False):
        shutil.rmtree(home, ignore_errors=True)


TIERS = ("unit", "integration", "system")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its tier, the folder under tests/ it lives in."""
    root = Path(__file__).parent
    for item in items:
        parts = Path(str(item.path)).relative_to(root).parts
        if parts and parts[0] in TIERS:
            item.add_marker(parts[0])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """In CI (CI=true) any test that skips is a failure; elsewhere, with
    PRREADY_REQUIRE_BROWSER / PRREADY_REQUIRE_SLOW set, a browser or slow test that skips is
    one: CI installs chromium, torch and transformers on purpose."""
    import os

    outcome = yield
    report = outcome.get_result()
    if report.failed:
        item.stash[FAILED] = True
    if not report.skipped:
        return
    if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
        # In CI nothing may skip: a skip there hides a missing install step.
        report.outcome = "failed"
        item.stash[FAILED] = True
        report.longrepr = f"skipped in CI (CI=true), where nothing may skip: {report.longrepr}"
        return
    required = {
        "browser": os.environ.get("PRREADY_REQUIRE_BROWSER") == "1",
        "slow": os.environ.get("PRREADY_REQUIRE_SLOW") == "1",
    }
    for marker, must_run in required.items():
        if must_run and item.get_closest_marker(marker) is not None:
            report.outcome = "failed"
            item.stash[FAILED] = True
            report.longrepr = f"{marker} test skipped in CI, where it must run: {report.longrepr}"


@pytest.fixture
def github_server():
    """A started loopback GitHub REST server with an empty Dataset (tests/ghserver/README.md).

    Fill `github_server.dataset`, then point clients at `github_server.url`."""
    from ghserver import GitHubServer

    server = GitHubServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pytorch_tree() -> Path:
    """PyTorch 1.13.1's full source tree as a git work tree (tests/pytorch_tree.py):
    downloaded from Debian and committed on first use, cached outside the repository.
    Skips with the reason when it cannot be had (a failure in CI: mark such tests slow)."""
    from pytorch_tree import PyTorchTreeUnavailable, pytorch_repo

    try:
        return pytorch_repo()
    except PyTorchTreeUnavailable as exc:
        pytest.skip(f"PyTorch source tree unavailable: {exc}")
