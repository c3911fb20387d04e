"""The sample's open issues, and two pull requests that reference some of them.

Together they cover every case the planner tells apart: beginner docs/tests/typing work,
bugs with and without a reproduction, C++/CUDA work, issues spanning several areas,
RFCs that need a design decision, an assigned issue, a fresh claim, a stale claim, an
issue with an open pull request and one whose pull request was closed unmerged.
"""

from __future__ import annotations

from .issue_items import SampleItem


def open_items() -> list[SampleItem]:
    """Open issues plus the open and the abandoned pull request."""
    return _BEGINNER + _BUGS + _FEATURES + _PULLS


_BEGINNER = [
    SampleItem(
        key="docs_typo",
        title="Typo in docs/tensors.md: 'togther'",
        user="first-timer-fay",
        created="2026-10-26T18:20:33Z",
        labels=["module: docs", "good first issue"],
        body='The last paragraph of `docs/tensors.md` says "added togther"; it should be '
        '"together". Happy to send a PR if that helps!',
    ),
    SampleItem(
        key="docs_interp",
        title="Document align_corners for F.interpolate",
        user="tobiasb",
        created="2026-06-30T09:14:02Z",
        labels=["module: docs", "module: nn", "good first issue"],
        reactions=2,
        body="`tinyml.nn.functional.interpolate` takes `align_corners`, but neither the "
        "docstring in `tinyml/nn/functional.py` nor `docs/nn.md` says what it does or that it "
        'only matters for `mode="bilinear"`. A short explanation with a 2x2 -> 3x3 example '
        "(corners aligned vs half-pixel centres) would have saved me an afternoon.",
        comments=[
            (
                "jweber",
                "2026-07-01T08:05:00Z",
                "Agreed. A docstring section plus a paragraph in docs/nn.md would be great; "
                "a doctest for the 2x2 -> 3x3 case would be a bonus.",
            ),
        ],
    ),
    SampleItem(
        key="tests_cosine",
        title="Add tests for CosineAnnealingLR and LambdaLR",
        user="priyar",
        created="2026-07-14T10:40:00Z",
        labels=["module: optim", "module: tests", "good first issue"],
        body="""`tests/test_optim.py` only covers `StepLR`. We need tests for
`tinyml.optim.lr_scheduler.CosineAnnealingLR` (value at 0, T_max/2 and T_max, and with
`eta_min`) and `LambdaLR`.

Run them with `pytest tests/test_optim.py`.""",
    ),
    SampleItem(
        key="typing_data",
        title="Add type hints to tinyml.data",
        user="meichen",
        created="2026-05-11T15:02:18Z",
        labels=["module: data", "topic: typing", "good first issue", "help wanted"],
        body="`tinyml/data/sampler.py`, `tinyml/data/dataloader.py` and "
        "`tinyml/data/dataset.py` have almost no annotations. Please add them (`Sampler` "
        "should be generic over the index type, `DataLoader.__iter__` returns an "
        "`Iterator`) and check with `mypy tinyml/data`. One PR per file is fine.",
    ),
    SampleItem(
        key="tests_qr",
        title="linalg.qr has no tests",
        user="lfischer",
        created="2026-09-08T13:25:00Z",
        labels=["module: linalg", "module: tests", "good first issue", "bootcamp"],
        body="`tests/test_linalg.py` tests `solve` and `svd` but not `tinyml.linalg.qr`. "
        "Good tests: Q has orthonormal columns, R is upper triangular, Q @ R reproduces the "
        "input, and a rank-deficient input does not divide by zero.",
    ),
    SampleItem(
        key="docs_cuda_build",
        title="docs/building.md: explain how to build the CUDA kernels",
        user="gpu-gwen",
        created="2026-07-24T20:11:45Z",
        labels=["module: docs", "module: cuda", "good first issue"],
        assignees=["sokafor"],
        assigned_at="2026-07-25T08:30:00Z",
        body="`setup.py` mentions `TINYML_CUDA=1` but `docs/building.md` only covers the C++ "
        "kernels. Which nvcc versions work, and how do I check that `relu_cuda` was built?",
        comments=[
            (
                "sokafor",
                "2026-07-25T08:31:00Z",
                "I'm rewriting building.md anyway, assigning this to myself.",
            ),
        ],
    ),
    SampleItem(
        key="broadcast_msg",
        title="Broadcasting error should say which operation failed",
        user="lfischer",
        created="2026-10-12T10:00:00Z",
        labels=["module: tensor", "good first issue", "enhancement"],
        body="""```python
>>> tinyml.ones(2, 3) * tinyml.ones(4)
ValueError: shapes (2, 3) and (4,) cannot be broadcast together
```

In a big model it is hard to tell which op this came from. `broadcast_shapes` in
`tinyml/tensor/shape.py` could take the op name ("mul", "add") from `tinyml/tensor/ops.py`
and include it in the message.""",
        comments=[
            ("carla-dev", "2026-10-28T16:42:00Z", "Hi! I'd like to work on this, can I take it?"),
            ("lfischer", "2026-10-28T17:05:00Z", "Sure, go ahead! Ping me when the PR is up."),
        ],
    ),
    SampleItem(
        key="flatten_stale",
        title="Add nn.Flatten",
        user="jweber",
        created="2026-03-02T09:00:00Z",
        labels=["module: nn", "good first issue", "enhancement"],
        body="A `Flatten(start_dim=1)` module (in `tinyml/nn/modules/`, exported from "
        "`tinyml.nn`) so that `nn.Sequential(nn.Conv2d(...), nn.Flatten(), nn.Linear(...))` "
        "works. Needs a test in `tests/test_nn.py`.",
        comments=[
            ("busy-bee", "2026-06-20T21:15:00Z", "Can I take this one?"),
            ("jweber", "2026-06-21T07:40:00Z", "Sure, it's yours!"),
        ],
    ),
]

