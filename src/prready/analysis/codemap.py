"""Build the CodeMap (networkx graph, module and area metrics, symbols) from scan results.

Pure: everything it needs (file list, scans, history, CODEOWNERS text...) is passed in.
Python edges follow import semantics: relative imports resolved; `from pkg import name`
goes to `pkg.name` when that is a module, else to `pkg`; `import a.b` reads like
`from a import b`; imports of modules not in the tree give no edge (grimp agrees, see
tests/system/test_grimp_compare.py). Native edges are resolved `#include`s. Binding edges join a
Python import of a compiled extension (`torch._C`) to the native file that declares that
extension module (`PyModuleDef` / `PYBIND11_MODULE`), which is cheap and unambiguous.
Generated modules (see `layout.is_generated_path` and `PyScan.generated`) are marked
(`ModuleInfo.generated`: never ranked as a place to fix), and those defining names of
their own (ctypes bindings, tables) are kept out of the symbol index; a generated module
of re-exports only (Keras's `keras/api/`) is the public API's map and stays in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from prready.analysis.areas import AreaInputs, Placed, assign_areas, build_areas
from prready.analysis.build import build_facts_to_plain, detect_build
from prready.analysis.issue_templates import template_text
from prready.analysis.layout import (
    SourceFile,
    is_generated_path,
    is_test_path,
    python_module_names,
)
from prready.analysis.metrics import transitive_dependents
from prready.analysis.native import NativeScan, link_includes
from prready.analysis.pyscan import ImportStmt, PyScan
from prready.analysis.snapshot import adjacency_dicts, with_pending_graph
from prready.analysis.symbols import build_symbol_index
from prready.code_models import CodeMap, CommitRecord, ModuleInfo


@dataclass
class RepoFacts:
    """Texts and history read from the checkout, passed in so this module stays pure."""

    history: list[CommitRecord] = field(default_factory=list)  # last 12 months before HEAD
    codeowners: str = ""
    labeler: str = ""
    contributing: str = ""
    contributing_source: str = ""
    files: list[str] = field(default_factory=list)  # every tracked file, sorted
    test_runner: str = "pytest"  # how the repository runs Python tests
    # Root build files (setup.py, pyproject.toml, setup.cfg) -> text, for detect_build.
    build_texts: dict[str, str] = field(default_factory=dict)
    # The issue templates (`issue_templates.template_paths`) -> text.
    issue_templates: dict[str, str] = field(default_factory=dict)


class MapAssembly:
    """A cold map assembled while its Python scans come in. Once the native scans are in,
    each Python module's info and import edges are worked out as soon as its scan and
    those of the modules before it (in source order) are there: a caller that receives
    scans chunk by chunk overlaps that work with the scan of the rest; a caller with all
    the scans adds them at once. `finish` gives the whole map. Linking as scans come in
    supposes every Python file scans cleanly; when one does not (its module is left out,
    which may change what other imports resolve to), `finish` links the Python modules
    again, in the same order, with the modules there are. `extension_modules` maps a
    compiled module's dotted name to the native file that defines it (see
    `extension_module_names`)."""

    def __init__(
        self,
        sources: list[SourceFile],
        native_scans: dict[str, NativeScan],
        extension_modules: dict[str, str],
    ) -> None:
        self.sources = sources
        self.native_scans = native_scans
        self.extension_modules = extension_modules
        self.python = [s.path for s in sources if s.language == "python"]
        self.names = python_module_names(self.python)
        # The native files in the graph, by path (the only files a binding edge reaches).
        self.native_infos: dict[str, ModuleInfo] = {}
        self.native_errors: dict[str, str] = {}
        for src in sources:
            if src.language == "python":
                continue
            nscan = native_scans.get(src.path)
            if nscan is None or nscan.error:
                self.native_errors[src.path] = nscan.error if nscan else "unreadable"
            else:
                self.native_infos[src.path] = _module_info(src, src.path, nscan.lines, False)
        names = self.names.values()
        self.packages = {n.name for n in names if n.is_package}
        self.loose = {n.name for n in names if not n.packaged}
        resolver = PythonResolver({n.name for n in names}, self.packages, self.loose)
        self.linker = ImportLinker(resolver, extension_modules, self.native_infos)
        self.edges: Edges = {}
        self.source_of = {s.path: s for s in sources if s.language == "python"}
        self.py_infos: dict[str, ModuleInfo] = {}  # by path: the modules linked so far
        self.py_by_module: dict[str, PyScan] = {}
        self.scans: dict[str, PyScan] = {}
        self.linked = 0  # Python sources linked so far, in source order
        self.clean = True  # no Python scan so far has an error
        self.areas: tuple[int | None, dict[str, str]] | None = None  # see place_areas
        self.pairs: list[tuple[int, int]] | None = None  # see metric_pairs

    def place_areas(self, depth: int | None = None) -> None:
        """Assign the modules' areas now, for `finish` with this `depth` to use when every
        Python file scans cleanly (else it assigns them again): an area follows from a
        module's name, path and language only, so this runs while the Python files are
        scanned instead of after. The modules are placed in `finish`'s order."""
        placed: dict[str, Placed] = {}
        names, native_infos = self.names, self.native_infos
        for src in self.sources:
            if src.language == "python":
                name = names[src.path].name
                placed[name] = _Place(name, src.path, src.language)
            elif (info := native_infos.get(src.path)) is not None:
                placed[info.name] = info
        self.areas = (depth, assign_areas(placed, self.packages, depth))

    def add_python(self, scans: dict[str, PyScan]) -> None:
        """Python scans (by path) that came in: link the modules now ready."""
        self.scans.update(scans)
        python, names, loose, edges = self.python, self.names, self.loose, self.edges
        add_edges = self.linker.add_edges
        while self.clean and self.linked < len(python):
            path = python[self.linked]
            scan = self.scans.get(path)
            if scan is None:
                return
            if scan.error:
                self.clean = False
                return
            name = names[path].name
            self.py_infos[path] = _module_info(
                self.source_of[path], name, scan.lines, name not in loose, scan.generated
            )
            self.py_by_module[name] = scan
            add_edges(edges, name, scan)
            self.linked += 1

    def module_infos(self) -> dict[str, ModuleInfo] | None:
        """The modules `finish` will put in the map (by name, in its order), once every
        Python file was added and scanned cleanly; None until then or when a scan had an
        error (`finish` then links them again)."""
        if not (self.clean and self.linked == len(self.python)):
            return None
        py_infos, native_infos = self.py_infos, self.native_infos
        infos: dict[str, ModuleInfo] = {}
        for src in self.sources:
            info = py_infos.get(src.path) or native_infos.get(src.path)
            if info is not None:
                infos[info.name] = info
        return infos

    def metric_pairs(
        self, modules: dict[str, ModuleInfo], include_edges: list[tuple[str, str]]
    ) -> list[tuple[int, int]]:
        """The graph `finish` builds from `modules` (what `module_infos` gave) and these
        include edges, as (importer, imported) pairs of indexes into `modules`: what
        `transitive_dependents` counts, worked out before `finish` (by another process)."""
        index = {name: i for i, name in enumerate(modules)}
        edges = self.edges
        pairs = [(index[a], index[b]) for a, b in edges]
        included = (e for e in include_edges if e[0] in index and e[1] in index and e not in edges)
        pairs += [(index[a], index[b]) for a, b in dict.fromkeys(included)]
        self.pairs = pairs  # `finish` counts the degrees from them
        return pairs

    def finish(
        self,
        repo: str,
        root: str,
        head: str,
        skipped: dict[str, list[str]],
        facts: RepoFacts,
        *,
        area_depth: int | None = None,
        native_links: tuple[list[str], list[tuple[str, str]]] | None = None,
        transitive_of: Callable[[], dict[str, int] | None] | None = None,
    ) -> CodeMap:
        """The map, once every Python scan was added: a scan with an error keeps its file
        out of the graph and in `skipped[error]`. `native_links`: a cached result of
        `link_includes` for the same native files (it only changes when they do).
        `transitive_of`: when every Python file scanned cleanly, gives each module's
        transitive dependents as counted elsewhere from `metric_pairs` (None: counted
        here), asked for once the rest of the map needs them."""
        skipped = {k: list(v) for k, v in skipped.items()}
        infos: dict[str, ModuleInfo] = {}
        area_of = None
        if self.clean and self.linked == len(self.python):
            if self.areas is not None and self.areas[0] == area_depth:
                area_of = self.areas[1]  # placed while the Python files were scanned
            py_infos, native_infos = self.py_infos, self.native_infos
            for src in self.sources:
                info = py_infos.get(src.path) or native_infos.get(src.path)
                if info is None:
                    skipped.setdefault(self.native_errors[src.path], []).append(src.path)
                else:
                    infos[info.name] = info
            packages, resolver = self.packages, self.linker.resolver
            edges, py_by_module = self.edges, self.py_by_module
        else:
            packages, resolver, edges, py_by_module = self._relink(infos, skipped)
            transitive_of = None  # counted for modules that are not all there
        for paths in skipped.values():
            paths.sort()
        if native_links is None:
            native_scans = self.native_scans
            native_links = link_includes(
                {
                    s.path: native_scans[s.path].includes
                    for s in self.sources
                    if s.path in native_scans
                }
            )
        if area_of is None:
            area_of = assign_areas(infos, packages, area_depth)
        symbols = build_symbol_index(
            handwritten_scans(py_by_module, infos), packages, resolver.resolve_source
        )
        parts = MapParts(infos, packages, edges, area_of, skipped, transitive_of=transitive_of)
        if transitive_of is not None:  # counted from `metric_pairs`: the same graph's pairs
            parts.pairs = self.pairs
        return complete_code_map(repo, root, head, parts, native_links, symbols, facts)

    def _relink(
        self, infos: dict[str, ModuleInfo], skipped: dict[str, list[str]]
    ) -> tuple[set[str], PythonResolver, Edges, dict[str, PyScan]]:
        """`infos` and `skipped` filled in, and the Python modules linked again among the
        modules that scanned cleanly: (packages, resolver, edges, scan by module)."""
        py_by_module: dict[str, PyScan] = {}
        packages: set[str] = set()
        loose: set[str] = set()
        for src in self.sources:
            if src.language == "python":
                scan = self.scans.get(src.path)
                if scan is None or scan.error:
                    skipped.setdefault(scan.error if scan else "unreadable", []).append(src.path)
                    continue
                name, is_package, packaged = self.names[src.path]
                if is_package:
                    packages.add(name)
                if not packaged:
                    loose.add(name)
                py_by_module[name] = scan
                infos[name] = _module_info(src, name, scan.lines, packaged, scan.generated)
            elif (info := self.native_infos.get(src.path)) is not None:
                infos[info.name] = info
            else:
                skipped.setdefault(self.native_errors[src.path], []).append(src.path)
        resolver = PythonResolver(set(py_by_module), packages, loose)
        linker = ImportLinker(resolver, self.extension_modules, infos)
        edges: Edges = {}
        for module, scan in py_by_module.items():
            linker.add_edges(edges, module, scan)
        return packages, resolver, edges, py_by_module


