"""Repository facts on the step cards (issue 13, item 5), on small code maps in the
layouts of real libraries built node by node: tests found by the repository's
conventions and ranked by directness, a one-test command in the repository's runner,
reviewers as GitHub logins, setup notes and effort that know a native build and the
contributing guide's Python-only path. Slow tests check the same on PyTorch 1.13.1."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from planfixtures import make_issue
from prready.analysis.areas import github_login, past_change_sizes
from prready.analysis.build import BuildFacts, build_facts_to_plain
from prready.analysis.contributing import summarise_contributing
from prready.analysis.issue_templates import template_text
from prready.analysis.names_in_tests import NamesInTests, identifiers_in
from prready.analysis.native_ops import NativeOps, parse_native_functions
from prready.analysis.step_tests import fuse_tests, notes_for_tests, one_test_command, rank_tests
from prready.analysis.steps import describe_step, issue_names
from prready.cli import cli
from prready.code_models import AreaInfo, CodeMap, CommitRecord, ModuleInfo
from prready.models import (
    ContributingSummary,
    Difficulty,
    IssueAssessment,
    ModuleMatch,
    SkillFit,
    TakenStatus,
)
from torchplan_issues import REPO, serve_torch_issues

PYTORCH_GUIDE = ContributingSummary(
    "CONTRIBUTING.md",
    ["python setup.py install", "python setup.py develop"],
    [],
    ["python test/run_test.py", "python test/test_jit.py", "pytest test/test_nn.py -k Loss -v"],
    [],
    python_only=["./tools/nightly.py checkout -b my-nightly-branch"],
)
PLAIN_GUIDE = ContributingSummary("CONTRIBUTING.md", ["pip install -e ."], [], ["pytest"], [])
NATIVE = build_facts_to_plain(
    BuildFacts(True, ["setup.py: extension modules (Extension)", "CMakeLists.txt at the root"])
)


def code_map(
    paths: list[str],
    edges: list[tuple[str, str]],
    *,
    areas: dict[str, str] | None = None,
    build: dict | None = None,  # type: ignore[type-arg]
) -> CodeMap:
    """A map of Python files (module names from paths; `__init__.py` names its package;
    files under test/ or tests/ named test_*.py or *_test.py, and conftest.py, are
    tests, as layout.is_test_path says); areas by prefix (longest wins)."""
    graph = nx.DiGraph()
    modules: dict[str, ModuleInfo] = {}
    area_infos: dict[str, AreaInfo] = {}
    for path in paths:
        name = path[:-3].replace("/", ".").removesuffix(".__init__")
        base = path.rsplit("/", 1)[-1]
        is_test = base == "conftest.py" or base.startswith("test_") or base.endswith("_test.py")
        area = max(
            (a for a in (areas or {}) if name == a or name.startswith(a + ".")),
            key=len,
            default=name.split(".")[0],
        )
        modules[name] = ModuleInfo(
            name, path, "python", 40, name.split(".")[0], area, is_test=is_test
        )
        graph.add_node(name, path=path, language="python", area=area)
        info = area_infos.setdefault(area, AreaInfo(area, [], [], {}))
        info.modules.append(name)
        info.languages["python"] = info.languages.get("python", 0) + 1
    for a, b in edges:
        graph.add_edge(a, b, kind="import", conditional=False)
    for name, info in modules.items():
        info.dependents = graph.in_degree(name)
    return CodeMap(
        "o/r", "/nonexistent", "0" * 40, graph, modules, area_infos, {}, build=build or {}
    )


TORCH_LIKE = [
    "torch/__init__.py",
    "torch/linalg/__init__.py",
    "torch/nested/__init__.py",
    "torch/nn/__init__.py",
    "torch/nn/functional.py",
    "torch/cuda/__init__.py",
    "test/conftest.py",
    "test/test_linalg.py",
    "test/test_nestedtensor.py",
    "test/test_nn.py",
    "test/test_nnapi.py",
    "test/test_cuda.py",
    "test/autograd/test_functional.py",
    "test/test_autograd.py",
    "test/distributed/test_c10d_nccl.py",
]
# PyTorch's tests import `torch`, not the submodule they test.
TORCH_EDGES = [(t[:-3].replace("/", "."), "torch") for t in TORCH_LIKE if t.startswith("test/")]
TORCH_EDGES += [
    ("torch", "torch.linalg"),
    ("torch", "torch.nested"),
    ("torch", "torch.nn"),
    ("test.test_nn", "torch.nn.functional"),
    ("test.test_autograd", "torch.nn.functional"),
    ("test.conftest", "torch.nn.functional"),
]
TORCH_AREAS = {a: a for a in ("torch.linalg", "torch.nested", "torch.nn", "torch.cuda", "test")}


def test_conventional_file_for_the_area_when_tests_import_only_torch() -> None:
    cm = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS)
    assert rank_tests(["torch.linalg"], cm) == [("test/test_linalg.py", 1)]
    assert rank_tests(["torch.nested"], cm) == [("test/test_nestedtensor.py", 2)]


def test_ranked_by_directness_never_conftest() -> None:
    cm = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS)
    ranked = [path for path, _ in rank_tests(["torch.nn.functional"], cm)]
    # test_nn.py is the area's file; test_autograd.py imports the module; test_nnapi.py
    # only starts with "nn" and test/autograd/test_functional.py tests autograd's own
    # `functional`: both after the conventional file, never before.
    assert ranked[0] == "test/test_nn.py"
    assert "test/conftest.py" not in ranked
    assert ranked.index("test/test_autograd.py") < ranked.index("test/autograd/test_functional.py")
    assert "test/test_nnapi.py" in ranked[1:]


def test_tests_found_by_the_names_they_call() -> None:
    """PyTorch's tests import only `torch`: what a file calls ties it to the code. A file
    calling the name the issue uses ranks first, a GPU test last, common names count for
    nothing, and `-k` is given only when it selects a test of the first file."""
    cm = code_map(
        [*TORCH_LIKE, "test/test_ops.py", "test/test_misc.py", "test/test_lots.py"],
        TORCH_EDGES,
        areas=TORCH_AREAS,
    )
    cm.symbols = {
        "torch.nested.nested_tensor": "torch.nested",
        "torch.nested.as_nested_tensor": "torch.nested",
    }
    sources = {
        "test/test_ops.py": b"import torch\ndef test_nested_tensor_from_list():\n"
        b"    torch.nested.nested_tensor([a, b]); torch.nested.nested_tensor([a])\n",
        "test/test_cuda.py": b"def test_nested_on_gpu():\n    torch.nested.nested_tensor([a]).cuda()\n"
        b"    torch.nested.nested_tensor([b]); torch.nested.nested_tensor([c])\n",
        "test/test_misc.py": b"def test_misc():\n    torch.nested.as_nested_tensor(x)\n",
        "test/test_nn.py": b"def test_relu():\n    torch.relu(x)\n",
    }
    # "relu" is in more than a quarter of the files and at least COMMON_FLOOR of them.
    many = {f"test/test_x{i}.py": [("relu", 1)] for i in range(9)}
    names = NamesInTests.build({**{p: identifiers_in(src) for p, src in sources.items()}, **many})
    assert "relu" not in names.users and names.using(["relu"]) == {}
    ranked = rank_tests(["torch.nested"], cm, names, ["nested_tensor"])
    assert ranked[:3] == [
        ("test/test_ops.py", 2),  # calls the issue's name
        ("test/test_nestedtensor.py", 2),  # named after the area (uses none of the names)
        ("test/test_misc.py", 4),  # calls another name the seed defines
    ]
    assert ranked[-1] == ("test/test_cuda.py", 5)  # calls it most, but needs a GPU
    # Without the index, the ranking is the one the conventions give.
    assert rank_tests(["torch.nested"], cm) == [("test/test_nestedtensor.py", 2)]
    assert names.selects("test/test_ops.py", "nested_tensor")
    assert not names.selects("test/test_misc.py", "nested_tensor")


def test_the_titles_name_leads_the_bodys_helpers() -> None:
    """tinygrad's "`Tensor.split` gives an unhelpful error" with `Tensor.rand` in its
    reproduction: a file with a test named after the title's name comes first, then the
    file calling it most, and the file calling only the body's helper last."""
    cm = code_map([*TORCH_LIKE, "test/test_ops.py", "test/test_tqdm.py", "test/test_random.py"],
                  TORCH_EDGES, areas=TORCH_AREAS)  # fmt: skip
    sources = {
        "test/test_ops.py": b"def test_split():\n    Tensor.rand(4).split(2)\n",
        "test/test_tqdm.py": b"def test_bar():\n    s.split(); s.split(); s.split()\n",
        "test/test_random.py": b"def test_rand():\n" + b"    Tensor.rand(3)\n" * 9,
    }
    names = NamesInTests.build({p: identifiers_in(src) for p, src in sources.items()})
    ranked = rank_tests(["torch.nested"], cm, names, ["split", "rand"], ["split"])
    assert [p for p, _ in ranked[:3]] == [
        "test/test_ops.py", "test/test_tqdm.py", "test/test_random.py"
    ]  # fmt: skip
    # Without lead names, the file calling the issue's names most comes first.
    assert rank_tests(["torch.nested"], cm, names, ["split", "rand"])[0][0] == "test/test_random.py"