_BUGS = [
    SampleItem(
        key="sub_scalar",
        title="`t - 1.0` raises AttributeError: 'float' object has no attribute '_make'",
        user="ananya-dev",
        created="2026-10-05T19:48:27Z",
        labels=["bug", "module: tensor", "triaged", "good first issue"],
        reactions=3,
        body="""Subtracting a Python number from a tensor fails, while adding works:

```python
import tinyml

t = tinyml.tensor([1.0, 2.0])
print(t + 1.0)   # fine
print(t - 1.0)
```

```
Traceback (most recent call last):
  File "sub.py", line 5, in <module>
    print(t - 1.0)
  File ".../tinyml/tensor/tensor.py", line {{line:tinyml/tensor/tensor.py:return ops.add(self, ops.mul(other}}, in __sub__
    return ops.add(self, ops.mul(other, -1.0))
  File ".../tinyml/tensor/ops.py", line {{line:tinyml/tensor/ops.py:return Mul.apply(a, _wrap(b, a))}}, in mul
    return Mul.apply(a, _wrap(b, a))
  File ".../tinyml/tensor/ops.py", line {{line:tinyml/tensor/ops.py:return like._make(}}, in _wrap
    return like._make([float(value)], ())
AttributeError: 'float' object has no attribute '_make'
```

`1.0 - t` fails too (`TypeError: unsupported operand type(s) for -: 'float' and 'Tensor'`), there is no `__rsub__`.""",
        comments=[
            (
                "lfischer",
                "2026-10-06T08:12:00Z",
                "Thanks for the clear report. `__sub__` should wrap `other` before negating it, "
                "and we need `__rsub__`. A test in tests/test_tensor.py for both would be great.",
            ),
        ],
    ),
    SampleItem(
        key="neg_index",
        title="TensorDataset[-1] raises ValueError instead of returning the last row",
        user="mstone",
        created="2026-09-14T11:30:09Z",
        labels=["bug", "module: data", "triaged"],
        body="""```python
import tinyml
from tinyml.data import TensorDataset

ds = TensorDataset(tinyml.zeros(10, 3))
ds[-1]
```

```
Traceback (most recent call last):
  File "last.py", line 5, in <module>
    ds[-1]
  File ".../tinyml/data/dataset.py", line {{line:tinyml/data/dataset.py:return tuple(_row(t, index)}}, in __getitem__
    return tuple(_row(t, index) for t in self.tensors)
  File ".../tinyml/data/dataset.py", line {{line:tinyml/data/dataset.py:return Tensor(t.data[index * width}}, in _row
    return Tensor(t.data[index * width : (index + 1) * width], t.shape[1:])
  File ".../tinyml/tensor/tensor.py", line {{line:tinyml/tensor/tensor.py:raise ValueError(f"{len(data)} values}}, in __init__
    raise ValueError(f"{len(data)} values do not fill a tensor of shape {shape}")
ValueError: 0 values do not fill a tensor of shape (3,)
```

Python sequences accept negative indices; out-of-range ones should raise `IndexError`.""",
    ),
    SampleItem(
        key="svd_vh",
        title="linalg.svd returns V instead of Vh: u @ diag(s) @ vh does not reconstruct the input",
        user="hiro-t",
        created="2026-09-28T06:55:41Z",
        labels=["bug", "module: linalg", "triaged", "high priority"],
        reactions=4,
        body="""The docstring of `tinyml.linalg.svd` promises `a = u @ diag(s) @ vh`, but for a non-symmetric input the product is wrong:

```python
import tinyml
from tinyml import linalg

a = tinyml.tensor([[3.0, 1.0], [1.0, 2.0], [0.0, 1.0]])
u, s, vh = linalg.svd(a)
sigma = tinyml.tensor([[s.data[0], 0.0], [0.0, s.data[1]]])
print((u @ sigma @ vh).tolist())
# [[2.04, -2.41], [2.23, -0.19], [0.93, 0.37]]  (expected [[3, 1], [1, 2], [0, 1]])
```

`u @ sigma @ transpose(vh)` (with `from tinyml.tensor.ops import transpose`) gives the right answer, so `vh` is actually V. See `tinyml/linalg/decompositions.py`.""",
        comments=[
            (
                "lfischer",
                "2026-09-29T09:10:00Z",
                "Confirmed, the last line builds V. Fixing it changes results for anyone who "
                "worked around it, so please add a release note along with the test.",
            ),
        ],
    ),
    SampleItem(
        key="load_sd_shape",
        title="load_state_dict silently accepts tensors of the wrong shape",
        user="kfoster-ml",
        created="2026-08-18T14:03:55Z",
        labels=["bug", "module: nn"],
        body="""```python
import tinyml
from tinyml import nn

layer = nn.Linear(2, 2)
layer.load_state_dict({"weight": tinyml.ones(3, 2), "bias": tinyml.zeros(2)})
print(layer.weight.shape, len(layer.weight.data))   # (2, 2) 6
```

The parameter now has 6 values for a (2, 2) shape and the next forward pass gives wrong numbers instead of an error. `Module.load_state_dict` in `tinyml/nn/modules/module.py` should compare shapes and report every mismatch, like PyTorch's "size mismatch for weight".""",
    ),
    SampleItem(
        key="xavier_fan",
        title="nn.init.xavier_uniform_ uses the wrong fan_out for Conv2d weights",
        user="tobiasb",
        created="2026-07-30T12:22:10Z",
        labels=["bug", "module: nn", "triaged"],
        body="`xavier_uniform_` in `tinyml/nn/init.py` takes `fan_out = tensor.shape[0]`, but "
        "for a conv weight `(out, in, kh, kw)` it should be `out * kh * kw` (the receptive "
        "field counts on both sides). With a 3x3 kernel the bound is about 2.4x too large. "
        "`kaiming_uniform_` gets `fan_in` right via `_fan_in`; a matching `_fan_out` would fix it.",
    ),
    SampleItem(
        key="optim_sd_id",
        title="Optimizer state is keyed by id(param): a checkpoint can't restore Adam in a new process",
        user="vkumar",
        created="2026-08-25T08:47:33Z",
        labels=["bug", "module: optim", "high priority", "triaged"],
        reactions=6,
        body="""I save model and optimizer with `tinyml.utils.save` and resume training in a new process. The model resumes fine but Adam starts from scratch (loss jumps back up for ~100 steps).

`Optimizer.state` in `tinyml/optim/optimizer.py` is a dict keyed by `id(p)`, so `state_dict()` contains ids of objects from the old process, and there is no `Optimizer.load_state_dict` at all.

```python
from tinyml import nn, optim, utils

model = nn.Linear(4, 1)
opt = optim.Adam(model.parameters())
# ... train ...
print(list(opt.state_dict()["state"]))   # [140230118411280, 140230118410992]
```

Expected: state keyed by parameter index (like PyTorch), plus `load_state_dict`, and `tinyml.utils.save`/`load` able to store the nested lists.""",
        comments=[
            (
                "priyar",
                "2026-08-26T10:20:00Z",
                "Yes, this is a real gap. Plan: index-based state in `state_dict()`, a "
                "`load_state_dict()` that maps indices back to params per group, and tests that "
                "round-trip through `tinyml.utils.save`. It touches optim and utils.",
            ),
            (
                "vkumar",
                "2026-08-26T12:02:00Z",
                "Sounds good. I can test a draft on my training script.",
            ),
        ],
    ),
    SampleItem(
        key="conv_bias_native",
        title="F.conv2d drops the bias when tinyml._C is built",
        user="rlopez",
        created="2026-09-03T17:36:20Z",
        labels=["bug", "module: nn", "module: cpp", "triaged"],
        body="""With the extension built, `nn.Conv2d(..., bias=True)` ignores its bias:

```python
import tinyml
import tinyml.nn.functional as F

x = tinyml.ones(1, 1, 2, 2)
w = tinyml.ones(1, 1, 1, 1)
b = tinyml.tensor([10.0])
print(F.conv2d(x, w, b).tolist())
# pure Python: [[[[11.0, 11.0], [11.0, 11.0]]]]
# with tinyml._C: [[[[1.0, 1.0], [1.0, 1.0]]]]
```

In `tinyml/nn/functional.py` the native branch calls `_backend.conv2d(...)` without the bias, and `conv2d_forward` in `csrc/ops/conv.cpp` has no bias argument. Either add it to the kernel and the binding in `csrc/python_bindings.cpp`, or add the bias in Python after the call.""",
        comments=[
            (
                "dalvarez",
                "2026-09-04T09:00:00Z",
                "Adding it to the kernel is better (one pass over the output). Needs a C++ build "
                "to test: `python setup.py build_ext --inplace` then `pytest tests/test_nn.py`.",
            ),
        ],
    ),
    SampleItem(
        key="adam_nan",
        title="Loss becomes NaN after a few hundred steps with Adam",
        user="newbie-nn",
        created="2026-10-18T22:05:14Z",
        labels=["bug", "module: optim", "needs reproduction"],
        body="My training goes fine for about 300 steps with `optim.Adam(lr=1e-2)` and then the "
        "loss is `nan`. With SGD it doesn't happen. I'm using tinyml 0.4.0. Is this a known "
        "problem with Adam?",
        comments=[
            (
                "priyar",
                "2026-10-19T08:30:00Z",
                "Could you share a minimal script that reproduces it (model, data shapes, "
                "hyperparameters)? A too-high learning rate can do this too. Without a "
                "reproduction we can't tell whether it's in `tinyml/optim/adam.py`.",
            ),
        ],
    ),
    SampleItem(
        key="upsample_crash",
        title="Crash (core dumped) in F.interpolate on a large image",
        user="imgproc-ivan",
        created="2026-06-08T13:50:40Z",
        labels=["bug", "module: cpp", "needs reproduction"],
        body="""Upscaling a big batch with the native kernel kills the process:

```
$ python upscale.py
Segmentation fault (core dumped)
```

It happens with `mode="nearest"` and a 4096x4096 output; smaller sizes work. I can't share the data. Could the output size overflow in `csrc/ops/upsample.cpp`?""",
        comments=[
            (
                "dalvarez",
                "2026-06-09T07:45:00Z",
                "Possibly, `out` is sized with int64 so it shouldn't overflow. Can you reproduce "
                "it with random data (`tinyml.randn(...)`) and post the shapes and the output of "
                "`gdb -ex run --args python upscale.py` / `bt`?",
            ),
        ],
    ),
    SampleItem(
        key="relu_cuda_empty",
        title="CUDA error: invalid configuration argument from relu on an empty tensor",
        user="gpu-gwen",
        created="2026-08-04T16:12:09Z",
        labels=["bug", "module: cuda", "module: cpp", "triaged"],
        body="""Calling the CUDA relu with zero elements throws:

```
RuntimeError: invalid configuration argument
  raised from TINYML_CUDA_CHECK(cudaGetLastError()) in csrc/ops/relu_cuda.cu
```

`blocks_for(0, 256)` in `csrc/include/tinyml/cuda_utils.h` returns 0 and a launch with a grid of 0 blocks is invalid. `relu_cuda` should return early when `n == 0`. Needs a CUDA machine to test.""",
    ),
]

