"""Which tracked files are source, which are skipped and why, and the module name of each
Python file, found from `__init__.py` files rather than an assumed layout (top-level
packages, `src/` layouts and plain folders holding packages all work)."""

from __future__ import annotations

import fnmatch
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from prready.analysis.native import is_native_source, native_language
from prready.code_models import Language, TrackedFile

MAX_SOURCE_BYTES = 2 * 1024 * 1024  # larger sources are generated tables, not code to read
# Basenames of Python test files when the repository declares none (pytest's defaults).
TEST_FILE_PATTERNS = ("test_*.py", "*_test.py")

# Folder names (exact, any depth) holding code that is not the project's own.
SKIP_DIRS = {
    "third_party": "vendored",
    "third-party": "vendored",
    "thirdparty": "vendored",
    "vendor": "vendored",
    "vendored": "vendored",
    "_vendor": "vendored",
    "node_modules": "vendored",
    "build": "build",
    "dist": "build",
    "__pycache__": "build",
    "site-packages": "build",
    ".tox": "build",
    ".nox": "build",
    ".venv": "build",
    "venv": "build",
    ".eggs": "build",
    ".git": "build",
}
_SKIP_NAMES = frozenset(SKIP_DIRS)


# Folders (exact names, any depth) holding generated code.
_GENERATED_DIRS = frozenset({"autogen", "_autogen", "generated", "_generated"})


def is_generated_path(path: str) -> bool:
    """A file under a folder of generated code (tinygrad's `runtime/autogen/`, ctypes
    bindings with no header saying so): a file of the map, never ranked as a place to
    fix, and kept out of the symbol index when it defines names (see
    `codemap.handwritten_scans`)."""
    return not _GENERATED_DIRS.isdisjoint(path.split("/")[:-1])


@dataclass
class SourceFile:
    path: str
    blob: str
    language: Language
    size: int


@dataclass
class Selection:
    sources: list[SourceFile] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)  # reason -> paths/folders


def select_sources(files: Iterable[TrackedFile], max_bytes: int = MAX_SOURCE_BYTES) -> Selection:
    """Keep Python and native sources; report skipped folders once, skipped files by path."""
    sel = Selection()
    skipped_dirs: dict[str, str] = {}
    for f in files:
        if f.kind == "submodule":
            sel.skipped.setdefault("submodule", []).append(f.path)
            continue
        parts = f.path.split("/")
        hit = None
        if not _SKIP_NAMES.isdisjoint(parts[:-1]) or ".egg-info/" in f.path:
            hit = next(
                i for i, p in enumerate(parts[:-1]) if p in SKIP_DIRS or p.endswith(".egg-info")
            )
        if hit is not None:
            folder = "/".join(parts[: hit + 1]) + "/"
            skipped_dirs.setdefault(folder, SKIP_DIRS.get(parts[hit], "build"))
            continue
        language: Language | None = "python" if f.path.endswith(".py") else native_language(f.path)
        if language is None:
            continue
        if f.kind == "symlink":
            sel.skipped.setdefault("symlink", []).append(f.path)
        elif f.kind == "special":
            sel.skipped.setdefault("not-a-regular-file", []).append(f.path)
        elif f.kind != "file":
            sel.skipped.setdefault("bad-name", []).append(f.path)
        elif f.size > max_bytes:
            sel.skipped.setdefault("too-large", []).append(f.path)
        else:
            sel.sources.append(SourceFile(f.path, f.blob, language, f.size))
    for folder, reason in sorted(skipped_dirs.items()):
        sel.skipped.setdefault(reason, []).append(folder)
    for paths in sel.skipped.values():
        paths.sort()
    return sel


class ModuleName(NamedTuple):
    name: str
    is_package: bool  # an __init__.py
    packaged: bool  # named from an __init__.py chain (importable), not from its path


def python_module_names(paths: Iterable[str]) -> dict[str, ModuleName]:
    """path -> ModuleName for Python files.

    Files inside a chain of `__init__.py` folders get their importable dotted name (the
    folder above the top `__init__.py` is the source root). Other files (scripts, test
    folders without `__init__.py`) are named by their path from the repository root,
    dotted when every part is an identifier, else the path itself.
    """
    paths = list(paths)
    package_dirs = {posixpath.dirname(p) for p in paths if posixpath.basename(p) == "__init__.py"}
    names: dict[str, ModuleName] = {}
    taken: set[str] = set()
    loose: list[str] = []
    folder_parts: dict[str, list[str]] = {}  # package folder -> its dotted parts (memo)
    for path in sorted(paths):
        directory, base = posixpath.split(path)
        stem = base[:-3]
        if directory not in package_dirs or (not stem.isidentifier() and stem != "__init__"):
            loose.append(path)
            continue
        parts = folder_parts.get(directory)
        if parts is None:
            parts = folder_parts[directory] = _package_parts(directory, package_dirs)
        if not parts:
            loose.append(path)
            continue
        is_package = stem == "__init__"
        name = ".".join(parts if is_package else [*parts, stem])
        if name in taken:
            loose.append(path)  # a second copy of a package: name it by path
            continue
        taken.add(name)
        names[path] = ModuleName(name, is_package, True)
    for path in loose:
        dotted = path[:-3].split("/")
        name = ".".join(dotted) if all(p.isidentifier() for p in dotted) else path
        if name in taken:
            name = path
        taken.add(name)
        names[path] = ModuleName(name, False, False)
    return names


