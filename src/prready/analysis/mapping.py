"""Map an issue to the modules and areas of the code map it most likely touches, with the
evidence for each, so users can judge the guess instead of trusting a number.

The ranking fuses five signals, each a weight in (0, 1) per code unit, by noisy-OR
(1 - prod(1 - w): independent clues add up, nothing exceeds 1, one strong clue outweighs
several weak ones):

- exact evidence: traceback frames, file paths, API names resolved to their defining
  module (through re-exports), imports in the reproduction;
- lexical: BM25 over each library file's path words, defined names and prose
  (docstrings, comments, string literals such as error messages), see `lexicon`;
- history (`history`): BM25 over past commit messages; an issue like past commits points
  at the files they changed (how an MPS issue reaches kernels no import graph shows); a
  pull request, issue or commit the reporter names points at the files it changed;
- the repository's own labels: an area label names an area, and backs the files in it;
- the dependency graph: importers and imports of the strongest units, at a lower weight.

Only library code is ranked: tests, docs, examples, benchmarks and vendored trees feed
"tests to run" and "start reading", never the top of the ranking.
"""

from __future__ import annotations

import difflib
import heapq
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from prready.analysis.areas import in_shipped_headers
from prready.analysis.evidence import extract_evidence, issue_query, words_as_written
from prready.analysis.history import (
    HistoryIndex,
    build_history,
    named_change_clues,
    similar_commit_clues,
)
from prready.analysis.issue_templates import TemplateText, reporter_text
from prready.analysis.layout import is_generated_path, is_library_path, is_test_path
from prready.analysis.lexicon import (
    BM25Index,
    TermPairs,
    path_terms,
    split_identifier,
    unit_terms,
)
from prready.analysis.native import NATIVE_UNIT_LANGUAGES
from prready.analysis.native_ops import NativeOps
from prready.analysis.resolve import exact_clues
from prready.analysis.snapshot import adjacency
from prready.code_models import CodeMap, CommitRecord, ModuleInfo
from prready.models import Issue, Label, LabelKind, ModuleMatch

if TYPE_CHECKING:
    from prready.analysis.ownership import Glob

# Weights of the clues resolved here (exact evidence's are in `resolve`). Why these values:
# - a maintainer's area label is triage by someone who knows the code: via the repo's own
#   label-to-path file (0.7), via name similarity only, scaled by the similarity (0.55).
W_LABEL_FILE = 0.7
W_LABEL_SIMILAR = 0.55
# - a crash in native code (`segmentation fault`, `core dumped`, `Check failed:`) backs the
#   C/C++/CUDA units that have evidence of their own, as much as a label's area does: the
#   reproduction calls Python, the fault is in what it calls (a C API, a kernel). A unit
#   scoring half the best one's or more gets it whole, a weaker one in proportion (a stray
#   word in a C file is no evidence the crash is there).
W_NATIVE_CRASH = 0.3
NATIVE_CRASH_SHARE = 0.5


@dataclass(frozen=True)
class Signals:
    """How much each retrieval signal may add (0 turns it off: the bench's ablations)."""

    exact: bool = True
    lexical: float = 0.66  # the best BM25 match; others scale by their score / the best
    history: float = 0.45  # files of the most similar past commits
    named: float = 0.6  # files of a change the issue names (`#2628`, a commit's id)
    graph: float = 0.15  # neighbours of the strongest units, times their score
    labels: float = 0.3  # a unit inside the area an area label names
    lexical_power: float = 2.0  # sharpen BM25 ratios: the runner-up at 70% gets 49%
    # With a strong exact clue (a frame, a path, an API), units found only by words or
    # similar commits count for less: weight x (1 - exact_damping x best exact weight).
    exact_damping: float = 0.3


DEFAULT_SIGNALS = Signals()
LEXICAL_DEPTH = 40  # BM25 hits considered per issue
LEXICAL_SATURATION = 12.0  # a BM25 score this high (a few rare words in the title) is sure
TOKEN_MEMO_MAX = 200_000  # distinct issue tokens whose words an index keeps

