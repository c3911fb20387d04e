# The C speed-up's functions (src/prready/_lexscan.c); see prready.analysis.lexicon.
from collections.abc import Callable

_Split = Callable[[str, dict[str, tuple[str, ...]]], tuple[str, ...]]

def prose_counts(
    head: bytes, python: bool, splits: dict[str, tuple[str, ...]], split: _Split,
    stopwords: frozenset[str], /,
) -> dict[str, int]: ...
def add_up(
    tokens: dict[str, int], splits: dict[str, tuple[str, ...]], split: _Split,
    stopwords: frozenset[str], /,
) -> dict[str, int]: ...
def top(counts: dict[str, int], limit: int, /) -> tuple[str, bytes]: ...
