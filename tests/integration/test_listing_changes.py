"""`Listing.blobs_changed_since`: which tracked files only changed content since an
earlier listing, looking at those files alone on disk; anything else is None."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from gitfixtures import commit_files, git
from mapfixtures import make_map_repo
from prready.sources.git_repo import read_listing


def _blob(root: Path, path: str) -> str:
    out = subprocess.run(
        ["git", "hash-object", path], cwd=root, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_content_edits_committed_or_not_are_listed(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    first = read_listing(root)
    assert first.blobs_changed_since(first.raw, first.changes) == {}

    core = root / "src/mylib/core.py"
    with core.open("a", encoding="utf-8") as fh:
        fh.write("\nvalue = 1\n")
    dirty = read_listing(root)  # not committed: seen on disk
    expected = {"src/mylib/core.py": (_blob(root, "src/mylib/core.py"), core.stat().st_size)}
    assert dirty.blobs_changed_since(first.raw, first.changes) == expected

    commit_files(root, {".github/CODEOWNERS": "* @someone\n"}, "edit")
    committed = read_listing(root)
    owners = root / ".github/CODEOWNERS"
    expected[".github/CODEOWNERS"] = (_blob(root, ".github/CODEOWNERS"), owners.stat().st_size)
    assert committed.blobs_changed_since(first.raw, first.changes) == expected
    # From the dirty listing: core.py is as it was on disk then, README.md changed.
    assert committed.blobs_changed_since(dirty.raw, dirty.changes) == {
        "src/mylib/core.py": expected["src/mylib/core.py"],
        ".github/CODEOWNERS": expected[".github/CODEOWNERS"],
    }


def test_anything_but_content_is_not_an_edit(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    first = read_listing(root)
    helpers = root / "src/mylib/utils/helpers.py"
    helpers.unlink()  # deleted on disk
    assert read_listing(root).blobs_changed_since(first.raw, first.changes) is None
    git("checkout", "--", "src/mylib/utils/helpers.py", cwd=root)
    assert read_listing(root).blobs_changed_since(first.raw, first.changes) == {}

    os.chmod(helpers, 0o755)  # a mode change, staged
    git("add", "src/mylib/utils/helpers.py", cwd=root)
    assert read_listing(root).blobs_changed_since(first.raw, first.changes) is None
    os.chmod(helpers, 0o644)
    git("add", "src/mylib/utils/helpers.py", cwd=root)

    commit_files(root, {"src/mylib/extra.py": "x = 1\n"}, "add")  # a file added
    assert read_listing(root).blobs_changed_since(first.raw, first.changes) is None


def test_an_assume_unchanged_file_is_read_as_it_is_on_disk(tmp_path: Path) -> None:
    """diff-files never reports a file marked assume-unchanged: its bytes on disk are
    hashed all the same, so what is scanned from it is keyed by the blob id of what was
    read, and a map sees the edit."""
    root = make_map_repo(tmp_path)
    path = "src/mylib/core.py"
    indexed = _blob(root, path)
    git("update-index", "--assume-unchanged", path, cwd=root)
    assert read_listing(root).changes == {}  # as it is in the index: nothing to look at
    core = root / path
    with core.open("a", encoding="utf-8") as fh:
        fh.write("\ndef freshly_added():\n    pass\n")
    assert git("diff-files", "--name-only", cwd=root) == ""  # git itself sees nothing
    listing = read_listing(root)
    on_disk = _blob(root, path)
    assert on_disk != indexed
    assert listing.changes == {path.encode(): (on_disk, "file")}
    assert {f.path: f.blob for f in listing.files()}[path] == on_disk

    from mapfixtures import map_code
    from prready.paths import resolve_paths

    code_map = map_code("me/mylib", resolve_paths(), checkout=root)
    assert "mylib.core.freshly_added" in code_map.symbols

    # The listing's first entry too (no NUL before it).
    first = git("ls-files", cwd=root).splitlines()[0]
    git("update-index", "--assume-unchanged", first, cwd=root)
    with (root / first).open("a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert read_listing(root).changes[first.encode()] == (_blob(root, first), "file")
