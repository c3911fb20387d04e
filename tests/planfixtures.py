"""A small, realistic code map of an ML library ("tinyml") built node by node, with labels
and issues written like real reports, for the planner's tests (and any other test that
needs a plan's inputs)."""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

from prready.code_models import AreaInfo, CodeMap, HistoryCommit, ModuleInfo
from prready.models import Issue, Label, LabelKind, TakenStatus
from prready.paths import resolve_paths
from prready.sources.git_repo import build_repo
from prready.store import issues_store as store

NOW = "2026-11-01T12:00:00Z"
REPO = "prready-demo/tinyml"

# (module name, path, language, lines, area, is_test)
MODULES = [
    ("tinyml", "tinyml/__init__.py", "python", 30, "tinyml", False),
    ("tinyml.tensor", "tinyml/tensor/__init__.py", "python", 10, "tinyml.tensor", False),
    ("tinyml.tensor.tensor", "tinyml/tensor/tensor.py", "python", 300, "tinyml.tensor", False),
    ("tinyml.tensor.ops", "tinyml/tensor/ops.py", "python", 250, "tinyml.tensor", False),
    ("tinyml._C", "tinyml/_C.py", "python", 20, "tinyml.tensor", False),
    ("tinyml.nn", "tinyml/nn/__init__.py", "python", 12, "tinyml.nn", False),
    ("tinyml.nn.functional", "tinyml/nn/functional.py", "python", 400, "tinyml.nn", False),
    ("tinyml.nn.modules.conv", "tinyml/nn/modules/conv.py", "python", 200, "tinyml.nn", False),
    ("tinyml.nn.modules.linear", "tinyml/nn/modules/linear.py", "python", 120, "tinyml.nn", False),
    ("tinyml.nn.init", "tinyml/nn/init.py", "python", 90, "tinyml.nn", False),
    ("tinyml.optim", "tinyml/optim/__init__.py", "python", 8, "tinyml.optim", False),
    ("tinyml.optim.optimizer", "tinyml/optim/optimizer.py", "python", 150, "tinyml.optim", False),
    ("tinyml.optim.adam", "tinyml/optim/adam.py", "python", 140, "tinyml.optim", False),
    ("tinyml.optim.sgd", "tinyml/optim/sgd.py", "python", 90, "tinyml.optim", False),
    (
        "tinyml.optim.lr_scheduler",
        "tinyml/optim/lr_scheduler.py",
        "python",
        210,
        "tinyml.optim",
        False,
    ),
    ("tinyml.data", "tinyml/data/__init__.py", "python", 6, "tinyml.data", False),
    ("tinyml.data.dataloader", "tinyml/data/dataloader.py", "python", 260, "tinyml.data", False),
    ("tinyml.data.sampler", "tinyml/data/sampler.py", "python", 110, "tinyml.data", False),
    ("tinyml.linalg", "tinyml/linalg/__init__.py", "python", 6, "tinyml.linalg", False),
    ("tinyml.linalg.decomp", "tinyml/linalg/decomp.py", "python", 180, "tinyml.linalg", False),
    ("tinyml.autograd", "tinyml/autograd/__init__.py", "python", 6, "tinyml.autograd", False),
    (
        "tinyml.autograd.function",
        "tinyml/autograd/function.py",
        "python",
        220,
        "tinyml.autograd",
        False,
    ),
    ("csrc/ops/conv.cpp", "csrc/ops/conv.cpp", "cpp", 300, "csrc/ops", False),
    ("csrc/ops/conv_cuda.cu", "csrc/ops/conv_cuda.cu", "cuda", 280, "csrc/ops", False),
    ("csrc/include/tinyml/conv.h", "csrc/include/tinyml/conv.h", "cpp", 40, "csrc/include", False),
    ("tests.test_nn", "tests/test_nn.py", "python", 200, "tests", True),
    ("tests.test_optim", "tests/test_optim.py", "python", 150, "tests", True),
    ("tests.test_data", "tests/test_data.py", "python", 120, "tests", True),
    ("tests.test_linalg", "tests/test_linalg.py", "python", 90, "tests", True),
]

