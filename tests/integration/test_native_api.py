"""API names bound in C (`torch.angle`: an ATen op declared in native_functions.yaml,
with no Python definition) resolve to the native files that name the op's kernels, in a
git repository laid out as PyTorch's is; a repository without the file, and an API with a
Python definition, keep what they resolved to before."""

from __future__ import annotations

from pathlib import Path

from mapfixtures import map_and_index_files
from planfixtures import make_issue
from prready.analysis.mapping import map_issue_to_modules
from prready.analysis.native_ops import NATIVE_FUNCTIONS
from prready.analysis.resolve import W_API_CALL, W_API_PREFIX

# Entries as PyTorch writes them: an op, its `.out` overload whose dispatch map names the
# kernels, a composite op without kernels of its own, an in-place op.
YAML = """\
- func: angle(Tensor self) -> Tensor
  variants: function, method
  dispatch:
    CPU, CUDA: angle
    SparseCsrCPU, SparseCsrCUDA: angle_sparse_csr

- func: angle.out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)
  dispatch:
    CPU, CUDA: angle_out
    SparseCsrCPU, SparseCsrCUDA: angle_sparse_csr_out

- func: embedding(Tensor weight, Tensor indices, SymInt padding_idx=-1) -> Tensor
  dispatch:
    CompositeExplicitAutograd: embedding_symint
    NestedTensorCPU, NestedTensorCUDA: NestedTensor_embedding

- func: cumsum(Tensor self, int dim, *, ScalarType? dtype=None) -> Tensor
  structured_delegate: cumsum.out
  variants: function, method

- func: index_add.out(Tensor self, int dim, Tensor index, Tensor source) -> Tensor(a!)
  structured: True
  dispatch:
    CPU: index_add_cpu_out
    CUDA: index_add_cuda_out

- func: index_add_(Tensor(a!) self, int dim, Tensor index, Tensor source) -> Tensor(a!)
  structured_delegate: index_add.out
  variants: method

- func: index_add(Tensor self, int dim, Tensor index, Tensor source) -> Tensor
  structured_delegate: index_add.out
"""

FILES = {
    "torch/__init__.py": (
        '"""The torch package."""\nfrom torch._C._VariableFunctions import *  # noqa\n'
        "from torch import nn\n"
    ),
    "torch/nn/__init__.py": "from torch.nn import functional\n",
    "torch/nn/functional.py": (
        "import torch\n\n\ndef embedding(input, weight, padding_idx=None):\n"
        '    """Look up rows of `weight`."""\n'
        "    return torch.embedding(weight, input, padding_idx)\n"
    ),
    "torch/complex_helpers.py": (
        '"""Helpers for complex tensors: angle, abs, conj."""\n\n'
        "def angle_in_degrees(x):\n    # the angle of a complex number, in degrees\n"
        "    return x.angle() * 57.29\n"
    ),
    NATIVE_FUNCTIONS: YAML,
    "aten/src/ATen/native/UnaryOps.cpp": (
        "#include <ATen/native/UnaryOps.h>\n\nnamespace at { namespace native {\n\n"
        "Tensor& angle_out(const Tensor& self, Tensor& result) {\n"
        "  return unary_op_impl_out(result, self, angle_stub);\n}\n\n"
        "Tensor angle(const Tensor& self) {\n  return unary_op_impl(self, at::angle_out);\n}\n\n"
        "Tensor& conj_physical_out(const Tensor& self, Tensor& result) {\n"
        "  return unary_op_impl_out(result, self, conj_physical_stub);\n}\n\n}}\n"
    ),
    "aten/src/ATen/native/cuda/UnaryComplexKernels.cu": (
        "// CUDA kernels of complex unary ops\n"
        "void angle_kernel_cuda(TensorIteratorBase& iter) {\n"
        "  gpu_kernel(iter, [] (scalar_t a) { return std::arg(a); });  // angle\n}\n"
    ),
    "aten/src/ATen/native/Embedding.cpp": (
        "// Embedding lookups\n"
        "Tensor embedding_symint(const Tensor & weight, const Tensor & indices) {\n"
        "  return weight.index_select(0, indices.reshape(-1));\n}\n"
    ),
    "aten/src/ATen/native/ReduceOps.cpp": (
        "Tensor& cumsum_out(const Tensor& self, int64_t dim, Tensor& result) {\n"
        "  return result;\n}\n"
        "Tensor cumsum(const Tensor& self, int64_t dim) {\n  return self;\n}\n"
    ),
    # A structured kernel, defined through a macro; a named-dimension overload beside it.
    "aten/src/ATen/native/TensorAdvancedIndexing.cpp": (
        "TORCH_META_FUNC(index_add)\n(const Tensor& self, int64_t dim) {\n}\n\n"
        "TORCH_IMPL_FUNC(index_add_cpu_out)\n(const Tensor& self, int64_t dim) {\n"
        "  TORCH_CHECK(dim_ok);\n}\n"
    ),
    "aten/src/ATen/native/NamedTensor.cpp": (
        "Tensor index_add(const Tensor& self, Dimname dim, const Tensor& index) {\n"
        "  return at::index_add(self, dimname_to_position(self, dim), index);\n}\n"
    ),
    "aten/src/ATen/native/LinearAlgebra.cpp": (
        "// matrix products\nTensor matmul(const Tensor& a, const Tensor& b) {\n"
        "  return at::mm(a, b);\n}\n"
    ),
}


