"""The mapping index's lexical fields extracted by the map's own scanning workers
(`retrieval.prefetch_index`): the index it leads to is the one built after the map,
whatever the map scanned, and its rows follow the parse cache's rules (by blob id,
damaged ones replaced)."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from mapfixtures import index_code, map_code
from prready.analysis.layout import SourceFile
from prready.analysis.lexicon import source_fields_packed
from prready.analysis.mapping import library_source_paths, library_units
from prready.app.map import build_code_map
from prready.app.retrieval import LEX_SCANNER, IndexPrefetch, prefetch_index
from prready.code_models import HistoryCommit
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


def test_library_paths_from_sources_are_the_library_units(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    code_map = map_code("acme/pkg", paths, checkout=root)
    units = {code_map.modules[u].path for u in library_units(code_map)}
    sources = [(info.path, info.language) for info in code_map.modules.values()]
    assert set(library_source_paths(sources)) == units
    assert "pkg/loader.py" in units and "pkg/native/kernel.cpp" in units
    assert not units & {"tests/test_loader.py", "docs/conf.py", "pkg/include/ATen/copy.h"}


def _library_blobs(root: Path, code_map: object) -> dict[str, str]:
    blobs = {f.path: f.blob for f in list_files(root)}
    library = {code_map.modules[u].path for u in library_units(code_map)}  # type: ignore[attr-defined]
    return {p: b for p, b in blobs.items() if p in library}


def test_the_map_workers_fields_are_the_index_built_after_the_map(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "prefetched")
    plain_map = map_code("acme/pkg", plain_paths, checkout=root)
    plain = index_code(plain_map, plain_paths)

    handle = prefetch_index(paths.cache_db)
    code_map = map_code("acme/pkg", paths, checkout=root, on_sources=handle)
    # The map's workers extracted the library files' fields, and only theirs, from the
    # bytes they read: what the index's own scan gives.
    library = _library_blobs(root, code_map)
    assert handle.fields.keys() == set(library.values())
    for path, blob in library.items():
        packed = source_fields_packed(
            (root / path).read_bytes(),
            code_map.modules[
                next(u for u, i in code_map.modules.items() if i.path == path)
            ].language,
        )
        assert marshal.loads(handle.fields[blob]) == packed
    with ParseCache(paths.cache_db) as cache:
        assert cache.known(LEX_SCANNER, library.values()) == set()  # not stored yet
    index = index_code(code_map, paths, held=handle)
    assert handle.fields == {} and handle.root is None  # taken over and forgotten
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    with ParseCache(paths.cache_db) as cache:  # stored by the index, by blob id
        assert cache.known(LEX_SCANNER, library.values()) == set(library.values())
    # Warm: a restored map does not call the hook, and the stored index is the same.
    warm = prefetch_index(paths.cache_db)
    warm_map = map_code("acme/pkg", paths, checkout=root, on_sources=warm)
    assert warm.root is None and warm.fields == {}
    warm_index = index_code(warm_map, paths, held=warm)
    assert warm_index.lexical.to_plain() == plain.lexical.to_plain()


def test_a_map_without_the_hook_extracts_nothing(tmp_path: Path) -> None:
    """`prready map` alone: its workers give the map's results only, and a later index
    with a handle that no map called scans every library file itself."""
    root = _repo(tmp_path / "repo")
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "alone")
    plain = index_code(map_code("acme/pkg", plain_paths, checkout=root), plain_paths)
    code_map = map_code("acme/pkg", paths, checkout=root)
    with ParseCache(paths.cache_db) as cache:
        assert cache.known(LEX_SCANNER, (f.blob for f in list_files(root))) == set()
    handle = prefetch_index(paths.cache_db)
    index = index_code(code_map, paths, held=handle)
    assert index.lexical.to_plain() == plain.lexical.to_plain()


def test_files_whose_map_scan_was_cached_are_scanned_by_the_index(tmp_path: Path) -> None:
    """A cold map over a parse cache that holds some files' map scans (not their fields):
    those are not read by the map's workers, and the index scans them."""
    root = _repo(tmp_path / "repo")
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "partial")
    plain = index_code(map_code("acme/pkg", plain_paths, checkout=root), plain_paths)
    map_code("acme/pkg", paths, checkout=root)  # every map scan cached, no field
    changed = _repo(
        tmp_path / "changed", dict(_FILES, **{"pkg/extra.py": "def extra():\n    pass\n"})
    )
    handle = prefetch_index(paths.cache_db)
    code_map = map_code("acme/pkg", paths, checkout=changed, on_sources=handle)
    extra = {f.path: f.blob for f in list_files(changed)}["pkg/extra.py"]
    assert set(handle.fields) == {extra}  # the one file the map scanned
    index = index_code(code_map, paths, held=handle)
    assert set(index.lexical.names) == set(plain.lexical.names) | {"pkg.extra"}
    again = index_code(map_code("acme/pkg", plain_paths, checkout=changed), plain_paths)
    assert index.lexical.to_plain() == again.lexical.to_plain()