def test_nested_test_scripts_and_a_guide_closing_docs_changes() -> None:
    """tinygrad's README runs `python3 test/backend/test_ops.py`: one file per command,
    never `python3 a.py b.py`; it closes docs-only PRs from newcomers, so a docstring
    typo step says so."""
    guide = summarise_contributing(
        "```sh\npython3 test/backend/test_ops.py\npython3 -m pytest test/\n```\n\n"
        "All docs and whitespace changes will be closed unless you are a well-known "
        "contributor.",
        "README.md (Contributing)",
    )
    tests = ["test/null/test_device.py", "test/null/test_viz.py"]
    assert one_test_command(tests, "", guide) == "python test/null/test_device.py"
    script_less = ContributingSummary("README.md", [], [], ["python3 tools/check.py"], [])
    assert one_test_command(tests, "", script_less).startswith("python -m pytest test/null/")
    cm = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS)
    step = _step(cm, "torch.linalg", "torch/linalg/__init__.py", guide,
                 title="Typo in the `svd` docstring")  # fmt: skip
    assert any("closes docs-only pull requests" in n for n in step.setup_notes)
    step = _step(cm, "torch.linalg", "torch/linalg/__init__.py", guide,
                 title="torch.linalg.svd returns NaN")  # fmt: skip
    assert not any("docs-only" in n for n in step.setup_notes)


