"""Areas: modules collapsed to a depth that suits the repository, with their metrics.

Python modules are grouped by package (`torch.nn`), other files by folder
(`aten/src/ATen/native/cuda`). With no fixed depth, top-level packages/folders
are split into their sub-packages/sub-folders, and those further while they hold more than
a share of all files, so `torch` becomes `torch.nn`, `torch.optim`, `torch._inductor`,
`torch._inductor.codegen`..., a small library one area per sub-package. Every direct
sub-package of a top-level package is an area however small (`torch.linalg` is one file,
and PyTorch labels it "module: linear algebra"); deeper, tiny sub-groups stay with their
parent. Header trees shipped inside a Python package (`torch/include/ATen/...`, copies of
the library's and third-party headers made by the build) collapse to one area per folder
under `include/`: they stay in the graph (C++ extensions include them) without flooding
the area list.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from prready import clock
from prready.analysis.layout import named_as_test
from prready.analysis.metrics import pagerank, transitive_dependents
from prready.analysis.native import native_language
from prready.code_models import AreaInfo, CommitRecord, ModuleInfo

# A group is split while it holds more than this share of its language family's files...
SPLIT_SHARE = 0.06
SPLIT_MIN = 40
# ...down to at most this many parts ("torch._inductor.codegen" is 3).
MAX_AUTO_DEPTH = {"py": 3, "path": 6}
# A commit touching more files than this is an import, a vendoring or a codemod (PyTorch's
# own lint and rename sweeps touch thousands of files), not a sign that its author knows
# each area: it counts towards neither churn nor recent authors. Hand-made changes, even
# large refactors, stay well below it.
BULK_COMMIT_FILES = 300
MAX_TESTS = 10
RECENT_AUTHORS = 5
ROOT_AREA = "(root)"


@dataclass
class AreaInputs:
    # Module -> the modules it imports/includes -> edge attributes: a DiGraph's `succ`,
    # or the plain dicts a map is assembled from (no networkx needed).
    successors: Mapping[str, Mapping[str, Any]]
    modules: dict[str, ModuleInfo]
    area_of: dict[str, str]
    packages: set[str]


class Placed(Protocol):
    """What the area of a module follows from: its name, path and language (a
    `ModuleInfo`, or what is known of a module before its file is scanned)."""

    @property
    def name(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def language(self) -> str: ...


def assign_areas(
    modules: Mapping[str, Placed], packages: set[str], depth: int | None = None
) -> dict[str, str]:
    """Module name -> area name. `depth` fixes the number of name parts; None chooses.
    Only the modules' names, paths and languages count (see `Placed`), so a cold map
    assigns them while its Python files are still being scanned."""
    package_dirs = {_parent(modules[p].path) for p in packages if p in modules}
    package_dirs.discard("")
    folders: dict[str, tuple[str, ...]] = {}  # a folder's key parts (its files share them)
    keys = {
        name: _group_key(info, packages, package_dirs, folders) for name, info in modules.items()
    }
    out: dict[str, str] = {}
    py_areas: set[str] = set()
    for family in ("py", "path"):
        members = {n: k[1] for n, k in keys.items() if k[0] == family}
        if not members:
            continue
        if depth is not None:
            chosen = {parts[:depth] for parts in members.values()}
        else:
            chosen = _auto_groups(list(members.values()), MAX_AUTO_DEPTH[family], family == "py")
        if family == "path":
            # Shipped header trees: their collapsed key is the area, whatever the depth.
            chosen |= {k for k in set(members.values()) if in_shipped_headers(k, package_dirs)}
        sep = "." if family == "py" else "/"
        area_of_key: dict[tuple[str, ...], str] = {}  # modules of one folder share the answer
        for name, parts in members.items():
            area = area_of_key.get(parts)
            if area is None:
                cut = next((parts[:i] for i in range(len(parts), 0, -1) if parts[:i] in chosen), ())
                area = area_of_key[parts] = sep.join(cut) if cut else ROOT_AREA
            if family == "py":
                py_areas.add(area)
            elif area in py_areas:
                area += "/"  # the folder "torch" next to the Python package "torch"
            out[name] = area
    return out


def build_areas(
    inputs: AreaInputs,
    history: list[CommitRecord],
    codeowners: list[tuple[str, list[str]]],
    test_runner: str = "pytest",
) -> dict[str, AreaInfo]:
    """AreaInfo for every area: size, area-graph metrics, churn, authors, tests, owners."""
    graph, modules, area_of = inputs.successors, inputs.modules, inputs.area_of
    areas: dict[str, AreaInfo] = {}
    for name, info in modules.items():
        area = areas.get(area_of[name])
        if area is None:
            area = areas[area_of[name]] = AreaInfo(
                name=area_of[name], paths=[], modules=[], languages={}
            )
        area.modules.append(name)
        area.lines += info.lines
        area.languages[info.language] = area.languages.get(info.language, 0) + 1
    for area in areas.values():
        area.modules.sort()
        area.paths = _area_paths(area, modules, inputs.packages)
    _area_graph_metrics(graph, areas, area_of)
    _churn(history, areas, modules, area_of)
    _tests(graph, areas, modules, area_of, inputs.packages, test_runner)
    if not codeowners:
        for area in areas.values():
            area.owners = []
        return dict(sorted(areas.items()))
    # Imported here, when there are rules: it loads pathspec.
    from prready.analysis.ownership import CodeOwners

    owners = CodeOwners(codeowners)
    for area in areas.values():
        probe = next((modules[m].path for m in area.modules if not modules[m].is_test), "")
        area.owners = owners.owners_for(probe) if probe else []
    return dict(sorted(areas.items()))


def churn_window_start(head_date: str) -> str:
    """ISO date 365 days before HEAD's date: churn counts commits after it (not the wall
    clock, so the same checkout always gives the same map)."""
    return clock.iso(clock.parse_iso(head_date) - timedelta(days=365))


# --------------------------------------------------------------------------- internals
def _group_key(
    info: Placed,
    packages: set[str],
    package_dirs: set[str],
    folders: dict[str, tuple[str, ...]],
) -> tuple[str, tuple[str, ...]]:
    """("py", package parts) or ("path", folder parts, cut below a shipped `include/`);
    `folders`: the path keys worked out so far, by folder."""
    if info.language == "python" and "/" not in info.name:
        if info.name in packages:
            return ("py", tuple(info.name.split(".")))
        parent = info.name.rpartition(".")[0]
        if parent in packages:
            return ("py", tuple(parent.split(".")))
    path = info.path
    folder = path[: path.rfind("/")] if "/" in path else ""
    parts = folders.get(folder)
    if parts is None:
        whole = tuple(folder.split("/")) if folder else ()
        parts = folders[folder] = whole[: _include_cut(whole, package_dirs)]
    return ("path", parts)


def _include_cut(parts: tuple[str, ...], package_dirs: set[str]) -> int:
    """How many folder parts to keep: up to one folder below an `include/` that sits in a
    Python package folder (`torch/include/ATen`), else all of them."""
    at = _include_index(parts, package_dirs)
    return len(parts) if at is None else min(len(parts), at + 2)


def in_shipped_headers(parts: tuple[str, ...], package_dirs: set[str]) -> bool:
    """Whether a folder (as parts) lies in a header tree shipped inside a Python package
    (`torch/include/ATen`): copies made by the build, never a place to fix."""
    return _include_index(parts, package_dirs) is not None


def _include_index(parts: tuple[str, ...], package_dirs: set[str]) -> int | None:
    for i, part in enumerate(parts):
        if part == "include" and i and "/".join(parts[:i]) in package_dirs:
            return i
    return None


def _auto_groups(
    keys: list[tuple[str, ...]], max_depth: int, every_subpackage: bool = False
) -> set[tuple[str, ...]]:
    direct: Counter[tuple[str, ...]] = Counter(keys)
    subtree: Counter[tuple[str, ...]] = Counter()
    children: dict[tuple[str, ...], set[tuple[str, ...]]] = defaultdict(set)
    for key, n in direct.items():
        for i in range(1, len(key) + 1):
            subtree[key[:i]] += n
            if i > 1:
                children[key[: i - 1]].add(key[:i])
    threshold = max(SPLIT_MIN, int(len(keys) * SPLIT_SHARE))
    tiny = max(3, threshold // 10)
    chosen: set[tuple[str, ...]] = set()

    def visit(node: tuple[str, ...], depth: int) -> None:
        kids = children.get(node, set())
        # A folder that only holds one sub-folder is a pass-through (aten -> aten/src);
        # a loop, not recursion, so hostile 1000-level folder chains are fine.
        while not direct.get(node) and len(kids) == 1:
            (node,) = kids
            kids = children.get(node, set())
        chosen.add(node)
        # A top-level package is the library itself: its sub-packages are always areas
        # (tinyml.nn, torch.linalg), however small. Deeper groups split only while big.
        top_level = depth == 1
        if (subtree[node] <= threshold and not top_level) or depth >= max_depth:
            return
        if top_level and every_subpackage:
            smallest = 1
        else:
            smallest = 2 if top_level and subtree[node] <= threshold else tiny
        for kid in sorted(kids):
            if subtree[kid] >= smallest:
                visit(kid, depth + 1)

    for top in sorted(k for k in subtree if len(k) == 1):
        visit(top, 1)
    return chosen


def _area_paths(area: AreaInfo, modules: dict[str, ModuleInfo], packages: set[str]) -> list[str]:
    dirs = sorted({_parent(modules[m].path) for m in area.modules})
    if area.name in packages:
        own = _parent(modules[area.name].path)
        return [own + "/"] if own else [""]
    top: list[str] = []
    for d in dirs:
        if not any(d == t or d.startswith(t + "/") for t in top):
            top.append(d)
    return [t + "/" if t else "" for t in top]


def _area_graph_metrics(
    graph: Mapping[str, Mapping[str, Any]], areas: dict[str, AreaInfo], area_of: dict[str, str]
) -> None:
    names = list(areas)
    index = {a: i for i, a in enumerate(names)}
    area_index = {node: index[area] for node, area in area_of.items()}
    # Every edge between two areas as an (importer's, imported's) pair, counted in C:
    # ~70k edges on PyTorch, twice as fast as a Counter incremented edge by edge.
    to_index = area_index.__getitem__
    weights: Counter[tuple[int, int]] = Counter(
        [
            (ia, ib)
            for a, targets in graph.items()
            for ia in (area_index[a],)
            for ib in map(to_index, targets)
            if ia != ib
        ]
    )
    pairs = list(weights)
    blast = transitive_dependents(names, pairs)
    # PageRank on the area graph (hundreds of nodes): rank flows from importer to imported,
    # weighted by how many module edges join two areas, so widely used areas score high.
    ranks = pagerank(names, [(a, b, float(w)) for (a, b), w in weights.items()])
    dependents = Counter(b for _, b in pairs)
    dependencies = Counter(a for a, _ in pairs)
    for name, i in index.items():
        area = areas[name]
        area.dependents = dependents[i]
        area.dependencies = dependencies[i]
        area.dependents_transitive = blast[i]
        area.centrality = round(ranks[i], 6)


def _churn(
    history: list[CommitRecord],
    areas: dict[str, AreaInfo],
    modules: dict[str, ModuleInfo],
    area_of: dict[str, str],
) -> None:
    by_path = {info.path: area_of[name] for name, info in modules.items()}
    by_dir: dict[str, str | None] = {}
    for path, area in by_path.items():
        by_dir.setdefault(_parent(path), area)

    def area_for(path: str) -> str | None:
        if path in by_path:
            return by_path[path]
        d = _parent(path)
        seen = []
        while d not in by_dir and d:
            seen.append(d)
            d = _parent(d)
        found = by_dir.get(d)
        for s in seen:
            by_dir[s] = found
        return found

    commits: Counter[str] = Counter()
    authors: dict[str, Counter[str]] = defaultdict(Counter)
    logins: dict[str, Counter[str]] = defaultdict(Counter)
    named: dict[str, dict[str, str]] = defaultdict(dict)  # area -> author name -> login
    changes: dict[str, list[CommitRecord]] = defaultdict(list)
    for commit in history:
        if len(commit.files) > BULK_COMMIT_FILES:
            continue
        touched = {a for a in map(area_for, commit.files) if a is not None}
        login = github_login(commit.author_email)
        for a in touched:
            commits[a] += 1
            authors[a][commit.author_name] += 1
            if login:
                logins[a][login] += 1
                named[a].setdefault(commit.author_name, login)
            changes[a].append(commit)
    for area_name, info in areas.items():
        info.churn = commits[area_name]
        info.recent_authors = sorted(authors[area_name].items(), key=lambda kv: (-kv[1], kv[0]))[
            :RECENT_AUTHORS
        ]
        info.recent_logins = sorted(logins[area_name].items(), key=lambda kv: (-kv[1], kv[0]))[
            :RECENT_AUTHORS
        ]
        info.author_logins = {
            name: named[area_name][name]
            for name, _ in info.recent_authors
            if name in named[area_name]
        }
        info.past_fixes = past_change_sizes(changes[area_name])


def github_login(email: str) -> str:
    """The GitHub login in a noreply address (`12345+login@users.noreply.github.com`, or
    the older `login@users.noreply.github.com`); "" otherwise and for bots."""
    m = _NOREPLY.fullmatch(email.strip())
    return m.group(1) if m else ""


def past_change_sizes(commits: list[CommitRecord]) -> dict[str, Any]:
    """How big past changes to an area were: fixes (by their message) when there are at
    least MIN_FIXES of them, else every hand-made commit. Plain data for the code map:
    {"kind": "fixes"|"changes", "count", "files" (median files changed), "languages"
    (median languages), "native" (share touching C/C++/CUDA), "tests" (share touching a
    test), and "lines" (median lines added + deleted) when at least MIN_FIXES of them have
    line counts}; {} when nothing touched the area."""
    fixes = [c for c in commits if _FIX_MESSAGE.search(c.message)]
    kind, sample = ("fixes", fixes) if len(fixes) >= MIN_FIXES else ("changes", commits)
    if not sample:
        return {}
    files = sorted(len(c.files) for c in sample)
    langs = sorted(len({_language_of(f) for f in c.files} - {""}) for c in sample)
    native = sum(1 for c in sample if any(_language_of(f) == "native" for f in c.files))
    tested = sum(1 for c in sample if any(named_as_test(f) for f in c.files))
    sizes: dict[str, Any] = {
        "kind": kind,
        "count": len(sample),
        "files": _median(files),
        "languages": _median(langs),
        "native": round(native / len(sample), 3),
        "tests": round(tested / len(sample), 3),
    }
    counted = [c.lines for c in sample if c.lines is not None]
    if len(counted) >= MIN_FIXES:
        sizes["lines"] = _median(counted)
    return sizes


def _median(values: list[int]) -> float:
    """`float(statistics.median(values))` of whole numbers (not empty), without loading
    `statistics` (and `fractions`, `decimal`) for it."""
    ordered = sorted(values)
    half = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[half])
    return float((ordered[half - 1] + ordered[half]) / 2)


_NOREPLY = re.compile(
    r"(?:\d+\+)?([a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38})@users\.noreply\.github\.com",
    re.IGNORECASE,
)
_FIX_MESSAGE = re.compile(
    r"\bfix(?:e[sd]|ing)?\b|\bbugs?\b|\bregression\b|\bcrash\w*|\b(?:resolve[sd]?|close[sd]?) #\d+",
    re.IGNORECASE,
)
MIN_FIXES = 3


def _language_of(path: str) -> str:
    ext = path.rpartition(".")[2].lower() if "." in path.rpartition("/")[2] else ""
    if ext == "py" or ext == "pyi":
        return "python"
    if native_language(path) is not None:
        return "native"
    if ext in ("md", "rst", "txt"):
        return "docs"
    return ""


def _tests(
    graph: Mapping[str, Mapping[str, Any]],
    areas: dict[str, AreaInfo],
    modules: dict[str, ModuleInfo],
    area_of: dict[str, str],
    packages: set[str],
    runner: str,
) -> None:
    """Tests importing an area directly, or through one non-package, non-test module
    (package `__init__`s import everything, so chains through them mean nothing)."""
    found: dict[str, dict[str, int]] = defaultdict(dict)
    for name, info in modules.items():
        # conftest.py is test setup, not a test to run.
        if not info.is_test or posixpath.basename(info.path) == "conftest.py":
            continue
        for hop1 in graph[name]:
            target = modules[hop1]
            if not target.is_test:
                found[area_of[hop1]].setdefault(info.path, 1)
            if hop1 in packages:
                continue
            for hop2 in graph[hop1]:
                if not modules[hop2].is_test:
                    found[area_of[hop2]].setdefault(info.path, 2)
    for name, area in areas.items():
        hits = found.get(name, {})
        word = name.replace("/", ".").rsplit(".", 1)[-1].strip("_").lower()
        ranked = sorted(
            hits.items(),
            key=lambda kv: (word not in _stem_words(kv[0]), kv[1], kv[0]),
        )
        area.tests = [path for path, _ in ranked[:MAX_TESTS]]
        py_tests = [t for t in area.tests if t.endswith(".py")]
        if py_tests:
            shown = " ".join(_shell_quote(t) for t in py_tests[:3])
            area.test_command = (
                f"python -m pytest {shown}" if runner == "pytest" else f"python {shown}"
            )


def _stem_words(path: str) -> set[str]:
    stem = posixpath.basename(path).rsplit(".", 1)[0].lower()
    return set(stem.split("_"))


def _shell_quote(path: str) -> str:
    safe = all(ch.isalnum() or ch in "/._-" for ch in path)
    return path if safe else "'" + path.replace("'", "'\\''") + "'"


def _parent(path: str) -> str:
    """`posixpath.dirname` for the normalised relative paths git lists, without its
    generality (it is called for every module and every file of every recent commit)."""
    return path[: path.rfind("/")] if "/" in path else ""