def is_test_path(
    path: str, packaged: bool = False, patterns: tuple[str, ...] = TEST_FILE_PATTERNS
) -> bool:
    """Whether a file is a test to run: its basename matches `patterns` (the repository's
    own, when it declares them; `conftest.py` too, pytest's test setup), in a test/tests
    folder or not. Runner scripts (`run_*.py`, `runtests.py`: `run_test.py` matches
    `*_test.py` but runs the suite) and helpers in test folders (`utils.py`,
    `_test_split_utils.py`) are not tests, though they sit in the test area. Inside the
    library's packages, outside test folders, such names are helpers
    (`torch/_dynamo/test_case.py`). Native sources (.c/.cc/.cpp/.cu) in a test folder
    are tests whatever their name (C++ test suites have no naming rule); headers are not.
    """
    directory, _, base = path.rpartition("/")  # paths from git: relative, normalised
    in_test_dir = "test" in directory and not _TEST_DIRS.isdisjoint(directory.split("/"))
    if base.endswith(".py"):
        if base == "conftest.py":
            return in_test_dir or not packaged
        if base.startswith(_RUNNER_PREFIXES) or not _matches_test_name(base, patterns):
            return False  # run_test.py matches *_test.py but runs the suite: a script
        return in_test_dir or not packaged
    stem, dot, _ = base.rpartition(".")
    if not dot:
        return False
    if in_test_dir and is_native_source(base):
        return True
    return not packaged and (stem.startswith("test_") or stem.endswith("_test"))


def in_test_tree(path: str) -> bool:
    """A test or a test helper: under a test/tests/testing folder, or named like a test
    (`*/_internal/*` aside: torch.testing._internal is library code tests import). Wider
    than `is_test_path`, which says which files are tests to run: this is what a picture
    of the code leaves out as neighbours."""
    return bool(_TEST_TREE.search(path)) and "/_internal/" not in path


def named_as_test(path: str) -> bool:
    """Under a test/tests folder, or named like a test (`test_*`, `*_test.EXT`): how fix
    statistics tell whether a fix touched tests. Narrower than `in_test_tree` (no `testing/`
    folders, no `_internal` exception), wider than `is_test_path` (helpers count)."""
    return bool(_TEST_PLACE.search(path))


def is_root_package(name: str, path: str) -> bool:
    """A top-level Python package's `__init__` ("torch"): imported by nearly everything,
    so a neighbour of every module and a poor place to start reading."""
    return "." not in name and path.endswith("__init__.py")


_TEST_DIRS = frozenset({"test", "tests"})
_TEST_NAME = r"(?:^|/)test_[^/]*$|_test\.\w+$"  # test_x.py, x_test.cc
_TEST_TREE = re.compile(rf"(?:^|/)(?:tests?|testing)/|{_TEST_NAME}")
_TEST_PLACE = re.compile(rf"(?:^|/)tests?/|{_TEST_NAME}")
_RUNNER_PREFIXES = ("run_", "runtest")  # run_test.py, run_tests.py, runtests.py


def _matches_test_name(base: str, patterns: tuple[str, ...]) -> bool:
    """fnmatch against the patterns, with the two default ones checked directly (fast)."""
    if patterns is TEST_FILE_PATTERNS:
        return base.startswith("test_") or base.endswith("_test.py")
    return any(fnmatch.fnmatchcase(base, pattern) for pattern in patterns)


def _package_parts(directory: str, package_dirs: set[str]) -> list[str]:
    """Dotted parts of a folder inside a chain of `__init__.py` folders, outermost first."""
    parts: list[str] = []
    d = directory
    while d in package_dirs and posixpath.basename(d).isidentifier():
        parts.append(posixpath.basename(d))
        d = posixpath.dirname(d)
    parts.reverse()
    return parts


# Top-level folders whose files are never places to fix: they feed other parts of a step.
_NOT_LIBRARY_TEXT = """test tests testing docs doc documentation examples example benchmarks benchmark
    bench scripts tutorials notebooks guides third_party vendor vendored external build
    .github .circleci ci"""
_NOT_LIBRARY = frozenset(_NOT_LIBRARY_TEXT.split())
# A folder named by a compound holding one of these words is no library either, wherever
# it sits: tests and their helpers (`integration_tests`, `jax/_src/internal_test_util`,
# `accelerate/test_utils`), vendored copies (`torch/_vendor`), docs (`docs_nnx`).
_NOT_LIBRARY_WORDS = frozenset(
    {"test", "tests", "testing", "vendor", "vendored", "docs", "notebooks"}
)
# ...nor a top-level folder of examples, demos or developer tools (`linen_examples`,
# XGBoost's `demo/`, keras-hub's `tools/checkpoint_conversion/`, `build_tools/`); inside a
# package such a word names library code (diffusers' `pipelines/paint_by_example`,
# `jax/example_libraries`, Lightning's `pytorch/demos`, `jax/tools`).
_NOT_LIBRARY_TOP_WORDS = frozenset({"example", "examples", "demo", "demos", "tools"})
_FOLDER_WORDS = re.compile(r"[_\-]+")


def is_library_path(path: str, is_test: bool = False) -> bool:
    """Whether a file is library code (a place a fix goes), not tests/docs/examples."""
    if is_test:
        return False
    folders = path.lower().split("/")[:-1]
    for depth, folder in enumerate(folders):
        if folder in _NOT_LIBRARY:
            return False
        if "_" in folder or "-" in folder or (depth == 0 and folder in _NOT_LIBRARY_TOP_WORDS):
            words = _FOLDER_WORDS.split(folder)
            if not _NOT_LIBRARY_WORDS.isdisjoint(words) or (
                depth == 0 and not _NOT_LIBRARY_TOP_WORDS.isdisjoint(words)
            ):
                return False
    return True
