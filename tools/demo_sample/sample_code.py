"""Python sources of `tinyml`, the demo sample's small ML library (its final tree).

The files are data: they are written into a git repository by the demo, never imported by
prready. They are real code that runs on plain Python (lists, no numpy), so that the code
map sees every import shape a real library has: absolute and relative imports,
`from pkg import submodule`, a function-level import, an `if TYPE_CHECKING` import,
`__all__` re-exports and a binding module that loads the compiled `tinyml._C`.
"""

from __future__ import annotations


def python_files() -> dict[str, str]:
    """Return the library's Python modules as {repository path: source text}."""
    return dict(_FILES)


_FILES: dict[str, str] = {}

_FILES[
    "tinyml/__init__.py"
] = '''"""tinyml: a small library of tensors, autograd, neural networks and optimizers."""

from tinyml import autograd, data, linalg, nn, optim, utils
from tinyml.tensor import Tensor, ones, randn, tensor, zeros

__version__ = "0.4.0"

__all__ = [
    "Tensor",
    "autograd",
    "data",
    "linalg",
    "nn",
    "ones",
    "optim",
    "randn",
    "tensor",
    "utils",
    "zeros",
]
'''

_FILES[
    "tinyml/_backend.py"
] = '''"""Loads the compiled kernels in `tinyml._C` (built from csrc/) when they are available."""

from __future__ import annotations

try:
    from tinyml import _C  # built by setup.py from csrc/python_bindings.cpp
except ImportError:  # pure-Python install: every op has a Python fallback
    _C = None


def has_native() -> bool:
    """True when the C++ extension was built and imported."""
    return _C is not None


def conv2d(data, shape, weight, wshape, stride, padding):
    """Run the native conv2d kernel; callers check has_native() first."""
    return _C.conv2d_forward(data, list(shape), weight, list(wshape), stride, padding)


def upsample_nearest2d(data, shape, out_h, out_w):
    """Run the native nearest-neighbour upsampling kernel."""
    return _C.upsample_nearest2d(data, list(shape), out_h, out_w)
'''

_FILES["tinyml/tensor/__init__.py"] = '''"""The Tensor type and the operations on it."""

from . import ops
from .shape import broadcast_shapes, numel
from .tensor import Tensor, ones, randn, tensor, zeros

__all__ = ["Tensor", "broadcast_shapes", "numel", "ones", "ops", "randn", "tensor", "zeros"]
'''

_FILES[
    "tinyml/tensor/shape.py"
] = '''"""Shape arithmetic shared by tensor ops: sizes, strides and broadcasting."""

from __future__ import annotations

from functools import reduce


def numel(shape: tuple[int, ...]) -> int:
    """Number of elements in a tensor of this shape."""
    return reduce(lambda a, b: a * b, shape, 1)


def strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Row-major strides, in elements."""
    out = []
    step = 1
    for size in reversed(shape):
        out.append(step)
        step *= size
    return tuple(reversed(out))


def broadcast_shapes(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The shape two operands broadcast to, following NumPy's rules."""
    result = []
    for i in range(1, max(len(a), len(b)) + 1):
        x = a[-i] if i <= len(a) else 1
        y = b[-i] if i <= len(b) else 1
        if x != y and 1 not in (x, y):
            raise ValueError(f"shapes {a} and {b} cannot be broadcast together")
        result.append(max(x, y))
    return tuple(reversed(result))


def broadcast_index(index: int, out_shape: tuple[int, ...], shape: tuple[int, ...]) -> int:
    """Map a flat index of the broadcast result to a flat index of one operand."""
    out_strides = strides(out_shape)
    in_strides = strides(shape)
    offset = len(out_shape) - len(shape)
    flat = 0
    for dim, size in enumerate(shape):
        coord = (index // out_strides[dim + offset]) % out_shape[dim + offset]
        flat += (0 if size == 1 else coord) * in_strides[dim]
    return flat
'''

