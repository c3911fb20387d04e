"""Open issues for huggingface/accelerate and tinygrad/tinygrad, served by the loopback
GitHub server to the slow plan tests over the pinned sdists (tests/sdist_trees.py).

They are written in the shape of each tracker's real issues: titles and short paraphrases
of reports filed against these libraries (several accelerate ones are in
bench/mapping_set/accelerate.jsonl), naming files and functions as they are in accelerate
1.2.1 and tinygrad 0.10.0. Each set has docs, tests and typing work, small and real bugs
(some with tracebacks through the library's files), features, and work that is never a
step: tracking issues, questions, RFCs, reports waiting for a reproduction, and
hardware-bound bugs (multi-node, multi-GPU, MPS, XPU, ROCm). Ages are relative to `now`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Report:
    title: str
    body: str
    labels: tuple[str, ...] = ()
    age: int = 20  # days since it was opened
    never_step: str = ""  # the kind that keeps it out of every plan ("" when it may be a step)


def traceback(site: str, *frames: tuple[str, int, str], error: str) -> str:
    """A pasted Python traceback through the installed library under `site`."""
    lines = ["```", "Traceback (most recent call last):", '  File "train.py", line 31, in <module>']
    for path, line, func in frames:
        lines += [f'  File "{site}/{path}", line {line}, in {func}', "    ..."]
    return "\n".join([*lines, error, "```"])


ACCELERATE = "huggingface/accelerate"
ACCELERATE_SITE = "/usr/local/lib/python3.11/site-packages"
ACCELERATE_LABELS = [
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("feature request", "c5def5", "Request for a new feature to be added to Accelerate"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("big model inference", "1d76db", "Relates to the big model inference capabilities"),
    ("needs more info", "fbca04", ""),
    ("question", "d876e3", "Further information is requested"),
]  # fmt: skip


def _acc_bug(describe: str, trace: str = "") -> str:
    """accelerate's bug template: system info (an environment), then the reproduction."""
    parts = ["### System Info", "", "```", "- `Accelerate` version: 1.2.1", "- Platform: Linux",
             "- Python version: 3.11.9", "```", "", "### Reproduction", "", describe]  # fmt: skip
    if trace:
        parts += ["", trace]
    return "\n".join([*parts, "", "### Expected behavior", "", "No error."])


def _acc_trace(*frames: tuple[str, int, str], error: str) -> str:
    return traceback(ACCELERATE_SITE, *frames, error=error)


