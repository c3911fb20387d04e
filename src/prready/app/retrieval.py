"""The mapping's index for a code map: the lexical fields of every library file (cached by
git blob id, like scan results) and the repository's own commit history.

Built once per command that maps issues (`plan`, `issues`, `backtest`); `map` alone does
not pay for it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from prready.analysis.lexicon import Terms, source_fields
from prready.analysis.mapping import HISTORY_MAX_COMMITS, MapIndex, build_index, is_library_path
from prready.models import CodeMap, CommitRecord, ProgressFn
from prready.sources.git_repo import list_files, read_history
from prready.store.parse_cache import ParseCache

LEX_SCANNER = "lex:1"
POOL_MIN_FILES = 300
CHUNK = 200
MAX_READ = 2_000_000


def mapping_index(
    code_map: CodeMap,
    cache_db: Path,
    *,
    commits: Sequence[CommitRecord] | None = None,
    progress: ProgressFn | None = None,
    workers: int | None = None,
) -> MapIndex:
    """The MapIndex of `code_map` with lexical fields and history. `commits` overrides the
    history read from the checkout (the benchmark passes each issue's own past)."""
    root = Path(code_map.root)
    fields = library_fields(code_map, cache_db, progress=progress, workers=workers)
    if commits is None:
        commits = recent_commits(root)
    return build_index(code_map, fields=fields, commits=commits)


def library_fields(
    code_map: CodeMap,
    cache_db: Path,
    *,
    progress: ProgressFn | None = None,
    workers: int | None = None,
) -> dict[str, tuple[Terms, Terms]]:
    """Path -> (defined-name terms, prose terms) for every library file of the map."""
    root = Path(code_map.root)
    wanted = {
        info.path: info.language
        for info in code_map.modules.values()
        if is_library_path(info.path, info.is_test)
    }
    blobs = {f.path: f.blob for f in list_files(root) if f.path in wanted and f.kind == "file"}
    with ParseCache(cache_db) as cache:
        cached = cache.load(LEX_SCANNER, blobs.values())
        todo = sorted(p for p, b in blobs.items() if b not in cached)
        fresh = _scan(root, [(p, wanted[p]) for p in todo], progress, workers)
        cache.save(LEX_SCANNER, {blobs[p]: fresh[p] for p in todo if p in fresh})
    cached.update({blobs[p]: fresh[p] for p in todo if p in fresh})
    return {p: _from_plain(cached[b]) for p, b in blobs.items() if b in cached}


def recent_commits(root: Path) -> list[CommitRecord]:
    """The newest HISTORY_MAX_COMMITS commits before HEAD ([] without history)."""
    return read_history(root)[:HISTORY_MAX_COMMITS]


def _scan(
    root: Path, todo: list[tuple[str, str]], progress: ProgressFn | None, workers: int | None
) -> dict[str, Any]:
    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    results: dict[str, Any] = {}
    n_workers = workers or min(os.cpu_count() or 1, 8)
    roots = [str(root)] * len(chunks)
    pool = None
    if len(todo) >= POOL_MIN_FILES and n_workers >= 2:
        pool = ProcessPoolExecutor(max_workers=n_workers)
    try:
        parts = pool.map(_scan_chunk, roots, chunks) if pool else map(_scan_chunk, roots, chunks)
        for part in parts:
            results.update(part)
            if progress:
                progress("indexing", len(results), len(todo))
    finally:
        if pool is not None:
            pool.shutdown()
    return results


def _scan_chunk(root: str, chunk: list[tuple[str, str]]) -> dict[str, Any]:
    """Worker: read regular files only (no symlink followed, a FIFO never waited on)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    out: dict[str, Any] = {}
    for path, language in chunk:
        try:
            fd = os.open(os.path.join(root, path), flags)
        except OSError:
            continue
        try:
            with os.fdopen(fd, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    continue
                data = fh.read(MAX_READ)
        except OSError:
            continue
        out[path] = source_fields(data, language)
    return out


def _from_plain(value: Any) -> tuple[Terms, Terms]:
    defs, prose = value
    return tuple(tuple(x) for x in defs), tuple(tuple(x) for x in prose)
