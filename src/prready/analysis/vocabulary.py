"""What the major ML libraries' own labels mean: label traits (docs, question, needs-repro,
hardware:mps, ...) and where each repository's maintainers point newcomers. Data only;
prready.analysis.labels applies it. Keys are normalised label names (lowercase words
separated by single spaces, see labels.normalize_label)."""

from __future__ import annotations

# Hardware or environment an issue may need to reproduce or test, with the words the
# plan uses for it. The hardware option takes these keys (or an alias below).
HARDWARE = {
    "cuda": "an NVIDIA GPU (CUDA)",
    "rocm": "an AMD GPU (ROCm)",
    "mps": "a Mac (Apple silicon for MPS)",
    "xpu": "an Intel GPU (XPU)",
    "tpu": "a TPU (XLA)",
    "multi-gpu": "a machine with several GPUs",
    "multi-node": "a multi-node cluster",
    "windows": "a Windows machine",
}
HARDWARE_ALIASES = {
    "gpu": "cuda", "nvidia": "cuda", "apple": "mps", "mac": "mps", "macos": "mps",
    "metal": "mps", "amd": "rocm", "hip": "rocm", "intel": "xpu", "xla": "tpu",
    "multigpu": "multi-gpu", "multinode": "multi-node", "cluster": "multi-node",
    "win": "windows",
}  # fmt: skip
# Having the key means having these too: a multi-GPU box has CUDA, a cluster has both.
HARDWARE_IMPLIES = {"multi-gpu": ("cuda",), "multi-node": ("multi-gpu", "cuda")}
# Libraries that run on NVIDIA GPUs only in practice: bitsandbytes' 4- and 8-bit
# quantization (QLoRA) and DeepSpeed's ZeRO. An issue naming one needs CUDA, except in the
# library's own repository (by its name, forks included), where its name says nothing:
# DeepSpeed's issues about an import or a logging call need no GPU.
GPU_ONLY_LIBRARY_WORDS = r"bitsandbytes|bnb|q-?lora|deepspeed|zero-?[23]|zero\s+stage\s*[23]"
GPU_ONLY_LIBRARY_REPOSITORIES = frozenset({"bitsandbytes", "deepspeed"})

# Traits a label can carry. "beginner": maintainers mark it for newcomers; "welcome":
# outside contributions wanted (not necessarily easy); "small"/"medium"/"large": the
# maintainers' own size; the rest are issue kinds (prready.analysis.kinds).
TRAITS = frozenset(
    {
        "beginner", "welcome", "small", "medium", "large", "actionable", "bug", "feature",
        "docs", "tests", "performance", "tracking", "question", "rfc", "needs-repro",
    }
)  # fmt: skip