EDGES = [
    ("tinyml", "tinyml.tensor"), ("tinyml", "tinyml.nn"), ("tinyml", "tinyml.optim"),
    ("tinyml.tensor", "tinyml.tensor.tensor"), ("tinyml.tensor", "tinyml.tensor.ops"),
    ("tinyml.tensor.ops", "tinyml.tensor.tensor"), ("tinyml.tensor.ops", "tinyml._C"),
    ("tinyml.nn", "tinyml.nn.functional"), ("tinyml.nn", "tinyml.nn.modules.conv"),
    ("tinyml.nn", "tinyml.nn.modules.linear"), ("tinyml.nn.functional", "tinyml.tensor.ops"),
    ("tinyml.nn.modules.conv", "tinyml.nn.functional"), ("tinyml.nn.modules.conv", "tinyml.nn.init"),
    ("tinyml.nn.modules.linear", "tinyml.nn.functional"), ("tinyml.nn.init", "tinyml.tensor"),
    ("tinyml.optim", "tinyml.optim.adam"), ("tinyml.optim", "tinyml.optim.sgd"),
    ("tinyml.optim.adam", "tinyml.optim.optimizer"), ("tinyml.optim.sgd", "tinyml.optim.optimizer"),
    ("tinyml.optim.lr_scheduler", "tinyml.optim.optimizer"), ("tinyml.optim.optimizer", "tinyml.tensor"),
    ("tinyml.data", "tinyml.data.dataloader"), ("tinyml.data.dataloader", "tinyml.data.sampler"),
    ("tinyml.data.dataloader", "tinyml.tensor"),
    ("tinyml.linalg", "tinyml.linalg.decomp"), ("tinyml.linalg.decomp", "tinyml.tensor.ops"),
    ("tinyml.autograd", "tinyml.autograd.function"), ("tinyml.autograd.function", "tinyml.tensor.tensor"),
    ("tinyml._C", "csrc/ops/conv.cpp"), ("csrc/ops/conv.cpp", "csrc/include/tinyml/conv.h"),
    ("csrc/ops/conv_cuda.cu", "csrc/include/tinyml/conv.h"),
    ("tests.test_nn", "tinyml.nn"), ("tests.test_optim", "tinyml.optim"),
    ("tests.test_data", "tinyml.data"), ("tests.test_linalg", "tinyml.linalg"),
]  # fmt: skip

SYMBOLS = {
    "tinyml.nn.functional.interpolate": "tinyml.nn.functional",
    "tinyml.nn.functional.relu": "tinyml.nn.functional",
    "tinyml.nn.functional.conv2d": "tinyml.nn.functional",
    "tinyml.nn.Conv2d": "tinyml.nn.modules.conv",
    "tinyml.nn.modules.conv.Conv2d": "tinyml.nn.modules.conv",
    "tinyml.nn.Linear": "tinyml.nn.modules.linear",
    "tinyml.nn.modules.linear.Linear": "tinyml.nn.modules.linear",
    "tinyml.nn.init.kaiming_uniform_": "tinyml.nn.init",
    "tinyml.optim.Adam": "tinyml.optim.adam",
    "tinyml.optim.adam.Adam": "tinyml.optim.adam",
    "tinyml.optim.SGD": "tinyml.optim.sgd",
    "tinyml.optim.lr_scheduler.StepLR": "tinyml.optim.lr_scheduler",
    "tinyml.optim.lr_scheduler.CosineAnnealingLR": "tinyml.optim.lr_scheduler",
    "tinyml.data.DataLoader": "tinyml.data.dataloader",
    "tinyml.data.dataloader.DataLoader": "tinyml.data.dataloader",
    "tinyml.data.RandomSampler": "tinyml.data.sampler",
    "tinyml.linalg.svd": "tinyml.linalg.decomp",
    "tinyml.linalg.decomp.svd": "tinyml.linalg.decomp",
    "tinyml.Tensor": "tinyml.tensor.tensor",
    "tinyml.tensor.Tensor": "tinyml.tensor.tensor",
    "tinyml.autograd.Function": "tinyml.autograd.function",
}

AREA_META = {
    # area: (tests, test_command, recent_authors, owners)
    "tinyml.nn": (["tests/test_nn.py"], "python -m pytest tests/test_nn.py", [("Ada Lovelace", 9), ("Grace Hopper", 4)], ["@nn-team"]),
    "tinyml.optim": (["tests/test_optim.py"], "python -m pytest tests/test_optim.py", [("Alan Turing", 6)], ["@optim-owner"]),
    "tinyml.data": (["tests/test_data.py"], "python -m pytest tests/test_data.py", [("Barbara Liskov", 3)], []),
    "tinyml.linalg": (["tests/test_linalg.py"], "python -m pytest tests/test_linalg.py", [("Emmy Noether", 2)], []),
    "tinyml.tensor": ([], "", [("Ada Lovelace", 5)], []),
    "csrc/ops": ([], "", [("Ken Thompson", 7)], ["@cpp-team"]),
}  # fmt: skip