_FEATURES = [
    SampleItem(
        key="batchnorm",
        title="Add nn.BatchNorm2d",
        user="zhangwei-cv",
        created="2025-12-15T10:28:51Z",
        labels=["enhancement", "module: nn", "help wanted"],
        reactions=7,
        body="Every small CNN I try to port uses BatchNorm. It would need running mean/var "
        "buffers (not parameters), train/eval behaviour, and `state_dict` support for the "
        "buffers in `tinyml/nn/modules/module.py`.",
        comments=[
            (
                "jweber",
                "2025-12-16T09:00:00Z",
                "Happy to take a PR. Buffers are the interesting part: Module has no notion of them yet.",
            ),
            ("drift-coder", "2026-01-30T19:20:00Z", "I'll give this a try."),
            (
                "jweber",
                "2026-03-15T10:00:00Z",
                "Closing #<pr_batchnorm> as it has been inactive for a while; the issue stays open "
                "for anyone who wants to pick it up.",
            ),
        ],
    ),
    SampleItem(
        key="storage_rfc",
        title="RFC: store tensor data in array('f') buffers instead of Python lists",
        user="dalvarez",
        created="2026-02-17T11:11:11Z",
        labels=["RFC", "needs discussion", "module: tensor", "topic: performance"],
        reactions=5,
        body="""## Motivation

`Tensor.data` is a list of Python floats. Every call into `tinyml._C` copies it into a `std::vector<float>` and back, which dominates conv2d time for small kernels.

## Proposal

Store data in `array.array('f')` and pass it through the buffer protocol to `csrc/python_bindings.cpp` without copies. `tinyml/tensor/tensor.py`, `tinyml/tensor/ops.py`, the optimizers (which rebuild `p.data` lists) and the bindings all change.

## Open questions

- float32 storage changes numerics of the pure-Python path (today it's float64).
- Code that appends to or slices `t.data` as a list breaks.

Feedback welcome before anyone starts on this.""",
        comments=[
            (
                "lfischer",
                "2026-02-18T10:00:00Z",
                "I like the direction, but the float64 -> float32 change needs a decision first. "
                "Let's discuss at the next maintainers' sync.",
            ),
            (
                "priyar",
                "2026-02-19T15:30:00Z",
                "The optimizers would need an in-place update API; happy to help with that part.",
            ),
        ],
    ),
    SampleItem(
        key="conv_backward",
        title="RFC: autograd support for conv2d (Python and C++)",
        user="jweber",
        created="2026-04-15T08:30:00Z",
        labels=[
            "RFC",
            "enhancement",
            "module: nn",
            "module: autograd",
            "module: cpp",
            "needs discussion",
        ],
        reactions=9,
        body="""`F.conv2d` returns a plain tensor with no `grad_fn`, so `nn.Conv2d` can't be trained: `loss.backward()` leaves `conv.weight.grad` as `None`.

## Proposal

1. A `_Conv2d(Function)` in `tinyml/nn/functional.py` with forward/backward in Python (grad input = transposed conv of grad output; grad weight = correlation of input and grad output).
2. Matching `conv2d_backward_input` / `conv2d_backward_weight` kernels in `csrc/ops/conv.cpp`, declared in `csrc/include/tinyml/ops.h` and bound in `csrc/python_bindings.cpp`.
3. Gradient checks against finite differences in `tests/test_nn.py`.

Step 1 alone would make CNNs trainable; steps 2-3 can follow. Thoughts on whether the Python and C++ paths must land together?""",
        comments=[
            (
                "dalvarez",
                "2026-04-16T09:15:00Z",
                "Python first, please: the C++ kernels can be checked against it.",
            ),
            (
                "seg-sara",
                "2026-05-02T20:40:00Z",
                "This would unblock my segmentation experiments. +1",
            ),
        ],
    ),
    SampleItem(
        key="interp_grad",
        title="F.interpolate does not support backward",
        user="seg-sara",
        created="2026-08-08T21:17:36Z",
        labels=["enhancement", "module: nn", "module: autograd"],
        body="""```python
x = tinyml.randn(1, 1, 4, 4, requires_grad=True)
y = F.interpolate(x, scale_factor=2, mode="bilinear")
y.sum().backward()
print(x.grad)   # None
```

`interpolate` builds its output with `Tensor(...)` directly, so no graph is recorded. A decoder with upsampling can't be trained. An `autograd.Function` with the adjoint of nearest/bilinear sampling would fix it.""",
    ),
    SampleItem(
        key="ce_tensor",
        title="F.cross_entropy should return a Tensor and support backward",
        user="kfoster-ml",
        created="2026-09-19T10:05:44Z",
        labels=["enhancement", "module: nn", "module: autograd", "triaged"],
        body="`tinyml.nn.functional.cross_entropy` returns a Python float computed with "
        "`math.exp`, so classification models can't be trained with it. It should be a "
        "Tensor-valued, numerically stable (log-sum-exp) function with a backward of "
        "`softmax(logits) - one_hot(target)`, averaged over the batch.",
        comments=[
            (
                "jweber",
                "2026-09-20T08:00:00Z",
                "Yes please. Keep the log-sum-exp trick; a test against a finite-difference "
                "gradient in tests/test_nn.py would make this easy to review.",
            ),
        ],
    ),
    SampleItem(
        key="add_param_group",
        title="Add Optimizer.add_param_group for fine-tuning",
        user="finetune-fred",
        created="2026-06-12T07:58:03Z",
        labels=["enhancement", "module: optim", "help wanted"],
        body="When unfreezing layers during fine-tuning I want to add their parameters to an "
        "existing optimizer with their own `lr`. PyTorch has `optimizer.add_param_group({...})`. "
        "`Optimizer.__init__` in `tinyml/optim/optimizer.py` already merges defaults into groups, "
        "so this could reuse that; schedulers need the new group's `initial_lr` too.",
    ),
    SampleItem(
        key="cosine_restart",
        title="CosineAnnealingLR stops at eta_min after T_max instead of following the cosine",
        user="schedule-sam",
        created="2026-10-01T12:34:56Z",
        labels=["module: optim", "needs discussion"],
        body="`CosineAnnealingLR.get_lr` clamps `last_epoch` to `T_max`, so the LR stays at "
        "`eta_min` forever. PyTorch's closed form keeps following the cosine (the LR goes back "
        "up). Which behaviour do we want? Porting schedules from PyTorch gives different curves.",
        comments=[
            (
                "priyar",
                "2026-10-02T09:00:00Z",
                "The clamp was deliberate, but matching PyTorch has value. Let's collect opinions "
                "before changing it; it's a behaviour change for existing users.",
            ),
        ],
    ),
    SampleItem(
        key="cuda_conv",
        title="CUDA kernel for conv2d",
        user="gpu-gwen",
        created="2026-05-06T18:00:27Z",
        labels=["enhancement", "module: cuda", "module: cpp", "module: nn"],
        reactions=3,
        body="Only relu has a CUDA kernel (`csrc/ops/relu_cuda.cu`). A direct conv2d kernel "
        "next to `csrc/ops/conv.cpp`, using `csrc/include/tinyml/cuda_utils.h`, plus a "
        "dispatch in `tinyml/_backend.py` would make small CNNs usable on a GPU.",
        comments=[
            (
                "dalvarez",
                "2026-05-07T10:00:00Z",
                "Welcome, but it depends on #<storage_rfc>: without device buffers every call "
                "copies to and from the GPU.",
            ),
        ],
    ),
    SampleItem(
        key="dl_sampler",
        title="DataLoader: accept sampler= and batch_sampler= arguments",
        user="felixm",
        created="2026-09-30T08:21:19Z",
        labels=["enhancement", "module: data", "help wanted"],
        body="I need a weighted sampler for an imbalanced dataset. `DataLoader.__init__` in "
        "`tinyml/data/dataloader.py` always builds a `RandomSampler` or `SequentialSampler`. "
        "Accepting `sampler=` (mutually exclusive with `shuffle`) and `batch_sampler=` like "
        "PyTorch would allow custom sampling.",
        comments=[
            ("meichen", "2026-10-01T09:00:00Z", "Sounds good, a PR is welcome."),
            ("felixm", "2026-10-02T18:30:00Z", "I'll open one this month."),
        ],
    ),
]

