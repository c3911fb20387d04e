"""Mapping on a real library's source: the installed torch wheel's tree, turned into a git
repository at test time, and a few dozen issue texts written like real PyTorch reports
(tracebacks, API names, file paths). Slow: skipped when torch is not installed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from prready.analysis.mapping import build_index, map_issue_to_modules, rank_areas
from prready.code_models import CodeMap
from prready.models import Issue
from prready.paths import Paths
from torchfixtures import make_torch_repo, torch_source

pytestmark = pytest.mark.slow

TOP3_FLOOR = 0.85  # measured 38/38 in top 3 and 35/38 first when written

SP = "/usr/local/lib/python3.11/site-packages"


def tb(*frames: tuple[str, int, str], error: str) -> str:
    lines = [
        "```",
        "Traceback (most recent call last):",
        '  File "train.py", line 42, in <module>',
        "    main()",
    ]
    for path, line, func in frames:
        lines.append(f'  File "{SP}/{path}", line {line}, in {func}')
        lines.append("    ...")
    lines += [error, "```"]
    return "\n".join(lines)


ISSUES: list[tuple[str, str, str]] = [
    (
        "torch.nn.functional",
        "F.interpolate with antialias=True gives wrong output for bicubic",
        "### 🐛 Describe the bug\n\n```python\nimport torch\nimport torch.nn.functional as F\nx = torch.rand(1, 3, 64, 64)\ny = F.interpolate(x, scale_factor=0.5, mode='bicubic', antialias=True)\n```\nThe output differs from PIL by more than 1e-2.\n\n### Versions\nPyTorch 2.5",
    ),
    (
        "torch.optim.adam",
        "Adam with amsgrad=True and capturable=True raises KeyError on resume",
        "After loading an optimizer state_dict:\n"
        + tb(
            ("torch/optim/optimizer.py", 487, "wrapper"),
            ("torch/optim/adam.py", 223, "step"),
            error="KeyError: 'max_exp_avg_sq'",
        ),
    ),
    (
        "torch.optim.lr_scheduler",
        "OneCycleLR raises ZeroDivisionError when total_steps=1",
        "```python\nsched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=1)\nsched.step()\n```\n"
        + tb(
            ("torch/optim/lr_scheduler.py", 2033, "get_lr"),
            error="ZeroDivisionError: float division by zero",
        ),
    ),
    (
        "torch.utils.data",
        "DataLoader with persistent_workers hangs at exit",
        "Using `torch.utils.data.DataLoader(ds, num_workers=4, persistent_workers=True)` the process never exits after the last epoch. py-spy shows the main thread in `_MultiProcessingDataLoaderIter._shutdown_workers`.",
    ),
    (
        "torch.utils.data",
        "default_collate fails on namedtuple of numpy arrays",
        tb(
            ("torch/utils/data/dataloader.py", 733, "__next__"),
            ("torch/utils/data/_utils/fetch.py", 55, "fetch"),
            ("torch/utils/data/_utils/collate.py", 398, "default_collate"),
            error="TypeError: expected Tensor as element 0 in argument 0, but got numpy.ndarray",
        ),
    ),
    (
        "torch.nn.modules.conv",
        "nn.Conv2d padding='same' with dilation>1 produces misaligned output",
        "```python\nimport torch.nn as nn\nm = nn.Conv2d(8, 8, kernel_size=4, padding='same', dilation=2)\n```\nThe output is shifted by one pixel compared to TensorFlow.",
    ),
    (
        "torch.serialization",
        "torch.load with weights_only=True rejects OrderedDict subclass",
        "```python\nstate = torch.load('ckpt.pt', weights_only=True)\n```\n"
        + tb(
            ("torch/serialization.py", 1470, "load"),
            ("torch/_weights_only_unpickler.py", 385, "load"),
            error="_pickle.UnpicklingError: Weights only load failed",
        ),
    ),
    (
        "torch._tensor",
        "Tensor.__repr__ crashes for tensors with names on meta device",
        tb(
            ("torch/_tensor.py", 568, "__repr__"),
            ("torch/_tensor_str.py", 708, "_str"),
            error="NotImplementedError: Cannot copy out of meta tensor",
        ),
    ),
    (
        "torch.autograd",
        "torch.autograd.grad with allow_unused=True and materialize_grads returns None",
        "```python\ng = torch.autograd.grad(y, [x, z], allow_unused=True, materialize_grads=True)\n```\nreturns `(tensor, None)` instead of zeros for z.",
    ),
    (
        "torch.autograd.function",
        "custom autograd.Function with setup_context breaks under vmap",
        "Subclassing `torch.autograd.Function` with `setup_context` and `generate_vmap_rule = True`:\n"
        + tb(
            ("torch/autograd/function.py", 580, "apply"),
            error="RuntimeError: vmap: It looks like you're calling .item()",
        ),
    ),
    (
        "torch.distributed",
        "dist.all_reduce hangs with NCCL when one rank passes a non-contiguous tensor",
        "```python\nimport torch.distributed as dist\ndist.init_process_group('nccl')\nx = torch.ones(4, 4).t()\ndist.all_reduce(x)\n```\nRank 1 hangs forever.",
    ),
    (
        "torch.nn.parallel.distributed",
        "DistributedDataParallel find_unused_parameters reports wrong parameter names",
        tb(
            ("torch/nn/modules/module.py", 1751, "_call_impl"),
            ("torch/nn/parallel/distributed.py", 1643, "forward"),
            error="RuntimeError: Expected to have finished reduction in the prior iteration",
        ),
    ),
    (
        "torch.distributed.fsdp",
        "FSDP with use_orig_params=True loses requires_grad=False on frozen params",
        "Wrapping a model with `torch.distributed.fsdp.FullyShardedDataParallel(model, use_orig_params=True)` makes frozen embeddings trainable again.",
    ),
    (
        "torch._dynamo",
        "torch.compile graph break on dict.items() inside forward",
        "With `TORCH_LOGS=graph_breaks`:\n"
        + tb(
            ("torch/_dynamo/eval_frame.py", 655, "_fn"),
            ("torch/_dynamo/convert_frame.py", 1064, "__call__"),
            ("torch/_dynamo/symbolic_convert.py", 1300, "run"),
            error="torch._dynamo.exc.Unsupported: call_method UserDefinedObjectVariable(dict_items) __iter__",
        ),
    ),
    (
        "torch._inductor",
        "inductor generates wrong code for masked scatter on CPU",
        "`torch.compile(fn, backend='inductor')` gives different results than eager.\n"
        + tb(
            ("torch/_inductor/compile_fx.py", 1520, "compile_fx"),
            ("torch/_inductor/graph.py", 2030, "compile_to_module"),
            error="AssertionError: mismatch",
        ),
    ),
    (
        "torch.export",
        "torch.export.export fails on model with dynamic shapes using Dim.AUTO",
        "```python\nfrom torch.export import export, Dim\nep = export(model, (x,), dynamic_shapes={'x': {0: Dim.AUTO}})\n```\nraises a ConstraintViolationError.",
    ),
    (
        "torch.onnx",
        "torch.onnx.export drops the output names for models returning dicts",
        "```python\ntorch.onnx.export(model, (x,), 'm.onnx', output_names=['logits'])\n```\nThe exported graph has `output_0`.",
    ),
    (
        "torch.fx",
        "fx.symbolic_trace fails on len() of a Proxy",
        tb(
            ("torch/fx/_symbolic_trace.py", 1280, "symbolic_trace"),
            ("torch/fx/proxy.py", 430, "__len__"),
            error="RuntimeError: 'len' is not supported in symbolic tracing by default",
        ),
    ),
    (
        "torch.jit",
        "torch.jit.script fails on Optional[List[int]] default argument",
        "```python\n@torch.jit.script\ndef f(x: torch.Tensor, dims: Optional[List[int]] = None):\n    return x\n```\nraises `RuntimeError: Expected a default value of type List[int]`.",
    ),
    (
        "torch.linalg",
        "torch.linalg.svd returns NaN gradients for repeated singular values",
        "```python\nU, S, Vh = torch.linalg.svd(A)\nS.sum().backward()\n```\nA.grad is all NaN when A has repeated singular values.",
    ),
    (
        "torch.distributions",
        "Normal.log_prob is inaccurate for large scale",
        "`torch.distributions.Normal(0, 1e10).log_prob(x)` loses precision; see torch/distributions/normal.py.",
    ),
    (
        "torch.nn.utils",
        "clip_grad_norm_ with foreach=True errors on mixed devices",
        "```python\ntorch.nn.utils.clip_grad_norm_(model.parameters(), 1.0, foreach=True)\n```\n"
        + tb(
            ("torch/nn/utils/clip_grad.py", 96, "clip_grad_norm_"),
            error="RuntimeError: Expected all tensors to be on the same device",
        ),
    ),
    (
        "torch.nn.utils.rnn",
        "pack_padded_sequence with enforce_sorted=False reorders hidden state incorrectly",
        "`nn.utils.rnn.pack_padded_sequence(x, lengths, enforce_sorted=False)` followed by nn.LSTM returns the hidden state in the sorted order.",
    ),
    (
        "torch.nn.modules.transformer",
        "TransformerEncoderLayer fast path ignores src_key_padding_mask in eval",
        "```python\nlayer = nn.TransformerEncoderLayer(d_model=64, nhead=4, batch_first=True)\nlayer.eval()\nout = layer(x, src_key_padding_mask=mask)\n```\nPadded positions leak into the output.",
    ),
    (
        "torch.nn.modules.batchnorm",
        "BatchNorm2d running_var becomes negative with momentum=None",
        "`nn.BatchNorm2d(16, momentum=None)` (cumulative moving average) produces negative running_var after many steps.",
    ),
    (
        "torch.amp",
        "GradScaler.unscale_ called twice gives confusing error",
        "```python\nscaler = torch.amp.GradScaler('cuda')\nscaler.unscale_(opt)\nscaler.unscale_(opt)\n```\n"
        + tb(
            ("torch/amp/grad_scaler.py", 335, "unscale_"),
            error="RuntimeError: unscale_() has already been called on this optimizer since the last update().",
        ),
    ),
    (
        "torch.cuda",
        "torch.cuda.memory_allocated reports 0 after torch.cuda.set_per_process_memory_fraction",
        "Calling `torch.cuda.memory_allocated()` right after allocating returns 0; looks like torch/cuda/memory.py reads the wrong device index.",
    ),
    (
        "torch.utils.checkpoint",
        "torch.utils.checkpoint with use_reentrant=False breaks with kwargs",
        tb(
            ("torch/utils/checkpoint.py", 495, "checkpoint"),
            ("torch/utils/checkpoint.py", 1480, "_checkpoint_without_reentrant_generator"),
            error="TypeError: forward() got an unexpected keyword argument 'mask'",
        ),
    ),
    (
        "torch.testing",
        "assert_close error message shows wrong index for complex tensors",
        "`torch.testing.assert_close(a, b)` with complex inputs reports the greatest absolute difference at the wrong index.",
    ),
    (
        "torch.functional",
        "torch.stft with center=False and return_complex=False warns twice",
        "```python\nspec = torch.stft(x, n_fft=400, center=False, return_complex=False)\n```\nemits the deprecation warning twice.",
    ),
    (
        "torch.hub",
        "torch.hub.load ignores trust_repo=True for forks",
        "`torch.hub.load('user/repo:branch', 'model', trust_repo=True)` still prompts. The check in torch/hub.py compares the wrong owner.",
    ),
    (
        "torch.ao.quantization",
        "quantize_dynamic skips nn.LSTM with proj_size",
        "```python\nfrom torch.ao.quantization import quantize_dynamic\nq = quantize_dynamic(model, {nn.LSTM}, dtype=torch.qint8)\n```\nLSTM with proj_size>0 stays float.",
    ),
    (
        "torch.profiler",
        "torch.profiler.profile with record_shapes misses shapes for nested tensors",
        "Using `with torch.profiler.profile(record_shapes=True) as prof:` the Input Shapes column is empty for nested tensors.",
    ),
    (
        "torch.nn.init",
        "nn.init.trunc_normal_ ignores generator argument",
        "`torch.nn.init.trunc_normal_(w, std=0.02, generator=g)` gives different values for the same seed.",
    ),
    (
        "torch.optim.adamw",
        "AdamW weight_decay applied twice when maximize=True",
        "```python\nopt = torch.optim.AdamW(params, lr=1e-3, weight_decay=0.1, maximize=True)\n```\nThe decay step in torch/optim/adamw.py runs before and after the update.",
    ),
    (
        "torch.utils.cpp_extension",
        "cpp_extension.load_inline fails when the build directory contains spaces",
        tb(
            ("torch/utils/cpp_extension.py", 1950, "load_inline"),
            ("torch/utils/cpp_extension.py", 2390, "_write_ninja_file_and_build_library"),
            error="subprocess.CalledProcessError: Command '['ninja', '-v']' returned non-zero exit status 1.",
        ),
    ),
    (
        "torch.nn.modules.activation",
        "nn.MultiheadAttention need_weights=False still returns averaged weights",
        "```python\nmha = nn.MultiheadAttention(64, 8, batch_first=True)\nout, w = mha(q, k, v, need_weights=False)\n```\n`w` is not None.",
    ),
    (
        "torch.sparse",
        "torch.sparse.mm backward fails for COO @ dense with requires_grad",
        "```python\nout = torch.sparse.mm(s, d)\nout.sum().backward()\n```\nraises `RuntimeError: sparse_coo doesn't have strides`.",
    ),
]


@pytest.fixture(scope="module")
def torch_map(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CodeMap]:
    source = torch_source()
    if source is None:
        pytest.skip("torch is not installed (pip install torch==2.13.0)")
    work = tmp_path_factory.mktemp("torch-tree")
    repo = make_torch_repo(work / "pytorch", source, history=False)
    from mapfixtures import map_code

    home = work / "home"
    paths = Paths(cache=home / "cache", data=home / "data", config=home / "config")
    yield map_code("pytorch/pytorch", paths, checkout=repo)
    shutil.rmtree(work, ignore_errors=True)  # some 300 MB, kept by pytest until the session ends


def _issue(number: int, title: str, body: str) -> Issue:
    return Issue(
        repo="pytorch/pytorch",
        number=number,
        title=title,
        body=body,
        state="open",
        labels=[],
        assignees=[],
        author="reporter",
        comments=0,
        reactions=0,
        created_at="2026-01-01T00:00:00Z",
        updated_at="2026-01-01T00:00:00Z",
        closed_at=None,
        url="",
    )


def _hit(expected: str, names: list[str], areas: list[str]) -> bool:
    return any(n == expected or n.startswith(expected + ".") for n in names) or expected in areas


def test_torch_issues_map_mostly_right(torch_map: CodeMap) -> None:
    # Speed is measured by bench/bench_mapping.py and bench/bench_plan.py, not here.
    issues = [_issue(n, title, body) for n, (_, title, body) in enumerate(ISSUES, 1)]
    index = build_index(torch_map)
    results = [map_issue_to_modules(issue, torch_map, [], index=index) for issue in issues]
    misses = []
    for (expected, title, _), matches in zip(ISSUES, results, strict=True):
        names = [m.name for m in matches[:3]]
        areas = [a for a, _ in rank_areas(matches, torch_map)[:3]]
        if not _hit(expected, names, areas):
            misses.append(f"{expected}: {title[:50]} -> {names}")
    share = 1 - len(misses) / len(ISSUES)
    assert share >= TOP3_FLOOR, "\n".join(misses)
    assert all(0 < m.score <= 1 for r in results for m in r)


def test_torch_symbols_resolve_through_reexports(torch_map: CodeMap) -> None:
    issue = _issue(
        1,
        "nn.Conv2d and F.interpolate",
        "torch.linalg.svd(x); nn.Conv2d(3, 8, 3); F.interpolate(x)",
    )
    names = {m.name for m in map_issue_to_modules(issue, torch_map, [], limit=10)}
    assert {"torch.nn.modules.conv", "torch.nn.functional"} <= names
