"""`prready plan pytorch/pytorch` end to end at real scale: the installed torch wheel's
tree as a git repository with a year of history (tests/torchfixtures.py), about sixty
PyTorch-style issues served by the loopback GitHub server (tests/torchplan_issues.py),
run through the CLI in html, json and md. Slow: skipped when torch is not installed."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from prready.cli import cli
from renderfixtures import graph_nodes_shown
from torchfixtures import make_torch_repo, torch_source
from torchplan_issues import OPEN_ISSUES, REPO, serve_torch_issues, taken_titles

pytestmark = pytest.mark.slow

MAX_PAGE_BYTES = 2_000_000
MAX_SVG_NODES = 40
STAGE_KINDS = {1: "First contact", 2: "A small fix", 3: "A real bug", 4: "A substantial"}


@pytest.fixture(scope="module")
def torch_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    source = torch_source()
    if source is None:
        pytest.skip("torch is not installed (pip install torch==2.13.0)")
    work = tmp_path_factory.mktemp("torch-plan")
    yield make_torch_repo(work / "pytorch", source)
    shutil.rmtree(work, ignore_errors=True)  # some 300 MB, kept by pytest until the session ends


@pytest.fixture
def served(github_server: Any) -> Any:
    serve_torch_issues(github_server.dataset, datetime.now(timezone.utc))
    return github_server


def _plan(repo: Path, server: Any, out: Path, fmt: str, *extra: str) -> tuple[Any, float]:
    args = [
        "plan", REPO, "--git-url", str(repo), "--api-url", server.url, "--token", "x",
        "--skills", "python,nn,testing", "--format", fmt, "--output", str(out), *extra,
    ]  # fmt: skip
    start = time.perf_counter()
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    return result, time.perf_counter() - start


def test_torch_plan_end_to_end(torch_repo: Path, served: Any, tmp_path: Path) -> None:
    timings = {}
    out = tmp_path / "plan.json"
    result, timings["cold json"] = _plan(torch_repo, served, out, "json")
    assert result.exit_code == 0, result.output
    page = tmp_path / "plan.html"
    result, timings["warm html"] = _plan(torch_repo, served, page, "html")
    assert result.exit_code == 0, result.output
    md = tmp_path / "plan.md"
    result, timings["warm md"] = _plan(torch_repo, served, md, "md")
    assert result.exit_code == 0, result.output
    print("\nprready plan on torch: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))

    plan = json.loads(out.read_text())
    stages = plan["stages"]
    assert [s["number"] for s in stages] == [1, 2, 3, 4]
    assert all(s["steps"] for s in stages), [len(s["steps"]) for s in stages]
    for stage in stages:
        assert stage["title"].startswith(STAGE_KINDS[stage["number"]])

    # Difficulty rises stage by stage (steps pinned from an earlier plan aside; this is
    # the first plan, so there are none).
    assert not any("earlier plan" in w for s in stages for st in s["steps"] for w in st["why"])
    levels = [[st["difficulty"]["score"] for st in s["steps"]] for s in stages]
    for earlier, later in itertools.pairwise(levels):
        if earlier and later:
            assert max(earlier) <= max(later) and min(earlier) <= min(later), levels

    steps = [st for s in stages for st in s["steps"]]
    titles = {st["issue"]["title"] for st in steps}
    assert not titles & taken_titles(), titles & taken_titles()
    written = {i.title for i in OPEN_ISSUES}
    assert titles <= written
    for st in steps:
        _assert_step_is_grounded(st, torch_repo)

    html = page.read_text()
    assert len(html.encode()) < MAX_PAGE_BYTES
    svg = re.search(r"<svg[^>]*class=\"codemap\".*?</svg>", html, re.S)
    assert svg is not None
    assert 4 <= graph_nodes_shown(svg.group(0)) <= MAX_SVG_NODES
    assert "x" not in re.findall(r"token=(\w+)", html)

    text = md.read_text()
    assert all(f"#{st['issue']['number']} " in text for st in steps)


def _assert_step_is_grounded(step: dict[str, Any], repo: Path) -> None:
    """Modules are real torch modules, files to read exist, tests exist and the command
    runs one of them (never the whole suite), and weak matches have not leaked into
    skills or difficulty."""
    number = step["issue"]["number"]
    assert step["modules"], number
    for module in step["modules"][:3]:
        path = module["path"].rstrip("/")
        assert path and (repo / path).exists(), (number, module)
        assert path.startswith(("torch", "test")), (number, module)
    assert step["start_reading"], number
    for rel in step["start_reading"]:
        assert (repo / rel).is_file(), (number, rel)
        assert rel != "torch/__init__.py" or step["modules"][0]["name"] == "torch", number
    assert len(step["start_reading"]) <= 6
    for rel in step["tests"]:
        assert (repo / rel).is_file(), (number, rel)
    command = step["test_command"]
    assert bool(command) == bool(step["tests"]), (number, command)
    named = [w for w in command.split() if w.endswith(".py") or w.endswith("/")]
    assert not any(w.endswith("/") for w in named), (number, command)
    for word in named:
        assert (repo / word).is_file() and word in step["tests"], (number, command)
    assert len(step["reviewers"]) <= 5
    assert 1 <= step["difficulty"]["score"] <= 5
    assert step["setup_notes"] and step["effort"]


def test_torch_issues_listing_reads_cleanly(torch_repo: Path, served: Any, tmp_path: Path) -> None:
    """Skills and difficulty follow the strong matches: a docs typo in torch.nn.init is
    not 'C++' work, and a word like 'mode' does not pull in ATen headers."""
    result, _ = _plan(torch_repo, served, tmp_path / "p.json", "json")
    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(cli, ["issues", REPO, "--offline", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    issues = {i["title"]: i for i in json.loads(listed.output)}
    typo = issues["Typo in nn.init.trunc_normal_ docstring: 'standart deviation'"]
    assert typo["modules"][0]["name"] == "torch.nn.init"
    assert "cpp" not in typo["skills"] and typo["difficulty"] <= 2
    assert not any("among the most imported" in r for r in typo["difficulty_reasons"])
    normal = issues[
        "torch.distributions.Normal docstring: scale is the standard deviation, not variance"
    ]
    assert "distributed" not in normal["skills"]
    assert all(m["name"] != "torch.distributed" for m in normal["modules"])
    recompile = issues[
        "torch.compile with mode='max-autotune' recompiles every step for dynamic batch sizes"
    ]
    assert all("include/ATen/ops/mode.h" not in m["path"] for m in recompile["modules"])
    bn = issues["nn.BatchNorm1d error message for 1-element batch names the wrong dimension"]
    assert not any(r.startswith("spans") for r in bn["difficulty_reasons"])
