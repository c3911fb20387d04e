"""About sixty open issues (plus a few closed ones fixed by merged pull requests) written
in the style of PyTorch's tracker, with its label taxonomy, for the end-to-end torch plan
test and bench/bench_plan.py. Ages are relative to `now`, so claims stay as fresh as
written whenever the test runs."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

REPO = "pytorch/pytorch"
SP = "/opt/conda/lib/python3.11/site-packages"

LABELS = [
    ("module: nn", "f7e101", "Related to torch.nn"),
    ("module: optimizer", "f7e101", "Related to torch.optim"),
    ("module: dataloader", "f7e101", "Related to torch.utils.data.DataLoader and Sampler"),
    ("module: autograd", "f7e101", "Related to torch.autograd, and the autograd engine in general"),
    ("module: linear algebra", "f7e101", "Issues related to specialized linear algebra operations"),
    ("module: cuda", "f7e101", "Related to torch.cuda, and CUDA support in general"),
    ("module: docs", "f7e101", "Related to our documentation, both in docs/ and docblocks"),
    ("module: typing", "f7e101", "Related to mypy type annotations"),
    ("module: tests", "f7e101", "Issues related to tests (not the torch.testing module)"),
    ("module: dynamo", "f7e101", ""),
    ("module: inductor", "f7e101", ""),
    ("module: onnx", "f7e101", "Related to torch.onnx"),
    ("module: distributions", "f7e101", "Related to torch.distributions"),
    ("module: sparse", "f7e101", "Related to torch.sparse"),
    ("module: serialization", "f7e101", "Issues related to serialization (e.g., via pickle, or otherwise) of PyTorch objects"),
    ("module: amp (automated mixed precision)", "f7e101", "autocast"),
    ("module: fft", "f7e101", ""),
    ("oncall: pt2", "0e8a16", ""),
    ("oncall: distributed", "0e8a16", "Add this issue/PR to distributed oncall triage queue"),
    ("triaged", "0e8a16", "This issue has been looked at a team member, and triaged and prioritized into an appropriate module"),
    ("good first issue", "7057ff", ""),
    ("bug", "d73a4a", ""),
    ("high priority", "b60205", ""),
    ("needs reproduction", "fbca04", "Someone else needs to try reproducing the issue given the instructions. No action needed from the user"),
    ("actionable", "0e8a16", ""),
    ("enhancement", "a2eeef", "Not as big of a feature, but technically not a bug. Should be easy to fix"),
    ("feature", "a2eeef", "A request for a proper, new feature."),
    ("module: bootcamp", "c5def5", "We plan to do a full writeup on the issue, and then get someone to do it for onboarding"),
    ("needs design", "fbca04", "We want to add this feature but we need to figure out how first"),
    ("module: mps", "f7e101", "Related to Apple Metal Performance Shaders framework"),
    ("module: special", "f7e101", "Functions with no exact solutions, analogous to those in scipy.special"),
    ("module: cpp", "f7e101", "Related to C++ API"),
    ("oncall: jit", "0e8a16", "Add this issue/PR to JIT oncall triage queue"),
]  # fmt: skip

TRIAGED = ("triaged",)


def tb(*frames: tuple[str, int, str], error: str) -> str:
    """A Python traceback through site-packages/torch, fenced like a pasted report."""
    lines = ["```", "Traceback (most recent call last):", '  File "train.py", line 42, in <module>']
    for path, line, func in frames:
        lines += [f'  File "{SP}/{path}", line {line}, in {func}', "    ..."]
    return "\n".join([*lines, error, "```"])


def bug(describe: str, code: str = "", trace: str = "", versions: str = "PyTorch 2.13") -> str:
    """The body of PyTorch's bug-report template."""
    parts = ["### 🐛 Describe the bug", "", describe]
    if code:
        parts += ["", "```python", code, "```"]
    if trace:
        parts += ["", trace]
    return "\n".join([*parts, "", "### Versions", "", versions])


@dataclass
class TorchIssue:
    title: str
    body: str
    labels: tuple[str, ...]
    age: int = 20  # days since it was opened
    user: str = "reporter"
    assignees: tuple[str, ...] = ()
    comments: list[tuple[str, str, int]] = field(default_factory=list)  # (login, body, age)
    reactions: int = 0
    open_pr: bool = False  # an open pull request by someone else references it