def _index(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    return map_and_index_files(tmp_path, "pytorch/pytorch", files)


def _top(code_map, index, title: str, body: str = ""):  # type: ignore[no-untyped-def]
    return map_issue_to_modules(make_issue(1, title, body), code_map, index=index)


def test_a_c_bound_api_resolves_to_the_file_naming_its_kernels(tmp_path: Path) -> None:
    code_map, index = _index(tmp_path, FILES)
    assert "angle" in index.native_ops.ops
    matches = _top(
        code_map,
        index,
        "torch.angle returns wrong values for complex input",
        "Calling torch.angle(x) on a complex64 tensor gives nan.",
    )
    # The Python helper that talks about angles keeps its words' weight; the kernels'
    # file comes right with it, on the API's weight.
    paths = [m.path for m in matches]
    assert paths.index("aten/src/ATen/native/UnaryOps.cpp") <= 1, paths
    top = matches[paths.index("aten/src/ATen/native/UnaryOps.cpp")]
    why = next(e for e in top.evidence if e.startswith("API torch.angle"))
    assert why == (
        f"API torch.angle is the native op angle ({NATIVE_FUNCTIONS}): it names angle_out, angle"
    )
    assert top.score >= W_API_CALL
    # The CUDA kernel file names the op too, less specifically (no kernel of its own).
    cuda = [m for m in matches if m.path.endswith("UnaryComplexKernels.cu")]
    assert cuda and cuda[0].score < top.score
    # A method spelled on the class resolves the same way, not to the Tensor class.
    method = _top(code_map, index, "torch.Tensor.angle is wrong for real inputs")
    assert method[0].path == "aten/src/ATen/native/UnaryOps.cpp"
    assert not any("torch.Tensor (" in e for m in method for e in m.evidence)


def test_an_op_without_a_python_definition_or_kernels_of_its_own(tmp_path: Path) -> None:
    code_map, index = _index(tmp_path, FILES)
    matches = _top(code_map, index, "torch.cumsum overflows for int8", "torch.cumsum(x, 0)")
    assert matches[0].path == "aten/src/ATen/native/ReduceOps.cpp"
    # (No kernel listed: the op's own name is what the file names.)
    assert f"API torch.cumsum is the native op cumsum ({NATIVE_FUNCTIONS}): it names cumsum" in (
        matches[0].evidence
    )


def test_a_python_definition_keeps_the_lead_over_the_op_it_wraps(tmp_path: Path) -> None:
    code_map, index = _index(tmp_path, FILES)
    matches = _top(
        code_map,
        index,
        "torch.nn.functional.embedding ignores padding_idx",
        "torch.nn.functional.embedding(idx, w, padding_idx=0)",
    )
    assert matches[0].path == "torch/nn/functional.py"
    native = [m for m in matches if m.path == "aten/src/ATen/native/Embedding.cpp"]
    assert native, [m.path for m in matches]
    clue = next(e for e in native[0].evidence if "native op embedding" in e)
    assert "embedding_symint" in clue
    assert native[0].score < matches[0].score and native[0].score <= W_API_PREFIX + 0.2


def test_without_native_functions_yaml_no_api_resolves_to_c(tmp_path: Path) -> None:
    files = {p: t for p, t in FILES.items() if p != NATIVE_FUNCTIONS}
    code_map, index = _index(tmp_path, files)
    assert not index.native_ops.ops
    matches = _top(code_map, index, "torch.angle returns wrong values for complex input")
    assert not any("native op" in e for m in matches for e in m.evidence)
    unary = [m.score for m in matches if m.path == "aten/src/ATen/native/UnaryOps.cpp"]
    assert not unary or unary[0] < W_API_CALL  # words alone


def test_an_in_place_op_resolves_to_the_kernels_of_the_op_it_updates(tmp_path: Path) -> None:
    code_map, index = _index(tmp_path, FILES)
    matches = _top(code_map, index, "torch.Tensor.index_add_ gives wrong sums with duplicates")
    assert matches[0].path == "aten/src/ATen/native/TensorAdvancedIndexing.cpp"
    clue = next(e for e in matches[0].evidence if "native op index_add_" in e)
    assert "index_add_cpu_out" in clue


def test_a_c_bound_method_written_without_the_package_is_not_its_class(tmp_path: Path) -> None:
    # `Tensor.index_add_` names a C-bound method: the Python class it hangs on is no place
    # to fix it (a method of a class defined once otherwise resolves there).
    files = {**FILES, "torch/_tensor.py": 'class Tensor:\n    """A tensor."""\n'}
    code_map, index = _index(tmp_path, files)
    assert code_map.symbols.get("torch._tensor.Tensor") == "torch._tensor"
    matches = _top(code_map, index, "Tensor.index_add_ gives wrong sums with duplicates")
    assert all("(as torch._tensor.Tensor" not in e for m in matches for e in m.evidence)
    other = _top(code_map, index, "Tensor.describe prints the wrong shape")
    assert any("(as torch._tensor.Tensor" in e for e in other[0].evidence)


def test_the_parsed_file_is_cached_by_its_blob_id(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A later process (no memo) loads the ops the first one parsed instead of reading the
    file's lines again; a damaged row is parsed again and replaced."""
    from prready.app import names_in_tests
    from prready.store.parse_cache import ParseCache

    code_map, index = _index(tmp_path, FILES)
    parsed = index.native_ops
    assert {"angle", "cumsum", "index_add"} <= parsed.ops
    cache_db = tmp_path / "cache" / "cache.sqlite3"
    names_in_tests._NATIVE_OPS.clear()  # as in a new process

    def parse(lines):  # type: ignore[no-untyped-def]
        raise AssertionError("parsed again")

    monkeypatch.setattr(names_in_tests, "parse_native_functions", parse)
    with ParseCache(cache_db) as cache:
        loaded = names_in_tests.native_ops(code_map, cache)
    assert loaded == parsed and loaded.by_op == parsed.by_op

    names_in_tests._NATIVE_OPS.clear()
    monkeypatch.undo()
    with ParseCache(cache_db) as cache:
        rows = cache.conn.execute(
            "SELECT blob FROM parse_results WHERE scanner = ?", (names_in_tests.NATIVE_OPS_SCANNER,)
        ).fetchall()
        assert len(rows) == 1
        cache.save(names_in_tests.NATIVE_OPS_SCANNER, {rows[0][0]: ("not", "ops", 3)})
        assert names_in_tests.native_ops(code_map, cache) == parsed
        assert (
            names_in_tests._ops_from_plain(
                cache.load(names_in_tests.NATIVE_OPS_SCANNER, [rows[0][0]])[rows[0][0]]
            )
            == parsed
        )
