"""Whether a library needs a native build before its code can be run from a checkout, with
the evidence: setup.py extension modules (Extension, CUDAExtension, cythonize, a CMake
step), a native build backend in pyproject.toml (scikit-build, meson-python, maturin,
setuptools-rust) or a CMakeLists.txt/meson.build at the root.

Pure: the texts of the root's build files are passed in (untrusted: they are only
searched, never executed, and nothing quoted from them reaches the page)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

BUILD_FILES = ("setup.py", "pyproject.toml", "setup.cfg")
MAX_BUILD_TEXT = 512 * 1024

# pyproject.toml build backends (module prefix) that compile code, and what they build with.
_NATIVE_BACKENDS = {
    "scikit_build_core": "scikit-build-core (CMake)",
    "skbuild": "scikit-build (CMake)",
    "mesonpy": "meson-python (Meson)",
    "maturin": "maturin (Rust)",
    "setuptools_rust": "setuptools-rust (Rust)",
    "enscons": "enscons (SCons)",
}
_NATIVE_TOOL_TABLES = {
    "scikit-build": "scikit-build (CMake)",
    "meson-python": "meson-python (Meson)",
    "maturin": "maturin (Rust)",
    "setuptools-rust": "setuptools-rust (Rust)",
}
# setup.py that builds extension modules. `ext_modules=[]` or `ext_modules = None` build
# nothing and are not evidence.
_SETUP_NATIVE = (
    (re.compile(r"\bCUDAExtension\s*\("), "CUDA extension modules (CUDAExtension)"),
    (re.compile(r"\bCppExtension\s*\("), "C++ extension modules (CppExtension)"),
    (re.compile(r"\bPybind11Extension\s*\("), "pybind11 extension modules"),
    (re.compile(r"\bcythonize\s*\("), "Cython extension modules (cythonize)"),
    (re.compile(r"\bRustExtension\s*\("), "Rust extension modules (setuptools-rust)"),
    (re.compile(r"\bExtension\s*\("), "extension modules (Extension)"),
    (re.compile(r"\bext_modules\s*=\s*(?!\[\s*\]|None\b)\S"), "extension modules (ext_modules)"),
    (re.compile(r"\bcmake\b", re.IGNORECASE), "a CMake build step"),
)


@dataclass
class BuildFacts:
    native: bool = False
    evidence: list[str] = field(default_factory=list)  # "setup.py: CUDA extension modules"
    backend: str = ""  # the pyproject build backend, when declared


def detect_build(files: Iterable[str], texts: Mapping[str, str]) -> BuildFacts:
    """Native build facts from the tracked file list and the root build files' texts
    (`BUILD_FILES`, path -> text; absent ones simply missing)."""
    tracked = set(files)
    facts = BuildFacts()
    pyproject = _toml(texts.get("pyproject.toml", ""))
    build_system = pyproject.get("build-system")
    backend = build_system.get("build-backend") if isinstance(build_system, dict) else None
    if isinstance(backend, str):
        facts.backend = backend[:100]
        module = backend.split(":", 1)[0].split(".", 1)[0]
        if module in _NATIVE_BACKENDS:
            facts.evidence.append(f"pyproject.toml: built by {_NATIVE_BACKENDS[module]}")
    tool = pyproject.get("tool")
    if isinstance(tool, dict):
        for table, what in _NATIVE_TOOL_TABLES.items():
            if table in tool and not any(what in e for e in facts.evidence):
                facts.evidence.append(f"pyproject.toml: [tool.{table}] ({what})")
    requires = build_system.get("requires") if isinstance(build_system, dict) else None
    if isinstance(requires, list) and any(
        isinstance(r, str) and r.lower().startswith("setuptools-rust") for r in requires
    ) and not any("Rust" in e for e in facts.evidence):
        facts.evidence.append("pyproject.toml: requires setuptools-rust (Rust)")
    setup = _code_only(texts.get("setup.py", "")[:MAX_BUILD_TEXT])
    for pattern, what in _SETUP_NATIVE:
        if pattern.search(setup):
            facts.evidence.append(f"setup.py: {what}")
            break  # the most specific one says enough
    for name, what in (("CMakeLists.txt", "CMake"), ("meson.build", "Meson")):
        if name in tracked:
            facts.evidence.append(f"{name} at the root ({what} build)")
    facts.native = bool(facts.evidence)
    return facts


def build_facts_to_plain(facts: BuildFacts) -> dict[str, Any]:
    """For the code map (which is stored as plain data)."""
    return asdict(facts)


def build_facts_from_plain(value: Mapping[str, Any] | None) -> BuildFacts:
    if not value:
        return BuildFacts()
    return BuildFacts(
        native=bool(value.get("native")),
        evidence=[str(e) for e in value.get("evidence", [])],
        backend=str(value.get("backend", "")),
    )


def _toml(text: str) -> dict[str, Any]:
    # Imported here: a restored map never parses TOML.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text[:MAX_BUILD_TEXT]) if text else {}
    except (tomllib.TOMLDecodeError, ValueError):
        return {}


_PY_COMMENT = re.compile(r"#[^\n]*")


def _code_only(text: str) -> str:
    """setup.py without comments (a commented-out `# ext_modules=...` builds nothing)."""
    return _PY_COMMENT.sub("", text)


# Backends that compile code while the library runs (a JIT writing C, LLVM IR, Metal or
# CUDA source and compiling it): an issue that runs through one needs that toolchain,
# even in a pure-Python library. (pattern in the issue's text, the word a module file of
# the repository must carry for the name to count as one of its backends ("" when the
# name alone means a compiler), the backend's name, what it needs.) A library merely
# running on CUDA (accelerate) has no module named for it and compiles nothing.
_RUN_TIME_COMPILERS = (
    (re.compile(r"\bclang\b", re.IGNORECASE), "", "CLANG", "clang (a C compiler) on the PATH"),
    (re.compile(r"\bLLVM\b|\bllvmlite\b", re.IGNORECASE), "", "LLVM",
     "LLVM's shared library (libLLVM)"),
    (re.compile(r"\bMETAL\b|\bMetal\b"), "metal", "METAL",
     "a Mac with the Metal compiler (Xcode command line tools)"),
    (re.compile(r"\bCUDA\b|\bNVRTC\b|\bnvcc\b"), "cuda", "CUDA",
     "the CUDA toolkit (NVRTC) and an NVIDIA GPU"),
    (re.compile(r"\bHIP\b|\bROCm\b|\bhipcc\b"), "hip", "HIP", "ROCm's compiler and an AMD GPU"),
    (re.compile(r"\bOpenCL\b", re.IGNORECASE), "opencl", "OpenCL",
     "an OpenCL driver with its kernel compiler"),
    (re.compile(r"\btorch\.compile\b|\binductor\b", re.IGNORECASE), "inductor",
     "torch.compile (Inductor)", "a C++ compiler (Inductor compiles the code it generates)"),
)  # fmt: skip
MAX_ISSUE_TEXT = 20_000


def run_time_toolchains(
    text: str, focus_paths: Iterable[str], repo_paths: Iterable[str]
) -> list[tuple[str, str]]:
    """(backend, what it needs) for each backend that compiles code at run time which the
    issue names (its text, or the file names of the modules it maps to: ops_clang.py),
    when it is one of this repository's backends; repository-agnostic."""
    text = text[:MAX_ISSUE_TEXT]
    focus_words = {w for path in focus_paths for w in _file_words(path)}
    named = [
        (word, name, needs)
        for pattern, word, name, needs in _RUN_TIME_COMPILERS
        if pattern.search(text) or (word or name.lower()) in focus_words
    ]
    keys = {word for word, _, _ in named if word and word not in focus_words}
    # Only paths holding one of the words can carry it (a cheap test over a large tree).
    repo_words = {
        w for path in repo_paths if any(k in path.lower() for k in keys)
        for w in _file_words(path)
    } if keys else set()  # fmt: skip
    return [
        (name, needs)
        for word, name, needs in named
        if not word or word in focus_words or word in repo_words
    ]


def _file_words(path: str) -> set[str]:
    """Words of a module file's name and folder: tinygrad/runtime/ops_clang.py -> ops,
    clang, runtime; torch/_inductor/codecache.py -> inductor, codecache."""
    parts = path.lower().rsplit(".", 1)[0].split("/")[-2:]
    return {w for part in parts for w in part.strip("_").split("_") if w}


# The compilers a library drives by name (`library_compilers`): its module files are
# named for them, so a caller may pass only the paths holding one of these words.
COMPILER_WORDS = tuple(name.lower() for _, word, name, _ in _RUN_TIME_COMPILERS if not word)


def library_compilers(library_paths: Iterable[str]) -> list[tuple[str, str]]:
    """(backend, what it needs) for the compilers a library drives at run time through
    backend modules named for them (tinygrad/runtime/ops_clang.py, ops_llvm.py): even a
    pure-Python change is run, and tested, through one of them."""
    words = {w for path in library_paths for w in _file_words(path)}
    return [
        (name, needs)
        for _pattern, word, name, needs in _RUN_TIME_COMPILERS
        if not word and name.lower() in words
    ]
