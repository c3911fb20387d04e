"""C/C++/CUDA (and Objective-C++, Metal) files: `#include` scan and resolution against the
repository's include roots.

Include roots are not declared anywhere we can read cheaply (they live in CMake), so they
are discovered: a directory is a root when many quoted or angled includes resolve under it
(`aten/src` for `#include <ATen/ATen.h>`, the repository root for `torch/csrc/...`,
`torch/csrc/api/include` for `<torch/nn.h>`). System headers (`<vector>`) resolve nowhere
and are dropped.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import chain
from typing import NamedTuple

from prready.code_models import Language

NATIVE_LANGUAGES: dict[str, Language] = {
    ".c": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".h": "cpp",  # C and C++ headers share the extension; C++ is the common case in ML code
    ".hh": "cpp",
    ".hpp": "cpp",
    ".hxx": "cpp",
    # Objective-C++ (C++ with Apple's object system), where PyTorch's MPS operators live
    # (aten/src/ATen/native/mps/operations/*.mm), and the Metal shading language (C++14
    # based) of GPU kernels on a Mac. (Objective-C's `.m` is left out: MATLAB's scripts
    # share it.)
    ".mm": "cpp",
    ".metal": "cpp",
    ".cu": "cuda",
    ".cuh": "cuda",
}
NATIVE_UNIT_LANGUAGES = frozenset(NATIVE_LANGUAGES.values())  # a native unit's languages
_NATIVE_HEADERS = frozenset({".h", ".hh", ".hpp", ".hxx", ".cuh"})

# A root must resolve at least this many includes (not counting includes relative to the
# including file) to be used; keeps one-off coincidences from becoming roots.
_MIN_ROOT_HITS = 3
_MAX_ROOTS = 24


class NativeScan(NamedTuple):
    lines: int
    # (line, target as written: "ATen/ATen.h", angled: <...> rather than "..."), plain tuples
    includes: tuple[tuple[int, str, bool], ...]
    error: str = ""
    declares: tuple[str, ...] = ()  # Python extension modules defined here ("torch._C")


def _suffix(path: str) -> str:
    """The file name's extension, lower-cased with its dot ("" for none)."""
    dot = path.rfind(".")
    return path[dot:].lower() if dot > path.rfind("/") else ""


def native_language(path: str) -> Language | None:
    """ "c", "cpp" or "cuda" for a native source path, None for anything else."""
    return NATIVE_LANGUAGES.get(_suffix(path))


def is_native_source(path: str) -> bool:
    """A native file that is compiled (`.cc`, `.cu`, `.mm`, ...), not a header."""
    ext = _suffix(path)
    return ext in NATIVE_LANGUAGES and ext not in _NATIVE_HEADERS


def scan_native_bytes(data: bytes) -> NativeScan:
    """Find `#include` lines. The bytes are searched as they are (include lines are
    ASCII); only each include's target is decoded, leniently (comments often carry
    Latin-1 names): the same text as a lenient decoding of the whole file, since the
    ASCII delimiters around a target never belong to a multi-byte sequence."""
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    includes: list[tuple[int, str, bool]] = []
    line_no = 1
    last = 0
    # How far the current line is known to be blank (-1: it is not): an indented match
    # checks only the text since the previous one, so one long line of `#include`s costs
    # one pass, not one pass per match (which was quadratic).
    blank_to, scanned = 0, 0
    for m in _INCLUDE.finditer(data):
        start = m.start()
        indented, open_ch, target = m.groups()
        if indented is not None:
            nl = data.rfind(b"\n", scanned, start)
            scanned = start
            if nl != -1:
                blank_to = nl + 1
            if blank_to == -1 or data[blank_to:start].strip(b" \t"):
                blank_to = -1
                continue  # '#include' in the middle of a line: a comment or a string
            blank_to = start
        line_no += data.count(b"\n", last, start)
        last = start
        text = (target.decode("ascii") if target.isascii() else _lenient(target)).strip()
        if text:
            includes.append((line_no, text, open_ch == b"<"))
    declares: list[str] = []
    if b"PyModuleDef" in data or b"PYBIND11_MODULE" in data:  # rare: read as text
        text = _lenient(data)
        declares = _MODULE_DEF.findall(text) + _PYBIND.findall(text)
    return NativeScan(lines, tuple(includes), "", tuple(dict.fromkeys(declares)))