def test_damaged_rows_are_replaced_by_the_fields_the_map_extracted(tmp_path: Path) -> None:
    root = _repo(tmp_path / "repo")
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "damaged")
    plain = index_code(map_code("acme/pkg", plain_paths, checkout=root), plain_paths)
    blob = {f.path: f.blob for f in list_files(root)}["pkg/loader.py"]
    with ParseCache(paths.cache_db) as cache:
        cache.save(LEX_SCANNER, {blob: ("load shard", b"\x01", "", b"")})  # counts too few
    handle = prefetch_index(paths.cache_db)
    code_map = map_code("acme/pkg", paths, checkout=root, on_sources=handle)
    index = index_code(code_map, paths, held=handle)
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    with ParseCache(paths.cache_db) as cache:
        row = cache.load(LEX_SCANNER, [blob])[blob]
    assert row[0] != "load shard" and len(row[0].split()) == len(row[1])  # rewritten


def test_fields_of_another_checkout_are_used_by_blob_id_only(tmp_path: Path) -> None:
    """A handle last called for another checkout: its blob ids are not used, its fields
    (by blob id, what any checkout's same file gives) are."""
    first = _repo(tmp_path / "first")
    other_files = dict(
        _FILES, **{"pkg/saver.py": 'def save():\n    raise TypeError("quantized")\n'}
    )
    second = _repo(tmp_path / "second", other_files)
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "shared")
    plain = index_code(map_code("acme/pkg", plain_paths, checkout=second), plain_paths)
    handle = prefetch_index(paths.cache_db)
    map_code("acme/pkg", paths, checkout=first, on_sources=handle)
    assert handle.root == first and handle.fields
    code_map = map_code("acme/pkg", paths, checkout=second)  # no hook
    index = index_code(code_map, paths, held=handle)
    assert handle.root is None and handle.fields == {}
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    assert [h[0] for h in index.lexical.search({"quantized": 1.0})] == ["pkg.saver"]


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


