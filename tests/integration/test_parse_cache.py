"""The blob-keyed parse cache: a second run scans nothing, one changed file is scanned
once, damaged rows are cache misses, a foreign file is refused with one line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from gitfixtures import commit_files, git
from mapfixtures import make_map_repo, map_code
from prready.app.map import PY_SCANNER, ScanStats
from prready.errors import StoreError
from prready.paths import resolve_paths
from prready.store.parse_cache import CACHE_APP_ID, ParseCache


def test_second_run_scans_nothing_and_one_change_scans_one(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    first = ScanStats()
    cm1 = map_code("me/mylib", paths, checkout=root, stats=first)
    assert first.scanned == 18 and first.cached == 0

    second = ScanStats()
    cm2 = map_code("me/mylib", paths, checkout=root, stats=second)
    assert second.scanned == 0 and second.cached == 18
    assert second.snapshot  # nothing changed: the whole map is restored
    assert sorted(cm2.graph.edges(data=True)) == sorted(cm1.graph.edges(data=True))
    assert dict(cm2.graph.nodes(data=True)) == dict(cm1.graph.nodes(data=True))
    assert cm2.modules == cm1.modules and cm2.areas == cm1.areas
    assert cm2.symbols == cm1.symbols and cm2.skipped == cm1.skipped
    assert cm2.codeowners == cm1.codeowners

    # Another area depth misses the map snapshot but not a single per-file result.
    other = ScanStats()
    map_code("me/mylib", paths, checkout=root, stats=other, area_depth=2)
    assert other.scanned == 0 and other.cached == 18 and not other.snapshot

    commit_files(
        root,
        {
            "src/mylib/nn/layers.py": "import mylib.core\n__all__ = ['Conv2d']\nclass Conv2d:\n    pass\n"
        },
        "layers imports core",
    )
    third = ScanStats()
    cm3 = map_code("me/mylib", paths, checkout=root, stats=third)
    assert third.scanned == 1
    assert cm3.graph.has_edge("mylib.nn.layers", "mylib.core")
    assert not cm1.graph.has_edge("mylib.nn.layers", "mylib.core")


def test_uncommitted_change_is_scanned_by_its_own_blob(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    map_code("me/mylib", paths, checkout=root)
    (root / "src/mylib/utils/__init__.py").write_text("from . import helpers\n")
    stats = ScanStats()
    cm = map_code("me/mylib", paths, checkout=root, stats=stats)
    assert stats.scanned == 1
    assert cm.graph.has_edge("mylib.utils", "mylib.utils.helpers")
    assert git("status", "--porcelain", cwd=root).strip() == "M src/mylib/utils/__init__.py"


def test_damaged_rows_are_misses(tmp_path: Path) -> None:
    db = tmp_path / "cache.sqlite3"
    with ParseCache(db) as cache:
        cache.save(PY_SCANNER, {"a" * 40: (1, (), (), None, ""), "b" * 40: (2, (), (), None, "")})
        assert len(cache.load(PY_SCANNER, ["a" * 40, "b" * 40])) == 2
    conn = sqlite3.connect(db)
    conn.execute("UPDATE parse_results SET data = x'ff00' WHERE blob = ?", ("b" * 40,))
    conn.commit()
    conn.close()
    with ParseCache(db) as cache:
        got = cache.load(PY_SCANNER, ["a" * 40, "b" * 40, "c" * 40])
        assert got == {"a" * 40: (1, (), (), None, "")}
        assert cache.load("py:0", ["a" * 40]) == {}  # another scanner version sees nothing


def test_snapshots_keep_only_the_latest(tmp_path: Path) -> None:
    with ParseCache(tmp_path / "c.sqlite3") as cache:
        for i in range(5):
            cache.save_snapshot(f"k{i}", [i], keep=2)
        assert cache.load_snapshot("k4") == [4]
        assert cache.load_snapshot("k3") == [3]
        assert cache.load_snapshot("k0") is None


def test_a_snapshot_written_over_another_keeps_it(tmp_path: Path) -> None:
    """A map stored as its changes over a full map keeps that one while it is kept."""
    with ParseCache(tmp_path / "c.sqlite3") as cache:
        cache.save_snapshot("full", ["whole"], keep=2)
        cache.save_snapshot("delta", ["parts"], keep=2, base="full")
        cache.save_snapshot("other", ["x"], keep=2)
        cache.save_snapshot("delta", ["parts again"], keep=2, base="full")
        assert cache.load_snapshot("full") == ["whole"]  # older than the two latest
        assert cache.load_snapshot("delta") == ["parts again"]
        cache.save_snapshot("a", [1], keep=2)
        cache.save_snapshot("b", [2], keep=2)
        assert cache.load_snapshot("delta") is None
        assert cache.load_snapshot("full") is None  # nothing written over it is left
        rows = cache.conn.execute("SELECT count(*) FROM parse_snapshot_bases").fetchone()
        assert rows == (0,)


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a prready cache"):
        ParseCache(db)
    assert CACHE_APP_ID == 0x70727231


def test_unmarshalable_snapshot_is_skipped(tmp_path: Path) -> None:
    with ParseCache(tmp_path / "c.sqlite3") as cache:
        cache.save_snapshot("k", {"x": object()})
        assert cache.load_snapshot("k") is None


def test_many_rows_are_written_in_batches_and_read_back(tmp_path: Path) -> None:
    """More rows than one INSERT takes (INSERT_ROWS): every one is stored, and a row
    written again is replaced."""
    import marshal

    from prready.store.parse_cache import INSERT_ROWS

    rows = {f"{n:040x}": marshal.dumps((n, (f"m{n}",), None)) for n in range(2 * INSERT_ROWS + 7)}
    with ParseCache(tmp_path / "cache.db") as cache:
        cache.save_encoded(PY_SCANNER, rows)
        cache.save_encoded(PY_SCANNER, {f"{3:040x}": marshal.dumps("again")})
    with ParseCache(tmp_path / "cache.db") as cache:
        loaded = cache.load(PY_SCANNER, rows)
    assert len(loaded) == len(rows)
    assert loaded[f"{3:040x}"] == "again"
    assert loaded[f"{2 * INSERT_ROWS + 6:040x}"] == (2 * INSERT_ROWS + 6, (f"m{2 * INSERT_ROWS + 6}",), None)


def _big(n: int) -> list[str]:
    """A value whose marshal form is past EXTERNAL_MIN_BYTES."""
    from prready.store.parse_cache import EXTERNAL_MIN_BYTES

    return [f"module.{i:07d}" for i in range(n or EXTERNAL_MIN_BYTES // 10)]


def test_a_large_snapshot_is_a_file_of_its_own_and_reads_back(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    value = _big(0)
    with ParseCache(db) as cache:
        cache.save_snapshot("small", ["x"])
        assert not cache.snapshot_dir.exists()  # a small value stays in its row
        cache.save_snapshot("big", value)
        files = list(cache.snapshot_dir.iterdir())
        assert len(files) == 1 and files[0].stat().st_mode & 0o777 == 0o600
        (row,) = cache.conn.execute("SELECT length(data) FROM parse_snapshots WHERE key = 'big'")
        assert row[0] < 200  # the row names the file, it does not hold the value
    assert cache.snapshot_dir == tmp_path / "c.sqlite3-snapshots"
    with ParseCache(db) as cache:
        assert cache.load_snapshot("big") == value
        assert cache.load_snapshot("small") == ["x"]


@pytest.mark.parametrize("damage", ["cut short", "altered", "missing"])
def test_a_damaged_snapshot_file_is_no_snapshot(tmp_path: Path, damage: str) -> None:
    with ParseCache(tmp_path / "c.sqlite3") as cache:
        cache.save_snapshot("big", _big(0))
        (path,) = cache.snapshot_dir.iterdir()
        data = path.read_bytes()
        if damage == "cut short":
            path.write_bytes(data[: len(data) // 2])
        elif damage == "altered":
            path.write_bytes(data[:100] + bytes([data[100] ^ 1]) + data[101:])
        else:
            path.unlink()
        assert cache.load_snapshot("big") is None
        cache.save_snapshot("big", ["written again"])  # and it is written anew
        assert cache.load_snapshot("big") == ["written again"]


def test_files_of_evicted_snapshots_are_removed(tmp_path: Path) -> None:
    """The file of a row evicted or written over goes with it; a file no row names (left
    by a process stopped before its row was written) goes once it is older than the grace
    period (younger, it may be another process's, written just before its row)."""
    import os

    from prready.store.parse_cache import ORPHAN_GRACE_SECONDS

    with ParseCache(tmp_path / "c.sqlite3") as cache:
        for i in range(3):
            cache.save_snapshot(f"k{i}", [*_big(0), str(i)], keep=1)
        folder = cache.snapshot_dir
        assert len(list(folder.iterdir())) == 1  # k2's: k0's and k1's went with their rows
        cache.save_snapshot("k2", [*_big(0), "2"], keep=1)  # the same bytes again: kept
        (kept,) = folder.iterdir()
        cache.save_snapshot("k2", [*_big(0), "2", "changed"], keep=1)  # written over
        assert kept.name not in {p.name for p in folder.iterdir()}
        stray = folder / "left-by-a-crash.marshal"
        stray.write_bytes(b"x")
        cache.save_snapshot("k3", ["small"], keep=2)
        assert stray.exists()  # young: perhaps another process's
        old = stray.stat().st_mtime - ORPHAN_GRACE_SECONDS - 5
        os.utime(stray, (old, old))
        cache.save_snapshot("k4", ["small"], keep=3)
        assert not stray.exists()
        assert cache.load_snapshot("k2") == [*_big(0), "2", "changed"]


def test_a_snapshot_folder_that_is_a_link_is_never_written_into(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "someone's.file").write_bytes(b"keep me")
    (tmp_path / "c.sqlite3-snapshots").symlink_to(elsewhere)
    with ParseCache(tmp_path / "c.sqlite3") as cache:
        cache.save_snapshot("big", _big(0))
        assert cache.load_snapshot("big") is None  # not stored, nothing breaks
        cache.save_snapshot("small", ["x"])
        assert cache.load_snapshot("small") == ["x"]
    assert [p.name for p in elsewhere.iterdir()] == ["someone's.file"]


def test_rebuild_cache_removes_the_snapshot_files(tmp_path: Path) -> None:
    from prready.app.cache import rebuild_cache
    from prready.paths import Paths

    paths = Paths(cache=tmp_path / "cache", data=tmp_path / "data", config=tmp_path / "config")
    with ParseCache(paths.cache_db) as cache:
        cache.save_snapshot("big", _big(0))
        folder = cache.snapshot_dir
    removed = rebuild_cache(paths)
    assert folder in removed and not folder.exists()
    assert not paths.cache_db.exists()
