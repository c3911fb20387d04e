"""A whole index derived from some files of a code map's checkout (the names its tests use,
its documentation pages), kept in the parse cache under two keys: a digest of those files'
blob ids, so a commit that leaves them alone finds it again, and, pointing at that, the
map's key, which covers every tracked file's blob, the working tree's changes and the
scanner's options: a warm plan finds the index without asking git for the file list."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from prready.code_models import CodeMap
from prready.store.parse_cache import ParseCache

T = TypeVar("T")


def index_for_map(
    cache: ParseCache,
    name: str,
    version: str,
    code_map: CodeMap,
    load: Callable[[Any], T | None],
    build: Callable[[], tuple[T, str]],
) -> T:
    """The index `name` of `code_map`: found through the map's key when stored (`load`
    turns a stored value into the index, None for a stale or damaged one), else `build`
    (the index and its `files_key`), and the map's key pointed at it."""
    by_map = f"{name}-map:{version}:{code_map.key}" if code_map.key else None
    if by_map is not None:
        pointer = cache.load_snapshot(by_map)
        whole = load(cache.load_snapshot(pointer)) if isinstance(pointer, str) else None
        if whole is not None:
            return whole
    index, key = build()
    if by_map is not None:
        cache.save_snapshot(by_map, key, base=key)
    return index


def files_key(name: str, version: str, blobs: Mapping[str, str]) -> str:
    """The key of an index built from these files (path -> blob id)."""
    digest = hashlib.sha256(version.encode())
    for path, blob in sorted(blobs.items()):
        digest.update(f"{path}\0{blob}\n".encode("utf-8", "surrogateescape"))
    return f"{name}:" + digest.hexdigest()