# GitHub logins of recent authors (from their noreply commit e-mails), per area.
AREA_LOGINS = {
    "tinyml.nn": [("ada-lovelace", 9)],
    "tinyml.optim": [("aturing", 6)],
    "csrc/ops": [("kthompson", 7)],
}

LABEL_PATHS = {"module: nn": ["tinyml/nn/**"], "module: optim": ["tinyml/optim/**"]}

CONTRIBUTING = """# Contributing to tinyml

## Building

```bash
pip install -e .
```

Run the linter with `ruff check .` and the tests with:

```
python -m pytest tests/
```

All contributors must sign our Contributor License Agreement (CLA) before we can merge.
We do not accept pull requests written by AI agents; they will be closed.
"""


def make_code_map(extra_edges: list[tuple[str, str]] | None = None) -> CodeMap:
    """The tinyml code map with metrics computed from the graph, as the code map does."""
    graph = nx.DiGraph()
    modules: dict[str, ModuleInfo] = {}
    for name, path, language, lines, area, is_test in MODULES:
        package = name.split(".")[0] if language == "python" else "csrc"
        graph.add_node(name, path=path, lines=lines, package=package, language=language, area=area)
        modules[name] = ModuleInfo(
            name=name,
            path=path,
            language=language,
            lines=lines,
            package=package,
            area=area,
            is_test=is_test,
        )
    for u, v in [*EDGES, *(extra_edges or [])]:
        graph.add_edge(u, v, kind="import", conditional=False)
    for name, info in modules.items():
        info.dependents = graph.in_degree(name)
        info.dependencies = graph.out_degree(name)
        info.dependents_transitive = len(nx.ancestors(graph, name))
    areas: dict[str, AreaInfo] = {}
    for name, info in modules.items():
        area = areas.setdefault(
            info.area, AreaInfo(name=info.area, paths=[], modules=[], languages={})
        )
        area.modules.append(name)
        area.languages[info.language] = area.languages.get(info.language, 0) + 1
        area.lines += info.lines
        prefix = info.path.rsplit("/", 1)[0] + "/"
        if prefix not in area.paths and not any(prefix.startswith(p) for p in area.paths):
            area.paths.append(prefix)
    for area_name, (tests, command, authors, owners) in AREA_META.items():
        area = areas[area_name]
        area.tests, area.test_command = list(tests), command
        area.recent_authors, area.owners = list(authors), list(owners)
        area.recent_logins = list(AREA_LOGINS.get(area_name, []))
    return CodeMap(
        repo=REPO,
        root="/nonexistent/tinyml",
        head="0" * 40,
        graph=graph,
        modules=modules,
        areas=areas,
        symbols=dict(SYMBOLS),
        label_paths={k: list(v) for k, v in LABEL_PATHS.items()},
        contributing=CONTRIBUTING,
    )


LABELS = [
    Label("good first issue", kind=LabelKind.BEGINNER, value="good first issue"),
    Label("bug", kind=LabelKind.BUG, value="bug"),
    Label("module: nn", kind=LabelKind.AREA, value="nn"),
    Label("module: optim", kind=LabelKind.AREA, value="optim"),
    Label("module: data", kind=LabelKind.AREA, value="data"),
    Label("module: linalg", kind=LabelKind.AREA, value="linalg"),
    Label("module: docs", kind=LabelKind.AREA, value="docs"),
    Label("enhancement"),
    Label("RFC"),
    Label("triaged", kind=LabelKind.TRIAGE, value="triaged"),
]


def make_issue(
    number: int,
    title: str,
    body: str = "",
    labels: tuple[str, ...] = (),
    *,
    state: str = "open",
    comments: int = 0,
    created_at: str = "2026-10-01T10:00:00Z",
    updated_at: str = "2026-10-20T10:00:00Z",
    assignees: tuple[str, ...] = (),
    is_pull_request: bool = False,
) -> Issue:
    return Issue(
        repo=REPO,
        number=number,
        title=title,
        body=body,
        state=state,
        labels=list(labels),
        assignees=list(assignees),
        author="reporter",
        comments=comments,
        reactions=0,
        created_at=created_at,
        updated_at=updated_at,
        closed_at=None if state == "open" else updated_at,
        url=f"https://github.com/{REPO}/issues/{number}",
        is_pull_request=is_pull_request,
    )


