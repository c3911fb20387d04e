"""The mapping's index for a code map: the lexical fields of every library file (cached by
git blob id, like scan results) and the repository's own commit history.

Built once per command that maps issues (`plan`, `issues`, `backtest`); `map` alone does
not pay for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prready import __version__
from prready.analysis.history import (
    HISTORY_MAX_COMMITS,
    ClosingCommit,
    HistoryIndex,
    build_history,
    closing_commits,
)
from prready.analysis.layout import SourceFile
from prready.analysis.lexicon import BM25Index, PackedTerms, class_bases, source_fields_packed
from prready.analysis.mapping import (
    ClassBases,
    MapIndex,
    build_index,
    build_lexical,
    lexical_index,
    library_modules,
    library_source_paths,
    library_units,
)
from prready.app.map import gc_paused, ignore_interrupts, read_no_follow, worker_splits
from prready.app.names_in_tests import native_ops
from prready.code_models import CodeMap, CommitRecord, ModuleInfo
from prready.sources.git_repo import list_files, read_history
from prready.store.parse_cache import CACHE_WRITE_FAILURES, ParseCache

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from prready.app.workspace import Workspace
    from prready.models import ProgressFn

# The lexical fields' extraction (bump when it changes): 8: no C keywords or types as
# names; 7: a macro call's first name; 6: no stopword stems nor `doesn`; 5: class bases;
# 4: C macros' names.
LEX_SCANNER = "lex:8"
# Bump when lexicon's weighting, fields or BM25Index change, or which files are library
# (`layout.is_library_path`; 9: folders named by compounds such as `integration_tests`;
# 10: the terms of `lex:6`; 11: top-level `tools/` is no library; 12: common words
# that name few files' paths keep those postings).
LEX_VERSION = "12"
# 12: the issues commits close are stored beside it (`checkout_fixes`); 11: the pull
# requests and fixed issues commits name (`history.HistoryIndex.pulls`,
# `fixes`); 10: top-level `tools/` is no library; 9: the terms of `lex:6`; 8: the commits indexed
# are those changing library files as `is_library_path` now says; 7: read at the map's
# commit (6 read HEAD, which may have moved).
HISTORY_VERSION = "12"
POOL_MIN_FILES = 300
CHUNK = 48  # files per job: small enough that both workers finish together
MAX_READ = 2_000_000


def mapping_index(
    ws: Workspace,
    code_map: CodeMap,
    *,
    commits: Sequence[CommitRecord] | None = None,
    workers: int | None = None,
) -> MapIndex:
    """The MapIndex of `code_map` with lexical fields and history, in the parse cache of
    `ws` (`Workspace.parse_cache`), reporting to its `progress`. `commits` overrides the
    history read from the checkout (tests pass their own). The handle the map was given
    (`prefetch_index`), when `ws` holds it (`Workspace.hold`): the fields its workers
    extracted are taken over.

    Both indexes are cached whole in the parse cache: the lexical one under the map's
    key (a digest of every tracked file's path and blob id), the history one under HEAD; a
    warm run loads them instead of rebuilding, without listing the checkout again.

    The garbage collector is paused meanwhile (as for the map, see `gc_paused`): building
    allocates some hundred thousand tuples and dicts in no cycle, and each collection
    they set off re-walks the whole code map; forked scanning workers keep it paused."""
    with gc_paused():
        return _mapping_index(
            code_map,
            ws.parse_cache,
            commits,
            ws.progress,
            workers,
            ws.held(IndexPrefetch),
        )


def prefetch_index(cache_db: Path, *, history: bool = True) -> IndexPrefetch:
    """A hook for `build_code_map(on_sources=...)` in a command that maps issues next:
    when the map is assembled cold, its own scanning workers extract the lexical fields
    of the library files they scan, from the bytes they read for the map anyway (no
    second read, no second process; `map.LexicalPass`). A `mapping_index` whose workspace
    holds the handle takes the fields over (and stores them), uses the map's blob ids
    instead of listing the checkout again, and scans only what the map did not (files
    whose map scan was cached).

    Nothing changes what the index holds: the fields are those the index would extract,
    keyed by blob id. The handle is held by the command's workspace (`Workspace.hold`):
    a command that ends before its index stores what was extracted (`stop`). `history`:
    read the checkout's history (and build its index) while the map is assembled, unless
    it is stored already; False for a command that gives the index commits of its own
    (`backtest`)."""
    return IndexPrefetch(cache_db, history=history)


class IndexPrefetch:
    """The handle `prefetch_index` describes. Called with the checkout and its sources
    (by the map), it asks for the library files' fields (`paths`) and collects them as
    the map's workers hand them in (`add`); `take` gives them to `mapping_index`, `stop`
    stores what is still held."""

    def __init__(self, cache_db: Path, *, history: bool = True) -> None:
        self.cache_db = cache_db
        self.history = history  # read the history early (see prefetch_index)
        self.root: Path | None = None  # the checkout of the last map that called
        self.blobs: dict[str, str] = {}  # its sources' blob ids by path
        self.paths: frozenset[str] = frozenset()  # the library files among them
        self.fields: dict[str, bytes] = {}  # blob id -> encoded fields (see LEX_SCANNER)
        self.building: Prebuilt | None = None  # the lexical index a worker builds

    def __call__(self, root: Path, sources: list[SourceFile]) -> IndexPrefetch:
        self.stop()  # a second map: what the first one's workers extracted is stored
        self.root = root
        self.blobs = {s.path: s.blob for s in sources}
        self.paths = frozenset(library_source_paths((s.path, s.language) for s in sources))
        return self

    def add(self, fields: tuple[tuple[str, bytes], ...]) -> None:
        self.fields.update(fields)

    def prebuild(
        self, modules: dict[str, ModuleInfo], pool: ProcessPoolExecutor, head: str, repo: str
    ) -> bool:
        """The map's workers scanned every file and `modules` are its modules (of commit
        `head`): when its workers extracted the fields of every library unit, one of them
        builds the lexical index from them (`_lexical_plain`) while the map is assembled.
        Meanwhile threads store the extracted fields and read the history (`git log`, in
        a process of its own) at `head`: the index then waits for neither."""
        library = library_modules(modules)
        units: list[tuple[str, str, bytes]] = []
        for name in sorted(library):
            path = modules[name].path
            encoded = self.fields.get(self.blobs.get(path, ""))
            if encoded is None:  # not scanned by this map (its scan was cached): later
                return False
            units.append((name, path, encoded))
        try:
            job = pool.submit(_lexical_plain, units)
        except Exception:  # a broken pool (a worker died after the scan): built later
            return False
        # (The map's workers are forked: threads may start.) The fields are the thread's to
        # store: the handle holds them no more (a later build loads them from the cache).
        storing: list[threading.Thread] = []
        _store_in_thread(self.cache_db, self.fields, storing)
        self.fields = {}
        history = None
        if self.history and not _history_stored(self.cache_db, head):
            history = _HistoryRead(self.root or Path(), head, repo)
            history.start()
        self.building = Prebuilt(frozenset(library), job, pool, storing, history)
        return True

    def take(self, root: Path) -> tuple[dict[str, str] | None, dict[str, bytes], Prebuilt | None]:
        """The map's blob ids by path and the lexical index its worker builds (None unless
        the map was of the checkout `root`), and the fields extracted (by blob id: valid
        for any checkout); the handle then holds nothing."""
        mine = self.root == root
        blobs, building = (self.blobs, self.building) if mine else (None, None)
        if not mine and self.building is not None:
            self.building.drop()  # not wanted: its workers end
        fields = self.fields
        self.root, self.blobs, self.paths, self.fields = None, {}, frozenset(), {}
        self.building = None
        return blobs, fields, building

    def stop(self) -> None:
        """Store the fields still held (the command ends before its index) and forget
        them: a later command's index loads them instead of scanning again."""
        _, fields, _ = self.take(Path())
        if fields:
            _store(self.cache_db, fields)