def test_an_issue_that_needs_a_gpu_keeps_its_gpu_tests_first() -> None:
    """Whoever works on a CUDA issue has a GPU (a plan sets the issue aside otherwise): the
    GPU test that calls the issue's name most is not put after the others; the same words
    without CUDA in the title put it last."""
    cm = code_map([*TORCH_LIKE, "test/test_ops.py"], TORCH_EDGES, areas=TORCH_AREAS)
    cm.symbols = {"torch.nested.nested_tensor": "torch.nested"}
    sources = {
        "test/test_ops.py": b"def test_nested_tensor_from_list():\n    torch.nested.nested_tensor(a)\n",
        "test/test_cuda.py": b"def test_nested_tensor_on_gpu():\n"
        b"    torch.nested.nested_tensor([a]).cuda(); torch.nested.nested_tensor([b]).cuda()\n",
    }
    names = NamesInTests.build({p: identifiers_in(src) for p, src in sources.items()})

    def tests_for(title: str) -> list[str]:
        return _nested_step(make_issue(8, title), cm, PYTORCH_GUIDE, names).tests

    on_gpu = tests_for("CUDA: nested_tensor loses its device on the GPU")
    assert on_gpu[0] == "test/test_cuda.py", on_gpu
    on_cpu = tests_for("nested_tensor loses its device")
    assert on_cpu[-1] == "test/test_cuda.py" and on_cpu[0] != "test/test_cuda.py", on_cpu


def test_a_docs_change_in_code_gets_the_files_own_tests_and_the_style_checks() -> None:
    """A typo in a docstring (peft #3403's kind) changes no behaviour: the tests its words
    find (every test calling `nested_tensor`) are no check of it; the guide's style checks
    are."""
    cm = code_map([*TORCH_LIKE, "test/test_ops.py"], TORCH_EDGES, areas=TORCH_AREAS)
    cm.symbols = {"torch.nested.nested_tensor": "torch.nested"}
    sources = {
        "test/test_ops.py": b"def test_nested_tensor_from_list():\n    torch.nested.nested_tensor(a)\n",
    }
    names = NamesInTests.build({p: identifiers_in(src) for p, src in sources.items()})
    guide = replace(PYTORCH_GUIDE, lint=["make lint"])

    def step_for(title: str) -> Any:
        docs = Difficulty(1, ["docs"])
        return _nested_step(make_issue(8, title), cm, guide, names, stage=1, difficulty=docs)

    code = step_for("nested_tensor loses its device")
    assert "test/test_ops.py" in code.tests
    assert not any("docs change in code" in n for n in code.setup_notes)
    typo = step_for("Typo in the docstring of nested_tensor")
    assert "test/test_ops.py" not in typo.tests
    assert any("style checks (make lint)" in n for n in typo.setup_notes), typo.setup_notes
    assert "test/test_ops.py" not in step_for("[Docs] nested_tensor's device argument").tests
    # A bug that only mentions the docs is a bug: its tests stay.
    bug = step_for("nested_tensor ignores device, contrary to the docs")
    assert "test/test_ops.py" in bug.tests
    assert not any("docs change in code" in n for n in bug.setup_notes)


def test_a_steps_tests_follow_the_reporters_words_not_the_templates() -> None:
    """A prompt the reporter left in place ("add screenshots to help explain your
    problem") is no reason to run the tests that take screenshots: the tests found by the
    issue's words come from what the reporter wrote once the map knows the templates."""
    cm = code_map(
        [*TORCH_LIKE, "test/test_ops.py", "test/test_screenshots.py"],
        TORCH_EDGES,
        areas=TORCH_AREAS,
    )
    cm.symbols = {"torch.nested.nested_tensor": "torch.nested"}
    sources = {
        "test/test_ops.py": b"def test_nested_tensor_from_list():\n    torch.nested.nested_tensor(a)\n",
        "test/test_screenshots.py": b"def test_screenshots_help_explain_problem():\n    add_screenshots(x)\n",
    }
    names = NamesInTests.build({p: identifiers_in(src) for p, src in sources.items()})
    prompt = "If applicable, add screenshots to help explain your problem."
    issue = replace(
        make_issue(9, "nested_tensor loses its device"), body=f"**Screenshots**\n{prompt}\n"
    )

    def tests() -> list[str]:
        return _nested_step(issue, cm, PYTORCH_GUIDE, names).tests

    assert "test/test_screenshots.py" in tests()  # read as the issue's words
    cm.issue_templates = template_text(
        {".github/ISSUE_TEMPLATE/bug.md": f"**Screenshots**\n{prompt}\n"}
    )
    assert "test/test_screenshots.py" not in tests()
    assert tests()[0] == "test/test_ops.py"