def link_includes(
    includes_by_file: Mapping[str, Iterable[tuple[int, str, bool]]],
) -> tuple[list[str], list[tuple[str, str]]]:
    """(include roots, most useful first; `(includer, included)` path pairs).

    Quoted includes resolve relative to the including file first; then every include
    tries the roots in rank order; system headers resolve nowhere and are dropped. Work is
    done once per distinct angled target and (folder, quoted target) pair: headers repeat
    the same includes.
    """
    known = set(includes_by_file)
    by_name = _index_by_basename(known)
    # An angled include resolves the same wherever it sits: keyed by its target alone (a
    # string, whose hash is kept); a quoted one is tried next to its includer first: keyed
    # by (folder, target).
    keyed: list[tuple[str, list[str | tuple[str, str]]]] = []
    for path, includes in includes_by_file.items():
        here = path.rpartition("/")[0]
        keyed.append(
            (path, [target if angled else (here, target) for _, target, angled in includes])
        )
    # Counted in one call (in C), in the order first requested.
    requests = Counter(chain.from_iterable(keys for _, keys in keyed))
    resolved: dict[str | tuple[str, str], str | None] = {}
    # What is not found next to its includer is looked up by target alone: the roots'
    # votes and the root-relative answer do not depend on where the include sits, so each
    # distinct target is worked out once (a header tree repeats the same few hundred).
    by_target: Counter[str] = Counter()
    for key, count in requests.items():
        if isinstance(key, tuple):
            here, target = key
            if _may_exist(target, by_name):
                candidate = _join(here, target)
                if candidate in known:
                    resolved[key] = candidate
                    continue
        else:
            target = key
        by_target[target] += count
    hits: Counter[str] = Counter()
    for target, count in by_target.items():
        for candidate in by_name.get(target.rpartition("/")[2], ()):
            root = _root_for(candidate, target)
            if root is not None:
                hits[root] += count
    # Ties go to the shorter, then alphabetically first root: `hits` is filled in set order,
    # which changes from run to run (string hashing), and the map must not.
    ranked = sorted(hits.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))
    roots = [root for root, n in ranked[:_MAX_ROOTS] if n >= _MIN_ROOT_HITS]
    found_at = {
        target: next((c for c in (_join(root, target) for root in roots) if c in known), None)
        if _may_exist(target, by_name)
        else None
        for target in by_target
    }
    for key in requests:
        if key not in resolved:
            resolved[key] = found_at[key[1] if isinstance(key, tuple) else key]
    edges: list[tuple[str, str]] = []
    resolve = resolved.__getitem__
    for path, keys in keyed:
        # Each file included once, in the order first included (None: unresolved).
        for found in dict.fromkeys(map(resolve, keys)):
            if found is not None and found != path:
                edges.append((path, found))
    return roots, edges


# --------------------------------------------------------------------------- internals
_MODULE_DEF = re.compile(
    r"PyModuleDef\s+\w+\s*=\s*\{\s*PyModuleDef_HEAD_INIT\s*,\s*\"([A-Za-z_][\w.]*)\""
)
_PYBIND = re.compile(r"PYBIND11_MODULE\(\s*([A-Za-z_]\w*)\s*,")
# `#include` (or Objective-C's `#import`, the same with a guard against including a file
# twice) at the start of a line (the "#" follows a "\n" or starts the text), or after
# blanks (`indented`; the rest of the line before it is checked). A "#" after anything
# else is in a comment or a string. The lookbehinds sit after the "#" so the engine still
# jumps from one "#" to the next.
_INCLUDE = re.compile(
    rb"#(?:(?<![^\n]#)|(?<=[ \t]#)(?P<indented>))"
    rb"[ \t]*(?:include|import)[ \t]*(?P<open>[<\"])(?P<target>[^>\"\n]*)[>\"]"
)


def _lenient(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _index_by_basename(files: Iterable[str]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for f in files:
        index[f.rpartition("/")[2]].add(f)
    return dict(index)


def _may_exist(target: str, by_name: dict[str, set[str]]) -> bool:
    """False when no file could be what `target` names wherever it is looked up: its last
    part is a plain name (joining and normalising keep it) and no file has that name.
    System headers (`<vector>`) are dropped so, without a path joined for each root."""
    tail = target.rpartition("/")[2]
    return tail in by_name or tail in ("", ".", "..")


def _join(base: str, target: str) -> str:
    if "." not in target.rpartition("/")[0] and not target.startswith("/") and "//" not in target:
        return f"{base}/{target}" if base else target  # the common case: no ./ or ../
    joined = (
        posixpath.normpath(posixpath.join(base, target)) if base else posixpath.normpath(target)
    )
    return "" if joined.startswith("../") or joined == ".." or joined.startswith("/") else joined


def _root_for(candidate: str, target: str) -> str | None:
    """The directory R with R/target == candidate, or None."""
    if "./" in target or target.startswith("/"):
        return None
    if candidate == target:
        return ""
    if candidate.endswith("/" + target):
        return candidate[: -len(target) - 1]
    return None
