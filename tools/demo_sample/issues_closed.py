"""The sample's closed issues and the merged pull requests that fixed them.

Each fixed issue has a pull request whose body says "Fixes #N", a cross-reference in the
issue's timeline and a commit in the sample history changing the same files: the ground
truth of `prready backtest` on the demo.
"""

from __future__ import annotations

from .issue_items import SampleItem


def closed_items() -> list[SampleItem]:
    """Closed issues (fixed, answered, not planned) and the merged fixes."""
    return [
        *_fixed(
            "solve_pivot",
            SampleItem(
                key="solve_pivot",
                title="linalg.solve raises ZeroDivisionError for a matrix with a zero on the diagonal",
                user="hiro-t",
                created="2025-07-15T08:12:40Z",
                labels=["bug", "module: linalg", "triaged"],
                reactions=2,
                body="""## Bug

`tinyml.linalg.solve` fails on a perfectly invertible matrix when the first pivot is zero.

```python
import tinyml
from tinyml import linalg

a = tinyml.tensor([[0.0, 1.0], [1.0, 0.0]])
b = tinyml.tensor([2.0, 5.0])
print(linalg.solve(a, b))
```

```
Traceback (most recent call last):
  File "repro.py", line 6, in <module>
    print(linalg.solve(a, b))
  File ".../site-packages/tinyml/linalg/solve.py", line {{line:tinyml/linalg/solve.py:factor = rows}}, in solve
    factor = rows[r][col] / rows[col][col]
ZeroDivisionError: float division by zero
```

Expected `[5.0, 2.0]`. NumPy and PyTorch both pivot rows here.

tinyml 0.1.0, Python 3.11, macOS 14.
""",
                comments=[
                    (
                        "lfischer",
                        "2025-07-16T09:40:00Z",
                        "Thanks! We never pivot in `solve.py`. Partial pivoting is a small change; I'll do it with a test.",
                    ),
                ],
            ),
            SampleItem(
                key="pr_solve_pivot",
                title="linalg.solve: partial pivoting",
                user="lfischer",
                created="2025-09-05T15:20:00Z",
                body="Swap in the row with the largest pivot before eliminating, and raise a clear "
                "error for singular matrices.\n\nFixes #<solve_pivot>\n\nTest: `pytest tests/test_linalg.py`",
                labels=["module: linalg", "cla signed"],
                merged="2025-09-09T14:02:00Z",
                branch="lf/solve-pivoting",
            ),
        ),
        SampleItem(
            key="question_save",
            title="How do I save a trained model?",
            user="olu-ade",
            created="2025-08-20T19:03:11Z",
            labels=["question"],
            state="closed",
            closed="2025-08-22T07:30:00Z",
            reason="completed",
            closed_by="lfischer",
            body="I trained a small MLP with `nn.Sequential` and want to reuse it tomorrow. "
            "Is there something like `torch.save`? I couldn't find it in the docs.",
            comments=[
                (
                    "lfischer",
                    "2025-08-22T07:29:00Z",
                    "Not yet: for now `model.state_dict()` gives you plain tensors you can dump with "
                    "`json` (`t.data` and `t.shape`), and `load_state_dict` reads them back. A proper "
                    "`tinyml.utils.save` is on the roadmap.",
                ),
            ],
        ),
        SampleItem(
            key="keras_fit",
            title="Add a Keras-style model.fit() training loop",
            user="quantum-yak",
            created="2025-10-02T13:44:05Z",
            labels=["enhancement", "module: nn", "wontfix"],
            state="closed",
            closed="2025-10-06T10:02:00Z",
            reason="not_planned",
            closed_by="jweber",
            reactions=4,
            body="It would be great if `nn.Module` had `fit(x, y, epochs=10)` and `evaluate()` "
            "like Keras, so beginners don't have to write the training loop by hand.",
            comments=[
                (
                    "jweber",
                    "2025-10-06T10:01:00Z",
                    "Thanks for the idea. tinyml is meant to show how the pieces work, so we keep "
                    "the training loop explicit (see docs/nn.md). Closing as not planned.",
                ),
            ],
        ),
        *_fixed(
            "docs_seed",
            SampleItem(
                key="docs_seed",
                title="docs/data.md: DataLoader has no `seed` argument",
                user="nadia-k",
                created="2025-09-22T17:25:48Z",
                labels=["module: docs", "module: data", "good first issue"],
                body="""The example in `docs/data.md` says to pass `seed=0` for a repeatable shuffle order, but:

```
>>> data.DataLoader(ds, batch_size=4, shuffle=True, seed=0)
TypeError: DataLoader.__init__() got an unexpected keyword argument 'seed'
```

I think it should be `generator=random.Random(0)`?
""",
                comments=[
                    (
                        "sokafor",
                        "2025-09-23T08:00:00Z",
                        "Yes, the docs are wrong. Thanks for spotting it!",
                    ),
                ],
            ),
            SampleItem(
                key="pr_docs_seed",
                title="docs: use generator= for repeatable shuffling in data.md",
                user="sokafor",
                created="2025-10-10T09:12:00Z",
                body="Fixes #<docs_seed>",
                labels=["module: docs", "cla signed"],
                merged="2025-10-14T10:30:00Z",
                branch="docs/data-generator",
            ),
        ),
        *_fixed(
            "steplr_off",
            SampleItem(
                key="steplr_off",
                title="StepLR decays the learning rate one epoch too early",
                user="kfoster-ml",
                created="2025-11-03T21:07:19Z",
                labels=["bug", "module: optim"],
                body="""With `step_size=2` I expect the LR to halve after two `scheduler.step()` calls, but it halves after one.

```python
from tinyml import nn, optim, tensor
from tinyml.optim.lr_scheduler import StepLR

p = nn.Parameter(tensor([1.0]))
opt = optim.SGD([p], lr=1.0)
sched = StepLR(opt, step_size=2, gamma=0.5)
sched.step()
print(sched.get_last_lr())  # [0.5], expected [1.0]
```

Looks like `get_lr` in `tinyml/optim/lr_scheduler.py` adds one to `last_epoch`.
""",
            ),
            SampleItem(
                key="pr_steplr",
                title="Fix StepLR off-by-one in get_lr",
                user="priyar",
                created="2025-11-08T11:00:00Z",
                body="`last_epoch` is already incremented by `step()`.\n\nFixes #<steplr_off>",
                labels=["module: optim", "cla signed"],
                merged="2025-11-11T16:45:00Z",
                branch="priyar/steplr-off-by-one",
            ),
        ),
        *_fixed(
            "load_sd_strict",
            SampleItem(
                key="load_sd_strict",
                title="load_state_dict(strict=False) raises KeyError on unexpected keys",
                user="zhangwei-cv",
                created="2025-11-28T03:51:27Z",
                labels=["bug", "module: nn", "triaged"],
                body="""Loading a checkpoint with an extra key fails even with `strict=False`:

```python
import tinyml
from tinyml import nn

layer = nn.Linear(2, 2)
state = {**layer.state_dict(), "head.weight": tinyml.ones(1)}
layer.load_state_dict(state, strict=False)
```

```
Traceback (most recent call last):
  File "finetune.py", line 5, in <module>
    layer.load_state_dict(state, strict=False)
  File ".../tinyml/nn/modules/module.py", line {{line:tinyml/nn/modules/module.py:own[name].data = list}}, in load_state_dict
    own[name].data = list(value.data)
KeyError: 'head.weight'
```
""",
                comments=[
                    (
                        "jweber",
                        "2025-11-29T10:15:00Z",
                        "Confirmed, the loop doesn't skip unknown keys. Fix coming.",
                    ),
                ],
            ),
            SampleItem(
                key="pr_load_sd",
                title="nn: skip unexpected keys in load_state_dict(strict=False)",
                user="jweber",
                created="2025-12-05T14:30:00Z",
                body="Fixes #<load_sd_strict>. Adds a regression test in tests/test_nn.py.",
                labels=["module: nn", "cla signed"],
                merged="2025-12-09T09:20:00Z",
                branch="jweber/load-state-dict-strict",
            ),
        ),
        *_fixed(
            "conv_pad_segv",
            SampleItem(
                key="conv_pad_segv",
                title="Segmentation fault in F.conv2d with padding=1 when the C++ extension is built",
                user="rlopez",
                created="2026-01-19T16:40:02Z",
                labels=["bug", "module: cpp", "high priority"],
                reactions=3,
                body="""After `python setup.py build_ext --inplace`, this crashes the interpreter:

```python
import tinyml
from tinyml import nn

conv = nn.Conv2d(3, 8, kernel_size=3, padding=1)
conv(tinyml.randn(1, 3, 32, 32))
```

```
Fatal Python error: Segmentation fault

Current thread 0x00007f3a (most recent call first):
  File ".../tinyml/_backend.py", line {{line:tinyml/_backend.py:return _C.conv2d_forward}} in conv2d
  File ".../tinyml/nn/functional.py", line {{line:tinyml/nn/functional.py:data = _backend.conv2d}} in conv2d
```

Without the extension (pure Python) the same code works. I think `csrc/ops/conv.cpp` reads outside the input when `y`/`x` land in the padding.
""",
            ),
            SampleItem(
                key="pr_conv_pad",
                title="csrc: skip padded positions in conv2d_forward",
                user="dalvarez",
                created="2026-01-24T10:05:00Z",
                body="Bounds-check the input coordinates inside the kernel loop instead of reading "
                "out of range.\n\nFixes #<conv_pad_segv>",
                labels=["module: cpp", "cla signed"],
                merged="2026-01-27T18:05:00Z",
                branch="dalvarez/conv-padding",
            ),
        ),
        *_fixed(
            "batch_len",
            SampleItem(
                key="batch_len",
                title="len(DataLoader) is wrong when drop_last=False",
                user="mstone",
                created="2026-02-13T12:18:55Z",
                labels=["bug", "module: data", "good first issue"],
                body="""`len(loader)` ignores the last partial batch:

```python
import tinyml
from tinyml.data import DataLoader, TensorDataset

loader = DataLoader(TensorDataset(tinyml.zeros(10, 3)), batch_size=4)
print(len(loader), len(list(loader)))  # 2 3
```

My progress bar stops at 2/2 and then a third batch arrives.
""",
            ),
            SampleItem(
                key="pr_batch_len",
                title="data: BatchSampler.__len__ counts the last partial batch",
                user="meichen",
                created="2026-02-20T09:45:00Z",
                body="Fixes #<batch_len>",
                labels=["module: data", "cla signed"],
                merged="2026-02-24T11:11:00Z",
                branch="meichen/batch-sampler-len",
            ),
        ),
        *_fixed(
            "adam_zero_div",
            SampleItem(
                key="adam_zero_div",
                title="ZeroDivisionError in Adam.step on the first step",
                user="ananya-dev",
                created="2026-03-12T20:02:31Z",
                labels=["bug", "module: optim", "high priority", "triaged"],
                reactions=5,
                body="""Since the amsgrad change, the very first `opt.step()` fails:

```
Traceback (most recent call last):
  File "/home/ananya/toy/train.py", line 31, in <module>
    opt.step()
  File "/home/ananya/.venv/lib/python3.11/site-packages/tinyml/optim/adam.py", line {{line:tinyml/optim/adam.py:step_size = group}}, in step
    step_size = group["lr"] / bias1
ZeroDivisionError: float division by zero
```

`state["step"]` is still 0 when the bias correction is computed, so `1 - beta1 ** 0 == 0`.
""",
                comments=[
                    (
                        "priyar",
                        "2026-03-13T08:30:00Z",
                        "Ouch, my bad. The step counter has to be incremented before the update.",
                    ),
                    (
                        "ananya-dev",
                        "2026-03-13T09:02:00Z",
                        "Thanks! Pinning the previous release for now.",
                    ),
                ],
            ),
            SampleItem(
                key="pr_adam_step",
                title="optim: increment Adam's step before bias correction",
                user="priyar",
                created="2026-03-20T13:00:00Z",
                body="Fixes #<adam_zero_div>. Adds a weight-decay test that exercises the first step.",
                labels=["module: optim", "cla signed"],
                merged="2026-03-24T13:40:00Z",
                branch="priyar/adam-first-step",
            ),
        ),
        *_fixed(
            "interp_single",
            SampleItem(
                key="interp_single",
                title="F.interpolate(mode='bilinear', align_corners=True) fails for an output size of 1",
                user="tobiasb",
                created="2026-04-28T07:33:10Z",
                labels=["bug", "module: nn"],
                body="""```python
import tinyml
import tinyml.nn.functional as F

x = tinyml.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
F.interpolate(x, size=(1, 1), mode="bilinear", align_corners=True)
```

```
Traceback (most recent call last):
  File "pool.py", line 5, in <module>
    F.interpolate(x, size=(1, 1), mode="bilinear", align_corners=True)
  File ".../tinyml/nn/functional.py", line {{line:tinyml/nn/functional.py:src = _bilinear(}}, in interpolate
    src = _bilinear(x.data, base, h, w, i, j, out_h, out_w, bool(align_corners))
  File ".../tinyml/nn/functional.py", line {{line:tinyml/nn/functional.py:y = _source_coord(}}, in _bilinear
    y = _source_coord(i, h, out_h, align_corners)
  File ".../tinyml/nn/functional.py", line {{line:tinyml/nn/functional.py:return dst * (in_size - 1)}}, in _source_coord
    return dst * (in_size - 1) / (out_size - 1)
ZeroDivisionError: division by zero
```

PyTorch returns the top-left pixel in this case.
""",
            ),
            SampleItem(
                key="pr_interp_single",
                title="nn: handle output size 1 in bilinear interpolate with align_corners",
                user="jweber",
                created="2026-05-02T10:10:00Z",
                body="Fixes #<interp_single>",
                labels=["module: nn", "cla signed"],
                merged="2026-05-05T08:55:00Z",
                branch="jweber/interp-size-one",
            ),
        ),
        *_fixed(
            "sampler_gen",
            SampleItem(
                key="sampler_gen",
                title="DataLoader(shuffle=True, generator=random.Random(0)) is not reproducible",
                user="petrakis",
                created="2026-05-22T14:27:44Z",
                labels=["bug", "module: data", "triaged"],
                body="""Two loaders built with the same seeded generator give different orders:

```python
import random
import tinyml
from tinyml.data import DataLoader, TensorDataset

ds = TensorDataset(tinyml.tensor([float(i) for i in range(8)]))
a = [b[0].tolist() for b in DataLoader(ds, 4, shuffle=True, generator=random.Random(0))]
b = [b[0].tolist() for b in DataLoader(ds, 4, shuffle=True, generator=random.Random(0))]
assert a == b  # fails
```

`RandomSampler.__iter__` in `tinyml/data/sampler.py` calls `random.shuffle` and never uses `self.generator`.
""",
            ),
            SampleItem(
                key="pr_sampler_gen",
                title="data: RandomSampler shuffles with its generator",
                user="meichen",
                created="2026-05-29T16:00:00Z",
                body="Fixes #<sampler_gen>",
                labels=["module: data", "cla signed"],
                merged="2026-06-02T15:25:00Z",
                branch="meichen/sampler-generator",
            ),
        ),
        *_fixed(
            "ckpt_atomic",
            SampleItem(
                key="ckpt_atomic",
                title="utils.save leaves a truncated checkpoint when interrupted",
                user="vkumar",
                created="2026-06-25T22:10:09Z",
                labels=["bug", "module: utils"],
                body="I hit Ctrl-C while `tinyml.utils.save(model.state_dict(), 'ckpt.json')` was "
                "running and lost my previous checkpoint: the file was half written and "
                "`utils.load` then fails with `json.decoder.JSONDecodeError: Unterminated string`. "
                "Could save write to a temporary file and rename it?",
            ),
            SampleItem(
                key="pr_ckpt_atomic",
                title="utils: write checkpoints atomically",
                user="lfischer",
                created="2026-07-03T08:00:00Z",
                body="Write to `<path>.tmp` and `os.replace` it.\n\nFixes #<ckpt_atomic>",
                labels=["module: utils", "cla signed"],
                merged="2026-07-07T12:00:00Z",
                branch="lf/atomic-save",
            ),
        ),
        *_fixed(
            "relu_cuda_overflow",
            SampleItem(
                key="relu_cuda_overflow",
                title="relu_cuda returns garbage for tensors with more than 2**31 elements",
                user="gpu-gwen",
                created="2026-07-10T18:45:51Z",
                labels=["bug", "module: cuda", "module: cpp"],
                body="In `csrc/ops/relu_cuda.cu` the thread index is an `int`, so "
                "`blockIdx.x * blockDim.x + threadIdx.x` overflows for large inputs and the tail of "
                "the output is never written. Found with a 3e9-element activation on an A100; "
                "`int64_t` indexing fixes it locally.",
            ),
            SampleItem(
                key="pr_relu_cuda",
                title="csrc: 64-bit indexing in relu_kernel",
                user="dalvarez",
                created="2026-07-17T11:20:00Z",
                body="Fixes #<relu_cuda_overflow>",
                labels=["module: cuda", "cla signed"],
                merged="2026-07-21T17:30:00Z",
                branch="dalvarez/relu-int64",
            ),
        ),
    ]


def _fixed(issue_key: str, issue: SampleItem, pull: SampleItem) -> list[SampleItem]:
    """Close `issue` as completed by the merged `pull`, which references it."""
    assert pull.merged is not None
    issue.state, issue.closed, issue.reason, issue.closed_by = (
        "closed",
        pull.merged,
        "completed",
        pull.user,
    )
    pull.is_pull = True
    pull.state, pull.closed = "closed", pull.merged
    pull.refs = [issue_key]
    return [issue, pull]