DEFAULT_LIMIT = 5
_LEXICAL = "\0lexical"  # the lexical clue's key until its evidence is written out
# A match joins the focus (skills, difficulty, reading list) from this share of the best
# score: a file that only shares a word with the issue (up to 0.66 x the exact clue's
# damping) stays out of a step whose file the reporter named.
FOCUS_SHARE = 0.65
AREA_VOTERS = 10  # matches that vote for areas (rank_areas)
AREA_OTHERS_WEIGHT = 0.5  # an area's second and further matches count this much
MIN_SCORE = 0.05
# A code file outside the library that the issue names (the example or script the reporter
# ran: `examples/qm9_pretrained_schnet.py`; the failing tests it lists: gpytorch #2695's
# `test/kernels/test_spectral_mixture_kernel.py`) is where they met the bug, rarely where it
# is fixed: its exact clues weigh this much, so a library file with real evidence leads.
# (A flaky test's own file still ranks when nothing else has evidence, and is among the
# step's tests to run either way.)
OUTSIDE_LIBRARY = 0.6
_LABEL_SYNONYMS = {
    "linear algebra": "linalg",
    "dataloader": "data",
    "data loader": "data",
    "optimizer": "optim",
    "optimizers": "optim",
    "c++": "csrc",
    "cpp": "csrc",
    "documentation": "docs",
    "compile": "_dynamo",
}


# Unit -> its top-level classes -> the bases each names as written (`lexicon.class_bases`).
ClassBases = dict[str, dict[str, tuple[str, ...]]]


@dataclass
class MapIndex:
    """Lookup tables over one CodeMap, built once and reused for every issue. The path
    tables are built on first use: a command that loads a warm index pays for them only
    when it maps an issue."""

    code_map: CodeMap
    library: set[str]  # units that may be ranked as places to fix
    lexical: BM25Index
    history: HistoryIndex | None = None
    native_ops: NativeOps = field(default_factory=NativeOps)  # PyTorch's ATen ops, if any
    class_bases: ClassBases = field(default_factory=dict)
    # How many classes name each base (by its last part), counted on first use.
    base_counts: Counter[str] | None = field(default=None, repr=False)
    # The public names by their last two parts (`layers.Conv2D`), built on first use.
    suffixes: dict[str, list[str]] | None = field(default=None, repr=False)
    # The modules defining each public name's last part (`MessagePassing`), on first use.
    last_names: dict[str, set[str]] | None = field(default=None, repr=False)
    # CamelCase public names by their lower-case letters (`dataloader`: DataLoader), the same.
    classes_by_lower: dict[str, list[str]] | None = field(default=None, repr=False)
    label_areas: dict[str, list[tuple[str, float, str]]] = field(default_factory=dict)
    # Library folders by their name (`inductor`: torch/_inductor), built on first use.
    folders_by_name: dict[str, list[str]] | None = field(default=None, repr=False)
    # (successors, predecessors) of the map's graph, read on first use (`_graph_clues`).
    adjacency: tuple[Mapping[str, Mapping[str, Any]], Mapping[str, Mapping[str, Any]]] | None = None
    _tables: _PathTables | None = field(default=None, repr=False)
    _template: TemplateText | None = field(default=None, repr=False)
    # Per-token work shared by the issues mapped with this index (see `_lexical_clues`).
    _token_words: dict[str, Any] = field(default_factory=dict, repr=False)
    # Each issue token's index words (see `lexicon.query_terms`), shared the same way.
    _splits: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    @property
    def issue_template(self) -> TemplateText:
        """What the repository's issue templates write into an issue, read on first use."""
        if self._template is None:
            self._template = TemplateText.from_plain(self.code_map.issue_templates)
        return self._template

    @property
    def path_to_module(self) -> dict[str, str]:
        return self._path_tables().path_to_module

    @property
    def by_basename(self) -> dict[str, list[str]]:
        return self._path_tables().by_basename

    @property
    def packages(self) -> set[str]:
        return self._path_tables().packages

    @property
    def main_package(self) -> str:
        return self._path_tables().main_package

    @property
    def other_files(self) -> dict[str, list[str]]:
        """Tracked files that are not modules of the map (docs, configs, data), by basename."""
        return self._path_tables().other_files

    def _path_tables(self) -> _PathTables:
        if self._tables is None:
            self._tables = _PathTables.of(self.code_map)
        return self._tables


@dataclass
class _PathTables:
    path_to_module: dict[str, str]
    by_basename: dict[str, list[str]]
    packages: set[str]
    main_package: str
    other_files: dict[str, list[str]]

    @classmethod
    def of(cls, code_map: CodeMap) -> _PathTables:
        path_to_module: dict[str, str] = {}
        by_basename: dict[str, list[str]] = defaultdict(list)
        package_sizes: Counter[str] = Counter()
        for name, info in code_map.modules.items():
            path_to_module[info.path] = name
            by_basename[info.path.rsplit("/", 1)[-1]].append(info.path)
            if info.language == "python" and not info.is_test:
                package_sizes[name.split(".", 1)[0]] += 1
        main = package_sizes.most_common(1)[0][0] if package_sizes else ""
        other_files: dict[str, list[str]] = defaultdict(list)
        for path in code_map.files:
            if path not in path_to_module:
                other_files[path.rsplit("/", 1)[-1]].append(path)
        return cls(path_to_module, dict(by_basename), set(package_sizes), main, dict(other_files))