ACCELERATE_ISSUES: list[Report] = [
    # docs, tests, typing
    Report("Docstring of `Accelerator.skip_first_batches` does not say the returned dataloader only skips once", "The docstring in src/accelerate/accelerator.py should say that the dataloader returned by `skip_first_batches` skips batches only in its first iteration.", ("documentation", "good first issue"), age=6),
    Report("Typo in `find_executable_batch_size` docstring: 'exectuable'", "src/accelerate/utils/memory.py, in the docstring of `find_executable_batch_size`.", ("documentation", "good first issue"), age=9),
    Report("Document that `set_seed(device_specific=True)` adds the process index to the seed", "The docstring of `set_seed` in src/accelerate/utils/random.py does not explain `device_specific`.", ("documentation",), age=14),
    Report("Add unit tests for `pad_across_processes` with `pad_first=True`", "tests/test_utils.py covers `pad_across_processes` only with the default `pad_first=False`.", ("good first issue",), age=11),
    Report("Type hints for `patch_environment` and `clear_environment`", "src/accelerate/utils/environment.py: both context managers are unannotated, so mypy sees `Any`.", ("good first issue",), age=17),
    # small and real bugs
    Report("`accelerate.utils.pad_across_processes` does not support negative `dim` argument", _acc_bug("`pad_across_processes(t, dim=-1)` pads the wrong dimension: `dim` is used as an index into the size list without being normalised.", _acc_trace(("accelerate/accelerator.py", 2593, "pad_across_processes"), ("accelerate/utils/operations.py", 681, "pad_across_processes"), error="IndexError: list index out of range")), ("bug",), age=12),
    Report("patch_environment does not revert previously existing keys", _acc_bug("Inside `with patch_environment(FOO='x')` an existing `FOO` is overwritten, and on exit it is deleted instead of restored (src/accelerate/utils/environment.py)."), ("bug",), age=21),
    Report("Calling infer_auto_device_map() with max_memory=None throws an error in version 1.2.0", _acc_bug("`infer_auto_device_map(model)` now fails when `max_memory` is not given.", _acc_trace(("accelerate/utils/modeling.py", 1380, "infer_auto_device_map"), ("accelerate/utils/modeling.py", 1005, "get_balanced_memory"), error="TypeError: 'NoneType' object is not subscriptable")), ("bug", "big model inference"), age=5),
    Report("`find_tied_parameters` miss tied parameters", _acc_bug("When the tied weight lives in a submodule registered twice, `find_tied_parameters` in src/accelerate/utils/modeling.py returns an empty list."), ("bug", "big model inference"), age=33),
    Report("`FileNotFoundError` from `load_state` caused the `input_dir` is joined twice", _acc_bug("With `ProjectConfiguration(automatic_checkpoint_naming=True)`, `accelerator.load_state('ckpt/checkpoint_0')` joins the project dir twice.", _acc_trace(("accelerate/accelerator.py", 3190, "load_state"), ("accelerate/checkpointing.py", 224, "load_accelerator_state"), error="FileNotFoundError: [Errno 2] No such file or directory: 'out/checkpoints/out/checkpoints/checkpoint_0/model.safetensors'")), ("bug",), age=27),
    Report("Permanent Skipping of Batches with `accelerator.skip_first_batches`", _acc_bug("After resuming, every later epoch also skips the first batches: `skip_first_batches` in src/accelerate/data_loader.py keeps the skip count on the sampler."), ("bug",), age=40),
    Report("failed to run accelerate config in colab", _acc_bug("`!accelerate config` in a Colab cell fails: the interactive menu in src/accelerate/commands/menu needs a terminal.", _acc_trace(("accelerate/commands/config/cluster.py", 57, "get_cluster_input"), ("accelerate/commands/menu/selection_menu.py", 131, "run"), error="termios.error: (25, 'Inappropriate ioctl for device')")), ("bug",), age=55),
    Report("`Accelerator.reduce` with reduction='mean' divides by the number of processes twice", _acc_bug("`reduce` in src/accelerate/utils/operations.py divides after the all_reduce, and `Accelerator.reduce` scales again."), ("bug",), age=23),
    Report("`LocalSGD` does not average parameters when gradient accumulation is on", _acc_bug("`LocalSGD.step` in src/accelerate/local_sgd.py counts micro-steps, so `_sync_and_avg_model_params` runs too rarely across processes."), ("bug",), age=29),
    Report("`WandBTracker.log_images` ignores the `step` argument", _acc_bug("src/accelerate/tracking.py passes `**kwargs` but drops `step`, so images land on the wrong step."), ("bug", "good first issue"), age=13),
    Report("`accelerate estimate-memory` fails for models that need `trust_remote_code`", _acc_bug("", _acc_trace(("accelerate/commands/estimate.py", 96, "create_empty_model"), error="ValueError: Loading this model requires you to execute custom code")), ("bug",), age=37),
    # features
    Report("[Feature Request] Allows register custom trackers to internal tracker type registry", "### Feature request\n\nLet users register their own `GeneralTracker` subclasses by name in src/accelerate/tracking.py, so `log_with='mytracker'` works.", ("feature request",), age=50),
    Report("split_between_processes support for Datasets", "### Feature request\n\n`PartialState.split_between_processes` (src/accelerate/state.py) accepts lists, tuples, dicts and tensors; support `datasets.Dataset` too.", ("enhancement", "feature request"), age=60),
    # never steps
    Report("Tracking issue: Python 3.13 support", "This issue tracks what is left for 3.13.\n\n- [ ] CI matrix\n- [ ] torch 2.5 wheels\n- [ ] deepspeed import guard", (), age=90, never_step="tracking"),
    Report("How to use gather_for_metrics with uneven batches in evaluation?", "My eval set is not a multiple of the batch size. Should I call `gather_for_metrics` or `gather`?", (), age=4, never_step="question"),
    Report("[RFC] Deprecate `dispatch_batches` and `split_batches` arguments of `Accelerator`", "Both already live in `DataLoaderConfiguration`; propose removing them from `Accelerator.__init__` in 2.0.", ("enhancement",), age=30, never_step="rfc"),
    Report("accelerate launch hangs with a custom dataloader after upgrade", "Training hangs after the first step. No script to share yet.", ("bug", "needs more info"), age=8, never_step="needs-repro"),
    Report("Muti node CUDA error: invalid device ordinal", _acc_bug("Two nodes of 4 GPUs each launched through SLURM with `accelerate launch --num_machines 2`; the second node fails in `PartialState.__init__`.", _acc_trace(("accelerate/state.py", 240, "__init__"), error="RuntimeError: CUDA error: invalid device ordinal")), ("bug",), age=15, never_step="hardware"),
    Report("FSDP `load_state` fails with `KeyError: 'lm_head.weight'` for tied embeddings", _acc_bug("With FULL_STATE_DICT and tied embeddings, resuming fails.", _acc_trace(("accelerate/accelerator.py", 3232, "load_state"), ("accelerate/utils/fsdp_utils.py", 160, "load_fsdp_model"), error="KeyError: 'lm_head.weight'")), ("bug",), age=7, never_step="hardware"),
    Report("BFloat16 is not supported on MPS", _acc_bug("`Accelerator(mixed_precision='bf16')` on an M2 Mac raises in src/accelerate/state.py."), ("bug",), age=45, never_step="hardware"),
    Report("get_max_memory() returns allocated memory for XPU instead of total device memory", _acc_bug("On an Intel XPU, `get_max_memory` in src/accelerate/utils/modeling.py reports what is allocated, not the device's capacity."), ("bug",), age=19, never_step="hardware"),
]  # fmt: skip


