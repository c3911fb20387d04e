"""PyTorch's native operators (ATen's `native_functions.yaml`) and the Python names they
go by, so an issue about C++ code finds the Python tests that call the op: a wrong result
from `at::native::linalg_svd_out` is tested by the files calling `torch.linalg.svd`.

The file is read with a line scanner, not a YAML loader: only `- func: name.overload(...)`
entries and the kernel names under their `dispatch:` maps are needed. Pure: the app layer
reads the file (app/names_in_tests.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

NATIVE_FUNCTIONS = "aten/src/ATen/native/native_functions.yaml"
# Python namespaces spelled as an op prefix: `torch.linalg.svd` is the op linalg_svd.
NAMESPACES = ("linalg", "special", "fft", "nested", "sparse")
# What kernel and helper names add to an op's name (`logsumexp_out_cpu`, `sigmoid_kernel`).
_KERNEL_SUFFIXES = ("_out", "_cpu", "_cuda", "_mps", "_kernel", "_impl", "_stub", "_template")
MIN_LENGTH = 3

_FUNC = re.compile(r"^- func:\s*([A-Za-z_]\w*)")
_DISPATCH_LINE = re.compile(r"^\s+[A-Za-z][\w, ]*:\s*([A-Za-z_]\w*)\s*(?:#.*)?$")
# A qualified name: `torch.linalg.svd`, `at::native::linalg_svd_out`, `x.logsumexp`.
_QUALIFIED = re.compile(r"\b[A-Za-z_]\w*(?:(?:\.|::)[A-Za-z_]\w*)+")
# A bare snake_case name, as tracebacks and issues quote kernels (`logsumexp_out`).
_SNAKE = re.compile(r"\b[a-z]\w*_\w+\b")


@dataclass(frozen=True)
class NativeOps:
    """Op names (base names, without the overload) and kernel name -> op."""

    ops: frozenset[str] = frozenset()
    kernels: dict[str, str] = field(default_factory=dict)
    # op -> its kernels in name order (`kernels` inverted once: a plan maps every issue).
    by_op: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_op: dict[str, list[str]] = {}
        for kernel, op in sorted(self.kernels.items()):
            by_op.setdefault(op, []).append(kernel)
        object.__setattr__(self, "by_op", {op: tuple(ks) for op, ks in by_op.items()})

    def op_for(self, name: str) -> str:
        """The op a name stands for: the op itself, a kernel listed under its dispatch
        map, or either with kernel suffixes taken off (`linalg_svd_out_cpu`); ""."""
        for _ in range(3):
            if name in self.ops:
                return name
            if name in self.kernels:
                return self.kernels[name]
            trimmed = next((name[: -len(s)] for s in _KERNEL_SUFFIXES if name.endswith(s)), "")
            if len(trimmed) < MIN_LENGTH:
                return ""
            name = trimmed
        return ""

    def kernels_of(self, op: str) -> tuple[str, ...]:
        """The kernels listed for `op` under its entries' dispatch maps, in name order."""
        return self.by_op.get(op, ())

    def ops_in_text(self, text: str) -> list[str]:
        """The ops a text names, in the order it names them: qualified names
        (`torch.logsumexp`, `torch.linalg.svd`, `at::native::sigmoid_out`) and bare
        snake_case names (`index_add_`, kernels in a traceback). A bare word ("sort",
        "where") counts only when qualified: issues use them as English too."""
        if not self.ops:
            return []
        found: list[str] = []
        for match in _QUALIFIED.finditer(text):
            parts = re.split(r"\.|::", match.group(0))
            last = parts[-1]
            candidates = [last]
            if len(parts) >= 2 and parts[-2] in NAMESPACES:
                candidates.insert(0, f"{parts[-2]}_{last}")
            for name in candidates:
                op = self.op_for(name) if len(name) >= MIN_LENGTH else ""
                if op:
                    found.append(op)
                    break
        for match in _SNAKE.finditer(text):
            op = self.op_for(match.group(0))
            if op:
                found.append(op)
        return list(dict.fromkeys(found))


def parse_native_functions(lines: Iterable[str]) -> NativeOps:
    """NativeOps from the lines of `native_functions.yaml`."""
    ops: set[str] = set()
    kernels: dict[str, str] = {}
    current = ""
    in_dispatch = False
    for line in lines:
        func = _FUNC.match(line)
        if func:
            current = func.group(1)
            ops.add(current)
            in_dispatch = False
            continue
        stripped = line.strip()
        if not current or not stripped or stripped.startswith("#"):
            continue
        if line.startswith("  ") and not line.startswith("   "):
            in_dispatch = stripped.startswith("dispatch:")
            continue
        if in_dispatch:
            kernel = _DISPATCH_LINE.match(line)
            if kernel and kernel.group(1) != current:
                kernels.setdefault(kernel.group(1), current)
    # A kernel named like another op is that op (`logsumexp` under logsumexp.out's map).
    return NativeOps(frozenset(ops), {k: op for k, op in sorted(kernels.items()) if k not in ops})


def python_names(op: str) -> list[str]:
    """The names a Python test calls an op by: `linalg_svd` -> linalg_svd, svd (as in
    `torch.linalg.svd`); `sigmoid_` -> sigmoid_, sigmoid (in-place and out-of-place are
    tested together)."""
    names = [op]
    base = op.rstrip("_") if not op.startswith("_") else op
    if base != op and len(base) >= MIN_LENGTH:
        names.append(base)
    prefix, _, rest = base.partition("_")
    if prefix in NAMESPACES and len(rest) >= MIN_LENGTH:
        names.append(rest)
    return list(dict.fromkeys(names))