_FILES[
    "tinyml/tensor/tensor.py"
] = '''"""A dense tensor of floats stored as a flat Python list, with autograd support."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from . import ops
from .shape import numel

if TYPE_CHECKING:
    from tinyml.autograd.function import Function


class Tensor:
    """An n-dimensional array that records the operations that produced it."""

    def __init__(self, data, shape, requires_grad=False):
        if len(data) != numel(shape):
            raise ValueError(f"{len(data)} values do not fill a tensor of shape {shape}")
        self.data = [float(x) for x in data]
        self.shape = tuple(shape)
        self.requires_grad = requires_grad
        self.grad: Tensor | None = None
        self.grad_fn: Function | None = None

    def __repr__(self):
        return f"tensor({self.tolist()}, shape={self.shape})"

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def numel(self) -> int:
        return len(self.data)

    def item(self) -> float:
        if len(self.data) != 1:
            raise ValueError("only one-element tensors can be converted to a Python number")
        return self.data[0]

    def tolist(self):
        if not self.shape:
            return self.data[0]
        rows = self.data
        for size in reversed(self.shape[1:]):
            rows = [rows[i : i + size] for i in range(0, len(rows), size)]
        return rows

    @staticmethod
    def _make(data, shape) -> Tensor:
        """Results of ops are plain tensors, even when an input is a Parameter."""
        return Tensor(data, shape)

    def detach(self) -> Tensor:
        return Tensor(self.data, self.shape)

    def reshape(self, *shape) -> Tensor:
        return ops.reshape(self, tuple(shape))

    def sum(self) -> Tensor:
        return ops.reduce_sum(self)

    def __add__(self, other):
        return ops.add(self, other)

    def __mul__(self, other):
        return ops.mul(self, other)

    def __sub__(self, other):
        return ops.add(self, ops.mul(other, -1.0))

    def __matmul__(self, other):
        return ops.matmul(self, other)

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self, grad=None):
        """Accumulate gradients of this tensor into the leaves that require them."""
        from tinyml.autograd.engine import run_backward  # autograd imports tensor

        if grad is None:
            if self.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            grad = Tensor([1.0], self.shape)
        run_backward(self, grad)


def tensor(values, requires_grad=False) -> Tensor:
    """Build a tensor from a (nested) list of numbers."""
    shape = []
    probe = values
    while isinstance(probe, (list, tuple)):
        shape.append(len(probe))
        probe = probe[0] if probe else 0.0
    flat = values
    for _ in range(len(shape) - 1):
        flat = [x for row in flat for x in row]
    data = flat if shape else [values]
    return Tensor(data, tuple(shape), requires_grad=requires_grad)


def zeros(*shape, requires_grad=False) -> Tensor:
    return Tensor([0.0] * numel(shape), shape, requires_grad=requires_grad)


def ones(*shape, requires_grad=False) -> Tensor:
    return Tensor([1.0] * numel(shape), shape, requires_grad=requires_grad)


def randn(*shape, generator=None, requires_grad=False) -> Tensor:
    rng = generator or random
    return Tensor([rng.gauss(0.0, 1.0) for _ in range(numel(shape))], shape, requires_grad)
'''

