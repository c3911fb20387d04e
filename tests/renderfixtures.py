"""Hand-built plans, progress and code graphs for the renderer tests.

`sample_plan()` is a realistic four-stage plan for a PyTorch-like repository;
`hostile_plan()` is the same plan with attacker-controlled text everywhere GitHub
content can appear. Both are built in code so tests never touch the network.
"""

from __future__ import annotations

import networkx as nx

from prready.models import (
    ContributingSummary,
    Difficulty,
    Issue,
    IssueAssessment,
    ModuleMatch,
    Plan,
    PlanStep,
    ProgressEntry,
    ProgressEvent,
    SkillFit,
    Stage,
    StepStatus,
    TakenStatus,
)

REPO = "pytorch/pytorch"
NOW = "2026-11-21T12:00:00Z"
FETCHED = "2026-11-20T09:30:00Z"

_BODY = """### 🐛 Describe the bug

`torch.nn.functional.interpolate` returns the wrong shape when `scale_factor` is a tuple
and `recompute_scale_factor=True`:

```python
import torch
x = torch.randn(1, 3, 10, 10)
print(torch.nn.functional.interpolate(x, scale_factor=(1.5, 2.0)).shape)
```

| expected | got |
|---|---|
| (1, 3, 15, 20) | (1, 3, 15, 15) |

See also [the docs](https://pytorch.org/docs/stable/generated/torch.nn.functional.interpolate.html)
and #12345.
"""


def issue(number: int, title: str, labels: list[str], **kw: object) -> Issue:
    """An open issue of REPO with sensible defaults."""
    fields: dict[str, object] = {
        "repo": REPO,
        "number": number,
        "title": title,
        "body": _BODY,
        "state": "open",
        "labels": labels,
        "assignees": [],
        "author": "octocat",
        "comments": 3,
        "reactions": 2,
        "created_at": "2026-10-01T08:00:00Z",
        "updated_at": "2026-11-10T08:00:00Z",
        "closed_at": None,
        "url": f"https://github.com/{REPO}/issues/{number}",
    }
    fields.update(kw)
    return Issue(**fields)  # type: ignore[arg-type]


def step(stage: int, iss: Issue, module: str, path: str, score: int, **kw: object) -> PlanStep:
    """A plan step on `iss` touching `module`, with realistic guidance."""
    fields: dict[str, object] = {
        "stage": stage,
        "issue": iss,
        "modules": [ModuleMatch(module, path, 0.82, [f"the issue names `{module}`"])],
        "difficulty": Difficulty(score, ["touches one file", "a test already exists nearby"]),
        "fit": SkillFit(["python", "testing"], ["python"], ["testing"]),
        "taken": TakenStatus("fresh", []),
        "why": ["labelled for newcomers", "a maintainer confirmed the fix direction"],
        "start_reading": [path, "test/test_nn.py"],
        "tests": ["test/test_nn.py"],
        "test_command": "python test/test_nn.py -k interpolate",
        "reviewers": ["albanD", "mikaylagawarecki"],
        "setup_notes": ["a CPU-only build is enough", "USE_CUDA=0 python setup.py develop"],
        "effort": "1-2 days",
    }
    fields.update(kw)
    return PlanStep(**fields)  # type: ignore[arg-type]


def candidate(
    iss: Issue, module: str, score: int, skills: list[str], state: str
) -> IssueAssessment:
    return IssueAssessment(
        issue=iss,
        modules=[ModuleMatch(module, module.replace(".", "/") + ".py", 0.6, ["label"])],
        difficulty=Difficulty(score, ["small diff"]),
        skills=skills,
        taken=TakenStatus(state, ["assigned to someone"] if state == "taken" else []),
    )


