"""A cold map scanned by a pool counts its modules' transitive dependents on one of the
pool's workers while the rest of the map is built: the map is the one a single process
builds, and a worker that fails, or dies once the files are scanned, leaves the count
(and the lexical index's build) to the map's own process."""

from __future__ import annotations

import concurrent.futures
import os
import signal
import time
from pathlib import Path

import pytest

import prready.analysis.metrics as metrics
from prready.analysis.codemap import MapAssembly
from prready.app.map import POOL_MIN_FILES, ScanStats, build_code_map
from prready.app.retrieval import mapping_index, prefetch_index
from prready.app.workspace import Workspace
from prready.code_models import CodeMap, HistoryCommit
from prready.paths import Paths, resolve_paths
from prready.render.map import code_map_json
from prready.sources.git_repo import build_repo


def _files() -> dict[str, str]:
    """A chain of modules (each imports the next), a cycle at its end, and C++ headers
    that include each other and that a Python module binds to: every kind of edge the
    count walks."""
    n = POOL_MIN_FILES + 40
    files = {"pkg/__init__.py": "from pkg import m0\n"}
    for i in range(n):
        nxt = f"from pkg import m{i + 1}\n" if i + 1 < n else "from pkg import m0\n"
        files[f"pkg/m{i}.py"] = f"{nxt}\ndef f{i}():\n    return {i}\n"
    for i in range(30):
        files[f"csrc/h{i}.h"] = f'#include "h{i + 1}.h"\n' if i < 29 else "int x;\n"
    files["csrc/module.cpp"] = (
        '#include "h0.h"\n#include <Python.h>\n'
        'static struct PyModuleDef m = {PyModuleDef_HEAD_INIT, "pkg._C"};\n'
    )
    files["pkg/m5.py"] = "import pkg._C\nfrom pkg import m6\n"
    return files


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    commit = HistoryCommit(
        author_name="A",
        author_email="a@example.com",
        date="2026-01-01T00:00:00Z",
        message="Add",
        writes=_files(),
    )
    build_repo(root, [commit])
    return root


def _cold_map(
    tmp_path: Path, root: Path, name: str, workers: int, *, index: bool = False
) -> tuple[CodeMap, ScanStats]:
    """A cold map (with `index`, as `plan` makes it: the mapping index built after it)."""
    home = resolve_paths()
    paths = Paths(cache=tmp_path / name, data=home.data, config=home.config)
    stats = ScanStats()
    with Workspace(paths) as ws:
        hook = ws.hold(prefetch_index(paths.cache_db)) if index else None
        cm = build_code_map(
            ws, "acme/pkg", checkout=root, workers=workers, stats=stats, on_sources=hook
        )
        if index:  # every library module in the lexical index, wherever it was built
            built = mapping_index(ws, cm)
            assert set(built.lexical.names) == built.library >= {"pkg.m7", "pkg.m200"}
    return cm, stats


def test_a_pool_counts_what_one_process_counts(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    pooled, pool_stats = _cold_map(tmp_path, root, "pooled", workers=2)
    alone, alone_stats = _cold_map(tmp_path, root, "alone", workers=1)
    assert (pool_stats.workers, alone_stats.workers) == (2, 1)
    assert code_map_json(pooled) == code_map_json(alone)
    blast = {n: m.dependents_transitive for n, m in pooled.modules.items()}
    # The cycle: every module of the chain reaches every other one.
    assert blast["pkg.m0"] == blast["pkg.m100"] >= POOL_MIN_FILES + 40
    # The headers: h29 is reached by the other headers, the binding file and Python.
    assert blast["csrc/h29.h"] > blast["csrc/h0.h"] > 0


def _failing(nodes, edges):  # top level: pickled by reference, runs in a forked worker
    raise RuntimeError("the worker's count failed")


def test_a_failed_count_on_a_worker_is_made_in_the_map_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _repo(tmp_path)
    alone, _ = _cold_map(tmp_path, root, "alone", workers=1)
    # Only the worker's job looks the function up in the module: the map's own count
    # (codemap's reference) is the real one.
    monkeypatch.setattr(metrics, "transitive_dependents", _failing)
    pooled, stats = _cold_map(tmp_path, root, "pooled", workers=2)
    assert stats.workers == 2
    assert code_map_json(pooled) == code_map_json(alone)


@pytest.mark.parametrize("index", [False, True])
def test_a_worker_that_dies_after_the_scan_leaves_the_work_to_the_map_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: bool
) -> None:
    """Every chunk is in, then a worker dies (the OOM killer, a kill): the pool is broken,
    and neither the count nor the lexical index's build can go to it."""
    root = _repo(tmp_path)
    alone, _ = _cold_map(tmp_path, root, "alone", workers=1)
    pools: list[concurrent.futures.ProcessPoolExecutor] = []

    class Recording(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Recording)
    real_infos = MapAssembly.module_infos

    def module_infos(self):  # type: ignore[no-untyped-def]
        # What `scanned` asks first, once every chunk is in: a worker dies now.
        pool = pools[0]
        if not pool._broken:  # type: ignore[attr-defined]
            os.kill(next(iter(pool._processes.values())).pid, signal.SIGKILL)  # type: ignore[attr-defined]
            deadline = time.monotonic() + 10
            while not pool._broken and time.monotonic() < deadline:  # type: ignore[attr-defined]
                time.sleep(0.01)
        return real_infos(self)

    monkeypatch.setattr(MapAssembly, "module_infos", module_infos)
    pooled, stats = _cold_map(tmp_path, root, "pooled", workers=2, index=index)
    assert stats.workers == 2 and pools and pools[0]._broken  # type: ignore[attr-defined]
    assert code_map_json(pooled) == code_map_json(alone)
