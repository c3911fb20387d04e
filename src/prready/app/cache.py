"""Throwing away the rebuildable cache (issues, parse results) without touching progress."""

from __future__ import annotations

import shutil
from pathlib import Path

from prready.errors import StoreError
from prready.paths import Paths
from prready.store.parse_cache import snapshot_dir


def rebuild_cache(paths: Paths) -> list[Path]:
    """Delete the cache database, its WAL/SHM files and the folder of its large snapshots;
    return what was removed.

    Clones under the cache directory stay (they are re-fetched incrementally) and the
    progress store lives in the data directory, which this never touches.
    """
    removed = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        target = Path(str(paths.cache_db) + suffix)
        if target.exists():
            try:
                target.unlink()
            except OSError as exc:
                raise StoreError(f"cannot remove the cache {target}: {exc.strerror}") from None
            removed.append(target)
    folder = snapshot_dir(paths.cache_db)
    if folder.is_symlink() or folder.exists():
        try:
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder)
            else:  # a link (never followed) or a file where the folder belongs
                folder.unlink()
        except OSError as exc:
            raise StoreError(f"cannot remove the cache {folder}: {exc.strerror}") from None
        removed.append(folder)
    return removed


def store_health(exc: BaseException, paths: Paths) -> StoreError | str:
    """After an unexpected error: the error naming the damaged store (or the failing SQLite
    operation), else a word that the saved data was checked and found sound (the stores
    are opened only to check)."""
    from prready.store.db import describe_failure

    return describe_failure(exc, paths.cache_db, paths.progress_db)
