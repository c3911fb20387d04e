"""The mapping index's lexical scan started alongside the map (`retrieval.prefetch_index`):
the index it leads to is the one built after the map, whatever the background scan
finished, and its rows follow the parse cache's rules (by blob id, damaged ones scanned
again)."""

from __future__ import annotations

from pathlib import Path

from prready.analysis.layout import SourceFile
from prready.analysis.mapping import library_source_paths, library_units
from prready.app import retrieval
from prready.app.map import build_code_map
from prready.app.retrieval import LEX_SCANNER, IndexPrefetch, mapping_index, prefetch_index
from prready.models import HistoryCommit
from prready.paths import Paths, resolve_paths
from prready.sources.git_repo import build_repo, list_files
from prready.store.parse_cache import ParseCache

_FILES = {
    "pkg/__init__.py": '"""A small package."""\n',
    "pkg/loader.py": 'def load_shard(path):\n    raise OSError("checkpoint shard missing")\n',
    "pkg/saver.py": "class ShardSaver:\n    def save(self):\n        pass  # atomic rename\n",
    "pkg/native/kernel.cpp": "// fused adam step\nvoid fused_adam_step(float* p) {}\n",
    "pkg/include/ATen/copy.h": "// a header copy the build ships\nvoid copied(void);\n",
    "pkg/testing/helpers.py": "def make_tensor():\n    pass\n",
    "tests/test_loader.py": "import pkg.loader\n\ndef test_load():\n    pass\n",
    "docs/conf.py": "project = 'pkg'\n",
    "examples/train.py": "import pkg\n",
}


def _repo(root: Path, files: dict[str, str] | None = None) -> Path:
    commit = HistoryCommit(
        author_name="A",
        author_email="a@example.com",
        date="2026-01-01T00:00:00Z",
        message="Add the package",
        writes=files or _FILES,
    )
    build_repo(root, [commit])
    return root


def _paths(tmp_path: Path, name: str) -> Paths:
    home = resolve_paths()
    return Paths(cache=tmp_path / name, data=home.data, config=home.config)


def _finish_background_scan(handle: IndexPrefetch) -> None:
    running = handle.scan
    assert running is not None
    running.process.join(timeout=60)
    assert running.process.exitcode == 0