def test_a_native_kernel_issue_gets_the_tests_calling_its_op() -> None:
    """An issue mapped to ATen's C++ names the op (or its kernel, in a traceback): the
    tests are the files calling the op's Python name, the one named like the C++ file
    first (test_unary_ufuncs.py for UnaryOpsKernel.cpp), never one calling only an
    unrelated op."""
    cm = code_map([*TORCH_LIKE, "test/test_unary_ufuncs.py", "test/test_fx.py"], TORCH_EDGES,
                  areas=TORCH_AREAS)  # fmt: skip
    kernel = "aten/src/ATen/native/cpu/UnaryOpsKernel.cpp"
    cm.modules[kernel] = ModuleInfo(kernel, kernel, "cpp", 900, "aten", "aten/src/ATen/native")
    cm.files = [kernel, "aten/src/ATen/native/native_functions.yaml"]
    sources = {
        "test/test_unary_ufuncs.py": b"def test_sigmoid_bfloat16():\n    torch.sigmoid(x)\n",
        "test/test_fx.py": b"def test_trace():\n    x.sigmoid(); x.sigmoid(); torch.sigmoid(y)\n",
        "test/test_nn.py": b"def test_tanh():\n    torch.tanh(x)\n",
    }
    ops = parse_native_functions(
        ["- func: sigmoid.out(Tensor self) -> Tensor", "  dispatch:", "    CPU: sigmoid_out",
         "- func: tanh(Tensor self) -> Tensor"]
    )  # fmt: skip
    names = replace(
        NamesInTests.build({p: identifiers_in(src) for p, src in sources.items()}), native_ops=ops
    )
    issue = replace(make_issue(7, "NaN from a CPU kernel for bfloat16 inputs"),
                    body="frame #3: at::native::sigmoid_out(at::Tensor const&)")  # fmt: skip
    assessment = IssueAssessment(
        issue=issue,
        modules=[ModuleMatch(kernel, kernel, 0.9, ["named in the traceback"])],
        difficulty=Difficulty(3, ["a kernel"]),
        skills=["c++"],
        taken=TakenStatus("fresh"),
    )
    step = describe_step(2, assessment, SkillFit(["c++"], ["c++"], []), cm, PYTORCH_GUIDE,
                         test_names=names)  # fmt: skip
    assert step.tests == ["test/test_unary_ufuncs.py", "test/test_fx.py"]
    assert step.test_command == "python test/test_unary_ufuncs.py -k sigmoid"
    # Without the ops table (and the words index, which finds the test by "sigmoid") the
    # C++ names say nothing about the Python tests.
    bare = describe_step(2, assessment, SkillFit(["c++"], ["c++"], []), cm, PYTORCH_GUIDE,
                         test_names=replace(names, native_ops=NativeOps(), lexical=None))  # fmt: skip
    assert "test/test_unary_ufuncs.py" not in bare.tests


def test_beside_the_source_and_mirroring_the_package() -> None:
    paths = [
        "lib/__init__.py",
        "lib/io/__init__.py",
        "lib/io/reader.py",
        "lib/io/reader_test.py",
        "tests/io/test_reader.py",
        "tests/test_misc.py",
        "tests/io/helpers.py",
    ]
    edges = [("tests.test_misc", "lib.io.reader"), ("tests.io.helpers", "lib.io.reader")]
    cm = code_map(paths, edges, areas={"lib.io": "lib.io"})
    assert rank_tests(["lib.io.reader"], cm) == [
        ("lib/io/reader_test.py", 1),
        ("tests/io/test_reader.py", 1),
        ("tests/test_misc.py", 4),
    ]


def test_a_module_without_tests_gets_no_whole_suite_command() -> None:
    cm = code_map(["keras/__init__.py", "keras/ops/nn.py", "tests/test_all.py"],
                  [("tests.test_all", "keras")], areas={"keras.ops": "keras.ops"})  # fmt: skip
    step = _step(cm, "keras.ops.nn", "keras/ops/nn.py", PLAIN_GUIDE)
    assert step.tests == [] and step.test_command == ""


def test_one_test_command_in_the_repositorys_runner() -> None:
    assert one_test_command(["test/test_linalg.py"], "svd", PYTORCH_GUIDE) == (
        "python test/test_linalg.py -k svd"
    )
    assert (
        one_test_command(["test/test_linalg.py"], "", PYTORCH_GUIDE) == "python test/test_linalg.py"
    )
    assert (
        one_test_command(["tests/a.py", "tests/b.py"], "", PLAIN_GUIDE)
        == "pytest tests/a.py tests/b.py"
    )
    assert (
        one_test_command(["tests/it's.py"], "Conv2d", PLAIN_GUIDE)
        == "pytest 'tests/it'\\''s.py' -k Conv2d"
    )
    assert one_test_command([], "svd", PLAIN_GUIDE) == ""
    # The guide's settings for slow tests (diffusers' RUN_SLOW=1: gigabytes of models) are
    # no part of a first run.
    slow = replace(PLAIN_GUIDE, test=["RUN_SLOW=1 RUN_NIGHTLY=yes python -m pytest tests/x.py"])
    assert one_test_command(["tests/a.py"], "", slow) == "python -m pytest tests/a.py"
    kept = replace(PLAIN_GUIDE, test=["JAX_PLATFORMS=cpu python -m pytest tests/x.py"])
    assert (
        one_test_command(["tests/a.py"], "", kept)
        == "JAX_PLATFORMS=cpu python -m pytest tests/a.py"
    )
    quoted = replace(PLAIN_GUIDE, test=['RUN_SLOW="1 2" python -m pytest tests/x.py'])
    # (A quoted value is left whole: never cut into a broken command.)
    assert (
        one_test_command(["tests/a.py"], "", quoted) == 'RUN_SLOW="1 2" python -m pytest tests/a.py'
    )
    # Only the options a suite cannot run without are kept: DeepSpeed's `pytest --forked`
    # (each test starts distributed backends), not a guide's `-sv` or `-k NAME`.
    forked = replace(PLAIN_GUIDE, test=["pytest --forked -sv tests/unit/"])
    assert one_test_command(["tests/a.py"], "", forked) == "pytest --forked tests/a.py"
    chosen = replace(PLAIN_GUIDE, test=["python -m pytest -sv ./tests"])
    assert one_test_command(["tests/a.py"], "", chosen) == "python -m pytest tests/a.py"
    # A task runner's target runs no file given after it (Lightning's `make test` runs both
    # whole suites): the files go to pytest.
    for runner in ("make test", "tox -e py311"):
        task = replace(PLAIN_GUIDE, test=[runner])
        assert one_test_command(["tests/a.py"], "", task) == "python -m pytest tests/a.py"
    # A slow suite or a GPU's tests are listed, not run by the one command (trl #947); a
    # test of something slow is no slow suite.
    listed = ["tests/test_dpo.py", "tests/slow/test_a.py", "tests/test_dpo_slow.py",
              "tests/gpu/test_x.py", "tests/test_convert_slow_tokenizer.py", "tests/b.py"]  # fmt: skip
    assert one_test_command(listed, "", PLAIN_GUIDE) == (
        "pytest tests/test_dpo.py tests/test_convert_slow_tokenizer.py tests/b.py"
    )
    assert notes_for_tests(listed)[-1] == (
        "A slow suite (large models, often a GPU): tests/slow/test_a.py, tests/test_dpo_slow.py"
    )
    # ...and come after the others, as a GPU's do, unless the issue names them.
    fused = fuse_tests([(t, 3) for t in listed], [(t, 1.0) for t in listed], (), ())
    assert fused[:3] == ["tests/test_dpo.py", "tests/test_convert_slow_tokenizer.py", "tests/b.py"]