class Prebuilt:
    """A lexical index one of a map's scanning workers builds (`IndexPrefetch.prebuild`):
    its units, the job (whose result is the index as `BM25Index.to_plain` gives it) and
    the map's pool, which this object shuts down (`drop`) once the job's result is taken
    or not wanted: no worker outlives the command, and none is left running when the
    next map forks its own. Also the threads started with it (storing the extracted
    fields, reading the history), which `drop` joins: none runs on when a later build
    forks workers of its own."""

    __slots__ = ("history", "job", "library", "pool", "storing")

    def __init__(
        self,
        library: frozenset[str],
        job: Future[tuple[Any, ...]],
        pool: ProcessPoolExecutor | None = None,
        storing: list[threading.Thread] | None = None,
        history: _HistoryRead | None = None,
    ) -> None:
        self.library, self.job, self.pool = library, job, pool
        self.storing, self.history = storing or [], history

    def plain(self, library: set[str]) -> tuple[Any, ...] | None:
        """The index, when built over `library`; None when it was not (or the job
        failed: the caller builds it then). The pool is shut down either way."""
        try:
            if library != self.library:
                return None
            try:
                return self.job.result()
            except Exception:  # a worker that died: BrokenProcessPool, or its error
                return None
        finally:
            self.drop()

    def drop(self) -> None:
        """Shut the pool down: its workers end at once when the job is still running (its
        result is not wanted), else as soon as they are idle; and wait for the threads
        (the history read keeps its result). Safe to call twice."""
        storing, self.storing = self.storing, []
        for thread in storing:
            thread.join()
        if self.history is not None:
            self.history.join()
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if not self.job.done():
            terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
            if terminate is not None:
                terminate()
            else:  # before 3.14 the executor keeps its processes here
                for process in list(getattr(pool, "_processes", {}).values()):
                    process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


