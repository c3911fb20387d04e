"""`prready map`: get the repository, scan what changed, build the code map, export it.

Scanning is the expensive step, so results are cached per git blob id
(`prready.store.parse_cache`) and files not in the cache are read and scanned by a pool
of worker processes (both cores on a 2-core machine), each worker reading its own files
so only small tuples cross process boundaries. A map whose inputs did not change is
restored whole from a snapshot; after edits to Python files the last map of the checkout
is updated (`prready.analysis.incremental`); anything else is assembled cold.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta
from functools import partial
from itertools import repeat
from operator import truth
from pathlib import Path
from queue import SimpleQueue
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, Protocol

from prready import __version__, clock, process
from prready.analysis.snapshot import (
    SNAPSHOT_VERSION,
    MapChanges,
    apply_delta,
    code_map_delta,
    code_map_from_plain,
    code_map_to_plain,
    delta_base,
    edge_attributes,
)
from prready.code_models import CodeMap, CommitRecord, ModuleInfo, TrackedFile
from prready.errors import InputError
from prready.map_report import AreaSummary, MapSummary
from prready.slug import parse_slug
from prready.sources.git_repo import (
    NO_FIX,
    Listing,
    acquire,
    head_date,
    read_history,
    read_line_counts,
    read_listing,
)
from prready.store.parse_cache import CACHE_WRITE_FAILURES, ParseCache

if TYPE_CHECKING:
    # Imported where used: a map restored whole (the warm path) needs none of them.
    from concurrent.futures import Future, ProcessPoolExecutor

    from prready.analysis.codemap import MapAssembly, RepoFacts
    from prready.analysis.layout import Selection, SourceFile
    from prready.analysis.native import NativeScan
    from prready.analysis.pyscan import PyScan, ScanMemo
    from prready.app.workspace import Workspace
    from prready.models import ProgressFn

# 2: imports under split `def`/`if TYPE_CHECKING` headers are conditional; 3: a string
# opened on the line where another closed (`""" + r"""`) is no syntax error; 4: generated;
# 5: a leading docstring saying a tool wrote the file marks it generated; 6: names
# imported as themselves (`import x as x`).
PY_SCANNER = "py:6"
NATIVE_SCANNER = "native:2"  # 2: `#import`; Objective-C++ and Metal files
LINE_COUNTER = "lines:1"  # a commit's lines added + deleted, in the parse cache by its id
POOL_MIN_FILES = 200  # below this, starting worker processes costs more than it saves
# A chunk is one round trip to a worker (its job and its results through the pool's
# queues: ~1.5 ms of worker time on a busy 2-core machine, and the pool's threads in this
# process): 1 MB chunks cost PyTorch's cold map 0.1 CPU-s less than 512 KB ones.
CHUNK_FILES = 512
CHUNK_BYTES = 1024 * 1024
MAX_TEXT_BYTES = 512 * 1024  # CODEOWNERS, labeler.yml, CONTRIBUTING.md
CONTRIBUTING_PATHS = ("CONTRIBUTING.md", ".github/CONTRIBUTING.md", "docs/CONTRIBUTING.md")
CODEOWNERS_PATHS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
LABELER_PATHS = (".github/labeler.yml", ".github/labeler.yaml")
# Committer dates may trail author dates (clock skew): read this much more history.
HISTORY_MARGIN = timedelta(days=31)
LINE_COUNT_COMMITS = 3000  # newest commits whose line counts size past fixes
# An updated map is stored as its changes over the full map it came from while they touch
# at most this share of its modules; past that, whole again.
DELTA_MAX_SHARE = 0.25


class LexicalPass(Protocol):
    """What a command that maps issues next asks of a cold map (`on_sources` returns it;
    see `retrieval.prefetch_index`): its scanning workers also extract the lexical fields
    (`lexicon.source_fields_packed`) of the files in `paths`, from the bytes they read
    for the map anyway, and hand them to `add` chunk by chunk."""

    @property
    def paths(self) -> Collection[str]: ...

    def add(self, fields: tuple[tuple[str, bytes], ...]) -> None:
        """One chunk's (blob id, marshal-encoded fields) pairs."""

    def prebuild(
        self, modules: dict[str, ModuleInfo], pool: ProcessPoolExecutor, head: str, repo: str
    ) -> bool:
        """Every file is scanned and these are the map's modules (by name) at commit
        `head` of `repo` ("owner/name"): build what comes next (the lexical index) on one
        of the map's scanning workers (`pool`), while the map is assembled; the workers
        are forked, so threads may start. True when a job was submitted: the pool is then
        the callee's to shut down."""