def test_symbol_for_k_is_an_identifier_of_a_seed() -> None:
    cm = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS)
    issue = make_issue(
        1, "torch.linalg.svd gives NaN", "Also `os.system`; torch.linalg.svd$(rm -rf ~)"
    )
    assert issue_names(issue, ["torch.linalg"], cm)[:1] == ["svd"]
    assert issue_names(make_issue(2, "os.path.join is slow"), ["torch.linalg"], cm)[:1] == []
    # A module's own name selects no test: torch.nn.functional is not "-k functional".
    modules = make_issue(3, "F.interpolate in torch.nn.functional breaks torch.nn.functional.pad")
    assert issue_names(modules, ["torch.nn.functional"], cm)[:1] == ["pad"]


def test_gpu_and_multi_process_tests_are_flagged() -> None:
    cm = code_map(TORCH_LIKE, [*TORCH_EDGES, ("test.distributed.test_c10d_nccl", "torch.cuda")],
                  areas=TORCH_AREAS)  # fmt: skip
    step = _step(cm, "torch.cuda", "torch/cuda/__init__.py", PYTORCH_GUIDE)
    assert step.tests[0] == "test/test_cuda.py"
    notes = " | ".join(step.setup_notes)
    assert "Needs a GPU (or other accelerator) to run: test/test_cuda.py" in notes
    assert "Starts several processes (distributed): test/distributed/test_c10d_nccl.py" in notes


def test_setup_notes_and_effort_for_a_native_library_with_a_python_only_path() -> None:
    cm = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS, build=NATIVE)
    step = _step(cm, "torch.linalg", "torch/linalg/__init__.py", PYTORCH_GUIDE)
    notes = " ".join(step.setup_notes)
    assert "Python only: an editable install is enough" not in notes
    assert "./tools/nightly.py checkout -b my-nightly-branch" in notes
    assert "python setup.py develop" in notes
    assert step.effort == "1-2 days + an hour for the guide's Python-only setup"
    assert step.test_command == "python test/test_linalg.py"


def test_setup_notes_and_effort_for_a_native_library_without_one() -> None:
    cm = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS, build=NATIVE)
    guide = ContributingSummary(
        "CONTRIBUTING.md", ["pip install cmake", "pip install -e . -v"], [], [], []
    )
    step = _step(cm, "torch.linalg", "torch/linalg/__init__.py", guide)
    assert "even Python changes run only after a build from source" in step.setup_notes[0]
    assert step.setup_notes[1] == "Build as the contributing guide says: pip install -e . -v"
    assert step.effort == "1-2 days + 1-2 days for the first build from source"


def test_pure_python_library_and_docs_only_changes() -> None:
    cm = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS)
    step = _step(cm, "torch.linalg", "torch/linalg/__init__.py", PLAIN_GUIDE)
    assert step.setup_notes == ["Python only: an editable install is enough, no compiler needed."]
    assert step.effort == "1-2 days"
    native = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS, build=NATIVE)
    docs = _step(native, "docs/source/linalg.rst", "docs/source/linalg.rst", PYTORCH_GUIDE)
    assert docs.setup_notes[0].startswith("Docs only") and docs.effort == "1-2 days"


def test_reviewers_are_owners_then_the_most_active_authors() -> None:
    cm = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS)
    area = cm.areas["torch.linalg"]
    area.owners = ["@lezcano", "someone@example.com", "99+IvanYashchuk@users.noreply.github.com"]
    area.recent_authors = [("A. Author", 29), ("Mario Lezcano", 12), ("github-actions[bot]", 40)]
    area.recent_logins = [("lezcano", 12), ("nikitaved", 3)]
    step = _step(cm, "torch.linalg", "torch/linalg/__init__.py", PLAIN_GUIDE)
    # The most active author has no login in the history (a company address): named, not
    # left out for an occasional contributor whose login is known; no bot, and a name that
    # is a listed login (Mario Lezcano, @lezcano) is not repeated.
    assert step.reviewers == [
        "@lezcano (code owner)",
        "@IvanYashchuk (code owner)",
        "A. Author (29 recent commits here; no GitHub login in the history)",
        "@nikitaved (3 recent commits here)",
    ]
    # A name whose commits here carried a login is that login (diffusers' Steven Liu is
    # @stevhliu): listed once, with the name's count; too few commits: not named.
    area.recent_authors = [("B. Once", 2), ("Nikita Vedeneev", 5)]
    area.author_logins = {"Nikita Vedeneev": "nikitaved"}
    assert _step(cm, "torch.linalg", "torch/linalg/__init__.py", PLAIN_GUIDE).reviewers[2:] == [
        "@nikitaved (5 recent commits here)"
    ]
    area.author_logins = {}
    # Bots are no reviewers, a real name is kept whole in meaning: no "@", no "(code
    # owner)", cut short; a login that is only part of a name hides nobody.
    area.recent_logins = [("alex", 4)]
    area.recent_authors = [
        ("PyTorch MergeBot", 90), ("A. Unique TensorFlower", 80), ("Ci Zhang", 9),
        ("@torvalds (code owner)", 8), ("Alexander Smith", 7), ("W" * 60, 6),
    ]  # fmt: skip
    assert _step(cm, "torch.linalg", "torch/linalg/__init__.py", PLAIN_GUIDE).reviewers[2:] == [
        "Ci Zhang (9 recent commits here; no GitHub login in the history)",
        "torvalds code owner (8 recent commits here; no GitHub login in the history)",
        "Alexander Smith (7 recent commits here; no GitHub login in the history)",
    ]
    area.recent_logins = [("nikitaved", 3)]
    area.recent_authors = [("B. Once", 2)]
    assert _step(cm, "torch.linalg", "torch/linalg/__init__.py", PLAIN_GUIDE).reviewers[2:] == [
        "@nikitaved (3 recent commits here)"
    ]