def build_index(
    code_map: CodeMap,
    *,
    fields: Mapping[str, tuple[TermPairs, TermPairs]] | None = None,
    commits: Sequence[CommitRecord] = (),
    lexical: BM25Index | None = None,
    history: HistoryIndex | None = None,
    library: set[str] | None = None,
    native_ops: NativeOps | None = None,
    class_bases: ClassBases | None = None,
) -> MapIndex:
    """Index a code map for mapping: paths, packages, the lexical index of library units
    (`fields`: path -> (defined-name terms, prose terms) from `lexicon.source_fields_packed`;
    without them the map's public symbols stand in for defined names) and, given past
    `commits`, the history index. Prebuilt `lexical`/`history` indexes (from a cache)
    are used as they are, and so is `library` (the map's `library_units`). `native_ops`:
    the repository's ATen ops (`native_ops.parse_native_functions`), for names bound in C;
    `class_bases`: the library units' classes and the bases they name."""
    library = library if library is not None else library_units(code_map)
    return MapIndex(
        code_map=code_map,
        library=library,
        lexical=lexical or build_lexical(code_map, library, fields),
        history=history or (build_history(commits, repo=code_map.repo) if commits else None),
        native_ops=native_ops or NativeOps(),
        class_bases=class_bases or {},
    )


def build_lexical(
    code_map: CodeMap, library: set[str], fields: Mapping[str, tuple[TermPairs, TermPairs]] | None
) -> BM25Index:
    """BM25 over library units: path words, defined names, prose (see `build_index`).
    Without `fields`, the defined names are the map's public symbols (no prose)."""
    if fields is not None:
        return lexical_index({name: code_map.modules[name].path for name in library}, fields)
    defined: dict[str, Counter[str]] = defaultdict(Counter)
    splits: dict[str, tuple[str, ...]] = {}  # each name's words, split once
    for dotted, module in code_map.symbols.items():
        if module in library:
            name = dotted.rsplit(".", 1)[-1]
            words = splits.get(name)
            if words is None:
                words = splits[name] = split_identifier(name, splits)
            defined[module].update(words)
    docs = {}
    for name in library:
        path = code_map.modules[name].path
        docs[name] = unit_terms(path, tuple(defined[name].items()), (), splits)
    return BM25Index.build(
        docs, paths={n: path_terms(code_map.modules[n].path, splits) for n in docs}
    )


def lexical_index(
    units: Mapping[str, str],
    fields: Mapping[str, tuple[TermPairs, TermPairs]],
    splits: dict[str, tuple[str, ...]] | None = None,
) -> BM25Index:
    """BM25 over library units (name -> path) from their files' fields (path -> defined
    names, prose; none for a file without): what `build_lexical` builds, from plain
    values (a map's scanning worker builds it so, see `retrieval.IndexPrefetch`).
    `splits`: identifiers' words, kept there (see `lexicon.count_terms`)."""
    splits = {} if splits is None else splits  # each name's words, split once
    folders: dict[str, list[str]] = {}
    paths = {name: path_terms(path, splits, folders) for name, path in units.items()}
    return BM25Index.from_fields(
        {name: (fields.get(path), paths[name]) for name, path in units.items()}
    )


def library_units(code_map: CodeMap) -> set[str]:
    """The units that may be ranked as places to fix: not tests, docs, examples, vendored
    trees, generated modules, nor the header copies a build ships inside a Python
    package."""
    return library_modules(code_map.modules)


def library_modules(modules: Mapping[str, ModuleInfo]) -> set[str]:
    """`library_units` of a map's modules (by name), before the map is complete."""
    paths = [info.path for info in modules.values()]
    in_library, colocated = _library_folders(paths), _colocated_tests(paths)
    return {
        name
        for name, info in modules.items()
        if not info.is_test
        and not info.generated
        and in_library(info.path.rpartition("/")[0])
        and not colocated(info.path)
    }


def library_source_paths(sources: Iterable[tuple[str, str]]) -> list[str]:
    """The paths among (path, language) sources whose units `library_units` keeps, as far
    as paths alone tell (before a map says which Python files are packaged: a file that
    is a test either way is left out), in order."""
    sources = list(sources)
    paths = [path for path, _ in sources]
    in_library, colocated = _library_folders(paths), _colocated_tests(paths)
    return [
        path
        for path, language in sources
        if in_library(path.rpartition("/")[0])
        and not is_generated_path(path)
        and not (is_test_path(path, False) and is_test_path(path, language == "python"))
        and not colocated(path)
    ]