def ignore_interrupts() -> None:
    """A scanning worker's initializer: Ctrl-C (sent to the whole process group) is the
    parent's to handle, which then shuts the pool down; a worker prints no traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@dataclass
class ScanStats:
    """What the last build did: how many files came from the cache, how many were scanned."""

    cached: int = 0
    scanned: int = 0
    workers: int = 1
    by_language: dict[str, int] = field(default_factory=dict)
    snapshot: bool = False  # the whole map came from the cache (no file changed)
    incremental: bool = False  # the last map was updated for changed Python files


def build_code_map(
    ws: Workspace,
    slug: str,
    *,
    checkout: str | Path | None = None,
    git_url: str | None = None,
    area_depth: int | None = None,
    stats: ScanStats | None = None,
    workers: int | None = None,
    on_sources: Callable[[Path, list[SourceFile]], LexicalPass | None] | None = None,
) -> CodeMap:
    """Acquire OWNER/REPO (or use `checkout` as is), scan changed files, return the map.
    The workspace gives the paths, offline mode and progress; `area_depth` None is the
    workspace config's (itself None: chosen per repository). `on_sources` is told the
    checkout and its sources when the map is not restored whole; the LexicalPass it
    returns, if any, rides along a cold map's scan (the mapping index's fields: see
    `retrieval.prefetch_index`)."""
    slug = parse_slug(slug)
    if area_depth is None:
        area_depth = ws.config.area_depth
    if area_depth is not None and area_depth < 1:
        raise InputError("area_depth", "must be a positive integer")
    with gc_paused():
        return _build_code_map(ws, slug, checkout, git_url, area_depth, stats, workers, on_sources)


def scan_sources(
    root: Path,
    sources: list[SourceFile],
    cache: ParseCache,
    *,
    stats: ScanStats | None = None,
    progress: ProgressFn | None = None,
    workers: int | None = None,
    natives_done: Callable[[dict[str, NativeScan]], None] | None = None,
    writer: ScanWriter | None = None,
    python_in: Callable[[dict[str, PyScan]], None] | None = None,
    lexical: LexicalPass | None = None,
    scanned: Callable[[ProcessPoolExecutor], bool] | None = None,
) -> tuple[dict[str, PyScan], dict[str, NativeScan]]:
    """Scan results by path: cached ones by blob id (from `cache`), the rest scanned (in
    parallel) and stored. `stats` receives the counts (tests assert on `scanned`). With
    `writer`, the new results are written by its thread (SQLite works without holding
    the interpreter lock: the map is assembled meanwhile), which the caller joins.

    Native files are scanned first and `natives_done` receives their scans as soon as
    they are all in, while the Python files are still being scanned: work that needs
    only them (linking includes) then overlaps the scan instead of following it.
    `python_in` then receives the Python scans (by path) there are, and after that those
    of each chunk as it comes in: work on them (assembly) overlaps the rest of the scan.
    When every file is in and a pool of workers scanned them, `scanned` may give that pool
    jobs, which run on while the caller goes on; it returns True when it keeps the pool
    (whoever keeps it shuts it down), else the pool is shut down here."""
    stats = stats if stats is not None else ScanStats()
    py = [s for s in sources if s.language == "python"]
    native = [s for s in sources if s.language != "python"]
    stats.by_language = dict(Counter(s.language for s in sources))
    py_cached = cache.load(PY_SCANNER, (s.blob for s in py))
    native_cached = cache.load(NATIVE_SCANNER, (s.blob for s in native))
    todo = [s for s in native if s.blob not in native_cached]
    native_todo = len(todo)
    todo += [s for s in py if s.blob not in py_cached]
    stats.cached = len(sources) - len(todo)
    stats.scanned = len(todo)
    language = {s.path: s.language for s in todo}
    blob_of = {s.path: s.blob for s in todo}
    store_py: dict[str, bytes] = {}
    store_native: dict[str, bytes] = {}
    native_scans: dict[str, NativeScan] | None = None
    py_objects: dict[str, PyScan] = {}  # by blob: each result converted once
    # The converters with their classes imported once: an import in a function costs ~2 us
    # a call, and they run once a file.
    py_from_plain, native_from_plain = _scan_converters()

    def py_object(blob: str) -> PyScan:
        scan = py_objects.get(blob)
        if scan is None:
            scan = py_objects[blob] = py_from_plain(py_cached[blob])
        return scan

    def take(pairs: tuple[tuple[str, bytes | None], ...]) -> None:
        """One chunk's results, decoded while the workers scan the next ones."""
        fresh: dict[str, PyScan] = {}
        for path, encoded in pairs:
            blob = blob_of[path]
            python = language[path] == "python"
            if encoded is None:  # unreadable: reported, never cached
                value = _UNREADABLE_PY if python else _UNREADABLE_NATIVE
            elif encoded == TOO_LARGE:  # (likewise)
                value = _TOO_LARGE_PY if python else _TOO_LARGE_NATIVE
            else:
                value = marshal.loads(encoded)
                (store_py if python else store_native)[blob] = encoded
            (py_cached if python else native_cached)[blob] = value
            if python and python_in is not None:
                fresh[path] = py_object(blob)
        if fresh and python_in is not None and native_scans is not None:
            python_in(fresh)  # (before the natives are in, natives_in passes them)

    def natives_in() -> None:
        nonlocal native_scans
        native_scans = {
            s.path: native_from_plain(native_cached[s.blob])
            for s in native
            if s.blob in native_cached
        }
        if writer is not None and store_native:
            # Written while the workers scan the Python files, when this thread mostly
            # waits: during assembly the writer would wait for the interpreter lock.
            writer.write({}, dict(store_native))
            store_native.clear()
        if natives_done is not None:
            natives_done(native_scans)
        if python_in is not None:
            python_in({s.path: py_object(s.blob) for s in py if s.blob in py_cached})

    mark = (native_todo, natives_in)
    _scan_files(root, todo, progress, workers, stats, take, mark, lexical, scanned)
    if writer is None:
        cache.save_encoded(PY_SCANNER, store_py)
        cache.save_encoded(NATIVE_SCANNER, store_native)
    elif store_py or store_native:
        writer.write(store_py, store_native)
    if native_scans is None:
        natives_in()
    assert native_scans is not None
    py_scans = {s.path: py_object(s.blob) for s in py if s.blob in py_cached}
    return py_scans, native_scans


class ScanWriter:
    """Writes new scan results to the parse cache in a thread of its own, in the order
    given, while the caller goes on (assembling the map). The thread opens its own
    connection, once, for all its writes: an SQLite connection is used by the thread that
    made it, and SQLite writes without holding the interpreter lock only so. Started on
    the first write (after any worker process was forked: never fork a running thread);
    `join` waits for every write."""

    def __init__(self, cache_db: Path) -> None:
        self.cache_db = cache_db
        self.jobs: SimpleQueue[tuple[dict[str, bytes], dict[str, bytes]] | None] = SimpleQueue()
        self.thread: threading.Thread | None = None

    def write(self, py: dict[str, bytes], native: dict[str, bytes]) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="prready-store")
            self.thread.start()
        self.jobs.put((py, native))

    def join(self) -> None:
        if self.thread is not None:
            self.jobs.put(None)
            self.thread.join()
            self.thread = None

    def _run(self) -> None:
        # A cache that cannot be opened or written only costs a rescan next time: the
        # queue is drained all the same, and no traceback lands on the progress output.
        cache: ParseCache | None = None
        with contextlib.suppress(*CACHE_WRITE_FAILURES):
            cache = ParseCache(self.cache_db)
        try:
            while (job := self.jobs.get()) is not None:
                if cache is not None:
                    with contextlib.suppress(*CACHE_WRITE_FAILURES):
                        cache.save_encoded(PY_SCANNER, job[0])
                        cache.save_encoded(NATIVE_SCANNER, job[1])
        finally:
            if cache is not None:
                with contextlib.suppress(*CACHE_WRITE_FAILURES):
                    cache.close()


