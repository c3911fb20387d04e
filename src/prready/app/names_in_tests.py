"""The names each test file of a code map uses (analysis.names_in_tests), read from the
checkout once per file version: identifiers are cached by git blob id in the parse cache,
so a new commit reads only the test files it changed, and the whole index is kept under a
digest of every test file's blob id, so a warm plan only loads it."""

from __future__ import annotations

import hashlib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from prready.analysis.lexicon import BM25Index
from prready.analysis.names_in_tests import NamesInTests, identifiers_in
from prready.analysis.native_ops import NATIVE_FUNCTIONS, NativeOps, parse_native_functions
from prready.app.index_cache import files_key, index_for_map
from prready.app.map import read_no_follow
from prready.code_models import CodeMap
from prready.sources.git_repo import list_files
from prready.store.parse_cache import ParseCache

SCANNER = "names-in-tests:2"
# Bump when NamesInTests.build changes (2: the words index; 3: all postings; 4: the terms
# split_identifier gives without stopword stems nor `doesn`).
INDEX_VERSION = "4"
MAX_READ = 4_000_000  # PyTorch's largest test files are about 1 MB


def names_in_tests(code_map: CodeMap, cache: ParseCache) -> NamesInTests:
    """NamesInTests over every Python test file of `code_map`'s checkout, with the
    repository's native ops when it has PyTorch's `native_functions.yaml`; `cache` is the
    parse cache the caller opened (read and written here, left open)."""
    return replace(_test_index(code_map, cache), native_ops=native_ops(code_map, cache))


# The ops of the last map read, by (checkout, map key): a plan asks twice, for the mapping
# index and for the tests to run, and the key names every tracked file's content.
_NATIVE_OPS: dict[tuple[str, str], NativeOps] = {}
# The parsed file, cached by its git blob id (a warm plan of PyTorch read its 11k lines
# again each time: ~50 ms, more than loading the whole mapping index). Bump on a change
# to `parse_native_functions`.
NATIVE_OPS_SCANNER = "native-ops:1"


def native_ops(code_map: CodeMap, cache: ParseCache | None = None) -> NativeOps:
    """The ops of the checkout's `native_functions.yaml`; none when it has no such file.
    With `cache`, the parse is read from (and stored in) it by the file's blob id."""
    if NATIVE_FUNCTIONS not in code_map.files:
        return NativeOps()
    memo_key = (code_map.root, code_map.key)
    if code_map.key and (known := _NATIVE_OPS.get(memo_key)) is not None:
        return known
    data = read_no_follow(os.path.join(code_map.root, NATIVE_FUNCTIONS), limit=MAX_READ)
    if data is None:
        return NativeOps()
    blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # git's id of it
    stored = cache.load(NATIVE_OPS_SCANNER, [blob]).get(blob) if cache is not None else None
    ops = _ops_from_plain(stored)
    if ops is None:
        ops = parse_native_functions(data.decode("utf-8", errors="replace").splitlines())
        if cache is not None:
            cache.save(NATIVE_OPS_SCANNER, {blob: (tuple(sorted(ops.ops)), ops.kernels)})
    if code_map.key:
        _NATIVE_OPS.clear()
        _NATIVE_OPS[memo_key] = ops
    return ops


def _ops_from_plain(value: Any) -> NativeOps | None:
    """What `native_ops` stored, or None for no row, a damaged or a foreign one."""
    if not (isinstance(value, tuple) and len(value) == 2):
        return None
    ops, kernels = value
    if not (
        isinstance(ops, tuple)
        and all(isinstance(op, str) for op in ops)
        and isinstance(kernels, dict)
        and all(isinstance(k, str) and isinstance(op, str) for k, op in kernels.items())
    ):
        return None
    return NativeOps(frozenset(ops), kernels)


def _test_index(code_map: CodeMap, cache: ParseCache) -> NamesInTests:
    return index_for_map(
        cache,
        "names-in-tests",
        INDEX_VERSION,
        code_map,
        _from_plain,
        lambda: _index_from_listing(code_map, cache),
    )


def _index_from_listing(code_map: CodeMap, cache: ParseCache) -> tuple[NamesInTests, str]:
    root = Path(code_map.root)
    wanted = {
        info.path
        for info in code_map.modules.values()
        if info.is_test and info.path.endswith(".py")
    }
    blobs = {f.path: f.blob for f in list_files(root) if f.kind == "file" and f.path in wanted}
    key = files_key("names-in-tests", INDEX_VERSION, blobs)
    whole = _from_plain(cache.load_snapshot(key))
    if whole is not None:
        return whole, key
    cached = cache.load(SCANNER, blobs.values())
    fresh = {}
    for path in sorted(p for p, b in blobs.items() if b not in cached):
        data = read_no_follow(os.path.join(root, path), limit=MAX_READ)
        if data is not None:
            fresh[blobs[path]] = tuple(identifiers_in(data))
    cache.save(SCANNER, fresh)
    cached.update(fresh)
    index = NamesInTests.build(
        {p: [(name, n) for name, n in cached[b]] for p, b in blobs.items() if b in cached}
    )
    lexical = index.lexical.to_plain() if index.lexical is not None else None
    cache.save_snapshot(key, (dict(index.users), dict(index.test_names), lexical))
    return index, key


def _from_plain(value: Any) -> NamesInTests | None:
    try:
        users, test_names, lexical = value
        loaded = BM25Index.from_plain(lexical) if lexical is not None else None
        if lexical is not None and loaded is None:
            return None  # a damaged row: built again
        return NamesInTests(
            {name: tuple((p, n) for p, n in found) for name, found in users.items()},
            {path: tuple(names) for path, names in test_names.items()},
            lexical=loaded,
        )
    except (TypeError, ValueError, AttributeError):
        return None
