"""The plan page's picture reads a restored map's import graph as plain dicts: the same
nodes, attributes and neighbours as the built networkx graph, the same SVG to the byte,
and a warm plan never builds the graph (nor imports networkx)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from mapfixtures import make_map_repo, map_code
from prready.models import ModuleMatch
from prready.paths import resolve_paths
from prready.render.svg import ImportGraph, map_graph, plan_graph_svg
from renderfixtures import sample_plan


def test_a_restored_maps_graph_reads_as_its_built_graph(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    cold = map_code("me/mylib", paths, checkout=root)
    warm = map_code("me/mylib", paths, checkout=root)
    plain = map_graph(warm)
    assert plain is not None and "graph" not in vars(warm)  # read without building it
    built = cold.graph
    assert set(plain.successors) == set(built.nodes) and len(built) > 5
    for name, attrs in built.nodes(data=True):
        seen = plain.attrs(name)
        assert (seen.get("path"), seen.get("area")) == (attrs.get("path"), attrs.get("area"))
        assert list(plain.successors[name]) == list(built.succ[name])
        assert list(plain.predecessors[name]) == list(built.pred[name])
    # A built graph is read as it is.
    again = map_graph(cold)
    assert again is not None and dict(again.nodes) == dict(built.nodes)
    # A map without a graph has no picture.
    assert map_graph(replace(cold, graph=None)) is None


def test_the_picture_from_plain_dicts_is_the_picture_from_networkx(tmp_path: Path) -> None:
    root = make_map_repo(tmp_path)
    paths = resolve_paths()
    cold = map_code("me/mylib", paths, checkout=root)
    warm = map_code("me/mylib", paths, checkout=root)
    plan = sample_plan()
    names = sorted(cold.modules)
    # Every step acts on modules of this map (and an area), so boxes, neighbours and
    # edges are all drawn.
    for n, step in enumerate(s for stage in plan.stages for s in stage.steps):
        name = names[n % len(names)]
        step.modules = [ModuleMatch(name, cold.modules[name].path, 0.9, ["named"])]
    plan.stages[-1].steps[0].modules.append(
        ModuleMatch(cold.modules[names[0]].area, "", 0.9, ["named"])
    )
    plain = map_graph(warm)
    assert plain is not None
    svg = plan_graph_svg(plan, plain)
    assert "graph" not in vars(warm)
    assert svg.count('class="node ') >= 3 and 'class="edge"' in svg
    assert svg == plan_graph_svg(plan, cold.graph)
    assert svg == plan_graph_svg(plan, ImportGraph.of(warm.graph))