class _Place(NamedTuple):
    """A Python module as `assign_areas` sees it, before its file is scanned."""

    name: str
    path: str
    language: str


def _module_info(
    src: SourceFile, name: str, lines: int, packaged: bool, generated: bool = False
) -> ModuleInfo:
    """A module's info before its metrics: `packaged`, a Python module named from its
    package (not a loose script or test); `generated`, its scan says a tool wrote it (a
    file under a folder of generated code is, whatever its scan says)."""
    python = src.language == "python"
    return ModuleInfo(
        name=name,
        path=src.path,
        language=src.language,
        lines=lines,
        package=name.partition(".")[0] if python else src.path.partition("/")[0],
        is_test=is_test_path(src.path, python and packaged),
        generated=marked_generated(generated, src.path),
    )


def marked_generated(scan_says: bool, path: str) -> bool:
    """Whether a module is generated: its scan says a tool wrote it, or it lies under a
    folder of generated code."""
    return scan_says or is_generated_path(path)


Edges = dict[tuple[str, str], dict[str, object]]


@dataclass
class MapParts:
    """What a map is completed from: modules (metrics still to fill in), packages, Python
    edges in the order a cold build finds them, each module's area, skipped files."""

    infos: dict[str, ModuleInfo]
    packages: set[str]
    edges: Edges
    area_of: dict[str, str]
    skipped: dict[str, list[str]]
    # Gives the modules' transitive dependents as counted elsewhere (None: counted here),
    # asked for only once the rest of the map is built: another process counts them
    # meanwhile (see `MapAssembly.finish`).
    transitive_of: Callable[[], dict[str, int] | None] | None = None
    # The graph's (importer, imported) pairs of indexes into `infos`, include edges added,
    # when worked out already (`MapAssembly.metric_pairs`): what `transitive_of` counted.
    pairs: list[tuple[int, int]] | None = None


