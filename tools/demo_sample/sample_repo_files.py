"""tinyml's tests, docs and project files (final tree), as data: what a contributor reads."""

from __future__ import annotations


def repo_files() -> dict[str, str]:
    """Return {repository path: text} for tests/, docs/ and the top-level project files."""
    return dict(_FILES)


_FILES: dict[str, str] = {}

_FILES["README.md"] = """# tinyml

A small library of tensors, reverse-mode autograd, neural network layers, optimizers and
data loading, written in plain Python with optional C++/CUDA kernels in `csrc/`.

```python
import tinyml
from tinyml import nn, optim

model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
opt = optim.Adam(model.parameters(), lr=1e-2)
```

See `docs/` for guides and `CONTRIBUTING.md` to get involved.
"""

_FILES["CONTRIBUTING.md"] = """# Contributing to tinyml

Thanks for helping! Small, focused pull requests are reviewed fastest.

## Building

tinyml runs without compiling anything. To build the optional C++ kernels in `csrc/`
you need a C++17 compiler and pybind11:

```bash
pip install -e ".[dev]"
python setup.py build_ext --inplace   # builds tinyml._C from csrc/
```

CUDA kernels (`*.cu`) are only built when `TINYML_CUDA=1` is set and `nvcc` is on PATH.

## Linting

```bash
ruff check .
ruff format --check .
```

## Testing

```bash
pytest tests/
pytest tests/test_optim.py -k adam   # one file or one test while you iterate
```

Every bug fix comes with a test that fails before the fix.

## Pull requests

- Link the issue you are fixing in the description ("Fixes #123").
- Comment on an issue before starting on it so that two people do not do the same work;
  if a claimed issue has had no activity for a month, feel free to ask to take it over.
- You must sign the Contributor License Agreement (CLA) before we can merge your first
  pull request; the CLA bot will comment with a link.
- Pull requests written by AI agents without a human author who understands and has tested
  every line will be closed. Using tools is fine; you are responsible for the change.
"""

_FILES[
    ".github/CODEOWNERS"
] = """# Reviewers are requested automatically for pull requests touching these paths.
# A "# label:" line names the issue label that belongs to the path on the next line.
*                     @lfischer
/tinyml/tensor/       @lfischer
/tinyml/autograd/     @lfischer
/tinyml/linalg/       @lfischer
# label: module: nn
/tinyml/nn/           @jweber
# label: module: optim
/tinyml/optim/        @priyar
# label: module: data
/tinyml/data/         @meichen
# label: module: cpp
/csrc/                @dalvarez
# label: module: docs
/docs/                @sokafor
/tests/               @sokafor @lfischer
"""

_FILES[
    ".github/labeler.yml"
] = """# Labels added to pull requests by the paths they change (actions/labeler).
"module: nn":
- tinyml/nn/**
- tests/test_nn.py
"module: optim":
- tinyml/optim/**
- tests/test_optim.py
"module: data":
- tinyml/data/**
- tests/test_data.py
"module: autograd":
- tinyml/autograd/**
- tests/test_autograd.py
"module: tensor":
- tinyml/tensor/**
- tests/test_tensor.py
"module: linalg":
- tinyml/linalg/**
- tests/test_linalg.py
"module: cpp":
- csrc/**
- tinyml/_backend.py
"module: cuda":
- csrc/**/*.cu
- csrc/include/tinyml/cuda_utils.h
"module: docs":
- docs/**
- README.md
"""

_FILES["pyproject.toml"] = """[build-system]
requires = ["setuptools>=68", "pybind11>=2.11"]
build-backend = "setuptools.build_meta"

[project]
name = "tinyml"
version = "0.4.0"
description = "A small library of tensors, autograd and neural networks"
requires-python = ">=3.9"
license = { text = "BSD-3-Clause" }

[project.optional-dependencies]
dev = ["pytest>=7", "ruff>=0.4", "pybind11>=2.11"]

[tool.ruff]
line-length = 100

[tool.pytest.ini_options]
testpaths = ["tests"]
"""

_FILES["setup.py"] = """import os

from pybind11.setup_helpers import Pybind11Extension
from setuptools import setup

sources = [
    "csrc/python_bindings.cpp",
    "csrc/ops/conv.cpp",
    "csrc/ops/elementwise.cpp",
    "csrc/ops/upsample.cpp",
]

ext_modules = [
    Pybind11Extension("tinyml._C", sources, include_dirs=["csrc/include"], cxx_std=17),
]

if os.environ.get("TINYML_CUDA") == "1":
    print("TINYML_CUDA=1: build csrc/ops/relu_cuda.cu with nvcc (see docs/building.md)")

setup(ext_modules=ext_modules)
"""

_FILES["docs/index.md"] = """# tinyml documentation

- [Tensors and autograd](tensors.md)
- [Neural networks](nn.md)
- [Optimizers and schedules](optim.md)
- [Loading data](data.md)
- [Building the C++ kernels](building.md)
"""

