"""Step cards read by hand on real trees (issue 13, "read the pages yourselves"): the
accelerate 1.2.1 and tinygrad 0.10.0 sdists (tests/sdist_trees.py) and PyTorch 1.13.1
(tests/pytorch_tree.py), each issue mapped, rated and described by the same code the
planner runs (mapping, assess_issues, describe_step with the names-in-tests index), so a
card's tests, reading list, setup note and evidence are checked whatever stage the issue
would land in. Slow: the trees are downloaded and mapped once per module."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from planfixtures import make_issue, private_sdist
from prready.analysis.contributing import readme_contributing_section, summarise_contributing
from prready.analysis.mapping import MapIndex
from prready.analysis.names_in_tests import NamesInTests
from prready.analysis.planner import assess_issues
from prready.analysis.skills import match_skills
from prready.analysis.steps import describe_step
from prready.code_models import CodeMap
from prready.models import ContributingSummary, Issue, Label, PlanStep
from sdistplan_issues import ACCELERATE_ISSUES, TINYGRAD_ISSUES
from torchplan_issues import OPEN_ISSUES as TORCH_ISSUES

pytestmark = pytest.mark.slow

NOW = "2026-12-01T00:00:00Z"


@dataclass
class Tree:
    slug: str
    code_map: CodeMap
    names: NamesInTests
    guide: ContributingSummary
    index: MapIndex


def _tree(slug: str, checkout: Path, home: Path) -> Tree:
    from mapfixtures import index_code, map_code
    from prready.app.names_in_tests import names_in_tests
    from prready.paths import resolve_paths
    from prready.store.parse_cache import ParseCache

    paths = resolve_paths({"PRREADY_HOME": str(home)})
    code_map = map_code(slug, paths, checkout=checkout)
    text, source = code_map.contributing, code_map.contributing_source
    if not text.strip() and (checkout / "README.md").is_file():
        # As the plan does: no CONTRIBUTING file, the README's section is the guide.
        text = readme_contributing_section((checkout / "README.md").read_text("utf-8"))
        source = "README.md (Contributing)"
    guide = summarise_contributing(text, source)
    with ParseCache(home / "names.db") as cache:
        names = names_in_tests(code_map, cache)
    return Tree(slug, code_map, names, guide, index_code(code_map, paths))


def _sdist_tree(name: str, slug: str, factory: pytest.TempPathFactory) -> Tree:
    repo = private_sdist(name, factory)
    return _tree(slug, repo, factory.mktemp(f"{name}-home"))


@pytest.fixture(scope="module")
def accelerate(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    return _sdist_tree("accelerate", "huggingface/accelerate", tmp_path_factory)


@pytest.fixture(scope="module")
def tinygrad(tmp_path_factory: pytest.TempPathFactory) -> Tree:
    return _sdist_tree("tinygrad", "tinygrad/tinygrad", tmp_path_factory)


def step_for(tree: Tree, issue: Issue, labels: tuple[str, ...] = ()) -> PlanStep:
    """The step card the planner would write for `issue` on `tree`."""
    assessment = assess_issues(
        [issue], tree.code_map, [Label(name) for name in labels], {}, now=NOW, index=tree.index
    )[0]
    fit = match_skills(assessment.skills, ["python"])
    return describe_step(
        3, assessment, fit, tree.code_map, tree.guide, test_names=tree.names
    )


@pytest.fixture(scope="module")
def pytorch(pytorch_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> Tree:
    return _tree("pytorch/pytorch", pytorch_tree, tmp_path_factory.mktemp("pytorch-home"))


def report_step(tree: Tree, reports: list[Any], title_start: str) -> PlanStep:
    report = next(r for r in reports if r.title.startswith(title_start))
    issue = replace(make_issue(7, report.title, report.body, report.labels), repo=tree.slug)
    return step_for(tree, issue, report.labels)


def _imports_of(repo_root: str, test: str) -> str:
    return (Path(repo_root) / test).read_text("utf-8")


# --------------------------------------------------------------------------- accelerate
def test_a_commands_issue_runs_the_cli_tests_first(accelerate: Tree) -> None:
    """`accelerate config` fails in Colab: the mapping ranks accelerate.commands.* first,
    so the first test to run is tests/test_cli.py (it imports and calls
    accelerate.commands.launch), not a test that only calls `debug_launcher` of the
    weaker accelerate.launchers match."""
    step = report_step(accelerate, ACCELERATE_ISSUES, "failed to run accelerate config")
    assert step.modules[0].name.startswith("accelerate.commands."), step.modules[:3]
    assert step.tests[0] == "tests/test_cli.py", step.tests
    assert "accelerate.commands" in _imports_of(accelerate.code_map.root, step.tests[0])
    assert step.test_command.startswith("python -m pytest tests/test_cli.py"), step.test_command



# --------------------------------------------------------------------------- tinygrad
@pytest.mark.parametrize(
    "title_start",
    ["CLANG backend: compile error", "Beam search in tinygrad/engine/search.py"],
)
def test_a_compiling_backend_is_no_python_only_setup(tinygrad: Tree, title_start: str) -> None:
    """tinygrad's CLANG backend writes C and compiles it with clang at run time: the card
    must not promise "no compiler needed" for an issue that runs through it."""
    step = report_step(tinygrad, TINYGRAD_ISSUES, title_start)
    notes = " ".join(step.setup_notes)
    assert "no compiler needed" not in notes, notes
    assert "CLANG backend compiles code at run time" in notes and "clang" in notes, notes
    # Nor may the difficulty's reasons, shown on the same card, say otherwise.
    reasons = " ".join(step.difficulty.reasons)
    assert "compiler" not in reasons and "Python code only" in reasons, reasons


def test_a_tensor_issue_still_runs_through_a_compiling_backend(tinygrad: Tree) -> None:
    """tinygrad compiles every kernel at run time (CLANG or LLVM on a CPU): even a
    Tensor.cumsum fix cannot be tested without one of those toolchains."""
    step = report_step(tinygrad, TINYGRAD_ISSUES, "`Tensor.cumsum` on a zero-length axis")
    notes = " ".join(step.setup_notes)
    assert "no compiler needed" not in notes
    assert "compiles its kernels at run time" in notes and "clang" in notes, notes


def test_a_library_that_only_runs_on_cuda_compiles_nothing(accelerate: Tree) -> None:
    """accelerate names CUDA as a device, not a backend of its own that compiles code."""
    step = report_step(accelerate, ACCELERATE_ISSUES, "Muti node CUDA error")
    assert step.setup_notes == ["Python only: an editable install is enough, no compiler needed."]



TENSOR_ISSUES = {
    "mypy: `Tensor.tolist`": "Tensor.tolist",
    "`Tensor.interpolate` with mode='nearest'": "Tensor.interpolate",
    "`Tensor.split` with sizes": "Tensor.split",
    "`Tensor.cumsum` on a zero-length axis": "Tensor.cumsum",
    "`sparse_categorical_crossentropy` ignores": "sparse_categorical_crossentropy",
}


def test_start_reading_follows_the_issue_not_the_central_files(tinygrad: Tree) -> None:
    """Five Tensor issues: each card starts at tinygrad/tensor.py and the method the issue
    names, not at tensor.py's central neighbours (function.py, helpers.py, device.py)."""
    for title_start, name in TENSOR_ISSUES.items():
        step = report_step(tinygrad, TINYGRAD_ISSUES, title_start)
        assert step.start_reading == ["tinygrad/tensor.py"], (title_start, step.start_reading)
        assert step.look_for == {"tinygrad/tensor.py": [name]}, (title_start, step.look_for)