def _lexical_plain(units: list[tuple[str, str, bytes]]) -> tuple[Any, ...]:
    """Worker: `build_lexical` over (unit, path, encoded fields), and the units' class
    bases, as plain values (`_lexical_to_plain`)."""
    fields: dict[str, tuple[PackedTerms, PackedTerms]] = {}
    bases: ClassBases = {}
    for name, path, encoded in units:
        if (unpacked := _unpack(marshal.loads(encoded))) is not None:
            fields[path] = unpacked[0]
            if unpacked[1]:
                bases[name] = unpacked[1]
    # (In a map's worker, whose extraction split most of the paths' words already.)
    lexical = lexical_index({name: path for name, path, _ in units}, fields, worker_splits())
    return _lexical_to_plain(lexical, bases)


def _unpack(
    value: object,
) -> tuple[tuple[PackedTerms, PackedTerms], dict[str, tuple[str, ...]]] | None:
    """A file's fields as stored (`lexicon.source_fields_packed`): its two packed fields
    and its classes' bases; None for a damaged or foreign row."""
    fields = PackedTerms.unpack(value)
    return None if fields is None else (fields, class_bases(value))


_LEXICAL_TAG = "lexical:1"


def _lexical_to_plain(lexical: BM25Index, bases: ClassBases) -> tuple[Any, ...]:
    """The stored lexical index: BM25 over the library units (`BM25Index.to_plain`) and
    each unit's classes with the bases they name (`lexicon.class_bases`)."""
    return (_LEXICAL_TAG, lexical.to_plain(), bases)


def _lexical_from_plain(value: object) -> tuple[BM25Index, ClassBases] | None:
    """What `_lexical_to_plain` stored, or None when `value` is not that (another
    version, a damaged row: the index is built again)."""
    if not (isinstance(value, tuple) and len(value) == 3 and value[0] == _LEXICAL_TAG):
        return None
    bases = value[2]
    if not (
        isinstance(bases, dict)
        and all(
            isinstance(classes, dict)
            and all(
                isinstance(named, tuple) and all(isinstance(b, str) for b in named)
                for named in classes.values()
            )
            for classes in bases.values()
        )
    ):
        return None
    lexical = BM25Index.from_plain(value[1])
    return None if lexical is None else (lexical, bases)