_PULLS = [
    SampleItem(
        key="pr_batchnorm",
        title="nn: add BatchNorm2d",
        user="drift-coder",
        created="2026-02-02T21:40:00Z",
        body="Adds `nn.BatchNorm2d` with running statistics.\n\nFor #<batchnorm>. Still missing: "
        "state_dict support for buffers, tests.",
        labels=["module: nn"],
        state="closed",
        closed="2026-03-15T10:00:00Z",
        is_pull=True,
        refs=["batchnorm"],
        branch="batchnorm2d",
        files=[
            ("tinyml/nn/modules/batchnorm.py", "added", 58, 0),
            ("tinyml/nn/modules/__init__.py", "modified", 2, 1),
        ],
    ),
    SampleItem(
        key="pr_dl_sampler",
        title="data: sampler= and batch_sampler= for DataLoader",
        user="felixm",
        created="2026-10-22T17:03:48Z",
        body="Closes #<dl_sampler>.\n\n- `sampler=` replaces the default sampler (error if "
        "combined with `shuffle=True`)\n- `batch_sampler=` replaces batching entirely\n- tests in "
        "tests/test_data.py",
        labels=["module: data"],
        is_pull=True,
        refs=["dl_sampler"],
        branch="dataloader-sampler",
        files=[
            ("tinyml/data/dataloader.py", "modified", 21, 4),
            ("tests/test_data.py", "modified", 34, 0),
        ],
    ),
]