def test_a_command_that_ends_before_the_index_stores_the_fields(tmp_path: Path) -> None:
    """The workspace holds the handle: closing it (the command ends: an error, Ctrl-C,
    nothing left to map) stores what the map's workers extracted, with the command's own
    cache connection open meanwhile, and the cache stays whole."""
    import sqlite3

    from prready.app.workspace import Workspace

    root = _repo(tmp_path / "repo")
    paths = _paths(tmp_path, "cache")
    with Workspace(paths) as ws:
        ws.cache.execute("SELECT 1")  # open, as `issues` and `demo` have it before the map
        handle = ws.hold(prefetch_index(paths.cache_db))
        assert ws.held(IndexPrefetch) is handle  # what `mapping_index` takes over
        code_map = build_code_map(ws, "acme/pkg", checkout=root, on_sources=handle)
        extracted = dict(handle.fields)
        assert extracted
    assert handle.fields == {}
    conn = sqlite3.connect(paths.cache_db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    with ParseCache(paths.cache_db) as cache:
        assert cache.load(LEX_SCANNER, extracted) == {
            b: marshal.loads(v) for b, v in extracted.items()
        }
    # What it stored is the index's, as if the index had scanned it.
    plain_paths = _paths(tmp_path, "plain")
    plain = index_code(map_code("acme/pkg", plain_paths, checkout=root), plain_paths)
    assert index_code(code_map, paths).lexical.to_plain() == plain.lexical.to_plain()


def test_a_second_map_stores_the_first_ones_fields(tmp_path: Path) -> None:
    """The handle called again (a second map) stores what it held for the first and asks
    for the second's files."""
    first, second = _repo(tmp_path / "first"), _repo(tmp_path / "second", {"lib/a.py": "x = 1\n"})
    paths = _paths(tmp_path, "cache")
    handle = prefetch_index(paths.cache_db)
    assert handle(first, _sources(first)) is handle
    assert "pkg/loader.py" in handle.paths and "tests/test_loader.py" not in handle.paths
    handle.add((("b" * 40, marshal.dumps(("x", b"\x01", "", b""))),))
    handle(second, _sources(second))
    assert handle.root == second and handle.fields == {} and handle.paths == {"lib/a.py"}
    with ParseCache(paths.cache_db) as cache:
        assert cache.load(LEX_SCANNER, ["b" * 40]) == {"b" * 40: ("x", b"\x01", "", b"")}
    handle.stop()
    assert handle.root is None and not handle.paths


def test_two_handles_hold_their_own_fields(tmp_path: Path) -> None:
    """Two handles on the same cache, each given to a map: each holds its map's fields;
    the latest held is the one the workspace gives."""
    from prready.app.workspace import Workspace

    root = _repo(tmp_path / "repo")
    with Workspace(_paths(tmp_path, "cache")) as ws:
        cache_db = ws.paths.cache_db
        first, second = (ws.hold(prefetch_index(cache_db)) for _ in range(2))
        assert ws.held(IndexPrefetch) is second
        map_code("acme/pkg", _paths(tmp_path, "a"), checkout=root, on_sources=first)
        assert first.fields and second.fields == {}
        map_code("acme/pkg", _paths(tmp_path, "b"), checkout=root, on_sources=second)
        assert second.fields == first.fields


def _sources(root: Path) -> list[SourceFile]:
    return [
        SourceFile(f.path, f.blob, "python", 0) for f in list_files(root) if f.path.endswith(".py")
    ]


def _pooled_files() -> dict[str, str]:
    """Enough library files for the map to scan them with a pool of workers."""
    from prready.app.map import POOL_MIN_FILES

    files = dict(_FILES)
    for i in range(POOL_MIN_FILES + 40):
        files[f"pkg/ops/op_{i}.py"] = (
            f'"""Operator {i}: fused kernel number {i}."""\n'
            f"from pkg.loader import load_shard\n\n"
            f"def run_op_{i}(x):\n    raise ValueError('op {i} got a bad shape')\n"
        )
    files["pkg/ops/__init__.py"] = ""
    files["pkg/ops/op_0.py"] += "\n\nclass FusedOp(ShardSaver):\n    pass\n"
    return files


def test_a_pooled_map_builds_the_index_on_its_worker(tmp_path: Path) -> None:
    """With a pool, a map that extracted every library unit's fields hands the lexical
    build to one of its workers while it assembles the map: the index and the stored rows
    are those of the build after the map."""
    root = _repo(tmp_path / "repo", _pooled_files())
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "prefetched")
    plain = index_code(map_code("acme/pkg", plain_paths, checkout=root), plain_paths)

    handle = prefetch_index(paths.cache_db)
    code_map = map_code("acme/pkg", paths, checkout=root, on_sources=handle, workers=2)
    assert handle.building is not None  # handed to a worker
    assert handle.building.library == frozenset(library_units(code_map))
    index = index_code(code_map, paths, held=handle)
    assert handle.building is None
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    assert index.library == plain.library
    assert index.class_bases == plain.class_bases == {"pkg.ops.op_0": {"FusedOp": ("ShardSaver",)}}
    library = _library_blobs(root, code_map)
    with ParseCache(paths.cache_db) as cache:  # the fields stored, by blob id
        assert cache.known(LEX_SCANNER, library.values()) == set(library.values())
        stored = cache.load(LEX_SCANNER, library.values())
    loader = (root / "pkg/loader.py").read_bytes()
    assert stored[library["pkg/loader.py"]] == source_fields_packed(loader, "python")
    # Warm: the index the worker built was stored under the map's key.
    warm_map = map_code("acme/pkg", paths, checkout=root)
    warm = index_code(warm_map, paths)
    assert warm.lexical.to_plain() == plain.lexical.to_plain()
    assert warm.class_bases == plain.class_bases