ADAM_TRACE = """Running Adam with amsgrad on a sparse gradient crashes:

```python
import tinyml
from tinyml.optim import Adam
opt = Adam(params, amsgrad=True)
opt.step()
```

```
Traceback (most recent call last):
  File "repro.py", line 5, in <module>
    opt.step()
  File "/home/me/venv/lib/python3.11/site-packages/tinyml/optim/optimizer.py", line 88, in wrapper
    return func(*args, **kwargs)
  File "/home/me/venv/lib/python3.11/site-packages/tinyml/optim/adam.py", line 112, in step
    max_exp_avg_sq = state["max_exp_avg_sq"]
KeyError: 'max_exp_avg_sq'
```
"""


def sample_issues() -> list[Issue]:
    """Issues covering every case the planner distinguishes."""
    return [
        make_issue(
            1,
            "Typo in the docstring of F.interpolate",
            "The docstring of `F.interpolate` says `align_corner`.",
            ("good first issue", "module: docs"),
        ),
        make_issue(
            2,
            "Add type hints to tinyml/data/sampler.py",
            "mypy reports missing annotations in `tinyml/data/sampler.py`.",
            ("good first issue",),
        ),
        make_issue(3, "Adam with amsgrad raises KeyError", ADAM_TRACE, ("bug", "module: optim")),
        make_issue(
            4,
            "StepLR skips the first epoch",
            "To reproduce:\n```python\nfrom tinyml.optim.lr_scheduler import StepLR\n```\n",
            ("bug", "module: optim"),
        ),
        make_issue(
            5,
            "DataLoader hangs with num_workers=2",
            "tinyml.data.DataLoader(ds, num_workers=2) never returns.",
            ("bug", "module: data"),
        ),
        make_issue(
            6,
            "conv2d gives wrong results on CUDA",
            "The kernel in csrc/ops/conv_cuda.cu mis-indexes the output.",
            ("bug",),
        ),
        make_issue(
            7,
            "[RFC] A new lazy tensor API",
            "Proposal: add a lazy mode to tinyml.Tensor. Needs discussion.",
            ("RFC", "enhancement"),
            comments=25,
        ),
        make_issue(
            8,
            "Support complex inputs in tinyml.linalg.svd",
            "```python\ntinyml.linalg.svd(x)\n```\nfails for complex x.",
            ("enhancement", "module: linalg"),
        ),
        make_issue(
            9,
            "nn.Conv2d padding='same' is wrong for even kernels",
            "```python\nm = nn.Conv2d(3, 8, 4, padding='same')\n```",
            ("bug", "module: nn"),
        ),
        make_issue(
            10, "Closed bug in SGD", "tinyml/optim/sgd.py momentum", ("bug",), state="closed"
        ),
        make_issue(
            11,
            "Assigned bug in Linear",
            "tinyml.nn.Linear bias init",
            ("bug", "module: nn"),
            assignees=("someone",),
        ),
        make_issue(12, "PR: fix interpolate", "Fixes #1", is_pull_request=True),
    ]


def sample_taken() -> dict[int, TakenStatus]:
    return {11: TakenStatus("taken", ["assigned to @someone"])}


# ------------------------------------------------------------- a real repository with issues
MINI_SLUG = "acme/mini"
ADA = ("Ada Lovelace", "ada@example.org")
BOB = ("Bob Okafor", "bob@example.org")


def _commit(who, date, message, writes) -> HistoryCommit:  # type: ignore[no-untyped-def]
    return HistoryCommit(
        author_name=who[0], author_email=who[1], date=date, message=message, writes=writes
    )


