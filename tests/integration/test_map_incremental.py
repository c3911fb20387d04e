"""An updated map equals a cold map of the same tree: after edits (updated in place),
and after files are added, deleted or renamed, a native file or a skipped file changes,
or a file stops scanning (rebuilt). Each step is compared with a cold build in a fresh
cache, field by field, in the same order, and so is the map restored from its snapshot
(an updated map is stored as its changes over the full map it came from)."""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path

import pytest

from gitfixtures import commit_files, git
from mapfixtures import make_map_repo, map_code
from prready.app.map import ScanStats
from prready.code_models import CodeMap
from prready.paths import resolve_paths
from prready.render.map import code_map_json


def _everything(cm: CodeMap) -> dict[str, object]:
    """Every field and the graph's nodes, edges and attributes, in their orders."""
    out: dict[str, object] = {f.name: getattr(cm, f.name) for f in fields(CodeMap)}
    out["graph"] = (
        list(cm.graph.nodes(data=True)),
        list(cm.graph.edges(data=True)),
        [(n, list(p)) for n, p in cm.graph.pred.items()],
        cm.graph.graph,
    )
    out["json"] = code_map_json(cm)
    return out


def _update_and_compare(root: Path, tmp_path: Path, step: str) -> ScanStats:
    stats = ScanStats()
    updated = map_code("me/mylib", resolve_paths(), checkout=root, stats=stats)
    fresh_home = tmp_path / f"cold-{step}"
    cold = map_code("me/mylib", resolve_paths({"PRREADY_HOME": str(fresh_home)}), checkout=root)
    assert not stats.snapshot
    assert _everything(updated) == _everything(cold), step
    # Stored (an update as its changes over the full map it came from) and restored whole.
    again = ScanStats()
    restored = map_code("me/mylib", resolve_paths(), checkout=root, stats=again)
    assert again.snapshot
    assert _everything(restored) == _everything(cold), step
    graph = restored.graph
    assert all(graph.pred[b][a] is graph.succ[a][b] for a, b in graph.edges()), step
    return stats


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = make_map_repo(tmp_path)
    stats = ScanStats()
    map_code("me/mylib", resolve_paths(), checkout=root, stats=stats)
    assert stats.scanned > 0 and not stats.incremental
    return root


def test_edited_python_files_update_the_map_in_place(repo: Path, tmp_path: Path) -> None:
    core = repo / "src/mylib/core.py"
    helpers = repo / "src/mylib/utils/helpers.py"
    # A new import (an edge appears), a private function (symbols stay as they are).
    with core.open("a", encoding="utf-8") as fh:
        fh.write("\n\ndef _probe():\n    from mylib.nn import layers\n    return layers\n")
    commit_files(repo, {}, "probe")
    stats = _update_and_compare(repo, tmp_path, "private edit")
    assert stats.incremental and stats.scanned == 1

    # A public function and a dropped import: the symbol index changes too.
    text = helpers.read_text(encoding="utf-8")
    helpers.write_text(
        "\n".join(line for line in text.splitlines() if "core" not in line)
        + "\n\ndef shiny():\n    return 1\n",
        encoding="utf-8",
    )
    stats = _update_and_compare(repo, tmp_path, "public edit, not committed")
    assert stats.incremental and stats.scanned == 1

    # Nothing but HEAD moved (history, hence churn, changes).
    commit_files(repo, {"NOTES.txt": "notes\n"}, "notes", date="2026-11-20T00:00:00Z")
    stats = _update_and_compare(repo, tmp_path, "new commit")
    assert stats.incremental and stats.scanned == 0


def test_new_imports_keep_or_recompute_transitive_dependents(repo: Path, tmp_path: Path) -> None:
    """An import of a module the importer reached already keeps who-reaches-whom (only
    degrees move); one that joins new modules changes it. Both equal a cold build."""
    first = map_code("me/mylib", resolve_paths(), checkout=repo)
    reach = {n: m.dependents_transitive for n, m in first.modules.items()}
    helpers = repo / "src/mylib/utils/helpers.py"  # imports core, which imports nn.layers
    with helpers.open("a", encoding="utf-8") as fh:
        fh.write("\n\nimport mylib.nn.layers\n")
    commit_files(repo, {}, "helpers imports layers")
    stats = _update_and_compare(repo, tmp_path, "edge to a module reached already")
    assert stats.incremental
    updated = map_code("me/mylib", resolve_paths(), checkout=repo)
    assert {n: m.dependents_transitive for n, m in updated.modules.items()} == reach
    assert (
        updated.modules["mylib.nn.layers"].dependents
        == first.modules["mylib.nn.layers"].dependents + 1
    )

    layers = repo / "src/mylib/nn/layers.py"  # imported by many, imports nothing
    with layers.open("a", encoding="utf-8") as fh:
        fh.write("\n\nimport mylib.utils.helpers\n")
    commit_files(repo, {}, "layers imports helpers")
    stats = _update_and_compare(repo, tmp_path, "edge to a module not reached before")
    assert stats.incremental
    cycle = map_code("me/mylib", resolve_paths(), checkout=repo)
    assert cycle.modules["mylib.utils.helpers"].dependents_transitive > reach["mylib.utils.helpers"]


