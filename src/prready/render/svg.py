"""An SVG picture of the part of the code map a plan walks through.

Columns are the plan's stages; each column holds the modules (or areas) that stage's steps
touch, coloured by stage, followed by their closest neighbours in the import graph (grey).
The layout is computed here, deterministically, so the page needs no JavaScript library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from typing import TYPE_CHECKING, Any

from prready.analysis.layout import in_test_tree, is_root_package
from prready.analysis.mapping import focus_matches
from prready.analysis.snapshot import graph_view
from prready.code_models import CodeMap
from prready.models import Plan
from prready.text import safe_line

if TYPE_CHECKING:
    import networkx as nx

COL_WIDTH = 270
BOX_WIDTH = 228
BOX_HEIGHT = 30
ROW_GAP = 12
TOP = 60  # room for a two-line column heading: "Stage 4" and its title
MARGIN = 12
MAX_FOCUS_PER_STAGE = 6
MAX_NEIGHBOURS_PER_STAGE = 4
LABEL_CHARS = 29  # what fits in a box at 12px monospace


@dataclass
class _Node:
    key: str
    column: int  # index into the plan's stages
    stage: int | None  # None for a neighbour
    members: set[str] = field(default_factory=set)  # graph nodes this box stands for
    x: float = 0.0
    y: float = 0.0


@dataclass(frozen=True)
class ImportGraph:
    """What the picture reads of the code map's import graph, as plain mappings: each
    node's attributes (path, area; a node missing here has none), and node -> {neighbour:
    edge attributes} both ways. Every node is a key of `successors`."""

    nodes: Mapping[str, Mapping[str, Any]]
    successors: Mapping[str, Mapping[str, Any]]
    predecessors: Mapping[str, Mapping[str, Any]]

    @classmethod
    def of(cls, graph: nx.DiGraph) -> ImportGraph:
        """The same, read from a networkx graph (its views are such mappings)."""
        return cls(graph.nodes, graph.succ, graph.pred)

    def attrs(self, name: str) -> Mapping[str, Any]:
        return self.nodes.get(name) or {}


def map_graph(code_map: CodeMap) -> ImportGraph | None:
    """The code map's import graph without building it (`snapshot.graph_view`): a map
    restored from its snapshot keeps its graph as dicts, and a plan's page needs no
    networkx; None for a map without one."""
    view = graph_view(code_map)
    return None if view is None else ImportGraph(*view)


def plan_graph_svg(plan: Plan, graph: ImportGraph | nx.DiGraph) -> str:
    """The SVG markup (already escaped) for the plan's modules and their neighbours, or ""."""
    if not isinstance(graph, ImportGraph):
        graph = ImportGraph.of(graph)
    nodes = _focus_nodes(plan, graph)
    if not nodes:
        return ""
    _add_neighbours(nodes, graph)
    _place(nodes)
    edges = _edges(nodes, graph)
    return _draw(plan, nodes, edges)


# --------------------------------------------------------------------------- selection
def _focus_nodes(plan: Plan, graph: ImportGraph) -> dict[str, _Node]:
    """One box per module or area named by a step, in the column of its earliest stage."""
    by_area: dict[str, set[str]] = {}
    for name, attrs in graph.nodes.items():
        area = attrs.get("area") or ""
        if area:
            by_area.setdefault(area, set()).add(name)
    nodes: dict[str, _Node] = {}
    for column, stage in enumerate(plan.stages):
        in_column = 0
        for step in stage.steps:
            # Only the matches the step acts on: on a large repository every issue also
            # collects weak ones (a word naming some far module) that would crowd the picture.
            for match in focus_matches(step.modules):
                if match.name in nodes or in_column >= MAX_FOCUS_PER_STAGE:
                    continue
                if match.name in graph.successors:
                    members = {match.name}
                elif match.name in by_area:
                    members = set(by_area[match.name])
                else:
                    continue
                nodes[match.name] = _Node(match.name, column, stage.number, members)
                in_column += 1
    # A module that is also inside a focus area is drawn once, as itself.
    singles = {key for key, node in nodes.items() if node.members == {key}}
    for node in nodes.values():
        if node.members != {node.key}:
            node.members -= singles
    return nodes


def _add_neighbours(nodes: dict[str, _Node], graph: ImportGraph) -> None:
    """Add the modules most connected to each stage's boxes, ranked by links then name."""
    covered = {m for node in nodes.values() for m in node.members}
    focus = list(nodes.values())
    columns = sorted({node.column for node in focus})
    for column in columns:
        links: dict[str, int] = {}
        for node in (n for n in focus if n.column == column):
            for member in sorted(node.members):
                for other in [*graph.predecessors[member], *graph.successors[member]]:
                    # Test files import everything they test; as neighbours they crowd out
                    # the code a reader needs next (the step lists its tests anyway).
                    if (
                        other not in covered
                        and not _is_test(other, graph)
                        and not _is_root(other, graph)
                    ):
                        links[other] = links.get(other, 0) + 1
        # Ties are common on a large repository (a package imported by hundreds): prefer
        # a neighbour in the same area, then the most imported, not the first by name.
        areas = {graph.attrs(m).get("area") for n in focus if n.column == column for m in n.members}
        ranked = sorted(
            links,
            key=lambda name: (
                -links[name],
                graph.attrs(name).get("area") not in areas,
                -len(graph.predecessors[name]),
                name,
            ),
        )
        for name in ranked[:MAX_NEIGHBOURS_PER_STAGE]:
            nodes[name] = _Node(name, column, None, {name})
            covered.add(name)


