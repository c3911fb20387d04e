"""The PyTorch source tree script (tests/pytorch_tree.py): apt source parsing, and the
built tree itself (slow)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pytorch_tree import EXPECTED_HEAD, PyTorchTreeUnavailable, debian_mirror, pytorch_repo


def test_mirror_from_deb822_skips_security_and_src(tmp_path: Path) -> None:
    parts = tmp_path / "sources.list.d"
    parts.mkdir()
    (parts / "debian.sources").write_text(
        "Types: deb-src\nURIs: http://src.example/debian\nSuites: trixie\nComponents: main\n\n"
        "Types: deb\n# http://snapshot.debian.org/archive/debian/20250520T000000Z\n"
        "URIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n"
        "Components: main contrib\n\n"
        "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n"
        "Components: main\n"
    )
    (parts / "other.list.disabled").write_text("deb http://never.example/ x main\n")
    uri, suites, components = debian_mirror((str(tmp_path / "absent.list"), str(parts)))
    assert uri == "http://mirror.example/debian"
    assert suites == ["bookworm", "bookworm-updates"]
    assert components == ["main", "contrib"]


def test_mirror_from_one_line_format(tmp_path: Path) -> None:
    listing = tmp_path / "sources.list"
    listing.write_text(
        "# deb http://commented.example/debian bookworm main\n"
        "deb http://security.example/debian-security bookworm-security main\n"
        "deb [arch=amd64 signed-by=/k.gpg] http://one.example/debian bookworm main\n"
    )
    assert debian_mirror((str(listing),)) == ("http://one.example/debian", ["bookworm"], ["main"])


def test_mirror_defaults_to_debian(tmp_path: Path) -> None:
    assert debian_mirror((str(tmp_path / "none"),))[0] == "http://deb.debian.org/debian"


def test_no_download_and_no_cache_says_why(tmp_path: Path) -> None:
    with pytest.raises(PyTorchTreeUnavailable, match="downloads are off"):
        pytorch_repo(tmp_path / "cache", download=False)


def test_corrupt_tarball_is_not_trusted(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "pytorch_1.13.1+dfsg.orig.tar.xz").write_bytes(b"not the tarball")
    with pytest.raises(PyTorchTreeUnavailable, match="absent"):
        pytorch_repo(cache, download=False)


@pytest.mark.slow
def test_tree_is_pytorchs_full_layout(pytorch_tree: Path) -> None:
    for rel in ("test/test_linalg.py", "test/test_nestedtensor.py", "aten/src/ATen", "c10",
                "tools/nightly.py", "CONTRIBUTING.md", "CODEOWNERS", ".github/workflows",
                "setup.py", "CMakeLists.txt", "torch/nested/__init__.py"):  # fmt: skip
        assert (pytorch_tree / rel).exists(), rel
    head = subprocess.run(
        ["git", "-c", f"safe.directory={pytorch_tree}", "rev-parse", "HEAD"],
        cwd=pytorch_tree, capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    assert head == EXPECTED_HEAD
    files = subprocess.run(
        ["git", "-c", f"safe.directory={pytorch_tree}", "ls-files"],
        cwd=pytorch_tree, capture_output=True, text=True, check=True,
    ).stdout.splitlines()  # fmt: skip
    assert len(files) > 10_000