def test_logins_from_noreply_addresses() -> None:
    assert github_login("12345+Octo-Cat@users.noreply.github.com") == "Octo-Cat"
    assert github_login("octocat@users.noreply.github.com") == "octocat"
    assert github_login("49699333+dependabot[bot]@users.noreply.github.com") == ""
    assert github_login("octocat@example.com") == ""
    assert github_login("1+-bad-@users.noreply.github.com") == ""


def test_past_fix_sizes() -> None:
    def commit(message: str, files: list[str]) -> CommitRecord:
        return CommitRecord("0" * 40, "A", "a@example.com", "2026-01-01T00:00:00Z", files, message)

    fixes = [
        commit("Fix svd NaN for empty input (#123)", ["torch/linalg/__init__.py", "test/test_linalg.py"]),
        commit("[linalg] fix crash in eigh", ["aten/src/ATen/native/LinearAlgebra.cpp", "torch/linalg/__init__.py", "test/test_linalg.py"]),
        commit("Fixes #77: wrong dtype", ["torch/linalg/__init__.py"]),
        commit("Add linalg.matrix_exp", ["torch/linalg/__init__.py", "docs/source/linalg.rst"]),
    ]  # fmt: skip
    sizes = past_change_sizes(fixes)
    assert sizes == {"kind": "fixes", "count": 3, "files": 2.0, "languages": 1.0,
                     "native": round(1 / 3, 3), "tests": round(2 / 3, 3)}  # fmt: skip
    few = past_change_sizes(fixes[2:])
    assert few["kind"] == "changes" and few["count"] == 2
    assert past_change_sizes([]) == {}
    # With line counts (git log --numstat), their median too.
    counted = [replace(c, lines=n) for c, n in zip(fixes, (10, 300, 4, 50), strict=True)]
    assert past_change_sizes(counted)["lines"] == 10.0
    assert "lines" not in past_change_sizes([*counted[:2], fixes[2]])  # two counts say nothing
    # Apple-GPU kernels (Objective-C++ operators, Metal shaders) are native code as well.
    mps = [
        commit("[MPS] fix crash in softmax", ["aten/src/ATen/native/mps/operations/SoftMax.mm"]),
        commit("[MPS] fix nan in gelu", ["aten/src/ATen/native/mps/kernels/Activation.metal"]),
        commit("fix typo in docs", ["docs/source/mps.rst"]),
    ]
    assert past_change_sizes(mps)["native"] == round(2 / 3, 3)


# --------------------------------------------------------------------------- PyTorch 1.13.1
@pytest.fixture(scope="module")
def pytorch_map(pytorch_tree: Path, tmp_path_factory: pytest.TempPathFactory) -> CodeMap:
    from mapfixtures import map_code
    from prready.paths import resolve_paths

    # Module-scoped: built before the per-test home, so it gets a home of its own.
    home = tmp_path_factory.mktemp("pytorch-map-home")
    paths = resolve_paths({"PRREADY_HOME": str(home)})
    return map_code("pytorch/pytorch", paths, checkout=pytorch_tree)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "path", "title", "conventional", "command"),
    [
        ("torch.linalg", "torch/linalg/__init__.py", "torch.linalg.svd returns NaN for a zero matrix",
         "test/test_linalg.py", "python test/test_linalg.py -k svd"),
        ("torch.nested", "torch/nested/__init__.py", "torch.nested.nested_tensor drops requires_grad",
         "test/test_nestedtensor.py", "python test/test_nestedtensor.py -k nested_tensor"),
    ],
)  # fmt: skip
def test_pytorch_step_facts(
    pytorch_map: CodeMap, seed: str, path: str, title: str, conventional: str, command: str
) -> None:
    contributing = summarise_contributing(pytorch_map.contributing, "CONTRIBUTING.md")
    step = _step(pytorch_map, seed, path, contributing, title=title)
    assert step.tests and all(t.startswith("test/") for t in step.tests)
    assert step.tests[0] == conventional
    assert not any(t.endswith("conftest.py") for t in step.tests)
    assert step.test_command == command
    notes = " ".join(step.setup_notes)
    assert "python setup.py develop" in notes  # the source build
    assert "tools/nightly.py checkout -b" in notes  # and the nightly path
    assert "an editable install is enough" not in notes


