"""Turn a chosen issue into a plan step a person can act on: why it was chosen, where to
start reading, which tests to run, who reviews, what setup it needs, how long it takes."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

from prready.analysis.areas import ROOT_AREA, github_login
from prready.analysis.build import (
    COMPILER_WORDS,
    BuildFacts,
    build_facts_from_plain,
    library_compilers,
    run_time_toolchains,
)
from prready.analysis.contributing import closes_docs_prs
from prready.analysis.evidence import FILE_SUFFIXES, extract_evidence, issue_query
from prready.analysis.issue_templates import NO_TEMPLATE, TemplateText, reporter_text
from prready.analysis.kinds import classify_issue, parse_hardware
from prready.analysis.layout import is_root_package
from prready.analysis.locality import Near
from prready.analysis.mapping import area_of_node, focus_matches, rank_areas
from prready.analysis.names_in_tests import NamesInTests
from prready.analysis.native_ops import NATIVE_FUNCTIONS, python_names
from prready.analysis.ownership import CodeOwners
from prready.analysis.snapshot import adjacency
from prready.analysis.vocabulary import HARDWARE_ALIASES
from prready.code_models import AreaInfo, CodeMap
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
MAX_TESTS = 6
MAX_REVIEWERS = 5
EFFORT = {1: "an evening", 2: "1-2 days", 3: "3-5 days", 4: "1-2 weeks", 5: "2-4 weeks"}
NATIVE = {"c", "cpp", "cuda"}


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
) -> PlanStep:
    """Everything the page shows for one step, derived from the assessment and the map;
    `test_names` (the names each test file uses) finds tests by what they call;
    `facts` is `map_facts(code_map)`, worked out once by a caller describing several
    steps (else here); `hardware` is what the user has ("mps", "cuda": `parse_hardware`),
    whose tests are not put after the others (nor those of what the issue itself needs)."""
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
        suite = _main_suite(facts.runnable_tests)
        by_words = [
            (path, score)
            for path, score in test_names.by_words(issue_query(title, body))
            if _runnable_test(path) and _in_suite(path, suite)
        ]
    if test_names is not None:
        named = {
            path
            for path in (*(p for p, _ in ranked), *(p for p, _ in by_words))
            if any(test_names.selects(path, n) for n in in_title)
        }
    # Whoever works on an issue that needs a GPU has one: its GPU tests are not put last.
    kinds = a.kinds if a.kinds is not None else classify_issue(a.issue)
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
            if not _is_root_area(area.name)
            for t in area.tests
            if _runnable_test(t)
        )[:MAX_TESTS]
    symbol = next((n for n in in_title if _selects_a_test(test_names, tests[:1], n)), "")
    build = build_facts_from_plain(code_map.build)
    plain = not (languages & NATIVE or docs_only or build.native)
    return PlanStep(
        stage=stage,
        issue=a.issue,
        modules=a.modules,
        difficulty=a.difficulty,
        fit=fit,
        taken=a.taken,
        why=_why(a, fit, focus, code_map, near, pinned),
        start_reading=reading,
        look_for=look_for,
        tests=tests,
        test_command=one_test_command(tests, symbol, contributing),
        reviewers=_reviewers(areas, [f.path for f in files], code_map, facts.owners),
        setup_notes=[
            *_setup_notes(
                languages,
                contributing,
                build,
                docs_only=docs_only,
                # Only a plain Python step could promise "no compiler needed".
                toolchains=_toolchains(issue, focus, code_map) if plain else (),
                compilers=_library_compilers(code_map) if plain else (),
            ),
            *_docs_closed(a.issue, contributing, docs_only=docs_only),
            *_in_code_docs_note(contributing, in_code_docs),
            *_test_needs(tests),
        ],
        effort=_effort(a.difficulty.score, languages, build, contributing, docs_only=docs_only),
    )


def rank_tests(
    seeds: list[str],
    code_map: CodeMap,
    test_names: NamesInTests | None = None,
    issue_uses: Sequence[str] = (),
    lead_names: Sequence[str] = (),
    runnable: Sequence[tuple[str, str, str]] | None = None,
    symbols: Mapping[str, Sequence[str]] | None = None,
    shared: Mapping[str, Collection[tuple[str, ...]]] | None = None,
) -> list[tuple[str, int]]:
    """(test file, tier) for the seed modules, best first. Tiers, by how directly a test
    exercises the code:

    0. a test module the issue itself names;
    1. the repository's conventional file for a seed: `test_<module>.py` or
       `<module>_test.py` beside it or in a test folder mirroring its package, and
       `test_<area>.py` for its area (`test/test_linalg.py` for `torch.linalg`);
    2. a test file named after the area or module (`test/test_nestedtensor.py` for
       `torch.nested`): PyTorch's tests import `torch`, not the submodule they test;
    3. a test importing a seed directly that is named after it, then 4. any other direct
       importer, then 5. one importing it through one module in between.

    With `test_names`, what a test file calls counts too (PyTorch's tests import only
    `torch`): a test using a name the issue uses (`issue_uses`, e.g. "svd" of
    `torch.linalg.svd`) that a seed defines is tier 2, one using other names a seed
    defines tier 4. Within a tier, a file with a test named after one of `lead_names` (the
    names in the issue's title: `test_split` for "Tensor.split fails") comes first, then
    the one calling them more often, then the one exercising a better-ranked seed (seeds
    come best match first: tests/test_cli.py calling `launch_command` of
    accelerate.commands.launch before a test calling only `debug_launcher` of a
    weaker match), then the one using the other names more. Tests whose
    path says they need a GPU or several processes come after the others (tier 5) unless
    the issue names them or they are the conventional file.

    A file with a test named after a title name goes before every tier but 0 (the
    issue's own test module) whatever its tier: `test_cumsum` in test/test_ops.py runs the
    code of "Tensor.cumsum fails", test/test_tensor.py without such a test does not.

    Only Python test files: never conftest.py or helpers (those are not `is_test`), never
    the whole suite."""
    tests = runnable_tests(code_map) if runnable is None else runnable
    ranked: dict[str, tuple[int, int, int, int, int, int, int, str]] = {}

    def offer(
        path: str, tier: int, uses: int = 0, named: int = 0, lead: int = 0, seed: int = 0
    ) -> None:
        if tier >= 2 and _needs_more_than_a_cpu(path):
            tier = max(tier, 5)  # a test needing a GPU or several processes is no first test
        # A test named after the title's name (`test_cumsum` in test/test_ops.py) comes
        # before a conventional file with no such test (test/test_tensor.py): only the
        # issue's own test modules go before it, and tests needing a GPU after.
        rank = 0 if tier == 0 else 3 if tier >= 5 else 1 if named else 2
        key = (rank, tier, -named, -lead, seed, -uses, path.count("/"), path)
        if path not in ranked or key < ranked[path]:
            ranked[path] = key

    # Tests found through what they import or call come from the main suite (PyTorch's
    # test/, not torch/csrc/lazy/test_mnist.py); a test the issue names or the file named
    # after a module can lie anywhere.
    suite = _main_suite(tests)
    if test_names is not None:
        if symbols is None:
            symbols = public_symbols(code_map)
        defined_by = _defined_by_seed(seeds, symbols)
        defined = set(defined_by)
        wanted = set(issue_uses)
        leads = [name for name in lead_names if name in wanted]
        native_words = _native_words(seeds, code_map)
        for path, used in test_names.using(defined | wanted).items():
            if not _runnable_test(path) or not _in_suite(path, suite):
                continue
            strong = sum(n for name, n in used.items() if name in wanted)
            # A test of the op named like the C++ file (test_unary_ufuncs.py calling
            # `sigmoid` for UnaryOpsKernel.cpp) is that file's conventional test.
            conventional = strong and _shares_a_word(_stem_words(path), native_words)
            lead = sum(used.get(name, 0) for name in leads)
            named = sum(1 for name in leads if name in used and test_names.selects(path, name))
            tier = 1 if conventional else 2 if strong else 4
            # The best-ranked seed it exercises (a name the issue uses counts as the first).
            best = min((0 if name in wanted else defined_by[name] for name in used), default=0)
            offer(path, tier, strong or sum(used.values()), named, lead, best)

    for rank, seed in enumerate(seeds):
        info = code_map.modules.get(seed)
        if info is None:
            continue
        if info.is_test:
            if _runnable_test(info.path):
                offer(info.path, 0, seed=rank)
            continue
        stem, area_word, mirror = _seed_words(seed, code_map)
        if shared is None:
            shared = shared_stems(code_map)
        exact: list[tuple[str, int]] = []
        prefixed: list[tuple[str, int]] = []
        for path, test_stem, folder in tests:
            for tier in _convention_tiers(
                test_stem, folder, info.path, stem, area_word, mirror, shared.get(stem, ())
            ):
                (prefixed if tier == _PREFIX_TIER else exact).append((path, tier))
        for path, tier in exact:
            offer(path, tier, seed=rank)
        # test_nestedtensor.py for torch.nested, but test_nnapi.py is no test of torch.nn
        # when test_nn.py exists: a name that only starts with the area's word counts as
        # the conventional file when there is no exact one, else as much as an importer.
        for path, _tier in prefixed:
            offer(path, 4 if exact else 2, seed=rank)
    # The map's adjacency dicts: a restored map's graph is never built for a plan.
    _, importers = adjacency(code_map)
    seed_rank = {s: i for i, s in reversed(list(enumerate(seeds)))}
    frontier = {s for s in seeds if s in importers and not _is_test(s, code_map)}
    origin = {s: seed_rank[s] for s in frontier}  # module -> the best seed it leads back to
    words = {w for s in frontier for w in _seed_words(s, code_map)[:2] if w}
    visited = set(frontier)
    for hop in (1, 2):
        if hop == 2 and any(key[1] <= 4 for key in ranked.values()):
            break  # tests one module away matter only when none is closer
        following: set[str] = set()
        for node in sorted(frontier, key=lambda n: (origin[n], n)):
            for importer in importers[node]:
                if importer in visited:
                    continue
                visited.add(importer)
                origin[importer] = origin[node]
                info = code_map.modules.get(importer)
                if info is None:
                    continue
                if info.is_test:
                    if _runnable_test(info.path) and _in_suite(info.path, suite):
                        named = not words.isdisjoint(_stem_words(info.path))
                        tier = 5 if hop == 2 else (3 if named else 4)
                        offer(info.path, tier, seed=origin[node])
                elif not _is_root_package(importer, code_map):
                    # Every test imports the top-level package: going through it would
                    # list the whole suite as "the tests for" any module it re-exports.
                    following.add(importer)
        frontier = following
    return [(path, key[1]) for path, key in sorted(ranked.items(), key=lambda kv: kv[1])]


# What a conventional file (or one with a test named after the title) earns on top of its
# words' share of the best match, and the share a file found by its words alone needs
# (see `fuse_tests`).
_LEAD_TEST_BONUS = 0.5
_WORDS_ONLY_SHARE = 0.5


def fuse_tests(
    ranked: Sequence[tuple[str, int]],
    by_words: Sequence[tuple[str, float]],
    named: Collection[str] = (),
    hardware: Collection[str] = (),
) -> list[str]:
    """The tests to run, best first: the tiers of `rank_tests` (how directly a file
    exercises the mapped code) fused with the test files' BM25 match to the issue's words
    (`NamesInTests.by_words`: a test of `modules_to_save` uses that name). The test files
    the issue names come first, in the tiers' order; then the others by their share of the
    best words' score, plus _LEAD_TEST_BONUS for a mapped module's conventional file and
    for one holding a test named after a name in the title (`named`: `test_cumsum` for
    "Tensor.cumsum fails", which `-k` then selects). A file the tiers did not find needs
    _WORDS_ONLY_SHARE of the best score; ties keep the tiers' order. Measured on the
    development set (`bench/bench_step_tests.py`), the words alone find a changed test more
    often than the tiers alone, and the two together more often than either (the tiers'
    own order, which puts every file named after the title first, less often). A file
    needing more than a CPU comes after the others unless the issue names it or it is
    conventional, as in `rank_tests`: the first test is one anybody can run; unless
    the user has what it needs (`hardware`: `test_mps.py` for a Mac's owner)."""
    tiers = {path: tier for path, tier in ranked}
    best = max((score for _, score in by_words), default=0.0)
    if best <= 0:
        return [path for path, _ in ranked]
    lead = [path for path, tier in ranked if tier == 0]
    scores = {
        path: score / best
        for path, score in by_words
        if path not in lead and (path in tiers or score >= _WORDS_ONLY_SHARE * best)
    }
    for path, tier in tiers.items():
        if path not in lead:
            scores[path] = scores.get(path, 0.0) + (_LEAD_TEST_BONUS if tier == 1 else 0.0)
    for path in named:
        if path in scores:
            scores[path] += _LEAD_TEST_BONUS
    order = {path: i for i, path in enumerate(tiers)}
    rest = sorted(scores, key=lambda p: (-scores[p], order.get(p, len(order)), p))
    return sorted([*lead, *rest], key=lambda p: tiers.get(p, 9) > 1 and not _can_run(p, hardware))


def one_test_command(tests: list[str], symbol: str, contributing: ContributingSummary) -> str:
    """One command in the repository's own runner: the first test file with `-k SYMBOL`
    when the issue names one, else the listed files. PyTorch runs test files as scripts
    (`python test/test_linalg.py -k svd`); others run pytest. "" without tests (never
    the whole suite)."""
    if not tests:
        return ""
    first = _shell_quote(tests[0])
    if _runs_test_scripts(contributing):
        return f"python {first} -k {symbol}" if symbol else f"python {first}"
    runner = _runner("", contributing)
    if runner in ("python", "python3"):  # a script runs one file, not a list of them
        runner = "python -m pytest"
    if symbol:
        return f"{runner} {first} -k {symbol}"
    return f"{runner} {' '.join(_shell_quote(t) for t in tests[:3])}"


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
    defined = _defined_names(seeds, public_symbols(code_map) if symbols is None else symbols)
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
        if module is None or info is None or info.is_test or _is_root_package(module, code_map):
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


def _main_package(code_map: CodeMap) -> str:
    """The top-level package with the most library modules (for aliases like `F.`)."""
    sizes = Counter(
        name.split(".", 1)[0]
        for name, info in code_map.modules.items()
        if info.language == "python" and not info.is_test
    )
    return min(sizes, key=lambda p: (-sizes[p], p)) if sizes else ""


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
            and not _is_root_package(n, code_map)
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


# --------------------------------------------------------------------------- helpers
def public_symbols(code_map: CodeMap) -> dict[str, list[str]]:
    """Each module -> the dotted names of the symbols it defines: one pass over the map's
    symbols, made once per plan (`map_facts`) rather than twice per step."""
    by_module: dict[str, list[str]] = {}
    for dotted, module in code_map.symbols.items():
        by_module.setdefault(module, []).append(dotted)
    return by_module


def _seed_names(seed: str, symbols: Mapping[str, Sequence[str]]) -> Iterator[str]:
    """The public names `seed` defines, by their last part (`patch_environment` of
    accelerate.utils.environment), as a test would call them."""
    for dotted in symbols.get(seed, ()):
        name = dotted.rpartition(".")[2]
        if not name.startswith("_"):
            yield name


def _defined_names(seeds: Sequence[str], symbols: Mapping[str, Sequence[str]]) -> set[str]:
    """The public names the seed modules define (see `_seed_names`)."""
    return {name for seed in set(seeds) for name in _seed_names(seed, symbols)}


def _defined_by_seed(seeds: Sequence[str], symbols: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Each public name the seed modules define -> the rank of the best seed defining it."""
    rank = {seed: i for i, seed in reversed(list(enumerate(seeds)))}
    found: dict[str, int] = {}
    for seed, i in rank.items():
        for name in _seed_names(seed, symbols):
            if i < found.get(name, len(rank)):
                found[name] = i
    return found


def _main_suite(tests: Sequence[tuple[str, str, str]]) -> str:
    """The top folder holding the most test files ("test" in PyTorch, whose functorch/test
    is another suite): tests found by the names they call come from there."""
    folders = Counter(path.split("/", 1)[0] for path, _stem, folder in tests if folder)
    return min(folders, key=lambda f: (-folders[f], f)) if folders else ""


def _in_suite(path: str, suite: str) -> bool:
    return not suite or path.split("/", 1)[0] == suite


def _native_words(seeds: Sequence[str], code_map: CodeMap) -> set[str]:
    """The words of the native seeds' file names (`cpu/UnaryOpsKernel.cpp` -> "unary"),
    without words every kernel file has."""
    words: set[str] = set()
    for seed in seeds:
        info = code_map.modules.get(seed)
        if info is None or info.language not in NATIVE:
            continue
        stem = posixpath.basename(info.path).rsplit(".", 1)[0]
        for word in _CAMEL_WORD.findall(stem):
            word = word.lower()
            if len(word) >= 4 and word not in _GENERIC_NATIVE_WORDS:
                words.add(word)
    return words


def _shares_a_word(words: set[str], native_words: set[str]) -> bool:
    """Whether a test file's words and a native file's agree on one word, allowing for
    inflection ("reductions" for ReduceOps, "sort" for Sorting): a common start of at
    least five letters, or all of the shorter word."""
    for word in words:
        for other in native_words:
            common = len(posixpath.commonprefix([word, other]))
            if len(word) >= 4 and common >= min(len(word), len(other), 5):
                return True
    return False


# The hardware a test path's word needs, as the keys `parse_hardware` gives.
_TEST_HARDWARE = {
    **HARDWARE_ALIASES, "cudnn": "cuda", "nv": "cuda", "nccl": "multi-gpu", "sycl": "xpu"
}  # fmt: skip


def _can_run(path: str, hardware: Collection[str]) -> bool:
    """Whether a test runs on what the user has: a CPU, and `hardware` (HARDWARE keys).
    A path word that names no hardware the user can say they have (`opencl`) needs more
    than a CPU all the same; tests of several processes need "multi-gpu"."""
    words = _path_words(path)
    needs = {_TEST_HARDWARE.get(w, w) for w in words & _GPU_WORDS}
    if not words.isdisjoint(_MULTI_PROCESS_WORDS):
        needs.add("multi-gpu")
    return needs <= set(hardware)


def _needs_more_than_a_cpu(path: str) -> bool:
    words = _path_words(path)
    return not (_GPU_WORDS.isdisjoint(words) and _MULTI_PROCESS_WORDS.isdisjoint(words))


def _selects_a_test(test_names: NamesInTests | None, tests: list[str], name: str) -> bool:
    """Whether `-k name` selects a test of the first listed test file; without the index,
    a name the issue uses is the best guess."""
    if test_names is None:
        return True
    return any(test_names.selects(path, name) for path in tests)


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
# Words too generic to tie a test file to a module ("test_utils.py" tests no one thing).
_GENERIC_WORDS = frozenset(
    {"utils", "util", "common", "base", "core", "helpers", "init", "main", "types", "impl",
     "api", "internal", "misc", "test", "tests", "src", "lib"}
)  # fmt: skip
_CAMEL_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_GENERIC_NATIVE_WORDS = frozenset(
    {"ops", "kernel", "kernels", "impl", "utils", "util", "native", "functions", "helper",
     "helpers", "common", "stub", "cuda", "template", "templates", "batch"}
)  # fmt: skip
_GPU_WORDS = frozenset(
    {"cuda", "gpu", "cudnn", "nccl", "mps", "xpu", "rocm", "hip", "tpu", "xla", "metal", "opencl",
     "multigpu", "hcq", "amd", "nv", "nvidia", "webgpu", "sycl"}
)  # fmt: skip
_MULTI_PROCESS_WORDS = frozenset(
    {"distributed", "multiprocessing", "rpc", "c10d", "ddp", "fsdp", "multinode", "mpi", "gloo"}
)
_PREFIX_TIER = -1  # a test file whose name starts with the area's word (test_nestedtensor)


@dataclass(frozen=True)
class MapFacts:
    """What describing any step of one map reads: worked out once (`map_facts`) by a
    caller describing several steps and handed in."""

    runnable_tests: list[tuple[str, str, str]]  # (path, stem, folder), see runnable_tests
    owners: CodeOwners  # the map's CODEOWNERS rules, compiled
    symbols: dict[str, list[str]]  # module -> dotted names it defines, see public_symbols
    shared_stems: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    template: TemplateText = NO_TEMPLATE  # what the issue templates write into an issue


def map_facts(code_map: CodeMap) -> MapFacts:
    return MapFacts(
        runnable_tests(code_map),
        CodeOwners(code_map.codeowners),
        public_symbols(code_map),
        shared_stems(code_map),
        TemplateText.from_plain(code_map.issue_templates),
    )


# A module name this many code modules share (peft's 30 `config.py`, one per tuner) names
# none of them in particular: `tests/test_config.py` is the conventional test of the one
# whose package its folder mirrors (`peft/config.py`), not of `tuners/lora/config.py`.
# Where no module of the name sits where the test folder points (jax's `fft.py` under
# `_src/lax/`, `_src/numpy/` and `numpy/`, none at the top, and a flat `tests/fft_test.py`),
# the test is every one's, as for a name one module has.
SHARED_STEM_MIN = 3


def shared_stems(code_map: CodeMap) -> dict[str, frozenset[tuple[str, ...]]]:
    """Module word (`_seed_words`' first) -> the packages (`_seed_words`' mirror, private
    `_src` layers left out) of the modules having it, for the words SHARED_STEM_MIN or more
    Python code modules have."""
    places: dict[str, list[tuple[str, ...]]] = {}
    for info in code_map.modules.values():
        if not info.is_test and info.language == "python":
            folder, _, base = info.path.rpartition("/")
            stem = base[:-3].strip("_").lower()
            if stem != "init":
                places.setdefault(stem, []).append(_bare(_mirror(folder)))
    return {
        stem: frozenset(found)
        for stem, found in sorted(places.items())
        if len(found) >= SHARED_STEM_MIN
    }


def runnable_tests(code_map: CodeMap) -> list[tuple[str, str, str]]:
    """(path, stem, folder) of every runnable Python test file of the map, sorted."""
    return sorted(
        (info.path, posixpath.basename(info.path)[:-3], posixpath.dirname(info.path))
        for info in code_map.modules.values()
        if info.is_test and _runnable_test(info.path)
    )


def _runnable_test(path: str) -> bool:
    base = posixpath.basename(path)
    return base.endswith(".py") and base != "conftest.py" and not base.startswith("_")


def _seed_words(seed: str, code_map: CodeMap) -> tuple[str, str, tuple[str, ...]]:
    """(module word, area word, package folders below the top level) of a seed:
    `torch/optim/adam.py` -> ("adam", "optim", ("optim",)); generic words are ""."""
    info = code_map.modules[seed]
    folder, _, base = info.path.rpartition("/")
    stem = base.rsplit(".", 1)[0]
    parts = [p for p in folder.split("/") if p and p != "src"]
    if stem == "__init__" and parts:
        stem = parts[-1]
    area = code_map.area_of(seed)
    area_word = "" if _is_root_area(area) else re.split(r"[./]", area.rstrip("/"))[-1]
    return _word(stem), _word(area_word), _mirror(folder)


def _mirror(folder: str) -> tuple[str, ...]:
    """The package folders below the top level a test folder would mirror:
    `torch/optim` -> ("optim",), `jax/_src/lax` -> ("src", "lax")."""
    parts = [p for p in folder.split("/") if p and p != "src"]
    return tuple(p.lstrip("_") for p in parts[1:])


def _bare(mirror: tuple[str, ...]) -> tuple[str, ...]:
    """A mirror without private implementation layers: jax's `jax/_src/random.py` is
    what the public `jax/random.py` re-exports, tested in the same place."""
    return tuple(p for p in mirror if p != "src")


def _word(text: str) -> str:
    word = text.strip("_").lower()
    return "" if len(word) < 2 or word in _GENERIC_WORDS else word


def _convention_tiers(
    test_stem: str,
    folder: str,
    seed_path: str,
    stem: str,
    area: str,
    mirror: tuple[str, ...],
    shared: Collection[tuple[str, ...]] = (),
) -> list[int]:
    """Tiers (see `rank_tests`) a test file earns by its name and place for one seed; for
    a module word several modules share (`shared`: their packages, see `shared_stems`),
    none where the test folder mirrors another of them and not the seed's."""
    low = test_stem.lower()
    parts = folder.split("/")
    top = next((i for i, p in enumerate(parts) if p in ("test", "tests")), None)
    # Beside the module, at the top of a test folder, or in one mirroring the package
    # (test/optim/test_adam.py for torch/optim/adam.py).
    below = tuple(p.lstrip("_") for p in parts[top + 1 :]) if top is not None else None
    placed = folder == posixpath.dirname(seed_path) or (
        below is not None
        and (not below or below in (mirror[: len(below)], _bare(mirror)[: len(below)]))
    )
    tiers = []
    # (A shared module word's file where another of them sits is that one's test.)
    elsewhere = (
        below is not None
        and below in shared
        and below != _bare(mirror)
        and folder != posixpath.dirname(seed_path)
    )
    for word in (stem if not elsewhere else "", area):
        if not word:
            continue
        if low in (f"test_{word}", f"{word}_test"):
            # test/autograd/test_functional.py is not the test of torch/nn/functional.py.
            if placed or below is not None:
                tiers.append(1 if placed else 4)
        elif (
            word == area
            and seed_path.endswith(".py")
            and placed
            and below is not None
            and low.startswith(f"test_{word}")
        ):
            tiers.append(_PREFIX_TIER)
    return tiers


def _runs_test_scripts(contributing: ContributingSummary) -> bool:
    """Whether the guide runs single test files as scripts (`python test/test_jit.py`)."""
    return any(_TEST_SCRIPT.match(command) for command in contributing.test)


_TEST_SCRIPT = re.compile(r"^python3? (?!-m\b)\S*?tests?/(?:[\w.-]+/)*(?:test_\w+|FILENAME)\.py\b")


def _docs_closed(issue: Issue, contributing: ContributingSummary, *, docs_only: bool) -> list[str]:
    """A warning on a docs change (a docstring typo too) when the guide closes docs-only
    pull requests from new contributors (tinygrad's README)."""
    if not closes_docs_prs(contributing):
        return []
    if not (docs_only or classify_issue(issue).has("docs")):
        return []
    return [
        "The guide closes docs-only pull requests from new contributors: ask on the issue "
        "before starting, or fold the fix into a code change."
    ]


def _test_needs(tests: list[str]) -> list[str]:
    """Hardware or process needs of the listed tests, read from their paths."""
    gpu = [t for t in tests if not _GPU_WORDS.isdisjoint(_path_words(t))]
    multi = [t for t in tests if not _MULTI_PROCESS_WORDS.isdisjoint(_path_words(t))]
    notes = []
    if gpu:
        notes.append(f"Needs a GPU (or other accelerator) to run: {', '.join(gpu[:3])}")
    if multi:
        notes.append(f"Starts several processes (distributed): {', '.join(multi[:3])}")
    return notes


def _path_words(path: str) -> set[str]:
    """The words of a test's folders and file name: split on `/`, `_` and `-` (XGBoost keeps
    its GPU tests in `tests/python-gpu/`)."""
    return set(_PATH_WORD_BREAKS.split(path.lower().rsplit(".", 1)[0]))


_PATH_WORD_BREAKS = re.compile(r"[/_\-]")


def _stem_words(path: str) -> set[str]:
    return set(posixpath.basename(path).rsplit(".", 1)[0].lower().split("_"))


def _shell_quote(path: str) -> str:
    safe = all(ch.isalnum() or ch in "/._-" for ch in path)
    return path if safe else "'" + path.replace("'", "'\\''") + "'"


def _is_root_area(name: str) -> bool:
    return "." not in name and "/" not in name.rstrip("/")


def _is_root_package(name: str, code_map: CodeMap) -> bool:
    info = code_map.modules.get(name)
    return info is not None and is_root_package(name, info.path)


def _is_test(name: str, code_map: CodeMap) -> bool:
    info = code_map.modules.get(name)
    return info is not None and info.is_test


def _docs_only(focus: list[ModuleMatch], code_map: CodeMap) -> bool:
    return bool(focus) and len(file_matches(focus, code_map)) == len(focus)


# The settings that ask for slow tests (`RUN_SLOW=1 ...`, `RUN_SLOW=yes`): a first run
# wants none; others (`PYTHONPATH=src`, `JAX_PLATFORMS=cpu`) stay. Unquoted values only.
_ENV_SETTINGS = re.compile(r"^\s*(?:(?:RUN_\w+|\w*SLOW\w*)=[^\s\"']*\s+)+", re.IGNORECASE)


def _runner(area_command: str, contributing: ContributingSummary) -> str:
    """The test runner part of a command ("python -m pytest" of "python -m pytest a.py"),
    without the settings before it: diffusers' `RUN_SLOW=1` downloads gigabytes of models
    for the slow tests a first run does not want."""
    for command in (area_command, *(contributing.test[:1])):
        words: list[str] = []
        for word in _ENV_SETTINGS.sub("", command).split():
            after_m = bool(words) and words[-1] == "-m"
            if not after_m and ("/" in word or word.endswith(".py") or word.startswith("#")):
                break
            if word.startswith("-") and word != "-m":
                break
            words.append(word)
        if words:
            return " ".join(words)
    return "python -m pytest"


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


def _reviewers(
    areas: list[AreaInfo], files: list[str], code_map: CodeMap, code_owners: CodeOwners
) -> list[str]:
    """Whom to ask for review: code owners (of the named files, then of the areas), then
    the areas' most active recent authors by their commits here. An author whose commits
    carry their login (noreply e-mails) is listed as @login; one whose never do (a company
    address: jax's and diffusers' core maintainers) by name, with MIN_NAMED_COMMITS or
    more commits, marked as having no known login, rather than left out for the occasional
    contributors whose logins are known. Bots are left out, and a name is not repeated
    when it is a listed login's (`AreaInfo.author_logins`, else by its spelling); owners
    given by e-mail count only when the address is a noreply one."""
    owners: list[str] = []
    for owner in [
        *(owner for path in files for owner in code_owners.owners_for(path)),
        *(owner for area in areas for owner in area.owners),
    ]:
        login = github_login(owner)
        handle = owner if owner.startswith("@") else (f"@{login}" if login else "")
        if handle and handle not in owners:
            owners.append(handle)
    logins: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for area in areas:
        for login, count in area.recent_logins[:3]:
            logins[login] += count
        people_here = [(n, c) for n, c in area.recent_authors if not _BOT_NAME.search(n)]
        for name, count in people_here[:3]:
            known_login = area.author_logins.get(name)
            if known_login:  # the same person: listed once, by login
                logins[known_login] = max(logins[known_login], count)
            else:
                names[name] += count
    known = [_squashed(h) for h in [*owners, *logins]]
    entries = [(n, f"@{login}", "") for login, n in logins.items() if f"@{login}" not in owners]
    entries.extend(
        (n, shown, "; no GitHub login in the history")
        for name, n in names.items()
        if n >= MIN_NAMED_COMMITS
        and not _same_person(name, known)
        and (shown := _display_name(name))
    )
    entries.sort(key=lambda e: (-e[0], e[1]))
    people = [f"{owner} (code owner)" for owner in owners]
    people.extend(
        f"{who} ({n} recent commit{'s' if n != 1 else ''} here{unknown})" for n, who, unknown in entries
    )
    return people[:MAX_REVIEWERS]


MIN_NAMED_COMMITS = 3  # an author known by name only is listed from this many commits
MAX_NAME_CHARS = 30  # a display name is cut to this (its marker must stay readable)
_BOT_NAME = re.compile(
    r"\[bot\]|(?:merge|pytorch|github|ci|release|test)[ -]?bot\b|copybara|tensorflower"
    r"|\bservice account\b|\bauthors\b",
    re.IGNORECASE,
)


def _display_name(name: str) -> str:
    """An author's name as a card shows it: no leading @ nor brackets (a name is no
    handle and no "(code owner)"), at most MAX_NAME_CHARS."""
    shown = " ".join(name.replace("(", " ").replace(")", " ").lstrip("@ ").split())
    return shown if len(shown) <= MAX_NAME_CHARS else shown[: MAX_NAME_CHARS - 1] + "…"


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _same_person(name: str, handles: Sequence[str]) -> bool:
    """A display name spelled like a listed login (squashed: `Sayak Paul` and @sayakpaul,
    `Mario Lezcano` and @lezcano, `Alan Turing` and @aturing, `Sam Smith` and @sam)."""
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    forms = {"".join(words), *(w for w in words if len(w) >= 3)}
    if len(words) >= 2:
        forms |= {words[0][0] + words[-1], words[0] + words[-1][0]}
    return any(h in forms for h in handles)


def _setup_notes(
    languages: set[str],
    contributing: ContributingSummary,
    build: BuildFacts,
    *,
    docs_only: bool = False,
    toolchains: Sequence[tuple[str, str]] = (),
    compilers: Sequence[tuple[str, str]] = (),
) -> list[str]:
    """What this step needs on top of the page-wide build/lint/test summary: the kind of
    build, the guide's build command, and for a Python-only change to a library with a
    native build, the guide's fast path when it has one (PyTorch's nightly checkout).
    `toolchains` (backend, what it needs): the backends the issue runs through that
    compile code at run time (tinygrad's CLANG); `compilers`: those the library drives
    whatever the issue (see build.library_compilers): no "no compiler needed" then."""
    notes: list[str] = []
    source_build = _source_build_command(contributing)
    if "cuda" in languages:
        notes.append("Needs a build from source with the CUDA toolkit, and an NVIDIA GPU to test.")
    elif languages & NATIVE:
        notes.append(
            "Needs a C++ build from source (compiler, CMake); the first build can take hours."
        )
    elif docs_only:
        notes.append("Docs only: no install or compiler needed; preview the page before pushing.")
        return notes
    elif build.native:
        why = "; ".join(build.evidence[:2])
        if contributing.python_only:
            notes.append(
                f"Python-only change, but this library builds native code ({why}). Skip the "
                f"source build with the guide's Python-only path: {contributing.python_only[0]}"
            )
            notes.append(
                "Or build from source"
                + (f" as the guide says: {source_build}" if source_build else "")
                + " (the first build takes hours)."
            )
            return notes
        notes.append(
            f"Python-only change, but this library builds native code ({why}): even Python "
            "changes run only after a build from source; the first build can take hours."
        )
    elif toolchains:
        backends = " and ".join(name for name, _ in toolchains)
        needs = "; ".join(what for _, what in toolchains)
        notes.append(
            f"Python only: an editable install is enough, but the {backends} backend "
            f"compiles code at run time: you need {needs}."
        )
        return notes
    elif compilers:
        backends = " or ".join(name for name, _ in compilers)
        needs = ", or ".join(what for _, what in compilers)
        notes.append(
            "Python only: an editable install is enough, but this library compiles its "
            f"kernels at run time (its {backends} backend on a CPU): running it and its "
            f"tests needs {needs}."
        )
        return notes
    else:
        notes.append("Python only: an editable install is enough, no compiler needed.")
        return notes
    if source_build:
        notes.append("Build as the contributing guide says: " + source_build)
    return notes


# A title asking for a fix of the docs themselves: a typo, a docstring, a broken link, or
# a docs tag first ("Docs: ...", "[Documentation] ..."); not a bug that merely mentions
# them ("does not match the documentation", "the README example crashes").
_DOCS_FIX_TITLE = re.compile(
    r"\b(?:typos?|misspell\w*|spelling|grammar|docstrings?|(?:broken|dead) links?)\b"
    r"|^\W*(?:docs?|documentation)\b\W*[:\]]",
    re.IGNORECASE,
)


def _in_code_docs_note(contributing: ContributingSummary, in_code_docs: bool) -> list[str]:
    """For a docs change in code (a docstring, a comment, a message): what checks it."""
    if not in_code_docs:
        return []
    checks = f" ({contributing.lint[0]})" if contributing.lint else ""
    return [
        "A docs change in code: the guide's style checks" + checks + " and the rendered "
        "docs check it more than the test suite does."
    ]


def _library_compilers(code_map: CodeMap) -> list[tuple[str, str]]:
    """The compilers the main package's own modules drive (see build.library_compilers);
    tests, examples and tool scripts do not count."""
    found = _names_with_words(code_map.modules, COMPILER_WORDS)
    named = [
        (name, info)
        for name in sorted(found)
        if (info := code_map.modules[name]).language == "python" and not info.is_test
    ]
    if not named:
        return []
    main = _main_package(code_map)
    return library_compilers(info.path for name, info in named if name.split(".", 1)[0] == main)


def _names_with_words(names: Iterable[str], words: Sequence[str]) -> set[str]:
    """The names holding any of the lower-case `words`, in any case: found in one pass over
    all the names joined (a large tree has tens of thousands; a plan asks for every step)."""
    joined = "\n".join(names)
    words = [word for word in words if word]
    if not words or not joined:
        return set()
    if not joined.isascii():
        # Positions in a lower-cased copy would drift where lower-casing changes a length
        # ("İ"): one regular expression on the names themselves.
        alternatives = "|".join(re.escape(word) for word in words)
        return set(re.findall(rf"(?im)^[^\n]*(?:{alternatives})[^\n]*$", joined))
    # ASCII: lower-casing keeps every position, and str.find is far quicker than a
    # case-insensitive pattern that must try each line from its start.
    low = joined.lower()
    found: set[str] = set()
    for word in words:
        at = low.find(word)
        while at >= 0:
            start = joined.rfind("\n", 0, at) + 1
            end = joined.find("\n", at)
            end = len(joined) if end < 0 else end
            found.add(joined[start:end])
            at = low.find(word, end)
    return found


def _toolchains(issue: Issue, focus: list[ModuleMatch], code_map: CodeMap) -> list[tuple[str, str]]:
    """The run-time compilers the issue's backend needs (see build.run_time_toolchains)."""
    text = f"{issue.title}\n{issue.body or ''}"
    focus_paths = [m.path for m in focus if m.path]
    return run_time_toolchains(text, focus_paths, (i.path for i in code_map.modules.values()))


def _source_build_command(contributing: ContributingSummary) -> str:
    """The guide's command for a development build from source, the most specific first
    (`python setup.py develop`, an editable install), then any native build step."""
    for pattern in _SOURCE_BUILDS:
        found = next((line for line in contributing.build if pattern.search(line)), "")
        if found:
            return found
    return ""


_SOURCE_BUILDS = (
    re.compile(r"setup\.py develop\b|pip3? install (?:[^|;]* )?(?:-e|--editable)\b"),
    re.compile(r"setup\.py (?:build|install)\b|build_ext|-m build\b"),
    re.compile(r"^(?:\w+=\S+\s+)*(?:cmake|make|ninja|bazel)\b"),
)
FIRST_BUILD = "1-2 days for the first build from source"
FIRST_BUILD_FAST = "an hour for the guide's Python-only setup"


def _effort(
    difficulty: int,
    languages: set[str],
    build: BuildFacts,
    contributing: ContributingSummary,
    *,
    docs_only: bool = False,
) -> str:
    """The work itself, plus the first build when the change needs one (a native source
    build, for C++/CUDA changes or any change to a library without a Python-only path,
    takes days to get working, not hours), plus the repository's typical wait for review
    when the synced pull requests show it."""
    effort = EFFORT.get(difficulty, EFFORT[3])
    if not docs_only and languages & NATIVE:
        effort += f" + {FIRST_BUILD}"
    elif not docs_only and build.native:
        effort += f" + {FIRST_BUILD_FAST if contributing.python_only else FIRST_BUILD}"
    if contributing.review_sample:
        effort += f" + {_days(contributing.review_days)} waiting for review"
    return effort


def _days(days: float) -> str:
    if days < 1:
        return "about a day"
    if days < 14:
        return f"about {round(days)} day{'s' if round(days) != 1 else ''}"
    return f"about {round(days / 7)} weeks"


def _node_kind(name: str, code_map: CodeMap) -> str:
    if name in code_map.modules:
        return "touches"
    if name in code_map.areas:
        return "touches area"
    return "names file"


def _unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(items))