# Spellings shared across trackers (GitHub's defaults, PyTorch, transformers, JAX, Keras,
# scikit-learn, accelerate, tinygrad).
GENERIC: dict[str, tuple[str, ...]] = {
    # newcomers and contributions
    "good first issue": ("beginner", "small"),
    "good first bug": ("beginner", "small"),
    "good first pr": ("beginner", "small"),
    "good first contribution": ("beginner", "small"),
    "first timers only": ("beginner", "small"),
    "good for newcomers": ("beginner", "small"),
    "beginner": ("beginner",),
    "beginner friendly": ("beginner",),
    "newcomer": ("beginner",),
    "newcomers": ("beginner",),
    "starter": ("beginner",),
    "easy": ("beginner", "small"),
    "easy fix": ("beginner", "small"),
    "low hanging fruit": ("beginner", "small"),
    "small": ("beginner", "small"),
    "module bootcamp": ("beginner",),
    "bootcamp": ("beginner",),
    "good second issue": ("welcome", "medium"),
    "moderate": ("welcome", "medium"),
    "good difficult issue": ("welcome", "large"),
    "hard": ("large",),
    "large": ("large",),
    "help wanted": ("welcome",),
    "contributions welcome": ("welcome",),
    "contribution welcome": ("welcome",),
    "stat contributions welcome": ("welcome",),
    "oss contribution wanted": ("welcome",),
    "community contribution wanted": ("welcome",),
    "up for grabs": ("welcome",),
    "actionable": ("actionable",),
    # kinds of work
    "feature": ("feature",),
    "features": ("feature",),
    "feature request": ("feature",),
    "new feature": ("feature",),
    "enhancement": ("feature",),
    "type feature": ("feature",),
    "type enhancement": ("feature",),
    "kind feature": ("feature",),
    "new model": ("feature", "large"),
    "docs": ("docs",),
    "doc": ("docs",),
    "documentation": ("docs",),
    "module docs": ("docs",),
    "type docs": ("docs",),
    "kind documentation": ("docs",),
    "area docs": ("docs",),
    "area documentation": ("docs",),
    "topic docs": ("docs",),
    "topic documentation": ("docs",),  # onnx
    "type documentation": ("docs",),
    "kind docs": ("docs",),
    "document": ("docs",),  # optuna
    "typo": ("docs",),  # Lightning
    "typos": ("docs",),
    "tests": ("tests",),
    "testing": ("tests",),
    "module tests": ("tests",),
    "module testing": ("tests",),
    "module typing": ("tests",),
    "typing": ("tests",),
    "type hints": ("tests",),
    "module lint": ("tests",),
    "lint": ("tests",),
    "module ci": ("tests",),
    "ci": ("tests",),
    "module flaky tests": ("tests",),
    "flaky test": ("tests",),
    "flaky tests": ("tests",),
    "tooling": ("tests",),
    "performance": ("performance",),
    "perf": ("performance",),
    "module performance": ("performance",),
    "type performance": ("performance",),
    # not work to pick up yet
    "tracking": ("tracking",),
    "tracker": ("tracking",),
    "tracking issue": ("tracking",),
    "umbrella": ("tracking",),
    "meta": ("tracking",),
    "epic": ("tracking",),
    "master tracker": ("tracking",),
    "question": ("question",),
    "questions": ("question",),
    "support": ("question",),
    "usage": ("question",),
    "type support": ("question",),
    "type question": ("question",),
    "kind question": ("question",),
    "rfc": ("rfc",),
    "type rfc": ("rfc",),
    "proposal": ("rfc",),
    "discussion": ("rfc",),
    "needs design": ("rfc",),
    "needs discussion": ("rfc",),
    "needs decision": ("rfc",),
    "needs reproduction": ("needs-repro",),
    "needs repro": ("needs-repro",),
    "need reproduction": ("needs-repro",),
    "needs reproducible code": ("needs-repro",),
    "needs code example": ("needs-repro",),  # diffusers
    "needs example": ("needs-repro",),
    "needs mre": ("needs-repro",),
    "needs reproducer": ("needs-repro",),
    "needs minimal reproducible example": ("needs-repro",),
    "cannot reproduce": ("needs-repro",),
    "can t reproduce": ("needs-repro",),
    "needs more info": ("needs-repro",),
    "needs info": ("needs-repro",),
    "needs information": ("needs-repro",),
    "more info needed": ("needs-repro",),
    "awaiting response": ("needs-repro",),
    "stat awaiting response from contributor": ("needs-repro",),
    # hardware and platforms
    "module mps": ("hardware:mps",),
    "mps": ("hardware:mps",),
    "module macos": ("hardware:mps",),
    "macos": ("hardware:mps",),
    "platform macos": ("hardware:mps",),
    "module rocm": ("hardware:rocm",),
    "rocm": ("hardware:rocm",),
    "module xpu": ("hardware:xpu",),
    "xpu": ("hardware:xpu",),
    "module xla": ("hardware:tpu",),
    "tpu": ("hardware:tpu",),
    "module cuda": ("hardware:cuda",),
    "module cudnn": ("hardware:cuda",),
    "module cublas": ("hardware:cuda",),
    "module nccl": ("hardware:multi-gpu",),
    "cuda": ("hardware:cuda",),
    "gpu": ("hardware:cuda",),
    "module multi gpu": ("hardware:multi-gpu",),
    "multi gpu": ("hardware:multi-gpu",),
    "module fsdp": ("hardware:multi-gpu",),
    "module ddp": ("hardware:multi-gpu",),
    "oncall distributed": ("hardware:multi-gpu",),
    "multi node": ("hardware:multi-node",),
    "module windows": ("hardware:windows",),
    "windows": ("hardware:windows",),
    "platform windows": ("hardware:windows",),
}

# Per repository (lowercase owner/name): spellings that mean something else there.
REPO_TRAITS: dict[str, dict[str, tuple[str, ...]]] = {
    # PyTorch's "triage review": waiting for the maintainers' triage meeting to decide.
    "pytorch/pytorch": {"triage review": ("rfc",)},
    "scikit-learn/scikit-learn": {"needs triage": ()},
    "tinygrad/tinygrad": {"bounty": ("welcome",)},
}
# The labels each repository's maintainers point newcomers to.
NEWCOMER_LABELS: dict[str, tuple[str, ...]] = {
    "pytorch/pytorch": ("good first issue", "module: bootcamp"),
    "huggingface/transformers": ("Good First Issue", "Good Second Issue"),
    "jax-ml/jax": ("good first issue", "contributions welcome"),
    "google/jax": ("good first issue", "contributions welcome"),
    "keras-team/keras": ("stat:contributions welcome", "type:docs"),
    "scikit-learn/scikit-learn": ("good first issue", "Easy"),
    "huggingface/accelerate": ("good first issue",),
    "tinygrad/tinygrad": ("bounty",),
}
# Traits whose labels the default sync scope fetches: enough for every stage of a plan
# (beginner work, small fixes, real bugs, features), never a repository's whole backlog.
SCOPE_TRAITS = frozenset(
    {"beginner", "welcome", "small", "medium", "large", "actionable", "bug", "feature", "docs",
     "tests"}
)  # fmt: skip
