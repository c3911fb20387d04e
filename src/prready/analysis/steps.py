"""Turn a chosen issue into a plan step a person can act on: why it was chosen, where to
start reading, which tests to run, who reviews, what setup it needs, how long it takes."""

from __future__ import annotations

import re
from collections import Counter

from prready.analysis.mapping import area_of_node, focus_matches, rank_areas
from prready.analysis.ownership import owners_for
from prready.models import (
    AreaInfo,
    CodeMap,
    ContributingSummary,
    IssueAssessment,
    ModuleMatch,
    PlanStep,
    SkillFit,
)

MAX_READING = 6
MAX_TESTS = 6
MAX_REVIEWERS = 5
EFFORT = {1: "an evening", 2: "1-2 days", 3: "3-5 days", 4: "1-2 weeks", 5: "2-4 weeks"}
NATIVE = {"c", "cpp", "cuda"}
_NATIVE_BUILD = re.compile(
    r"build_ext|cmake|\bmake\b|ninja|bazel|setup\.py (?:build|develop)", re.I
)


def describe_step(
    stage: int,
    a: IssueAssessment,
    fit: SkillFit,
    code_map: CodeMap,
    contributing: ContributingSummary,
    *,
    near: tuple[IssueAssessment, int] | None = None,
    pinned: bool = False,
) -> PlanStep:
    """Everything the page shows for one step, derived from the assessment and the map."""
    focus = focus_matches(a.modules)
    files = file_matches(a.modules, code_map)
    areas = [
        code_map.areas[name] for name, _ in rank_areas(focus, code_map) if name in code_map.areas
    ]
    languages = _languages(focus, code_map)
    # A top-level area ("torch": the package's own files) is "tested" by every test that
    # imports the package, i.e. the whole suite; its list of files says nothing.
    tested_areas = [area for area in areas if not _is_root_area(area.name)]
    area_command = next((area.test_command for area in tested_areas if area.test_command), "")
    tests = tests_for(_seeds(focus, code_map), code_map)
    if tests:
        command = f"{_runner(area_command, contributing)} {' '.join(tests)}"
    else:
        tests = _unique(t for area in tested_areas for t in area.tests)[:MAX_TESTS]
        command = area_command or whole_suite_command(contributing, code_map)
    return PlanStep(
        stage=stage,
        issue=a.issue,
        modules=a.modules,
        difficulty=a.difficulty,
        fit=fit,
        taken=a.taken,
        why=_why(a, fit, focus, code_map, near, pinned),
        start_reading=start_reading([*files, *(m for m in focus if m not in files)], code_map),
        tests=tests,
        test_command=command,
        reviewers=_reviewers(areas, [f.path for f in files], code_map),
        setup_notes=_setup_notes(languages, contributing, docs_only=_docs_only(focus, code_map)),
        effort=_effort(a.difficulty.score, languages),
    )


def tests_for(seeds: list[str], code_map: CodeMap) -> list[str]:
    """Test files that import the seed modules directly or, failing that, through one
    module in between: the tests most likely to catch a mistake there."""
    graph = code_map.graph
    # A test module the issue names is the test to run.
    named = sorted(code_map.modules[s].path for s in seeds if _is_test(s, code_map))
    frontier = {s for s in seeds if s in graph}
    visited = set(frontier)
    for _hop in (1, 2):
        found: set[str] = set()
        following: set[str] = set()
        for node in sorted(frontier):
            for importer in graph.predecessors(node):
                if importer in visited:
                    continue
                visited.add(importer)
                info = code_map.modules.get(importer)
                if info is not None and info.is_test:
                    found.add(info.path)
                elif not _is_root_package(importer, code_map):
                    # Every test imports the top-level package: going through it would
                    # list the whole suite as "the tests for" any module it re-exports.
                    following.add(importer)
        if found or named:
            return _unique([*named, *sorted(found)])[:MAX_TESTS]
        frontier = following
    return named[:MAX_TESTS]


def whole_suite_command(contributing: ContributingSummary, code_map: CodeMap) -> str:
    """The command that runs the whole test suite: the contributing guide's first test
    command that names no single file or test, else the runner over the test folder."""
    for command in contributing.test:
        words = command.split()
        if not any(w.endswith(".py") or w in ("-k", "-i") or "::" in w for w in words):
            return command
    folders = Counter(
        info.path.split("/", 1)[0]
        for info in code_map.modules.values()
        if info.is_test and "/" in info.path
    )
    runner = _runner("", contributing) if contributing.test else "python -m pytest"
    if runner == "python":  # the guide runs a script ("python test/run_test.py ...")
        runner = "python -m pytest"
    if not folders:
        return runner
    return f"{runner} {folders.most_common(1)[0][0]}/"


