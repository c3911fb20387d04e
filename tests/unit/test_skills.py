"""Skill taxonomy: normalising names, skills of paths and issues, matching a user, and
proposing skills from a user's own commits."""

from __future__ import annotations

import pytest

from planfixtures import make_code_map, make_issue
from prready.analysis.skills import (
    TAXONOMY,
    infer_skills_from_commits,
    match_skills,
    normalize_skills,
    skills_for_issue,
    skills_for_path,
)
from prready.code_models import CommitRecord
from prready.errors import UsageError
from prready.models import ModuleMatch


def test_taxonomy_covers_ml_library_work() -> None:
    keys = {s.key for s in TAXONOMY}
    assert keys >= {
        "python",
        "cpp",
        "cuda",
        "docs",
        "testing",
        "typing",
        "numerics",
        "autograd",
        "nn",
        "data",
        "distributed",
        "compilers",
        "export",
        "performance",
    }


def test_normalize_accepts_aliases_and_rejects_unknown() -> None:
    assert normalize_skills(["C++", " linalg", "Python", "python"]) == ["python", "cpp", "numerics"]
    with pytest.raises(UsageError, match="unknown skill 'cooking'"):
        normalize_skills(["cooking"])


def test_skills_for_paths() -> None:
    assert skills_for_path("aten/src/ATen/native/cuda/Conv.cu") >= {"cuda"}
    assert skills_for_path("torch/csrc/autograd/engine.cpp") >= {"cpp", "autograd"}
    assert skills_for_path("torch/utils/data/dataloader.py") >= {"python", "data"}
    assert "export" not in skills_for_path("torch/utils/data/dataloader.py")
    assert skills_for_path("docs/source/nn.rst") >= {"docs"}
    assert skills_for_path("test/test_nn.py") >= {"testing", "python"}
    # Other libraries' layouts: accelerate's data_loader.py, tinygrad's code generator.
    assert "data" in skills_for_path("src/accelerate/data_loader.py")
    assert "data" not in skills_for_path("src/accelerate/metadata.py")
    assert "compilers" in skills_for_path("tinygrad/codegen/kernel.py")
    assert "compilers" in skills_for_path("tinygrad/renderer/cstyle.py")


def test_skills_for_issue_from_modules_labels_and_words() -> None:
    code_map = make_code_map()
    cuda = make_issue(1, "conv2d wrong on CUDA", "the cuda kernel", ("bug",))
    got = skills_for_issue(cuda, [ModuleMatch("csrc/ops/conv_cuda.cu", "", 0.9, [])], code_map)
    assert "cuda" in got and "python" not in got
    typing = make_issue(2, "Add type hints to sampler", "mypy complains", ())
    got = skills_for_issue(typing, [ModuleMatch("tinyml.data.sampler", "", 0.9, [])], code_map)
    assert got[:2] == ["python", "typing"] and "data" in got
    # Work across processes is distributed work, as accelerate's reports put it.
    spread = make_issue(4, "reduce divides twice", "it divides the sum across processes twice")
    assert "distributed" in skills_for_issue(spread, [], code_map)
    gather = make_issue(5, "gather drops a batch", "the all_gather of the last batch")
    assert "distributed" in skills_for_issue(gather, [], code_map)
    # A title about the CPU: the CUDA its body compares with is no skill the work needs.
    body = "Fixed for CUDA only; the cpu path still returns wrong values."
    assert "cuda" in skills_for_issue(make_issue(6, "quantize is wrong", body), [], code_map)
    cpu = make_issue(7, "quantize is wrong for CPU inputs", body)
    assert "cuda" not in skills_for_issue(cpu, [], code_map)
    nothing = skills_for_issue(make_issue(3, "Question", ""), [], code_map)
    assert nothing == ["python"]


def test_match_skills_splits_matched_and_new() -> None:
    fit = match_skills(["python", "cuda", "nn"], ["python", "nn", "docs"])
    assert fit.matched == ["python", "nn"] and fit.new == ["cuda"]
    assert fit.required == ["python", "cuda", "nn"]


def test_infer_skills_from_commits_with_evidence() -> None:
    commits = [
        CommitRecord(
            "a" * 40,
            "Me",
            "me@x.org",
            "2026-01-01T00:00:00Z",
            ["src/solver.py", "tests/test_solver.py"],
        ),
        CommitRecord(
            "b" * 40, "Me", "me@x.org", "2026-01-02T00:00:00Z", ["src/solver.py", "kernels/fast.cu"]
        ),
        CommitRecord("c" * 40, "Me", "me@x.org", "2026-01-03T00:00:00Z", ["docs/index.rst"]),
    ]
    texts = {
        "src/solver.py": "import numpy as np\nfrom scipy.linalg import svd\n",
        "tests/test_solver.py": "import pytest\n",
    }
    proposed = dict(infer_skills_from_commits(commits, texts))
    assert proposed["python"][0].startswith("3 change(s) to 2 file(s)")
    assert "cuda" in proposed and "docs" in proposed and "testing" in proposed
    assert any("numpy" in e and "scipy" in e for e in proposed["numerics"])
    assert infer_skills_from_commits(commits, texts)[0][0] == "python"
    assert infer_skills_from_commits([], {}) == []