def test_library_paths_from_sources_are_the_library_units(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    code_map = build_code_map("acme/pkg", paths, checkout=root)
    units = {code_map.modules[u].path for u in library_units(code_map)}
    sources = [(info.path, info.language) for info in code_map.modules.values()]
    assert set(library_source_paths(sources)) == units
    assert "pkg/loader.py" in units and "pkg/native/kernel.cpp" in units
    assert not units & {"tests/test_loader.py", "docs/conf.py", "pkg/include/ATen/copy.h"}


def test_prefetched_index_is_the_index_built_after_the_map(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "prefetched")
    plain_map = build_code_map("acme/pkg", plain_paths, checkout=root)
    plain = mapping_index(plain_map, plain_paths.cache_db)

    handle = prefetch_index(paths.cache_db, min_files=0)
    code_map = build_code_map("acme/pkg", paths, checkout=root, on_sources=handle)
    running = handle.scan
    _finish_background_scan(handle)
    # The background scan stored the library files' fields, and only theirs.
    blobs = {f.path: f.blob for f in list_files(root)}
    with ParseCache(paths.cache_db) as cache:
        stored = cache.load(LEX_SCANNER, blobs.values())
    library = {code_map.modules[u].path for u in library_units(code_map)}
    assert {p for p, b in blobs.items() if b in stored} == library
    index = mapping_index(code_map, paths.cache_db, prefetch=handle)
    assert handle.scan is None and running is not None  # taken over, done and forgotten
    first, end = running.bounds[:]
    assert first >= end  # every chunk claimed
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    # Warm: a restored map starts no background scan, and the stored index is the same.
    warm = prefetch_index(paths.cache_db, min_files=0)
    warm_map = build_code_map("acme/pkg", paths, checkout=root, on_sources=warm)
    assert warm.scan is None
    warm_index = mapping_index(warm_map, paths.cache_db, prefetch=warm)
    assert warm_index.lexical.to_plain() == plain.lexical.to_plain()


def test_damaged_rows_left_by_the_background_scan_are_scanned_again(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "damaged")
    plain = mapping_index(
        build_code_map("acme/pkg", plain_paths, checkout=root), plain_paths.cache_db
    )
    blob = {f.path: f.blob for f in list_files(root)}["pkg/loader.py"]
    with ParseCache(paths.cache_db) as cache:
        cache.save(LEX_SCANNER, {blob: ("load shard", b"\x01", "", b"")})  # counts too few
    handle = prefetch_index(paths.cache_db, min_files=0)
    code_map = build_code_map("acme/pkg", paths, checkout=root, on_sources=handle)
    _finish_background_scan(handle)  # a stored row, damaged or not, is left alone
    index = mapping_index(code_map, paths.cache_db, prefetch=handle)
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    with ParseCache(paths.cache_db) as cache:
        row = cache.load(LEX_SCANNER, [blob])[blob]
    assert row[0] != "load shard" and len(row[0].split()) == len(row[1])  # rewritten


def test_a_background_scan_of_another_checkout_is_stopped_and_not_used(tmp_path: Path) -> None:
    first = _repo(tmp_path / "first")
    other_files = dict(
        _FILES, **{"pkg/saver.py": 'def save():\n    raise TypeError("quantized")\n'}
    )
    second = _repo(tmp_path / "second", other_files)
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "shared")
    plain = mapping_index(
        build_code_map("acme/pkg", plain_paths, checkout=second), plain_paths.cache_db
    )
    handle = prefetch_index(paths.cache_db, min_files=0)
    build_code_map("acme/pkg", paths, checkout=first, on_sources=handle)
    running = handle.scan
    assert running is not None and running.root == first
    code_map = build_code_map("acme/pkg", paths, checkout=second)  # no background scan
    index = mapping_index(code_map, paths.cache_db, prefetch=handle)
    assert handle.scan is None and not running.process.is_alive()  # stopped, not taken over
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    assert [h[0] for h in index.lexical.search({"quantized": 1.0})] == ["pkg.saver"]