_FILES[
    "tinyml/tensor/ops.py"
] = '''"""Differentiable tensor operations, each an autograd Function."""

from __future__ import annotations

from tinyml.autograd.function import Function

from .shape import broadcast_index, broadcast_shapes, numel


def _wrap(value, like):
    if isinstance(value, (int, float)):
        return like._make([float(value)], ())
    return value


def _reduce_to(grad, shape):
    """Sum a broadcast gradient back down to an operand's shape."""
    if grad.shape == shape:
        return grad
    out = [0.0] * numel(shape)
    for i, g in enumerate(grad.data):
        out[broadcast_index(i, grad.shape, shape)] += g
    return grad._make(out, shape)


class Add(Function):
    @staticmethod
    def forward(ctx, a, b):
        shape = broadcast_shapes(a.shape, b.shape)
        ctx.save_for_backward(a.shape, b.shape)
        data = [
            a.data[broadcast_index(i, shape, a.shape)] + b.data[broadcast_index(i, shape, b.shape)]
            for i in range(numel(shape))
        ]
        return a._make(data, shape)

    @staticmethod
    def backward(ctx, grad):
        a_shape, b_shape = ctx.saved
        return _reduce_to(grad, a_shape), _reduce_to(grad, b_shape)


class Mul(Function):
    @staticmethod
    def forward(ctx, a, b):
        shape = broadcast_shapes(a.shape, b.shape)
        ctx.save_for_backward(a, b)
        data = [
            a.data[broadcast_index(i, shape, a.shape)] * b.data[broadcast_index(i, shape, b.shape)]
            for i in range(numel(shape))
        ]
        return a._make(data, shape)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return _reduce_to(Mul.apply(grad, b), a.shape), _reduce_to(Mul.apply(grad, a), b.shape)


class MatMul(Function):
    @staticmethod
    def forward(ctx, a, b):
        (n, k), (k2, m) = a.shape, b.shape
        if k != k2:
            raise ValueError(f"matmul: shapes {a.shape} and {b.shape} are not aligned")
        ctx.save_for_backward(a, b)
        out = [
            sum(a.data[i * k + t] * b.data[t * m + j] for t in range(k))
            for i in range(n)
            for j in range(m)
        ]
        return a._make(out, (n, m))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved
        return MatMul.apply(grad, transpose(b)), MatMul.apply(transpose(a), grad)


class Sum(Function):
    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a.shape)
        return a._make([sum(a.data)], ())

    @staticmethod
    def backward(ctx, grad):
        (shape,) = ctx.saved
        return (grad._make([grad.data[0]] * numel(shape), shape),)


class Reshape(Function):
    @staticmethod
    def forward(ctx, a, shape):
        if numel(shape) != a.numel():
            raise ValueError(f"cannot reshape tensor of {a.numel()} elements to {shape}")
        ctx.save_for_backward(a.shape)
        return a._make(a.data, shape)

    @staticmethod
    def backward(ctx, grad):
        (shape,) = ctx.saved
        return grad._make(grad.data, shape), None


class Transpose(Function):
    @staticmethod
    def forward(ctx, a):
        n, m = a.shape
        return a._make([a.data[i * m + j] for j in range(m) for i in range(n)], (m, n))

    @staticmethod
    def backward(ctx, grad):
        return (Transpose.apply(grad),)


def transpose(a):
    """Swap the two dimensions of a matrix."""
    return Transpose.apply(a)


def add(a, b):
    return Add.apply(a, _wrap(b, a))


def mul(a, b):
    return Mul.apply(a, _wrap(b, a))


def matmul(a, b):
    return MatMul.apply(a, b)


def reduce_sum(a):
    return Sum.apply(a)


def reshape(a, shape):
    return Reshape.apply(a, shape)
'''

_FILES["tinyml/autograd/__init__.py"] = '''"""Reverse-mode automatic differentiation."""

from .engine import run_backward
from .function import Context, Function
from .grad_mode import is_grad_enabled, no_grad

__all__ = ["Context", "Function", "is_grad_enabled", "no_grad", "run_backward"]
'''

_FILES[
    "tinyml/autograd/grad_mode.py"
] = '''"""A switch that turns graph recording off, e.g. inside optimizer steps."""

from __future__ import annotations

import contextlib
import threading

_state = threading.local()


def is_grad_enabled() -> bool:
    return getattr(_state, "enabled", True)


@contextlib.contextmanager
def no_grad():
    """Run a block without recording operations for backward."""
    previous = is_grad_enabled()
    _state.enabled = False
    try:
        yield
    finally:
        _state.enabled = previous
'''

