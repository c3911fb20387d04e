"""A CodeMap as plain data and back, so a map whose inputs did not change can be stored
(marshal, in the parse cache) and restored without re-running the analysis.

Restoring is on the warm path of every `prready map`, so the snapshot holds the very
dicts the objects are made of (dataclass `__dict__`s, the graph's adjacency dicts):
marshal rebuilds them in C, and a shared object (an edge's attribute dict, which
networkx keeps under both `_succ[u][v]` and `_pred[v][u]`) is written once and comes
back shared. Field names are stored too: a snapshot written before a dataclass gained a
field no longer matches and is treated as absent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from prready.code_models import AreaInfo, CodeMap, ModuleInfo

if TYPE_CHECKING:
    import networkx as nx

# 7: maps stored by 6 may lack a file deleted and restored between two maps (see
# git_repo.Listing.blobs_changed_since): rebuilt once. 8: the symbol index follows a
# package's star-imported subpackages (`keras.layers` is `keras.api.layers`). 9: and
# names a module imports as themselves (`from a import x as x`). 10: a contributing
# guide that is a symlink to a tracked file inside the checkout is read.
SNAPSHOT_VERSION = 10

_OBJECT_FIELDS = ("graph", "modules", "areas")  # stored in their own form, not by value


def code_map_to_plain(cm: CodeMap) -> tuple[Any, ...]:
    """Everything in the map as dicts, lists, tuples, str, int, float, bool (marshal-able
    when the map's own values are)."""
    others = {
        name: getattr(cm, name) for name in _field_names(CodeMap) if name not in _OBJECT_FIELDS
    }
    pending = cm.__dict__.get("_pending_graph")
    graph_plain = pending.plain() if isinstance(pending, _PendingGraph) else None
    return (
        SNAPSHOT_VERSION,
        _signature(),
        graph_plain if graph_plain is not None else _graph_to_plain(cm.graph),
        [vars(m) for m in cm.modules.values()],
        [vars(a) for a in cm.areas.values()],
        others,
    )


@dataclass
class MapChanges:
    """What an update changed in a map (see `prready.analysis.incremental`): the names of
    the nodes whose attributes, out-edges, importers (or their edges' attributes) or
    module metrics moved, and whether the symbol index or the file list did. A stored
    map is then written as these parts over the full map it was updated from."""

    nodes: set[str] = field(default_factory=set)
    succ: set[str] = field(default_factory=set)
    pred: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)
    symbols: bool = False
    files: bool = False

    def merge(self, other: MapChanges) -> MapChanges:
        """Everything changed by either (updates one after another, over one full map)."""
        return MapChanges(
            self.nodes | other.nodes,
            self.succ | other.succ,
            self.pred | other.pred,
            self.modules | other.modules,
            self.symbols or other.symbols,
            self.files or other.files,
        )


def code_map_delta(cm: CodeMap, base: str, changes: MapChanges) -> tuple[Any, ...] | None:
    """The parts of an updated map that differ from the full stored map `base` (the key
    it is stored under), as plain data; None when the map's graph is not its assembled
    dicts (then it is stored whole). Importers are stored as names: on load each edge's
    attribute dict is the very one its importer's row holds, as in the full form."""
    pending = cm.__dict__.get("_pending_graph")
    plain = pending.plain() if isinstance(pending, _PendingGraph) else None
    if plain is None or plain[0] != "adjacency":
        return None
    _, graph_attrs, nodes, succ, pred = plain
    skip = {"symbols"} if not changes.symbols else set()
    if not changes.files:
        skip.add("files")
    others = {
        name: getattr(cm, name)
        for name in _field_names(CodeMap)
        if name not in _OBJECT_FIELDS and name not in skip
    }
    return (
        "delta",
        SNAPSHOT_VERSION,
        _signature(),
        base,
        graph_attrs,
        {n: nodes[n] for n in sorted(changes.nodes)},
        {n: succ[n] for n in sorted(changes.succ)},
        {n: tuple(pred[n]) for n in sorted(changes.pred)},
        [vars(cm.modules[n]) for n in sorted(changes.modules)],
        [vars(a) for a in cm.areas.values()],
        others,
        (sorted(changes.nodes), sorted(changes.succ), sorted(changes.pred),
         sorted(changes.modules), changes.symbols, changes.files),
    )  # fmt: skip