# A repository whose packages hold this many files named `*_test.py` keeps its tests
# beside its code (Keras, TensorFlow: `layers/convolutional/conv_test.py`): those are
# tests, never places to fix, though a package holds them. (PyTorch has a dozen, the
# suites under torch/testing/_internal; a package's odd `*_test.py` stays a helper.)
COLOCATED_TESTS_MIN = 20


def _colocated_tests(paths: Sequence[str]) -> Callable[[str], bool]:
    """Whether a path is a test kept beside the code (see COLOCATED_TESTS_MIN)."""
    named = {p for p in paths if p.endswith("_test.py") and is_test_path(p, False)}
    if len(named) < COLOCATED_TESTS_MIN:
        return lambda path: False
    return named.__contains__


def _library_folders(paths: Sequence[str]) -> Callable[[str], bool]:
    """Whether a folder of `paths` holds library code (not tests, docs, examples, vendored
    trees, nor the header copies a build ships inside a Python package), memoised."""
    package_dirs = {p.rpartition("/")[0] for p in paths if p.endswith("/__init__.py")}
    verdicts: dict[str, bool] = {}  # folder -> library?

    def in_library(folder: str) -> bool:
        verdict = verdicts.get(folder)
        if verdict is None:
            verdict = verdicts[folder] = is_library_path(folder + "/x") and not (
                in_shipped_headers(tuple(folder.split("/")), package_dirs)
            )
        return verdict

    return in_library


def map_issue_to_modules(
    issue: Issue,
    code_map: CodeMap,
    labels: Sequence[Label] = (),
    *,
    index: MapIndex | None = None,
    limit: int = DEFAULT_LIMIT,
    signals: Signals = DEFAULT_SIGNALS,
    history_before: str = "",
) -> list[ModuleMatch]:
    """Rank the modules (or areas, for area-level clues) an issue most likely touches.

    `history_before` (an ISO date) ignores later commits: a backtest of a closed issue
    must not find the commit that fixed it."""
    index = index if index is not None and index.code_map is code_map else build_index(code_map)
    clues: dict[str, dict[str, float]] = defaultdict(dict)  # node -> evidence -> weight

    def add(node: str, weight: float, why: str) -> None:
        if weight > clues[node].get(why, 0.0):
            clues[node][why] = weight

    found = None
    title, body = reporter_text(issue.title, issue.body or "", index.issue_template)
    if signals.exact:
        found = extract_evidence(title, body, package=index.main_package, repo=issue.repo)
        library, modules = index.library, code_map.modules
        for node, weight, why in exact_clues(found, index):
            if _generated(node, code_map):  # (never a place to fix)
                continue
            outside = node in modules and node not in library
            add(node, weight * OUTSIDE_LIBRARY if outside else weight, why)
    splits = index._splits
    if len(splits) > TOKEN_MEMO_MAX:  # issues' words repeat; a flood of new ones starts over
        splits.clear()
    query = issue_query(title, body, splits)
    exact_best = max((max(ev.values()) for ev in clues.values()), default=0.0)
    damp = 1.0 - signals.exact_damping * exact_best
    if signals.lexical:  # its evidence is written out for the best units only
        for node, weight in _lexical_clues(query, index, signals, damp):
            evidence = clues[node]  # `add`, inlined: tens of units per issue
            if weight > evidence.get(_LEXICAL, 0.0):
                evidence[_LEXICAL] = weight
    if signals.history and index.history is not None:
        for node, weight, why in similar_commit_clues(
            query,
            index.history,
            index.path_to_module,
            index.library,
            signals.history,
            history_before,
        ):
            add(node, weight * damp, why)
    if signals.named and index.history is not None and found is not None and found.changes:
        for node, weight, why in named_change_clues(
            found.changes,
            index.history,
            index.path_to_module,
            index.library,
            signals.named,
            own_number=issue.number,
            before=history_before,
        ):
            add(node, weight, why)
    if signals.labels:
        label_clues = list(_label_clues(issue, labels, index))
        for node, weight, why in label_clues:
            add(node, weight, why)
        for node, weight, why in _label_file_clues(issue, list(clues), index):
            add(node, weight, why)
        for node, why in _inside_labelled_areas(label_clues, list(clues), index):
            add(node, signals.labels, why)
        for node, why in _inside_tagged_folders(issue.title, list(clues), index):
            add(node, signals.labels, why)
    # Each node's score, computed once; the crash's and the graph's clues change only the
    # nodes they touch.
    scores = {n: _noisy_or(ev.values()) for n, ev in clues.items()}
    if found is not None and found.crash and scores:
        why = f"native code, and the issue reports a crash ({found.crash})"
        for node, weight in _native_crash_clues(scores, index):
            add(node, weight, why)
            scores[node] = _noisy_or(clues[node].values())
    if signals.graph:
        touched = set()
        floor = _floor(scores, limit)  # (no score falls: the kept ones' floor only rises)
        for node, weight, why in _graph_clues(scores, index, signals, floor):
            evidence = clues[node]  # `add`, inlined
            if weight > evidence.get(why, 0.0):
                evidence[why] = weight
            touched.add(node)
        for node in touched:
            scores[node] = _noisy_or(clues[node].values())
    # Only the best `limit` become matches (a large repository collects hundreds of weak
    # clues per issue): only a score that rounds to the limit-th best one or more counts
    # (rounding keeps the order), so only those are rounded.
    floor = _floor(scores, limit)
    near = floor - 0.001
    scored = [
        (r, n)
        for n, s in scores.items()
        if s >= MIN_SCORE and s >= near and (r := round(s, 3)) >= floor
    ]
    best = heapq.nsmallest(
        limit, scored, key=lambda sn: (-sn[0], _rank_tiebreak(sn[1], index), sn[1])
    )
    quoted = [node for _, node in best if _LEXICAL in clues[node]]
    if quoted:
        written = _lexical_evidence(query, quoted, title, body, index)
        for node in quoted:
            evidence = clues[node]
            evidence[written[node]] = max(evidence.pop(_LEXICAL), evidence.get(written[node], 0.0))
    matches = []
    for score, node in best:
        evidence = clues[node]
        ordered = sorted(evidence, key=lambda e: (-evidence[e], e))
        matches.append(
            ModuleMatch(name=node, path=_node_path(node, code_map), score=score, evidence=ordered)
        )
    return matches