_FILES[
    "tinyml/autograd/function.py"
] = '''"""Base class for differentiable operations and the context they save state in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .grad_mode import is_grad_enabled

if TYPE_CHECKING:
    from tinyml.tensor.tensor import Tensor


class Context:
    """Holds what forward() saved for backward()."""

    def __init__(self):
        self.saved: tuple = ()

    def save_for_backward(self, *values):
        self.saved = values


class Function:
    """Subclasses define forward(ctx, *inputs) and backward(ctx, grad)."""

    def __init__(self, inputs):
        self.inputs = inputs
        self.ctx = Context()

    @classmethod
    def apply(cls, *inputs) -> Tensor:
        node = cls(inputs)
        out = cls.forward(node.ctx, *inputs)
        tracked = [x for x in inputs if getattr(x, "requires_grad", False)]
        if tracked and is_grad_enabled():
            out.requires_grad = True
            out.grad_fn = node
        return out

    @staticmethod
    def forward(ctx, *inputs):
        raise NotImplementedError

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError
'''

_FILES[
    "tinyml/autograd/engine.py"
] = '''"""Walks the recorded graph backwards and accumulates gradients into leaves."""

from __future__ import annotations

from .grad_mode import no_grad


def run_backward(root, grad):
    """Propagate `grad` from `root` to every leaf tensor that requires grad."""
    order = _topological_order(root)
    grads = {id(root): grad}
    with no_grad():
        for node in reversed(order):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if node.grad_fn is None:
                node.grad = g if node.grad is None else node.grad + g
                continue
            fn = node.grad_fn
            for parent, pg in zip(fn.inputs, fn.backward(fn.ctx, g)):
                if pg is None or not getattr(parent, "requires_grad", False):
                    continue
                key = id(parent)
                grads[key] = pg if key not in grads else grads[key] + pg


def _topological_order(root):
    seen, order = set(), []

    def visit(t):
        if id(t) in seen:
            return
        seen.add(id(t))
        if t.grad_fn is not None:
            for parent in t.grad_fn.inputs:
                if getattr(parent, "requires_grad", False):
                    visit(parent)
        order.append(t)

    visit(root)
    return order
'''

_FILES["tinyml/linalg/__init__.py"] = '''"""Linear algebra on small dense matrices."""

from .decompositions import qr, svd
from .solve import inv, solve

__all__ = ["inv", "qr", "solve", "svd"]
'''

_FILES["tinyml/linalg/solve.py"] = '''"""Gaussian elimination with partial pivoting."""

from __future__ import annotations

from tinyml.tensor import Tensor


def solve(a: Tensor, b: Tensor) -> Tensor:
    """Solve a @ x = b for x, with a square and b a vector or a matrix."""
    n = a.shape[0]
    if a.shape != (n, n):
        raise ValueError(f"linalg.solve: expected a square matrix, got shape {a.shape}")
    cols = b.shape[1] if b.ndim == 2 else 1
    rows = [a.data[i * n : (i + 1) * n] + b.data[i * cols : (i + 1) * cols] for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(rows[r][col]))
        if abs(rows[pivot][col]) < 1e-12:
            raise ValueError("linalg.solve: the matrix is singular")
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(col + 1, n):
            factor = rows[r][col] / rows[col][col]
            rows[r] = [x - factor * y for x, y in zip(rows[r], rows[col])]
    x = [[0.0] * cols for _ in range(n)]
    for r in reversed(range(n)):
        for c in range(cols):
            acc = rows[r][n + c] - sum(rows[r][k] * x[k][c] for k in range(r + 1, n))
            x[r][c] = acc / rows[r][r]
    return Tensor([v for row in x for v in row], b.shape)


def inv(a: Tensor) -> Tensor:
    """The inverse of a square matrix."""
    n = a.shape[0]
    eye = Tensor([1.0 if i == j else 0.0 for i in range(n) for j in range(n)], (n, n))
    return solve(a, eye)
'''

