"""The scanning pool: chunks sized by bytes and capped by count, and a pool of worker
processes returns exactly what one process does."""

from __future__ import annotations

from pathlib import Path

import pytest

from prready.analysis.layout import SourceFile
from prready.app import map as map_app
from prready.app.map import CHUNK_BYTES, CHUNK_FILES, POOL_MIN_FILES, ScanStats


def _source(path: str, size: int) -> SourceFile:
    language = "python" if path.endswith(".py") else "cpp"
    return SourceFile(path, f"blob-{path}", language, size)


def _decoded(results: dict[str, bytes | None]) -> dict[str, object]:
    import marshal

    return {p: None if d is None else marshal.loads(d) for p, d in results.items()}


def _scan(
    root: Path, sources: list[SourceFile], workers: int, stats: ScanStats, mark_at: int
) -> tuple[dict[str, bytes | None], list[str], list[int]]:
    """`_scan_files`' results by path, the paths in the order they came, and how many
    files were in each time the mark's callback ran."""
    results: dict[str, bytes | None] = {}
    order: list[str] = []
    marks: list[int] = []

    def take(pairs: tuple[tuple[str, bytes | None], ...]) -> None:
        for path, data in pairs:
            results[path] = data
            order.append(path)

    map_app._scan_files(
        root, sources, None, workers, stats, take, (mark_at, lambda: marks.append(len(order)))
    )
    return results, order, marks