def read_repo_facts(
    root: Path,
    files: list[TrackedFile],
    head: str,
    cache_db: Path | None = None,
    history: Callable[[], list[CommitRecord]] | None = None,
) -> RepoFacts:
    """History of the 12 months before HEAD, CODEOWNERS, labeler.yml, contributing guide,
    the root's build files (setup.py, pyproject.toml, setup.cfg). With `cache_db`, the
    line counts of commits seen before come from the parse cache. `history`: where the
    history read already (see `_HistoryReader`) is collected."""
    tracked = {f.path for f in files if f.kind == "file"}
    return _repo_facts(root, tracked, head, cache_db, history)


def _repo_facts(
    root: Path,
    tracked: set[str],
    head: str,
    cache_db: Path | None,
    history: Callable[[], list[CommitRecord]] | None,
) -> RepoFacts:
    """`read_repo_facts` of the tracked regular files `tracked`."""
    from prready.analysis.build import BUILD_FILES
    from prready.analysis.codemap import RepoFacts
    from prready.analysis.issue_templates import template_paths

    contributing_source, contributing = _contributing_guide(root, tracked)
    facts = RepoFacts(
        history=history() if history else _recent_history(root, head, cache_db),
        codeowners=_first_text(root, tracked, CODEOWNERS_PATHS),
        labeler=_first_text(root, tracked, LABELER_PATHS),
        contributing=contributing,
        contributing_source=contributing_source,
        files=sorted(tracked),
        build_texts={
            rel: text for rel in BUILD_FILES if (text := _first_text(root, tracked, (rel,)))
        },
        issue_templates={
            rel: text
            for rel in template_paths(tracked)
            if (text := _first_text(root, tracked, (rel,)))
        },
    )
    facts.test_runner = "pytest"  # runs unittest and pytest suites alike
    return facts


def map_summary(cm: CodeMap, stats: ScanStats | None = None, *, top: int = 25) -> MapSummary:
    """Counts and the biggest areas, for `prready map` to print."""
    languages = Counter(info.language for info in cm.modules.values())
    edges = edge_attributes(cm)  # without building a restored map's graph
    # ~70k dicts on PyTorch: read and counted in C (`dict.get` mapped over them).
    kinds = Counter(map(dict.get, edges, repeat("kind"), repeat("")))
    conditional = sum(map(truth, map(dict.get, edges, repeat("conditional"))))
    ranked = sorted(cm.areas.values(), key=lambda a: (-a.dependents_transitive, -a.lines, a.name))
    return MapSummary(
        repo=cm.repo,
        head=cm.head,
        files_by_language=dict(sorted(languages.items())),
        modules=len(cm.modules),
        edges=len(edges),
        edges_by_kind=dict(sorted(kinds.items())),
        conditional_edges=conditional,
        areas=len(cm.areas),
        symbols=len(cm.symbols),
        top_areas=[
            AreaSummary(
                name=a.name,
                modules=len(a.modules),
                lines=a.lines,
                dependents=a.dependents,
                dependents_transitive=a.dependents_transitive,
                dependencies=a.dependencies,
                centrality=a.centrality,
                churn=a.churn,
                tests=len(a.tests),
                owners=a.owners[:3],
            )
            for a in ranked[:top]
        ],
        skipped={reason: len(paths) for reason, paths in sorted(cm.skipped.items())},
        cache=asdict(stats) if stats else None,
    )


# --------------------------------------------------------------------------- internals
def _build_code_map(
    ws: Workspace,
    slug: str,
    checkout: str | Path | None,
    git_url: str | None,
    area_depth: int | None,
    stats: ScanStats | None,
    workers: int | None,
    on_sources: Callable[[Path, list[SourceFile]], LexicalPass | None] | None = None,
) -> CodeMap:
    """build_code_map's work, run with the garbage collector paused."""
    paths, progress = ws.paths, ws.progress
    co = acquire(
        slug,
        paths.repos,
        git_url=git_url,
        checkout=Path(checkout) if checkout is not None else None,
        offline=ws.offline,
        progress=progress,
    )
    root = Path(co.path)
    # The workspace's connection to the parse cache, passed down. Threads that use the
    # cache open their own (`ScanWriter`, `_HistoryReader`): a connection belongs to the
    # thread that made it.
    cache = ws.parse_cache
    base_key = _base_key(slug, root, area_depth)
    # The first map of a checkout lists every file: the index's sizes save a system call
    # for each (later ones are restored, or updated from the files that changed).
    listing = read_listing(root, sizes=not cache.has_snapshot(base_key))
    stats = stats if stats is not None else ScanStats()
    key = _snapshot_key(slug, root, co.head, area_depth, listing)
    restored = _load_snapshot(cache, key, stats)
    if restored is not None:  # nothing changed since the last map: same files, same HEAD
        restored.key = key
        return restored
    base = cache.load_snapshot(base_key)
    if not (isinstance(base, tuple) and len(base) == 6):
        base = None
    # When only files' contents changed, the last selection with their new blobs: no
    # system call for each of the other files.
    files: list[TrackedFile] | None = None
    selection = _quick_selection(listing, base) if base is not None else None
    if selection is None:
        from prready.analysis.layout import select_sources

        files = listing.files()
        selection = select_sources(files)
    stats.by_language = dict(Counter(s.language for s in selection.sources))
    lexical = on_sources(root, selection.sources) if on_sources is not None else None
    history = _HistoryReader(root, co.head, paths.cache_db)
    updated = None
    if base is not None:
        updated = _updated_map(root, co.head, files, selection, cache, base, stats, history)
    stored_over: tuple[str, MapChanges] | None = None  # a full stored map, what changed since
    if updated is not None:
        cm, extensions, stored_over = updated
    else:
        history.wait()  # an update that gave up may have started it: never fork a thread
        if files is None:
            files = listing.files()
        cm, extensions = _cold_map(
            slug,
            root,
            co.head,
            files,
            selection,
            cache,
            area_depth,
            stats,
            progress,
            workers,
            history,
            lexical,
        )
    # The selection's counts go along: a restored map skips selecting sources.
    counts = (len(selection.sources), stats.by_language)
    delta = None
    if stored_over is not None:
        full_key, changes = stored_over
        if full_key != key and len(changes.modules) <= len(cm.modules) * DELTA_MAX_SHARE:
            delta = code_map_delta(cm, full_key, changes)
    if delta is not None:
        # Only what changed since the full map it was updated from is written.
        cache.save_snapshot(key, (counts, delta), base=stored_over[0] if stored_over else None)
    else:
        cache.save_snapshot(key, (counts, code_map_to_plain(cm)))
    sources = [(s.path, s.blob, s.language, s.size) for s in selection.sources]
    # A source found too large only when read (git's index keeps a size modulo 2**32):
    # the next map selects from the file system (no quick selection), which skips it.
    raw = None if _found_too_large(cm, selection) else listing.raw
    record = (key, sources, selection.skipped, extensions, raw, listing.changes)
    cache.save_snapshot(base_key, record)
    cm.key = key
    return cm


