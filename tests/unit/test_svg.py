"""The code-map picture: the plan's modules by stage plus neighbours, escaped and stable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx

from prready.models import ModuleMatch
from prready.render.svg import MAX_NEIGHBOURS_PER_STAGE, plan_graph_svg
from renderfixtures import (
    SCRIPT,
    graph_nodes_shown,
    hostile_graph,
    hostile_plan,
    sample_graph,
    sample_plan,
)

NS = "{http://www.w3.org/2000/svg}"


def boxes(svg: str) -> dict[str, str]:
    """Title text of each box -> its class."""
    root = ET.fromstring(svg)
    out = {}
    for g in root.iter(f"{NS}g"):
        title = g.find(f"{NS}title")
        assert title is not None
        out[(title.text or "").split(" — ")[0].split(" (")[0]] = g.get("class", "")
    return out


def test_focus_modules_are_coloured_by_stage_and_neighbours_are_grey() -> None:
    svg = plan_graph_svg(sample_plan(), sample_graph())
    shown = boxes(svg)
    assert shown["torch.nn.modules.linear"] == "node s1"
    assert shown["torch.nn.functional"] == "node s2"
    assert shown["torch.optim.adam"] == "node s3"
    assert shown["aten/src/ATen/native/Linear.cpp"] == "node s4"
    assert shown["torch.optim.optimizer"] == "node nb"
    assert shown["aten/src/ATen/Tensor.h"] == "node nb"
    # Far-away modules are left out.
    assert "torch.optim.sgd" not in shown and "aten/src/ATen/native/Blas.cpp" not in shown
    assert graph_nodes_shown(svg) == len(shown)


def test_edges_follow_imports_between_drawn_boxes() -> None:
    svg = plan_graph_svg(sample_plan(), sample_graph())
    root = ET.fromstring(svg)
    paths = [p for p in root.iter(f"{NS}path") if p.get("class") == "edge"]
    # linear->functional, linear->module, dataloader->sampler, functional->_tensor,
    # common_utils->functional, adam->optimizer, Linear.cpp->Tensor.h; the top-level
    # package "torch" is a neighbour of everything and is not drawn.
    assert len(paths) == 7
    assert "torch" not in boxes(svg)
    # A link between two grey neighbours is not drawn.
    g = sample_graph()
    g.add_edge("torch.nn.modules.module", "torch.optim.optimizer")
    again = ET.fromstring(plan_graph_svg(sample_plan(), g))
    assert len([p for p in again.iter(f"{NS}path") if p.get("class") == "edge"]) == 7


def test_area_names_resolve_to_one_box_for_the_area() -> None:
    plan = sample_plan()
    plan.stages[2].steps[0].modules = [ModuleMatch("torch.optim", "torch/optim", 0.7, [])]
    svg = plan_graph_svg(plan, sample_graph())
    shown = boxes(svg)
    assert shown["torch.optim"] == "node s3"
    assert "3 modules" in svg
    assert "torch.optim.adam" not in shown  # inside the area box


def test_no_known_module_gives_no_picture() -> None:
    assert plan_graph_svg(sample_plan(), nx.DiGraph()) == ""


def test_layout_is_deterministic() -> None:
    assert plan_graph_svg(sample_plan(), sample_graph()) == plan_graph_svg(
        sample_plan(), sample_graph()
    )
    # Insertion order of the graph does not matter either.
    g = sample_graph()
    reversed_graph = nx.DiGraph()
    reversed_graph.add_nodes_from(reversed(list(g.nodes(data=True))))
    reversed_graph.add_edges_from(reversed(list(g.edges(data=True))))
    assert plan_graph_svg(sample_plan(), reversed_graph) == plan_graph_svg(sample_plan(), g)


def test_hubs_do_not_flood_the_picture() -> None:
    g = sample_graph()
    for i in range(500):
        g.add_node(f"torch.gen.m{i}", area="torch.gen")
        g.add_edge(f"torch.gen.m{i}", "torch.nn.functional")
    svg = plan_graph_svg(sample_plan(), g)
    neighbours = [k for k, cls in boxes(svg).items() if cls == "node nb"]
    assert len(neighbours) <= MAX_NEIGHBOURS_PER_STAGE * 4


def test_hostile_names_are_escaped_and_the_svg_is_well_formed() -> None:
    svg = plan_graph_svg(hostile_plan(n_labels=3), hostile_graph())
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    ET.fromstring(svg)  # raises if any text broke the markup
    assert any(SCRIPT in k for k in boxes(svg))


def test_long_names_are_cut_at_a_dot_or_slash() -> None:
    from prready.render.svg import LABEL_CHARS, _shorten

    assert _shorten("tinyml.nn.modules.linear") == "tinyml.nn.modules.linear"
    cut = _shorten("torch.distributed.fsdp._fully_shard._fsdp_param_group")
    assert cut == "…_fsdp_param_group"  # whole parts only, never "…ully_shard._fsdp..."
    assert len(cut) <= LABEL_CHARS
    assert _shorten("tinyml.linalg.decompositions.extra") == "…linalg.decompositions.extra"
    path = _shorten("aten/src/ATen/native/cuda/UpSampleBilinear2d.cu")
    assert path.startswith("…/") and path.endswith("/UpSampleBilinear2d.cu")
    assert len(path) <= LABEL_CHARS


def test_test_files_are_not_drawn_as_neighbours() -> None:
    g = sample_graph()
    g.add_node("test.test_optim", path="test/test_optim.py", area="test", language="python")
    g.add_edge("test.test_optim", "torch.optim.adam")
    g.add_edge("test.test_optim", "torch.optim.sgd")
    shown = boxes(plan_graph_svg(sample_plan(), g))
    assert "test.test_optim" not in shown
    assert "torch.testing._internal.common_utils" in shown  # shared helpers are code


def test_column_heading_shows_the_whole_stage_title() -> None:
    plan = sample_plan()
    plan.stages[3].title = "A substantial contribution"
    svg = plan_graph_svg(plan, sample_graph())
    assert ">Stage 4</text>" in svg and ">A substantial contribution</text>" in svg