_FILES["docs/tensors.md"] = """# Tensors and autograd

`tinyml.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)` builds a 2x2 tensor.
Operations on tensors that require grad are recorded; `loss.backward()` fills `.grad`
on every leaf. Wrap code in `tinyml.autograd.no_grad()` to stop recording.

Gradients accumulate: call `optimizer.zero_grad()` before each backward pass, otherwise
the gradients of successive steps are added togther.

Broadcasting follows NumPy: shapes are compared from the last dimension and a size of 1
stretches to match.
"""

_FILES["docs/nn.md"] = """# Neural networks

Layers subclass `tinyml.nn.Module` and implement `forward`. Built-in layers:
`nn.Linear`, `nn.Conv2d`, `nn.ReLU`, `nn.Dropout` and `nn.Sequential`.

Functional forms live in `tinyml.nn.functional` (import it as `F`):
`F.relu`, `F.linear`, `F.conv2d`, `F.dropout`, `F.mse_loss`, `F.cross_entropy` and
`F.interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None)`,
which resizes a `(N, C, H, W)` tensor with `"nearest"` or `"bilinear"` sampling.
"""

_FILES["docs/optim.md"] = """# Optimizers and schedules

`optim.SGD(params, lr, momentum=0.0, weight_decay=0.0, nesterov=False)` and
`optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
decoupled_weight_decay=False)`. Set `decoupled_weight_decay=True` for AdamW.

Schedules in `optim.lr_scheduler`: `StepLR`, `CosineAnnealingLR`, `LambdaLR`. Call
`scheduler.step()` once per epoch, after `optimizer.step()`.
"""

_FILES["docs/data.md"] = """# Loading data

Wrap tensors in `data.TensorDataset` and iterate over a `data.DataLoader`:

```python
loader = data.DataLoader(dataset, batch_size=32, shuffle=True, drop_last=True)
```

Pass `generator=random.Random(0)` for a repeatable shuffle order. `random_split` splits
a dataset into subsets.
"""

_FILES["docs/building.md"] = """# Building the C++ kernels

tinyml works without them; with them conv2d and nearest interpolation are much faster.

1. `pip install pybind11`
2. `python setup.py build_ext --inplace`
3. `python -c "import tinyml._backend as b; print(b.has_native())"` prints `True`.

Headers live in `csrc/include/tinyml/`; kernels in `csrc/ops/`.
"""

_FILES["tests/test_tensor.py"] = """import pytest

import tinyml
from tinyml.tensor import broadcast_shapes


def test_tolist_round_trips():
    t = tinyml.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert t.shape == (2, 2)
    assert t.tolist() == [[1.0, 2.0], [3.0, 4.0]]


def test_broadcast_add():
    a = tinyml.tensor([[1.0], [2.0]])
    b = tinyml.tensor([10.0, 20.0])
    assert (a + b).tolist() == [[11.0, 21.0], [12.0, 22.0]]


def test_broadcast_shapes_rejects_mismatch():
    with pytest.raises(ValueError):
        broadcast_shapes((2, 3), (4,))
"""

_FILES["tests/test_autograd.py"] = """import tinyml
from tinyml.autograd import no_grad


def test_matmul_backward():
    a = tinyml.tensor([[1.0, 2.0]], requires_grad=True)
    b = tinyml.tensor([[3.0], [4.0]], requires_grad=True)
    (a @ b).sum().backward()
    assert a.grad.tolist() == [[3.0, 4.0]]
    assert b.grad.tolist() == [[1.0], [2.0]]


def test_no_grad_does_not_record():
    a = tinyml.tensor([1.0, 2.0], requires_grad=True)
    with no_grad():
        out = a * 2.0
    assert out.grad_fn is None
"""

_FILES["tests/test_nn.py"] = """import tinyml
from tinyml import nn
from tinyml.nn import functional as F


def test_linear_shapes():
    layer = nn.Linear(3, 2)
    out = layer(tinyml.ones(4, 3))
    assert out.shape == (4, 2)


def test_linear_backward_reaches_weight_and_bias():
    layer = nn.Linear(3, 1)
    layer(tinyml.ones(2, 3)).sum().backward()
    assert layer.weight.grad.tolist() == [[2.0, 2.0, 2.0]]
    assert layer.bias.grad.tolist() == [2.0]


def test_relu_zeroes_negatives():
    assert F.relu(tinyml.tensor([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.0, 2.0]


def test_conv2d_identity_kernel():
    x = tinyml.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    w = tinyml.tensor([[[[1.0]]]])
    assert F.conv2d(x, w).tolist() == x.tolist()


def test_interpolate_nearest_doubles():
    x = tinyml.tensor([[[[1.0, 2.0]]]])
    out = F.interpolate(x, size=(1, 4), mode="nearest")
    assert out.tolist() == [[[[1.0, 1.0, 2.0, 2.0]]]]


def test_interpolate_bilinear_to_single_pixel():
    x = tinyml.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    out = F.interpolate(x, size=(1, 1), mode="bilinear", align_corners=True)
    assert out.tolist() == [[[[1.0]]]]


def test_load_state_dict_non_strict_ignores_unexpected_keys():
    layer = nn.Linear(2, 2)
    state = {**layer.state_dict(), "extra.weight": tinyml.ones(1)}
    layer.load_state_dict(state, strict=False)
    assert layer.weight.shape == (2, 2)


def test_state_dict_round_trip():
    a, b = nn.Linear(2, 2), nn.Linear(2, 2)
    b.load_state_dict(a.state_dict())
    assert b.weight.data == a.weight.data
"""

