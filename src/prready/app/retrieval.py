"""The mapping's index for a code map: the lexical fields of every library file (cached by
git blob id, like scan results) and the repository's own commit history.

Built once per command that maps issues (`plan`, `issues`, `backtest`); `map` alone does
not pay for it.
"""

from __future__ import annotations

import hashlib
import os
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prready.analysis.layout import SourceFile
from prready.analysis.lexicon import BM25Index, PackedTerms, source_fields_packed
from prready.analysis.mapping import (
    HISTORY_MAX_COMMITS,
    HistoryIndex,
    MapIndex,
    build_history,
    build_index,
    build_lexical,
    library_source_paths,
    library_units,
)
from prready.app.map import gc_paused, read_no_follow
from prready.models import CodeMap, CommitRecord, ProgressFn
from prready.sources.git_repo import list_files, read_history
from prready.store.parse_cache import ParseCache

LEX_SCANNER = "lex:3"  # 3: terms and counts packed (see lexicon.source_fields_packed)
LEX_VERSION = "6"  # bump when lexicon's weighting or BM25Index changes
HISTORY_VERSION = "6"
POOL_MIN_FILES = 300
CHUNK = 48  # files per job: small enough that both workers finish together
MAX_READ = 2_000_000
PREFETCH_CHUNK = 16  # files a background scan claims (and stores) at a time


def mapping_index(
    code_map: CodeMap,
    cache_db: Path,
    *,
    commits: Sequence[CommitRecord] | None = None,
    progress: ProgressFn | None = None,
    workers: int | None = None,
    prefetch: IndexPrefetch | None = None,
) -> MapIndex:
    """The MapIndex of `code_map` with lexical fields and history. `commits` overrides the
    history read from the checkout (tests pass their own). `prefetch` is the handle of a
    background scan started alongside the map (`prefetch_index`): its scan is taken over
    (finished here) when it is of this checkout and cache, else stopped.

    Both indexes are cached whole in the parse cache: the lexical one under the map's
    key (a digest of every tracked file's path and blob id), the history one under HEAD; a
    warm run loads them instead of rebuilding, without listing the checkout again.

    The garbage collector is paused meanwhile (as for the map, see `gc_paused`): building
    allocates some hundred thousand tuples and dicts in no cycle, and each collection
    they set off re-walks the whole code map; forked scanning workers keep it paused."""
    with gc_paused():
        return _mapping_index(code_map, cache_db, commits, progress, workers, prefetch)


STOP_WAIT = 30.0  # seconds a stopped background scan may take to finish its chunk
# Below this many library files the index scans them sooner itself than a fresh process
# starts (about half a second of imports).
PREFETCH_MIN_FILES = 300


def prefetch_index(cache_db: Path, min_files: int = PREFETCH_MIN_FILES) -> IndexPrefetch:
    """A hook for `build_code_map(on_sources=...)` in a command that maps issues next:
    when the map is not restored whole, the lexical fields of its library files are
    scanned by one background process meanwhile, which takes the core the map's
    single-threaded assembly leaves idle. (At a lower priority it starved on a busy
    machine and the index waited for it: the map's share of the cores is taken either
    way, by this scan now or by the index's own after the map.) A `mapping_index` on
    `cache_db` given the handle (`prefetch=`) scans what is left alongside it, from the
    other end of the same list, then waits for it, and uses the map's blob ids.

    Nothing changes what the index holds: the fields are stored by blob id, as the index
    stores its own (a file stored already is not scanned again). The process is spawned,
    not forked: a forked child would inherit the command's open SQLite connections, and
    SQLite's locks do not survive a fork. It stops when its parent goes away, and when
    the command ends: the hook is the scan's handle, which the command's workspace holds
    (`Workspace.hold`) and stops on closing."""
    return IndexPrefetch(cache_db, min_files)


class IndexPrefetch:
    """The handle of the background scan `prefetch_index` describes: called with the
    checkout and its sources, it starts the scan (stopping the one it started before, for
    an earlier map); `stop` ends it if it still runs (what it stored is kept). A
    `mapping_index` given the handle takes its scan over (`take`)."""

    def __init__(self, cache_db: Path, min_files: int) -> None:
        self.cache_db, self.min_files = cache_db, min_files
        self.scan: _Prefetch | None = None  # the running scan, until taken over or stopped

    def __call__(self, root: Path, sources: list[SourceFile]) -> None:
        self.stop()  # a second map replaces the scan of the first
        try:
            started = _Prefetch.start(root, sources, self.cache_db, self.min_files)
        except OSError:  # no process to spare (fork failed): the index scans it all later
            return
        self.scan = started

    def stop(self) -> None:
        """Stop this handle's scan, unless `mapping_index` took it over already."""
        running, self.scan = self.scan, None
        if running is not None:
            running.stop()

    def take(self, cache_db: Path, root: Path, progress: ProgressFn | None) -> _Prefetch | None:
        """The running scan, done (its rest scanned here too) when it is of the checkout
        `root` on `cache_db`; one of another checkout or cache is stopped: None. Either way
        the handle no longer holds it."""
        running, self.scan = self.scan, None
        if running is None:
            return None
        if running.root != root or cache_db != self.cache_db:
            running.stop()
            return None
        running.scan_rest(cache_db, progress)
        return running