def test_chunks_close_at_the_byte_budget_or_the_file_cap() -> None:
    big = [_source(f"b{i}.py", CHUNK_BYTES // 2) for i in range(5)]
    small = [_source(f"s{i}.h", 1) for i in range(CHUNK_FILES + 3)]
    chunks = map_app._chunks(big + small)
    assert [len(c) for c in chunks] == [2, 2, 1 + CHUNK_FILES - 1, 4]
    assert [job for chunk in chunks for job in chunk] == [
        (s.path, s.blob, s.language) for s in big + small
    ]


def test_pool_results_equal_one_process(tmp_path: Path) -> None:
    sources = []
    for i in range(POOL_MIN_FILES + 20):
        if i % 3:
            rel = f"pkg/m{i}.py"
            text = f"import os\nfrom . import m{i + 1}\n\ndef f{i}():\n    import json\n"
        else:
            rel = f"csrc/f{i}.h"
            text = f'#include "f{i + 3}.h"\n#include <vector>\n'
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        sources.append(_source(rel, len(text)))
    (tmp_path / "pkg/__init__.py").write_text("")
    serial_stats, pool_stats = ScanStats(), ScanStats()
    serial_raw, serial_order, serial_marks = _scan(tmp_path, sources, 1, serial_stats, 100)
    pooled_raw, pooled_order, pooled_marks = _scan(tmp_path, sources, 2, pool_stats, 100)
    serial, pooled = _decoded(serial_raw), _decoded(pooled_raw)
    assert (serial_stats.workers, pool_stats.workers) == (1, 2)
    assert pooled == serial
    assert len(serial) == len(sources)
    assert serial["pkg/m1.py"][1][2][4] is True  # `import json` inside f1: conditional
    # Results come in the order of the jobs; the mark runs once, when its files are in.
    assert serial_order == pooled_order == [s.path for s in sources]
    assert serial_marks == pooled_marks and len(serial_marks) == 1
    assert 100 <= serial_marks[0] <= 100 + CHUNK_FILES
    assert _scan(tmp_path, sources[:3], 1, ScanStats(), 0)[2] == [0]  # at once


def test_worker_results_are_what_to_plain_makes() -> None:
    """The workers' own plain forms equal the generic `to_plain` and marshal cleanly."""
    import marshal

    from prready.analysis.native import scan_native_bytes
    from prready.analysis.pyscan import scan_python_bytes
    from prready.store.parse_cache import to_plain

    py = scan_python_bytes(
        b"from .a import (b as c, d)\nimport e.f as g\n__all__ = ['h']\ndef h():\n    import i\n"
    )
    native = scan_native_bytes(b'#include "x.h"\n#include <y/z.h>\nPYBIND11_MODULE(_m, m) {}\n')
    for plain, scan in ((map_app._plain_py(py), py), (map_app._plain_native(native), native)):
        assert plain == to_plain(scan)
        assert type(plain) is tuple and all(type(item) is tuple for item in plain[1])
        assert marshal.loads(marshal.dumps(plain)) == plain


def test_read_no_follow_reads_whole_files_up_to_the_limit(tmp_path: Path) -> None:
    data = bytes(range(256)) * 40
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    read = map_app.read_no_follow
    assert read(str(path), None) == data
    assert [read(str(path), n) for n in (1, 100, len(data), len(data) + 1)] == [
        data[:1],
        data[:100],
        data,
        data,
    ]
    (tmp_path / "empty").write_bytes(b"")
    assert read(str(tmp_path / "empty"), None) == b""
    (tmp_path / "link").symlink_to(path)
    assert read(str(tmp_path / "link"), None) is None
    assert read(str(tmp_path), None) is None  # a folder
    assert read(str(tmp_path / "absent"), None) is None
    proc = Path("/proc/self/status")  # size 0 by fstat, content on read: read to the end
    if proc.exists():
        text = read(str(proc), None)
        assert text is not None and text.startswith(b"Name:") and text.endswith(b"\n")


def test_a_file_past_the_source_limit_is_never_read_whole(tmp_path: Path) -> None:
    """A file listed as a small source that holds more than a source may (it grew since,
    or git's index keeps its size modulo 2**32) comes back too large, unread."""
    import marshal

    from prready.analysis.layout import MAX_SOURCE_BYTES

    (tmp_path / "big.py").write_bytes(b"x = 1\n" * (MAX_SOURCE_BYTES // 6 + 1))
    (tmp_path / "edge.py").write_bytes(b"#" * (MAX_SOURCE_BYTES - 1) + b"\n")
    chunk = [("big.py", "b1", "python"), ("edge.py", "b2", "python"), ("gone.py", "b3", "python")]
    big, edge, gone = marshal.loads(map_app._scan_chunk(str(tmp_path), chunk))
    assert big == ("big.py", map_app.TOO_LARGE) and gone == ("gone.py", None)
    assert edge[0] == "edge.py" and marshal.loads(edge[1])[0] == 1  # one line, read whole


def test_a_source_found_too_large_when_read_is_skipped_so_and_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The map reports such a file as "too-large" (as the selection would have, had it
    known the size); its result is not cached: the next map reads it again."""
    import prready.analysis.layout as layout
    from mapfixtures import map_code
    from prready.code_models import HistoryCommit
    from prready.paths import resolve_paths
    from prready.sources.git_repo import build_repo

    root = tmp_path / "repo"
    files = {"pkg/__init__.py": "", "pkg/a.py": "import os\n" * 30, "pkg/b.py": "x = 1\n"}
    build_repo(root, [HistoryCommit("A", "a@example.com", "2026-01-01T00:00:00Z", "add", files)])
    limit = layout.MAX_SOURCE_BYTES
    monkeypatch.setattr(layout, "MAX_SOURCE_BYTES", 100)  # read so; selected at 2 MB
    stats = ScanStats()
    cm = map_code("acme/pkg", resolve_paths(), checkout=root, stats=stats)
    assert cm.skipped.get("too-large") == ["pkg/a.py"] and "pkg.a" not in cm.modules
    monkeypatch.setattr(layout, "MAX_SOURCE_BYTES", limit)
    (root / "pkg/b.py").write_text("x = 2\n")  # a new map: neither restored nor updated
    stats = ScanStats()
    again = map_code("acme/pkg", resolve_paths(), checkout=root, stats=stats)
    assert "pkg.a" in again.modules and "too-large" not in again.skipped
    # pkg/a.py read again (b.py's new scan was cached by the update that gave up).
    assert not stats.incremental and (stats.scanned, stats.cached) == (1, 2)


class _Fields:
    """A LexicalPass collecting what the workers hand in."""

    def __init__(self, paths: set[str]) -> None:
        self.paths = paths
        self.got: list[tuple[str, bytes]] = []

    def add(self, fields: tuple[tuple[str, bytes], ...]) -> None:
        self.got.extend(fields)


def test_workers_extract_the_lexical_fields_asked_for_from_the_same_read(tmp_path: Path) -> None:
    """With a LexicalPass, the pool's and one process's workers give the same map results
    as without, and the fields of exactly the files asked for (by blob id), equal to
    `source_fields_packed` of their bytes."""
    import marshal

    from prready.analysis.lexicon import source_fields_packed

    sources = []
    for i in range(POOL_MIN_FILES + 20):
        rel = f"pkg/m{i}.py" if i % 4 else f"csrc/k{i}.cpp"
        text = (
            f'def load_shard_{i}(path):\n    raise OSError("shard {i} missing")  # retry\n'
            if i % 4
            else f"// fused step {i}\nvoid fused_step_{i}(float* p) {{}}\n"
        )
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
        sources.append(_source(rel, len(text)))
    wanted = {s.path for s in sources[::3]} | {"pkg/absent.py"}
    plain, _, _ = _scan(tmp_path, sources, 2, ScanStats(), 0)
    for workers in (1, 2):
        fields = _Fields(wanted)
        results: dict[str, bytes | None] = {}
        map_app._scan_files(
            tmp_path, sources, None, workers, ScanStats(), results.update, (0, lambda: None), fields
        )
        assert _decoded(results) == _decoded(plain)
        by_blob = dict(fields.got)
        assert len(by_blob) == len(fields.got) == len(sources[::3])
        for s in sources[::3]:
            expected = source_fields_packed((tmp_path / s.path).read_bytes(), s.language)
            assert marshal.loads(by_blob[s.blob]) == expected
            assert expected[0]  # a defined name, at least


_NATIVE = {
    "pkg/__init__.py": "",
    "pkg/b.py": "x = 1\n",
    "csrc/ops.h": "#pragma once\nint add(int a, int b);\n",
    "csrc/ops.cpp": '#include "ops.h"\n' + "// filler\n" * 20 + "int add(int a, int b);\n",
}


@pytest.mark.parametrize("failure", ["too-large", "unreadable"])
def test_include_links_made_without_a_file_read_whole_are_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """A C++ file that could not be read whole (found too large, or unreadable as after a
    `chmod 000`) is read again by the next map: so are its includes, not taken from links
    made without them."""
    import prready.analysis.layout as layout
    from mapfixtures import map_code
    from prready.code_models import HistoryCommit
    from prready.paths import resolve_paths
    from prready.sources.git_repo import build_repo

    root = tmp_path / "repo"
    build_repo(root, [HistoryCommit("A", "a@example.com", "2026-01-01T00:00:00Z", "add", _NATIVE)])
    limit, real = layout.MAX_SOURCE_BYTES, map_app.read_no_follow
    if failure == "too-large":
        monkeypatch.setattr(layout, "MAX_SOURCE_BYTES", 100)
    else:

        def unreadable(path: str, limit: int | None) -> bytes | None:
            return None if path.endswith("ops.cpp") else real(path, limit)

        monkeypatch.setattr(map_app, "read_no_follow", unreadable)
    cm = map_code("acme/pkg", resolve_paths(), checkout=root)
    assert cm.skipped.get(failure) == ["csrc/ops.cpp"]
    monkeypatch.setattr(layout, "MAX_SOURCE_BYTES", limit)  # (not undo: it is the home too)
    monkeypatch.setattr(map_app, "read_no_follow", real)
    (root / "pkg/b.py").write_text("x = 2\n")  # a new map: read again, linked again
    again = map_code("acme/pkg", resolve_paths(), checkout=root)
    assert failure not in again.skipped
    includes = [(a, b) for a, b, d in again.graph.edges(data=True) if d["kind"] == "include"]
    assert includes == [("csrc/ops.cpp", "csrc/ops.h")]


def test_updates_resume_after_a_source_the_index_sized_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file past 4 GiB, whose size git's index keeps modulo 2**32, is selected by the
    first map and found too large when read: the next map selects from the file system
    (one cold map), and the maps after it are updates again."""
    from mapfixtures import map_code
    from prready.code_models import HistoryCommit
    from prready.paths import resolve_paths
    from prready.sources import git_repo
    from prready.sources.git_repo import build_repo

    files = {"pkg/__init__.py": "", "pkg/b.py": "x = 1\n", "pkg/big.py": "y = 1\n" * 500_000}
    root = tmp_path / "repo"
    build_repo(root, [HistoryCommit("A", "a@example.com", "2026-01-01T00:00:00Z", "add", files)])
    real = git_repo.Listing.sizes

    def wrapped(self: git_repo.Listing) -> dict[bytes, int]:
        sizes = real(self)
        if b"pkg/big.py" in sizes:  # 3 MB, as the index keeps 4 GiB + 3 MB
            sizes[b"pkg/big.py"] = 3_000_000 % 4096
        return sizes

    monkeypatch.setattr(git_repo.Listing, "sizes", wrapped)
    assert map_code("acme/pkg", resolve_paths(), checkout=root).skipped == {
        "too-large": ["pkg/big.py"]
    }
    updated = []
    for i in range(2, 5):
        (root / "pkg/b.py").write_text(f"x = {i}\n")
        stats = ScanStats()
        cm = map_code("acme/pkg", resolve_paths(), checkout=root, stats=stats)
        assert cm.skipped == {"too-large": ["pkg/big.py"]}
        updated.append(stats.incremental)
    assert updated == [False, True, True]