def _mapping_index(
    code_map: CodeMap,
    cache: ParseCache,
    commits: Sequence[CommitRecord] | None,
    progress: ProgressFn | None,
    workers: int | None,
    prefetch: IndexPrefetch | None,
) -> MapIndex:
    root = Path(code_map.root)
    storing: list[threading.Thread] = []  # threads that store fields and the index
    prebuilt: Prebuilt | None = None
    reading: _HistoryRead | None = None
    try:
        map_blobs, extracted, prebuilt = (
            prefetch.take(root) if prefetch is not None else (None, {}, None)
        )
        history_key = _history_key(code_map.head) if commits is None else ""
        stored_history = cache.load_snapshot(history_key) if history_key else None
        history = _history_from_plain(stored_history)
        # The repository's own history is read (`git log`, in a process of its own) while
        # the lexical index is built, when there is one to build (see `_HistoryRead`); the
        # map's read it already, when its worker built the index (`IndexPrefetch.prebuild`).
        if history is None and stored_history != ():
            early = prebuilt.history if prebuilt is not None else None
            if commits is not None:
                history = build_history(list(commits), repo=code_map.repo)
            elif early is not None and (early.head, early.repo) == (code_map.head, code_map.repo):
                reading = early
            else:
                reading = _HistoryRead(root, code_map.head, code_map.repo)
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
        bases: ClassBases = {}
        lexical = None
        if (stored := _lexical_from_plain(cache.load_snapshot(lexical_key))) is not None:
            lexical, bases = stored
        if lexical is None:
            library = library if library is not None else library_units(code_map)
            if blobs is None and map_blobs is not None:
                # The blob ids the map was built from, without listing the checkout again.
                wanted = [code_map.modules[u].path for u in library]
                if all(p in map_blobs for p in wanted):
                    blobs = {p: map_blobs[p] for p in wanted}
            plain = prebuilt.plain(library) if prebuilt and map_blobs is not None else None
            built = _lexical_from_plain(plain) if plain is not None else None
            if built is not None:
                lexical, bases = built
                # Built by the map's worker from the fields this command's workers
                # extracted (every library unit's), while the map was assembled: the
                # fields are being stored already (`IndexPrefetch.prebuild`), the index
                # is stored by a thread.
                if reading is not None:
                    reading.start()
                _store_in_thread(cache.path, {}, storing, (lexical_key, plain))
            else:
                blobs = blobs if blobs is not None else library_blobs(code_map, library)
                fields, bases_by_path = library_fields(
                    code_map,
                    cache,
                    blobs,
                    progress=progress,
                    workers=workers,
                    extracted=extracted,
                    storing=storing,
                )
                if reading is not None:
                    reading.start()
                lexical = build_lexical(code_map, library, fields)
                paths = {u: code_map.modules[u].path for u in sorted(library)}
                bases = {u: bases_by_path[p] for u, p in paths.items() if p in bases_by_path}
                for thread in storing:  # (the fields' rows first: one writer at a time)
                    thread.join()
                cache.save_snapshot(lexical_key, _lexical_to_plain(lexical, bases))
        elif library is None:
            library = set(lexical.names)  # the library units are what the index holds
        if reading is not None:
            history, closing = reading.result()
            if history_key:
                cache.save_snapshot(history_key, _history_to_plain(history))
                cache.save_snapshot(_fixes_key(code_map.head), closing)
        return build_index(
            code_map,
            lexical=lexical,
            history=history,
            library=library,
            native_ops=native_ops(code_map, cache),
            class_bases=bases,
        )
    finally:
        if prebuilt is not None:
            prebuilt.drop()  # (the index came from the cache, or the build failed)
        for thread in storing:
            thread.join()
        if reading is not None:
            reading.join()  # a build that failed leaves no `git log` running