def file_matches(matches: list[ModuleMatch], code_map: CodeMap) -> list[ModuleMatch]:
    """The matches that are tracked non-code files the issue names (docs/tensors.md)."""
    return [
        m
        for m in matches
        if m.name not in code_map.modules and m.name not in code_map.areas and m.path
    ]


def start_reading(matches: list[ModuleMatch], code_map: CodeMap) -> list[str]:
    """Non-code files the issue names, then the matched modules' files, then their nearest
    neighbours in the import graph (same area first, then the most depended-on), no tests
    unless the issue names them."""
    paths: list[str] = [m.path for m in file_matches(matches, code_map)]
    seeds = _seeds(matches, code_map)
    for name in seeds:
        paths.append(code_map.modules[name].path)
    graph = code_map.graph
    neighbours: set[str] = set()
    for name in seeds:
        if name in graph:
            neighbours.update(graph.successors(name))
            neighbours.update(graph.predecessors(name))
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
        key=lambda n: (code_map.area_of(n) not in seed_areas, -code_map.modules[n].dependents, n),
    )
    paths.extend(code_map.modules[n].path for n in ranked[:3])
    return _unique(paths)[:MAX_READING]


# --------------------------------------------------------------------------- helpers
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


def _is_root_area(name: str) -> bool:
    return "." not in name and "/" not in name.rstrip("/")


def _is_root_package(name: str, code_map: CodeMap) -> bool:
    """A top-level package's `__init__` ("torch"): imported by nearly everything, so a
    neighbour of every module and a poor place to start reading."""
    info = code_map.modules.get(name)
    return (
        info is not None
        and info.language == "python"
        and "." not in name
        and info.path.endswith("__init__.py")
    )


def _is_test(name: str, code_map: CodeMap) -> bool:
    info = code_map.modules.get(name)
    return info is not None and info.is_test


def _docs_only(focus: list[ModuleMatch], code_map: CodeMap) -> bool:
    return bool(focus) and len(file_matches(focus, code_map)) == len(focus)


def _runner(area_command: str, contributing: ContributingSummary) -> str:
    """The test runner part of a command ("python -m pytest" of "python -m pytest a.py")."""
    for command in (area_command, *(contributing.test[:1])):
        words: list[str] = []
        for word in command.split():
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
    near: tuple[IssueAssessment, int] | None,
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
        other, hops = near
        if hops == 0:
            where = "the same area"
        elif hops == 1:
            where = "a neighbouring area (one import apart)"
        else:
            where = f"{hops} areas apart in the dependency graph"
        why.append(f"builds on step #{other.issue.number}: {where}")
    if a.taken.state == "stale-claim":
        why.append("an earlier claim went quiet: say hello on the issue before starting")
    return why


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


def _reviewers(areas: list[AreaInfo], files: list[str], code_map: CodeMap) -> list[str]:
    """Code owners first (of the named files, then of the areas), then the most active
    recent authors of the touched areas (commits summed over areas), each labelled."""
    owners = _unique(
        [
            *(owner for path in files for owner in owners_for(path, code_map.codeowners)),
            *(owner for area in areas for owner in area.owners),
        ]
    )
    commits: dict[str, int] = {}
    for area in areas:
        for name, count in area.recent_authors[:3]:
            commits[name] = commits.get(name, 0) + count
    authors = sorted(commits.items(), key=lambda kv: (-kv[1], kv[0]))
    people = [f"{owner} (code owner)" for owner in owners]
    people.extend(f"{name} ({n} recent commit{'s' if n != 1 else ''})" for name, n in authors)
    return people[:MAX_REVIEWERS]


def _setup_notes(
    languages: set[str], contributing: ContributingSummary, *, docs_only: bool = False
) -> list[str]:
    """What this step needs on top of the page-wide build/lint/test summary (which is not
    repeated here): the kind of build, and for native code the guide's build command."""
    notes: list[str] = []
    if "cuda" in languages:
        notes.append("Needs a build from source with the CUDA toolkit, and an NVIDIA GPU to test.")
    elif languages & NATIVE:
        notes.append(
            "Needs a C++ build from source (compiler, CMake); the first build can take long."
        )
    elif docs_only:
        notes.append("Docs only: no install or compiler needed; preview the page before pushing.")
    else:
        notes.append("Python only: an editable install is enough, no compiler needed.")
    if languages & NATIVE and contributing.build:
        native = [line for line in contributing.build if _NATIVE_BUILD.search(line)]
        notes.append("Build as the contributing guide says: " + (native or contributing.build)[0])
    return notes


def _effort(difficulty: int, languages: set[str]) -> str:
    effort = EFFORT.get(difficulty, EFFORT[3])
    if languages & NATIVE:
        effort += " + first build"
    return effort


def _node_kind(name: str, code_map: CodeMap) -> str:
    if name in code_map.modules:
        return "touches"
    if name in code_map.areas:
        return "touches area"
    return "names file"


def _unique(items) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(items))
