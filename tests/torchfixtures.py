"""The installed torch wheel's source tree as a git repository, for slow tests and
benchmarks that need a real ML library: one import of the whole tree, then a year of
smaller commits by several authors (so churn and reviewers exist), a CODEOWNERS, a
labeler file, a contributing guide and a few `test/` files like PyTorch's own.

Shared by tests/system/test_mapping_torch.py, tests/system/test_plan_torch.py and bench/bench_plan.py.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from pathlib import Path

# Binaries are not source, and only slow `git add` down.
BINARIES = shutil.ignore_patterns("*.so", "*.so.*", "*.a", "*.dylib", "__pycache__")

# (name, email): people who "maintain" parts of the copy.
AUTHORS = {
    "nn": ("Mira Kovacs", "mira@example.org"),
    "optim": ("Tomás Reyes", "tomas@example.com"),
    "data": ("Priya Raman", "priya@example.net"),
    "linalg": ("Jonas Berg", "jonas@example.se"),
    "pt2": ("Kenji Sato", "kenji@example.jp"),
    "docs": ("Lea Dubois", "lea@example.fr"),
}

# (author key, ISO date, message, files touched: a comment line is appended to each)
HISTORY = [
    ("nn", "2026-02-03T10:00:00Z", "[nn] Conv2d padding_mode docs", ["torch/nn/modules/conv.py"]),
    ("optim", "2026-03-11T09:30:00Z", "[optim] Adam capturable state", ["torch/optim/adam.py", "torch/optim/optimizer.py"]),
    ("data", "2026-04-02T16:00:00Z", "[dataloader] pin_memory thread", ["torch/utils/data/dataloader.py"]),
    ("linalg", "2026-05-20T12:00:00Z", "[linalg] svd driver note", ["torch/linalg/__init__.py"]),
    ("nn", "2026-06-15T08:00:00Z", "[nn] interpolate antialias", ["torch/nn/functional.py", "torch/nn/modules/conv.py"]),
    ("pt2", "2026-07-07T14:00:00Z", "[dynamo] guard on dict keys", ["torch/_dynamo/guards.py", "torch/_dynamo/eval_frame.py"]),
    ("optim", "2026-08-19T11:00:00Z", "[optim] OneCycleLR total_steps", ["torch/optim/lr_scheduler.py"]),
    ("docs", "2026-09-01T10:00:00Z", "[docs] fix typos in nn.init", ["torch/nn/init.py"]),
    ("data", "2026-10-05T10:00:00Z", "[dataloader] sampler len", ["torch/utils/data/sampler.py"]),
    ("nn", "2026-10-28T10:00:00Z", "[nn] MultiheadAttention need_weights", ["torch/nn/modules/activation.py"]),
]  # fmt: skip

CODEOWNERS = """\
# Reviewers for the parts of the tree listed here.
/torch/nn/ @mira-k @nn-reviewers
/torch/optim/ @tomas-r
/torch/utils/data/ @priya-r
/torch/linalg/ @jonas-b
/torch/_dynamo/ @kenji-s @pt2-oncall
/torch/_inductor/ @pt2-oncall
/docs/ @lea-d
"""

LABELER = """\
"module: nn":
  - torch/nn/**
"module: optimizer":
  - torch/optim/**
"module: dataloader":
  - torch/utils/data/**
"module: linear algebra":
  - torch/linalg/**
"module: dynamo":
  - torch/_dynamo/**
"module: inductor":
  - torch/_inductor/**
"module: autograd":
  - torch/autograd/**
"""

CONTRIBUTING = """\
# Contributing to PyTorch

## Developing PyTorch

Install from source with `python -m pip install -e . -v --no-build-isolation`; this
builds the C++ and CUDA extensions, which takes a while. Python-only changes can be
tried with `USE_CUDA=0 python setup.py develop`.

## Linting

Run `lintrunner -a` before you push.

## Unit testing

Tests live in `test/`. Run one file with:

```bash
python test/run_test.py -i test_nn
```

or directly with `python -m pytest test/test_nn.py -k Conv2d`.

All contributors must sign the Contributor License Agreement (CLA) before we can merge.
"""

# A few test files in the layout of PyTorch's own `test/` folder (absent from the wheel).
TEST_FILES = {
    "test/run_test.py": "import sys\n\nimport torch\n\nprint(sys.argv, torch.__version__)\n",
    "test/test_nn.py": (
        "import torch\nimport torch.nn.functional as F\nfrom torch import nn\n"
        "from torch.nn.modules.conv import Conv2d\n\n\ndef test_conv2d():\n"
        "    assert Conv2d(1, 1, 1).weight.shape[0] == 1\n"
    ),
    "test/test_optim.py": (
        "import torch\nfrom torch.optim import Adam\nfrom torch.optim.lr_scheduler import OneCycleLR\n\n\n"
        "def test_adam():\n    assert Adam\n"
    ),
    "test/test_dataloader.py": (
        "from torch.utils.data import DataLoader\nfrom torch.utils.data.sampler import RandomSampler\n\n\n"
        "def test_loader():\n    assert DataLoader\n"
    ),
    "test/test_linalg.py": "import torch\nimport torch.linalg\n\n\ndef test_svd():\n    assert torch.linalg.svd\n",
    "test/dynamo/test_guards.py": "import torch._dynamo\nfrom torch._dynamo import guards\n",
}


def torch_source() -> Path | None:
    """The installed torch package folder, or None when torch is not installed."""
    spec = importlib.util.find_spec("torch")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def make_torch_repo(dest: Path, source: Path, *, history: bool = True) -> Path:
    """Copy `source` into `dest/torch` and commit it; with `history`, add the extra files
    and the commits of HISTORY. Returns `dest` (the work tree)."""
    shutil.copytree(source, dest / "torch", ignore=BINARIES)
    git(dest, "init", "-q", "--initial-branch=main")
    git(dest, "add", "-A")
    _commit(dest, ("PyTorch Import", "import@example.com"), "2025-11-01T10:00:00Z", "torch sources")
    if not history:
        return dest
    extras = {".github/CODEOWNERS": CODEOWNERS, ".github/labeler.yml": LABELER}
    extras |= {"CONTRIBUTING.md": CONTRIBUTING, **TEST_FILES}
    for rel, text in extras.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, encoding="utf-8")
    git(dest, "add", "-A")
    _commit(dest, AUTHORS["docs"], "2026-01-15T10:00:00Z", "Add tests, CODEOWNERS, labeler")
    for key, date, message, files in HISTORY:
        for rel in files:
            with (dest / rel).open("a", encoding="utf-8") as fh:
                fh.write(f"\n# {message}\n")
        git(dest, "add", *files)
        _commit(dest, AUTHORS[key], date, message)
    return dest


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    """Run git in `repo` without the user's or system's config."""
    full = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        **(env or {}),
    }
    subprocess.run(["git", *args], cwd=repo, env=full, check=True)


def _commit(repo: Path, who: tuple[str, str], date: str, message: str) -> None:
    ident = {
        "GIT_AUTHOR_NAME": who[0],
        "GIT_AUTHOR_EMAIL": who[1],
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_NAME": who[0],
        "GIT_COMMITTER_EMAIL": who[1],
        "GIT_COMMITTER_DATE": date,
    }
    git(repo, "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", message, env=ident)
