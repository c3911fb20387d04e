"""The demo's shipped data (src/prready/demo/data/) is what tools/make_demo_data.py makes, so
a change to the sample's generator cannot land without its regenerated files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from prready.demo import BUNDLE_FILE, DATA_DIR, PAYLOADS_FILE, sample_payloads

SCRIPT = Path(__file__).resolve().parents[2] / "tools" / "make_demo_data.py"
REGENERATE = "regenerate with: python tools/make_demo_data.py"


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SCRIPT.exists():
        pytest.skip(f"{SCRIPT} is not here (an installed copy without the sources)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    out = tmp_path_factory.mktemp("demo-data")
    subprocess.run([sys.executable, str(SCRIPT), "--out", str(out)], check=True, timeout=120)
    return out


def test_shipped_payloads_are_current(fresh: Path) -> None:
    shipped = (DATA_DIR / PAYLOADS_FILE).read_bytes()
    assert (fresh / PAYLOADS_FILE).read_bytes() == shipped, (
        f"{PAYLOADS_FILE} is stale: {REGENERATE}"
    )


def test_shipped_bundle_is_current(fresh: Path) -> None:
    """Bundles compare by their refs: equal commit ids mean equal history, trees and files."""

    def heads(bundle: Path) -> list[str]:
        done = subprocess.run(
            ["git", "bundle", "list-heads", str(bundle)],
            capture_output=True,
            text=True,
            check=True,
        )
        return sorted(done.stdout.splitlines())

    shipped = heads(DATA_DIR / BUNDLE_FILE)
    assert {line.split()[1] for line in shipped} == {"HEAD", "refs/heads/main"}
    assert heads(fresh / BUNDLE_FILE) == shipped, f"{BUNDLE_FILE} is stale: {REGENERATE}"
    # That the bundle's objects clone into this history: test_demo_sample's bundle test.


def test_payloads_are_the_keys_the_demo_reads() -> None:
    payloads = sample_payloads()
    assert set(payloads) == {
        "data_fetched_at",
        "now",
        "repo",
        "labels",
        "issues",
        "comments",
        "timelines",
        "pulls",
        "pull_files",
        "user",
    }
    assert payloads["repo"]["full_name"] == "prready-demo/tinyml"