def test_start_reading_follows_the_traceback_and_the_names(tinygrad: Tree) -> None:
    step = report_step(tinygrad, TINYGRAD_ISSUES, "CLANG backend: compile error")
    assert step.start_reading == [
        "tinygrad/device.py", "tinygrad/runtime/ops_clang.py", "tinygrad/tensor.py",
    ]  # fmt: skip
    assert step.look_for["tinygrad/device.py"] == ["compile_cached"]
    assert step.look_for["tinygrad/runtime/ops_clang.py"] == ["compile"]
    assert step.look_for["tinygrad/tensor.py"] == ["Tensor.where"]


def test_a_site_packages_traceback_reads_the_src_layout(accelerate: Tree) -> None:
    """accelerate lives under src/: a frame in site-packages/accelerate/... is the file
    src/accelerate/... of the checkout, and its function is the one to look for."""
    step = report_step(accelerate, ACCELERATE_ISSUES, "failed to run accelerate config")
    assert "src/accelerate/commands/config/cluster.py" in step.start_reading, step.start_reading
    assert step.look_for["src/accelerate/commands/config/cluster.py"] == ["get_cluster_input"]
    step = report_step(accelerate, ACCELERATE_ISSUES, "split_between_processes support")
    assert step.start_reading == ["src/accelerate/state.py"]
    assert step.look_for == {"src/accelerate/state.py": ["PartialState.split_between_processes"]}



