"""The warm path of `prready map`: the stored snapshot restores the very same map (values,
order, shared edge dicts, working networkx views), stale or foreign snapshots are
ignored, HEAD's date bounds the history read for churn, and the garbage collector is
paused only while a map is built."""

from __future__ import annotations

import gc
from dataclasses import fields
from pathlib import Path

import networkx as nx
import pytest

from gitfixtures import ALICE, BOB, commit_files, git
from mapfixtures import make_map_repo, map_code
from prready.analysis.snapshot import (
    SNAPSHOT_VERSION,
    code_map_from_plain,
    code_map_to_plain,
    edge_attributes,
)
from prready.app.map import (
    LINE_COUNTER,
    ScanStats,
    _recent_history,
    map_summary,
)
from prready.code_models import AreaInfo, CodeMap, ModuleInfo
from prready.paths import resolve_paths
from prready.sources.git_repo import build_repo, head_date, read_history
from prready.store.parse_cache import ParseCache


def _every_field(cm: CodeMap) -> dict[str, object]:
    return {f.name: getattr(cm, f.name) for f in fields(CodeMap) if f.name != "graph"}


def test_restored_map_is_the_same_map_in_the_same_order(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    cold_stats, warm_stats = ScanStats(), ScanStats()
    cold = map_code("me/mylib", paths, checkout=root, stats=cold_stats)
    warm = map_code("me/mylib", paths, checkout=root, stats=warm_stats)

    assert warm_stats.snapshot and not cold_stats.snapshot
    assert warm_stats.by_language == cold_stats.by_language  # counts kept, not recomputed
    assert warm_stats.cached == cold_stats.scanned + cold_stats.cached
    assert _every_field(warm) == _every_field(cold)
    assert list(warm.modules) == list(cold.modules)
    assert all(type(m) is ModuleInfo for m in warm.modules.values())
    assert all(type(a) is AreaInfo for a in warm.areas.values())
    assert type(warm.graph) is nx.DiGraph
    assert list(warm.graph.nodes(data=True)) == list(cold.graph.nodes(data=True))
    assert list(warm.graph.edges(data=True)) == list(cold.graph.edges(data=True))
    assert [(n, list(p)) for n, p in warm.graph.pred.items()] == [
        (n, list(p)) for n, p in cold.graph.pred.items()
    ]
    assert warm.graph.graph == cold.graph.graph
    assert dict(warm.graph.in_degree()) == dict(cold.graph.in_degree())


def test_restored_graph_shares_edge_dicts_and_stays_editable(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    map_code("me/mylib", paths, checkout=root)
    warm = map_code("me/mylib", paths, checkout=root)
    graph = warm.graph
    a, b = next(iter(graph.edges()))
    graph.edges[a, b]["probe"] = 1  # one dict per edge, seen from both ends
    assert graph.pred[b][a]["probe"] == 1
    graph.add_edge("new.module", a, kind="import")
    assert graph.has_edge("new.module", a) and "new.module" in graph.pred[a]
    graph.remove_node(b)
    assert not graph.has_edge(a, b) and b not in graph.succ[a]
    copy = graph.copy()  # analysis copies graphs before changing them
    assert copy.number_of_edges() == graph.number_of_edges()


@pytest.mark.parametrize("run", ["cold", "warm"])
def test_include_edges_share_one_dict_until_the_graph_is_built(tmp_path: Path, run: str) -> None:
    """Assembled and stored, the include edges hold one attribute dict (stored once); the
    graph gives each edge its own, so editing one include edge leaves the others."""
    from prready.analysis.snapshot import adjacency

    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    cm = map_code("me/mylib", paths, checkout=root)
    if run == "warm":
        cm = map_code("me/mylib", paths, checkout=root)
    succ, _ = adjacency(cm)
    stored = [d for targets in succ.values() for d in targets.values() if d["kind"] == "include"]
    assert len(stored) > 2 and len({id(d) for d in stored}) == 1
    graph = cm.graph
    included = [(a, b) for a, b, kind in graph.edges(data="kind") if kind == "include"]
    assert len({id(graph.edges[e]) for e in included}) == len(included)
    (a, b), (c, d) = included[:2]
    graph.edges[a, b]["conditional"] = True
    assert graph.pred[b][a]["conditional"] is True  # one dict per edge, both directions
    assert graph.edges[c, d]["conditional"] is False


def test_snapshot_of_other_version_or_fields_is_ignored(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    cm = map_code("me/mylib", resolve_paths(), checkout=root)
    plain = code_map_to_plain(cm)
    assert code_map_from_plain(plain) is not None
    assert code_map_from_plain((SNAPSHOT_VERSION - 1, *plain[1:])) is None
    fewer_fields = (plain[1][0], plain[1][1][:-1], plain[1][2])  # a field added since
    assert code_map_from_plain((plain[0], fewer_fields, *plain[2:])) is None
    assert code_map_from_plain(("junk",)) is None
    assert code_map_from_plain(None) is None


def test_damaged_snapshot_is_rebuilt(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    cold = map_code("me/mylib", paths, checkout=root)
    with ParseCache(paths.cache_db) as cache:
        cache.conn.execute("UPDATE parse_snapshots SET data = x'00ff'")
        cache.conn.commit()
    stats = ScanStats()
    again = map_code("me/mylib", paths, checkout=root, stats=stats)
    assert not stats.snapshot and stats.scanned == 0  # per-file results still cached
    assert list(again.graph.edges(data=True)) == list(cold.graph.edges(data=True))


def test_graph_subclass_round_trips_through_lists() -> None:
    class Tagged(nx.DiGraph):  # type: ignore[misc]
        pass

    graph = Tagged(name="g")
    graph.add_node("a", path="a.py")
    graph.add_edge("a", "b", kind="import", conditional=False)
    cm = CodeMap(
        repo="me/x", root="/r", head="0" * 40, graph=graph, modules={}, areas={}, symbols={}
    )
    back = code_map_from_plain(code_map_to_plain(cm))
    assert back is not None and type(back.graph) is nx.DiGraph
    assert list(back.graph.edges(data=True)) == [
        ("a", "b", {"kind": "import", "conditional": False})
    ]
    assert back.graph.nodes["a"] == {"path": "a.py"} and back.graph.graph == {"name": "g"}


def test_collector_runs_again_after_a_map_and_stays_off_if_it_was(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    map_code("me/mylib", paths, checkout=root)
    assert gc.isenabled()
    gc.disable()
    try:
        map_code("me/mylib", paths, checkout=root)
        assert not gc.isenabled()  # the caller's choice is kept
    finally:
        gc.enable()


def test_collector_resumes_after_an_error(tmp_path: Path) -> None:
    with pytest.raises(Exception, match="no such directory"):
        map_code("me/mylib", resolve_paths(), checkout=tmp_path / "nowhere")
    assert gc.isenabled()


# --------------------------------------------------------------------------- history
def test_head_date_is_heads_author_date_in_utc(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    git("init", "-q", cwd=root)
    assert head_date(root) == ""  # no commits yet
    commit_files(root, {"a.py": "x = 1\n"}, "one", date="2021-03-04T05:06:07+02:00")
    first = git("rev-parse", "HEAD", cwd=root).strip()
    commit_files(root, {"a.py": "x = 2\n"}, "two", date="2022-01-01T00:00:00Z")
    assert head_date(root) == "2022-01-01T00:00:00Z"
    assert head_date(root, first) == "2021-03-04T03:06:07Z"
    assert head_date(root, "no-such-ref") == ""
    leak = tmp_path / "written-by-git"
    assert head_date(root, f"--output={leak}") == "" and not leak.exists()


def test_churn_window_is_the_year_before_head_not_before_today(tmp_path: Path) -> None:
    """HEAD is years in the past: the window is measured from it, whatever today is."""
    from prready.code_models import HistoryCommit

    dates = ["2018-01-01T00:00:00Z", "2019-03-01T00:00:00Z", "2019-09-01T00:00:00Z"]
    commits = [
        HistoryCommit(ALICE[0], ALICE[1], d, f"c{i}", writes={f"f{i}.py": "x = 1\n"})
        for i, d in enumerate(dates)
    ]
    root = tmp_path / "old"
    head = build_repo(root, [*commits])
    history = _recent_history(root, head)
    assert [c.message for c in history] == ["c2", "c1"]  # 2018 is more than a year before


def test_commit_with_committer_date_before_the_window_still_counts(tmp_path: Path) -> None:
    """git's --since reads committer dates; the window is on author dates. A commit
    whose clock was off (committed before it was authored) is still found."""
    root = tmp_path / "skew"
    root.mkdir()
    git("init", "-q", cwd=root)
    commit_files(root, {"a.py": "x = 1\n"}, "base", date="2020-01-01T00:00:00Z")
    (root / "b.py").write_text("y = 1\n")
    git("add", "-A", cwd=root)
    env = {
        "GIT_AUTHOR_NAME": BOB[0],
        "GIT_AUTHOR_EMAIL": BOB[1],
        "GIT_AUTHOR_DATE": "2021-06-10T00:00:00Z",  # inside the year before HEAD
        "GIT_COMMITTER_NAME": BOB[0],
        "GIT_COMMITTER_EMAIL": BOB[1],
        "GIT_COMMITTER_DATE": "2021-05-25T00:00:00Z",  # before the window starts
    }
    git("-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "skewed", cwd=root, env=env)
    head = commit_files(root, {"c.py": "z = 1\n"}, "head", date="2022-06-01T00:00:00Z")
    messages = [c.message for c in _recent_history(root, head)]
    assert messages == ["head", "skewed"]
    everything = [c.message for c in read_history(root)]
    assert everything == ["head", "skewed", "base"]


def test_to_plain_turns_named_tuples_into_marshal_ready_tuples() -> None:
    import marshal

    from prready.analysis.native import NativeScan
    from prready.analysis.pyscan import ImportStmt, PyScan
    from prready.store.parse_cache import to_plain

    scan = PyScan(3, (ImportStmt(1, 0, "a.b", (("x", "y"),), False),), ("f",), None, "")
    native = NativeScan(2, ((1, "ATen/ATen.h", True),), "", ("torch._C",))
    for value in (scan, native, [scan, (native, None)], "text", 7, None):
        plain = to_plain(value)
        assert plain == value  # same values...
        assert marshal.loads(marshal.dumps(plain)) == plain  # ...that marshal accepts
    plain_scan = to_plain(scan)
    assert type(plain_scan) is tuple and type(plain_scan[1][0]) is tuple
    assert type(to_plain(native)[1][0]) is tuple
    with pytest.raises(ValueError):
        marshal.dumps(scan)  # why the conversion exists


def test_cache_load_finds_stored_blobs_by_either_query(tmp_path: Path) -> None:
    with ParseCache(tmp_path / "cache.db") as cache:
        cache.save("py:1", {"b1": (1, "x"), "b2": (2, None), "b3": (3, ())})
        cache.save("native:1", {"b1": (9,)})
        wanted = ["b2", "b1", "missing", "b2", "b3"]
        loaded = cache.load("py:1", wanted)
        assert loaded == {"b1": (1, "x"), "b2": (2, None), "b3": (3, ())}
        assert cache.load("native:1", wanted) == {"b1": (9,)}  # the scanner is part of the key
        fallback = cache._load_rows_via_temp_table("py:1", list(dict.fromkeys(wanted)))
        assert sorted(blob for blob, _ in fallback) == ["b1", "b2", "b3"]
        assert cache.load("py:1", []) == {}


def test_line_counts_of_known_commits_come_from_the_cache(tmp_path: Path) -> None:
    """After a new commit only that commit is diffed: the others' counts are the cached
    ones (planted here, so a recount would show), the new one is git's."""
    root = tmp_path / "r"
    root.mkdir()
    git("init", "-q", cwd=root)
    base = commit_files(root, {"b.py": "b\n"}, "import", date="2026-09-30T00:00:00Z")
    first = commit_files(root, {"a.py": "1\n2\n3\n"}, "first", date="2026-10-01T00:00:00Z")
    cache_db = tmp_path / "cache.db"
    history = _recent_history(root, first, cache_db)
    assert [c.lines for c in history] == [3, None]  # the first import is no fix: no count
    with ParseCache(cache_db) as cache:
        assert cache.load(LINE_COUNTER, [first]) == {first: 3}
        cache.save(LINE_COUNTER, {first: 1234})
    second = commit_files(root, {"a.py": "1\nx\n3\n4\n"}, "second", date="2026-10-02T00:00:00Z")
    history = _recent_history(root, second, cache_db)
    assert [(c.sha, c.lines) for c in history] == [(second, 3), (first, 1234), (base, None)]
    assert [c.lines for c in _recent_history(root, second)] == [3, 3, None]  # no cache: git's
    # The parentless commit was read once and stored as such: the counts stay on later runs.
    with ParseCache(cache_db) as cache:
        assert cache.load(LINE_COUNTER, [base]) == {base: -1}
    again = _recent_history(root, second, cache_db)
    assert [(c.sha, c.lines) for c in again] == [(second, 3), (first, 1234), (base, None)]


def test_restored_graph_is_built_on_first_use(tmp_path: Path) -> None:
    """A summary of a restored map reads the stored edges; the graph is built once, when
    first asked for, and is then the same graph as the cold map's."""
    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    cold = map_code("me/mylib", paths, checkout=root)
    warm = map_code("me/mylib", paths, checkout=root)
    assert "graph" not in vars(warm)
    assert map_summary(warm) == map_summary(cold)
    assert edge_attributes(warm) == [d for _, _, d in cold.graph.edges(data=True)]
    assert "graph" not in vars(warm)
    graph = warm.graph
    assert warm.graph is graph and "_pending_graph" not in vars(warm)
    assert list(graph.edges(data=True)) == list(cold.graph.edges(data=True))
    assert edge_attributes(warm) == edge_attributes(cold)
    with pytest.raises(AttributeError):
        _ = warm.no_such_field


def test_a_delta_that_does_not_fit_its_full_map_is_ignored(tmp_path: Path) -> None:
    """A stored update (its changed rows over the full map) whose importers name a row the
    full map lacks, or whose rows are not the shape written, restores nothing: the map is
    built again, never a traceback."""
    from prready.analysis.snapshot import MapChanges, apply_delta, code_map_delta

    root = make_map_repo(tmp_path)
    cm = map_code("me/mylib", resolve_paths(), checkout=root)
    b, importers = next((b, list(p)) for b, p in cm.graph.pred.items() if p)
    fresh = map_code("me/mylib", resolve_paths(), checkout=root)  # restored: its own dicts
    delta = code_map_delta(fresh, "full-key", MapChanges(pred={b}))
    assert delta is not None
    assert apply_delta(code_map_to_plain(cm), delta) is not None  # as written: it fits
    for row in ((*importers, "no.such.module"), 7):
        damaged = list(delta)
        damaged[7] = {b: row}
        assert apply_delta(code_map_to_plain(cm), tuple(damaged)) is None
    full = code_map_to_plain(cm)
    full[2][3][importers[0]] = []  # a successor row of another shape, read by position
    damaged = list(delta)
    damaged[7] = {5: (importers[0],)}
    assert apply_delta(full, tuple(damaged)) is None