_FILES[
    "tinyml/linalg/decompositions.py"
] = '''"""QR by Gram-Schmidt and SVD by one-sided Jacobi rotations."""

from __future__ import annotations

import math

from tinyml.tensor import Tensor


def qr(a: Tensor) -> tuple[Tensor, Tensor]:
    """Reduced QR decomposition of an (m, n) matrix with m >= n."""
    m, n = a.shape
    cols = [[a.data[i * n + j] for i in range(m)] for j in range(n)]
    q_cols, r = [], [[0.0] * n for _ in range(n)]
    for j, v in enumerate(cols):
        w = list(v)
        for k, q in enumerate(q_cols):
            r[k][j] = sum(x * y for x, y in zip(q, v))
            w = [x - r[k][j] * y for x, y in zip(w, q)]
        r[j][j] = math.sqrt(sum(x * x for x in w))
        q_cols.append([x / r[j][j] for x in w] if r[j][j] else w)
    q = Tensor([q_cols[j][i] for i in range(m) for j in range(n)], (m, n))
    return q, Tensor([x for row in r for x in row], (n, n))


def svd(a: Tensor, full_matrices: bool = False, tol: float = 1e-10, max_sweeps: int = 60):
    """Singular value decomposition a = u @ diag(s) @ vh, singular values descending."""
    if full_matrices:
        raise NotImplementedError("linalg.svd: full_matrices=True is not supported yet")
    m, n = a.shape
    u = [[a.data[i * n + j] for i in range(m)] for j in range(n)]
    v = [[1.0 if i == j else 0.0 for i in range(n)] for j in range(n)]
    for _ in range(max_sweeps):
        rotated = False
        for p in range(n - 1):
            for q in range(p + 1, n):
                alpha = sum(x * x for x in u[p])
                beta = sum(x * x for x in u[q])
                gamma = sum(x * y for x, y in zip(u[p], u[q]))
                if abs(gamma) <= tol * math.sqrt(alpha * beta):
                    continue
                rotated = True
                zeta = (beta - alpha) / (2 * gamma)
                t = math.copysign(1.0, zeta) / (abs(zeta) + math.sqrt(1 + zeta * zeta))
                c = 1 / math.sqrt(1 + t * t)
                s = c * t
                for cols in (u, v):
                    cols[p], cols[q] = (
                        [c * x - s * y for x, y in zip(cols[p], cols[q])],
                        [s * x + c * y for x, y in zip(cols[p], cols[q])],
                    )
        if not rotated:
            break
    sigma = [math.sqrt(sum(x * x for x in col)) for col in u]
    order = sorted(range(n), key=lambda j: -sigma[j])
    u_cols = [[x / sigma[j] if sigma[j] else 0.0 for x in u[j]] for j in order]
    u_t = Tensor([u_cols[j][i] for i in range(m) for j in range(n)], (m, n))
    vh = Tensor([v[j][i] for i in range(n) for j in order], (n, n))
    return u_t, Tensor([sigma[j] for j in order], (n,)), vh
'''

_FILES["tinyml/utils/__init__.py"] = '''"""Helpers shared across tinyml: hooks and checkpoints."""

from .checkpoint import load, save
from .hooks import RemovableHandle

__all__ = ["RemovableHandle", "load", "save"]
'''

_FILES[
    "tinyml/utils/hooks.py"
] = '''"""Handles returned by register_*_hook methods so callers can remove their hook."""

from __future__ import annotations

import itertools

_ids = itertools.count()


class RemovableHandle:
    """Removes a hook from the dict it was registered in."""

    def __init__(self, hooks: dict):
        self._hooks = hooks
        self.id = next(_ids)

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
'''

_FILES["tinyml/utils/checkpoint.py"] = '''"""Save and load state dicts as JSON files."""

from __future__ import annotations

import json
import os

from tinyml.tensor import Tensor


def save(state: dict, path: str | os.PathLike) -> None:
    """Write a state dict of tensors and plain values to `path`, atomically."""
    payload = {
        key: {"shape": list(v.shape), "data": v.data} if isinstance(v, Tensor) else v
        for key, v in state.items()
    }
    tmp = f"{os.fspath(path)}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(payload, fh)
    os.replace(tmp, path)


def load(path: str | os.PathLike) -> dict:
    """Read a state dict written by save()."""
    with open(path, encoding="utf-8") as fh:
        payload = json.load(fh)
    return {
        key: Tensor(v["data"], tuple(v["shape"])) if isinstance(v, dict) and "shape" in v else v
        for key, v in payload.items()
    }
'''