class _HistoryRead:
    """`recent_commits(root, head)` in a thread, started once the index's own scanning
    (which may fork workers) is over: `git log` runs while the lexical index is built. The
    same thread then builds the history index and finds the commits that close issues
    (`build_history`, `closing_commits`: pure Python, on a map's main thread's time while
    it mostly waits for its workers). Done in the calling thread when it was never started
    (the lexical index came from the cache). `join` waits for a started read and drops its
    result (the build failed)."""

    def __init__(self, root: Path, head: str, repo: str) -> None:
        self.root, self.head, self.repo = root, head, repo
        self.thread: threading.Thread | None = None
        self.built: tuple[HistoryIndex | None, dict[int, ClosingCommit]] = (None, {})
        self.error: BaseException | None = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._read, name="prready-index-history")
            self.thread.start()

    def _read(self) -> None:
        self.error = None  # (a read again after a failed one)
        try:
            commits = recent_commits(self.root, self.head)
            history = build_history(commits, repo=self.repo)
            self.built = (history, closing_commits(commits, self.repo))
        except BaseException as exc:  # handed to the caller of `result`
            self.error = exc

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()

    def result(self) -> tuple[HistoryIndex | None, dict[int, ClosingCommit]]:
        """The history index (None without a commit to learn from) and issue number ->
        the newest commit closing it."""
        if self.thread is None:
            self._read()
        else:
            self.thread.join()
        if self.error is not None:
            raise self.error
        return self.built


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
    cache: ParseCache,
    blobs: dict[str, str],
    *,
    progress: ProgressFn | None = None,
    workers: int | None = None,
    extracted: dict[str, bytes] | None = None,
    storing: list[threading.Thread] | None = None,
) -> tuple[dict[str, tuple[PackedTerms, PackedTerms]], dict[str, dict[str, tuple[str, ...]]]]:
    """Path -> (defined-name terms, prose terms) for the library files in `blobs`
    (path -> blob id), and path -> the classes each file's fields name bases for
    (`lexicon.class_bases`): `extracted` ones (blob id -> encoded fields, from the map's
    workers; see `prefetch_index`), stored; the others from the parse cache or scanned
    and stored. With `storing`, the extracted ones are written by a thread added to it
    (SQLite works without the interpreter lock: the index is built meanwhile), which
    the caller joins."""
    root = Path(code_map.root)
    extracted = extracted or {}
    known: dict[str, tuple[PackedTerms, PackedTerms]] = {}
    known_bases: dict[str, dict[str, tuple[str, ...]]] = {}
    handed: dict[str, bytes] = {}

    def take(blob: str, value: object) -> bool:
        """Keep a file's fields (False: a wrong shape, a miss all the same)."""
        if (unpacked := _unpack(value)) is None:
            return False
        known[blob] = unpacked[0]
        if unpacked[1]:
            known_bases[blob] = unpacked[1]
        return True

    for blob in set(blobs.values()).intersection(extracted):
        # Values from this command's own workers.
        if take(blob, marshal.loads(extracted[blob])):
            handed[blob] = extracted[blob]
    language = {info.path: info.language for info in code_map.modules.values()}
    stored = cache.load(LEX_SCANNER, (b for b in blobs.values() if b not in known))
    # A damaged or foreign row is a miss: the file is scanned again and the row replaced.
    for blob, row in stored.items():
        take(blob, row)
    todo = sorted(p for p, b in blobs.items() if b not in known)
    fresh = _scan(root, [(p, language[p]) for p in todo], progress, workers)
    if storing is None:
        cache.save_encoded(LEX_SCANNER, handed)
    cache.save(LEX_SCANNER, {blobs[p]: fresh[p] for p in todo if p in fresh})
    if storing is not None:
        _store_in_thread(cache.path, handed, storing)
    for path in todo:
        if path in fresh:
            take(blobs[path], fresh[path])
    return (
        {p: known[b] for p, b in blobs.items() if b in known},
        {p: known_bases[b] for p, b in blobs.items() if b in known_bases},
    )


def _store_in_thread(
    cache_db: Path,
    rows: dict[str, bytes],
    threads: list[threading.Thread],
    snapshot: tuple[str, Any] | None = None,
) -> None:
    """`_store` in a thread added to `threads` (SQLite writes without the interpreter
    lock: the caller goes on meanwhile, and joins them)."""
    if rows or snapshot:
        thread = threading.Thread(
            target=_store, args=(cache_db, rows, snapshot), name="prready-store-fields"
        )
        thread.start()
        threads.append(thread)