def complete_code_map(
    repo: str,
    root: str,
    head: str,
    parts: MapParts,
    native_links: tuple[list[str], list[tuple[str, str]]],
    symbols: dict[str, str],
    facts: RepoFacts,
) -> CodeMap:
    """Add the include edges, build the graph, fill in module metrics and areas."""
    infos, edges, area_of = parts.infos, parts.edges, parts.area_of
    roots, include_edges = native_links
    # Every include edge holds this one attribute dict until the networkx graph is built
    # (which gives each its own: `snapshot._unshare_edge_dicts`): 55k dicts fewer on
    # PyTorch, and its snapshot stores it once (marshal keeps it shared), which halves the
    # time to store and to restore the map.
    included = {"kind": "include", "conditional": False, "line": 0}
    for a, b in include_edges:
        if a in infos and b in infos:
            # Include edges join native files, which no other kind of edge starts from.
            edges.setdefault((a, b), included)
    nodes = {
        name: {
            "path": info.path,
            "lines": info.lines,
            "package": info.package,
            "language": info.language,
            "area": area_of[name],
            "is_test": info.is_test,
        }
        for name, info in infos.items()
    }
    graph_attrs = {"include_roots": ",".join(roots) if roots else ""}
    for name, info in infos.items():
        info.area = area_of[name]
    succ, pred = adjacency_dicts(nodes, edges.items())
    cm = map_with_facts(
        repo, root, head, infos, succ, parts.packages, symbols, parts.skipped, facts
    )
    # Last, so that what another process counts meanwhile is ready when it is needed.
    counted = parts.transitive_of() if parts.transitive_of is not None else None
    _module_metrics(infos, edges, counted, parts.pairs if counted is not None else None)
    return with_pending_graph(cm, graph_attrs, nodes, succ, pred)