def _cold_map(
    slug: str,
    root: Path,
    head: str,
    files: list[TrackedFile],
    selection: Selection,
    cache: ParseCache,
    area_depth: int | None,
    stats: ScanStats,
    progress: ProgressFn | None,
    workers: int | None,
    history: _HistoryReader,
    lexical: LexicalPass | None = None,
) -> tuple[CodeMap, dict[str, str]]:
    """Every source scanned (or taken from the parse cache), the map assembled whole;
    also the extension modules found, which an update reuses."""
    from prready.analysis import metrics
    from prready.analysis.codemap import MapAssembly, extension_module_names

    links: list[tuple[list[str], list[tuple[str, str]]]] = []
    assembly: list[MapAssembly] = []
    extensions: dict[str, str] = {}
    transitive: list[tuple[list[str], Future[list[int]]]] = []  # see scanned
    owned: list[ProcessPoolExecutor] = []  # the scanning pool, when scanned kept it

    def link(native_scans: dict[str, NativeScan]) -> None:  # while Python files are scanned
        history.start()  # (after the workers were forked: never fork a running thread)
        links.append(_cached_native_links(selection.sources, native_scans, cache))
        declared = ((p, name) for p, s in native_scans.items() for name in s.declares)
        extensions.update(extension_module_names(declared))
        assembly.append(MapAssembly(selection.sources, native_scans, extensions))
        assembly[0].place_areas(area_depth)  # (while the Python files are scanned)

    def python_in(scans: dict[str, PyScan]) -> None:  # Python modules linked as they come
        assembly[0].add_python(scans)

    def scanned(pool: ProcessPoolExecutor) -> bool:
        """Every file is in, the workers idle: one of them counts the modules' transitive
        dependents while this process builds the rest of the map (and, for a command that
        maps issues, one builds the lexical index). True: the pool is not shut down here."""
        modules = assembly[0].module_infos() if assembly else None
        if modules is None:
            return False
        handed = lexical is not None and lexical.prebuild(modules, pool, head, slug)
        pairs = assembly[0].metric_pairs(modules, links[0][1])
        try:
            count = pool.submit(metrics.transitive_dependents, range(len(modules)), pairs)
        except Exception:  # a broken pool (a worker died after the scan): counted here
            return handed
        transitive.append((list(modules), count))
        if not handed:  # the lexical index's Prebuilt does not own it: shut down below
            owned.append(pool)
        return True

    def dependents_counted() -> dict[str, int] | None:
        """What the worker counted (None when it failed: `finish` counts them itself)."""
        if not transitive:
            return None
        names, job = transitive[0]
        try:
            return dict(zip(names, job.result(), strict=True))
        except Exception:  # a worker that died (BrokenProcessPool), or the job failed
            return None

    writer = ScanWriter(cache.path)
    try:
        py_scans, _ = scan_sources(
            root,
            selection.sources,
            cache,
            stats=stats,
            progress=progress,
            workers=workers,
            natives_done=link,
            writer=writer,
            python_in=python_in,
            lexical=lexical,
            scanned=scanned,
        )
        facts = read_repo_facts(root, files, head, cache.path, history)
        assembly[0].add_python(py_scans)  # (every scan was passed: nothing left to link)
        cm = assembly[0].finish(
            slug,
            str(root),
            head,
            selection.skipped,
            facts,
            area_depth=area_depth,
            native_links=links[0],
            transitive_of=dependents_counted,
        )
    finally:
        for pool in owned:
            pool.shutdown(wait=True, cancel_futures=True)
        writer.join()
    if lexical is None:
        # Every scan, ~20 ms to free on PyTorch, kept to the end of a command that ends
        # with the map (`prready map`); one that maps issues next frees them before it
        # builds its index (see `prready.process`).
        process.outlive(assembly, links)
    return cm, extensions


def _quick_selection(listing: Listing, base: tuple[Any, ...]) -> Selection | None:
    """`select_sources` of the working tree when, since the last map (`base`, see
    `_base_key`), only tracked files' contents changed and none of them is a source that
    was skipped or is now too large (else None): the last selection with new blobs."""
    from prready.analysis.layout import MAX_SOURCE_BYTES, Selection, SourceFile
    from prready.analysis.native import native_language

    _, sources, skipped, _, raw, changes = base
    if not (isinstance(raw, bytes) and isinstance(changes, dict)):
        return None
    changed = listing.blobs_changed_since(raw, changes)
    if changed is None:
        return None
    at = {row[0]: i for i, row in enumerate(sources)}
    selected = [SourceFile(*row) for row in sources]
    folders = tuple(p for paths in skipped.values() for p in paths if p.endswith("/"))
    for path, (blob, size) in changed.items():
        i = at.get(path)
        if i is None:
            if path.startswith(folders):
                continue  # in a skipped folder (vendored, build output...) whatever it holds
            if path.endswith(".py") or native_language(path) is not None:
                return None  # a source skipped before (too large, a bad name...)
            continue  # not a source: the selection does not read it
        if size > MAX_SOURCE_BYTES:
            return None
        selected[i] = replace(selected[i], blob=blob, size=size)
    return Selection(selected, {reason: list(paths) for reason, paths in skipped.items()})


