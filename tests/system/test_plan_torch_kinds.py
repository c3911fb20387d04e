"""Issue 13 on the real torch tree: `prready plan pytorch/pytorch` over the installed torch
wheel (tests/torchfixtures.py) with PyTorch-style issues including trackers, questions,
RFCs, MPS-only and multi-node bugs (tests/torchplan_issues.py). Asserts the plan's rules:
no step is work that is never a step, no hardware-bound step without --hardware, stage 1
holds only docs/tests/typing/beginner work, difficulty never falls, and other --skills
give another plan. Slow: skipped when torch is not installed."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from planfixtures import plan_json_cli
from prready.analysis.kinds import classify_issue, set_aside_reason
from prready.models import Issue
from torchfixtures import make_torch_repo, torch_source
from torchplan_issues import REPO, serve_torch_issues

pytestmark = pytest.mark.slow

NEVER_STEPS = {
    "General MPS op coverage tracking issue": "tracking",
    "torch.special tracking issue": "tracking",
    "Python/C++ API parity master tracking task": "tracking",
    "About the use of gather to compute metrics": "question",
    "What will happen if I use torch.autocast but don't add a GradScaler": "question",
    "[RFC] Deprecate the positional `dim` of torch.nn.functional.softmax": "rfc",
    "[RFC] Add a `foreach` implementation of Adafactor": "rfc",
    "torch.special.xlogy returns nan for x=0, y=nan": "needs-repro",
    "MPS: torch.linalg.svd returns non-orthogonal U on Apple silicon": "hardware",
    "Multi-node training hangs at init_process_group with the NCCL backend": "hardware",
}
LEARNING = ("docs", "tests")


@pytest.fixture(scope="module")
def torch_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    source = torch_source()
    if source is None:
        pytest.skip("torch is not installed (pip install torch==2.13.0)")
    work = tmp_path_factory.mktemp("torch-kinds")
    yield make_torch_repo(work / "pytorch", source)
    shutil.rmtree(work, ignore_errors=True)  # some 300 MB, kept by pytest until the session ends


def _plan(repo: Path, server: Any, out: Path, *extra: str) -> dict[str, Any]:
    return plan_json_cli(REPO, repo, server.url, out, *extra)


def _kinds(step: dict[str, Any]) -> Any:
    issue = step["issue"]
    return classify_issue(
        Issue(REPO, issue["number"], issue["title"], issue["body_excerpt"], "open",
              issue["labels"], [], "", 0, 0, "", "", None, "")
    )  # fmt: skip


def test_torch_plan_follows_the_stage_rules(
    torch_repo: Path, github_server: Any, tmp_path: Path
) -> None:
    serve_torch_issues(github_server.dataset, datetime.now(timezone.utc))
    plan = _plan(torch_repo, github_server, tmp_path / "a.json", "--skills", "python,nn,testing")
    stages = plan["stages"]
    steps = [st for s in stages for st in s["steps"]]
    assert all(s["steps"] or s["note"] for s in stages)
    titles = {st["issue"]["title"] for st in steps}
    aside = {x["issue"]["title"]: x["kind"] for x in plan["set_aside"]}
    for title, kind in NEVER_STEPS.items():
        assert title not in titles, title
        assert aside.get(title) == kind, (title, aside.get(title))
    for step in steps:
        kinds = _kinds(step)
        assert set_aside_reason(kinds) is None, step["issue"]["title"]
        assert not kinds.hardware, (step["issue"]["title"], kinds.hardware)
    # Stage 1: docs, tests or typing work, or a change maintainers marked for newcomers.
    for step in stages[0]["steps"]:
        beginner = {"good first issue", "module: bootcamp", "small", "newcomer"}
        assert _kinds(step).has(*LEARNING) or beginner & set(step["issue"]["labels"]), step
        assert step["difficulty"]["score"] <= 2
    # Difficulty never falls from one stage to the next.
    levels = [[st["difficulty"]["score"] for st in s["steps"]] for s in stages if s["steps"]]
    for earlier, later in itertools.pairwise(levels):
        assert max(earlier) <= min(later), levels
    # The MPS bug comes back for someone with a Mac; other skills give another plan.
    mac = _plan(torch_repo, github_server, tmp_path / "b.json", "--skills", "python,nn,testing",
                "--hardware", "mps")  # fmt: skip
    mac_aside = {x["issue"]["title"] for x in mac["set_aside"]}
    assert "MPS: torch.linalg.svd returns non-orthogonal U on Apple silicon" not in mac_aside
    assert "General MPS op coverage tracking issue" in mac_aside  # still a tracker
    other = _plan(torch_repo, github_server, tmp_path / "c.json", "--skills", "cpp,cuda,autograd")
    picked = [[st["issue"]["number"] for st in s["steps"]] for s in stages]
    assert picked != [[st["issue"]["number"] for st in s["steps"]] for s in other["stages"]]
