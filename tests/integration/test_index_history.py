"""The mapping index's history (retrieval._mapping_index / _HistoryRead)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from gitfixtures import commit_files, git
from mapfixtures import index_code, map_code
from prready.code_models import HistoryCommit
from prready.paths import Paths, resolve_paths
from prready.sources.git_repo import build_repo


def _paths(tmp_path: Path, name: str) -> Paths:
    home = resolve_paths()
    return Paths(cache=tmp_path / name, data=home.data, config=home.config)


def _repo(root: Path) -> Path:
    build_repo(
        root,
        [
            HistoryCommit(
                "A",
                "a@example.com",
                "2026-01-01T00:00:00Z",
                "Add the loader",
                {"pkg/__init__.py": "", "pkg/loader.py": "x = 1\n"},
            ),
            HistoryCommit(
                "A",
                "a@example.com",
                "2026-02-01T00:00:00Z",
                "Fix the loader",
                {"pkg/loader.py": "x = 2\n"},
            ),
        ],
    )
    return root


def test_history_stored_under_the_maps_head_holds_only_that_heads_commits(tmp_path: Path) -> None:
    """The history snapshot is keyed by code_map.head and read from that commit, not from
    whatever HEAD is when the index is built: a commit between the map and its index (a
    plan syncs issues in between) must not be stored under the old HEAD's key."""
    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    code_map = map_code("acme/pkg", paths, checkout=root)
    head = code_map.head
    # Someone commits while the command runs (after its map, before its index).
    later = commit_files(
        root,
        {"pkg/loader.py": "x = 3\n"},
        "Rewrite the zebrafish loader",
        date="2026-03-01T00:00:00Z",
    )
    index_code(code_map, paths)
    # Back at the map's HEAD: the map is restored, its index's history loaded from the
    # snapshot stored under that HEAD.
    git("reset", "-q", "--hard", head, cwd=root)
    again = map_code("acme/pkg", paths, checkout=root)
    assert again.head == head
    index = index_code(again, paths)
    assert index.history is not None
    assert later not in index.history.files, (
        f"history stored under HEAD {head[:8]} holds the later commit {later[:8]}"
    )


def test_the_history_thread_is_joined_when_the_lexical_build_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error in the lexical build (or a Ctrl-C) after the history read started leaves
    no `git log` running in a thread nobody joins."""
    from prready.app import retrieval

    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    code_map = map_code("acme/pkg", paths, checkout=root)
    real = retrieval.recent_commits

    def slow(root: Path, head: str = ""):  # type: ignore[no-untyped-def]
        time.sleep(1.0)  # still reading when the build fails
        return real(root, head)

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(retrieval, "recent_commits", slow)
    monkeypatch.setattr(retrieval, "build_lexical", boom)
    with pytest.raises(KeyboardInterrupt):
        index_code(code_map, paths)
    alive = [t for t in threading.enumerate() if t.name == "prready-index-history"]
    for t in alive:
        t.join()
    assert not alive, "the history thread outlived the failed index build"