def _updated_map(
    root: Path,
    head: str,
    files: list[TrackedFile] | None,
    selection: Selection,
    cache: ParseCache,
    base: tuple[Any, ...],
    stats: ScanStats,
    history: _HistoryReader,
) -> tuple[CodeMap, dict[str, str], tuple[str, MapChanges]] | None:
    """The last map of this checkout updated for the Python files whose blob changed
    (see `prready.analysis.incremental`), or None when that does not apply: no stored
    map, sources added/removed/renamed, skipped files or native sources changed, a
    changed file that does not scan cleanly before and after. `files`: the tracked
    files, None when they are the last map's (only contents changed)."""
    from prready.analysis.incremental import symbol_inputs, update_code_map
    from prready.analysis.layout import python_module_names

    previous_key, previous_sources, previous_skipped, extensions, _, _ = base
    if previous_skipped != selection.skipped or len(previous_sources) != len(selection.sources):
        return None
    changed: list[tuple[SourceFile, str]] = []  # (source now, blob before)
    for src, (path, blob, language, _) in zip(selection.sources, previous_sources, strict=True):
        if src.path != path or src.language != language:
            return None
        if src.blob != blob:
            if language != "python":
                return None
            changed.append((src, blob))
    before = cache.load(PY_SCANNER, (blob for _, blob in changed))
    if len(before) != len({blob for _, blob in changed}):
        return None
    rescan = ScanStats()
    now, _ = scan_sources(root, [src for src, _ in changed], cache, stats=rescan)
    old_scans = [_py_from_plain(before[blob]) for _, blob in changed]
    new_scans = [now.get(src.path) for src, _ in changed]
    if any(scan is None or scan.error for scan in [*old_scans, *new_scans]):
        return None
    history.start()  # read while the last map is restored (after any forked scan)
    stored = _restore(cache, previous_key)
    if stored is None or _read_failed(stored[1], selection):
        return None
    _, previous, full_key, earlier = stored
    fresh = {src.path: scan for (src, _), scan in zip(changed, new_scans, strict=True) if scan}
    py_paths = [s.path for s in selection.sources if s.language == "python"]
    symbol_scans = None
    if any(
        symbol_inputs(a, path) != symbol_inputs(b, path)
        for a, (path, b) in zip(old_scans, fresh.items(), strict=True)
    ):
        py_scans, _ = scan_sources(  # cached: no worker forked while history is read
            root, [s for s in selection.sources if s.language == "python"], cache, workers=1
        )
        names = python_module_names(py_paths)
        symbol_scans = {names[p].name: scan for p, scan in py_scans.items() if not scan.error}
    cm, changes = update_code_map(
        previous,
        head,
        py_paths,
        fresh,
        _repo_facts(
            root,
            set(previous.files) if files is None else {f.path for f in files if f.kind == "file"},
            head,
            cache.path,
            history,
        ),
        extension_modules=dict(extensions),
        symbol_scans=symbol_scans,
    )
    stats.scanned, stats.workers, stats.incremental = rescan.scanned, rescan.workers, True
    stats.cached = len(selection.sources) - rescan.scanned
    return cm, dict(extensions), (full_key, earlier.merge(changes) if earlier else changes)


def _read_failed(cm: CodeMap, selection: Selection) -> bool:
    """Whether a file of the map could not be read, or was found too large only when read
    (neither result is cached: an update, which rescans only what changed, would keep it
    out)."""
    return "unreadable" in cm.skipped or _found_too_large(cm, selection)


def _found_too_large(cm: CodeMap, selection: Selection) -> bool:
    """Whether the map skipped a source as too large that `selection` took (its size was
    found when it was read)."""
    return cm.skipped.get("too-large", []) != selection.skipped.get("too-large", [])


def _scan_files(
    root: Path,
    todo: list[SourceFile],
    progress: ProgressFn | None,
    workers: int | None,
    stats: ScanStats,
    take: Callable[[tuple[tuple[str, bytes | None], ...]], None],
    mark: tuple[int, Callable[[], None]],
    lexical: LexicalPass | None = None,
    scanned: Callable[[ProcessPoolExecutor], bool] | None = None,
) -> None:
    """Scan `todo` in chunks; `take` receives each chunk's (path, marshal-encoded scan
    result or None when unreadable) pairs in order (see `_scan_chunk`), and `mark`'s
    callback runs once its number of files are in (at once when that is 0). With
    `lexical`, the workers extract the lexical fields of its paths among `todo` too, and
    its `add` receives each chunk's (see `LexicalPass`). `scanned`: see `scan_sources`."""
    chunks = _chunks(todo)
    total = len(todo)
    done = 0
    at, reached = mark
    wanted: list[tuple[str, ...] | None] = [None] * len(chunks)
    if lexical is not None:
        paths = lexical.paths
        wanted = [tuple(p for p, _, _ in chunk if p in paths) for chunk in chunks]

    def taken(chunk: list[tuple[str, str, str]], part: bytes) -> None:
        nonlocal done
        if lexical is None:
            take(marshal.loads(part))
        else:
            scans, fields = marshal.loads(part)
            take(scans)
            lexical.add(fields)
        before, done = done, done + len(chunk)
        if before < at <= done:
            reached()
        if progress:
            progress("scanning", done, total)

    n_workers = workers or min(os.cpu_count() or 1, 8)
    if total < POOL_MIN_FILES or n_workers < 2:
        stats.workers = 1
        if at <= 0:
            reached()
        splits: dict[str, tuple[str, ...]] = {}  # see _scan_chunk
        memo = _new_memo()
        for chunk, lex in zip(chunks, wanted, strict=True):
            taken(chunk, _scan_chunk(str(root), chunk, lex, splits, memo))
        return
    stats.workers = n_workers
    # Imported here: multiprocessing costs a warm or updated map ~60 ms of start-up.
    from concurrent.futures import ProcessPoolExecutor

    # Forked workers inherit the paused collector (see gc_paused) and keep it paused:
    # scanning makes no reference cycles, and collections cost them ~10% of their time.
    pool = ProcessPoolExecutor(max_workers=n_workers, initializer=ignore_interrupts)
    handed = False  # `scanned` kept the pool (its jobs run on): it shuts it down
    try:
        # Every job is submitted (and, with fork, every worker started) before a mark at
        # 0 runs: its callback may start threads, and a process is never forked with one.
        # (A job `scanned` submits later goes to a worker started here: none is forked.)
        parts = pool.map(_scan_chunk, [str(root)] * len(chunks), chunks, wanted)
        if at <= 0:
            reached()
        for chunk, part in zip(chunks, parts, strict=True):
            taken(chunk, part)
        if scanned is not None:
            handed = scanned(pool)
    except BaseException:  # (Ctrl-C too) the chunks being scanned end, the others never start
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    if not handed:
        pool.shutdown(wait=True)


