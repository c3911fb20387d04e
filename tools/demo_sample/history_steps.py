"""What each commit of the demo history did: files added, hunks changed, a rename, a deletion.

A hunk is ("sub", old, new): the commit replaced `old` by `new`; or ("cut", start, end):
the commit inserted the text from `start` up to, not including, `end` (None: end of file).
`sample_history` undoes them newest first from the final tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Hunk = tuple[str, str, "str | None"]


@dataclass
class Step:
    date: str
    login: str
    message: str
    adds: list[str] = field(default_factory=list)
    hunks: dict[str, list[Hunk]] = field(default_factory=dict)
    renames: dict[str, str] = field(default_factory=dict)  # old path -> new path
    deletes: dict[str, str] = field(default_factory=dict)  # path -> content before deletion
    pr: str = ""  # key of the merged pull request this commit squashes


def sub(old: str, new: str) -> Hunk:
    return ("sub", old, new)


def cut(start: str, end: str | None = None) -> Hunk:
    return ("cut", start, end)


_P_LINE = '                    p.data = [pi - group["lr"] * gi for pi, gi in zip(p.data, g)]\n'
_MOMENTUM = """                    if group["momentum"]:
                        state = self.state.setdefault(id(p), {})
"""
_ADAM_END = "for pi, mi, vi in zip(p.data, m, v)\n                    ]\n"
_ADAM_INIT = '                        state["exp_avg_sq"] = [0.0] * len(grad)\n'
_ADAM_MAX = '                        state["max_exp_avg_sq"] = [0.0] * len(grad)\n'
_STEP = '                    state["step"] += 1\n'
_WD = '                    wd = group["weight_decay"]\n'

_MOMENTUM_PY = '''"""SGD with heavy-ball momentum."""

from __future__ import annotations

from tinyml.autograd import no_grad

from .optimizer import Optimizer


class MomentumSGD(Optimizer):
    def __init__(self, params, lr=0.01, momentum=0.9):
        super().__init__(params, dict(lr=lr, momentum=momentum))

    def step(self):
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state.setdefault(id(p), {})
                    buf = state.get("buf")
                    g = p.grad.data
                    buf = list(g) if buf is None else [group["momentum"] * b + x for b, x in zip(buf, g)]
                    state["buf"] = buf
                    p.data = [x - group["lr"] * b for x, b in zip(p.data, buf)]
'''


def _export(before: str, after: str, *names: str) -> list[Hunk]:
    """Hunks adding subpackages to the top-level `from tinyml import ...` and `__all__`."""
    line = "from tinyml import {}\n"
    return [
        sub(line.format(before), line.format(after)),
        *(sub("", f'    "{n}",\n') for n in names),
    ]


def maintainer_steps() -> list[Step]:
    """The commits maintainers pushed directly (fixes from pull requests are added apart)."""
    return [
        Step(
            "2025-05-06T10:12:00Z",
            "lfischer",
            "Initial tensor type with broadcasting ops and autograd",
            adds=[
                "pyproject.toml",
                "README.md",
                "tinyml/tensor/__init__.py",
                "tinyml/tensor/shape.py",
                "tinyml/tensor/tensor.py",
                "tinyml/tensor/ops.py",
                "tinyml/autograd/__init__.py",
                "tinyml/autograd/grad_mode.py",
                "tinyml/autograd/function.py",
                "tinyml/autograd/engine.py",
                "tinyml/__init__.py",
                "tests/test_tensor.py",
                "tests/test_autograd.py",
            ],
        ),
        Step(
            "2025-05-13T16:40:00Z",
            "lfischer",
            "Add CONTRIBUTING.md and CODEOWNERS",
            adds=["CONTRIBUTING.md", ".github/CODEOWNERS"],
        ),
        Step(
            "2025-05-27T09:05:00Z",
            "lfischer",
            "linalg: solve, qr and svd for small matrices",
            adds=[
                "tinyml/linalg/__init__.py",
                "tinyml/linalg/solve.py",
                "tinyml/linalg/decompositions.py",
                "tests/test_linalg.py",
            ],
            hunks={"tinyml/__init__.py": _export("autograd", "autograd, linalg", "linalg")},
        ),
        Step(
            "2025-06-10T14:22:00Z",
            "dalvarez",
            "csrc: conv2d and relu kernels with pybind11 bindings",
            adds=[
                "csrc/include/tinyml/tensor.h",
                "csrc/include/tinyml/ops.h",
                "csrc/ops/conv.cpp",
                "csrc/ops/elementwise.cpp",
                "csrc/python_bindings.cpp",
                "setup.py",
                "tinyml/_backend.py",
                "docs/building.md",
            ],
        ),
        Step(
            "2025-06-24T11:48:00Z",
            "jweber",
            "nn: Module, Parameter, Linear, Conv2d, ReLU, Dropout, Sequential",
            adds=[
                "tinyml/nn/__init__.py",
                "tinyml/nn/parameter.py",
                "tinyml/nn/modules/__init__.py",
                "tinyml/nn/modules/module.py",
                "tinyml/nn/modules/linear.py",
                "tinyml/nn/modules/conv.py",
                "tinyml/nn/modules/activation.py",
                "tinyml/nn/modules/container.py",
                "tinyml/nn/init.py",
                "tinyml/nn/functional.py",
                "tinyml/utils/__init__.py",
                "tinyml/utils/hook_utils.py",
                "tests/test_nn.py",
            ],
            hunks={
                "tinyml/__init__.py": _export(
                    "autograd, linalg", "autograd, linalg, nn, utils", "nn", "utils"
                )
            },
        ),
        Step(
            "2025-07-08T13:30:00Z",
            "priyar",
            "optim: Optimizer base class, SGD and MomentumSGD",
            adds=[
                "tinyml/optim/__init__.py",
                "tinyml/optim/optimizer.py",
                "tinyml/optim/sgd.py",
                "tinyml/optim/momentum.py",
                "tests/test_optim.py",
            ],
            hunks={
                "tinyml/__init__.py": _export(
                    "autograd, linalg, nn, utils", "autograd, linalg, nn, optim, utils", "optim"
                )
            },
        ),
        Step(
            "2025-07-22T10:15:00Z",
            "priyar",
            "optim: Adam",
            adds=["tinyml/optim/adam.py"],
            hunks={
                "tinyml/optim/__init__.py": [
                    sub(
                        "from .momentum import MomentumSGD\n",
                        "from .adam import Adam\nfrom .momentum import MomentumSGD\n",
                    ),
                    sub(
                        '["SGD", "MomentumSGD", "Optimizer"]',
                        '["SGD", "Adam", "MomentumSGD", "Optimizer"]',
                    ),
                ]
            },
        ),
        Step(
            "2025-08-05T15:00:00Z",
            "meichen",
            "data: Dataset, TensorDataset, samplers and DataLoader",
            adds=[
                "tinyml/data/__init__.py",
                "tinyml/data/dataset.py",
                "tinyml/data/sampler.py",
                "tinyml/data/dataloader.py",
                "tests/test_data.py",
            ],
            hunks={
                "tinyml/__init__.py": _export(
                    "autograd, linalg, nn, optim, utils",
                    "autograd, data, linalg, nn, optim, utils",
                    "data",
                )
            },
        ),
        Step(
            "2025-08-12T09:40:00Z",
            "lfischer",
            "Expose tinyml.__version__",
            hunks={"tinyml/__init__.py": [sub("", '__version__ = "0.4.0"\n\n')]},
        ),
        Step(
            "2025-08-26T17:10:00Z",
            "sokafor",
            "docs: first guides for tensors, nn, optim and data",
            adds=[
                "docs/index.md",
                "docs/tensors.md",
                "docs/nn.md",
                "docs/optim.md",
                "docs/data.md",
            ],
        ),
        Step(
            "2025-09-16T12:00:00Z",
            "priyar",
            "optim: fold MomentumSGD into SGD(momentum=...)",
            deletes={"tinyml/optim/momentum.py": _MOMENTUM_PY},
            hunks={
                "tinyml/optim/__init__.py": [
                    sub(
                        "from .adam import Adam\nfrom .momentum import MomentumSGD\n",
                        "from .adam import Adam\n",
                    ),
                    sub('"Adam", "MomentumSGD", "Optimizer"]', '"Adam", "Optimizer"]'),
                ],
                "tinyml/optim/sgd.py": [
                    sub(
                        '"""Plain stochastic gradient descent with optional weight decay."""',
                        '"""Stochastic gradient descent with optional momentum and weight decay."""',
                    ),
                    sub(
                        "lr=0.01, weight_decay=0.0):",
                        "lr=0.01, momentum=0.0, weight_decay=0.0, nesterov=False):",
                    ),
                    sub(
                        "dict(lr=lr, weight_decay=weight_decay))",
                        "dict(lr=lr, momentum=momentum, weight_decay=weight_decay, nesterov=nesterov))",
                    ),
                    cut(_MOMENTUM, _P_LINE),
                ],
            },
        ),
        Step(
            "2025-09-30T08:55:00Z",
            "jweber",
            "utils: rename hook_utils.py to hooks.py",
            renames={"tinyml/utils/hook_utils.py": "tinyml/utils/hooks.py"},
            hunks={
                "tinyml/utils/__init__.py": [sub("from .hook_utils import", "from .hooks import")],
                "tinyml/nn/modules/module.py": [
                    sub("from tinyml.utils.hook_utils import", "from tinyml.utils.hooks import")
                ],
            },
        ),
        Step(
            "2025-10-28T14:35:00Z",
            "priyar",
            "optim: StepLR, CosineAnnealingLR and LambdaLR schedules",
            adds=["tinyml/optim/lr_scheduler.py"],
            hunks={
                "tinyml/optim/__init__.py": [
                    cut("from . import lr_scheduler\n", "from .adam"),
                    sub('"Optimizer"]', '"Optimizer", "lr_scheduler"]'),
                ]
            },
        ),
        Step(
            "2025-11-25T10:20:00Z",
            "jweber",
            "nn: F.interpolate with nearest and bilinear modes",
            hunks={
                "tinyml/nn/functional.py": [
                    sub('"dropout", "linear"', '"dropout", "interpolate", "linear"'),
                    cut("def interpolate(", "def mse_loss("),
                ],
                "tests/test_nn.py": [
                    cut("def test_interpolate_nearest_doubles", "def test_state_dict_round_trip")
                ],
            },
        ),
        Step(
            "2026-01-13T16:05:00Z",
            "dalvarez",
            "csrc: nearest upsampling kernel for F.interpolate",
            adds=["csrc/ops/upsample.cpp"],
            hunks={
                "csrc/include/tinyml/ops.h": [
                    cut("std::vector<float> upsample_nearest2d(", "std::vector<float> relu(")
                ],
                "csrc/python_bindings.cpp": [cut('  m.def("upsample_nearest2d"', '  m.def("relu"')],
                "setup.py": [cut('    "csrc/ops/upsample.cpp",\n', "]\n\next_modules")],
                "tinyml/_backend.py": [cut("\n\ndef upsample_nearest2d(")],
                "tinyml/nn/functional.py": [
                    cut(
                        '    if mode == "nearest" and _backend.has_native():',
                        "    data = []\n    for plane",
                    )
                ],
            },
        ),
        Step(
            "2026-02-10T11:25:00Z",
            "meichen",
            "data: random_split and Subset",
            hunks={
                "tinyml/data/__init__.py": [
                    sub(
                        "from .dataset import Dataset, TensorDataset\n",
                        "from .dataset import Dataset, Subset, TensorDataset, random_split\n",
                    ),
                    sub(
                        '    "SequentialSampler",\n    "TensorDataset",\n    "default_collate",\n]',
                        '    "SequentialSampler",\n    "Subset",\n    "TensorDataset",\n'
                        '    "default_collate",\n    "random_split",\n]',
                    ),
                ],
                "tinyml/data/dataset.py": [
                    cut("import random\n\n\n", "class Dataset:"),
                    cut("class Subset(Dataset):", "def _row(t, index):"),
                ],
                "tests/test_data.py": [
                    cut("import random\n\n", "import tinyml"),
                    sub("TensorDataset\n", "TensorDataset, random_split\n"),
                    cut("\n\ndef test_random_split_lengths"),
                ],
            },
        ),
        Step(
            "2026-03-10T09:50:00Z",
            "priyar",
            "optim: amsgrad option for Adam",
            hunks={
                "tinyml/optim/adam.py": [
                    sub(
                        '"""Adam with optional L2 weight decay."""',
                        '"""Adam with optional L2 weight decay and amsgrad."""',
                    ),
                    sub(
                        "weight_decay=0.0):", "weight_decay=0.0,\n                 amsgrad=False):"
                    ),
                    sub(
                        "weight_decay=weight_decay)",
                        "weight_decay=weight_decay,\n                        amsgrad=amsgrad)",
                    ),
                    sub(_ADAM_INIT + _STEP + _WD, _ADAM_INIT + _ADAM_MAX + _WD),
                    sub(_ADAM_END, _ADAM_END + _STEP),
                    cut(
                        '                    if group["amsgrad"]:\n', "                    bias1 ="
                    ),
                ],
                "docs/optim.md": [sub("weight_decay=0.0)`.", "weight_decay=0.0, amsgrad=False)`.")],
            },
        ),
        Step(
            "2026-04-07T13:15:00Z",
            "lfischer",
            "utils: save and load state dicts as JSON",
            adds=["tinyml/utils/checkpoint.py", "tests/test_utils.py"],
            hunks={
                "tinyml/utils/__init__.py": [
                    cut("from .checkpoint import load, save\n", "from .hooks"),
                    sub('["RemovableHandle"]', '["RemovableHandle", "load", "save"]'),
                ]
            },
        ),
        Step(
            "2026-04-21T15:40:00Z",
            "dalvarez",
            "csrc: CUDA relu kernel",
            adds=["csrc/include/tinyml/cuda_utils.h", "csrc/ops/relu_cuda.cu"],
            hunks={
                "setup.py": [
                    cut("import os\n\n", "from pybind11"),
                    cut('if os.environ.get("TINYML_CUDA")', "setup("),
                ],
                "CONTRIBUTING.md": [cut("CUDA kernels (`*.cu`)", "## Linting")],
            },
        ),
        Step(
            "2026-05-19T10:00:00Z",
            "sokafor",
            ".github: labeler config and label hints in CODEOWNERS",
            adds=[".github/labeler.yml"],
            hunks={
                ".github/CODEOWNERS": [
                    cut('# A "# label:" line', "*  "),
                    *(
                        cut(f"# label: module: {name}\n", f"/{path}/")
                        for name, path in (
                            ("nn", "tinyml/nn"),
                            ("optim", "tinyml/optim"),
                            ("data", "tinyml/data"),
                            ("cpp", "csrc"),
                            ("docs", "docs"),
                        )
                    ),
                ]
            },
        ),
        Step(
            "2026-06-16T14:45:00Z",
            "priyar",
            "optim: decoupled weight decay (AdamW) in Adam",
            hunks={
                "tinyml/optim/adam.py": [
                    sub(
                        '"""Adam with optional L2 weight decay and amsgrad."""',
                        '"""Adam, and AdamW-style decoupled weight decay when decoupled_weight_decay=True."""',
                    ),
                    sub("amsgrad=False):", "amsgrad=False, decoupled_weight_decay=False):"),
                    sub(
                        "amsgrad=amsgrad)",
                        "amsgrad=amsgrad, decoupled_weight_decay=decoupled_weight_decay)",
                    ),
                    sub(
                        "                    if wd:\n",
                        '                    if wd and group["decoupled_weight_decay"]:\n'
                        '                        p.data = [pi * (1 - group["lr"] * wd) for pi in p.data]\n'
                        "                    elif wd:\n",
                    ),
                ],
                "docs/optim.md": [
                    sub(
                        "amsgrad=False)`.",
                        "amsgrad=False,\ndecoupled_weight_decay=False)`. "
                        "Set `decoupled_weight_decay=True` for AdamW.",
                    ),
                ],
            },
        ),
        Step(
            "2026-08-11T09:30:00Z",
            "sokafor",
            "CONTRIBUTING: CLA and the rule on agent-written pull requests",
            hunks={"CONTRIBUTING.md": [cut("- You must sign the Contributor")]},
        ),
        Step(
            "2026-09-01T12:10:00Z",
            "jweber",
            "nn: xavier_uniform_ and zeros_ initialisers",
            hunks={"tinyml/nn/init.py": [cut("\n\ndef xavier_uniform_(")]},
        ),
        Step(
            "2026-09-22T16:30:00Z",
            "lfischer",
            "tensor: say how many elements a failed reshape had",
            hunks={
                "tinyml/tensor/ops.py": [
                    sub(
                        'raise ValueError("reshape: bad shape")',
                        'raise ValueError(f"cannot reshape tensor of {a.numel()} elements to {shape}")',
                    ),
                ]
            },
        ),
        Step(
            "2026-10-13T11:05:00Z",
            "priyar",
            "optim: validate betas in Adam",
            hunks={
                "tinyml/optim/adam.py": [
                    cut("        if not 0.0 <= betas[0]", "        defaults = dict(")
                ]
            },
        ),
        Step(
            "2026-10-20T15:50:00Z",
            "sokafor",
            "docs: document F.interpolate and the losses in nn.md",
            hunks={
                "docs/nn.md": [
                    sub(
                        "`F.relu`, `F.linear`, `F.conv2d` and `F.dropout`.\n",
                        "`F.relu`, `F.linear`, `F.conv2d`, `F.dropout`, `F.mse_loss`, `F.cross_entropy` and\n"
                        '`F.interpolate(x, size=None, scale_factor=None, mode="nearest", align_corners=None)`,\n'
                        """which resizes a `(N, C, H, W)` tensor with `"nearest"` or `"bilinear"` sampling.\n""",
                    ),
                ]
            },
        ),
    ]


# Hunks of the squashed commit of each merged pull request (keys from issues_closed).
FIX_HUNKS: dict[str, dict[str, list[Hunk]]] = {
    "pr_solve_pivot": {
        "tinyml/linalg/solve.py": [
            cut("        pivot = max(", "        for r in range(col + 1, n):")
        ],
        "tests/test_linalg.py": [cut("def test_solve_needs_pivoting", "def test_svd_singular")],
    },
    "pr_docs_seed": {
        "docs/data.md": [sub("Pass `seed=0` for", "Pass `generator=random.Random(0)` for")],
    },
    "pr_steplr": {
        "tinyml/optim/lr_scheduler.py": [
            sub("((self.last_epoch + 1) // self.step_size)", "(self.last_epoch // self.step_size)")
        ],
        "tests/test_optim.py": [
            cut("from tinyml.optim.lr_scheduler import StepLR\n", "\n\ndef _quadratic_step"),
            cut("\n\ndef test_step_lr"),
        ],
    },
    "pr_load_sd": {
        "tinyml/nn/modules/module.py": [
            sub(
                "            own[name].data = list(value.data)",
                "            if name in own:\n                own[name].data = list(value.data)",
            ),
        ],
        "tests/test_nn.py": [
            cut("def test_load_state_dict_non_strict", "def test_state_dict_round_trip")
        ],
    },
    "pr_conv_pad": {
        "csrc/ops/conv.cpp": [
            cut("                if (y < 0 || y >= h", "                acc += input")
        ],
    },
    "pr_batch_len": {
        "tinyml/data/sampler.py": [
            sub(
                "        return len(self.sampler) // self.batch_size\n",
                "        full, rest = divmod(len(self.sampler), self.batch_size)\n"
                "        return full if self.drop_last or not rest else full + 1\n",
            ),
        ],
        "tests/test_data.py": [
            cut("def test_len_counts_the_last_partial_batch", "def test_random_split")
        ],
    },
    "pr_adam_step": {
        "tinyml/optim/adam.py": [
            sub(_ADAM_MAX + _WD, _ADAM_MAX + _STEP + _WD),
            sub(_ADAM_END + _STEP, _ADAM_END),
        ],
        "tests/test_optim.py": [cut("def test_adam_weight_decay_coupled", "def test_step_lr")],
    },
    "pr_interp_single": {
        "tinyml/nn/functional.py": [
            sub(
                "return dst * (in_size - 1) / (out_size - 1)\n",
                "return dst * (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0\n",
            ),
        ],
        "tests/test_nn.py": [
            cut(
                "def test_interpolate_bilinear_to_single_pixel",
                "def test_load_state_dict_non_strict",
            )
        ],
    },
    "pr_sampler_gen": {
        "tinyml/data/sampler.py": [
            sub("        random.shuffle(order)", "        self.generator.shuffle(order)")
        ],
        "tests/test_data.py": [
            cut("def test_shuffle_is_repeatable_with_generator", "def test_random_split")
        ],
    },
    "pr_ckpt_atomic": {
        "tinyml/utils/checkpoint.py": [
            sub('to `path`."""', 'to `path`, atomically."""'),
            sub(
                '    with open(path, "w", encoding="utf-8") as fh:\n        json.dump(payload, fh)\n',
                '    tmp = f"{os.fspath(path)}.tmp"\n    with open(tmp, "w", encoding="utf-8") as fh:\n'
                "        json.dump(payload, fh)\n    os.replace(tmp, path)\n",
            ),
        ],
    },
    "pr_relu_cuda": {
        "csrc/ops/relu_cuda.cu": [
            sub(
                "const int i = blockIdx.x * blockDim.x + threadIdx.x;",
                "const int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x;",
            ),
        ],
    },
}