MINI_HISTORY = [
    _commit(
        ADA,
        "2026-01-05T10:00:00Z",
        "Initial layout",
        {
            "mini/__init__.py": "from mini import nn, optim\n",
            "mini/nn/__init__.py": "from mini.nn.functional import relu, interpolate\n\n__all__ = ['relu', 'interpolate']\n",
            "mini/nn/functional.py": "def relu(x):\n    return x\n\n\ndef interpolate(x, scale):\n    return x\n",
            "mini/optim/__init__.py": "from mini.optim.adam import Adam\n",
            "mini/optim/optimizer.py": "class Optimizer:\n    pass\n",
            "mini/optim/adam.py": "import numpy as np\n\nfrom mini.optim.optimizer import Optimizer\n\n\nclass Adam(Optimizer):\n    def step(self):\n        return np.zeros(1)\n",
            "tests/test_nn.py": "import pytest\n\nimport mini.nn\n\n\ndef test_relu():\n    assert mini.nn.relu(1) == 1\n",
            "CONTRIBUTING.md": "Install with `pip install -e .` and test with `pytest tests/`.\nSign the CLA first.\n",
        },
    ),
    _commit(
        BOB,
        "2026-03-01T10:00:00Z",
        "Fix relu on negative zero\n\nFixes #5",
        {
            "mini/nn/functional.py": "def relu(x):\n    return max(x, 0.0)\n\n\ndef interpolate(x, scale):\n    return x\n",
            "tests/test_nn.py": "import pytest\n\nimport mini.nn\n\n\ndef test_relu():\n    assert mini.nn.relu(-0.0) == 0.0\n",
        },
    ),
    _commit(
        ADA,
        "2026-04-01T10:00:00Z",
        "Adam: keep max_exp_avg_sq state (closes #6)",
        {
            "mini/optim/adam.py": "import numpy as np\nimport scipy\n\nfrom mini.optim.optimizer import Optimizer\n\n\nclass Adam(Optimizer):\n    def step(self):\n        return np.ones(1)\n",
        },
    ),
]


def _issue(
    number: int,
    title: str,
    body: str,
    labels: list[str],
    state: str = "open",
    reason: str | None = None,
) -> Issue:
    return Issue(
        repo=MINI_SLUG,
        number=number,
        title=title,
        body=body,
        state=state,
        labels=labels,
        assignees=[],
        author="reporter",
        comments=1,
        reactions=0,
        created_at="2026-02-01T10:00:00Z",
        updated_at=f"2026-05-{number:02d}T10:00:00Z",
        closed_at=None if state == "open" else "2026-05-01T00:00:00Z",
        url=f"https://github.com/{MINI_SLUG}/issues/{number}",
        state_reason=reason,
    )


def make_mini_repo(tmp_path: Path) -> Path:
    """A real git repository "acme/mini" with two fixing commits, and its issues (open and
    closed) saved in the store under PRREADY_HOME."""
    root = tmp_path / "mini"
    build_repo(root, MINI_HISTORY)
    conn = store.open_cache(resolve_paths())
    try:
        store.save_labels(
            conn, MINI_SLUG, [Label("good first issue"), Label("bug"), Label("module: optim")]
        )
        store.save_issues(
            conn,
            [
                _issue(
                    1,
                    "Typo in F.interpolate docstring",
                    "The doc of `F.interpolate` is wrong.",
                    ["good first issue"],
                ),
                _issue(
                    2,
                    "Adam raises KeyError",
                    ADAM_TRACE.replace("tinyml", "mini"),
                    ["bug", "module: optim"],
                ),
                _issue(5, "relu returns -0.0", "F.relu(-0.0) gives -0.0", ["bug"], state="closed"),
                _issue(
                    6,
                    "Adam amsgrad KeyError",
                    ADAM_TRACE.replace("tinyml", "mini"),
                    ["bug"],
                    state="closed",
                ),
                _issue(7, "Please add a GUI", "", [], state="closed", reason="not_planned"),
            ],
        )
    finally:
        conn.close()
    return root


def plan_json_cli(slug: str, repo: Path, server_url: str, out: Path, *extra: str) -> dict:
    """`prready plan SLUG --all-open --format json` through the real CLI, cloning `repo` and
    syncing from the loopback server at `server_url`; the plan document it wrote."""
    import json

    from click.testing import CliRunner

    from prready.cli import cli

    args = [
        "plan", slug, "--git-url", str(repo), "--api-url", server_url, "--token", "x",
        "--format", "json", "--output", str(out), "--all-open", *extra,
    ]  # fmt: skip
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data: dict = json.loads(out.read_text())
    return data


def private_sdist(name: str, factory: pytest.TempPathFactory) -> Path:
    """A private copy of the pinned sdist tree `name` (see sdist_trees.py); the test is
    skipped, saying why, when the sdist is unavailable. Plans write nothing into a tree,
    but each test module gets its own so none can see another's leftovers."""
    from sdist_trees import SdistUnavailable, sdist_repo

    try:
        cached = sdist_repo(name)
    except SdistUnavailable as exc:
        pytest.skip(f"{name} sdist unavailable (python tests/sdist_trees.py): {exc}")
    repo = factory.mktemp(name) / name
    shutil.copytree(cached, repo, symlinks=True)
    return repo