def _chunks(todo: list[SourceFile]) -> list[list[tuple[str, str, str]]]:
    """Jobs in chunks of about CHUNK_BYTES of source (at most CHUNK_FILES files), so the
    many small headers of a C++ tree do not cost a round trip to a worker each few files."""
    chunks: list[list[tuple[str, str, str]]] = []
    chunk: list[tuple[str, str, str]] = []
    size = 0
    for s in todo:
        chunk.append((s.path, s.blob, s.language))
        size += s.size
        if size >= CHUNK_BYTES or len(chunk) >= CHUNK_FILES:
            chunks.append(chunk)
            chunk, size = [], 0
    if chunk:
        chunks.append(chunk)
    return chunks


# A worker's lexical identifiers, split once per worker process rather than once per
# chunk (a tree's chunks share most of their words: about a tenth of the extraction on
# torch). Only pool workers fill it (a serial scan passes a dict of its own), so a pool's
# forked workers start with it empty; bounded for a huge tree.
_WORKER_SPLITS: dict[str, tuple[str, ...]] = {}
WORKER_SPLITS_MAX = 400_000


def worker_splits() -> dict[str, tuple[str, ...]]:
    """The calling worker process's `splits` memo for the lexical fields (see
    `lexicon.count_terms`), emptied first when it has grown past WORKER_SPLITS_MAX."""
    if len(_WORKER_SPLITS) > WORKER_SPLITS_MAX:
        _WORKER_SPLITS.clear()
    return _WORKER_SPLITS


# A worker's ScanMemo, kept from one chunk to the next: the chunks of a tree share most
# of their import statements (`import torch` heads thousands of files), parsed once per
# worker instead of once per chunk. Only pool workers use it (a serial scan passes one of
# its own), so a pool's forked workers start without one; replaced when it grows past
# WORKER_MEMO_MAX statements.
_WORKER_MEMO: list[ScanMemo] = []
WORKER_MEMO_MAX = 200_000


def worker_memo() -> ScanMemo:
    """The calling worker process's ScanMemo (see `_WORKER_MEMO`)."""
    if not _WORKER_MEMO or len(_WORKER_MEMO[0].imports) > WORKER_MEMO_MAX:
        _WORKER_MEMO[:] = [_new_memo()]
    return _WORKER_MEMO[0]


def _new_memo() -> ScanMemo:
    from prready.analysis.pyscan import ScanMemo

    return ScanMemo()


def _scan_chunk(
    root: str,
    chunk: list[tuple[str, str, str]],
    lexical: tuple[str, ...] | None = None,
    splits: dict[str, tuple[str, ...]] | None = None,
    memo: ScanMemo | None = None,
) -> bytes:
    """Worker: read and scan files. Returns ONE marshal-encoded tuple of (path, encoded
    result or None when unreadable) pairs: a single bytes object crosses the process
    boundary (pickling nested tuples cost the workers 15% of their time), and each
    result is already in the form the parse cache stores, so it is not encoded again.
    With `lexical` (paths of the chunk; see `LexicalPass`), the tuple is paired with one
    of (blob id, encoded lexical fields) pairs of those paths read, from the same bytes;
    their identifiers are split once into `splits` (a worker's own: `worker_splits`).
    `memo`: what the Python scans share (a worker's own: `worker_memo`)."""
    from prready.analysis.layout import MAX_SOURCE_BYTES
    from prready.analysis.native import scan_native_bytes
    from prready.analysis.pyscan import scan_python_bytes

    out: list[tuple[str, bytes | None]] = []
    dumps = marshal.dumps
    if memo is None:
        memo = worker_memo()
    fields: list[tuple[str, bytes]] = []
    wanted = frozenset(lexical or ())
    if splits is None:
        splits = worker_splits()
    if wanted:  # imported here: `prready map` alone never loads the lexicon
        from prready.analysis.lexicon import source_fields_packed
    for path, blob, language in chunk:
        # Never more than a source may hold: a file past it (grown since it was listed, or
        # past 4 GiB, whose size git's index keeps modulo 2**32) is not read whole.
        data = read_no_follow(os.path.join(root, path), limit=MAX_SOURCE_BYTES + 1)
        if data is None or len(data) > MAX_SOURCE_BYTES:
            out.append((path, None if data is None else TOO_LARGE))
            continue
        if language == "python":
            out.append((path, dumps(_plain_py(scan_python_bytes(data, memo)))))
        else:
            out.append((path, dumps(_plain_native(scan_native_bytes(data)))))
        if path in wanted:
            fields.append((blob, dumps(source_fields_packed(data, language, splits))))
    return dumps(tuple(out)) if lexical is None else dumps((tuple(out), tuple(fields)))


_UNREADABLE_PY = (0, (), (), None, "unreadable", False)
_UNREADABLE_NATIVE = (0, (), "unreadable", ())
# The scan errors of a file not read whole, which the next map reads again (never cached).
_NOT_READ = frozenset({"unreadable", "too-large"})
# A worker's result for a file past MAX_SOURCE_BYTES when read (no marshal output is
# empty): skipped as "too-large", never cached (the blob git listed may be another size).
TOO_LARGE = b""
_TOO_LARGE_PY = (0, (), (), None, "too-large", False)
_TOO_LARGE_NATIVE = (0, (), "too-large", ())


def _plain_py(scan: PyScan) -> tuple[Any, ...]:
    """The scan as plain tuples (what `to_plain` makes of it, without walking every value:
    import names, definitions and `__all__` are plain tuples already)."""
    return (
        scan.lines,
        tuple(map(tuple, scan.imports)),
        scan.defs,
        scan.all_names,
        scan.error,
        scan.generated,
    )


def _plain_native(scan: NativeScan) -> tuple[Any, ...]:
    """As `_plain_py` (the includes are plain tuples already)."""
    return (scan.lines, scan.includes, scan.error, scan.declares)