def sample_plan() -> Plan:
    """A four-stage plan with steps, candidates and a contributing summary."""
    s1 = step(
        1,
        issue(101, "Typo in torch.nn.Linear docstring", ["module: docs", "good first issue"]),
        "torch.nn.modules.linear",
        "torch/nn/modules/linear.py",
        1,
        effort="an afternoon",
    )
    s1b = step(
        1,
        issue(102, "Clarify DataLoader num_workers warning", ["module: dataloader"]),
        "torch.utils.data.dataloader",
        "torch/utils/data/dataloader.py",
        1,
        effort="an afternoon",
    )
    s2 = step(
        2,
        issue(201, "interpolate: wrong shape with tuple scale_factor", ["module: nn", "triaged"]),
        "torch.nn.functional",
        "torch/nn/functional.py",
        2,
        taken=TakenStatus("stale-claim", ["@someone said 'I'll take it' 70 days ago"]),
    )
    s3 = step(
        3,
        issue(
            301,
            "Adam with foreach=True diverges for complex params",
            ["module: optimizer", "high priority"],
        ),
        "torch.optim.adam",
        "torch/optim/adam.py",
        3,
        fit=SkillFit(["python", "numerics", "cuda"], ["python", "numerics"], ["cuda"]),
        effort="1-2 weeks",
        test_command="python test/test_optim.py -k adam",
        tests=["test/test_optim.py"],
    )
    s4 = step(
        4,
        issue(
            401,
            "Add a native kernel for linear with bias broadcasting",
            ["module: cpp", "enhancement"],
        ),
        "aten/src/ATen/native/Linear.cpp",
        "aten/src/ATen/native/Linear.cpp",
        4,
        fit=SkillFit(["c++", "python"], ["python"], ["c++"]),
        effort="3-4 weeks",
    )
    stages = [
        Stage(
            1,
            "first-contact",
            "First contact",
            "Get one small change merged and learn the workflow.",
            [s1, s1b],
            [
                candidate(
                    issue(110, "Broken link in CONTRIBUTING", ["module: docs"]),
                    "torch",
                    1,
                    ["writing"],
                    "fresh",
                ),
                candidate(
                    issue(111, "Docstring example fails for torch.where", ["module: docs"]),
                    "torch._torch_docs",
                    1,
                    ["python"],
                    "taken",
                ),
            ],
        ),
        Stage(
            2,
            "small-fix",
            "Small fix",
            "Fix a contained bug with a test.",
            [s2],
            [
                candidate(
                    issue(210, "F.pad ignores value for reflect mode", ["module: nn"]),
                    "torch.nn.functional",
                    2,
                    ["python", "testing"],
                    "fresh",
                ),
                candidate(
                    issue(211, "clip_grad_norm_ error message unclear", ["module: nn"]),
                    "torch.nn.utils.clip_grad",
                    2,
                    ["python"],
                    "stale-claim",
                ),
            ],
        ),
        Stage(
            3,
            "real-bug",
            "Real bug",
            "Own a bug that users hit, end to end.",
            [s3],
            [
                candidate(
                    issue(310, "SGD nesterov wrong with weight_decay", ["module: optimizer"]),
                    "torch.optim.sgd",
                    3,
                    ["numerics"],
                    "fresh",
                )
            ],
        ),
        Stage(
            4,
            "substantial",
            "Substantial PR",
            "Design and land a feature reviewers trust you with.",
            [s4],
            [
                candidate(
                    issue(410, "Support bfloat16 in addmm on CPU", ["module: cpu"]),
                    "aten/src/ATen/native/Blas.cpp",
                    5,
                    ["c++", "numerics"],
                    "fresh",
                )
            ],
            also_fits={410: [3]},  # listed once, under stage 4; it would suit stage 3 too
        ),
    ]
    return Plan(
        repo=REPO,
        generated_at=NOW,
        data_fetched_at=FETCHED,
        skills=["python", "numerics", "testing"],
        stages=stages,
        contributing=ContributingSummary(
            source="CONTRIBUTING.md",
            build=["python setup.py develop", "USE_CUDA=0 for a CPU-only build"],
            lint=["lintrunner init && lintrunner"],
            test=["python test/run_test.py -i test_nn"],
            rules=["Sign the CLA before your first PR", "One logical change per pull request"],
        ),
        options={"skills": "python,numerics,testing"},
    )