def focus_matches(matches: Sequence[ModuleMatch], limit: int = 3) -> list[ModuleMatch]:
    """The matches worth acting on: within FOCUS_SHARE of the best score, at most `limit`.

    On a large repository every issue also collects weak clues (a word matching some far
    module); skills, difficulty and the step's reading list follow the strong ones only."""
    if not matches:
        return []
    top = matches[0].score
    return [m for m in matches if m.score >= top * FOCUS_SHARE][:limit]


def rank_areas(matches: Sequence[ModuleMatch], code_map: CodeMap) -> list[tuple[str, float]]:
    """Collapse module matches into areas, best first. The first AREA_VOTERS matches vote:
    an area scores the noisy-OR of its matches, the best at full weight and the others at
    half, so several matching files in one area outweigh a single stray match elsewhere
    while one strong match still leads."""
    scores: dict[str, list[float]] = defaultdict(list)
    for match in matches[:AREA_VOTERS]:
        area = area_of_node(match.name, code_map)
        if area:
            scores[area].append(match.score)
    ranked = {}
    for area, values in scores.items():
        best, *others = sorted(values, reverse=True)
        ranked[area] = _noisy_or([best, *(v * AREA_OTHERS_WEIGHT for v in others)])
    return sorted(ranked.items(), key=lambda item: (-item[1], item[0]))


# An issue's areas count for locality and focus when they score this share of its best
# area or more: a weak fifth match in another area (timm #1443's `timm.data`, 0.2 beside
# `timm.models` at 0.97) is no place the issue touches.
AREA_SHARE = 0.5


def strong_areas(ranked: Sequence[tuple[str, float]]) -> tuple[str, ...]:
    """The areas of `ranked` (best first) scoring AREA_SHARE of the best or more."""
    if not ranked:
        return ()
    floor = ranked[0][1] * AREA_SHARE
    return tuple(area for area, score in ranked if score >= floor)


def _generated(node: str, code_map: CodeMap) -> bool:
    """Whether a node is a module written by a tool (an area is not)."""
    info = code_map.modules.get(node)
    return info is not None and info.generated


def area_of_node(node: str, code_map: CodeMap) -> str:
    """The area of a module name, or the node itself when it names an area."""
    area = code_map.area_of(node)
    if area:
        return area
    return node if node in code_map.areas else ""