def read_no_follow(path: str, limit: int | None) -> bytes | None:
    """Read a regular file without following a symlink at its last component. Anything
    else (a FIFO, socket or device) is never opened: a FIFO would block the read for ever.
    O_NONBLOCK and the fstat guard against a file swapped in between. Plain `os.read`
    calls: a file object per file cost the scanning workers a quarter of their time."""
    try:
        if not S_ISREG(os.lstat(path).st_mode):
            return None
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not S_ISREG(info.st_mode):
            return None
        # One byte more than fstat says: a short read is then the end of the file.
        want = info.st_size + 1 if limit is None else min(info.st_size + 1, limit)
        data = os.read(fd, want)
        if len(data) < want or len(data) == limit:
            return data
        parts = [data]  # the file grew since fstat: read on to its end or the limit
        got = len(data)
        while (step := 1 << 20 if limit is None else limit - got) > 0:
            part = os.read(fd, step)
            if not part:
                break
            parts.append(part)
            got += len(part)
        return b"".join(parts)
    except OSError:
        return None
    finally:
        os.close(fd)


def _load_snapshot(cache: ParseCache, key: str, stats: ScanStats) -> CodeMap | None:
    """The stored map of exactly these inputs, or None; fills `stats` when found."""
    stored = _restore(cache, key)
    if stored is None:
        return None
    (sources, by_language), restored, _, _ = stored
    stats.cached, stats.scanned, stats.snapshot = sources, 0, True
    stats.by_language = dict(by_language)
    return restored


def _restore(
    cache: ParseCache, key: str
) -> tuple[tuple[int, dict[str, int]], CodeMap, str, MapChanges | None] | None:
    """The map stored under `key` with its source counts, the key of the full map it is
    (or is written over) and what changed since that one (None: it is that one)."""
    value = cache.load_snapshot(key)
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], tuple)):
        return None
    counts, plain = value
    full_key, changes = key, None
    base = delta_base(plain)
    if base is not None:
        full = cache.load_snapshot(base)
        if not (isinstance(full, tuple) and len(full) == 2):
            return None
        applied = apply_delta(full[1], plain)
        if applied is None:
            return None
        (plain, changes), full_key = applied, base
    restored = code_map_from_plain(plain)
    if restored is None or len(counts) != 2:
        return None
    return counts, restored, full_key, changes


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a map is built or restored.

    Both allocate hundreds of thousands of dicts and tuples that live as long as the map
    and sit in no reference cycle; every collection they trigger re-walks them all, which
    cost a third of the CPU time of a PyTorch map after 20 changed files. Nothing is
    leaked: the collector resumes when the map is done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# What a stored map was made by: a new release of prready (its version) or of a scanner
# or the snapshot's format (their own versions) maps again.
_CODE_VERSIONS = f"{__version__}|{SNAPSHOT_VERSION}|{PY_SCANNER}|{NATIVE_SCANNER}"


def _snapshot_key(
    slug: str, root: Path, head: str, area_depth: int | None, listing: Listing
) -> str:
    """Digest of everything a map depends on: every tracked file's path, mode and blob as
    on disk (sources, CODEOWNERS, labeler...), HEAD (history), options and code versions.
    Read from git's listing, with no system call per file: a file's size and kind follow
    from its blob and mode, and `Listing.digest` covers what differs on disk."""
    text = f"{_CODE_VERSIONS}|{slug}|{root}|{head}|{area_depth}"
    digest = hashlib.sha256(text.encode("utf-8", "surrogateescape"))
    digest.update(b"\n" + listing.digest().encode("ascii"))
    return "map:" + digest.hexdigest()


def _base_key(slug: str, root: Path, area_depth: int | None) -> str:
    """Where the last map of this checkout is recorded: its snapshot key, sources (path,
    blob, language), skipped files and extension modules, for `_updated_map`."""
    text = f"{_CODE_VERSIONS}|{slug}|{root}|{area_depth}"
    return "map-base:" + hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _native_links_key(sources: list[SourceFile]) -> str:
    """Include links depend on the whole native file set: a digest of its (path, blob)s
    (hashed as one text: the same digest as fed line by line)."""
    digest = hashlib.sha256(NATIVE_SCANNER.encode())
    native = sorted((s for s in sources if s.language != "python"), key=lambda s: s.path)
    text = "".join([f"{s.path}\0{s.blob}\n" for s in native])
    digest.update(text.encode("utf-8", "surrogateescape"))
    return "native-links:" + digest.hexdigest()


def _stored_native_links(
    cache: ParseCache, key: str
) -> tuple[list[str], list[tuple[str, str]]] | None:
    cached = cache.load_snapshot(key)
    if isinstance(cached, tuple) and len(cached) == 2:
        return list(cached[0]), list(cached[1])
    return None


def _cached_native_links(
    sources: list[SourceFile], native_scans: dict[str, NativeScan], cache: ParseCache
) -> tuple[list[str], list[tuple[str, str]]]:
    """Include roots and edges, reused while no native file changed."""
    # A file that could not be read whole (unreadable, too large when read) is scanned
    # again next time: links made without its includes are not kept either.
    transient = any(s.error in _NOT_READ for s in native_scans.values())
    key = _native_links_key([s for s in sources if s.path in native_scans])
    cached = None if transient else _stored_native_links(cache, key)
    if cached is not None:
        return cached
    from prready.analysis.native import link_includes

    roots, edges = link_includes({p: s.includes for p, s in native_scans.items()})
    if not transient:
        cache.save_snapshot(key, (roots, edges))
    return roots, edges


def _py_from_plain(value: Any) -> PyScan:
    return _scan_converters()[0](value)


def _native_from_plain(value: Any) -> NativeScan:
    return _scan_converters()[1](value)


def _scan_converters() -> tuple[Callable[[Any], PyScan], Callable[[Any], NativeScan]]:
    """Plain scan results (as the parse cache stores them) to PyScan and NativeScan; the
    scanners' modules are imported here, when a map is not restored whole."""
    from prready.analysis.native import NativeScan
    from prready.analysis.pyscan import ImportStmt, PyScan

    # An ImportStmt made straight from its stored tuple (every field present: see
    # `_plain_py`), without the Python-level `__new__` of a NamedTuple: a third of the
    # time, for the ~100k imports of PyTorch converted as the scans come in.
    import_stmt = partial(tuple.__new__, ImportStmt)

    def py_from_plain(value: Any) -> PyScan:
        lines, imports, defs, all_names, error, generated = value
        return PyScan(lines, tuple(map(import_stmt, imports)), defs, all_names, error, generated)

    def native_from_plain(value: Any) -> NativeScan:
        lines, includes, error, declares = value
        return NativeScan(lines, includes, error, declares)  # includes stay plain tuples

    return py_from_plain, native_from_plain