_FILES["tests/test_optim.py"] = """import tinyml
from tinyml import nn, optim
from tinyml.optim.lr_scheduler import StepLR


def _quadratic_step(opt, p):
    opt.zero_grad()
    (p * p).sum().backward()
    opt.step()


def test_sgd_moves_towards_minimum():
    p = nn.Parameter(tinyml.tensor([1.0]))
    opt = optim.SGD([p], lr=0.1)
    _quadratic_step(opt, p)
    assert abs(p.data[0] - 0.8) < 1e-9


def test_adam_weight_decay_coupled():
    p = nn.Parameter(tinyml.tensor([1.0]))
    opt = optim.Adam([p], lr=0.1, weight_decay=0.5)
    _quadratic_step(opt, p)
    assert p.data[0] < 1.0


def test_step_lr():
    p = nn.Parameter(tinyml.tensor([1.0]))
    opt = optim.SGD([p], lr=1.0)
    sched = StepLR(opt, step_size=2, gamma=0.5)
    sched.step()
    assert sched.get_last_lr() == [1.0]
    sched.step()
    assert sched.get_last_lr() == [0.5]
"""

_FILES["tests/test_data.py"] = """import random

import tinyml
from tinyml.data import DataLoader, TensorDataset, random_split


def test_loader_batches_and_drop_last():
    ds = TensorDataset(tinyml.zeros(10, 3), tinyml.ones(10))
    loader = DataLoader(ds, batch_size=4, drop_last=True)
    batches = list(loader)
    assert len(batches) == len(loader) == 2
    assert batches[0][0].shape == (4, 3)


def test_len_counts_the_last_partial_batch():
    ds = TensorDataset(tinyml.zeros(10, 3))
    loader = DataLoader(ds, batch_size=4)
    assert len(loader) == len(list(loader)) == 3


def test_shuffle_is_repeatable_with_generator():
    ds = TensorDataset(tinyml.tensor([float(i) for i in range(8)]))
    first = [b[0].tolist() for b in DataLoader(ds, 4, shuffle=True, generator=random.Random(0))]
    again = [b[0].tolist() for b in DataLoader(ds, 4, shuffle=True, generator=random.Random(0))]
    assert first == again


def test_random_split_lengths():
    ds = TensorDataset(tinyml.zeros(10, 1))
    a, b = random_split(ds, [7, 3], generator=random.Random(1))
    assert (len(a), len(b)) == (7, 3)
"""

_FILES["tests/test_linalg.py"] = """import tinyml
from tinyml import linalg


def test_solve_2x2():
    a = tinyml.tensor([[3.0, 1.0], [1.0, 2.0]])
    b = tinyml.tensor([9.0, 8.0])
    x = linalg.solve(a, b)
    assert [round(v, 9) for v in x.data] == [2.0, 3.0]


def test_solve_needs_pivoting():
    a = tinyml.tensor([[0.0, 1.0], [1.0, 0.0]])
    x = linalg.solve(a, tinyml.tensor([2.0, 5.0]))
    assert x.data == [5.0, 2.0]


def test_svd_singular_values_descending():
    a = tinyml.tensor([[2.0, 0.0], [0.0, 3.0]])
    _, s, _ = linalg.svd(a)
    assert [round(v, 9) for v in s.data] == [3.0, 2.0]
"""

_FILES["tests/test_utils.py"] = """import tinyml
from tinyml import nn, utils


def test_checkpoint_round_trip(tmp_path):
    path = tmp_path / "model.json"
    utils.save({"w": tinyml.ones(2, 2), "epoch": 3}, path)
    state = utils.load(path)
    assert state["epoch"] == 3
    assert state["w"].shape == (2, 2)


def test_forward_hook_removed():
    layer = nn.ReLU()
    seen = []
    handle = layer.register_forward_hook(lambda m, args, out: seen.append(out))
    layer(tinyml.ones(1))
    handle.remove()
    layer(tinyml.ones(1))
    assert len(seen) == 1
"""