def map_with_facts(
    repo: str,
    root: str,
    head: str,
    infos: dict[str, ModuleInfo],
    succ: dict[str, dict[str, dict[str, object]]],
    packages: set[str],
    symbols: dict[str, str],
    skipped: dict[str, list[str]],
    facts: RepoFacts,
) -> CodeMap:
    """The map of these modules (metrics and areas filled in) with what the repository's
    texts and history say: areas, owners, labels, build facts. Its graph is given by the
    caller (`with_pending_graph`)."""
    rules: list[tuple[str, list[str]]] = []
    owner_labels: dict[str, list[str]] = {}
    label_paths: dict[str, list[str]] = {}
    if facts.codeowners or facts.labeler:
        # Imported here, when there is something to parse: it loads pathspec.
        from prready.analysis.ownership import parse_codeowners, parse_labeler

        rules, owner_labels = parse_codeowners(facts.codeowners)
        label_paths = parse_labeler(facts.labeler)
    for label, globs in owner_labels.items():
        label_paths.setdefault(label, []).extend(g for g in globs if g not in label_paths[label])
    area_of = {name: info.area for name, info in infos.items()}
    areas = build_areas(
        AreaInputs(successors=succ, modules=infos, area_of=area_of, packages=packages),
        facts.history,
        rules,
        facts.test_runner,
    )
    return CodeMap(
        repo=repo,
        root=root,
        head=head,
        graph=None,  # type: ignore[arg-type]  # given as dicts by the caller
        modules=infos,
        areas=areas,
        symbols=symbols,
        skipped=skipped,
        label_paths=label_paths,
        codeowners=rules,
        contributing=facts.contributing,
        contributing_source=facts.contributing_source,
        files=facts.files,
        build=build_facts_to_plain(detect_build(facts.files, facts.build_texts)),
        issue_templates=template_text(facts.issue_templates) if facts.issue_templates else {},
    )