class _HistoryReader:
    """The history (`_recent_history`) read in a thread once started: git runs in its own
    processes and this one scans or assembles meanwhile. Calling it waits for the result
    (reading it there and then when it was never started). It reads known line counts
    through a parse cache connection of its own (an SQLite connection is used by the
    thread that made it), by the cache's path."""

    def __init__(self, root: Path, head: str, cache_db: Path) -> None:
        self.args = (root, head, cache_db)
        self.thread: threading.Thread | None = None
        self.result: list[CommitRecord] | None = None
        self.error: BaseException | None = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="prready-history", daemon=True)
            self.thread.start()

    def wait(self) -> None:
        """Wait for a started read to end (before forking worker processes)."""
        if self.thread is not None:
            self.thread.join()

    def _run(self) -> None:
        try:
            self.result = _recent_history(*self.args)
        except BaseException as exc:  # raised again in the caller's thread
            self.error = exc

    def __call__(self) -> list[CommitRecord]:
        if self.thread is None:
            self._run()
        else:
            self.thread.join()
        if self.error is not None:
            raise self.error
        assert self.result is not None
        return self.result


def _recent_history(root: Path, head: str, cache_db: Path | None = None) -> list[CommitRecord]:
    """Commits in the 365 days before HEAD's own date (deterministic for a given HEAD).

    git's `--since` reads committer dates and the window is on author dates, so git is
    asked for a margin more and the exact cut is made here."""
    when = head_date(root, head)
    if not when:
        return []
    from prready.analysis.areas import churn_window_start

    start = churn_window_start(when)
    window = clock.iso(clock.parse_iso(start) - HISTORY_MARGIN)
    commits = read_history(root, since=window, rev=head)  # `head`'s, whatever HEAD is now
    # Line counts for the sizes of past fixes: a second pass over the newest commits only
    # (a diff per commit costs more than a list of names), none in a blobless clone.
    newest = [c.sha for c in commits[:LINE_COUNT_COMMITS]]
    lines = _line_counts(root, newest, cache_db) if newest else {}
    return [replace(c, lines=lines.get(c.sha)) for c in commits if c.date > start]


def _line_counts(root: Path, shas: list[str], cache_db: Path | None) -> dict[str, int]:
    """Line counts of these commits; those counted before come from the parse cache (a
    commit id fixes its diff), so after a new commit only that one is diffed: the diff
    of a repository's first commit alone costs seconds on PyTorch. All or nothing, as
    `read_line_counts`: {} when any commit's diff cannot be read."""
    if cache_db is None:
        counted = read_line_counts(root, commits=shas)
        return {sha: n for sha, n in counted.items() if n != NO_FIX}
    with ParseCache(cache_db) as cache:
        known = cache.load(LINE_COUNTER, shas)
        todo = [sha for sha in shas if not isinstance(known.get(sha), int)]
        fresh = read_line_counts(root, commits=todo) if todo else {}
        if todo and not fresh:
            return {}
        cache.save(LINE_COUNTER, fresh)
    known.update(fresh)
    return {sha: n for sha in shas if isinstance(n := known.get(sha), int) and n != NO_FIX}


def _contributing_guide(root: Path, tracked: set[str]) -> tuple[str, str]:
    """(path, text) of the contributing guide: CONTRIBUTING.md where GitHub looks for it (the
    root, .github/, docs/), in any case and as .rst or .txt too (flax's contributing.md);
    when that file only points elsewhere ("see https://docs.jax.dev/.../contributing.html"),
    the guide of the docs the checkout holds (jax's docs/contributing.md, flax's
    docs_nnx/contributing.md). ("", "") when there is none."""
    found = next((p for p in CONTRIBUTING_PATHS if _readable(root, p, tracked) is not None), "")
    if not found:
        wanted = {
            f"{folder}contributing{suffix}"
            for folder in ("", ".github/", "docs/")
            for suffix in (".md", ".rst", ".txt", "")
        }
        found = min((p for p in tracked if p.lower() in wanted), key=_guide_order, default="")
    text = _first_text(root, tracked, (found,)) if found else ""
    if not found or not _points_elsewhere(text):
        return found, text
    docs_guides = [
        p
        for p in tracked
        if p.rpartition("/")[2].lower() in ("contributing.md", "contributing.rst")
        and p.partition("/")[0].lower().startswith("doc")
    ]
    for guide in sorted(docs_guides, key=_guide_order):
        full = _first_text(root, tracked, (guide,))
        if full.strip() and not _points_elsewhere(full):
            return guide, full
    return found, text


def _guide_order(path: str) -> tuple[int, str]:
    return path.count("/"), path


MAX_POINTER_CHARS = 600  # a guide this short that links away is a pointer, not the guide


def _points_elsewhere(text: str) -> bool:
    """Whether a contributing file only sends the reader to another page (a short text
    with a link and no command or code block of its own)."""
    body = text.strip()
    return (
        len(body) <= MAX_POINTER_CHARS
        and ("http" in body or "](" in body)
        and "```" not in body
        and "\n    " not in body
    )


def _first_text(root: Path, tracked: set[str], candidates: Iterable[str]) -> str:
    for rel in candidates:
        readable = _readable(root, rel, tracked)
        if readable is not None:
            data = read_no_follow(str(root / readable), limit=MAX_TEXT_BYTES)
            if data is not None:
                return data.decode("utf-8", errors="replace")
    return ""


def _readable(root: Path, rel: str, tracked: set[str]) -> str | None:
    """`rel` if it is a tracked regular file, else the tracked regular file a symlink at
    `rel` leads to inside the checkout (peft's CONTRIBUTING.md links to
    docs/source/developer_guides/contributing.md), else None: never a file outside the
    checkout or one git does not track (`.git/config`)."""
    if rel in tracked:
        return rel
    path = root / rel
    if not path.is_symlink():
        return None
    base = os.path.realpath(root)
    target = os.path.realpath(path)
    if not target.startswith(base + os.sep):
        return None
    inside = os.path.relpath(target, base).replace(os.sep, "/")
    return inside if inside in tracked else None
