"""What a step needs beyond the code: the build or install, the notes on its setup, and how
long it takes (the work, a first build from source, the wait for review)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from prready.analysis.build import (
    COMPILER_WORDS,
    BuildFacts,
    library_compilers,
    run_time_toolchains,
)
from prready.analysis.contributing import closes_docs_prs
from prready.analysis.kinds import classify_issue
from prready.code_models import CodeMap
from prready.models import (
    ContributingSummary,
    Issue,
    ModuleMatch,
)

EFFORT = {1: "an evening", 2: "1-2 days", 3: "3-5 days", 4: "1-2 weeks", 5: "2-4 weeks"}


NATIVE = {"c", "cpp", "cuda"}


def main_package(code_map: CodeMap) -> str:
    """The top-level package with the most library modules (for aliases like `F.`)."""
    sizes = Counter(
        name.split(".", 1)[0]
        for name, info in code_map.modules.items()
        if info.language == "python" and not info.is_test
    )
    return min(sizes, key=lambda p: (-sizes[p], p)) if sizes else ""


def docs_closed_notes(
    issue: Issue, contributing: ContributingSummary, *, docs_only: bool
) -> list[str]:
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


def setup_notes(
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


def in_code_docs_note(contributing: ContributingSummary, in_code_docs: bool) -> list[str]:
    """For a docs change in code (a docstring, a comment, a message): what checks it."""
    if not in_code_docs:
        return []
    checks = f" ({contributing.lint[0]})" if contributing.lint else ""
    return [
        "A docs change in code: the guide's style checks" + checks + " and the rendered "
        "docs check it more than the test suite does."
    ]


def main_package_compilers(code_map: CodeMap) -> list[tuple[str, str]]:
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
    main = main_package(code_map)
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


def issue_toolchains(
    issue: Issue, focus: list[ModuleMatch], code_map: CodeMap
) -> list[tuple[str, str]]:
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


def step_effort(
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