# --------------------------------------------------------------------------- resolution
def _lexical_clues(
    query: Mapping[str, float], index: MapIndex, signals: Signals, damp: float = 1.0
) -> list[tuple[str, float]]:
    """(unit, weight) for the best BM25 matches, each weight times `damp`."""
    hits = index.lexical.search(query, limit=LEXICAL_DEPTH, with_terms=False)
    if not hits:
        return []
    best = hits[0][1]
    # A weak best match (one common word) is no evidence: scale by how strong it is.
    scale, power = signals.lexical * min(1.0, best / LEXICAL_SATURATION), signals.lexical_power
    return [(name, scale * (score / best) ** power * damp) for name, score, _ in hits]


def _lexical_evidence(
    query: Mapping[str, float], nodes: list[str], title: str, body: str, index: MapIndex
) -> dict[str, str]:
    """Unit -> the evidence of its lexical clue, for `nodes` (those ranked: a unit's
    terms and quotes do not depend on the others', so only theirs are written out)."""
    terms = index.lexical.matched_terms(query, nodes)
    memo = index._token_words
    if len(memo) > TOKEN_MEMO_MAX:  # issues' words repeat; a flood of new ones starts over
        memo.clear()
    # Quote the words as the issue wrote them ("sizes"), never the index's stems ("siz").
    shown_terms = {t for matched in terms.values() for t in matched[:4]}
    written = words_as_written(shown_terms, title, body, memo)
    out = {}
    for node, matched in terms.items():
        shown = ", ".join(f"'{written[t]}'" for t in matched[:4] if t in written)
        out[node] = f"words {shown or 'of the issue'} match its path, names or docs"
    return out


def _inside_labelled_areas(
    label_clues: list[tuple[str, float, str]], nodes: list[str], index: MapIndex
) -> Iterable[tuple[str, str]]:
    """Units with other evidence that lie inside an area (or package) a label names."""
    code_map = index.code_map
    for target, _weight, why in label_clues:
        if target in code_map.areas:
            inside = [n for n in nodes if code_map.area_of(n) == target]
        else:
            inside = [n for n in nodes if n.startswith(target + ".")]
        for node in inside:
            if node != target:
                yield node, f"inside {target}, named by a {why.split(' (')[0]}"


# Tags before a title (`[inductor] wrong result ...`, `[MPS][BE] ...`): the reporter's
# own area label. Issue-type tags name no part of the code, whatever folder shares them.
_TITLE_TAG = re.compile(r"[ \t]*\[([^\[\]\n]{1,30})\]")
_ISSUE_TYPE_TAGS = frozenset(
    {"bug", "bugs", "feature", "features", "question", "request", "rfc", "docs", "doc",
     "wip", "draft", "be", "discussion", "proposal", "ci", "help", "performance", "perf",
     "regression", "test", "tests", "enhancement", "optimization", "refactor", "cleanup",
     "improvement"}
)  # fmt: skip
MAX_TAGGED_FOLDERS = 12  # a tag naming more folders than this names no one part


def title_tags(title: str) -> list[str]:
    """The tags a title starts with, lower-case (`[MPS][BE] x` -> mps, be)."""
    tags, pos = [], 0
    while match := _TITLE_TAG.match(title, pos):
        tags.append(match.group(1).strip().lower())
        pos = match.end()
    return tags


def _inside_tagged_folders(
    title: str, nodes: list[str], index: MapIndex
) -> Iterable[tuple[str, str]]:
    """Units with other evidence inside a library folder a title's tag names (`[inductor]`:
    torch/_inductor; `[MPS]`: aten/src/ATen/native/mps and torch/mps), as an area label's
    area counts (`_inside_labelled_areas`)."""
    tags = title_tags(title)
    if not tags:
        return
    if index.folders_by_name is None:
        index.folders_by_name = _library_folders_by_name(index)
    folders: dict[str, str] = {}  # folder -> the tag naming it
    for tag in tags:
        name = _LABEL_SYNONYMS.get(tag, tag).replace(" ", "_").lstrip("_")
        named = index.folders_by_name.get(name, [])
        if tag not in _ISSUE_TYPE_TAGS and len(named) <= MAX_TAGGED_FOLDERS:
            folders.update(dict.fromkeys(named, tag))
    if not folders:
        return
    modules = index.code_map.modules
    for node in nodes:
        info = modules.get(node)
        if info is None:
            continue
        folder = info.path.rpartition("/")[0]
        while folder and folder not in folders:
            folder = folder.rpartition("/")[0]
        if folder:
            yield node, f"inside {folder}/, named by the title's tag [{folders[folder]}]"