def _place(nodes: dict[str, _Node]) -> None:
    """Stack each column's boxes: focus first (in plan order), then neighbours."""
    rows: dict[int, int] = {}
    ordered = sorted(nodes.values(), key=lambda n: (n.column, n.stage is None))
    for node in ordered:
        row = rows.get(node.column, 0)
        node.x = MARGIN + node.column * COL_WIDTH
        node.y = TOP + row * (BOX_HEIGHT + ROW_GAP)
        rows[node.column] = row + 1


def _edges(nodes: dict[str, _Node], graph: ImportGraph) -> list[tuple[str, str]]:
    """Import edges touching a stage's box, deduplicated and in a stable order."""
    owner = {m: node.key for node in nodes.values() for m in node.members}
    found = set()
    for member, key in owner.items():
        for target in graph.successors[member]:
            other = owner.get(target)
            # Links between two grey neighbours only add clutter.
            if other is not None and other != key and not _both_neighbours(nodes, key, other):
                found.add((key, other))
    return sorted(found)


def _is_test(name: str, graph: ImportGraph) -> bool:
    return in_test_tree(str(graph.attrs(name).get("path") or name))


def _is_root(name: str, graph: ImportGraph) -> bool:
    """The top-level package ("torch"): a neighbour of everything, so it says nothing."""
    return is_root_package(name, str(graph.attrs(name).get("path") or ""))


def _both_neighbours(nodes: dict[str, _Node], a: str, b: str) -> bool:
    return nodes[a].stage is None and nodes[b].stage is None


# --------------------------------------------------------------------------- drawing
def _draw(plan: Plan, nodes: dict[str, _Node], edges: list[tuple[str, str]]) -> str:
    columns = max(len(plan.stages), 1)
    width = MARGIN * 2 + columns * COL_WIDTH - (COL_WIDTH - BOX_WIDTH) + 40
    bottom = max(node.y for node in nodes.values()) + BOX_HEIGHT
    height = int(bottom + MARGIN + 8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="codemap" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img" aria-labelledby="codemap-title">',
        f'<title id="codemap-title">Modules the plan touches in {_esc(plan.repo, 100)}, by stage,'
        " with their nearest neighbours in the import graph</title>",
        '<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7"'
        ' markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z"'
        ' class="arrowhead"/></marker></defs>',
    ]
    filled = {node.column for node in nodes.values()}
    for column, stage in enumerate(plan.stages):
        x = MARGIN + column * COL_WIDTH
        parts.append(
            f'<text class="colhead s{_stage_class(stage.number)}" x="{x}" y="{TOP - 32}">'
            f"Stage {int(stage.number)}</text>"
            f'<text class="coltitle" x="{x}" y="{TOP - 14}">{_esc(stage.title, 34)}</text>'
        )
        if column not in filled and stage.steps:
            # Its modules are drawn under an earlier stage: knowledge compounds.
            parts.append(
                f'<text class="coltitle" x="{x}" y="{TOP + BOX_HEIGHT / 2 + 4:.0f}">'
                "Same code as earlier stages</text>"
            )
    for src, dst in edges:
        parts.append(_edge_path(nodes[src], nodes[dst]))
    for node in sorted(nodes.values(), key=lambda n: (n.column, n.y)):
        parts.append(_box(node))
    parts.append("</svg>")
    return "\n".join(parts)


def _box(node: _Node) -> str:
    kind = f"s{_stage_class(node.stage)}" if node.stage is not None else "nb"
    role = f"stage {node.stage}" if node.stage is not None else "neighbour"
    label = _shorten(safe_line(node.key, 400))
    full = _esc(node.key, 400)
    count = len(node.members)
    suffix = f" ({count} modules)" if count > 1 else ""
    return (
        f'<g class="node {kind}"><title>{full}{suffix} — {role}</title>'
        f'<rect x="{node.x:.0f}" y="{node.y:.0f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6"/>'
        f'<text x="{node.x + 10:.0f}" y="{node.y + BOX_HEIGHT / 2 + 4:.0f}">{escape(label)}</text></g>'
    )


def _edge_path(src: _Node, dst: _Node) -> str:
    """A curve from importer to imported; same-column links bow out to the right."""
    y1 = src.y + BOX_HEIGHT / 2
    y2 = dst.y + BOX_HEIGHT / 2
    if src.column == dst.column:
        x = src.x + BOX_WIDTH
        bow = x + 18 + min(30, abs(y2 - y1) / 6)
        d = f"M{x:.0f},{y1:.0f} C{bow:.0f},{y1:.0f} {bow:.0f},{y2:.0f} {x + 2:.0f},{y2:.0f}"
    elif src.column < dst.column:
        x1, x2 = src.x + BOX_WIDTH, dst.x
        mid = (x1 + x2) / 2
        d = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2 - 2:.0f},{y2:.0f}"
    else:
        x1, x2 = src.x, dst.x + BOX_WIDTH
        mid = (x1 + x2) / 2
        d = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2 + 2:.0f},{y2:.0f}"
    return f'<path class="edge" d="{d}" marker-end="url(#arrow)"/>'


def _shorten(name: str) -> str:
    """Keep the informative end of a long dotted name or path, cut at a dot or slash so no
    word is broken: "…linalg.decompositions", "…/tinyml/tensor.h"."""
    if len(name) <= LABEL_CHARS:
        return name
    sep = "/" if "/" in name else "."
    parts = name.split(sep)
    kept = parts[-1]
    for part in reversed(parts[:-1]):
        if len(part) + len(sep) + len(kept) + 1 > LABEL_CHARS:
            break
        kept = part + sep + kept
    if len(kept) + 1 > LABEL_CHARS:
        return "…" + name[-(LABEL_CHARS - 1) :]
    return "…" + (sep if sep == "/" else "") + kept


def _stage_class(stage: int | None) -> int:
    return min(4, max(1, int(stage or 1)))


def _esc(text: str, limit: int) -> str:
    return escape(safe_line(text, limit), quote=True)
