"""Objective-C++ and Metal sources are native code of the map, as PyTorch's MPS backend
needs: its operators are `aten/src/ATen/native/mps/operations/*.mm` files that pull their
headers in with `#import`, and (since PyTorch 2) its kernels are `.metal` files. No
import graph reaches them from Python; an MPS issue reaches them through the words of
their paths and names and through the past commits that changed them."""

from __future__ import annotations

import pytest

from mapfixtures import index_code, map_code
from planfixtures import make_issue
from prready.analysis.mapping import map_issue_to_modules
from prready.analysis.native import native_language, scan_native_bytes
from prready.code_models import HistoryCommit
from prready.paths import Paths, resolve_paths
from prready.sources.git_repo import build_repo

UTILS = "aten/src/ATen/native/mps/OperationUtils.h"
LINEAR_MM = "aten/src/ATen/native/mps/operations/Linear.mm"
GATHER_METAL = "aten/src/ATen/native/mps/kernels/Gather.metal"
LINEAR_BODY = (
    "#import <ATen/native/mps/OperationUtils.h>\n"
    "namespace at::native {\n"
    "Tensor _mps_linear(const Tensor& input, const Tensor& weight) {\n"
    "  // the Metal graph of nn.Linear\n"
    "}\n}\n"
)
FILES = {
    "torch/__init__.py": "",
    "torch/nn/__init__.py": "",
    "torch/nn/functional.py": (
        'def linear(input, weight, bias=None):\n    """Applies a linear transformation."""\n'
    ),
    UTILS: "#pragma once\n#import <Metal/Metal.h>\nnamespace at::native::mps {\nvoid runMPSGraph();\n}\n",
    LINEAR_MM: LINEAR_BODY,
    "aten/src/ATen/native/mps/operations/Copy.mm": (
        "#import <ATen/native/mps/OperationUtils.h>\nTensor& copy_mps_(Tensor& dst) {}\n"
    ),
    "aten/src/ATen/native/mps/operations/Gather.mm": (
        "#include <ATen/native/mps/OperationUtils.h>\nTensor gather_mps(const Tensor& self) {}\n"
    ),
    GATHER_METAL: "#include <metal_stdlib>\nkernel void gather_kernel(device float* out) {}\n",
    "aten/src/ATen/native/Linear.cpp": "#include <ATen/native/mps/OperationUtils.h>\nTensor linear() {}\n",
}


def test_objective_c_plus_plus_and_metal_files_are_native_sources() -> None:
    assert native_language(LINEAR_MM) == "cpp"
    assert native_language(GATHER_METAL) == "cpp"
    assert native_language("torch/csrc/jit/ir.cxx") == "cpp"
    assert native_language("include/x.hh") == "cpp"
    # Objective-C's `.m` is MATLAB's too: not read as C.
    assert native_language("scripts/plot_results.m") is None


def test_import_lines_are_read_like_include_lines() -> None:
    scan = scan_native_bytes(
        b'#import <Metal/Metal.h>\n  #import "MPSDevice.h"\n'
        b'// #import "not/this.h"\nx = "#import <nor/this.h>";\n#include <c10/core/Scalar.h>\n'
    )
    assert scan.includes == (
        (1, "Metal/Metal.h", True),
        (2, "MPSDevice.h", False),
        (5, "c10/core/Scalar.h", True),
    )


@pytest.fixture(scope="module")
def mps(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("mps")
    root = tmp / "pytorch"
    fix = {LINEAR_MM: LINEAR_BODY + "// non-contiguous weights are copied first\n"}
    build_repo(
        root,
        [
            HistoryCommit("A", "a@example.com", "2026-01-01T00:00:00Z", "Import", FILES),
            HistoryCommit(
                "B",
                "b@example.com",
                "2026-02-01T00:00:00Z",
                "[MPS] Fix nn.Linear for non-contiguous inputs",
                fix,
            ),
        ],
    )
    home = resolve_paths()
    paths = Paths(cache=tmp / "cache", data=home.data, config=home.config)
    code_map = map_code("pytorch/pytorch", paths, checkout=root)
    return code_map, index_code(code_map, paths)


def test_the_map_holds_them_and_links_their_imports(mps) -> None:  # type: ignore[no-untyped-def]
    code_map, _ = mps
    assert code_map.modules[LINEAR_MM].language == "cpp"
    assert code_map.modules[GATHER_METAL].language == "cpp"
    assert code_map.graph.has_edge(LINEAR_MM, UTILS)  # through `#import <...>`
    assert code_map.graph.has_edge("aten/src/ATen/native/mps/operations/Gather.mm", UTILS)


def test_an_mps_issue_reaches_the_operator_its_past_fix_changed(mps) -> None:  # type: ignore[no-untyped-def]
    code_map, index = mps
    issue = make_issue(
        1,
        "MPS: nn.Linear returns wrong values for a transposed weight",
        "On the mps device the output differs from the CPU one when the weight is not contiguous.",
    )
    top = map_issue_to_modules(issue, code_map, index=index)[0]
    assert top.name == LINEAR_MM
    assert any(
        "'[MPS] Fix nn.Linear for non-contiguous inputs' changed it" in e for e in top.evidence
    )