def delta_base(value: Any) -> str | None:
    """The key of the full map a stored delta is written over, or None (not a delta)."""
    if isinstance(value, tuple) and len(value) == 12 and value[0] == "delta":
        base = value[3]
        return base if isinstance(base, str) else None
    return None


def apply_delta(full: Any, delta: Any) -> tuple[tuple[Any, ...], MapChanges] | None:
    """The full plain map `full` (as `code_map_to_plain` wrote it, freshly loaded: it is
    changed in place) with a delta's parts applied, and what the delta changed; None
    when either is not of this version and of the current dataclass fields."""
    if (
        delta_base(delta) is None
        or delta[1] != SNAPSHOT_VERSION
        or delta[2] != _signature()
        or not isinstance(full, tuple)
        or len(full) != 6
        or full[0] != SNAPSHOT_VERSION
        or full[1] != _signature()
        or not _is_plain_graph(full[2])
        or full[2][0] != "adjacency"
    ):
        return None
    _, _, _, _, graph_attrs, nodes, succ, pred, modules, areas, others, names = delta
    _, signature, (_, _, full_nodes, full_succ, full_pred), full_modules, _, full_others = full
    try:
        full_nodes.update(nodes)
        full_succ.update(succ)
        for b, importers in pred.items():
            full_pred[b] = {a: full_succ[a][b] for a in importers}
        by_name = {state["name"]: i for i, state in enumerate(full_modules)}
        for state in modules:
            full_modules[by_name[state["name"]]] = state
        merged = dict(full_others)
        merged.update(others)
        node_names, succ_names, pred_names, module_names, symbols, files = names
        changes = MapChanges(
            set(node_names),
            set(succ_names),
            set(pred_names),
            set(module_names),
            bool(symbols),
            bool(files),
        )
    except (LookupError, TypeError, ValueError):
        return None
    graph = ("adjacency", graph_attrs, full_nodes, full_succ, full_pred)
    return (SNAPSHOT_VERSION, signature, graph, full_modules, areas, merged), changes


def code_map_from_plain(value: Any) -> CodeMap | None:
    """The map back, or None when the value is not a snapshot of this version and of the
    current dataclass fields."""
    if (
        not isinstance(value, tuple)
        or len(value) != 6
        or value[0] != SNAPSHOT_VERSION
        or value[1] != _signature()
    ):
        return None
    _, _, graph_plain, modules, areas, others = value
    if not _is_plain_graph(graph_plain):
        return None
    cm: CodeMap = object.__new__(CodeMap)  # all fields but the graph, set below
    cm.__dict__.update(others)
    cm.modules = _restore_all(ModuleInfo, modules)
    cm.areas = _restore_all(AreaInfo, areas)
    cm.__dict__["_pending_graph"] = _PendingGraph(graph_plain)  # see CodeMap.__getattr__
    return cm


def edge_attributes(cm: CodeMap) -> list[dict[str, Any]]:
    """The attribute dict of every edge, read from the stored form while a restored map's
    graph is not built yet (summaries need no graph, nor networkx)."""
    pending = cm.__dict__.get("_pending_graph")
    if isinstance(pending, _PendingGraph):
        return pending.edge_attributes()
    return [attrs for _, _, attrs in cm.graph.edges(data=True)]


def adjacency_dicts(
    nodes: dict[str, dict[str, Any]], edges: Iterable[tuple[tuple[str, str], dict[str, Any]]]
) -> tuple[dict[str, dict[str, dict[str, Any]]], dict[str, dict[str, dict[str, Any]]]]:
    """The successor and predecessor dicts of a DiGraph with `nodes` and `edges`, as
    ((from, to), attributes) pairs (what an edge dict's `items()` gives: passed as is, no
    tuple made per edge); one attribute dict shared by both, as networkx keeps it. An edge
    to an unknown node adds the node without attributes, as networkx does."""
    succ: dict[str, dict[str, dict[str, Any]]] = {n: {} for n in nodes}
    pred: dict[str, dict[str, dict[str, Any]]] = {n: {} for n in nodes}
    for (a, b), attrs in edges:
        try:
            succ[a][b] = attrs
            pred[b][a] = attrs
        except KeyError:  # (rare) a node not given: added, as networkx does
            for n in (a, b):
                if n not in nodes:
                    nodes[n] = {}
                    succ[n], pred[n] = {}, {}
            succ[a][b] = attrs
            pred[b][a] = attrs
    return succ, pred


