"""A cold map is assembled while its scans come in (`MapAssembly`), with one parse cache
connection per build: the map equals one assembled in one go whatever order and chunks
the Python scans arrive in, a scan with an error relinks the modules there are, and the
build opens the cache once (plus one connection in each thread that writes or reads it)."""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import prready.store.parse_cache as parse_cache
from gitfixtures import commit_files
from mapfixtures import assemble_in_one_go, make_map_repo, map_code
from prready.analysis.codemap import MapAssembly, RepoFacts
from prready.analysis.layout import select_sources
from prready.analysis.native import NativeScan
from prready.analysis.pyscan import PyScan
from prready.app.map import ScanStats, scan_sources
from prready.code_models import CodeMap
from prready.paths import resolve_paths
from prready.render.map import code_map_json
from prready.sources.git_repo import read_listing
from prready.store.parse_cache import ParseCache


def _scanned(root: Path, tmp_path: Path) -> tuple[list, dict, dict[str, PyScan], dict]:
    selection = select_sources(read_listing(root).files())
    with ParseCache(tmp_path / "scans.sqlite3") as cache:
        py_scans, native_scans = scan_sources(root, selection.sources, cache, workers=1)
    return selection.sources, selection.skipped, py_scans, native_scans


def _map(assembly: MapAssembly, root: Path, skipped: dict[str, list[str]]) -> CodeMap:
    return assembly.finish("me/mylib", str(root), "HEAD", skipped, RepoFacts())


def _in_one_go(
    root: Path,
    sources: list,
    skipped: dict[str, list[str]],
    py_scans: dict[str, PyScan],
    native_scans: dict[str, NativeScan],
) -> CodeMap:
    return assemble_in_one_go(
        "me/mylib", str(root), "HEAD", sources, py_scans, native_scans, skipped, RepoFacts()
    )