def test_the_index_scans_the_chunks_left_from_the_back(tmp_path: Path) -> None:
    import multiprocessing

    root = _repo(tmp_path / "repo")
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "rest")
    plain = mapping_index(
        build_code_map("acme/pkg", plain_paths, checkout=root), plain_paths.cache_db
    )
    code_map = build_code_map("acme/pkg", paths, checkout=root)
    sources = [
        SourceFile(f.path, f.blob, code_map.modules[m].language, 0)
        for f in list_files(root)
        for m in code_map.modules
        if code_map.modules[m].path == f.path
    ]
    # A background process that claims nothing: every chunk is left to the index.
    context = multiprocessing.get_context("fork")
    idle = context.Process(target=len, args=((),), daemon=True)
    idle.start()
    wanted = set(library_source_paths((s.path, s.language) for s in sources))
    todo = sorted((s.path, s.blob, s.language) for s in sources if s.path in wanted)
    chunks = -(-len(todo) // retrieval.PREFETCH_CHUNK)
    left = retrieval._Prefetch(
        root, {s.path: s.blob for s in sources}, todo, context.Array("i", [0, chunks]), idle
    )
    handle = prefetch_index(paths.cache_db, min_files=0)
    handle.scan = left  # as if the handle had started it for this map
    seen: list[tuple[int, int]] = []
    index = retrieval.mapping_index(
        code_map,
        paths.cache_db,
        progress=lambda _stage, done, total: seen.append((done, total)),
        prefetch=handle,
    )
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    assert seen and seen[-1] == (len(todo), len(todo))
    assert list(left.bounds) == [0, 0]  # every chunk claimed, from the back
    assert handle.scan is None


def test_known_blobs_are_those_stored_for_the_scanner(tmp_path: Path) -> None:
    with ParseCache(tmp_path / "cache.sqlite3") as cache:
        cache.save(LEX_SCANNER, {"a" * 40: ("x", b"\x01", "", b"")})
        cache.save("other:1", {"b" * 40: ("x",)})
        cache.conn.execute(
            "INSERT INTO parse_results VALUES (?, ?, ?)", ("c" * 40, LEX_SCANNER, b"\xff")
        )
        cache.conn.commit()
        assert cache.known(LEX_SCANNER, ["a" * 40, "b" * 40, "c" * 40, "d" * 40]) == {
            "a" * 40,
            "c" * 40,  # a damaged row is known: loading it is a miss, scanned again then
        }
        assert cache.known(LEX_SCANNER, []) == set()


def test_a_command_that_ends_before_the_index_stops_the_background_scan(tmp_path: Path) -> None:
    """The workspace owns the scan: closing it (the command ends: an error, Ctrl-C, nothing
    left to map) stops and reaps the process, with the command's own cache connection open
    while it ran, and the cache stays whole."""
    import sqlite3

    from prready.app.workspace import Workspace

    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    with Workspace(paths) as ws:
        ws.cache.execute("SELECT 1")  # open, as `issues` and `demo` have it before the map
        handle = ws.hold(prefetch_index(paths.cache_db, min_files=0))
        assert ws.held(IndexPrefetch) is handle  # what `assessments` passes `mapping_index`
        build_code_map("acme/pkg", paths, checkout=root, on_sources=handle)
        running = handle.scan
        assert running is not None and running.process.is_alive()
    assert handle.scan is None
    assert not running.process.is_alive()
    assert running.process.exitcode == 0
    conn = sqlite3.connect(paths.cache_db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    # What it stored before it stopped is the index's, as if the index had scanned it.
    assert mapping_index(build_code_map("acme/pkg", paths, checkout=root), paths.cache_db)


def test_the_background_scan_is_a_fresh_process_not_a_fork(tmp_path: Path) -> None:
    """SQLite's locks do not survive fork(): the scan must not inherit open connections."""
    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    handle = prefetch_index(paths.cache_db, min_files=0)
    build_code_map("acme/pkg", paths, checkout=root, on_sources=handle)
    running = handle.scan
    assert running is not None
    try:
        assert type(running.process).__name__ == "SpawnProcess"
    finally:
        handle.stop()
    assert handle.scan is None
    assert not running.process.is_alive()


def test_a_small_library_is_scanned_by_the_index_alone(tmp_path: Path) -> None:
    """A fresh process costs more than scanning a few hundred files: none is started."""
    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    handle = prefetch_index(paths.cache_db)
    build_code_map("acme/pkg", paths, checkout=root, on_sources=handle)
    assert handle.scan is None


def test_a_second_map_replaces_the_running_scan(tmp_path: Path) -> None:
    """The handle called again (a second map) stops the scan it started for the first and
    holds the new one; stopping it stops that one."""
    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    handle = prefetch_index(paths.cache_db, min_files=0)
    handle(root, _sources(root))
    replaced = handle.scan
    assert replaced is not None
    handle(root, _sources(root))
    assert not replaced.process.is_alive()  # stopped when the second scan started
    running = handle.scan
    assert running is not None and running is not replaced
    handle.stop()
    assert handle.scan is None and not running.process.is_alive()


def test_a_handle_stops_only_its_own_scan(tmp_path: Path) -> None:
    """Two handles on the same cache: stopping the first leaves the second's scan running,
    and the second's handle stops it; the latest held is the one the workspace gives."""
    from prready.app.workspace import Workspace

    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    with Workspace(paths) as ws:
        first, second = (ws.hold(prefetch_index(paths.cache_db, min_files=0)) for _ in range(2))
        assert ws.held(IndexPrefetch) is second
        first(root, _sources(root))
        second(root, _sources(root))
        stopped, running = first.scan, second.scan
        assert stopped is not None and running is not None and stopped is not running
        first.stop()
        assert not stopped.process.is_alive()
        assert second.scan is running  # still held, to be taken over or stopped
        second.stop()
        assert second.scan is None
        assert not running.process.is_alive()


def _sources(root: Path) -> list[SourceFile]:
    return [
        SourceFile(f.path, f.blob, "python", 0) for f in list_files(root) if f.path.endswith(".py")
    ]