TINYGRAD = "tinygrad/tinygrad"
TINYGRAD_SITE = "/home/user/tinygrad"
TINYGRAD_LABELS = [
    ("bounty", "0e8a16", "Cash bounty for this"),
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("question", "d876e3", "Further information is requested"),
]


def _tg_trace(*frames: tuple[str, int, str], error: str) -> str:
    return traceback(TINYGRAD_SITE, *frames, error=error)


TINYGRAD_ISSUES: list[Report] = [
    # docs, tests, typing
    Report("docs: `Tensor.pad` docstring example shows the padding tuple in the wrong order", "The example in tinygrad/tensor.py pads the last axis with `(1, 2)` but the printed output pads it with `(2, 1)`.", ("documentation",), age=5),
    Report("Typo in the `Tensor.scaled_dot_product_attention` docstring: 'dropout_p' described as 'drop probabilty'", "tinygrad/tensor.py.", ("documentation",), age=9),
    Report("test_ops.py: add a test for `Tensor.repeat_interleave` with dim=None", "test/test_ops.py only tests `repeat_interleave` along an axis; the flattening path is untested.", (), age=13),
    Report("mypy: `Tensor.tolist` return annotation is too narrow for nested lists", "`Tensor.tolist` in tinygrad/tensor.py is annotated `Union[Sequence[ConstType], ConstType]`; nested lists need a recursive type.", (), age=22),
    # small and real bugs
    Report("`Tensor.interpolate` with mode='nearest' and align_corners=True fails with an assertion", "```python\nfrom tinygrad import Tensor\nTensor.rand(1, 1, 4, 4).interpolate((8, 8), mode='nearest', align_corners=True)\n```\n\n" + _tg_trace(("tinygrad/tensor.py", 2291, "interpolate"), error="AssertionError: align_corners option can only be set with the interpolating mode linear"), ("bug",), age=10),
    Report("`safe_load` fails on a safetensors file with an empty metadata header", _tg_trace(("tinygrad/nn/state.py", 34, "safe_load"), ("tinygrad/nn/state.py", 18, "safe_load_metadata"), error="json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)"), ("bug",), age=16),
    Report("`torch_load` can't load checkpoints saved with `_use_new_zipfile_serialization=False`", _tg_trace(("tinygrad/nn/state.py", 205, "torch_load"), error="AssertionError: unknown torch pickle format"), ("bug",), age=30),
    Report("`Tensor.cumsum` on a zero-length axis returns a tensor of the wrong shape", "`Tensor.zeros(0, 3).cumsum(0).shape` is `(1, 3)`; torch gives `(0, 3)` (tinygrad/tensor.py `cumsum`).", ("bug",), age=18),
    Report("`sparse_categorical_crossentropy` ignores ignore_index when label_smoothing > 0", "The smoothing term in tinygrad/tensor.py averages over all positions, including ignored ones.", ("bug",), age=24),
    Report("`Tensor.split` with sizes that do not sum to the dimension gives an unhelpful error", _tg_trace(("tinygrad/tensor.py", 1335, "split"), error="AssertionError"), (), age=12),
    Report("`Adam` step fails when a parameter has no gradient", _tg_trace(("tinygrad/nn/optim.py", 31, "step"), ("tinygrad/nn/optim.py", 41, "schedule_step"), error="AttributeError: 'NoneType' object has no attribute 'contiguous'"), ("bug",), age=35),
    Report("`get_state_dict` returns duplicate keys for a model holding the same layer twice", "tinygrad/nn/state.py `get_state_dict` walks `__dict__` recursively and lists shared tensors under both names; `load_state_dict` then loads them twice.", ("bug",), age=31),
    Report("`TinyJit` silently reuses a stale kernel when the input shape changes", _tg_trace(("tinygrad/engine/jit.py", 222, "__call__"), error="AssertionError: args mismatch in JIT"), ("bug",), age=19),
    Report("CLANG backend: compile error for `Tensor.where` with a bool constant", _tg_trace(("tinygrad/runtime/ops_clang.py", 10, "compile"), ("tinygrad/device.py", 182, "compile_cached"), error="tinygrad.device.CompileError: error: use of undeclared identifier 'True'"), ("bug",), age=14),
    # features and performance
    Report("Add `Tensor.trace()`, matching torch.trace", "Sum of the main diagonal of a 2-D tensor, in tinygrad/tensor.py next to `diagonal`.", (), age=20),
    Report("Add `Tensor.sort` and `Tensor.topk`", "Needed for the llama sampling example; tinygrad/tensor.py has `argmax` but no sort.", ("bounty",), age=70),
    Report("Beam search in tinygrad/engine/search.py is 3x slower since the scheduler refactor", "BEAM=2 on the CLANG backend: 41 s before, 130 s after.", (), age=26),
    # never steps
    Report("ONNX op coverage tracking issue", "This issue tracks ONNX ops still missing in extra/onnx.py.\n\n- [ ] Einsum with ellipsis\n- [ ] NonMaxSuppression\n- [ ] RoiAlign", (), age=200, never_step="tracking"),
    Report("How do I run tinygrad on a Raspberry Pi?", "Which backend should I use, and is there a guide?", ("question",), age=3, never_step="question"),
    Report("[RFC] Replace ShapeTracker views with symbolic index expressions", "Proposal: drop tinygrad/shape/view.py in favour of UOp index expressions; needs a decision before code.", (), age=40, never_step="rfc"),
    Report("METAL: `Tensor.numpy()` returns zeros on an M1 Mac after `realize`", _tg_trace(("tinygrad/tensor.py", 312, "numpy"), error="AssertionError: arrays are not equal"), ("bug",), age=8, never_step="hardware"),
    Report("AMD: HSA_STATUS_ERROR during multi-GPU training on 6 MI300X", "`python examples/beautiful_mnist.py` with GPUS=6 dies in tinygrad/runtime/ops_amd.py.", ("bug",), age=6, never_step="hardware"),
]  # fmt: skip


def serve_issues(
    dataset: Any, repo: str, labels: list[tuple[str, str, str]], issues: list[Report], now: datetime
) -> dict[str, int]:
    """Load the repository, its labels and its open issues into a ghserver Dataset;
    returns {title: issue number}."""
    dataset.add_repo(repo, description=f"{repo} (sdist test)", language="Python")
    for name, color, description in labels:
        dataset.add_label(repo, name, color, description)
    numbers = {}
    for n, item in enumerate(issues):
        created = (now - timedelta(days=item.age)).strftime("%Y-%m-%dT%H:%M:%SZ")
        numbers[item.title] = dataset.add_issue(
            repo, item.title, body=item.body, user=f"user{n}", labels=list(item.labels),
            created_at=created,
        )  # fmt: skip
    return numbers