def test_scans_fed_in_any_order_give_the_map_of_one_go(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    sources, skipped, py_scans, native_scans = _scanned(root, tmp_path)
    # The fixture's unreadable and undecodable files aside: every other scan is clean.
    clean = [s for s in sources if s.language != "python" or not py_scans[s.path].error]
    scans = {s.path: py_scans[s.path] for s in clean if s.language == "python"}
    assert len(scans) >= 8
    expected = _in_one_go(root, clean, skipped, scans, native_scans)

    assembly = MapAssembly(clean, native_scans, {})
    order = list(reversed(scans.items()))  # the last module first: nothing links until
    for i, (path, scan) in enumerate(order):  # the first one is in, then all at once
        assembly.add_python({path: scan})
        assert assembly.linked == (len(order) if i == len(order) - 1 else 0)
    cm = _map(assembly, root, skipped)
    assert assembly.clean
    assert code_map_json(cm) == code_map_json(expected)
    assert list(cm.graph.edges(data=True)) == list(expected.graph.edges(data=True))

    assembly = MapAssembly(clean, native_scans, {})
    items = list(scans.items())
    for at in range(0, len(items), 3):  # in source order, three at a time
        assembly.add_python(dict(items[at : at + 3]))
        assert assembly.linked == min(at + 3, len(items))
    assert code_map_json(_map(assembly, root, skipped)) == code_map_json(expected)

    # The links made as scans come in equal those made afterwards from all of them (the
    # separate path a scan with an error takes), edge order included.
    relinked = MapAssembly(clean, native_scans, {})
    relinked.add_python(scans)
    relinked.clean = False
    after = _map(relinked, root, skipped)
    assert code_map_json(after) == code_map_json(expected)
    assert list(after.graph.edges(data=True)) == list(expected.graph.edges(data=True))


def test_a_scan_with_an_error_relinks_the_modules_there_are(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    sources, skipped, py_scans, native_scans = _scanned(root, tmp_path)
    clean = [s for s in sources if s.language != "python" or not py_scans[s.path].error]
    scans = {s.path: py_scans[s.path] for s in clean if s.language == "python"}
    broken = "src/mylib/core.py"
    assert any("core" in i.module for s in scans.values() for i in s.imports)
    with_error = {**scans, broken: scans[broken]._replace(error="syntax error")}
    items = list(with_error.items())
    at = [path for path, _ in items].index(broken)
    assert at > 0

    assembly = MapAssembly(clean, native_scans, {})
    assembly.add_python(dict(items[:at]))  # linked as they come ...
    assert assembly.linked == at and assembly.clean
    assembly.add_python(dict(items[at:]))  # ... until a scan with an error comes in
    cm = _map(assembly, root, skipped)
    assert not assembly.clean
    assert "mylib.core" not in cm.modules
    assert broken in cm.skipped["syntax error"]
    assert not any(b == "mylib.core" for _, b in cm.graph.edges())
    expected = _in_one_go(root, clean, skipped, with_error, native_scans)
    assert code_map_json(cm) == code_map_json(expected)
    assert list(cm.modules) == list(expected.modules)


def _areas(cm: CodeMap) -> list[tuple[str, str]]:
    return [(module, cm.area_of(module)) for module in cm.modules]


def test_areas_placed_while_scanning_are_those_of_the_finished_map(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    sources, skipped, py_scans, native_scans = _scanned(root, tmp_path)
    clean = [s for s in sources if s.language != "python" or not py_scans[s.path].error]
    scans = {s.path: py_scans[s.path] for s in clean if s.language == "python"}
    broken = "src/mylib/core.py"
    with_error = {**scans, broken: scans[broken]._replace(error="syntax error")}

    def finished(fed: dict[str, PyScan], placed: int | str | None, depth: int | None) -> CodeMap:
        assembly = MapAssembly(clean, native_scans, {})
        if placed != "no":
            assembly.place_areas(placed if isinstance(placed, int) else None)
            assert assembly.areas is not None  # before any Python scan is in
        assembly.add_python(fed)
        return assembly.finish(
            "me/mylib", str(root), "HEAD", skipped, RepoFacts(), area_depth=depth
        )

    for depth in (None, 1):
        expected = finished(scans, "no", depth)
        cm = finished(scans, depth, depth)
        assert _areas(cm) == _areas(expected)
        placed = MapAssembly(clean, native_scans, {})
        placed.place_areas(depth)
        assert placed.areas == (depth, dict(_areas(expected)))
        assert code_map_json(cm) == code_map_json(expected)
    assert _areas(finished(scans, "no", None)) != _areas(finished(scans, "no", 1))
    # Placed for another depth, or with a scan that has an error: assigned again.
    assert _areas(finished(scans, 1, None)) == _areas(finished(scans, "no", None))
    cm = finished(with_error, None, None)
    assert "mylib.core" not in cm.modules
    assert code_map_json(cm) == code_map_json(finished(with_error, "no", None))


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Connections made to the parse cache, by the name of the thread that made them."""
    counts: Counter[str] = Counter()
    connect = parse_cache.connect

    def counting(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        counts[threading.current_thread().name] += 1
        return connect(*args, **kwargs)

    monkeypatch.setattr(parse_cache, "connect", counting)
    return counts


def test_a_map_build_opens_the_parse_cache_once(tmp_path: Path, opened: Counter[str]) -> None:
    root = make_map_repo(tmp_path)
    stats = ScanStats()
    map_code("me/mylib", resolve_paths(), checkout=root, stats=stats)
    assert stats.scanned > 0 and not stats.incremental
    # The build's own connection, the writer thread's (new scans) and the history
    # reader's (known line counts): each thread one.
    assert opened == {"MainThread": 1, "prready-store": 1, "prready-history": 1}

    opened.clear()
    stats = ScanStats()
    map_code("me/mylib", resolve_paths(), checkout=root, stats=stats)
    assert stats.snapshot
    assert opened == {"MainThread": 1}  # restored whole: no thread started

    opened.clear()
    core = root / "src/mylib/core.py"
    core.write_text(core.read_text(encoding="utf-8") + "\nimport os\n", encoding="utf-8")
    commit_files(root, {}, "edit")
    stats = ScanStats()
    map_code("me/mylib", resolve_paths(), checkout=root, stats=stats)
    assert stats.incremental and stats.scanned == 1
    assert opened == {"MainThread": 1, "prready-history": 1}  # rescans stored in the build's


def test_a_scan_writer_that_cannot_write_drains_its_jobs_quietly(tmp_path: Path) -> None:
    """A parse cache that cannot be opened (here a folder where the file should be) only
    costs a rescan next time: the writer takes every job, and no error escapes its thread."""
    from prready.app.map import ScanWriter

    escaped: list[BaseException | None] = []
    hook = threading.excepthook
    threading.excepthook = lambda args: escaped.append(args.exc_value)
    try:
        not_a_file = tmp_path / "cache.sqlite3"
        not_a_file.mkdir()
        writer = ScanWriter(not_a_file)
        for k in range(3):
            writer.write({f"blob{k}": b"data"}, {})
        writer.join()
    finally:
        threading.excepthook = hook
    assert escaped == []
    assert writer.jobs.empty() and writer.thread is None


def test_a_workers_memo_is_kept_across_chunks_and_changes_no_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prready.app.map as map_app

    files = {
        "a.py": "import torch\nfrom . import b\n",
        "b.py": "import torch\ndef f():\n    import torch\n",
        "c.py": "if True:\n    import torch; import os\nimport torch\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    chunks = [[(name, "blob", "python")] for name in files]
    monkeypatch.setattr(map_app, "_WORKER_MEMO", [])
    kept = [map_app._scan_chunk(str(tmp_path), chunk) for chunk in chunks]  # as a worker
    fresh = [map_app._scan_chunk(str(tmp_path), c, None, {}, map_app._new_memo()) for c in chunks]
    assert kept == fresh
    memo = map_app.worker_memo()
    assert memo is map_app.worker_memo()
    assert "import torch" in memo.imports  # parsed in the first chunk, reused by the others
    monkeypatch.setattr(map_app, "WORKER_MEMO_MAX", len(memo.imports) - 1)
    assert map_app.worker_memo() is not memo  # grown past the bound: replaced


def test_a_stored_python_scan_converts_back_to_the_scan() -> None:
    from prready.analysis.pyscan import ImportStmt, scan_python
    from prready.app.map import _plain_py, _py_from_plain

    scan = scan_python(
        "import os.path as p, sys\nfrom . import (a, b as c)\n"
        "def f():\n    from ..x import *\n__all__ = ['f']\n"
    )
    assert len(scan.imports) == 4
    back = _py_from_plain(_plain_py(scan))
    assert back == scan
    assert all(type(i) is ImportStmt for i in back.imports)
    assert [(i.module, i.alias, i.conditional) for i in back.imports] == [
        ("os.path", "p", False),
        ("sys", "", False),
        ("", "", False),
        ("x", "", True),
    ]
