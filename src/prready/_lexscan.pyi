# The C speed-up's functions (src/prready/_lexscan.c); see prready.analysis.lexicon.
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

Buffer = Any  # bytes or an array('i')

_Split = Callable[[str, dict[str, tuple[str, ...]]], tuple[str, ...]]

def prose_counts(
    head: bytes,
    python: bool,
    splits: dict[str, tuple[str, ...]],
    split: _Split,
    stopwords: frozenset[str],
    /,
) -> dict[str, int]: ...
def add_up(
    tokens: dict[str, int],
    splits: dict[str, tuple[str, ...]],
    split: _Split,
    stopwords: frozenset[str],
    /,
) -> dict[str, int]: ...
def top(counts: dict[str, int], limit: int, /) -> tuple[str, bytes]: ...
def postings(
    docs: list[Mapping[str, float]],
    position: dict[str, int],
    path_only: AbstractSet[str],
    in_path: list[list[str]],
    norms: list[float],
    k1: float,
    starts: Buffer,
    /,
) -> tuple[bytes, bytes]: ...
def term_table(
    docs: list[tuple[tuple[list[str], bytes, list[str], bytes] | None, list[str]]],
    prose_weight: int,
    def_weight: int,
    path_weight: int,
    /,
) -> tuple[list[str], bytes, list[int], bytes, bytes, bytes]: ...
def postings_by_id(
    n_terms: int,
    offsets: Buffer,
    ids: Buffer,
    tfs: Buffer,
    order: Buffer,
    path_only: Buffer,
    in_path: list[list[int]],
    norms: list[float],
    k1: float,
    starts: Buffer,
    /,
) -> tuple[bytes, bytes]: ...
def names(text: str, python: bool, /) -> Any: ...
def best(
    ids: Buffer,
    weights: Buffer,
    n_docs: int,
    runs: list[tuple[int, int, float]],
    limit: int,
    /,
) -> list[tuple[int, float]]: ...
def gains(
    ids: Buffer,
    weights: Buffer,
    n_docs: int,
    runs: list[tuple[int, int, float]],
    docs: list[int],
    /,
) -> list[list[tuple[float, int]]]: ...
def query_runs(
    query: dict[str, float],
    positions: dict[str, int],
    starts: Buffer,
    cutoff: int,
    in_paths: dict[str, float],
    by_df: dict[int, float],
    idf: Callable[[int], float],
    /,
) -> tuple[list[tuple[int, int, float]], list[str]]: ...
def as_written(
    tokens: dict[str, None],
    wanted: set[str],
    memo: dict[str, tuple[str, tuple[tuple[str, str], ...]]],
    token_words: Callable[[str], tuple[str, tuple[tuple[str, str], ...]]],
    /,
) -> dict[str, str]: ...