def with_pending_graph(
    cm: CodeMap,
    graph_attrs: dict[str, Any],
    nodes: dict[str, dict[str, Any]],
    succ: dict[str, dict[str, dict[str, Any]]],
    pred: dict[str, dict[str, dict[str, Any]]],
) -> CodeMap:
    """`cm` with its graph given as the dicts a networkx DiGraph is made of
    (`adjacency_dicts`), built on first use: assembling a map needs no networkx, and its
    snapshot is written from these very dicts."""
    cm.__dict__.pop("graph", None)
    cm.__dict__["_pending_graph"] = _PendingGraph(("adjacency", graph_attrs, nodes, succ, pred))
    return cm


def adjacency(
    cm: CodeMap,
) -> tuple[Mapping[str, Mapping[str, Any]], Mapping[str, Mapping[str, Any]]]:
    """(successors, predecessors): node -> {neighbour: edge attributes}, read from the
    stored or assembled dicts while the graph is not built yet (mapping issues needs a few
    nodes' neighbours, not networkx), else the graph's. Read only: they may be the
    graph's own dicts."""
    pending = cm.__dict__.get("_pending_graph")
    plain = pending.plain() if isinstance(pending, _PendingGraph) else None
    if plain is not None and plain[0] == "adjacency":
        return plain[3], plain[4]
    return cm.graph.succ, cm.graph.pred


def graph_view(
    cm: CodeMap,
) -> tuple[Mapping[str, Mapping[str, Any]], Mapping[str, Any], Mapping[str, Any]] | None:
    """(node attributes, successors, predecessors) of the map's graph, as `adjacency`
    reads them (the stored dicts while the graph is not built, else the graph's views);
    None for a map without a graph. Read only."""
    pending = cm.__dict__.get("_pending_graph")
    plain = pending.plain() if isinstance(pending, _PendingGraph) else None
    if plain is not None and plain[0] == "adjacency":
        return plain[2], plain[3], plain[4]
    graph = cm.graph
    return None if graph is None else (graph.nodes, graph.succ, graph.pred)


def take_adjacency(
    cm: CodeMap,
) -> tuple[
    dict[str, Any],
    dict[str, dict[str, Any]],
    dict[str, dict[str, dict[str, Any]]],
    dict[str, dict[str, dict[str, Any]]],
]:
    """(graph attributes, nodes, successors, predecessors) of the map's graph as dicts to
    update in place: a restored or assembled map's own (the map must not be used after),
    else copies of its built graph's."""
    pending = cm.__dict__.get("_pending_graph")
    plain = pending.plain() if isinstance(pending, _PendingGraph) else None
    if plain is not None and plain[0] == "adjacency":
        cm.__dict__.pop("_pending_graph")
        return plain[1], plain[2], plain[3], plain[4]
    graph = cm.graph
    nodes = {n: dict(attrs) for n, attrs in graph.nodes(data=True)}
    succ, pred = adjacency_dicts(nodes, (((a, b), dict(d)) for a, b, d in graph.edges(data=True)))
    return dict(graph.graph), nodes, succ, pred


def add_edges_fast(graph: nx.DiGraph, edges: Iterable[tuple[str, str, dict[str, Any]]]) -> None:
    """Add edges between existing nodes, about twice as fast as `add_edges_from` on
    PyTorch's ~70k edges (~0.15 s saved per map).

    A networkx DiGraph is the dicts `_succ[u][v]` and `_pred[v][u]` sharing one attribute
    dict per edge (see "Subclasses" in the networkx reference); filling them directly
    skips per-edge checks we do not need. Anything unexpected (a networkx that stores
    graphs differently, an unknown node) falls back to the public method."""
    succ = getattr(graph, "_succ", None)
    pred = getattr(graph, "_pred", None)
    pending = list(edges)
    if (
        type(succ) is not dict
        or type(pred) is not dict
        or getattr(graph, "__networkx_cache__", None)
        or any(a not in succ or b not in succ for a, b, _ in pending)
    ):
        graph.add_edges_from(pending)
        return
    for a, b, attrs in pending:
        succ[a][b] = attrs
        pred[b][a] = attrs


