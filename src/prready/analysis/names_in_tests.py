"""Which names each test file uses, to find the tests that exercise a module by what they
call rather than by what they import: PyTorch's tests `import torch` and call
`torch.linalg.svd`, so only the names inside a test file tie it to `torch/linalg`.

Pure: the app layer reads the test files (app/names_in_tests.py) and hands their
identifiers here; building the index is linear in the identifiers read.
"""

from __future__ import annotations

import keyword
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from prready.analysis.lexicon import BM25Index, count_names, unit_terms
from prready.analysis.native_ops import NativeOps

MIN_LENGTH = 3  # "svd" counts; "x" or "fn" tie a test to nothing in particular
# A name in more than this share of the test files (and more than COMMON_FLOOR of them)
# is common vocabulary ("forward", "device"), not a sign of what a file tests.
COMMON_SHARE = 0.25
COMMON_FLOOR = 8
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]{%d,}" % (MIN_LENGTH - 1))
_SKIP = frozenset(keyword.kwlist) | {"self", "cls"}


def identifiers_in(source: bytes) -> list[tuple[str, int]]:
    """(identifier, how often) for the identifiers of at least MIN_LENGTH characters in a
    source file, sorted; dotted names count by their parts (`torch.linalg.svd` gives
    "torch", "linalg", "svd")."""
    counts = Counter(m.group(0).decode("ascii") for m in _IDENTIFIER.finditer(source))
    return sorted(
        (name, n) for name, n in counts.items() if name not in _SKIP and not name.startswith("__")
    )


@dataclass(frozen=True)
class NamesInTests:
    """Identifier -> (test file, uses) for the names specific enough to count, and each
    file's test names (identifiers starting with "test"), which `-k` selects from;
    `native_ops` (PyTorch's ATen ops, when the repository has them) turns the C++ names
    an issue uses into the Python names its tests call. `lexical`: BM25 over each test
    file's path words and the words of every name it uses (split on `_` and camelCase, as
    `lexicon` splits code), which finds the tests of an issue by its words."""

    users: Mapping[str, tuple[tuple[str, int], ...]]
    test_names: Mapping[str, tuple[str, ...]]
    native_ops: NativeOps = field(default_factory=NativeOps)
    lexical: BM25Index | None = field(default=None, compare=False)

    @classmethod
    def build(cls, by_file: Mapping[str, Iterable[tuple[str, int]]]) -> NamesInTests:
        users: dict[str, list[tuple[str, int]]] = {}
        test_names: dict[str, tuple[str, ...]] = {}
        docs: dict[str, dict[str, int]] = {}
        splits: dict[str, tuple[str, ...]] = {}  # each name's words, split once
        for path in sorted(by_file):
            names = list(by_file[path])
            for name, n in names:
                users.setdefault(name, []).append((path, n))
            # Weighted as a code unit's terms are: its path words, and the names it uses as
            # a unit's prose.
            docs[path] = unit_terms(path, (), count_names(names, splits).items(), splits)
            test_names[path] = tuple(name for name, _ in names if name.lower().startswith("test"))
        limit = max(COMMON_FLOOR, int(COMMON_SHARE * len(by_file)))
        return cls(
            {name: tuple(found) for name, found in users.items() if len(found) <= limit},
            test_names,
            # Every term keeps its postings: a suite is a few hundred files, and a word in
            # many of them ("mps" in PyTorch's 548) still tells test_mps.py apart.
            lexical=BM25Index.build(docs, max_df=1.0),
        )

    def by_words(self, query: Mapping[str, float], limit: int = 50) -> list[tuple[str, float]]:
        """Test files by BM25 against an issue's weighted words (`lexicon.query_terms`),
        best first."""
        if self.lexical is None or not query:
            return []
        return [
            (path, s) for path, s, _ in self.lexical.search(query, limit=limit, with_terms=False)
        ]

    def using(self, names: Iterable[str]) -> dict[str, dict[str, int]]:
        """Test file -> {name: uses} for those of `names` it uses (common names are left
        out: they say nothing about what a file tests)."""
        out: dict[str, dict[str, int]] = {}
        for name in set(names):
            for path, n in self.users.get(name, ()):
                out.setdefault(path, {})[name] = n
        return out

    def selects(self, path: str, name: str) -> bool:
        """Whether `-k name` selects a test of `path`: one of its test names contains it."""
        return any(name in test for test in self.test_names.get(path, ()))
