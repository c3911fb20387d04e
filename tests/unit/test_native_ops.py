"""PyTorch's native_functions.yaml read by a line scanner (analysis/native_ops.py): ops,
kernels under their dispatch maps, the ops an issue names, and their Python names."""

from __future__ import annotations

from prready.analysis.native_ops import NativeOps, parse_native_functions, python_names

YAML = """\
# comment: - func: not_an_op(Tensor self) -> Tensor
- func: logsumexp(Tensor self, int[1] dim, bool keepdim=False) -> Tensor
  variants: function, method
  dispatch:
    CompositeExplicitAutograd: logsumexp

- func: logsumexp.out(Tensor self, int[1] dim, *, Tensor(a!) out) -> Tensor(a!)
  dispatch:
    # calls squeeze
    CompositeExplicitAutogradNonFunctional: logsumexp_out

- func: sigmoid.out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)
  structured: True
  dispatch:
    CPU, CUDA: sigmoid_out
    MPS: sigmoid_out_mps  # Metal
  autogen: sigmoid.other

- func: linalg_svd(Tensor A, bool full_matrices=True) -> (Tensor U, Tensor S, Tensor Vh)
  python_module: linalg
  variants: function

- func: where.self(Tensor condition, Tensor self, Tensor other) -> Tensor
  dispatch:
    CPU, CUDA: where
"""


def test_ops_and_kernels_from_the_line_scanner() -> None:
    ops = parse_native_functions(YAML.splitlines())
    assert ops.ops == {"logsumexp", "sigmoid", "linalg_svd", "where"}
    assert ops.kernels == {
        "logsumexp_out": "logsumexp",
        "sigmoid_out": "sigmoid",
        "sigmoid_out_mps": "sigmoid",
    }
    assert "structured" not in ops.kernels and "sigmoid.other" not in ops.kernels


def test_ops_an_issue_names() -> None:
    ops = parse_native_functions(YAML.splitlines())
    text = (
        "torch.linalg.svd is wrong after x.logsumexp(1)\n"
        "frame #2: at::native::sigmoid_out_cpu(at::Tensor const&)\n"
        "we sort the values and check where they differ"
    )
    assert ops.ops_in_text(text) == ["linalg_svd", "logsumexp", "sigmoid"]
    assert ops.ops_in_text("torch.where(mask, a, b) is slow") == ["where"]
    assert NativeOps().ops_in_text(text) == []


def test_python_names_of_an_op() -> None:
    assert python_names("linalg_svd") == ["linalg_svd", "svd"]
    assert python_names("sigmoid_") == ["sigmoid_", "sigmoid"]
    assert python_names("_fft_r2c") == ["_fft_r2c"]
    assert python_names("special_erfcx") == ["special_erfcx", "erfcx"]


def test_kernels_of_an_op_are_those_its_dispatch_maps_name() -> None:
    ops = parse_native_functions(
        [
            "- func: angle(Tensor self) -> Tensor",
            "  dispatch:",
            "    CPU, CUDA: angle",
            "    SparseCsrCPU: angle_sparse_csr",
            "- func: angle.out(Tensor self, *, Tensor(a!) out) -> Tensor(a!)",
            "  dispatch:",
            "    CPU, CUDA: angle_out",
            "- func: abs(Tensor self) -> Tensor",
            "  dispatch:",
            "    CPU: abs_out_cpu  # a comment",
        ]
    )
    assert ops.kernels_of("angle") == ("angle_out", "angle_sparse_csr")
    assert ops.kernels_of("abs") == ("abs_out_cpu",)
    assert ops.kernels_of("missing") == ()
    assert ops == NativeOps(ops.ops, dict(ops.kernels))  # (the inverse is not compared)