def _store(cache_db: Path, rows: dict[str, bytes], snapshot: tuple[str, Any] | None = None) -> None:
    """Write extracted fields (and a snapshot: key, value); a cache that cannot be written
    only costs a scan next time (this runs in a thread, and when a workspace closes: it
    must not raise)."""
    with contextlib.suppress(*CACHE_WRITE_FAILURES), ParseCache(cache_db) as cache:
        cache.save_encoded(LEX_SCANNER, rows)
        if snapshot is not None:
            cache.save_snapshot(*snapshot)


def recent_commits(root: Path, head: str = "") -> list[CommitRecord]:
    """The newest HISTORY_MAX_COMMITS commits up to `head` (the map's commit: the history
    is stored under it) or HEAD ([] without history), a merge with the files of what it
    merged."""
    return read_history(root, limit=HISTORY_MAX_COMMITS, rev=head or "HEAD", merges=True)


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

        pool = ProcessPoolExecutor(max_workers=n_workers, initializer=ignore_interrupts)
    try:
        # Serially, one `splits` for every chunk; a pool's workers keep their own.
        splits: list[dict[str, tuple[str, ...]] | None] = [None] * len(chunks)
        if pool is None:
            splits = [{}] * len(chunks)  # the same dict for each
        parts = (pool.map if pool else map)(_scan_chunk, roots, chunks, splits)
        for part in parts:
            results.update(part)
            if progress:
                progress("indexing", len(results), len(todo))
    except BaseException:  # (Ctrl-C too) the chunks being scanned end, the others never start
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    if pool is not None:
        pool.shutdown()
    return results


def _scan_chunk(
    root: str, chunk: list[tuple[str, str]], splits: dict[str, tuple[str, ...]] | None = None
) -> dict[str, Any]:
    """Worker: read regular files only (map's reader) and extract their fields.
    Identifiers are split once into `splits` (a worker's own when None: see
    `map.worker_splits`)."""
    out: dict[str, Any] = {}
    if splits is None:
        splits = worker_splits()
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


def checkout_fixes(ws: Workspace, code_map: CodeMap) -> dict[int, ClosingCommit]:
    """Issue number -> the newest commit of the map's history that closes it (`Fixes
    #12`): stored when the mapping index read that history, read here otherwise (a map
    whose issues all came from the assessment cache of an older version). {} for a map
    without a checkout."""
    if not code_map.head or not code_map.root:
        return {}
    cache = ws.parse_cache
    key = _fixes_key(code_map.head)
    stored = _fixes_from_plain(cache.load_snapshot(key))
    if stored is not None:
        return stored
    fixes = closing_commits(recent_commits(Path(code_map.root), code_map.head), code_map.repo)
    cache.save_snapshot(key, fixes)
    return fixes


def _history_key(head: str) -> str:
    return _digest("history", __version__, HISTORY_VERSION, head)


def _history_stored(cache_db: Path, head: str) -> bool:
    """Whether the history index of commit `head` is in the cache (False when the cache
    cannot be read: the history is read again, as for a miss)."""
    try:
        with ParseCache(cache_db) as cache:
            return cache.has_snapshot(_history_key(head))
    except CACHE_WRITE_FAILURES:
        return False


def _fixes_key(head: str) -> str:
    return _digest("fixes", __version__, HISTORY_VERSION, head)


def _fixes_from_plain(value: Any) -> dict[int, ClosingCommit] | None:
    if not isinstance(value, dict) or not all(
        isinstance(n, int)
        and isinstance(c, tuple)
        and len(c) == 3
        and all(isinstance(part, str) for part in c)
        for n, c in value.items()
    ):
        return None
    return value


def _history_to_plain(history: HistoryIndex | None) -> tuple[Any, ...]:
    if history is None:
        return ()  # no commit to learn from: stored too, so a warm run does not look again
    search = history.search.to_plain()
    return (search, history.files, history.titles, history.dates, history.pulls, history.fixes)


def _history_from_plain(value: Any) -> HistoryIndex | None:
    if not (isinstance(value, tuple) and len(value) == 6):
        return None
    search = BM25Index.from_plain(value[0])
    if search is None:
        return None
    files, titles, dates, pulls, fixes = value[1:]
    return HistoryIndex(search, files, titles, dates, pulls=pulls, fixes=fixes)
