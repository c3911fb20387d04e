"""Update a code map after some Python files' contents changed, rebuilding only what they
touch; the result equals a cold `assemble_code_map` of the changed tree.

Applies when the module set is unchanged (same sources, same skipped files, no scan
error gained or lost): module names, packages and areas are then the previous map's.
The changed modules' import and binding edges are resolved again, every other module
keeps its edges (a module's out-edges come from its own imports only), and the graph is
rebuilt in the order a cold build adds nodes and edges. Module metrics are kept when the
changed modules import the same modules as before, else recomputed (they depend on the
whole graph); areas (line counts, history) are recomputed; the symbol index is kept
unless a changed module's public names or re-exports changed (`symbol_inputs`).
Anything else (files added, deleted, renamed, native sources changed) is a cold build.
"""

from __future__ import annotations

from collections.abc import Mapping

from prready.analysis.codemap import (
    Edges,
    ImportLinker,
    MapParts,
    PythonResolver,
    RepoFacts,
    complete_code_map,
    handwritten_scans,
)
from prready.analysis.layout import python_module_names
from prready.analysis.pyscan import PyScan
from prready.analysis.snapshot import adjacency
from prready.analysis.symbols import build_symbol_index
from prready.models import CodeMap, ModuleInfo

_EDGE_KINDS_OF_PYTHON = ("import", "binding")


def symbol_inputs(scan: PyScan) -> tuple[object, ...]:
    """What the symbol index reads from one scan: public (or exported) definitions,
    `__all__`, unconditional `from` imports, whether the file is generated. Two scans
    with equal inputs give the same index."""
    exported = set(scan.all_names or ())
    return (
        tuple(n for n in scan.defs if not n.startswith("_") or n in exported),
        scan.all_names,
        tuple((i.level, i.module, i.names) for i in scan.imports if i.names and not i.conditional),
        scan.generated,
    )


def update_code_map(
    previous: CodeMap,
    head: str,
    py_paths: list[str],
    changed: dict[str, PyScan],
    facts: RepoFacts,
    *,
    extension_modules: dict[str, str],
    native_links: tuple[list[str], list[tuple[str, str]]],
    symbol_scans: dict[str, PyScan] | None,
) -> CodeMap:
    """`previous` with the Python files `changed` (path -> new scan, none with an error)
    rescanned. `py_paths` are all Python sources (as in the previous map); `symbol_scans`
    (module -> scan, every Python module) rebuilds the symbol index, None keeps it."""
    names = python_module_names(py_paths)
    py_modules = {m for m, info in previous.modules.items() if info.language == "python"}
    packages = {n.name for n in names.values() if n.is_package and n.name in py_modules}
    loose = {n.name for n in names.values() if not n.packaged and n.name in py_modules}
    new_scans = {names[path].name: scan for path, scan in changed.items()}

    infos: dict[str, ModuleInfo] = {}
    area_of: dict[str, str] = {}
    for name, old in previous.modules.items():
        scan = new_scans.get(name)
        infos[name] = ModuleInfo(
            name=name,
            path=old.path,
            language=old.language,
            lines=scan.lines if scan is not None else old.lines,
            package=old.package,
            is_test=old.is_test,
        )
        area_of[name] = old.area

    resolver = PythonResolver(py_modules, packages, loose)
    linker = ImportLinker(resolver, extension_modules, infos)
    succ = adjacency(previous)[0]
    edges: Edges = {}
    same_imports = True  # every changed module imports the same modules as before
    added: list[tuple[str, str]] = []  # edges a changed module gained
    lost = False  # whether a changed module dropped an edge
    for name, info in infos.items():
        if info.language != "python":
            continue
        scan = new_scans.get(name)
        if scan is not None:
            own: Edges = {}  # (name, target) keys: no other module adds such an edge
            linker.add_edges(own, name, scan)
            edges.update(own)
            before, after = set(succ[name]), {b for _, b in own}
            same_imports = same_imports and before == after
            lost = lost or not before <= after
            added.extend((name, b) for b in sorted(after - before))
            continue
        for target, attrs in succ[name].items():
            if attrs.get("kind") in _EDGE_KINDS_OF_PYTHON:
                edges[(name, target)] = dict(attrs)

    if symbol_scans is None:
        symbols = dict(previous.symbols)
    else:
        symbols = build_symbol_index(
            handwritten_scans(symbol_scans, infos), packages, resolver.resolve_source
        )
    skipped = {reason: list(paths) for reason, paths in previous.skipped.items()}
    parts = MapParts(infos, packages, edges, area_of, skipped)
    # Module metrics depend on the nodes and edge pairs only: an edit that imports the
    # same modules as before leaves them all as they were.
    if same_imports:
        parts.metrics_of = previous.modules
    elif not lost and all(_reached(succ, a, b) for a, b in added):
        # Only edges to modules their importer reached already: who reaches whom, and so
        # every module's transitive dependents, is as before; in/out degrees are counted.
        parts.transitive_of = {n: m.dependents_transitive for n, m in previous.modules.items()}
    return complete_code_map(
        previous.repo, previous.root, head, parts, native_links, symbols, facts
    )


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