def sample_progress() -> list[ProgressEntry]:
    return [
        ProgressEntry(
            REPO,
            101,
            1,
            StepStatus.MERGED,
            "2026-11-01T10:00:00Z",
            "2026-11-05T10:00:00Z",
            pr_url="https://github.com/pytorch/pytorch/pull/9001",
            title="Typo in torch.nn.Linear docstring",
        ),
        ProgressEntry(
            REPO,
            102,
            1,
            StepStatus.PR_OPEN,
            "2026-11-06T10:00:00Z",
            "2026-11-08T10:00:00Z",
            pr_url="https://github.com/pytorch/pytorch/pull/9002",
        ),
        ProgressEntry(
            REPO, 201, 2, StepStatus.STARTED, "2026-11-09T10:00:00Z", "2026-11-09T10:00:00Z"
        ),
    ]


def sample_events() -> list[ProgressEvent]:
    return [
        ProgressEvent(REPO, 101, StepStatus.STARTED, "2026-11-01T10:00:00Z"),
        ProgressEvent(REPO, 101, StepStatus.PR_OPEN, "2026-11-03T10:00:00Z", "pull/9001"),
        ProgressEvent(REPO, 101, StepStatus.MERGED, "2026-11-05T10:00:00Z"),
        ProgressEvent(REPO, 102, StepStatus.PR_OPEN, "2026-11-08T10:00:00Z", "pull/9002"),
        ProgressEvent(REPO, 201, StepStatus.STARTED, "2026-11-09T10:00:00Z"),
    ]


def sample_graph() -> nx.DiGraph:
    """A small code map graph: modules with path/lines/package/language/area attributes."""
    g = nx.DiGraph()
    nodes = {
        "torch": ("torch/__init__.py", "torch"),
        "torch._tensor": ("torch/_tensor.py", "torch"),
        "torch._torch_docs": ("torch/_torch_docs.py", "torch"),
        "torch.nn.functional": ("torch/nn/functional.py", "torch.nn"),
        "torch.nn.modules.linear": ("torch/nn/modules/linear.py", "torch.nn"),
        "torch.nn.modules.module": ("torch/nn/modules/module.py", "torch.nn"),
        "torch.nn.utils.clip_grad": ("torch/nn/utils/clip_grad.py", "torch.nn"),
        "torch.optim.adam": ("torch/optim/adam.py", "torch.optim"),
        "torch.optim.sgd": ("torch/optim/sgd.py", "torch.optim"),
        "torch.optim.optimizer": ("torch/optim/optimizer.py", "torch.optim"),
        "torch.utils.data.dataloader": ("torch/utils/data/dataloader.py", "torch.utils.data"),
        "torch.utils.data.sampler": ("torch/utils/data/sampler.py", "torch.utils.data"),
        "torch.autograd.grad_mode": ("torch/autograd/grad_mode.py", "torch.autograd"),
        "torch.testing._internal.common_utils": (
            "torch/testing/_internal/common_utils.py",
            "torch.testing",
        ),
        "aten/src/ATen/native/Linear.cpp": ("aten/src/ATen/native/Linear.cpp", "aten"),
        "aten/src/ATen/native/Blas.cpp": ("aten/src/ATen/native/Blas.cpp", "aten"),
        "aten/src/ATen/Tensor.h": ("aten/src/ATen/Tensor.h", "aten"),
    }
    for name, (path, area) in nodes.items():
        language = "cpp" if path.endswith((".cpp", ".h")) else "python"
        g.add_node(
            name, path=path, lines=400, package=path.split("/")[0], language=language, area=area
        )
    edges = [
        ("torch.nn.modules.linear", "torch.nn.functional"),
        ("torch.nn.modules.linear", "torch.nn.modules.module"),
        ("torch.nn.functional", "torch._tensor"),
        ("torch.nn.functional", "torch"),
        ("torch.nn.utils.clip_grad", "torch"),
        ("torch.optim.adam", "torch.optim.optimizer"),
        ("torch.optim.sgd", "torch.optim.optimizer"),
        ("torch.optim.optimizer", "torch.autograd.grad_mode"),
        ("torch.utils.data.dataloader", "torch.utils.data.sampler"),
        ("torch.utils.data.dataloader", "torch"),
        ("torch.testing._internal.common_utils", "torch.nn.functional"),
        ("torch._torch_docs", "torch"),
        ("aten/src/ATen/native/Linear.cpp", "aten/src/ATen/Tensor.h"),
        ("aten/src/ATen/native/Blas.cpp", "aten/src/ATen/Tensor.h"),
    ]
    for src, dst in edges:
        g.add_edge(
            src, dst, kind="include" if src.startswith("aten") else "import", conditional=False
        )
    return g


