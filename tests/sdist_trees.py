"""Pinned source distributions of real ML libraries (accelerate, tinygrad) from PyPI as git
repositories, for the slow plan tests (tests/system/test_plan_sdists.py):

    python tests/sdist_trees.py            # prints each work tree's path

Each sdist is fetched with pip (`pip download --no-deps --no-binary :all:`), its SHA-256
checked against the one pinned here, extracted and committed once under the cache
directory (`$PRREADY_SDISTS`, default /tmp/prready-sdists) with a fixed author and date, so
the commit id is the same on every machine; never inside this repository.

What the sdists hold (checked when pinned): accelerate 1.2.1 has src/accelerate and the
top-level tests/test_*.py, but not tests/test_utils/ (its scripts), docs/, examples/ or
CONTRIBUTING.md; tinygrad 0.10.0 has tinygrad/ and test/test_*.py, but not test/unit/,
docs/ or examples/. Neither has a contributing guide or history beyond the one commit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pytorch_tree import commit_tree, locked, run_git, sha256_matches


@dataclass(frozen=True)
class Sdist:
    name: str
    version: str
    sha256: str
    released: str  # the commit date, near its release on PyPI
    expected_head: str  # what a correct build commits to

    @property
    def archive(self) -> str:
        return f"{self.name}-{self.version}.tar.gz"

    @property
    def top_folder(self) -> str:
        return f"{self.name}-{self.version}"


SDISTS = {
    "accelerate": Sdist(
        "accelerate", "1.2.1",
        "03e161fc69d495daf2b9b5c8d5b43d06e2145520c04727b5bda56d49f1a43ab5",
        "2024-12-13T00:00:00Z", "e1155b979866c9c3317a5b4d39405b5021e5e431",
    ),
    "tinygrad": Sdist(
        "tinygrad", "0.10.0",
        "24412219a1467c49892b35e61f283f5992b128539e90743df465af33408e73e7",
        "2024-11-20T00:00:00Z", "c7586db0a9fe709d2b120c58750310e0b2ab37c7",
    ),
}  # fmt: skip
IDENTITY = ("PyPI sdist import", "sdist@prready.invalid")


class SdistUnavailable(RuntimeError):
    """The tree could not be had: no cache and no way to download it."""


def cache_dir() -> Path:
    return Path(os.environ.get("PRREADY_SDISTS") or "/tmp/prready-sdists")


def sdist_repo(name: str, cache: Path | None = None, *, download: bool = True) -> Path:
    """The git work tree of the pinned sdist `name`, built on first use. Raises
    SdistUnavailable (with the reason) when it is absent and cannot be built."""
    sdist = SDISTS[name]
    cache = cache or cache_dir()
    repo = cache / sdist.top_folder
    if _is_built(repo, sdist):
        return repo
    cache.mkdir(parents=True, exist_ok=True)
    with locked(cache / ".lock"):
        if _is_built(repo, sdist):
            return repo
        archive = cache / sdist.archive
        if not sha256_matches(archive, sdist.sha256):
            if not download:
                raise SdistUnavailable(f"{archive} is absent and downloads are off")
            fetch_sdist(sdist, cache)
        build_repo(sdist, archive, repo)
    return repo


def fetch_sdist(sdist: Sdist, cache: Path) -> Path:
    """Download the pinned sdist into `cache` with pip; its checksum must match."""
    target = cache / sdist.archive
    cmd = [
        sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
        "--dest", str(cache), f"{sdist.name}=={sdist.version}",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise SdistUnavailable(f"pip download {sdist.name}=={sdist.version}: {exc}") from exc
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise SdistUnavailable(f"pip download {sdist.name}=={sdist.version} failed: {last}")
    if not sha256_matches(target, sdist.sha256):
        target.unlink(missing_ok=True)
        raise SdistUnavailable(f"{sdist.archive}: checksum mismatch (expected {sdist.sha256})")
    return target


def build_repo(sdist: Sdist, archive: Path, repo: Path) -> Path:
    """Extract `archive` and commit its tree at `repo` (replaced when half built)."""
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=repo.parent))
    try:
        subprocess.run(
            ["tar", "--no-same-owner", "-xzf", str(archive), "-C", str(work)],
            check=True, capture_output=True,
        )  # fmt: skip
        tree = work / sdist.top_folder
        if not (tree / "PKG-INFO").is_file():
            raise SdistUnavailable(f"{archive} does not hold {sdist.top_folder}/PKG-INFO")
        message = f"{sdist.name} {sdist.version} (PyPI sdist {sdist.archive})"
        head = commit_tree(tree, IDENTITY, sdist.released, message)
        if sdist.expected_head and head != sdist.expected_head:
            raise SdistUnavailable(f"built commit {head}, expected {sdist.expected_head}")
        if repo.exists():
            shutil.rmtree(repo)
        tree.rename(repo)
    except subprocess.CalledProcessError as exc:
        raise SdistUnavailable(f"{' '.join(exc.cmd)} failed: {exc.stderr}") from exc
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return repo


def _is_built(repo: Path, sdist: Sdist) -> bool:
    if not (repo / ".git").is_dir():
        return False
    try:
        head = run_git(repo, "rev-parse", "--verify", "HEAD^{commit}").strip()
    except subprocess.CalledProcessError as exc:
        print(f"sdist_trees: {repo} is not the expected repository: {exc.stderr}", file=sys.stderr)
        return False
    return head == sdist.expected_head


if __name__ == "__main__":
    try:
        for each in SDISTS:
            print(sdist_repo(each))
    except SdistUnavailable as exc:
        sys.exit(f"sdist_trees: {exc}")