class _Prefetch:
    """One background scan of lexical fields (see `prefetch_index`): the library-looking
    files in chunks, which the background process claims from the front and
    `mapping_index` from the back (`bounds`: the first and the end of the chunks left)."""

    def __init__(
        self,
        root: Path,
        blobs: dict[str, str],
        todo: list[tuple[str, str, str]],
        bounds: Any,
        process: Any,
    ) -> None:
        self.root, self.blobs, self.todo = root, blobs, todo
        self.bounds, self.process = bounds, process

    @classmethod
    def start(
        cls, root: Path, sources: list[SourceFile], cache_db: Path, min_files: int
    ) -> _Prefetch | None:
        # Imported here: only a cold map of a command that maps issues pays for it.
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        wanted = set(library_source_paths((s.path, s.language) for s in sources))
        todo: list[tuple[str, str, str]] = sorted(
            (s.path, s.blob, s.language) for s in sources if s.path in wanted
        )
        if len(todo) < min_files:
            return None
        bounds = context.Array("i", [0, -(-len(todo) // PREFETCH_CHUNK)])
        process = context.Process(
            target=_prefetch_run,
            args=(str(root), cache_db, todo, bounds, os.getpid()),
            daemon=True,
        )
        process.start()
        return cls(root, {s.path: s.blob for s in sources}, todo, bounds, process)

    def claim(self, *, front: bool) -> list[tuple[str, str, str]] | None:
        """The next chunk left, from the front or the back; None when none is."""
        with self.bounds.get_lock():
            first, end = self.bounds[0], self.bounds[1]
            if first >= end:
                return None
            at = first if front else end - 1
            self.bounds[0 if front else 1] = first + 1 if front else at
        return self.todo[at * PREFETCH_CHUNK : (at + 1) * PREFETCH_CHUNK]

    def scan_rest(self, cache_db: Path, progress: ProgressFn | None) -> None:
        """Scan (and store) the chunks left, from the back, then wait for the process."""
        with ParseCache(cache_db) as cache:
            known = cache.known(LEX_SCANNER, (b for _, b, _ in self.todo))
            _claim_and_scan(str(self.root), cache, self, known, front=False, progress=progress)
        self.process.join()

    def stop(self) -> None:
        """Leave the chunks left unscanned and wait for the process."""
        with self.bounds.get_lock():
            self.bounds[1] = self.bounds[0]
        self.process.join(STOP_WAIT)  # the chunk in hand, at most
        if self.process.is_alive():
            self.process.terminate()  # an interrupted transaction is rolled back
            self.process.join()


def _prefetch_run(
    root: str, cache_db: Path, todo: list[Any], bounds: Any, parent: int | None = None
) -> None:
    """The background process: claims chunks from the front and stores each one's fields
    as soon as it is scanned. A failure only costs speed (`mapping_index` scans what is
    missing), so it ends quietly."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        prefetch = _Prefetch(Path(root), {}, todo, bounds, None)
        with ParseCache(cache_db) as cache:
            known = cache.known(LEX_SCANNER, (b for _, b, _ in todo))
            _claim_and_scan(root, cache, prefetch, known, front=True, progress=None, parent=parent)
    except Exception:
        return


def _claim_and_scan(
    root: str,
    cache: ParseCache,
    prefetch: _Prefetch,
    known: set[str],
    *,
    front: bool,
    progress: ProgressFn | None,
    parent: int | None = None,
) -> None:
    splits: dict[str, tuple[str, ...]] = {}
    done = 0
    while (chunk := prefetch.claim(front=front)) is not None:
        if parent is not None and os.getppid() != parent:
            return  # the command that started this scan is gone
        chunk = [(p, b, lang) for p, b, lang in chunk if b not in known]
        fields = _scan_chunk(root, [(p, lang) for p, _, lang in chunk], splits)
        cache.save(LEX_SCANNER, {b: fields[p] for p, b, _ in chunk if p in fields})
        done += len(chunk)
        if progress:
            progress("indexing", done, len(prefetch.todo))


def _mapping_index(
    code_map: CodeMap,
    cache_db: Path,
    commits: Sequence[CommitRecord] | None,
    progress: ProgressFn | None,
    workers: int | None,
    prefetch: IndexPrefetch | None,
) -> MapIndex:
    root = Path(code_map.root)
    history_key = _digest("history", HISTORY_VERSION, code_map.head) if commits is None else ""
    with ParseCache(cache_db) as cache:
        stored_history = cache.load_snapshot(history_key) if history_key else None
    # The history first: a background scan of the fields (`prefetch_index`) goes on
    # meanwhile, and `git log` runs in a process of its own too.
    history = _history_from_plain(stored_history)
    if history is None and stored_history != ():
        past = list(commits) if commits is not None else recent_commits(root)
        history = build_history(past)
        if history_key:
            with ParseCache(cache_db) as cache:
                cache.save_snapshot(history_key, _history_to_plain(history))
    prefetched = prefetch.take(cache_db, root, progress) if prefetch is not None else None
    library: set[str] | None = None
    blobs: dict[str, str] | None = None
    if code_map.key:
        lexical_key = _digest("lexical", LEX_VERSION, code_map.key)
    else:  # a map built elsewhere (tests): key on the library files' blob ids
        library = library_units(code_map)
        blobs = library_blobs(code_map, library)
        lexical_key = _digest(
            "lexical", LEX_VERSION, *(f"{p}\0{b}" for p, b in sorted(blobs.items()))
        )
    with ParseCache(cache_db) as cache:
        lexical = BM25Index.from_plain(cache.load_snapshot(lexical_key))
    if lexical is None:
        library = library if library is not None else library_units(code_map)
        if blobs is None and prefetched is not None:
            # The blob ids the map was built from, without listing the checkout again.
            wanted = [code_map.modules[u].path for u in library]
            if all(p in prefetched.blobs for p in wanted):
                blobs = {p: prefetched.blobs[p] for p in wanted}
        blobs = blobs if blobs is not None else library_blobs(code_map, library)
        fields = library_fields(code_map, cache_db, blobs, progress=progress, workers=workers)
        lexical = build_lexical(code_map, library, fields)
        with ParseCache(cache_db) as cache:
            cache.save_snapshot(lexical_key, lexical.to_plain())
    elif library is None:
        library = set(lexical.names)  # the library units are what the index holds
    return build_index(code_map, lexical=lexical, history=history, library=library)


def library_blobs(code_map: CodeMap, library: set[str]) -> dict[str, str]:
    """Path -> git blob id of the regular files among the `library` units."""
    wanted = {code_map.modules[u].path for u in library}
    return {
        f.path: f.blob
        for f in list_files(Path(code_map.root))
        if f.kind == "file" and f.path in wanted
    }


def library_fields(
    code_map: CodeMap,
    cache_db: Path,
    blobs: dict[str, str],
    *,
    progress: ProgressFn | None = None,
    workers: int | None = None,
) -> dict[str, tuple[PackedTerms, PackedTerms]]:
    """Path -> (defined-name terms, prose terms) for the library files in `blobs`
    (path -> blob id), from the parse cache or scanned and stored."""
    root = Path(code_map.root)
    language = {info.path: info.language for info in code_map.modules.values()}
    with ParseCache(cache_db) as cache:
        stored = cache.load(LEX_SCANNER, blobs.values())
        # A damaged or foreign row is a miss: the file is scanned again and the row replaced.
        known = {
            blob: f for blob, row in stored.items() if (f := PackedTerms.unpack(row)) is not None
        }
        todo = sorted(p for p, b in blobs.items() if b not in known)
        fresh = _scan(root, [(p, language[p]) for p in todo], progress, workers)
        cache.save(LEX_SCANNER, {blobs[p]: fresh[p] for p in todo if p in fresh})
    for path in todo:
        if path in fresh and (f := PackedTerms.unpack(fresh[path])) is not None:
            known[blobs[path]] = f
    return {p: known[b] for p, b in blobs.items() if b in known}


def recent_commits(root: Path) -> list[CommitRecord]:
    """The newest HISTORY_MAX_COMMITS commits before HEAD ([] without history)."""
    return read_history(root, limit=HISTORY_MAX_COMMITS)


def _scan(
    root: Path, todo: list[tuple[str, str]], progress: ProgressFn | None, workers: int | None
) -> dict[str, Any]:
    chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
    results: dict[str, Any] = {}
    n_workers = workers or min(os.cpu_count() or 1, 8)
    roots = [str(root)] * len(chunks)
    pool = None
    if len(todo) >= POOL_MIN_FILES and n_workers >= 2:
        # Imported here: multiprocessing costs every warm index ~10 ms of start-up.
        from concurrent.futures import ProcessPoolExecutor

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


def _scan_chunk(
    root: str, chunk: list[tuple[str, str]], splits: dict[str, tuple[str, ...]] | None = None
) -> dict[str, Any]:
    """Worker: read regular files only (map's reader) and extract their fields.
    Identifiers are split once per chunk (or per `splits`, kept across chunks)."""
    out: dict[str, Any] = {}
    splits = {} if splits is None else splits
    for path, language in chunk:
        data = read_no_follow(os.path.join(root, path), limit=MAX_READ)
        if data is not None:
            out[path] = source_fields_packed(data, language, splits)
    return out


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogateescape"))
        h.update(b"\n")
    return f"{parts[0]}:{h.hexdigest()}"


def _history_to_plain(history: HistoryIndex | None) -> tuple[Any, ...]:
    if history is None:
        return ()  # no commit to learn from: stored too, so a warm run does not look again
    return (history.search.to_plain(), history.files, history.titles, history.dates)


def _history_from_plain(value: Any) -> HistoryIndex | None:
    if not (isinstance(value, tuple) and len(value) == 4):
        return None
    search = BM25Index.from_plain(value[0])
    if search is None:
        return None
    files, titles, dates = value[1:]
    return HistoryIndex(search=search, files=files, titles=titles, dates=dates)
