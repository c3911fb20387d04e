"""`Listing.files` takes a file's size from git's index when git vouches for it (diff-files
compares sizes, so a file it does not report has the size the index records) and asks
the file system only for the others: edited, touched, assume-unchanged, skip-worktree
and conflicted files all get the size they have on disk."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from gitfixtures import commit_files, git
from prready.sources import git_repo
from prready.sources.git_repo import _entries_and_sizes, read_listing


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    git("init", "-q", cwd=root)
    files = {f"pkg/m{i}.py": "x = 1\n" * (i + 1) for i in range(6)}
    files["pkg/__init__.py"] = ""
    files["name with\nnewline.py"] = "y = 2\n"
    commit_files(root, files, "add")
    return root


def _sizes(root: Path) -> dict[str, int]:
    return {f.path: f.size for f in read_listing(root, sizes=True).files() if f.kind == "file"}


def _on_disk(root: Path, paths: list[str]) -> dict[str, int]:
    return {p: os.lstat(root / p).st_size for p in paths}


def _counting_lstat(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    seen: list[bytes] = []
    real = os.lstat

    def lstat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(os.fsencode(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(git_repo.os, "lstat", lstat)
    return seen


def test_clean_files_take_the_index_size_without_a_system_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path)
    listing = read_listing(root, sizes=True)
    seen = _counting_lstat(monkeypatch)
    files = listing.files()
    assert seen == [os.fsencode(root / "pkg/__init__.py")]  # empty: see the next test
    assert {f.path: f.size for f in files} == _on_disk(root, [f.path for f in files])
    assert "name with\nnewline.py" in {f.path for f in files}


def test_files_git_does_not_vouch_for_are_looked_at_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path)
    (root / "pkg/m0.py").write_text("x = 1\n" * 50)  # edited: diff-files reports it
    os.utime(root / "pkg/m1.py", (1, 1))  # touched: the same bytes, other stat data
    git("update-index", "--assume-unchanged", "pkg/m2.py", cwd=root)
    (root / "pkg/m2.py").write_text("z = 3\n" * 40)  # git is told not to look
    git("update-index", "--skip-worktree", "pkg/m3.py", cwd=root)
    (root / "pkg/m3.py").write_text("w = 4\n" * 30)  # nor here
    seen = _counting_lstat(monkeypatch)
    sizes = _sizes(root)
    looked_at = {p.rpartition(b"/repo/")[2].decode() for p in seen}
    assert sizes == _on_disk(root, sorted(sizes))
    assert {"pkg/m0.py", "pkg/m2.py", "pkg/m3.py"} <= looked_at
    assert "pkg/m4.py" not in looked_at


def test_a_size_of_zero_in_the_index_is_looked_at_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git writes a size of 0 for an entry it cannot vouch for when it writes the index
    (a file changed in the same instant: "racily clean"), then compares its content
    instead of its size: diff-files does not report it, and the index has no size."""
    root = _repo(tmp_path)
    out = subprocess.run(
        ["git", "ls-files", "-s", "-v", "-z", "--debug"], cwd=root, capture_output=True
    ).stdout
    start = out.index(b"pkg/m4.py\0")
    at = out.index(b"  size: ", start)
    smudged = out[:at] + b"  size: 0" + out[out.index(b"\t", at) :]
    real_run = git_repo._run

    def run(cwd: Path, args: list[str], **kwargs):  # type: ignore[no-untyped-def]
        return smudged if "--debug" in args else real_run(cwd, args, **kwargs)

    monkeypatch.setattr(git_repo, "_run", run)
    assert _sizes(root)["pkg/m4.py"] == os.lstat(root / "pkg/m4.py").st_size > 0


def test_a_conflicted_file_is_looked_at_on_disk(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    git("checkout", "-q", "-b", "other", cwd=root)
    commit_files(root, {"pkg/m5.py": "theirs = 1\n"}, "theirs")
    git("checkout", "-q", "-", cwd=root)
    commit_files(root, {"pkg/m5.py": "ours = 2\n" * 9}, "ours")
    merge = subprocess.run(["git", "merge", "-q", "other"], cwd=root, capture_output=True)
    assert merge.returncode != 0  # the conflict is left in the working tree
    sizes = _sizes(root)
    assert sizes["pkg/m5.py"] == os.lstat(root / "pkg/m5.py").st_size


def test_an_unexpected_layout_gives_no_sizes() -> None:
    entry = b"H 100644 " + b"a" * 40 + b" 0\tpkg/a.py"
    stat = (
        b"\0  ctime: 1:2\n  mtime: 3:4\n  dev: 5\tino: 6\n  uid: 7\tgid: 8\n  size: 42\tflags: 0\n"
    )
    raw, (entries, sizes) = _entries_and_sizes(entry + stat + entry + stat)
    assert raw == entry + b"\0" + entry + b"\0"
    assert (entries, sizes) == ([entry, entry], [b"42", b"42"])
    assert _entries_and_sizes(b"") == (b"", ([], []))
    # Another git's layout (a line more, or none at all): the listing is read again.
    other = stat.replace(b"  size:", b"  extra: 1\n  size:")
    assert _entries_and_sizes(entry + other)[0] is None
    assert _entries_and_sizes(entry + b"\0")[0] is None


def test_a_git_that_prints_another_layout_still_lists_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path)
    monkeypatch.setattr(git_repo, "_entries_and_sizes", lambda out: (None, ([], [])))
    listing = read_listing(root, sizes=True)
    expected = subprocess.run(
        ["git", "ls-files", "-s", "-v", "-z"], cwd=root, capture_output=True, check=True
    ).stdout
    assert listing.raw == expected
    files = listing.files()
    assert {f.path: f.size for f in files} == _on_disk(root, [f.path for f in files])


def test_a_listing_read_without_sizes_looks_at_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a map that will list every file (the first of a checkout) asks for the sizes:
    a listing read without them is the same listing, and its files are looked at."""
    root = _repo(tmp_path)
    listing = read_listing(root)
    assert listing.sizes() == {} and listing.raw == read_listing(root, sizes=True).raw
    seen = _counting_lstat(monkeypatch)
    sizes = {f.path: f.size for f in listing.files()}
    assert len(seen) == len(sizes)
    assert sizes == _on_disk(root, sorted(sizes))


def test_only_the_first_map_of_a_checkout_reads_the_sizes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prready.app.map as map_app
    from mapfixtures import map_code
    from prready.paths import resolve_paths

    root = _repo(tmp_path)
    asked: list[bool] = []
    real = map_app.read_listing

    def read_listing_seen(path: Path, *, sizes: bool = False) -> git_repo.Listing:
        asked.append(sizes)
        return real(path, sizes=sizes)

    monkeypatch.setattr(map_app, "read_listing", read_listing_seen)
    first = map_code("acme/pkg", resolve_paths(), checkout=root)
    (root / "pkg/m1.py").write_text("x = 2\n")
    map_code("acme/pkg", resolve_paths(), checkout=root)  # updated from the last map
    assert asked == [True, False]
    assert "pkg.m1" in first.modules
