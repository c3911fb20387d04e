"""The scanners on hostile sources: random and adversarial Python and C++ never make them
raise, and their time grows linearly (twice the input, under three times the time,
measured as a ratio within each test so the machine's speed does not matter)."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prready.analysis.native import scan_native_bytes
from prready.analysis.pyscan import scan_python, scan_python_bytes

TOKENS = [
    "'''", '"""', "'", '"', "#", "\\", "\n", "\r", " ", "    ", "\t", "import os", "import a.b as c",
    "from . import x", "from ..m import (y,\n z)", "def f():", "class C:", "async def g(", ")",
    "(", "[", "]", "{", "}", "if TYPE_CHECKING:", "if (\n TYPE_CHECKING\n):", "__all__ = ['a']",
    "x = 1", "print 'x'", "exec 'y'", ";", ":", "\\\n", "\u00e9", "\U0001f600", "\x00", "\u202e",
    "#include <a.h>", " #include \"b.h\"", "PYBIND11_MODULE(m, x)", "#", "\\\\", "try:", "else:",
]  # fmt: skip
hostile_text = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=200).map(
    "".join
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_text)
def test_python_scanner_never_raises_on_hostile_text(text: str) -> None:
    result = scan_python(text)
    assert result.lines >= 0
    for imp in result.imports:
        assert imp.line >= 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | hostile_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_scanners_never_raise_on_hostile_bytes(data: bytes) -> None:
    scan_python_bytes(data)
    scan_native_bytes(data)


# ---------------------------------------------------------------------- linear time
def best_time(func: Callable[[], object], runs: int = 4) -> float:
    """The best CPU time of `runs` calls: CPU time (not wall time) so that other processes
    on a busy machine do not count."""
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        func()
        best = min(best, time.process_time() - started)
    return best


def growth(func: Callable[[object], object], small: object, large: object) -> float:
    """Time ratio large/small, measured interleaved; re-measured up to twice when it looks
    superlinear (a quadratic scan stays at ~4x however often it is measured)."""
    ratio = float("inf")
    for _ in range(3):
        t_small = best_time(functools.partial(func, small))
        t_large = best_time(functools.partial(func, large))
        ratio = min(ratio, t_large / max(t_small, 1e-9))
        if ratio < 3:
            break
    return ratio


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    # Every import walked back to the same `def`: was O(n^2) (392 s at 2 MB).
    "def-then-indented-imports": lambda n: "def f():\n" + "    import os\n" * n,
    # Each quote mark re-scanned its whole line prefix: was O(n^2) (76 s at 120 KB).
    "alternating-triple-quotes-one-line": lambda n: "x = " + ("'''" + '"""') * n,
    "nested-blocks-of-imports": lambda n: "".join(
        f"def f{k}():\n    if x:\n        import os\n        import sys\n" for k in range(n // 4)
    ),
    "quotes-after-comment-marks": lambda n: "#" + "'''\"\"\"" * n,
    "backslash-runs-before-quotes": lambda n: 'x = """' + ("\\\\" * 4 + '\\"""') * (n // 2),
    "deep-indent-staircase": lambda n: "".join(
        " " * (k % 40) + ("if a:\n" if k % 3 else "import os\n") for k in range(n)
    ),
}


@pytest.mark.parametrize("shape", sorted(ADVERSARIAL))
def test_python_scan_time_grows_linearly(shape: str) -> None:
    make = ADVERSARIAL[shape]
    n = 4000
    # Grow the input until one scan takes long enough to time reliably.
    while best_time(functools.partial(scan_python, make(n)), runs=1) < 0.1 and n < 2_000_000:
        n *= 2
    ratio = growth(scan_python, make(n), make(2 * n))
    assert ratio < 3, (shape, n, ratio)


NATIVE: dict[str, Callable[[int], bytes]] = {
    "indented-includes-on-one-line": lambda n: (" #include <a.h>" * n).encode(),
    "includes-one-per-line": lambda n: ("#include <a/b.h>\n" * n).encode(),
    "hashes-after-text": lambda n: ("x #include <a.h> " * n + "\n").encode(),
}


@pytest.mark.parametrize("shape", sorted(NATIVE))
def test_native_scan_time_grows_linearly(shape: str) -> None:
    make = NATIVE[shape]
    n = 4000
    while best_time(functools.partial(scan_native_bytes, make(n)), runs=1) < 0.1 and n < 4**11:
        n *= 2
    ratio = growth(scan_native_bytes, make(n), make(2 * n))
    assert ratio < 3, (shape, n, ratio)