# --------------------------------------------------------------------------- internals
class _PendingGraph:
    """A stored graph not built yet. Built once: its dicts become the graph's own."""

    def __init__(self, plain: tuple[Any, ...]) -> None:
        self._plain: tuple[Any, ...] | None = plain

    def plain(self) -> tuple[Any, ...] | None:
        """The stored form, or None once the graph is built (its dicts are the graph's)."""
        return self._plain

    def edge_attributes(self) -> list[dict[str, Any]]:
        plain = self._plain
        if plain is None:
            raise RuntimeError("the graph was built already")
        if plain[0] == "adjacency":
            return [attrs for targets in plain[3].values() for attrs in targets.values()]
        return [attrs for _, _, attrs in plain[3]]

    def build(self) -> nx.DiGraph:
        plain, self._plain = self._plain, None
        graph = _graph_from_plain(plain)
        if graph is None:  # checked by _is_plain_graph before this object was made
            raise ValueError("not a stored graph")
        return graph


def _is_plain_graph(value: Any) -> bool:
    """The shape `_graph_to_plain` writes (what `_graph_from_plain` accepts)."""
    if not isinstance(value, tuple) or not value:
        return False
    if value[0] == "adjacency":
        return len(value) == 5 and all(isinstance(part, dict) for part in value[1:])
    return value[0] == "lists" and len(value) == 4 and isinstance(value[1], dict)


def _graph_to_plain(graph: nx.DiGraph) -> tuple[Any, ...]:
    """A plain DiGraph as its own dicts; anything else (a subclass, a networkx that stores
    graphs differently) as node and edge lists."""
    import networkx as nx

    parts = (
        getattr(graph, "_node", None),
        getattr(graph, "_succ", None),
        getattr(graph, "_pred", None),
    )
    if type(graph) is nx.DiGraph and all(type(p) is dict for p in parts):
        return ("adjacency", graph.graph, *parts)
    nodes = list(graph.nodes(data=True))
    edges = list(graph.edges(data=True))
    return ("lists", graph.graph, nodes, edges)


def _graph_from_plain(value: Any) -> nx.DiGraph | None:
    import networkx as nx

    if not isinstance(value, tuple) or not value:
        return None
    graph = nx.DiGraph()
    if value[0] == "adjacency" and len(value) == 5:
        _, attrs, node, succ, pred = value
        _unshare_edge_dicts(succ, pred)
        graph.graph = attrs
        graph._node = node
        graph._adj = succ  # networkx sets `_succ` (the same dict) along with `_adj`
        graph._pred = pred
        if graph._succ is not succ:  # a networkx that keeps them apart: rebuild publicly
            return _graph_from_lists(attrs, list(node.items()), _edges_of(succ))
        return graph
    if value[0] == "lists" and len(value) == 4:
        return _graph_from_lists(value[1], value[2], value[3])
    return None


def _graph_from_lists(
    attrs: dict[str, Any],
    nodes: list[tuple[str, dict[str, Any]]],
    edges: list[tuple[str, str, dict[str, Any]]],
) -> nx.DiGraph:
    import networkx as nx

    graph = nx.DiGraph(**attrs)
    graph.add_nodes_from(nodes)
    add_edges_fast(graph, edges)
    return graph


def _unshare_edge_dicts(
    succ: dict[str, dict[str, dict[str, Any]]], pred: dict[str, dict[str, dict[str, Any]]]
) -> None:
    """Give each edge an attribute dict of its own (still one for both directions), as a
    graph that is edited expects: a map's include edges share one while it is assembled,
    stored and restored (see `codemap.complete_code_map`)."""
    seen: set[int] = set()
    for a, targets in succ.items():
        for b, attrs in targets.items():
            if id(attrs) in seen:
                own = dict(attrs)
                targets[b] = own
                pred[b][a] = own
            else:
                seen.add(id(attrs))


def _edges_of(succ: dict[str, dict[str, dict[str, Any]]]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(a, b, d) for a, targets in succ.items() for b, d in targets.items()]


def _restore_all(cls: type[Any], states: list[dict[str, Any]]) -> dict[str, Any]:
    """Objects by name from their stored `__dict__`s, without running `__init__` (about
    ten times faster than calling it 12k times; the fields were checked by _signature)."""
    new = object.__new__
    out: dict[str, Any] = {}
    for state in states:
        obj = new(cls)
        obj.__dict__ = state
        out[state["name"]] = obj
    return out


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _signature() -> tuple[tuple[str, ...], ...]:
    """The dataclass fields a snapshot was written with."""
    return (_field_names(CodeMap), _field_names(ModuleInfo), _field_names(AreaInfo))