NN, OPT, DL, AG, LA = (
    "module: nn",
    "module: optimizer",
    "module: dataloader",
    "module: autograd",
    "module: linear algebra",
)
GFI, BUG, DOCS, TYPING, TESTS = (
    "good first issue",
    "bug",
    "module: docs",
    "module: typing",
    "module: tests",
)

OPEN_ISSUES: list[TorchIssue] = [
    # --- docs, typing, tests: first-contact material ---
    TorchIssue("Typo in nn.init.trunc_normal_ docstring: 'standart deviation'", "The docstring of `torch.nn.init.trunc_normal_` in torch/nn/init.py says *standart*.", (DOCS, NN, GFI, *TRIAGED), age=6),
    TorchIssue("Docs for torch.optim.lr_scheduler.OneCycleLR do not say total_steps must be > 1", "`OneCycleLR(opt, max_lr=0.1, total_steps=1)` divides by zero; the docstring in torch/optim/lr_scheduler.py should state the constraint.", (DOCS, OPT, GFI, *TRIAGED), age=9),
    TorchIssue("nn.Conv2d docs: padding='same' example uses wrong output shape", "The example in the `nn.Conv2d` docstring (torch/nn/modules/conv.py) prints `torch.Size([20, 33, 24, 49])` but `padding='same'` keeps 50x100.", (DOCS, NN, GFI), age=14),
    TorchIssue("DataLoader docs: persistent_workers is not mentioned in the multi-process section", "torch/utils/data/dataloader.py documents `persistent_workers` only in the signature.", (DOCS, DL, GFI, *TRIAGED), age=30, comments=[("newbie42", "Can I take this one?", 2)]),
    TorchIssue("torch.linalg.svd docs link to a removed page for the gesvdj driver", "The `driver=` paragraph of `torch.linalg.svd` links to a 404.", (DOCS, LA, GFI), age=11),
    TorchIssue("Missing type annotations for torch.nn.utils.clip_grad_norm_ return value", "mypy infers `Any`:\n```python\nfrom torch.nn.utils import clip_grad_norm_\nn: float = clip_grad_norm_(model.parameters(), 1.0)\n```\ntorch/nn/utils/clip_grad.py returns a Tensor.", (TYPING, NN, GFI, *TRIAGED), age=8),
    TorchIssue("[typing] DataLoader.__iter__ should be typed as Iterator[T_co]", "`reveal_type(iter(DataLoader(ds)))` gives `_BaseDataLoaderIter`, which hides the batch type.", (TYPING, DL, *TRIAGED), age=40),
    TorchIssue("torch.optim.Optimizer.zero_grad set_to_none annotation says bool | None", "In torch/optim/optimizer.py `set_to_none: bool = True` but the stub says Optional.", (TYPING, OPT, GFI), age=12, assignees=("someone-else",)),
    TorchIssue("test_nn.py: test_conv2d_same_padding is skipped everywhere", "The decorator on the test skips on CPU too, so the path in torch/nn/modules/conv.py for padding='same' has no coverage.", (TESTS, NN, GFI, *TRIAGED), age=16),
    TorchIssue("Flaky test_dataloader.py::test_timeout on slow runners", "Times out about 1 in 50 runs; the timeout is 3 s in test/test_dataloader.py.", (TESTS, DL, "module: flaky-tests"), age=25),
    TorchIssue("Document that torch.fft.rfft returns n//2+1 frequencies", "`torch.fft.rfft` docs should say how many outputs there are.", (DOCS, "module: fft", GFI), age=5),
    TorchIssue("torch.distributions.Normal docstring: scale is the standard deviation, not variance", "See torch/distributions/normal.py, the class docstring.", (DOCS, "module: distributions", GFI, *TRIAGED), age=3),
    # --- small fixes ---
    TorchIssue("F.relu(inplace=True) on a leaf tensor gives an unhelpful error", bug("The message does not say which argument is the problem.", "import torch\nimport torch.nn.functional as F\nx = torch.randn(3, requires_grad=True)\nF.relu(x, inplace=True)", tb(("torch/nn/functional.py", 1704, "relu"), error="RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.")), (NN, BUG, *TRIAGED, "actionable"), age=18),
    TorchIssue("nn.Conv2d rejects padding_mode='circular' with padding='same' for even kernels", bug("", "import torch.nn as nn\nconv = nn.Conv2d(3, 8, kernel_size=4, padding='same', padding_mode='circular')\nconv(torch.randn(1, 3, 16, 16))", tb(("torch/nn/modules/module.py", 1775, "_call_impl"), ("torch/nn/modules/conv.py", 548, "forward"), ("torch/nn/modules/conv.py", 530, "_conv_forward"), error="RuntimeError: padding='same' is not supported for even kernels with circular padding")), (NN, BUG, *TRIAGED), age=22),
    TorchIssue("OneCycleLR raises ZeroDivisionError when total_steps=1", bug("", "sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=1)\nsched.step()", tb(("torch/optim/lr_scheduler.py", 2101, "get_lr"), error="ZeroDivisionError: float division by zero")), (OPT, BUG, GFI, *TRIAGED), age=10),
    TorchIssue("RandomSampler with replacement=True ignores generator when num_samples is set", bug("Two loaders built with the same seeded generator give different orders.", "g = torch.Generator().manual_seed(0)\nRandomSampler(ds, replacement=True, num_samples=10, generator=g)", "File torch/utils/data/sampler.py, line 160"), (DL, BUG, *TRIAGED), age=35, reactions=4),
    TorchIssue("nn.MultiheadAttention need_weights=False still returns averaged weights", bug("", "mha = nn.MultiheadAttention(64, 8, batch_first=True)\nout, w = mha(q, k, v, need_weights=False)\nassert w is None"), (NN, BUG, *TRIAGED), age=28, comments=[("contrib-a", "I'd like to work on this.", 3)]),
    TorchIssue("clip_grad_norm_ with error_if_nonfinite=True reports the wrong norm type", "The message in torch/nn/utils/clip_grad.py always says 'total norm of order 2.0'.", (NN, BUG, GFI), age=7),
    TorchIssue("torch.linalg.norm with ord='fro' and dim=None on a 3-D tensor gives a misleading error", bug("", "torch.linalg.norm(torch.randn(2, 3, 4), ord='fro')", "RuntimeError: linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D"), (LA, BUG, *TRIAGED), age=19),
    TorchIssue("Adam with amsgrad=True and capturable=True raises KeyError after load_state_dict", bug("After loading an optimizer state_dict:", trace=tb(("torch/optim/optimizer.py", 487, "wrapper"), ("torch/optim/adam.py", 223, "step"), error="KeyError: 'max_exp_avg_sq'")), (OPT, BUG, "high priority", *TRIAGED), age=12, reactions=9),
    TorchIssue("AdamW weight_decay applied twice when maximize=True", bug("The decay in torch/optim/adamw.py runs before and after the update.", "opt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.1, maximize=True)"), (OPT, BUG, *TRIAGED), age=9, open_pr=True),
    TorchIssue("SGD with nesterov=True and dampening>0 should raise a clear error in __init__", "torch/optim/sgd.py raises only at the first step.", (OPT, "enhancement", GFI), age=21),
    TorchIssue("nn.Embedding padding_idx accepts out-of-range negative values", bug("", "nn.Embedding(10, 3, padding_idx=-11)"), (NN, BUG, "actionable"), age=33),
    TorchIssue("DataLoader with num_workers>0 and a lambda collate_fn fails with an unclear pickling error on macOS", bug("", "DataLoader(ds, num_workers=2, collate_fn=lambda b: b)", tb(("torch/utils/data/dataloader.py", 491, "__iter__"), ("torch/utils/data/dataloader.py", 1170, "__init__"), error="AttributeError: Can't pickle local object '<lambda>'")), (DL, BUG, *TRIAGED), age=45),
    TorchIssue("torch.special.xlogy returns nan for x=0, y=nan", "Expected nan per the docs, but the docs in torch/special/__init__.py say 0.", ("module: special", BUG, "needs reproduction"), age=4),
    TorchIssue("nn.BatchNorm1d error message for 1-element batch names the wrong dimension", bug("", "nn.BatchNorm1d(4)(torch.randn(1, 4))", tb(("torch/nn/modules/batchnorm.py", 193, "forward"), ("torch/nn/functional.py", 2810, "batch_norm"), error="ValueError: Expected more than 1 value per channel when training, got input size torch.Size([1, 4])")), (NN, BUG, GFI, *TRIAGED), age=15),
    TorchIssue("torch.fft.rfftn ignores norm='forward' for the last dimension", bug("", "torch.fft.rfftn(x, norm='forward')"), ("module: fft", BUG, *TRIAGED), age=50),
    TorchIssue("nn.utils.rnn.pack_padded_sequence error should mention enforce_sorted", "torch/nn/utils/rnn.py: the 'lengths array must be sorted' message should suggest `enforce_sorted=False`.", (NN, "enhancement", GFI), age=17, comments=[("helper9", "/assigntome", 1)]),
    # --- real bugs ---
    TorchIssue("F.interpolate with antialias=True gives wrong output for bicubic downsampling", bug("The output differs from PIL by more than 1e-2.", "import torch.nn.functional as F\ny = F.interpolate(x, scale_factor=0.5, mode='bicubic', antialias=True)"), (NN, BUG, "module: interpolation", *TRIAGED), age=24, reactions=6),
    TorchIssue("torch.linalg.svd returns non-orthogonal U for rank-deficient float32 input on CPU", bug("", "U, S, Vh = torch.linalg.svd(A, full_matrices=False)\nprint((U.T @ U - torch.eye(k)).abs().max())", "Max error 3e-2; float64 is fine."), (LA, BUG, "high priority", *TRIAGED), age=31, reactions=12),
    TorchIssue("torch.linalg.eigh backward gives nan for repeated eigenvalues without a warning", bug("", "w, v = torch.linalg.eigh(A)\nv.sum().backward()"), (LA, AG, BUG, *TRIAGED), age=60),
    TorchIssue("torch.autograd.gradcheck fails for complex inputs with fast_mode=True", bug("", "torch.autograd.gradcheck(f, (x,), fast_mode=True)", tb(("torch/autograd/gradcheck.py", 1830, "gradcheck"), ("torch/autograd/gradcheck.py", 1402, "_fast_gradcheck"), error="torch.autograd.gradcheck.GradcheckError: Jacobian mismatch for output 0 with respect to input 0")), (AG, BUG, "module: complex", *TRIAGED), age=27),
    TorchIssue("Custom autograd.Function with setup_context loses ctx.needs_input_grad under vmap", bug("`torch.autograd.Function` subclasses using `setup_context` see all-False `needs_input_grad` inside `torch.func.vmap`.", "class MyFn(torch.autograd.Function):\n    @staticmethod\n    def setup_context(ctx, inputs, output): ..."), (AG, BUG, "module: functorch", *TRIAGED), age=38),
    TorchIssue("torch.utils.checkpoint with use_reentrant=False breaks with torch.no_grad() inside the region", bug("", "", tb(("torch/utils/checkpoint.py", 1591, "recompute_fn"), ("torch/autograd/graph.py", 825, "_engine_run_backward"), error="RuntimeError: torch.utils.checkpoint: trying to save more tensors during recomputation than during the original forward pass")), (AG, BUG, *TRIAGED), age=14),
    TorchIssue("DataLoader hangs when a worker is killed by the OOM killer and pin_memory=True", bug("The main process blocks forever in `_get_data`.", "", tb(("torch/utils/data/dataloader.py", 733, "__next__"), ("torch/utils/data/dataloader.py", 1491, "_next_data"), ("torch/utils/data/dataloader.py", 1443, "_get_data"), error="KeyboardInterrupt")), (DL, BUG, "high priority", *TRIAGED), age=70, reactions=15),
    TorchIssue("nn.TransformerEncoder fast path gives different results with src_key_padding_mask in eval mode", bug("", "enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=True).eval()", "Max abs diff 0.4 between fast path and slow path."), (NN, BUG, *TRIAGED), age=44, reactions=7),
    TorchIssue("torch.load(weights_only=True) rejects OrderedDict subclasses from older checkpoints", bug("", "torch.load('ckpt.pt', weights_only=True)", tb(("torch/serialization.py", 1529, "load"), ("torch/_weights_only_unpickler.py", 388, "load"), error="_pickle.UnpicklingError: Weights only load failed.")), ("module: serialization", BUG, *TRIAGED), age=20),
    TorchIssue("GradScaler.unscale_ misses parameters of param groups added after the first step", "torch/amp/grad_scaler.py caches the per-device grads at the first unscale.", ("module: amp (automated mixed precision)", BUG, *TRIAGED), age=26),
    TorchIssue("torch.distributions.Categorical.entropy returns nan for zero-probability classes", bug("", "Categorical(probs=torch.tensor([0.5, 0.5, 0.0])).entropy()"), ("module: distributions", BUG, *TRIAGED), age=13),
    TorchIssue("LBFGS with line_search_fn='strong_wolfe' ignores max_eval", "torch/optim/lbfgs.py counts function evaluations in the line search separately.", (OPT, BUG, *TRIAGED), age=55),
    TorchIssue("ReduceLROnPlateau.state_dict() fails to round-trip with mode='max' after a cooldown", bug("", "", tb(("torch/optim/lr_scheduler.py", 1390, "load_state_dict"), error="KeyError: 'best'")), (OPT, BUG, *TRIAGED), age=32, assignees=("sched-owner",)),
    TorchIssue("torch.sparse.mm backward fails for COO @ dense with requires_grad", bug("", "out = torch.sparse.mm(s, d)\nout.sum().backward()", "raises `RuntimeError: sparse_coo doesn't have strides`."), ("module: sparse", AG, BUG, *TRIAGED), age=29),
    # --- pt2 / compiler / distributed / cuda: harder or C++ ---
    TorchIssue("torch.compile graph breaks on dict.setdefault in forward", bug("", "@torch.compile\ndef f(d, x):\n    d.setdefault('k', x)\n    return x + 1", tb(("torch/_dynamo/eval_frame.py", 655, "_fn"), ("torch/_dynamo/convert_frame.py", 1210, "__call__"), ("torch/_dynamo/symbolic_convert.py", 980, "step"), error="torch._dynamo.exc.Unsupported: call_method UserDefinedObjectVariable(dict) setdefault")), ("oncall: pt2", "module: dynamo", BUG, *TRIAGED), age=8),
    TorchIssue("Inductor generates wrong code for masked_fill with a broadcast bool mask", bug("", "torch.compile(lambda x, m: x.masked_fill(m, 0))(x, m)", tb(("torch/_inductor/graph.py", 1120, "run_node"), ("torch/_inductor/lowering.py", 455, "wrapped"), error="AssertionError: expected size 8==1")), ("oncall: pt2", "module: inductor", BUG, "high priority"), age=5),
    TorchIssue("torch.export fails on nn.MultiheadAttention with need_weights=True", bug("", "torch.export.export(nn.MultiheadAttention(16, 2), (q, k, v))"), ("oncall: pt2", "oncall: export", BUG), age=16),
    TorchIssue("torch.fx symbolic_trace fails on modules using torch.Size unpacking", tb(("torch/fx/_symbolic_trace.py", 838, "trace"), ("torch/fx/proxy.py", 410, "__iter__"), error="torch.fx.proxy.TraceError: Proxy object cannot be iterated."), ("module: fx", BUG, *TRIAGED), age=47),
    TorchIssue("FSDP with use_orig_params=True breaks clip_grad_norm_ for mixed-dtype params", bug("", "", tb(("torch/distributed/fsdp/fully_sharded_data_parallel.py", 1180, "clip_grad_norm_"), error="RuntimeError: expected all tensors to have the same dtype")), ("oncall: distributed", BUG, *TRIAGED), age=36),
    TorchIssue("torch.cuda.memory_summary crashes when the caching allocator is disabled", bug("", "PYTORCH_NO_CUDA_MEMORY_CACHING=1 python -c 'import torch; print(torch.cuda.memory_summary())'", tb(("torch/cuda/memory.py", 690, "memory_summary"), error="KeyError: 'allocated_bytes.all.current'")), ("module: cuda", BUG, *TRIAGED), age=21),
    TorchIssue("CUDA kernel for index_add_ is slow for large int64 indices", "aten/src/ATen/native/cuda/Indexing.cu uses atomics per element; 10x slower than scatter_add_.", ("module: cuda", "module: performance", *TRIAGED), age=90),
    TorchIssue("ONNX export of F.interpolate with scale_factor and recompute_scale_factor=True emits a Resize without scales", bug("", "torch.onnx.export(model, x, 'm.onnx')"), ("module: onnx", BUG, *TRIAGED), age=39),
    TorchIssue("torch.compile with mode='max-autotune' recompiles every step for dynamic batch sizes", "Logs show a recompile per batch; guards in torch/_dynamo/guards.py fail on the batch dimension.", ("oncall: pt2", "module: dynamo", "module: dynamic shapes", BUG), age=11, open_pr=True),
    # --- features / design: substantial contributions ---
    TorchIssue("[RFC] Add a `foreach` implementation of Adafactor", "### 🚀 The feature, motivation and pitch\n\ntorch/optim/_adafactor.py only has the for-loop path; a `_multi_tensor_adafactor` would match Adam's foreach speedups. Needs discussion on the state layout.", (OPT, "feature", "needs design"), age=42, reactions=20),
    TorchIssue("Add `nn.RMSNorm` support for `elementwise_affine=False` in the fused path", "### 🚀 The feature, motivation and pitch\n\n`torch.nn.RMSNorm` (torch/nn/modules/normalization.py) falls back to the composite path; add the fused kernel path.", (NN, "feature", *TRIAGED), age=23, reactions=11),
    TorchIssue("Support `generator=` in torch.nn.init.orthogonal_ and sparse_", "### 🚀 The feature, motivation and pitch\n\nOther init functions in torch/nn/init.py accept `generator`; these two do not.", (NN, "enhancement", *TRIAGED), age=19, reactions=5),
    TorchIssue("DataLoader: support a `prefetch_factor` for the single-process loader", "### 🚀 The feature, motivation and pitch\n\nUseful for IO-bound datasets; torch/utils/data/dataloader.py only prefetches with workers.", (DL, "feature", *TRIAGED), age=48, reactions=8),
    TorchIssue("Add a batched torch.linalg.lstsq driver 'gelsd' on CUDA", "### 🚀 The feature, motivation and pitch\n\nOnly 'gels' is supported on CUDA (aten/src/ATen/native/cuda/linalg/BatchLinearAlgebra.cpp).", (LA, "module: cuda", "feature", *TRIAGED), age=80),
    TorchIssue("Proposal: make torch.optim.lr_scheduler chainable with SequentialLR milestones in epochs or steps", "### 🚀 The feature, motivation and pitch\n\nNeeds discussion: SequentialLR in torch/optim/lr_scheduler.py mixes step and epoch semantics.", (OPT, "feature", "needs design"), age=65),
    TorchIssue("Expose `return_counts` in torch.unique_consecutive for the CUDA sparse path", "### 🚀 The feature, motivation and pitch\n\nSee torch/functional.py `unique_consecutive`.", ("module: sparse", "feature"), age=57),
    TorchIssue("Add `antialias=True` support for mode='nearest-exact' in F.interpolate", "### 🚀 The feature, motivation and pitch\n\n`torch.nn.functional.interpolate` raises for this combination; PIL supports it.", (NN, "feature", "module: interpolation", *TRIAGED), age=34, reactions=3),
    TorchIssue("torch.autograd.graph.register_multi_grad_hook: support mode='any' with retain_graph", "### 🚀 The feature, motivation and pitch\n\ntorch/autograd/graph.py documents mode='any' but it breaks with retain_graph=True.", (AG, "feature", *TRIAGED), age=30),
    TorchIssue("DataLoader: make worker_init_fn errors name the worker id and the dataset index", "### 🚀 The feature, motivation and pitch\n\nErrors raised in torch/utils/data/_utils/worker.py lose the worker id.", (DL, "enhancement", "module: bootcamp", *TRIAGED), age=26),
    # Issues that are never steps (issue 13): trackers, questions, RFCs, hardware-bound work.
    TorchIssue("General MPS op coverage tracking issue", "This issue tracks the ops still missing on MPS.\n\n- [ ] aten::_linalg_svd\n- [ ] aten::fft_r2c\n- [ ] aten::unique_consecutive", ("module: mps", "feature", *TRIAGED), age=400, reactions=300),
    TorchIssue("torch.special tracking issue", "Functions from scipy.special still to add to torch/special/__init__.py:\n\n- [ ] zeta\n- [ ] i0e\n- [ ] xlog1py", ("module: special", "feature", *TRIAGED), age=700),
    TorchIssue("Python/C++ API parity master tracking task", "torch/nn/modules vs torch/csrc/api:\n\n- [ ] nn.Fold\n- [ ] nn.Unfold\n- [ ] nn.Transformer", ("module: cpp", NN, "enhancement", *TRIAGED), age=900),
    TorchIssue("About the use of gather to compute metrics", "How should I use `torch.distributed.all_gather` to compute accuracy across ranks?", ("oncall: distributed",), age=6),
    TorchIssue("What will happen if I use torch.autocast but don't add a GradScaler", "Is the GradScaler needed for bfloat16 with torch.autocast?", ("module: amp (automated mixed precision)",), age=4),
    TorchIssue("[RFC] Deprecate the positional `dim` of torch.nn.functional.softmax", "### 🚀 The feature, motivation and pitch\n\ntorch/nn/functional.py: make `dim` keyword-only.", (NN, "feature", *TRIAGED), age=15),
    TorchIssue("MPS: torch.linalg.svd returns non-orthogonal U on Apple silicon", bug("Only with device='mps'.", "U, S, Vh = torch.linalg.svd(A.to('mps'))"), ("module: mps", LA, BUG, *TRIAGED), age=9),
    TorchIssue("Multi-node training hangs at init_process_group with the NCCL backend", bug("Two nodes of 8 GPUs each; rank 0 never returns from torch/distributed/distributed_c10d.py."), ("oncall: distributed", BUG, *TRIAGED), age=12),
    TorchIssue("JIT produces bad output for a scripted nn.Conv2d with padding='same'", bug("", "torch.jit.script(nn.Conv2d(3, 8, 4, padding='same'))(x)", "Max abs diff 0.3 between scripted and eager."), ("oncall: jit", NN, BUG, *TRIAGED), age=18),
]  # fmt: skip