@pytest.mark.parametrize(
    ("title_start", "named", "command"),
    [
        ("`Tensor.interpolate` with mode='nearest'", "test/test_ops.py",
         "python test/test_ops.py -k interpolate"),
        ("`Tensor.split` with sizes", "test/test_ops.py", ""),
        ("`Tensor.cumsum` on a zero-length axis", "test/test_ops.py", ""),
        ("mypy: `Tensor.tolist`", "test/test_tensor.py", "python test/test_tensor.py -k tolist"),
    ],
)  # fmt: skip
def test_the_test_named_after_the_method_runs_early(
    tinygrad: Tree, title_start: str, named: str, command: str
) -> None:
    """test/test_ops.py holds `test_cumsum`, `test_split`, `test_interpolate_*`: it is among
    the first two tests, before test/test_tensor.py (the file named after tensor.py) when
    that has no such test; a file whose words match the issue better may lead (for the
    split and cumsum issues, test_fuzz_shape_ops.py and test_dtype.py: the fused order is
    measured by bench/bench_step_tests.py). The command runs the first file, selecting the
    title's name where that file has such a test."""
    step = report_step(tinygrad, TINYGRAD_ISSUES, title_start)
    assert named in step.tests[:2], step.tests
    if named != "test/test_tensor.py" and "test/test_tensor.py" in step.tests:
        assert step.tests.index(named) < step.tests.index("test/test_tensor.py"), step.tests
    assert step.test_command.startswith(f"python {step.tests[0]}"), step.test_command
    if command:
        assert step.test_command == command


# --------------------------------------------------------------------------- PyTorch 1.13.1
@pytest.mark.parametrize(
    ("title_start", "reading", "look_for"),
    [
        ("Docs for torch.optim.lr_scheduler.OneCycleLR", ["torch/optim/lr_scheduler.py"],
         ["OneCycleLR"]),
        ("OneCycleLR raises ZeroDivisionError", ["torch/optim/lr_scheduler.py"],
         ["OneCycleLR", "get_lr"]),
        ("SGD with nesterov=True", ["torch/optim/sgd.py"], ["SGD"]),
        ("LBFGS with line_search_fn", ["torch/optim/lbfgs.py"], ["LBFGS"]),
    ],
)  # fmt: skip
def test_pytorch_cards_read_the_issues_class_and_run_tests_under_test(
    pytorch: Tree, title_start: str, reading: list[str], look_for: list[str]
) -> None:
    """The optimizer issues start at their own file and class, not at torch/optim's
    __init__ (the `module: optimizer` label's area) or its central neighbours; tests found
    by what they import come from test/, never torch/csrc/lazy/test_mnist.py."""
    step = report_step(pytorch, TORCH_ISSUES, title_start)
    assert step.start_reading == reading, step.start_reading
    assert step.look_for == {reading[0]: look_for}
    assert step.tests[0] == "test/test_optim.py", step.tests
    assert all(t.startswith("test/") for t in step.tests), step.tests


# --------------------------------------------------------------------------- evidence
QUOTED = re.compile(r"words ((?:'[^']*'(?:, )?)+) match")
IDENT_PARTS = r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+"


@pytest.mark.parametrize("which", ["accelerate", "tinygrad"])
def test_evidence_quotes_the_issues_own_words(which: str, request: pytest.FixtureRequest) -> None:
    """Every word an evidence line quotes is in the issue as written: `sizes`, never the
    stem `siz`; `find_executable_batch_size`, never `findexecutablebatchsize`."""
    tree: Tree = request.getfixturevalue(which)
    reports = ACCELERATE_ISSUES if which == "accelerate" else TINYGRAD_ISSUES
    issues = [
        replace(make_issue(n, r.title, r.body, r.labels), repo=tree.slug)
        for n, r in enumerate(reports, 1)
    ]
    assessed = assess_issues(issues, tree.code_map, [], {}, now=NOW, index=tree.index)
    quoted = 0
    for a in assessed:
        tokens = re.findall(r"[A-Za-z_]\w*", f"{a.issue.title}\n{a.issue.body}")
        # As written: a whole identifier or one of its parts (`product` of
        # `scaled_dot_product_attention`, `Error` of `CompileError`).
        written = {*tokens, *(p for t in tokens for p in re.findall(IDENT_PARTS, t))}
        for match in a.modules:
            for line in match.evidence:
                for found in QUOTED.finditer(line):
                    for word in re.findall(r"'([^']*)'", found.group(1)):
                        quoted += 1
                        assert word in written, (a.issue.title, line, word)
    assert quoted > 50
    if which == "tinygrad":
        split = next(a for a in assessed if a.issue.title.startswith("`Tensor.split`"))
        lines = [line for m in split.modules for line in m.evidence]
        assert any("'sizes'" in line for line in lines) and not any("'siz'" in x for x in lines)