def _native_crash_clues(scores: Mapping[str, float], index: MapIndex) -> list[tuple[str, float]]:
    """(unit, weight) for the C/C++/CUDA library units with evidence (`scores`), when the
    issue reports a native crash: W_NATIVE_CRASH from NATIVE_CRASH_SHARE of the best
    unit's score up, in proportion below."""
    modules, library = index.code_map.modules, index.library
    floor = NATIVE_CRASH_SHARE * max(scores.values())
    if floor <= 0.0:
        return []
    return [
        (node, W_NATIVE_CRASH * min(1.0, score / floor))
        for node, score in scores.items()
        if node in library
        and (info := modules.get(node)) is not None
        and info.language in NATIVE_UNIT_LANGUAGES
    ]


def _library_folders_by_name(index: MapIndex) -> dict[str, list[str]]:
    """Every folder holding library units, by its name (lower-case, leading `_` off)."""
    folders: set[str] = set()
    modules = index.code_map.modules
    for unit in index.library:
        folder = modules[unit].path.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    by_name: dict[str, list[str]] = defaultdict(list)
    for folder in sorted(folders):
        by_name[folder.rpartition("/")[2].lower().lstrip("_")].append(folder)
    return dict(by_name)


def _floor(scores: Mapping[str, float], limit: int) -> float:
    """The least score, rounded, that the best `limit` of `scores` keep (0: fewer than
    that many reach MIN_SCORE)."""
    kept = [s for s in scores.values() if s >= MIN_SCORE]
    return round(sorted(kept, reverse=True)[limit - 1], 3) if len(kept) > limit else 0.0


def _graph_clues(
    scores: Mapping[str, float], index: MapIndex, signals: Signals, floor: float = 0.0
) -> Iterable[tuple[str, float, str]]:
    """Imports and importers of the three strongest library units (by their `scores`),
    at a lower weight. `floor`: the least (rounded) score kept so far; when a unit with
    no clue yet could not reach it from the graph's clues alone, only the units already
    scored get theirs (the others' would be dropped: scores only rise)."""
    if index.adjacency is None:  # read once per index, without building a restored graph
        index.adjacency = adjacency(index.code_map)
    successors, predecessors = index.adjacency
    library = index.library
    # The three best by score, then name (a C-level sort of a few dozen pairs).
    best = sorted([(-s, n) for n, s in scores.items() if n in library])[:3]
    scored = [(-negated, node) for negated, node in best]
    most = _noisy_or([signals.graph * score for score, _ in scored])
    scored_only = most < floor - 0.001  # (a margin for the sums' order)
    for score, node in scored:
        imports, importers = successors.get(node, {}), predecessors.get(node, {})
        if scored_only:
            near = sorted(n for n in scores if n in imports or n in importers)
        else:
            near = sorted(set(imports) | set(importers))
        for other in near:
            if other in library and other != node:
                relation = "imported by" if other in imports else "imports"
                yield other, signals.graph * score, f"{relation} {node}"


def _rank_tiebreak(node: str, index: MapIndex) -> int:
    """Among equal scores, library units before areas, tests, docs and examples."""
    if node in index.library:
        return 0
    return 1 if node in index.code_map.areas else 2


def _label_clues(
    issue: Issue, labels: Sequence[Label], index: MapIndex
) -> Iterable[tuple[str, float, str]]:
    by_name = {label.name: label for label in labels}
    for name in issue.labels:
        label = by_name.get(name)
        in_file = name in index.code_map.label_paths
        if not in_file and (label is None or label.kind != LabelKind.AREA):
            continue
        if name not in index.label_areas:
            index.label_areas[name] = _resolve_label(name, label, index)
        yield from index.label_areas[name]