# (title, labels, files the merged fix changed): closed issues for history and backtest.
CLOSED_FIXED = [
    ("nn.Upsample ignores align_corners for mode='bilinear' in scripted modules", (NN, BUG), ["torch/nn/modules/upsampling.py"]),
    ("Adam foreach path mixes devices for capturable=True", (OPT, BUG), ["torch/optim/adam.py"]),
    ("SequentialSampler len is wrong for IterableDataset", (DL, BUG), ["torch/utils/data/sampler.py"]),
]  # fmt: skip


def serve_torch_issues(dataset: Any, now: datetime) -> dict[str, int]:
    """Load the repo, labels, issues, comments and pull requests into a ghserver Dataset;
    returns {kind: count}."""

    def at(days: float) -> str:
        return (now - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")

    dataset.add_repo(
        REPO, description="Tensors and Dynamic neural networks in Python", language="Python"
    )
    for name, color, description in LABELS:
        dataset.add_label(REPO, name, color, description)
    counts = {"open": 0, "closed": 0, "pulls": 0, "comments": 0}
    for n, item in enumerate(OPEN_ISSUES):
        number = dataset.add_issue(
            REPO,
            item.title,
            body=item.body,
            user=item.user if item.user != "reporter" else f"user{n}",
            labels=list(item.labels),
            assignees=list(item.assignees),
            created_at=at(item.age),
            reactions=item.reactions,
        )
        counts["open"] += 1
        for login, text, age in item.comments:
            dataset.add_comment(REPO, number, login, text, at(age))
            counts["comments"] += 1
        if item.open_pr:
            dataset.add_pull(
                REPO,
                f"Fix: {item.title[:60]}",
                body=f"Fixes #{number}",
                user="busy-contributor",
                references=[number],
                created_at=at(1),
            )
            counts["pulls"] += 1
    for title, labels, files in CLOSED_FIXED:
        number = dataset.add_issue(
            REPO, title, body=bug(title), labels=list(labels), state="closed",
            created_at=at(200), closed_at=at(150), state_reason="completed",
        )  # fmt: skip
        dataset.add_pull(
            REPO,
            f"Fix {title[:50]}",
            body=f"Fixes #{number}",
            user="maintainer-x",
            state="closed",
            merged=True,
            references=[number],
            created_at=at(160),
            merged_at=at(150),
            closed_at=at(150),
            files=[
                {"filename": f, "status": "modified", "additions": 5, "deletions": 1} for f in files
            ],
        )
        counts["closed"] += 1
        counts["pulls"] += 1
    return counts


def taken_titles() -> set[str]:
    """Titles of the open issues someone else is on (assigned, claimed or with a PR)."""
    return {
        i.title
        for i in OPEN_ISSUES
        if i.assignees or i.open_pr or any(_claims(text) for _, text, _ in i.comments)
    }


def _claims(text: str) -> bool:
    return any(w in text.lower() for w in ("i'd like to work", "can i take", "/assigntome"))