@pytest.mark.slow
def test_pytorch_reviewers_are_codeowners_handles(pytorch_map: CodeMap) -> None:
    step = _step(pytorch_map, "torch.optim.adam", "torch/optim/adam.py",
                 summarise_contributing(pytorch_map.contributing, "CONTRIBUTING.md"))  # fmt: skip
    assert step.reviewers == ["@albanD (code owner)"]
    step = _step(pytorch_map, "torch.nn.functional", "torch/nn/functional.py", PYTORCH_GUIDE)
    assert step.reviewers == ["@albanD (code owner)", "@jbschlosser (code owner)"]
    assert step.tests[0] == "test/test_nn.py"


# --------------------------------------------------------------------------- helpers
def _nested_step(
    issue: Any,
    cm: CodeMap,
    contributing: ContributingSummary,
    names: NamesInTests,
    *,
    stage: int = 2,
    difficulty: Difficulty | None = None,
) -> Any:
    """The step card of `issue` mapped to torch.nested by its words (rated 3/5 unless
    `difficulty` says otherwise), its tests found through `names`."""
    assessment = IssueAssessment(
        issue=issue,
        modules=[ModuleMatch("torch.nested", "torch/nested/__init__.py", 0.8, ["words"])],
        difficulty=difficulty or Difficulty(3, ["one module"]),
        skills=["python"],
        taken=TakenStatus("fresh"),
    )
    fit = SkillFit(["python"], ["python"], [])
    return describe_step(stage, assessment, fit, cm, contributing, test_names=names)


def _step(
    cm: CodeMap, name: str, path: str, contributing: ContributingSummary, *, title: str = ""
) -> object:
    issue = make_issue(7, title or f"{name} is wrong")
    assessment = IssueAssessment(
        issue=issue,
        modules=[ModuleMatch(name, path, 0.9, ["named in the title"])],
        difficulty=Difficulty(2, ["a test"]),
        skills=["python"],
        taken=TakenStatus("fresh"),
    )
    return describe_step(2, assessment, SkillFit(["python"], ["python"], []), cm, contributing)


def test_effort_adds_the_typical_wait_for_review() -> None:
    cm = code_map(TORCH_LIKE, TORCH_EDGES, areas=TORCH_AREAS)
    guide = ContributingSummary(
        "CONTRIBUTING.md", [], [], [], [], review_days=3.5, review_sample=40
    )
    step = _step(cm, "torch.linalg", "torch/linalg/__init__.py", guide)
    assert step.effort == "1-2 days + about 4 days waiting for review"
    guide.review_days = 30.0
    step = _step(cm, "torch.linalg", "torch/linalg/__init__.py", guide)
    assert step.effort == "1-2 days + about 4 weeks waiting for review"


@pytest.mark.slow
def test_pytorch_plan_step_cards(pytorch_tree: Path, github_server: Any, tmp_path: Path) -> None:
    """`prready plan pytorch/pytorch` on PyTorch 1.13.1's own tree with PyTorch-style
    issues: every step card knows PyTorch needs a native build, a Python-only step names
    the nightly path too, tests lie under test/ and run one by one, reviewers are logins."""
    serve_torch_issues(github_server.dataset, datetime.now(timezone.utc))
    out = tmp_path / "plan.json"
    args = ["plan", REPO, "--checkout", str(pytorch_tree), "--api-url", github_server.url,
            "--token", "x", "--skills", "python,nn,testing", "--format", "json", "--output", str(out)]  # fmt: skip
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    steps = [st for stage in json.loads(out.read_text())["stages"] for st in stage["steps"]]
    assert steps
    for st in steps:
        notes = " ".join(st["setup_notes"])
        assert "an editable install is enough" not in notes, st["issue"]["title"]
        if notes.startswith("Python-only change"):
            assert "tools/nightly.py checkout -b" in notes and "python setup.py develop" in notes
        elif not notes.startswith("Docs only"):
            assert "build" in notes, notes
        assert all(t.startswith("test/") and not t.endswith("conftest.py") for t in st["tests"])
        if st["test_command"]:
            assert st["test_command"].startswith(f"python {st['tests'][0]}"), st["test_command"]
        assert all(r.startswith("@") for r in st["reviewers"]), st["reviewers"]
    assert any(st["tests"] for st in steps)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "title", "body", "conventional"),
    [
        ("aten/src/ATen/native/BatchLinearAlgebra.cpp",
         "Wrong singular values from torch.linalg.svd for float64 on CPU",
         "```python\nimport torch\nA = torch.randn(5, 3, dtype=torch.float64)\n"
         "U, S, Vh = torch.linalg.svd(A, full_matrices=False)\n```\n"
         "S differs from numpy.linalg.svd by 1e-3; CUDA is fine.",
         "test/test_linalg.py"),
        ("aten/src/ATen/native/cpu/UnaryOpsKernel.cpp",
         "sigmoid returns NaN for large negative bfloat16 inputs on CPU",
         "```\nRuntimeError: value cannot be converted\nException raised from sigmoid_kernel at "
         "aten/src/ATen/native/cpu/UnaryOpsKernel.cpp:40\nframe #3: at::native::sigmoid_out(...)\n```",
         "test/test_unary_ufuncs.py"),
        ("aten/src/ATen/native/native_functions.yaml",
         "logsumexp.out ignores keepdim",
         "`torch.logsumexp(x, 1, keepdim=True, out=y)` gives y of shape (3,), not (3, 1).",
         "test/test_reductions.py"),
    ],
)  # fmt: skip
def test_pytorch_native_issue_gets_the_python_tests_of_its_op(
    pytorch_map: CodeMap, tmp_path: Path, path: str, title: str, body: str, conventional: str
) -> None:
    """An issue mapped to ATen's C++ (or native_functions.yaml) gets the Python test files
    calling the op it names, found through native_functions.yaml (issue 13, C++ changes)."""
    from prready.app.names_in_tests import names_in_tests
    from prready.store.parse_cache import ParseCache

    with ParseCache(tmp_path / "cache.db") as cache:
        index = names_in_tests(pytorch_map, cache)
    assert {"linalg_svd", "sigmoid", "logsumexp"} <= index.native_ops.ops
    issue = replace(make_issue(7, title), body=body)
    assessment = IssueAssessment(
        issue=issue,
        modules=[ModuleMatch(path, path, 0.9, ["named in the title"])],
        difficulty=Difficulty(3, ["a kernel"]),
        skills=["c++"],
        taken=TakenStatus("fresh"),
    )
    fit = SkillFit(["c++"], ["c++"], [])
    step = describe_step(2, assessment, fit, pytorch_map, PYTORCH_GUIDE, test_names=index)
    assert conventional in step.tests, step.tests
    assert all(t.startswith("test/") and t.endswith(".py") for t in step.tests), step.tests
    assert step.test_command.startswith("python test/"), step.test_command
    # Without the ops table (and the words index) the same step has no test of the op.
    bare = describe_step(2, assessment, fit, pytorch_map, PYTORCH_GUIDE,
                         test_names=replace(index, native_ops=NativeOps(), lexical=None))  # fmt: skip
    assert conventional not in bare.tests, bare.tests


