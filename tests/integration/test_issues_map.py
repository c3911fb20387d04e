"""`prready issues` maps the cached clone as it is: on an online workspace, listing never
fetches code (a plan or `prready map` does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gitfixtures import commit_files, git
from mapfixtures import map_code
from prready.app.demo import build_sample_origin, load_sample_issues
from prready.app.issues import list_issues
from prready.app.workspace import Workspace
from prready.demo import SAMPLE_SLUG
from prready.paths import resolve_paths
from prready.sources.git_repo import cache_path


class RefusingFactory:
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("listing stored issues builds no GitHub client")


def _head(repo: Path) -> str:
    return git("rev-parse", "HEAD", cwd=repo).strip()


def test_listing_maps_the_cached_clone_without_fetching() -> None:
    paths = resolve_paths()
    origin = build_sample_origin(paths)
    map_code(SAMPLE_SLUG, paths, git_url=str(origin))  # clones into the cache
    clone = cache_path(SAMPLE_SLUG, paths.repos)
    cloned = _head(clone)
    newer = commit_files(origin, {"NOTES.md": "a newer commit\n"}, "a commit after the clone")
    assert newer != cloned

    with Workspace(paths, client_factory=RefusingFactory()) as ws:
        load_sample_issues(ws)
        assert not ws.offline
        result = list_issues(ws, SAMPLE_SLUG)
    assert result.repo == SAMPLE_SLUG and result.notes == []  # mapped, from the clone
    assert _head(clone) == cloned

    map_code(SAMPLE_SLUG, paths, git_url=str(origin))  # a map fetches
    assert _head(clone) == newer