def test_the_worker_build_starts_the_fields_store_and_the_history_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the map hands the lexical build to its worker, threads store the extracted
    fields and read the history (at the map's commit) while the map is assembled: the
    index that follows reads neither again, and holds what a build after the map holds."""
    import prready.app.retrieval as retrieval

    files = _pooled_files()
    fix = HistoryCommit(
        author_name="B",
        author_email="b@example.com",
        date="2026-01-02T00:00:00Z",
        message="Fix the shard check in load_shard",
        writes={"pkg/loader.py": files["pkg/loader.py"] + "\nCHECKED = True\n"},
    )
    root = tmp_path / "repo"
    build_repo(
        root, [HistoryCommit("A", "a@example.com", "2026-01-01T00:00:00Z", "Add", files), fix]
    )
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "prefetched")
    plain = index_code(map_code("acme/pkg", plain_paths, checkout=root), plain_paths)
    handle = prefetch_index(paths.cache_db)
    code_map = map_code("acme/pkg", paths, checkout=root, on_sources=handle, workers=2)
    building = handle.building
    assert building is not None and building.history is not None
    assert building.history.head == code_map.head and building.history.thread is not None
    assert handle.fields == {}  # the store thread's now
    for thread in building.storing:
        thread.join()
    library = _library_blobs(root, code_map)
    with ParseCache(paths.cache_db) as cache:  # stored before the index is asked for
        assert cache.known(LEX_SCANNER, library.values()) == set(library.values())
    reads: list[str] = []
    read = retrieval.recent_commits
    monkeypatch.setattr(
        retrieval, "recent_commits", lambda root, head="": reads.append(head) or read(root, head)
    )
    index = index_code(code_map, paths, held=handle)
    assert reads == []  # the history came from the thread started with the worker's build
    assert index.history is not None and plain.history is not None
    assert list(index.history.titles.values()) == ["Fix the shard check in load_shard"]
    assert index.history.titles == plain.history.titles
    assert index.history.files == plain.history.files
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    assert building.storing == [] and not building.history.thread.is_alive()


def test_no_early_history_read_when_stored_or_not_wanted(tmp_path: Path) -> None:
    """The worker's build starts no history read when the history of the map's commit is
    stored already, nor for a command that brings commits of its own (`backtest`): its
    `git log` and index would be thrown away."""
    root = _repo(tmp_path / "repo", _pooled_files())
    paths = _paths(tmp_path, "prefetched")
    handle = prefetch_index(paths.cache_db)
    code_map = map_code("acme/pkg", paths, checkout=root, on_sources=handle, workers=2)
    assert handle.building is not None and handle.building.history is not None
    first = index_code(code_map, paths, held=handle)  # stores the history of this commit
    with ParseCache(paths.cache_db) as cache:  # a cold map again, the history stored
        cache.conn.execute("DELETE FROM parse_snapshots WHERE key NOT LIKE 'history:%'")
        cache.conn.execute("DELETE FROM parse_results")
        cache.conn.commit()
    again = prefetch_index(paths.cache_db)
    code_map = map_code("acme/pkg", paths, checkout=root, on_sources=again, workers=2)
    assert again.building is not None and again.building.history is None
    assert index_code(code_map, paths, held=again).history == first.history
    other = _paths(tmp_path, "backtest")
    mine = prefetch_index(other.cache_db, history=False)
    code_map = map_code("acme/pkg", other, checkout=root, on_sources=mine, workers=2)
    assert mine.building is not None and mine.building.history is None
    index_code(code_map, other, held=mine)


def test_a_worker_build_over_other_units_is_not_used(tmp_path: Path) -> None:
    """A job built over units that are not the map's library (or one that failed) gives
    nothing: the index is built after the map as before."""
    from concurrent.futures import Future

    from prready.app.retrieval import Prebuilt

    done: Future[tuple[object, ...]] = Future()
    done.set_result(("not", "an", "index"))
    assert Prebuilt(frozenset({"a"}), done).plain({"a", "b"}) is None
    assert Prebuilt(frozenset({"a"}), done).plain({"a"}) == ("not", "an", "index")
    failed: Future[tuple[object, ...]] = Future()
    failed.set_exception(RuntimeError("worker died"))
    assert Prebuilt(frozenset({"a"}), failed).plain({"a"}) is None

    root = _repo(tmp_path / "repo", _pooled_files())
    plain_paths, paths = _paths(tmp_path, "plain"), _paths(tmp_path, "prefetched")
    plain = index_code(map_code("acme/pkg", plain_paths, checkout=root), plain_paths)
    handle = prefetch_index(paths.cache_db)
    code_map = map_code("acme/pkg", paths, checkout=root, on_sources=handle, workers=2)
    assert handle.building is not None
    handle.building.library = frozenset({"pkg.loader"})
    pool = handle.building.pool
    index = index_code(code_map, paths, held=handle)
    assert index.lexical.to_plain() == plain.lexical.to_plain()
    assert pool is not None and handle.building is None
    with pytest.raises(RuntimeError):  # the map's pool was shut down
        pool.submit(int)
