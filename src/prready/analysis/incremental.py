"""Update a code map after some Python files' contents changed, rebuilding only what they
touch; the result equals a cold build (`codemap.MapAssembly`) of the changed tree.

Applies when the module set is unchanged (same sources, same skipped files, no scan
error gained or lost): module names, packages and areas are then the previous map's.
The changed modules' import and binding edges are resolved again and replace theirs in
the previous graph's dicts, in place (a module's out-edges come from its own imports
only); an importer gained is put where a cold build puts it, so nodes, edges and
neighbours keep a cold build's order. Degrees and centrality are recounted for the
modules whose edges moved; transitive dependents are kept when who reaches whom did not
change, else recounted (for the Python modules alone when no Python module imports a
native file: native files then reach only each other). Areas (line counts, history) are
recomputed; the symbol index is kept unless a changed module's public names or
re-exports changed (`symbol_inputs`). Anything else (files added, deleted, renamed,
native sources changed) is a cold build.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping

from prready.analysis.codemap import (
    Edges,
    ImportLinker,
    PythonResolver,
    RepoFacts,
    handwritten_scans,
    map_with_facts,
    marked_generated,
)
from prready.analysis.layout import python_module_names
from prready.analysis.metrics import transitive_dependents
from prready.analysis.pyscan import PyScan
from prready.analysis.snapshot import MapChanges, take_adjacency, with_pending_graph
from prready.analysis.symbols import build_symbol_index, is_facade
from prready.code_models import CodeMap, ModuleInfo


def symbol_inputs(scan: PyScan, path: str) -> tuple[object, ...]:
    """What the symbol index reads from the scan of the file at `path`: public (or
    exported) definitions, `__all__`, unconditional `from` imports, whether the file is
    generated and, when it is, whether it defines names at all (see `handwritten_scans`),
    and whether it is a facade that re-exports its imports (`symbols.is_facade`, not a
    package). Two scans of one file with equal inputs give the same index."""
    exported = set(scan.all_names or ())
    imports = tuple(
        (i.level, i.module, i.names, i.reexports)
        for i in scan.imports
        if i.names and not i.conditional
    )
    return (
        tuple(n for n in scan.defs if not n.startswith("_") or n in exported),
        scan.all_names,
        imports,
        scan.generated,
        marked_generated(scan.generated, path) and bool(scan.defs),
        # (Only where it matters: a file with no `from` import gaining its first private
        # name changes nothing, and costs an update no rebuild.)
        bool(imports) and is_facade(scan) and posixpath.basename(path) != "__init__.py",
    )


def update_code_map(
    previous: CodeMap,
    head: str,
    py_paths: list[str],
    changed: dict[str, PyScan],
    facts: RepoFacts,
    *,
    extension_modules: dict[str, str],
    symbol_scans: dict[str, PyScan] | None,
) -> tuple[CodeMap, MapChanges]:
    """`previous` with the Python files `changed` (path -> new scan, none with an error)
    rescanned, and what changed in it. `py_paths` are all Python sources (as in the
    previous map); `symbol_scans` (module -> scan, every Python module) rebuilds the
    symbol index, None keeps it.

    `previous` is consumed: its graph's dicts and its modules are updated in place (only
    the changed modules' out-edges and the metrics of the modules those edges touch), so
    an update costs about as much as the edges it changes, not the whole graph."""
    names = python_module_names(py_paths)
    infos = previous.modules
    py_modules = {m for m, info in infos.items() if info.language == "python"}
    packages = {n.name for n in names.values() if n.is_package and n.name in py_modules}
    loose = {n.name for n in names.values() if not n.packaged and n.name in py_modules}
    position = {name: i for i, name in enumerate(infos)}
    new_scans = sorted(
        ((names[path].name, scan) for path, scan in changed.items()),
        key=lambda item: position[item[0]],
    )
    graph_attrs, nodes, succ, pred = take_adjacency(previous)
    resolver = PythonResolver(py_modules, packages, loose)
    linker = ImportLinker(resolver, extension_modules, infos)

    # The changed modules' edges, found as a cold build finds them (in import order).
    new_edges: dict[str, dict[str, dict[str, object]]] = {}
    same_imports = True  # every changed module imports the same modules as before
    added: list[tuple[str, str]] = []  # edges a changed module gained
    lost = False  # whether a changed module dropped an edge
    for name, _scan in new_scans:
        own: Edges = {}  # (name, target) keys: no other module adds such an edge
        linker.add_edges(own, name, _scan)
        new_edges[name] = {b: attrs for (_, b), attrs in own.items()}
        before, after = succ[name].keys(), new_edges[name].keys()
        same_imports = same_imports and before == after
        lost = lost or not before <= after
        added.extend((name, b) for b in sorted(after - before))
    # Who reaches whom stays as it was when no edge was lost and every new edge joins
    # modules the importer reached already (checked on the graph before the change).
    same_reach = same_imports or (not lost and all(_reached(succ, a, b) for a, b in added))
    bindings_before = not same_reach and _has_binding_edges(infos, pred, extension_modules)

    touched: set[str] = set()  # modules whose in- or out-degree may have moved
    reorder: set[str] = set()  # modules that gained an importer
    changes = MapChanges(symbols=symbol_scans is not None, files=facts.files != previous.files)
    for name, scan in new_scans:
        old, new = succ[name], new_edges[name]
        changes.pred.update(old, new)  # importers, or the attribute dicts they hold
        for b in old:
            if b not in new:
                del pred[b][name]
                touched.add(b)
        for b, attrs in new.items():
            if b not in old:
                reorder.add(b)
                touched.add(b)
            pred[b][name] = attrs  # an importer kept keeps its place
        succ[name] = new
        touched.add(name)
        infos[name].lines = scan.lines
        infos[name].generated = marked_generated(scan.generated, infos[name].path)
        nodes[name]["lines"] = scan.lines
    for b in reorder:
        pred[b] = _cold_order(pred[b], infos, position)

    scale = 1.0 / (len(infos) - 1) if len(infos) > 1 else 0.0
    for name in touched:
        info = infos[name]
        info.dependents = len(pred[name])
        info.dependencies = len(succ[name])
        info.centrality = round(info.dependents * scale, 6)
    changes.nodes = {name for name, _ in new_scans}
    changes.succ = set(changes.nodes)
    changes.modules = touched | changes.nodes
    if not same_reach:
        if bindings_before or _has_binding_edges(infos, pred, extension_modules):
            changes.modules |= _all_transitive(infos, succ)
        else:
            # No edge joins a Python module to a native file: native files reach only
            # each other (unchanged), Python modules only Python modules.
            changes.modules |= _all_transitive(infos, succ, only="python")

    if symbol_scans is None:
        symbols = previous.symbols
    else:
        symbols = build_symbol_index(
            handwritten_scans(symbol_scans, infos), packages, resolver.resolve_source
        )
    skipped = {reason: list(paths) for reason, paths in previous.skipped.items()}
    cm = map_with_facts(
        previous.repo, previous.root, head, infos, succ, packages, symbols, skipped, facts
    )
    return with_pending_graph(cm, graph_attrs, nodes, succ, pred), changes


def _cold_order(
    importers: dict[str, dict[str, object]],
    infos: Mapping[str, ModuleInfo],
    position: Mapping[str, int],
) -> dict[str, dict[str, object]]:
    """A module's importers in the order a cold build adds their edges: Python importers
    in module order (each module's imports are resolved in turn), then the native files
    including it (include edges come last, in the order they were linked)."""
    python = sorted(
        (a for a in importers if infos[a].language == "python"), key=position.__getitem__
    )
    out = {a: importers[a] for a in python}
    out.update((a, attrs) for a, attrs in importers.items() if a not in out)
    return out


def _has_binding_edges(
    infos: Mapping[str, ModuleInfo],
    pred: Mapping[str, Mapping[str, object]],
    extension_modules: Mapping[str, str],
) -> bool:
    """Whether a Python module imports a native file (a compiled extension's source):
    binding edges only reach the files that declare extension modules."""
    for native in set(extension_modules.values()):
        if any(infos[a].language == "python" for a in pred.get(native, ())):
            return True
    return False


def _all_transitive(
    infos: Mapping[str, ModuleInfo],
    succ: Mapping[str, Mapping[str, object]],
    only: str | None = None,
) -> set[str]:
    """Recount every module's transitive dependents (of one language's modules only,
    when no edge joins them to the others); returns the modules whose count moved."""
    names = [n for n, info in infos.items() if only is None or info.language == only]
    index = {n: i for i, n in enumerate(names)}
    pairs = [(index[a], index[b]) for a in names for b in succ[a] if b in index]
    moved = set()
    for name, count in zip(names, transitive_dependents(names, pairs), strict=True):
        info = infos[name]
        if info.dependents_transitive != count:
            info.dependents_transitive = count
            moved.add(name)
    return moved


def _reached(succ: Mapping[str, Mapping[str, object]], start: str, goal: str) -> bool:
    """Whether `goal` is `start` or reachable from it over `succ` (depth first, stops at
    the first path found: an importer of `torch` reaches it in a few steps)."""
    if start == goal:
        return True
    seen = {start}
    stack = [start]
    while stack:
        for nxt in succ[stack.pop()]:
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False