def test_transitive_dependents_recounted_with_and_without_binding_edges(
    repo: Path, tmp_path: Path
) -> None:
    """With no Python module importing a native file, only the Python modules' transitive
    dependents are recounted; a binding edge gained or lost recounts every module's. Each
    step equals a cold build."""
    functional = repo / "src/mylib/nn/functional.py"  # the only import of mylib._C
    text = functional.read_text(encoding="utf-8")
    functional.write_text(text.replace("from mylib import _C\n", ""), encoding="utf-8")
    commit_files(repo, {}, "no binding edge")
    stats = _update_and_compare(repo, tmp_path, "binding edge lost")
    assert stats.incremental
    cm = map_code("me/mylib", resolve_paths(), checkout=repo)
    languages = {(cm.modules[a].language, cm.modules[b].language) for a, b in cm.graph.edges()}
    assert ("python", "python") in languages and ("cpp", "cpp") in languages
    assert not any(a == "python" != b for a, b in languages)  # no binding edge left
    before = {n: m.dependents_transitive for n, m in cm.modules.items()}

    layers = repo / "src/mylib/nn/layers.py"  # imported by many, imports nothing
    with layers.open("a", encoding="utf-8") as fh:
        fh.write("\n\nimport mylib.utils.helpers\n")
    commit_files(repo, {}, "a cycle, Python modules only")
    stats = _update_and_compare(repo, tmp_path, "python-only recount")
    assert stats.incremental
    after = map_code("me/mylib", resolve_paths(), checkout=repo)
    moved = {n for n, m in after.modules.items() if m.dependents_transitive != before[n]}
    assert moved and all(after.modules[n].language == "python" for n in moved)

    functional.write_text(text, encoding="utf-8")
    commit_files(repo, {}, "binding edge back")
    stats = _update_and_compare(repo, tmp_path, "binding edge gained")
    assert stats.incremental


@pytest.mark.parametrize(
    "step",
    ["add", "delete", "rename", "native edit", "syntax error", "grows too large"],
)
def test_other_changes_rebuild_the_map_whole(repo: Path, tmp_path: Path, step: str) -> None:
    if step == "add":
        commit_files(repo, {"src/mylib/extra.py": "from mylib.core import *\n"}, step)
    elif step == "delete":
        git("rm", "-q", "src/mylib/utils/helpers.py", cwd=repo)
    elif step == "rename":
        git("mv", "src/mylib/nn/functional.py", "src/mylib/nn/funcs.py", cwd=repo)
    elif step == "native edit":
        native = next(p for p in sorted(repo.rglob("*.cpp")) if ".git" not in p.parts)
        with native.open("a", encoding="utf-8") as fh:
            fh.write('\n#include "mylib/other.h"\n')
    elif step == "syntax error":
        (repo / "src/mylib/core.py").write_text('x = """never closed\n', encoding="utf-8")
    else:
        big = repo / "src/mylib/core.py"
        big.write_text("x = 1\n" * (2 * 1024 * 1024 // 6 + 1), encoding="utf-8")
    stats = _update_and_compare(repo, tmp_path, step)
    assert not stats.incremental


def test_a_lost_stored_map_means_a_cold_build(repo: Path, tmp_path: Path) -> None:
    from prready.store.parse_cache import ParseCache

    with ParseCache(resolve_paths().cache_db) as cache:
        cache.conn.execute("DELETE FROM parse_snapshots WHERE key LIKE 'map:%'")
        cache.conn.commit()
    (repo / "src/mylib/core.py").write_text("import os\n", encoding="utf-8")
    stats = _update_and_compare(repo, tmp_path, "lost")
    assert not stats.incremental


def test_updates_follow_one_another(repo: Path, tmp_path: Path) -> None:
    """Each update becomes the base of the next."""
    core = repo / "src/mylib/core.py"
    for i in range(3):
        with core.open("a", encoding="utf-8") as fh:
            fh.write(f"\nimport mylib.nn.layers as l{i}\nvalue_{i} = {i}\n")
        os.utime(core, (1_800_000_000 + i, 1_800_000_000 + i))
        stats = _update_and_compare(repo, tmp_path, f"round {i}")
        assert stats.incremental