def handwritten_scans(
    py_by_module: dict[str, PyScan], infos: dict[str, ModuleInfo]
) -> dict[str, PyScan]:
    """The scans the symbol index is built from: all but those of generated modules that
    define names of their own (a generated module of re-exports only stays)."""
    return {
        m: scan
        for m, scan in py_by_module.items()
        if not (scan.defs and infos[m].generated)
    }


class ImportLinker:
    """Adds the edges of one Python module's imports: to internal modules, and binding
    edges to the native files that define the compiled extensions it imports."""

    def __init__(
        self, resolver: PythonResolver, extensions: dict[str, str], infos: dict[str, ModuleInfo]
    ) -> None:
        self.resolver = resolver
        self.extensions = extensions
        self.infos = infos
        # Last parts of the extension names: an absolute import none of whose names ends
        # in one cannot bind to an extension, and most imports are absolute.
        self.ext_tails = {name.rpartition(".")[2] for name in extensions}
        # An absolute import in a packaged module reads the same in every module (only the
        # module itself is left out of its targets): (module, names) -> (internal targets,
        # native files bound), worked out once. `import torch` heads thousands of modules.
        self.absolute: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[list[str], list[str]]]
        self.absolute = {}

    def add_edges(self, edges: Edges, module: str, scan: PyScan) -> None:
        absolute, loose = self.absolute, self.resolver.loose
        for imp in scan.imports:
            if imp.level or module in loose:
                targets, natives = self._links(module, imp, keep_self=False)
            else:
                known = absolute.get((imp.module, imp.names))
                if known is None:
                    known = absolute[(imp.module, imp.names)] = self._links("", imp, keep_self=True)
                targets, natives = known
            for target in targets:
                if target != module:
                    _add_edge(edges, module, target, "import", imp.conditional, imp.line)
            for native in natives:
                _add_edge(edges, module, native, "binding", imp.conditional, imp.line)

    def _links(
        self, module: str, imp: ImportStmt, *, keep_self: bool
    ) -> tuple[list[str], list[str]]:
        """The internal modules `imp` in `module` imports and the native files it binds
        to, in the order found (see `PythonResolver.targets` for `keep_self`)."""
        resolver, extensions, ext_tails = self.resolver, self.extensions, self.ext_tails
        targets = resolver.targets(module, imp, keep_self=keep_self)
        natives: list[str] = []
        if extensions and (
            imp.level
            or imp.module.rpartition(".")[2] in ext_tails
            or not ext_tails.isdisjoint(dict(imp.names))
        ):
            for ext in resolver.absolute_names(module, imp):
                if ext in resolver.modules:
                    continue
                native = extensions.get(ext) or extensions.get(ext.rpartition(".")[2])
                if native is not None and native in self.infos:
                    natives.append(native)
        return targets, natives