# --------------------------------------------------------------------------- hostile
XSS_FLAG = "__prready_pwned"
SCRIPT = f"<script>window.{XSS_FLAG}=1;alert(1)</script>"
IMG = f'<img src=x onerror="window.{XSS_FLAG}=1">'
JS_LINK = f"[click me](javascript:window.{XSS_FLAG}=1)"
BIDI = "safe\u202e\u2066gnp.exe\u2069\u200b\u200d\ufeff"
ANSI = "\x1b[2J\x1b[31mred\x1b[0m\x1b]0;pwned title\x07\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\\x9b31m\r\x08"
EVIL_LABEL = f'"><script>window.{XSS_FLAG}=1</script>'
EVIL_LOGIN = f'<b onmouseover="window.{XSS_FLAG}=1">root</b>'


def hostile_issue(number: int, n_labels: int = 10) -> Issue:
    body = "\n\n".join(
        [
            SCRIPT,
            IMG,
            JS_LINK,
            "[data](data:text/html;base64,PHNjcmlwdD4=)",
            f"<a href='javascript:window.{XSS_FLAG}=1' onclick='x()'>x</a>",
            BIDI,
            "<iframe src='https://evil.example'></iframe><style>body{display:none}</style>",
            "![tracker](https://evil.example/pixel.png)",
            "@pytorch/core please look",
        ]
    )
    return issue(
        number,
        f"{SCRIPT}{IMG} {BIDI} {ANSI} `code` | pipe | @maintainer *bold* [x](javascript:alert(1))",
        [EVIL_LABEL, f"label-{ANSI}", *[f"l{i}" for i in range(n_labels)]],
        body=body + "\n\n" + "A" * 1_000_000,
        author=EVIL_LOGIN,
        url=f"javascript:window.{XSS_FLAG}=1",
        assignees=[EVIL_LOGIN],
    )


def hostile_plan(n_labels: int = 10_000) -> Plan:
    """The sample plan with hostile text in every place GitHub content can appear."""
    plan = sample_plan()
    for stage in plan.stages:
        for i, st in enumerate(stage.steps):
            st.issue = hostile_issue(st.issue.number, n_labels if i == 0 else 5)
            st.reviewers = [EVIL_LOGIN, "@everyone"]
            st.why.append(f"{SCRIPT} {ANSI}")
            st.taken = TakenStatus("taken", [f"{IMG} claimed by @{EVIL_LOGIN}"])
            # Close enough to the step's best match (0.82) to be in its focus and drawn.
            st.modules.append(ModuleMatch(f"{SCRIPT}mod", "a/<b>.py", 0.6, [IMG]))
            st.start_reading.append(f"{EVIL_LABEL}.py")
            st.test_command = f"pytest `rm -rf /` {ANSI}"
        for cand in stage.candidates:
            cand.issue = hostile_issue(cand.issue.number, 20)
            cand.skills.append(EVIL_LABEL)
    plan.contributing.rules.append(f"{SCRIPT} {IMG} {ANSI}")
    plan.skills.append(EVIL_LABEL)
    return plan


def hostile_graph() -> nx.DiGraph:
    g = sample_graph()
    g.add_node(
        f"{SCRIPT}mod", path="a/<b>.py", lines=1, package="a", language="python", area=EVIL_LABEL
    )
    g.add_edge(f"{SCRIPT}mod", "torch")
    return g


def graph_nodes_shown(svg: str) -> int:
    """How many boxes an SVG from `plan_graph_svg` draws (each is a `class="node ..."` group)."""
    return svg.count('class="node ')