def test_start_reading_follows_the_issue() -> None:
    """The files and names the issue points at (a method of an exported class, the
    traceback's functions through site-packages), not the seed's central neighbours; with
    nothing named, the nearest neighbours as before."""
    from planfixtures import ADAM_TRACE, make_code_map
    from prready.analysis.steps import issue_reading

    cm = make_code_map()
    tensor = [ModuleMatch("tinyml.tensor.tensor", "tinyml/tensor/tensor.py", 0.9, ["x"])]
    issue = make_issue(1, "`Tensor.split` gives an unhelpful error", "See `tinyml.Tensor.split`.")
    assert issue_reading(issue, tensor, cm) == (
        ["tinyml/tensor/tensor.py"],
        {"tinyml/tensor/tensor.py": ["Tensor.split"]},
    )
    adam = [ModuleMatch("tinyml.optim.adam", "tinyml/optim/adam.py", 0.9, ["x"])]
    reading, look_for = issue_reading(make_issue(2, "Adam raises KeyError", ADAM_TRACE), adam, cm)
    assert reading == ["tinyml/optim/adam.py", "tinyml/optim/optimizer.py"]
    assert look_for == {"tinyml/optim/adam.py": ["Adam", "step"],
                        "tinyml/optim/optimizer.py": ["wrapper"]}  # fmt: skip
    plain, names = issue_reading(make_issue(3, "slow steps", "It is slow."), adam, cm)
    assert plain[0] == "tinyml/optim/adam.py" and len(plain) > 1 and names == {}


def test_a_test_of_the_best_match_before_a_busier_test_of_a_weaker_one() -> None:
    """accelerate's `accelerate config` issue maps first to accelerate.commands.launch,
    then to accelerate.launchers: tests/test_cli.py (calling `launch_command` twice) runs
    before tests/test_scheduler.py (calling `debug_launcher` ten times)."""
    cm = code_map(
        ["acc/__init__.py", "acc/commands/__init__.py", "acc/commands/launch.py",
         "acc/launchers.py", "tests/test_cli.py", "tests/test_scheduler.py"],
        [("tests.test_cli", "acc.commands.launch"), ("tests.test_scheduler", "acc.launchers")],
        areas={"acc.commands": "acc.commands"},
    )  # fmt: skip
    cm.symbols = {
        "acc.commands.launch.launch_command": "acc.commands.launch",
        "acc.launchers.debug_launcher": "acc.launchers",
    }
    names = NamesInTests.build(
        {"tests/test_cli.py": [("launch_command", 2)],
         "tests/test_scheduler.py": [("debug_launcher", 10)]}
    )  # fmt: skip
    seeds = ["acc.commands.launch", "acc.launchers"]
    assert [p for p, _ in rank_tests(seeds, cm, names)] == [
        "tests/test_cli.py", "tests/test_scheduler.py",
    ]  # fmt: skip
    # Without the index, the importers come in the same order.
    assert [p for p, _ in rank_tests(seeds, cm)][:2] == [
        "tests/test_cli.py", "tests/test_scheduler.py",
    ]  # fmt: skip
    assert rank_tests(list(reversed(seeds)), cm, names)[0][0] == "tests/test_scheduler.py"


@pytest.mark.parametrize(
    "names",
    [
        # Lower-casing "İ" makes two characters: positions found in a lower-cased copy
        # drifted past the end (a crash) or onto a line break (an endless loop).
        ["gpu.İİİİİİİİ", "gpu.runtime.llvm"],
        ["gpu.İİİİİ", "gpu.runtime.ops_clang", "gpu.x"],
    ],
)
def test_compilers_a_library_drives_are_found_whatever_its_module_names(
    names: list[str],
) -> None:
    from prready.analysis.step_setup import main_package_compilers
    from prready.code_models import CodeMap, ModuleInfo

    modules = {n: ModuleInfo(n, n.replace(".", "/") + ".py", "python", 1, "gpu") for n in names}
    code_map = CodeMap("o/gpu", "/x", "0" * 40, nx.DiGraph(), modules, {}, {})
    found = [name for name, _ in main_package_compilers(code_map)]
    assert found == (["LLVM"] if "gpu.runtime.llvm" in names else ["CLANG"])