class PythonResolver:
    """Turns an import statement of a module into internal module names."""

    def __init__(self, modules: set[str], packages: set[str], loose: set[str]) -> None:
        self.modules = modules
        self.packages = packages
        self.loose = loose

    def resolve_source(self, module: str, level: int, target: str) -> str | None:
        """The internal module a `from <level dots><target> import ...` reads from."""
        full = self._absolute(module, level, target)
        if full is None:
            return None
        if full in self.modules:
            return full
        if level == 0 and module in self.loose:
            sibling = _sibling(module, full)
            if sibling in self.modules:
                return sibling
        return None

    def targets(self, module: str, imp: ImportStmt, *, keep_self: bool = False) -> list[str]:
        """The internal modules `imp` in `module` imports, `module` itself left out. With
        `keep_self` (an absolute import of a packaged module, which has one base) it is
        kept, for a caller that leaves it out itself."""
        full = self._absolute(module, imp.level, imp.module)
        if full is None:
            return []
        bases = [full]
        if imp.level == 0 and module in self.loose:
            bases.append(_sibling(module, full))  # scripts import their neighbours
        for base in bases:
            if imp.names:
                found = []
                for name, _ in imp.names:
                    sub = f"{base}.{name}" if base else name
                    if name != "*" and sub in self.modules:
                        found.append(sub)
                    elif base in self.modules:
                        # `from pkg import name` where name is an attribute. When pkg itself
                        # is unknown (a compiled extension like torch._C, a .pyi stub, an
                        # optional module absent from the tree) the import gives no edge.
                        found.append(base)
                if found:
                    return [t for t in dict.fromkeys(found) if keep_self or t != module]
            else:
                # `import a.b` reads like `from a import b`: a.b if it is a module, else a
                # (a.b is then a compiled extension or a stub); unknown a: no edge.
                parent = base.rpartition(".")[0]
                target = base if base in self.modules else parent if parent in self.modules else ""
                if target and (keep_self or target != module):
                    return [target]
        return []

    def absolute_names(self, module: str, imp: ImportStmt) -> list[str]:
        """Dotted names an import refers to, internal or not (for binding edges)."""
        full = self._absolute(module, imp.level, imp.module)
        if full is None:
            return []
        if not imp.names:
            return [full]
        return [full] + [f"{full}.{n}" if full else n for n, _ in imp.names if n != "*"]

    def _absolute(self, module: str, level: int, target: str) -> str | None:
        if level == 0:
            return target
        parts = module.split(".") if module in self.packages else module.split(".")[:-1]
        if level - 1 >= len(parts):
            return None  # climbs above the top package: an error at run time too
        base = parts[: len(parts) - (level - 1)]
        return ".".join([*base, target]) if target else ".".join(base)


def extension_module_names(declared: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(native path, declared module name) pairs -> {dotted name: path}; names declared by
    more than one file are ambiguous and dropped."""
    seen: dict[str, str] = {}
    clash: set[str] = set()
    for path, name in declared:
        if name in seen and seen[name] != path:
            clash.add(name)
        seen.setdefault(name, path)
    return {k: v for k, v in seen.items() if k not in clash}


def _add_edge(
    edges: Edges,
    a: str,
    b: str,
    kind: str,
    conditional: bool,
    line: int,
) -> None:
    key = (a, b)
    attrs = edges.get(key)
    if attrs is None:
        edges[key] = {"kind": kind, "conditional": conditional, "line": line}
    elif attrs["conditional"] and not conditional:
        attrs["conditional"] = False  # one unconditional import makes the edge unconditional
        attrs["line"] = line


def _sibling(module: str, target: str) -> str:
    parent = module.rpartition(".")[0]
    return f"{parent}.{target}" if parent else target


def _module_metrics(
    infos: dict[str, ModuleInfo],
    edges: Iterable[tuple[str, str]],
    transitive_of: dict[str, int] | None = None,
    pairs: list[tuple[int, int]] | None = None,
) -> None:
    nodes = list(infos)
    if pairs is None:
        index = {n: i for i, n in enumerate(nodes)}
        pairs = [(index[a], index[b]) for a, b in edges]
    if transitive_of is None:
        blast = transitive_dependents(nodes, pairs)
    else:
        blast = [transitive_of[n] for n in nodes]
    fan_in = [0] * len(nodes)
    fan_out = [0] * len(nodes)
    for a, b in pairs:
        fan_out[a] += 1
        fan_in[b] += 1
    # In-degree centrality (share of other modules importing this one): O(V), and on import
    # graphs it ranks hubs (torch, torch.nn.functional) the way PageRank does at a fraction
    # of the cost; PageRank is used on the much smaller area graph.
    scale = 1.0 / (len(nodes) - 1) if len(nodes) > 1 else 0.0
    for i, name in enumerate(nodes):
        info = infos[name]
        info.dependents = fan_in[i]
        info.dependencies = fan_out[i]
        info.dependents_transitive = blast[i]
        info.centrality = round(fan_in[i] * scale, 6)