def _resolve_label(name: str, label: Label | None, index: MapIndex) -> list[tuple[str, float, str]]:
    code_map = index.code_map
    globs = code_map.label_paths.get(name)
    if globs:
        # Imported here (as below): label rules are rare, and their glob library costs
        # every command that maps issues ~25 ms of start-up.
        from prready.analysis.ownership import any_matches, compile_globs

        rules = compile_globs(globs)
        matched = [
            m
            for p, m in index.path_to_module.items()
            if any_matches(rules, p) and not _generated(m, code_map)
        ]
        # Test files listed next to a module's code say where it is tested, not what the
        # label is about; they count only for a label that covers nothing else. A label
        # whose rules cover only non-code files ("docs/**") names no module at all: it
        # supports the files the issue names (see _label_file_clues), and a guess by name
        # similarity would send a docs fix to unrelated code.
        code = [m for m in matched if not code_map.modules[m].is_test]
        if not code and _covers_other_files(rules, index):
            return []
        code = code or matched
        why = f"label '{name}' (repository's label-to-path rules)"
        node = _common_package(code, code_map)
        if node:
            return [(node, W_LABEL_FILE, why)]
        areas = Counter(a for m in code if (a := code_map.area_of(m)))
        if areas:
            top = max(areas.values())
            chosen = sorted(a for a, n in areas.items() if n * 2 >= top)[:3]
            return [(a, W_LABEL_FILE, why) for a in chosen]
    value = (label.value if label and label.value else name).strip().lower()
    value = _LABEL_SYNONYMS.get(value, value)
    best: list[tuple[float, str]] = []
    for area, info in code_map.areas.items():
        # The code of a docs folder is the docs build's scripts (PyTorch's `docs/source/
        # conf.py`, `docs/caffe2/process.py`): an area of them is named like "module: docs"
        # but is no place a docs fix goes (the pages, or docstrings in the library).
        if all(_in_docs_folder(code_map.modules[m].path) for m in info.modules):
            continue
        similarity = _area_similarity(value, area)
        if similarity >= 0.75:
            best.append((similarity, area))
    best.sort(key=lambda item: (-item[0], len(item[1]), item[1]))
    if best and best[0][0] >= 1.0:
        # An area named exactly like the label: a merely similar one ("distributed" for
        # "module: distributions") is a different part of the code.
        best = [item for item in best if item[0] >= 1.0]
    return [
        (area, round(W_LABEL_SIMILAR * sim, 3), f"label '{name}' (name similar to area {area})")
        for sim, area in best[:2]
    ]


def _label_file_clues(
    issue: Issue, nodes: list[str], index: MapIndex
) -> Iterable[tuple[str, float, str]]:
    """A label whose rules cover a non-code file the issue names backs that file."""
    if not issue.labels:
        return
    files = [n for n in nodes if n not in index.code_map.modules and _is_other_file(n, index)]
    if not files:
        return
    from prready.analysis.ownership import any_matches, compile_globs

    for name in issue.labels:
        globs = index.code_map.label_paths.get(name)
        rules = compile_globs(globs) if globs else []
        for path in files:
            if any_matches(rules, path):
                yield path, W_LABEL_FILE, f"label '{name}' covers {path} (repository's label rules)"


def _covers_other_files(rules: list[Glob], index: MapIndex) -> bool:
    from prready.analysis.ownership import any_matches

    return any(any_matches(rules, path) for paths in index.other_files.values() for path in paths)


def _is_other_file(node: str, index: MapIndex) -> bool:
    return node in index.other_files.get(node.rsplit("/", 1)[-1], ())


def _common_package(modules: list[str], code_map: CodeMap) -> str:
    """The deepest Python package holding all `modules` ("tinyml.optim" for its files),
    when it is itself a module of the map and not a bare top-level package."""
    dotted = [m.split(".") for m in modules if code_map.modules[m].language == "python"]
    if not dotted or len(dotted) != len(modules):
        return ""
    prefix = dotted[0]
    for parts in dotted[1:]:
        keep = 0
        while keep < min(len(prefix), len(parts)) and prefix[keep] == parts[keep]:
            keep += 1
        prefix = prefix[:keep]
    while len(prefix) > 1:
        name = ".".join(prefix)
        if name in code_map.modules:
            return name
        prefix = prefix[:-1]
    return ""


_DOCS_FOLDERS = frozenset({"doc", "docs", "documentation"})


def _in_docs_folder(path: str) -> bool:
    return not _DOCS_FOLDERS.isdisjoint(path.lower().split("/")[:-1])


def _area_similarity(value: str, area: str) -> float:
    leaf = re.split(r"[./]", area.lower())[-1].lstrip("_")
    value = value.replace(" ", "_").lstrip("_")
    if value == leaf:
        return 1.0
    if value == area.lower():
        return 1.0
    return difflib.SequenceMatcher(None, value, leaf).ratio()


def _node_path(node: str, code_map: CodeMap) -> str:
    info = code_map.modules.get(node)
    if info is not None:
        return info.path
    area = code_map.areas.get(node)
    if area is not None and area.paths:
        return area.paths[0]
    return node if "/" in node or "." in node else ""


def _noisy_or(weights: Iterable[float]) -> float:
    miss = 1.0
    for weight in weights:  # each clamped to [0, 1] (as min(max(w, 0), 1), without calls)
        miss *= 1.0 - (0.0 if weight < 0.0 else 1.0 if weight > 1.0 else weight)
    return 1.0 - miss
