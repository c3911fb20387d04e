"""Issue kinds, the repositories' own label vocabularies, stage rules and re-planning: the
classifier on real issue titles, then `prready plan pytorch/pytorch` through the CLI
against the loopback GitHub server with PyTorch's label mix (most issues carry only
`triaged` and `module: *`), on a small torch-shaped git repository built in tmp_path."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from prready.analysis.difficulty import change_kind
from prready.analysis.kinds import classify_issue, parse_hardware, set_aside_reason
from prready.analysis.labels import classify_labels, default_scope, label_traits
from prready.cli import cli
from prready.code_models import HistoryCommit
from prready.errors import UsageError
from prready.models import Issue
from prready.render.advice import PLAN_FLAGS
from prready.sources.git_repo import build_repo

REPO = "pytorch/pytorch"
EPOCH = "1798761600"  # 2027-01-01: SOURCE_DATE_EPOCH for byte-identical runs


def issue(title: str, labels: tuple[str, ...] = (), body: str = "", repo: str = REPO) -> Issue:
    return Issue(repo, 1, title, body, "open", list(labels), [], "someone", 0, 0, "", "", None, "")


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("General MPS op coverage tracking issue", "tracking"),
        ("torch.special tracking issue", "tracking"),
        ("Python/C++ API parity master tracking task", "tracking"),
        ("About the use of gather to compute metrics", "question"),
        (
            "What will happen if I use mix_precision but don't add accelerator.autocast()",
            "question",
        ),
        ("How to export a model with dynamic shapes?", "question"),
        ("[RFC] A new lazy tensor API", "rfc"),
        ("Diffusers Roadmap", "tracking"),  # diffusers #10152
        ("[Design Discussion] Modular pipelines", "rfc"),  # diffusers #6461's form
        ("Roadmap - `trl` 0.2", "tracking"),  # trl #64
        ("Array API support tracker", "tracking"),  # scipy-stubs #140
        ("META track `sample_weight` support for all estimators", "tracking"),  # sklearn
        ("Copy-on-Write follow-up overview issue", "tracking"),  # pandas #48998
        ("2.1.0 Release Candidate", "tracking"),  # xgboost #10356
        ("[RFC] TensorRT Model Optimizer - Product Roadmap", "tracking"),  # Model-Optimizer
        ("[Discussion] MXNet 2.0 Roadmap (was: APIs to break in 2.0)", "tracking"),  # mxnet
    ],
)
def test_titles_that_are_never_steps(title: str, kind: str) -> None:
    reason = set_aside_reason(classify_issue(issue(title)))
    assert reason is not None and reason[0] == kind
    assert "in the title" in reason[1] or "asks a question" in reason[1]


def test_a_github_tasklist_of_issues_tracks_work() -> None:
    # haystack's epics: a tasklist block whose items are issues of their own.
    body = "```[tasklist]\n### Tasks\n- [ ] https://github.com/o/r/issues/7526\n```"
    epic = classify_issue(issue("Release advanced RAG evaluation framework", (), body))
    assert epic.kinds["tracking"] == "the body holds a GitHub tasklist of issues"
    assert classify_issue(issue("Port components", ("Master Tracker",))).has("tracking")
    # A task list in a plain code block is not GitHub's tasklist.
    plain = classify_issue(issue("Crash in save", (), "```\n[tasklist]\n```\nTypeError: x"))
    assert "tracking" not in plain.kinds


def test_a_long_checklist_tracks_work_and_a_forms_checkboxes_do_not() -> None:
    tasks = "".join(f"- [ ] `{name}`\n" for name in ("Ridge", "Lasso", "SVC", "SGD", "PCA"))
    tracker = classify_issue(issue("Make all estimators use `_validate_params`", (), tasks))
    assert tracker.kinds["tracking"] == "the description lists 5 tasks to check off"
    form = (
        "- [x] I have searched the existing issues\n- [ ] The official example scripts\n"
        "- [x] My own modified scripts\n- [ ] An officially supported task\n"
        "- [x] My own task or dataset\n- [x] Make sure you read the docs\n\n"
        "### Reproduction\n`Trainer.train()` hangs after the first epoch.\n"
    )
    assert "tracking" not in classify_issue(issue("Trainer hangs after an epoch", (), form)).kinds
    four = "".join(f"- [ ] step {n}\n" for n in range(4))
    assert "tracking" not in classify_issue(issue("Add FP8 support", (), four)).kinds
    assert "tracking" not in classify_issue(issue("Release 1.2.0 breaks loading")).kinds


def test_bitsandbytes_and_zero_need_an_nvidia_gpu_outside_their_own_repositories() -> None:
    peft = "huggingface/peft"
    titled = classify_issue(issue("merge_adapter does not work with bitsandbytes 4bit", repo=peft))
    assert titled.hardware == {"cuda": "'bitsandbytes' in the title (it runs on NVIDIA GPUs)"}
    repro = "```python\nmodel = AutoModel.from_pretrained(name, load_in_4bit=True)\n```\nIt fails."
    quantized = classify_issue(issue("Cannot use prefix tuning on quantized Codellama", (), repro, peft))
    assert quantized.hardware == {
        "cuda": "'load_in_4bit=True' in the reproduction (it needs an NVIDIA GPU)"
    }
    assert "cuda" in classify_issue(issue("Apply Zero-3 and LoRA gives empty weights", repo=peft)).hardware
    # DeepSpeed's own issues about an import need no GPU; nor does a CPU title.
    own = issue("deepspeed.utils.logging: module has no attribute", repo="deepspeedai/DeepSpeed")
    assert classify_issue(own).hardware == {}
    cpu = issue("bitsandbytes CPU backend returns wrong values on CPU", repo=peft)
    assert "cuda" not in classify_issue(cpu).hardware


def test_a_label_asking_for_a_code_example_waits_for_a_reproduction() -> None:
    waiting = classify_issue(issue("Hotswap fails", ("needs-code-example",), repo="huggingface/diffusers"))
    assert set_aside_reason(waiting) is not None and "needs-repro" in waiting.kinds


def test_a_bug_seen_on_two_platforms_needs_neither() -> None:
    # flax #5148: "I get this error on both GCP TPU VMs and on MacOS" (an API error).
    both = "TypeError: jit() got an unexpected keyword argument.\n\nI get this error on both GCP TPU VMs and on MacOS."
    assert classify_issue(issue("`nnx.jit` doesn't work with Jax 0.8.2", (), both)).hardware == {}
    one = "It only fails on TPU v4 pods; CPU is fine."
    assert "tpu" in classify_issue(issue("`nnx.jit` fails", (), one)).hardware


def test_a_request_for_a_release_is_the_maintainers_task() -> None:
    for title in ("New pypi version please", "Please cut a new release", "Release new version to PyPI"):
        reason = set_aside_reason(classify_issue(issue(title)))
        assert reason is not None and "asks the maintainers for a release" in reason[1], title
    for title in ("New release breaks loading", "Create release workflow for ARM wheels",
                  "Make version check lazy"):  # fmt: skip
        assert set_aside_reason(classify_issue(issue(title))) is None, title


def test_a_description_that_asks_is_a_question_unless_the_title_says_it_broke() -> None:
    body = "Resuming works, but a killed trial restarts with new values. Is there a way of doing that?"
    asks = classify_issue(issue("Resume trial within a study with the original parameters", (), body))
    assert asks.kinds["question"] == "the description asks 'Is there a way of doing that?'"
    # (a question in a code block is the code's, and a title saying what broke is a bug)
    coded = "```python\n# can we avoid this?\nstudy.optimize(f)\n```\nThe values change."
    assert "question" not in classify_issue(issue("Resume trial with its values", (), coded)).kinds
    broke = classify_issue(issue("Early stopping does not work in cv", (), body))
    assert "question" not in broke.kinds and "bug" in broke.kinds


def test_kinds_avoid_false_positives_and_keep_evidence() -> None:
    # A 'roadmap' label marks planned work (a feature contributions are welcome on), and a
    # title merely using the word is no roadmap.
    planned = classify_issue(issue("Add LoRA support to the Flux pipeline", ("roadmap",)))
    assert set_aside_reason(planned) is None
    for about in (
        "Roadmap link in README is broken",
        "Update roadmap",
        "Typo in roadmap",
        "Roadmap?",
        "Broken link in the 2024 roadmap",
        "Missing entries in the docs roadmap",
        "Where can I find the roadmap",
        "Please add MoE support to the roadmap",
        "Mention JAX backend in roadmap",
        "[Website] Remove outdated items from the roadmap",
        "[Update] roadmap",
    ):
        reason = set_aside_reason(
            classify_issue(issue(about, (), "The roadmap page still lists last year's plans."))
        )
        assert reason is None, about
    gradients = classify_issue(issue("Fix tracking of gradients in hooks"))
    assert set_aside_reason(gradients) is None and "bug" in gradients.kinds
    how_bug = classify_issue(issue("How to avoid the crash in torch.save", ("bug",)))
    assert set_aside_reason(how_bug) is None and how_bug.kinds["bug"] == "label 'bug'"
    jit = classify_issue(issue("JIT produces bad output SDXL"))
    assert jit.kinds == {"bug": "'bad output' in the title"}
    node = classify_issue(issue("Multi-node training hangs at accelerator.prepare"))
    assert node.hardware == {"multi-node": "'Multi-node' in the title"} and "bug" in node.kinds
    mps = classify_issue(issue("General MPS op coverage tracking issue"))
    assert "mps" in mps.hardware
    assert classify_issue(issue("unfold with overlapping windows is slow")).hardware == {}
    assert "windows" in classify_issue(issue("torch.compile fails on Windows")).hardware
    # An environment section names CUDA and macOS without binding the issue to them.
    env = issue(
        "F.relu returns -0.0",
        ("bug",),
        "### 🐛 Describe the bug\n\nrelu(-0.0)\n\n### Versions\n\nCUDA used to build: 12.1\nOS: macOS 14",
    )
    assert classify_issue(env).hardware == {}
    # The machine the reporter tested on, and hardware named beside the CPU, bind nothing
    # (diffusers #838 "Tested on TPU v3-8.", jax #2899 "on CPU and TPU"); alone they do.
    for body in (
        "The latents stay 512. Tested on TPU v3-8.",
        "It returns 2147483647 on CPU and TPU.",
    ):
        assert classify_issue(issue("width is ignored", ("bug",), body)).hardware == {}, body
    tpu = classify_issue(issue("width is ignored", ("bug",), "It fails on TPU v4 only."))
    assert "tpu" in tpu.hardware
    only_there = classify_issue(
        issue("width is ignored", ("bug",), "Only fails when tested on TPU.")
    )
    assert "tpu" in only_there.hardware  # the bug's own condition, not the reporter's machine
    # macOS as the system a bug shows up on binds it to a Mac only when it is the one named
    # (XGBoost #3579 leaks memory "on Ubuntu and macOS"); MPS itself always binds.
    both = "Memory keeps growing until OutOfMemory errors, on Ubuntu and macOS."
    assert classify_issue(issue("hist + learning_rate decay memory usage", (), both)).hardware == {}
    only_mac = classify_issue(issue("Memory keeps growing", (), "Only on macOS 14, not elsewhere."))
    assert only_mac.hardware == {"mps": "'macOS' in the description"}
    assert classify_issue(issue("Crash on macOS and Linux with num_workers=2")).hardware == {}
    # ...nor in a line of versions, the reporter's machine (PyG #8480).
    versions = "Checks twice for a Tensor.\nPyG 2.4.0, PyTorch 2.1.0, macOS M1, Python 3.11."
    assert classify_issue(issue("EdgeStorage checks Tensor twice", (), versions)).hardware == {}
    mps_too = classify_issue(issue("Wrong result on MPS", (), "Fine on Linux CPU, wrong on mps."))
    assert mps_too.hardware == {"mps": "'MPS' in the title"}
    # accelerate's template opens with System Info; the reproduction after it still counts.
    slurm = issue(
        "Muti node CUDA error: invalid device ordinal",
        ("bug",),
        "### System Info\n\n- Platform: macOS\n\n### Reproduction\n\nTwo nodes through SLURM",
    )
    assert classify_issue(slurm).hardware == {
        "multi-node": "'SLURM' in the description",
        "cuda": "'CUDA' in the title",
    }
    # "GPU" alone means NVIDIA only when no other accelerator is named.
    amd = classify_issue(issue("AMD: HSA_STATUS_ERROR during multi-GPU training on 6 MI300X"))
    assert amd.hardware == {
        "multi-gpu": "'multi-GPU' in the title",
        "rocm": "'MI300X' in the title",
    }
    plain_gpu = classify_issue(issue("Tensor.sort gives wrong order on GPU"))
    assert plain_gpu.hardware == {"cuda": "'GPU' in the title"}
    assert classify_issue(issue("Add type hints to torch.fx", ("good first issue",))).kinds == {
        "tests": "'type hints' in the title"
    }
    # `typing.Generic` names Python's module in a runtime error (flax #1402): no typing chore.
    generic = issue(
        "Error when specifying type parameter of a nn.Module that inherits from typing.Generic"
    )
    assert classify_issue(generic).kinds == {"bug": "'Error' in the title"}
    assert change_kind(generic) == "code"
    assert change_kind(issue("Add typing to flax.struct")) == "typing"
    needs = classify_issue(issue("xlogy returns nan", ("bug", "needs reproduction")))
    assert set_aside_reason(needs) == (
        "needs-repro",
        "waits for a reproduction or more information from its reporter "
        "(label 'needs reproduction')",
    )


def test_hardware_named_in_passing_does_not_bind() -> None:
    # bitsandbytes #1995: a CPU bug whose body says "MPS is unaffected" and was filed from
    # a Mac: the title is about the CPU, so the body's devices are comparisons.
    cpu = issue(
        "quantize_blockwise / dequantize_blockwise produce incorrect results for non-contiguous"
        " CPU inputs (CPU follow-up to #1690)",
        (),
        "On the CPU backend `quantize_blockwise` silently returns wrong results for"
        " non-contiguous inputs (MPS is unaffected). bitsandbytes 0.50.0.dev0, macOS arm64.",
    )
    assert classify_issue(cpu).hardware == {}
    # Without the CPU title, the unaffected device is still not a need; the affected one is.
    triton = classify_issue(
        issue(
            "Triton 4-bit quantization stores absmax past the end of the tensor",
            (),
            "Works fine on MPS. In the Triton backend (XPU) each program stores 8 entries.",
        )
    )
    assert triton.hardware == {"xpu": "'XPU' in the description"}
    assert classify_issue(issue("Wrong result on ROCm, works fine on MPS")).hardware == {
        "rocm": "'ROCm' in the title"
    }
    # bitsandbytes #1775: a named NVIDIA GPU in the description is where the bug shows.
    t4 = issue(
        "version 0.48 is broken",
        (),
        "On a T4 GPU, all models that were quantized with earlier versions are broken.",
    )
    assert classify_issue(t4).hardware == {"cuda": "'On a T4 GPU' in the description"}
    # timm #1712: a parenthesised environment is not (`torch.autocast` is missing on any device).
    env = issue("Training does not start with --amp", (), "torch 1.9.1+cu102 (CUDA 10.2, T4 GPU)")
    assert classify_issue(env).hardware == {}
    # A launcher asked for several GPUs binds the issue to them (DeepSpeed #8084).
    launch = issue("zero.Init does not shard", (), "With `deepspeed --num_gpus 8` each rank OOMs.")
    assert classify_issue(launch).hardware == {"multi-gpu": "'--num_gpus 8' in the description"}
    assert classify_issue(issue("x", (), "deepspeed --num_gpus 1 train.py")).hardware == {}
    # ...but a reproduction's device string still is not.
    repro = issue("xlogy returns nan", (), 'x = torch.ones(3, device="cuda")')
    assert classify_issue(repro).hardware == {}
    # A setup report under its template's heading is the reporter's cluster, not the bug's
    # (DeepSpeed's "ds_report output in SLURM").
    report = issue(
        "save_checkpoint fails",
        (),
        "Saving fails with `KeyError: 'module'`.\n\n**ds_report output in SLURM**\n```\n"
        "DeepSpeed C++/CUDA extension op report\ncpu_adam ...... [NO] ...... [OKAY]\n```\n\n"
        "**Expected behavior**\nIt saves.\n",
    )
    assert classify_issue(report).hardware == {}


@pytest.mark.parametrize(
    ("title", "body", "needs"),
    [
        # Broken on the hardware named: still bound (a review found these unbound).
        ("Model does not work on MPS", "", {"mps"}),
        ("torch.compile doesn't work with ROCm", "", {"rocm"}),
        ("Results are not correct on MPS", "", {"mps"}),
        ("NaN loss on MPS while CPU works fine", "", {"mps"}),
        ("Wrong output on XPU but CUDA works fine", "", {"xpu"}),
        ("x", "It no longer works on MPS since 2.1.", {"mps"}),
        ("Segfault on macOS 14.2 with torch 2.2", "", {"mps"}),
        ("x", "Only on macOS 14.1 with python 3.11 installed", {"mps"}),
        ("cpu-offload with ZeRO-3 diverges", "deepspeed --num_gpus 8 train.py", {"multi-gpu"}),
        # A count of GPUs in the description (DeepSpeed #5819, #5250, trl #3008, #3157).
        ("x", "With ZeRO stage 3 on 4 GPUs the loss diverges.", {"multi-gpu"}),
        ("x", "Training on 2 v100 gpus hangs.", {"multi-gpu", "cuda"}),
        ("x", "A run on 2 x A100 (80GB) with use_vllm=True fails.", {"multi-gpu"}),
        ("x", "On a node with two GPUs the run blocks forever.", {"multi-gpu"}),
        ("x", "The 2 x 3 matrix is transposed; 1 GPU only.", set()),
        ("x", "Training fails on 24GB GPUs and A100 80GB GPUs alike.", set()),
        ("x", "Training on 4 RTX 3090 GPUs diverges.", {"multi-gpu", "cuda"}),
        ("Illegal Memory Access", "Errors from my own MessagePassing layers.", {"cuda"}),
        # A form's machine, inline or as a section (timm's **Desktop**): never binds.
        ("resize_pos_embed fails", "Shapes differ.\n**Desktop:** kaggle tpu env\n", set()),
        # Named as unaffected: not bound.
        ("x", "Crashes on ROCm 6.0. Works fine on an A100 GPU.", {"rocm"}),
        ("x", "It works on a T4 GPU but not on CPU", set()),
        ("Fails on CUDA, not on MPS", "", {"cuda"}),
    ],
)
def test_hardware_broken_or_unaffected(title: str, body: str, needs: set[str]) -> None:
    assert set(classify_issue(issue(title, (), body)).hardware) == needs


@pytest.mark.parametrize(
    ("title", "body", "kinds"),
    [
        # An exception's name, or a quoted error, says bug (trl #2445, #1642; peft #3158).
        (
            "TypeError: DPOTrainer.log() takes 2 positional arguments but 3 were given",
            "It happens every time.",
            {"bug"},
        ),
        ("ImportError when importing DPOConfig", "Since 0.9.", {"bug"}),
        (
            "DPO for T5",
            "It stops with\n```\nAttributeError: 'tuple' object has no attribute\n```",
            {"bug"},
        ),
        # What went wrong, in the title's own words (the set's unlabelled reports).
        (
            "Params4bit.to does not move quant_state.code",
            "`np.einsum('...ij,...j', x, y)` has the wrong shape.",
            {"bug"},
        ),
        (
            "unexpected behaviour of np.broadcast_to",
            "`np.einsum('...ij,...j', x, y)` has the wrong shape.",
            {"bug"},
        ),
        (
            "HyperbandPruner incorrectly assumes it is the only pruner",
            "It happens every time.",
            {"bug"},
        ),
        (
            "einsum broadcasting failure",
            "`np.einsum('...ij,...j', x, y)` has the wrong shape.",
            {"bug"},
        ),
        (
            "tqdm_logger doesn't take epoch_length into account",
            "`np.einsum('...ij,...j', x, y)` has the wrong shape.",
            {"bug"},
        ),
        # Not every word of the kind: a mirror is no error.
        ("Mirror the hub's cache layout", "x", set()),
        # Nothing beyond its title (timm #1820, DeepSpeed #3257's empty form): set aside.
        ("[BUG]inference Bug", "", {"bug", "needs-repro"}),
        ("[BUG] DPO crash", "https://colab.research.google.com/drive/1abcDEF", {"bug"}),
        (
            "Hi,",
            "<!--\nA clear description of the bug.\n-->\n### System Info\ntorch 2.1",
            {"needs-repro"},
        ),
        # A maintainer's label, a request, or a title naming the error says enough.
        ("Add ONNX export", "", {"feature"}),
        ("KeyError: 'labels'", "", {"bug"}),
        (
            "[REQUEST]",
            "**Is your feature request related to a problem?**\n_No response_\n",
            {"feature"},
        ),
        # A title that says what is wrong, or a typo, needs no more words.
        ("TypeError: DPOTrainer.log() takes 2 positional arguments", "", {"bug"}),
        ("Add LoRA support to the Flux pipeline", "", {"feature"}),
        ("Typo", "", {"docs"}),
        # The RAPIDS tags: "[FEA]" a feature request, "[QST]" a question.
        ("[FEA] Filtered reading", "", {"feature"}),
        ("[FR] support batching rule for `while`", "", {"feature"}),
        ("[QST] Memory used by read_parquet", "", {"question"}),
        ("did the sampler has distributed version?", "", {"question"}),
        ("Has no attribute 'config' after upgrading?", "", set()),
        # Tagged a feature request by its reporter, however the description asks.
        (
            "FR: Add an equivalent to R's forecast.stlm",
            "How would one use its result for forecasting, as `forecast.stlm` does?",
            {"feature"},
        ),
    ],
)
def test_kinds_a_report_states_in_its_own_words(title: str, body: str, kinds: set[str]) -> None:
    assert set(classify_issue(issue(title, (), body)).kinds) == kinds


@pytest.mark.parametrize(
    ("title", "labels", "docs"),
    [
        # Real titles of issues whose fix changed only documentation (bench/docs_set/).
        ("Link broken in CONTRIBUTING.md", (), True),
        ("ROADMAP.MD not found", (), True),
        ("AWS YARN Guide is very very broken", (), True),
        ("Local CUDA install directions with pip missing alternative to symlink", (), True),
        ("Broken 0.8.0 linked nightly release URL", (), True),
        ("Links to some of the guides are broken", (), True),
        ("Fix Gradients accumulation example", (), True),
        ("Incorrect Code in Custom Diffusion Pipeline Example", (), True),
        ("Examples combining multiple files", (), True),
        ("Clarify how to specify monotonic constraints in docu", (), True),
        ("Estimator tags not in what's new", (), True),
        ("Add a FAQ entry for constrained optimization", (), True),
        # The trackers' own docs labels (optuna, onnx, Lightning).
        ("Remove `MOTOESampler` from the sampler list", ("document",), True),
        ("Some properties were removed from the code", ("topic: documentation",), True),
        ("Early stopping is disabled wrongly", ("typo",), True),
        # Code fixes (bench/mapping_set/): the repository's examples/ scripts, a URL the
        # code parses, a name holding "examples".
        ("example/wmt broken by passing dict as static arg to jitted function", (), False),
        ("Invalid Markdown URL causes a runtime crash", (), False),
        ("Add support for max_examples_per_shard", (), False),
        ("Bidirectional LSTM ignores the directions argument", (), False),
        # Bug titles with docs-like words (a download URL, link-time, the examples of a
        # dataset, an example script, an error message to reword).
        ("CIFAR10 download URL broken", (), False),
        ("Link-time optimization broken for CUDA extension", (), False),
        ("Fix num examples logged by Trainer", (), False),
        ("Example script run_clm.py raises ValueError", (), False),
        ("Fix example.py crash", (), False),
        ("Build steps fail on Windows with MSVC", (), False),
        ("Clarify error message for shape mismatch", (), False),
        # "documented" says so of the docs, not of the code's promise a bug report cites.
        ("read_avro ambiguously documented", (), True),
        ("Reduction modes not documented in the API reference", (), True),
        ("DDIMPipeline does not validate eta range despite documented constraint", (), False),
        ("Wrong link to the migration guide", (), True),
        ("Wrong results when linked against MKL", (), False),
        ("`max_length` documented incorrectly", (), True),
        ("Fix spelling mistakes", (), True),
        ("Correct grammar", (), True),
        ("Document `jax.lax` APIs", (), True),
        ("add detailed documents for beam search implementation", (), True),
        ("Loading documents fails in TextLoader", (), False),
    ],
)
def test_docs_work_is_named_by_its_page_links_guides_and_examples(
    title: str, labels: tuple[str, ...], docs: bool
) -> None:
    assert classify_issue(issue(title, labels)).has("docs") is docs
    if not labels:  # difficulty reads a docs title the same way: a docs change starts low
        assert (change_kind(issue(title)) == "docs") is docs


def test_hostile_titles_are_classified_in_linear_time() -> None:
    """Untrusted titles of 20,000 characters: the first docs-title pattern took 9-18 s on
    each (a file name's dotted parts tried from every word's start)."""
    import time

    for title in (
        *("a." * 10_000, "a-" * 10_000 + "!", "add " + "x-" * 10_000, "links, " * 3_000),
        *(" " * 20_000, "`" * 20_000, "- " * 10_000 + "?", "-" * 20_000, "roadmap " * 3_000),
    ):
        started = time.perf_counter()
        classify_issue(issue(title))
        assert time.perf_counter() - started < 2


def test_an_issue_of_no_known_kind_is_offered_to_the_code_stages() -> None:
    from prready.analysis.stage_rules import stage_rule
    from prready.models import Difficulty, IssueAssessment, TakenStatus

    report = issue("Cosine decay schedule and restarts", (), "The linked paper restarts it.")
    unknown = classify_issue(report)
    assert unknown.kinds == {}
    a = IssueAssessment(report, [], Difficulty(3, []), [], TakenStatus("fresh"), kinds=unknown)
    assert stage_rule(3, a, {}) == "" and stage_rule(4, a, {}) == ""
    assert stage_rule(1, a, {}) and stage_rule(2, a, {})


def test_vocabularies_of_the_major_ml_libraries() -> None:
    assert label_traits("module: bootcamp", REPO) == ("beginner",)
    assert label_traits("Good Second Issue", "huggingface/transformers") == ("welcome", "medium")
    assert label_traits("Good Difficult Issue", "huggingface/transformers") == ("welcome", "large")
    assert label_traits("New model", "huggingface/transformers") == ("feature", "large")
    assert label_traits("stat:contributions welcome", "keras-team/keras") == ("welcome",)
    assert label_traits("type:docs", "keras-team/keras") == ("docs",)
    assert label_traits("Easy", "scikit-learn/scikit-learn") == ("beginner", "small")
    assert label_traits("Hard", "scikit-learn/scikit-learn") == ("large",)
    assert label_traits("triage review", REPO) == ("rfc",)
    assert label_traits("oncall: distributed", REPO) == ("hardware:multi-gpu",)
    assert label_traits("module: mps", REPO) == ("hardware:mps",)
    # The config's [labels] table overrides, with traits as well as kinds.
    assert label_traits("module: metal", REPO, {"module: metal": "hardware:mps"}) == (
        "hardware:mps",
    )
    assert label_traits("needs-info", REPO, {"needs-info": "needs-repro"}) == ("needs-repro",)
    labels = classify_labels([name for name, _ in PYTORCH_LABELS], {}, REPO)
    assert set(default_scope(labels)) == {
        "good first issue", "module: bootcamp", "actionable", "small", "newcomer",
        "OSS contribution wanted", "bug", "feature", "enhancement", "module: docs",
        "module: typing", "module: tests", "large",
    }  # fmt: skip


def test_hardware_option_parses_aliases_and_rejects_typos() -> None:
    assert parse_hardware(["Apple,multi-node"]) == ["cuda", "mps", "multi-gpu", "multi-node"]
    with pytest.raises(UsageError, match="use some of: cuda"):
        parse_hardware(["cuda,quantum"])


# --------------------------------------------------------------------------- end to end
PYTORCH_LABELS = [
    ("good first issue", ""), ("module: bootcamp", ""), ("actionable", ""), ("small", ""),
    ("large", ""), ("newcomer", ""), ("OSS contribution wanted", ""), ("triaged", ""),
    ("needs reproduction", ""), ("triage review", ""), ("needs design", ""),
    ("high priority", ""), ("bug", ""), ("feature", ""), ("enhancement", ""),
    ("module: docs", ""), ("module: typing", ""), ("module: tests", ""), ("module: nn", ""),
    ("module: optimizer", ""), ("module: dataloader", ""), ("module: linear algebra", ""),
    ("module: mps", ""), ("oncall: distributed", ""), ("oncall: pt2", ""),
]  # fmt: skip

TRACE = (
    "```\nTraceback (most recent call last):\n"
    '  File "/site-packages/torch/optim/adam.py", line 223, in step\n'
    "KeyError: 'max_exp_avg_sq'\n```"
)
# (title, labels, body): PyTorch's mix: most carry only triaged and a module label.
ISSUES: list[tuple[str, tuple[str, ...], str]] = [
    ("Typo in torch.nn.functional.relu docstring", ("module: docs", "module: nn", "good first issue", "triaged"), "The docstring of `torch.nn.functional.relu` says *retruns*."),
    ("Docs for torch.optim.Adam do not mention amsgrad", ("module: docs", "module: optimizer", "triaged"), "torch/optim/adam.py docstring."),
    ("Missing type annotations for torch.utils.data.DataLoader.__len__", ("module: typing", "module: dataloader", "triaged"), "torch/utils/data/dataloader.py"),
    ("F.relu(inplace=True) on a leaf tensor gives an unhelpful error", ("module: nn", "actionable", "triaged"), "### 🐛 Describe the bug\n\n```python\nF.relu(x, inplace=True)\n```"),
    ("DataLoader raises an unclear error for a lambda collate_fn", ("module: dataloader", "small", "triaged"), "### 🐛 Describe the bug\n\n```python\nDataLoader(ds, collate_fn=lambda b: b)\n```"),
    ("Adam with amsgrad=True raises KeyError after load_state_dict", ("module: optimizer", "bug", "high priority", "triaged"), TRACE),
    ("torch.linalg.svd returns wrong U for rank-deficient input", ("module: linear algebra", "bug", "triaged"), "### 🐛 Describe the bug\n\n```python\ntorch.linalg.svd(A)\n```"),
    ("Conv2d with padding='same' gives wrong output for even kernels", ("module: nn", "OSS contribution wanted", "triaged"), "### 🐛 Describe the bug\n\n```python\nnn.Conv2d(3, 8, 4, padding='same')\n```"),
    ("Add a fused path to torch.optim.Adam for complex parameters", ("module: optimizer", "feature", "triaged", "large"), "### 🚀 The feature, motivation and pitch\n\ntorch/optim/adam.py and aten/src/ATen/native/cuda/FusedAdam.cu need a complex path; needs C++ and autograd work across torch.nn and torch.optim and torch.linalg."),
    ("Support complex inputs in torch.linalg.svd backward", ("module: linear algebra", "feature", "triaged"), "### 🚀 The feature, motivation and pitch\n\ntorch/linalg and aten/src/ATen/native/BatchLinearAlgebra.cpp: the C++ kernel lacks it."),
    ("General MPS op coverage tracking issue", ("module: mps", "triaged"), "This issue tracks ops missing on MPS.\n- [ ] a\n- [ ] b\n- [ ] c"),
    ("torch.special tracking issue", ("feature", "triaged"), "- [ ] xlogy\n- [ ] zeta\n- [ ] i0e"),
    ("About the use of gather to compute metrics", ("oncall: distributed",), "How should I use it?"),
    ("[RFC] A new lazy tensor API", ("feature", "needs design"), "Needs discussion."),
    ("torch.special.xlogy returns nan for x=0", ("bug", "needs reproduction"), "Maybe?"),
    ("MPS: F.interpolate gives wrong results for bicubic", ("module: mps", "bug", "triaged"), "### 🐛 Describe the bug\n\n```python\nF.interpolate(x.to('mps'))\n```"),
    ("Multi-node training hangs at init_process_group", ("oncall: distributed", "bug"), "### 🐛 Describe the bug\n\nhangs"),
    ("torch.nn.Linear is slow on CPU for small batches", ("module: nn", "triaged"), "profile attached"),
    ("torch.compile graph breaks on dict.setdefault", ("oncall: pt2", "triaged"), "graph break"),
]  # fmt: skip

FILES = {
    "torch/__init__.py": "from torch import nn, optim\n",
    "torch/nn/__init__.py": "from torch.nn import functional\nfrom torch.nn.modules.conv import Conv2d\n",
    "torch/nn/functional.py": "import torch\n\n\ndef relu(x, inplace=False):\n    return x\n",
    "torch/nn/modules/__init__.py": "",
    "torch/nn/modules/conv.py": "from torch.nn import functional as F\n\n\nclass Conv2d:\n    pass\n",
    "torch/nn/modules/linear.py": "class Linear:\n    pass\n",
    "torch/optim/__init__.py": "from torch.optim.adam import Adam\n",
    "torch/optim/adam.py": "import torch\n\n\nclass Adam:\n    def step(self):\n        pass\n",
    "torch/utils/__init__.py": "",
    "torch/utils/data/__init__.py": "from torch.utils.data.dataloader import DataLoader\n",
    "torch/utils/data/dataloader.py": "class DataLoader:\n    def __len__(self):\n        return 0\n",
    "torch/linalg/__init__.py": "def svd(A):\n    return A\n",
    "torch/special/__init__.py": "def xlogy(x, y):\n    return x\n",
    "aten/src/ATen/native/BatchLinearAlgebra.cpp": "// svd\nint svd() { return 0; }\n",
    "aten/src/ATen/native/cuda/FusedAdam.cu": "// fused adam\n",
    "test/test_nn.py": "import torch\n\n\ndef test_relu():\n    assert torch.nn.functional.relu\n",
    "test/test_optim.py": "import torch\n\n\ndef test_adam():\n    assert torch.optim.Adam\n",
}


def make_repo(tmp_path: Path) -> Path:
    root = tmp_path / "pytorch"
    build_repo(
        root,
        [
            HistoryCommit("Ada", "ada@example.org", "2026-06-01T10:00:00Z", "init", dict(FILES)),
            HistoryCommit(
                "Bob", "bob@example.org", "2026-09-01T10:00:00Z", "Fix relu (#5)",
                {"torch/nn/functional.py": FILES["torch/nn/functional.py"] + "# fixed\n"},
            ),
        ],
    )  # fmt: skip
    return root


def serve(dataset: Any, now: datetime) -> None:
    dataset.add_repo(REPO, description="Tensors and Dynamic neural networks", language="Python")
    for name, description in PYTORCH_LABELS:
        dataset.add_label(REPO, name, "ededed", description)
    for n, (title, labels, body) in enumerate(ISSUES):
        created = (now - timedelta(days=10 + n)).strftime("%Y-%m-%dT%H:%M:%SZ")
        dataset.add_issue(REPO, title, body=body, user=f"user{n}", labels=list(labels),
                          created_at=created)  # fmt: skip


@pytest.fixture
def world(github_server: Any, tmp_path: Path) -> dict[str, Any]:
    serve(github_server.dataset, datetime.now(timezone.utc))
    return {"server": github_server, "repo": make_repo(tmp_path), "tmp": tmp_path}


def plan(world: dict[str, Any], name: str, *extra: str, fmt: str = "json") -> tuple[Any, Path]:
    out = world["tmp"] / name
    args = [
        "plan", REPO, "--git-url", str(world["repo"]), "--api-url", world["server"].url,
        "--token", "x", "--format", fmt, "--output", str(out), *extra,
    ]  # fmt: skip
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result, out


def titles_by_stage(doc: dict[str, Any]) -> dict[int, list[str]]:
    return {s["number"]: [st["issue"]["title"] for st in s["steps"]] for s in doc["stages"]}


def test_default_scope_fills_four_stages_for_pytorch(world: dict[str, Any]) -> None:
    server = world["server"]
    sync = CliRunner().invoke(cli, ["sync", REPO, "--api-url", server.url, "--token", "x"])
    assert sync.exit_code == 0, sync.output
    # 13 of the 25 labels are in the default scope: repo + labels page + per label a walk
    # page and the ETag probe that makes the next sync free; and the token's login (/user),
    # which tracking asks for and the summary counts too.
    assert "13 queries, 29 requests, 0 unchanged (304)" in sync.output
    print(f"\ndefault-scope PyTorch sync: {server.count()} requests logged ({sync.output})")
    server.reset_log()
    result, out = plan(world, "plan.json", "--skills", "python,testing")
    doc = json.loads(out.read_text())
    stages = titles_by_stage(doc)
    assert all(stages[n] for n in (1, 2, 3, 4)), (stages, [s["note"] for s in doc["stages"]])
    # The re-sync inside `plan` cost no budget: every issue query was a 304.
    issue_queries = server.count(r"/issues$")
    assert issue_queries and server.count(r"/issues$", status=304) == issue_queries
    # Issues with only `triaged` and a module label were never fetched by default.
    fetched = {st["issue"]["title"] for s in doc["stages"] for st in s["steps"]}
    fetched |= {x["issue"]["title"] for x in doc["set_aside"]}
    assert "torch.compile graph breaks on dict.setdefault" not in fetched
    # Stage 1 holds docs/tests/typing or beginner work only; no step is set-aside work.
    for title in stages[1]:
        assert "Docs" in title or "docstring" in title or "type annotations" in title, title
    aside = {x["issue"]["title"]: x for x in doc["set_aside"]}
    for title in (
        "torch.special tracking issue", "[RFC] A new lazy tensor API",
        "torch.special.xlogy returns nan for x=0",
        "MPS: F.interpolate gives wrong results for bicubic",
        "Multi-node training hangs at init_process_group",
    ):  # fmt: skip
        assert title in aside, title
        assert not any(title in steps for steps in stages.values())
    assert aside["torch.special tracking issue"]["kind"] == "tracking"
    assert aside["[RFC] A new lazy tensor API"]["kind"] == "rfc"
    assert aside["torch.special.xlogy returns nan for x=0"]["kind"] == "needs-repro"
    assert "--hardware mps" in aside["MPS: F.interpolate gives wrong results for bicubic"]["reason"]
    levels = [[st["difficulty"]["score"] for st in s["steps"]] for s in doc["stages"]]
    for earlier, later in itertools.pairwise(levels):
        assert max(earlier) <= min(later), levels
    assert "Listed apart, never steps" in result.output
    listed = CliRunner().invoke(cli, ["issues", REPO, "--offline", "--format", "json"])
    kinds = {i["title"]: i for i in json.loads(listed.output)}
    assert kinds["torch.special tracking issue"]["kinds"]["tracking"] == (
        "'tracking issue' in the title"
    )
    assert kinds["Multi-node training hangs at init_process_group"]["hardware"]["multi-node"]


def test_hardware_brings_mps_work_back_and_max_difficulty_is_a_rule(
    world: dict[str, Any],
) -> None:
    _, out = plan(world, "mps.json", "--hardware", "mps", "--all-open")
    doc = json.loads(out.read_text())
    aside = {x["issue"]["title"]: x["kind"] for x in doc["set_aside"]}
    assert "MPS: F.interpolate gives wrong results for bicubic" not in aside
    assert aside["Multi-node training hangs at init_process_group"] == "hardware"
    # Every open issue fetched: the unlabelled question and the MPS tracker are listed apart.
    assert aside["About the use of gather to compute metrics"] == "question"
    assert aside["General MPS op coverage tracking issue"] == "tracking"
    steps = [st["issue"]["title"] for s in doc["stages"] for st in s["steps"]]
    assert not set(steps) & set(aside)
    assert doc["options"]["hardware"] == ["mps"]
    _, out = plan(world, "easy.json", "--max-difficulty", "3")
    doc = json.loads(out.read_text())
    last = doc["stages"][3]
    assert all(st["difficulty"]["score"] <= 3 for s in doc["stages"] for st in s["steps"])
    assert last["steps"] == [] and "--max-difficulty" in last["note"]
    assert not any("Docs" in st["issue"]["title"] for st in last["steps"])
    md = plan(world, "easy.md", "--max-difficulty", "3", fmt="md")[1].read_text()
    assert "No issue fits this stage: this stage needs difficulty 3-5" in md
    assert "## Listed apart" in md


def test_replan_follows_options_keeps_touched_steps_and_is_byte_identical(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = json.loads(plan(world, "a.json", "--skills", "python,testing")[1].read_text())
    again = plan(world, "b.json", "--skills", "python,testing")[1]
    assert again.read_bytes() == (world["tmp"] / "a.json").read_bytes()
    page1 = plan(world, "a.html", "--skills", "python,testing", fmt="html")[1].read_bytes()
    page2 = plan(world, "b.html", "--skills", "python,testing", fmt="html")[1].read_bytes()
    assert page1 == page2
    # Other options re-plan: nothing untouched is "kept from your earlier plan".
    other = json.loads(plan(world, "c.json", "--skills", "cpp,autograd", "--per-stage", "1")[1]
                       .read_text())  # fmt: skip
    assert not any("earlier plan" in w for s in other["stages"] for st in s["steps"]
                   for w in st["why"])  # fmt: skip
    assert titles_by_stage(other) != titles_by_stage(first)
    # A started step stays where the latest plan put it; --fresh lets it go.
    started = other["stages"][1]["steps"][0]["issue"]["number"]
    track = CliRunner().invoke(cli, ["track", f"{REPO}#{started}", "start"])
    assert track.exit_code == 0, track.output
    kept = json.loads(plan(world, "d.json", "--skills", "cpp,autograd")[1].read_text())
    assert kept["stages"][1]["steps"][0]["issue"]["number"] == started
    assert kept["options"]["pinned"] == [[2, started]]
    fresh = json.loads(plan(world, "e.json", "--skills", "cpp,autograd", "--fresh")[1].read_text())
    assert fresh["options"]["pinned"] == []


# --------------------------------------------------------------------------- rendering
def test_listed_apart_and_stage_notes_are_inert_in_every_output() -> None:
    import io
    from dataclasses import replace

    from prready.models import SetAside
    from prready.render.console import make_console
    from prready.render.html import render_html
    from prready.render.markdown import render_markdown
    from prready.render.terminal import render_plan_table
    from renderfixtures import NOW, XSS_FLAG, hostile_graph, hostile_plan

    plan = hostile_plan(n_labels=10)
    evil = f"<script>window.{XSS_FLAG}=1</script>\u202e\x1b[31m"
    victim = replace(plan.stages[0].steps[0].issue, title=f"How to {evil}?")
    plan.set_aside = [SetAside(victim, "question", f"the title asks a question {evil}")]
    plan.set_aside_total = 7
    plan.stages[3].steps, plan.stages[3].note = [], f"nothing fits {evil}"
    page = render_html(plan, [], [], hostile_graph(), NOW)
    assert page.count("<script") == 1
    assert "Listed apart" in page and "The first 1 of 7" in page
    assert "&lt;script&gt;window.__prready_pwned=1&lt;/script&gt;" in page
    assert "No issue fits this stage: nothing fits &lt;script&gt;" in page
    md = render_markdown(plan, [], [])
    apart = md[md.index("## Listed apart") :]
    assert "<script>" not in apart and "\u202e" not in apart and "\x1b" not in apart
    assert "No issue fits this stage: nothing fits" in md
    stream = io.StringIO()
    render_plan_table(plan, [], make_console(stream))
    text = stream.getvalue()
    assert "Listed apart, never steps: 7 issue(s)" in text and "... and 6 more" in text
    assert "\x1b" not in text and "\u202e" not in text


def test_config_profile_hardware_and_trait_overrides(tmp_path: Path) -> None:
    from prready.analysis.labels import validate_overrides
    from prready.config import load_config

    path = tmp_path / "config.toml"
    path.write_text(
        '[labels]\n"needs-info" = "needs-repro"\n"module: metal" = "hardware:mps"\n'
        '[profile]\nhardware = ["cuda", "mps"]\n'
    )
    cfg = load_config(path)
    assert cfg.hardware == ["cuda", "mps"]
    validate_overrides(cfg.labels)
    with pytest.raises(UsageError, match="hardware:NAME"):
        validate_overrides({"x": "hardware:quantum"})
    path.write_text('[profile]\nhardware = "cuda"\n')
    with pytest.raises(UsageError, match=r"profile\.hardware"):
        load_config(path)


def test_empty_stage_notes_name_the_cause() -> None:
    from planfixtures import LABELS, NOW, make_code_map, make_issue
    from prready.analysis.planner import assess_issues, make_plan

    code_map = make_code_map()
    issues = [
        make_issue(1, "Adam raises KeyError on MPS", "```python\nAdam(p).step()\n```", ("bug",)),
        make_issue(2, "Typo in the SGD docstring", "tinyml/optim/sgd.py", ("good first issue",)),
    ]
    assessments = assess_issues(issues, code_map, LABELS, {}, now=NOW)
    plan = make_plan("acme/tinyml", assessments, code_map, now=NOW, labels=LABELS,
                     stages=[3], wider_sync="run again with --all-open",
                     option_names=PLAN_FLAGS)  # fmt: skip
    assert plan.stages[0].steps == []
    assert "need hardware you did not list" in plan.stages[0].note
    assert "--hardware mps" in plan.stages[0].note
    mac = make_plan("acme/tinyml", assessments, code_map, now=NOW, labels=LABELS, stages=[3],
                    hardware=["mps"])  # fmt: skip
    assert [s.issue.number for s in mac.stages[0].steps] == [1]
    # No beginner, docs or tests work at all: say so, and where newcomers are pointed.
    bugs = [a for a in assessments if a.issue.number == 1]
    torch = make_plan("pytorch/pytorch", bugs, code_map, now=NOW, labels=LABELS, stages=[1],
                      wider_sync="run again with --all-open")  # fmt: skip
    note = torch.stages[0].note
    assert note.startswith("this repository has no open beginner issues")
    assert "'good first issue' or 'module: bootcamp'" in note and "--all-open" in note


def test_docs_work_is_set_aside_where_the_guide_closes_docs_prs() -> None:
    from prready.analysis.stage_rules import docs_work

    wrong_example = issue("docs: Tensor.pad example shows the wrong order", ("documentation",))
    assert docs_work(classify_issue(wrong_example))  # 'wrong' is a title word, docs a label
    labelled_bug = issue("Docstring of pad is wrong and pad crashes", ("documentation", "bug"))
    assert not docs_work(classify_issue(labelled_bug))
    assert not docs_work(classify_issue(issue("Add docs and an API for Tensor.pad", ("feature",))))
    assert not docs_work(classify_issue(issue("pad crashes on empty input", ("bug",))))
