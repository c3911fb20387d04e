"""Turn a chosen issue into a plan step a person can act on: why it was chosen, where to
start reading and what to look for there; with the tests to run (`step_tests`), who
reviews (`reviewers`), and the setup it needs and how long it takes (`step_setup`)."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from prready.analysis.areas import ROOT_AREA
from prready.analysis.build import build_facts_from_plain
from prready.analysis.docs_pages import DocsPages, with_pages
from prready.analysis.evidence import FILE_SUFFIXES, extract_evidence, issue_query
from prready.analysis.issue_templates import NO_TEMPLATE, TemplateText, reporter_text
from prready.analysis.kinds import classify_issue, parse_hardware
from prready.analysis.locality import Near
from prready.analysis.mapping import area_of_node, focus_matches, rank_areas
from prready.analysis.names_in_tests import NamesInTests
from prready.analysis.native_ops import NATIVE_FUNCTIONS, python_names
from prready.analysis.ownership import CodeOwners
from prready.analysis.reviewers import step_reviewers
from prready.analysis.snapshot import adjacency
from prready.analysis.step_setup import (
    NATIVE,
    docs_closed_notes,
    in_code_docs_note,
    issue_toolchains,
    main_package_compilers,
    setup_notes,
    step_effort,
)
from prready.analysis.step_tests import (
    MAX_TESTS,
    defined_names,
    fuse_tests,
    in_suite,
    is_root_area,
    is_root_module,
    main_suite,
    notes_for_tests,
    one_test_command,
    public_symbols,
    rank_tests,
    runnable_test,
    runnable_tests,
    selects_a_test,
    shared_stems,
)
from prready.code_models import CodeMap
from prready.models import (
    ContributingSummary,
    Issue,
    IssueAssessment,
    ModuleMatch,
    PlanStep,
    SkillFit,
)

MAX_READING = 6
MAX_NAMES = 4  # names to look for per file


def describe_step(
    stage: int,
    a: IssueAssessment,
    fit: SkillFit,
    code_map: CodeMap,
    contributing: ContributingSummary,
    *,
    near: Near | None = None,
    pinned: bool = False,
    test_names: NamesInTests | None = None,
    facts: MapFacts | None = None,
    hardware: Collection[str] = (),
    docs: DocsPages | None = None,
) -> PlanStep:
    """Everything the page shows for one step, derived from the assessment and the map;
    `test_names` (the names each test file uses) finds tests by what they call;
    `facts` is `map_facts(code_map)`, worked out once by a caller describing several
    steps (else here); `hardware` is what the user has ("mps", "cuda": `parse_hardware`),
    whose tests are not put after the others (nor those of what the issue itself needs);
    `docs` (the repository's documentation pages) puts the page a docs issue is about
    first in "start reading"."""
    facts = facts if facts is not None else map_facts(code_map)
    focus = focus_matches(a.modules)
    files = file_matches(a.modules, code_map)
    areas = [
        code_map.areas[name] for name, _ in rank_areas(focus, code_map) if name in code_map.areas
    ]
    languages = _languages(focus, code_map)
    docs_only = _docs_only(focus, code_map)
    # A typo or docstring in code ("Docs: `LoraConfig.use_rslora` description says..."):
    # the tests its words find exercise nothing it changes.
    in_code_docs = not docs_only and _DOCS_FIX_TITLE.search(a.issue.title) is not None
    seeds = _seeds(focus, code_map)
    # What the step reads of the issue is what its reporter wrote (`reporter_text`: not the
    # template's prompts, its setup report or HTML comments); the page shows it as filed.
    title, body = reporter_text(a.issue.title, a.issue.body or "", facts.template)
    issue = replace(a.issue, title=title, body=body)
    uses = issue_names(issue, seeds, code_map, facts.symbols)
    if test_names is not None and (
        languages & NATIVE or any(f.path == NATIVE_FUNCTIONS for f in files)
    ):
        uses = _unique([*uses, *native_op_names(issue, test_names)])
    reading, look_for = issue_reading(
        issue, [*files, *(m for m in focus if m not in files)], code_map
    )
    kinds = a.kinds if a.kinds is not None else classify_issue(a.issue)
    page_why: list[str] = []
    if docs is not None:
        pages = docs.rank(title, body, packages=facts.packages)
        # A typo in `LoraConfig`'s docstring is fixed in the code; a name the docs lack,
        # in the page listing its API.
        reading = with_pages(
            reading, pages, title, docs_work=kinds.has("docs"), names_code=any(look_for.values())
        )
        reading = reading[:MAX_READING]
        # (A page the mapping matched by its path has its reason already.)
        matched_files = {f.path for f in files}
        page_why = [
            f"its page: {p.path} ({p.evidence})"
            for p in pages
            if p.path == reading[0] and p.path not in matched_files
        ]
    # The names the title uses that the map places only in files (a method such as
    # `sparse_categorical_crossentropy`): the tests calling them exercise this code too.
    # Only names written as code (`Tensor.where`, snake_case, CamelCase): "failed to run"
    # does not name the menu's `run`, which every other test calls too.
    placed = [n for ns in look_for.values() for n in ns if n in title and _code_like(n)]
    uses = _unique([*uses, *(n.rpartition(".")[2] for n in placed)])
    # `-k` takes a name from the title (the body's reproduction calls helpers too).
    in_title = [n for n in uses if n in title] or uses[:1]
    ranked = rank_tests(
        seeds,
        code_map,
        test_names,
        uses,
        in_title,
        facts.runnable_tests,
        facts.symbols,
        facts.shared_stems,
    )
    # A docs-only step has no test to run; the others' tests are also found by the issue's
    # words, among the main suite's runnable files (as the tiers' are).
    by_words: list[tuple[str, float]] = []
    named: set[str] = set()
    if test_names is not None and not docs_only and not in_code_docs:
        suite = main_suite(facts.runnable_tests)
        by_words = [
            (path, score)
            for path, score in test_names.by_words(issue_query(title, body))
            if runnable_test(path) and in_suite(path, suite)
        ]
    if test_names is not None:
        named = {
            path
            for path in (*(p for p, _ in ranked), *(p for p, _ in by_words))
            if any(test_names.selects(path, n) for n in in_title)
        }
    # Whoever works on an issue that needs a GPU has one: its GPU tests are not put last.
    runs_on = {*hardware, *parse_hardware(kinds.hardware)}
    if in_code_docs:  # only the file's own tests (a doctest, a test of its message)
        ranked = [(path, tier) for path, tier in ranked if tier <= 1]
    tests = fuse_tests(ranked, by_words, named, runs_on)[:MAX_TESTS]  # most likely first
    if not tests and not in_code_docs:
        # A top-level area ("torch": the package's own files) is "tested" by every test
        # that imports the package, i.e. the whole suite; its list of files says nothing.
        tests = _unique(
            t
            for area in areas
            if not is_root_area(area.name)
            for t in area.tests
            if runnable_test(t)
        )[:MAX_TESTS]
    symbol = next((n for n in in_title if selects_a_test(test_names, tests[:1], n)), "")
    build = build_facts_from_plain(code_map.build)
    plain = not (languages & NATIVE or docs_only or build.native)
    return PlanStep(
        stage=stage,
        issue=a.issue,
        modules=a.modules,
        difficulty=a.difficulty,
        fit=fit,
        taken=a.taken,
        why=[*_why(a, fit, focus, code_map, near, pinned), *page_why],
        start_reading=reading,
        look_for=look_for,
        tests=tests,
        test_command=one_test_command(tests, symbol, contributing),
        reviewers=step_reviewers(
            areas, [f.path for f in files], code_map, facts.owners, facts.known_logins
        ),
        setup_notes=[
            *setup_notes(
                languages,
                contributing,
                build,
                docs_only=docs_only,
                # Only a plain Python step could promise "no compiler needed".
                toolchains=issue_toolchains(issue, focus, code_map) if plain else (),
                compilers=main_package_compilers(code_map) if plain else (),
            ),
            *docs_closed_notes(a.issue, contributing, docs_only=docs_only),
            *in_code_docs_note(contributing, in_code_docs),
            *notes_for_tests(tests),
        ],
        effort=step_effort(a.difficulty.score, languages, build, contributing, docs_only=docs_only),
    )


def issue_names(
    issue: Issue,
    seeds: list[str],
    code_map: CodeMap,
    symbols: Mapping[str, Sequence[str]] | None = None,
) -> list[str]:
    """Names the issue uses that live in a seed module, in the order it uses them: the
    last part of a dotted name (`torch.linalg.svd` -> "svd"), then a bare name a seed
    defines (`find_tied_parameters`). Only identifiers: they go into shell commands."""
    seed_set = set(seeds)
    areas = {code_map.area_of(s) for s in seeds}
    text = f"{issue.title}\n{(issue.body or '')[:20_000]}"
    defined = defined_names(seeds, public_symbols(code_map) if symbols is None else symbols)
    found: list[str] = []
    for match in _DOTTED.finditer(text):
        dotted = match.group(0)
        prefix, _, last = dotted.rpartition(".")
        if not last.isidentifier() or last.startswith("__") or len(last) < 3:
            continue
        if dotted in code_map.modules or dotted in code_map.areas:
            continue  # "torch.nn.functional" names a module, not a test to select
        if (
            code_map.symbols.get(dotted) in seed_set
            or prefix in seed_set
            or prefix in areas
            or last in defined  # an alias: `F.interpolate`, `nn.Conv2d`
            or prefix.rpartition(".")[2] in defined  # a method: `Tensor.pad`
        ):
            found.append(last)
    for match in _BARE_NAME.finditer(text):
        if match.group(0) in defined:
            found.append(match.group(0))
    return _unique(found)


def native_op_names(issue: Issue, test_names: NamesInTests) -> list[str]:
    """The Python names of the native ops an issue about C++ code names (`torch.linalg.svd`,
    `at::native::logsumexp_out` in a traceback): what the tests of those ops call."""
    text = f"{issue.title}\n{(issue.body or '')[:20_000]}"
    ops = test_names.native_ops.ops_in_text(text)
    return _unique(name for op in ops for name in python_names(op))


def file_matches(matches: list[ModuleMatch], code_map: CodeMap) -> list[ModuleMatch]:
    """The matches that are tracked non-code files the issue names (docs/tensors.md)."""
    return [
        m
        for m in matches
        if m.name not in code_map.modules and m.name not in code_map.areas and m.path
    ]


def issue_reading(
    issue: Issue, matches: list[ModuleMatch], code_map: CodeMap
) -> tuple[list[str], dict[str, list[str]]]:
    """Where to start reading for this issue, and what to look for in each file (path ->
    names, as the issue writes them): the non-code files it names, the modules the mapping
    ranked for it (`matches`), the files of its traceback (innermost first), and the
    modules defining the functions and classes it names (`Tensor.where` -> tensor.py).
    Only when the issue names nothing the map can place does the list fall back to the
    matched modules' nearest neighbours (`start_reading`); never to the files every
    issue touches because they are central."""
    seeds = _seeds(matches, code_map)
    names = _names_in_issue(issue, seeds, code_map)
    if not names:
        return start_reading(matches, code_map), {}
    # An area match ("torch.optim") stands for its most imported modules (package
    # __init__s, mostly re-exports); with a module of that area matched, it adds nothing.
    areas_with_a_module = {code_map.area_of(m.name) for m in matches if m.name in code_map.modules}
    seeds = _seeds(
        [m for m in matches if m.name not in code_map.areas or m.name not in areas_with_a_module],
        code_map,
    )
    modules = [*seeds, *(m for m in names if m not in seeds)]
    paths = _unique(
        [*(m.path for m in file_matches(matches, code_map)),
         *(code_map.modules[m].path for m in modules)]
    )[:MAX_READING]  # fmt: skip
    look_for = {
        code_map.modules[m].path: found[:MAX_NAMES]
        for m, found in names.items()
        if code_map.modules[m].path in paths
    }
    return paths, look_for


def _names_in_issue(issue: Issue, seeds: list[str], code_map: CodeMap) -> dict[str, list[str]]:
    """Module -> the names the issue uses that it defines, in the issue's order: API
    names in the title (aliases expanded: `F.interpolate`), the traceback's functions
    (innermost first), then API and bare names in the body. A name counts when the map
    places it: a public symbol (`tinygrad.Tensor` -> `Tensor.cumsum` in tinygrad.tensor),
    a module and a name in it, or a seed's own name; a backticked snake_case name in the
    title the map cannot place (a method) is looked for in the first seed."""
    # The seeds' package stands for the repository's (`F.` -> torch.nn.functional).
    package = next((s.split(".", 1)[0] for s in seeds if "/" not in s), "")
    title = extract_evidence(issue.title, "", package=package)
    body = extract_evidence("", (issue.body or "")[:20_000], package=package)
    packages = sorted({n.split(".", 1)[0] for n in seeds} | ({package} if package else set()))
    found: dict[str, list[str]] = {}

    def add(module: str | None, name: str) -> None:
        info = code_map.modules.get(module or "")
        if module is None or info is None or info.is_test or is_root_module(module, code_map):
            return
        have = found.setdefault(module, [])
        last = name.rpartition(".")[2]
        # One entry per name: `Tensor.interpolate` covers the frame's `interpolate`, and
        # `PartialState.split_between_processes` the class `PartialState`.
        if not any(h.rpartition(".")[2] == last or h.startswith(name + ".") for h in have):
            have.append(name)

    for api in title.apis:
        add(*_place(api, packages, seeds, code_map))
    for name in _unique([*_bare_names(issue.title), *_CAPITALISED.findall(issue.title)]):
        add(*_place(name, packages, seeds, code_map))
    in_repo = [(f, m) for f in body.frames if (m := _frame_module(f.path, code_map))]
    for frame, module in reversed(in_repo):
        if frame.function:
            add(module, frame.function)
        else:
            found.setdefault(module, [])
    # The body's names only for files the title and traceback say nothing about: the
    # reproduction's `Tensor.rand` is no place to look for the bug in `Tensor.interpolate`.
    named = {m for m, have in found.items() if have}
    placed = [
        *(_place(api, packages, seeds, code_map) for api in body.apis),
        *(_place(bare, packages, seeds, code_map) for bare in _bare_names(issue.body or "")),
    ]
    for where, what in placed:
        if where not in named:
            add(where, what)
    first = next((s for s in seeds if code_map.modules[s].language == "python"), None)
    for name in _TICKED_SNAKE.findall(issue.title):
        if first is not None and not any(name in h for have in found.values() for h in have):
            add(first, name)
    return {m: have for m, have in found.items() if have or m not in seeds}


def _place(
    name: str, packages: list[str], seeds: list[str], code_map: CodeMap
) -> tuple[str | None, str]:
    """(defining module, the name as shown) for a name the issue writes, or (None, "")."""
    parts = name.split(".")
    if parts[-1] in _FILE_SUFFIXES or len(parts[-1]) < 3 or len(name) > 120:
        return None, ""
    for cut in range(len(parts), 0, -1):
        head = ".".join(parts[:cut])
        rest = parts[cut:]
        for full in (head, *(f"{p}.{head}" for p in packages), *(f"{s}.{head}" for s in seeds)):
            if full in code_map.modules:
                # A module and a name in it (`torch.linalg.svd`); a module alone is no name.
                return (full, ".".join(rest)) if rest else (None, "")
            module = code_map.symbols.get(full)
            if module is not None:
                return module, ".".join([parts[cut - 1], *rest])
    return None, ""


def _code_like(name: str) -> bool:
    """A name no English word is: dotted, snake_case or with a capital inside."""
    return "." in name or "_" in name or name[1:] != name[1:].lower()


def _bare_names(text: str) -> list[str]:
    return _unique(m.group(0) for m in _BARE_NAME.finditer(text[:20_000]))


def _frame_module(path: str, code_map: CodeMap) -> str | None:
    """The Python module a traceback frame's file is, matched by the longest path suffix
    of at least two parts: site-packages/accelerate/utils/memory.py is
    src/accelerate/utils/memory.py of the repository."""
    parts = path.replace("\\", "/").split("/")
    if not parts[-1].endswith(".py"):
        return None
    for start in range(max(0, len(parts) - 8), len(parts) - 1):
        tail = parts[start:]
        name = ".".join([*tail[:-1], tail[-1][:-3]]).removesuffix(".__init__")
        info = code_map.modules.get(name)
        if info is not None and info.path in ("/".join(tail), "src/" + "/".join(tail)):
            return name
    return None


def start_reading(matches: list[ModuleMatch], code_map: CodeMap) -> list[str]:
    """Non-code files the issue names, then the matched modules' files, then their nearest
    neighbours in the import graph (same area first, then the most depended-on), no tests
    unless the issue names them."""
    paths: list[str] = [m.path for m in file_matches(matches, code_map)]
    seeds = _seeds(matches, code_map)
    for name in seeds:
        paths.append(code_map.modules[name].path)
    successors, predecessors = adjacency(code_map)
    neighbours: set[str] = set()
    callers: set[str] = set()
    for name in seeds:
        if name in successors:
            neighbours.update(successors[name])
            callers.update(predecessors[name])
    neighbours |= callers
    seed_areas = {code_map.area_of(s) for s in seeds}
    ranked = sorted(
        (
            n
            for n in neighbours
            if n in code_map.modules
            and not code_map.modules[n].is_test
            and n not in seeds
            and not is_root_module(n, code_map)
        ),
        # Same area first; a package's __init__ (mostly re-exports) after real modules;
        # modules that use a seed (its callers) before those it uses; then the most used.
        key=lambda n: (
            code_map.area_of(n) not in seed_areas,
            code_map.modules[n].path.endswith("__init__.py"),
            n not in callers,
            -code_map.modules[n].dependents,
            n,
        ),
    )
    paths.extend(code_map.modules[n].path for n in ranked[:3])
    return _unique(paths)[:MAX_READING]


def _seeds(matches: list[ModuleMatch], code_map: CodeMap) -> list[str]:
    """Modules to start from: matched modules, or an area's two most imported modules."""
    seeds: list[str] = []
    for match in matches:
        if match.name in code_map.modules:
            seeds.append(match.name)
        elif match.name in code_map.areas:
            members = [m for m in code_map.areas[match.name].modules if m in code_map.modules]
            members.sort(key=lambda m: (-code_map.modules[m].dependents, m))
            seeds.extend(members[:2])
    return _unique(seeds)


_DOTTED = re.compile(r"\b[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")
_FILE_SUFFIXES = frozenset(FILE_SUFFIXES)
# A capitalised word of a title that may be a class (`SGD`, `LBFGS`, `Adam`, `Normal`).
_CAPITALISED = re.compile(r"(?<![\w.])[A-Z][A-Za-z0-9]{2,40}\b(?!\.)")
# A function the title quotes in backticks (`sparse_categorical_crossentropy`).
_TICKED_SNAKE = re.compile(r"`([a-z]\w*_\w+)(?:\(\))?`")
# A bare name worth looking up: snake_case or CamelCase, as issues quote functions.
_BARE_NAME = re.compile(r"\b(?:[a-z]\w*_\w+|[A-Z][a-z0-9]+[A-Z]\w*)\b")


@dataclass(frozen=True)
class MapFacts:
    """What describing any step of one map reads: worked out once (`map_facts`) by a
    caller describing several steps and handed in."""

    runnable_tests: list[tuple[str, str, str]]  # (path, stem, folder), see runnable_tests
    owners: CodeOwners  # the map's CODEOWNERS rules, compiled
    symbols: dict[str, list[str]]  # module -> dotted names it defines, see public_symbols
    shared_stems: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    template: TemplateText = NO_TEMPLATE  # what the issue templates write into an issue
    known_logins: frozenset[str] = frozenset()  # who wrote in the stored issues (reviewers)
    packages: frozenset[str] = frozenset()  # the top-level Python packages ("jax")


def map_facts(code_map: CodeMap) -> MapFacts:
    return MapFacts(
        runnable_tests(code_map),
        CodeOwners(code_map.codeowners),
        public_symbols(code_map),
        shared_stems(code_map),
        TemplateText.from_plain(code_map.issue_templates),
        packages=frozenset(
            info.package for info in code_map.modules.values() if info.language == "python"
        ),
    )


def _docs_only(focus: list[ModuleMatch], code_map: CodeMap) -> bool:
    return bool(focus) and len(file_matches(focus, code_map)) == len(focus)


def _why(
    a: IssueAssessment,
    fit: SkillFit,
    focus: list[ModuleMatch],
    code_map: CodeMap,
    near: Near | None,
    pinned: bool,
) -> list[str]:
    why: list[str] = []
    if pinned:
        why.append("kept from your earlier plan (re-planning never moves a step you have)")
    if fit.matched and fit.new:
        why.append(
            f"builds on skills you have ({', '.join(fit.matched)}) and adds {', '.join(fit.new)}"
        )
    elif fit.matched:
        why.append(f"uses only skills you have: {', '.join(fit.matched)}")
    elif fit.new:
        why.append(f"a first step into {', '.join(fit.new)}: no skill you listed is needed")
    for match in focus[:2]:
        if match.evidence:
            why.append(
                f"{_node_kind(match.name, code_map)} {match.name} "
                f"(match {match.score:.2f} of 1): " + "; ".join(match.evidence[:2])
            )
    if not focus:
        why.append("no module could be identified from the text: read the issue first")
    if a.kinds is not None and not a.kinds.kinds:
        why.append("neither its labels nor its words say bug or feature: read it to be sure")
    if near is not None:
        other, hops, own, theirs = near
        own, theirs = (_area_words(x) for x in (own, theirs))
        if hops == 0:
            where = f"both touch {own}"
        elif hops == 1:
            where = f"{own} is one import away from {theirs}"
        else:
            where = f"{own} is {hops} imports away from {theirs}"
        why.append(f"builds on step #{other.issue.number}: {where}")
    if a.taken.state == "stale-claim":
        why.append("an earlier claim went quiet: say hello on the issue before starting")
    return why


def _area_words(area: str) -> str:
    return "the top-level files" if area == ROOT_AREA else area


def _languages(matches: list[ModuleMatch], code_map: CodeMap) -> set[str]:
    langs: set[str] = set()
    for match in matches:
        info = code_map.modules.get(match.name)
        if info is not None:
            langs.add(info.language)
        else:
            area = code_map.areas.get(area_of_node(match.name, code_map))
            if area is not None and area.languages:
                langs.add(max(area.languages.items(), key=lambda kv: (kv[1], kv[0]))[0])
    return langs


# A title asking for a fix of the docs themselves: a typo, a docstring, a broken link, or
# a docs tag first ("Docs: ...", "[Documentation] ..."); not a bug that merely mentions
# them ("does not match the documentation", "the README example crashes").
_DOCS_FIX_TITLE = re.compile(
    r"\b(?:typos?|misspell\w*|spelling|grammar|docstrings?|(?:broken|dead) links?)\b"
    r"|^\W*(?:docs?|documentation)\b\W*[:\]]",
    re.IGNORECASE,
)


def _node_kind(name: str, code_map: CodeMap) -> str:
    if name in code_map.modules:
        return "touches"
    if name in code_map.areas:
        return "touches area"
    return "names file"


def _unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(items))
