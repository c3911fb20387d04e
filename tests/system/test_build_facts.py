"""Native build detection (analysis.build) on real-shaped build files."""

from __future__ import annotations

from pathlib import Path

import pytest

from prready.analysis.build import detect_build, library_compilers, run_time_toolchains

SETUP_CUDA = """\
from setuptools import setup
from torch.utils.cpp_extension import BuildExtension, CUDAExtension

setup(
    name="fused_ops",
    ext_modules=[CUDAExtension("fused_ops._C", ["csrc/ops.cpp", "csrc/ops_kernel.cu"])],
    cmdclass={"build_ext": BuildExtension},
)
"""
SETUP_PURE = """\
from setuptools import find_packages, setup

# ext_modules=[Extension("x", ["x.c"])] was dropped in 2.0
setup(name="purelib", packages=find_packages(), ext_modules=[])
"""


def test_setup_py_with_cuda_extensions() -> None:
    facts = detect_build(["setup.py", "csrc/ops.cpp"], {"setup.py": SETUP_CUDA})
    assert facts.native
    assert facts.evidence == ["setup.py: CUDA extension modules (CUDAExtension)"]


def test_pure_python_package_needs_no_build() -> None:
    pyproject = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    facts = detect_build(
        ["setup.py", "pyproject.toml", "docs/CMakeLists.txt"],
        {"setup.py": SETUP_PURE, "pyproject.toml": pyproject},
    )
    assert not facts.native and facts.evidence == []
    assert facts.backend == "hatchling.build"


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        ('[build-system]\nbuild-backend = "scikit_build_core.build"\n', "scikit-build-core"),
        ('[build-system]\nbuild-backend = "mesonpy"\n', "meson-python"),
        ('[build-system]\nbuild-backend = "maturin"\n', "maturin"),
        (
            '[build-system]\nrequires = ["setuptools", "setuptools-rust>=1.5"]\n'
            'build-backend = "setuptools.build_meta"\n',
            "setuptools-rust",
        ),
        ('[tool.scikit-build]\nwheel.packages = ["src/x"]\n', "scikit-build"),
    ],
)
def test_native_backends_in_pyproject(pyproject: str, expected: str) -> None:
    facts = detect_build(["pyproject.toml"], {"pyproject.toml": pyproject})
    assert facts.native
    assert expected in facts.evidence[0]


def test_broken_pyproject_and_root_cmake() -> None:
    facts = detect_build(["CMakeLists.txt", "pyproject.toml"], {"pyproject.toml": "[[[ not toml"})
    assert facts.native
    assert facts.evidence == ["CMakeLists.txt at the root (CMake build)"]


TINYGRAD_FILES = ["tinygrad/tensor.py", "tinygrad/runtime/ops_clang.py",
                  "tinygrad/runtime/ops_metal.py", "tinygrad/runtime/ops_cuda.py"]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "focus", "expected"),
    [
        ("CLANG backend: compile error for `Tensor.where`", [], ["CLANG"]),
        ("Kernels are wrong", ["tinygrad/runtime/ops_clang.py"], ["CLANG"]),
        ("METAL: `Tensor.numpy()` returns zeros", [], ["METAL"]),
        ("LLVM=1 segfaults and CUDA=1 too", [], ["LLVM", "CUDA"]),
        ("`Tensor.cumsum` on a zero-length axis", ["tinygrad/tensor.py"], []),
        ("the bare metal of it", [], []),  # lower-case prose is no backend
    ],
)
def test_backends_that_compile_at_run_time(text: str, focus: list[str], expected: list[str]) -> None:
    found = run_time_toolchains(text, focus, TINYGRAD_FILES)
    assert [name for name, _ in found] == expected
    assert all(needs for _, needs in found)


def test_a_library_driving_compilers_at_run_time() -> None:
    """tinygrad's CLANG and LLVM backends compile every kernel; a CUDA module alone is a
    device (the GPU is the need there), and a library without such modules needs none."""
    tinygrad = [*TINYGRAD_FILES, "tinygrad/runtime/ops_llvm.py"]
    assert [name for name, _ in library_compilers(tinygrad)] == ["CLANG", "LLVM"]
    assert library_compilers(["src/accelerate/utils/operations.py", "src/accelerate/cuda.py"]) == []


def test_a_device_is_no_backend_of_a_library_without_its_module() -> None:
    """accelerate runs on CUDA but compiles nothing: it has no module named for CUDA."""
    files = ["src/accelerate/accelerator.py", "src/accelerate/utils/operations.py"]
    assert run_time_toolchains("Muti node CUDA error: invalid device ordinal", [], files) == []
    assert [n for n, _ in run_time_toolchains("Fails under clang 17", [], files)] == ["CLANG"]


@pytest.mark.slow
def test_pytorch_needs_a_native_build(pytorch_tree: Path) -> None:
    texts = {name: (pytorch_tree / name).read_text() for name in ("setup.py", "pyproject.toml")}
    facts = detect_build(["CMakeLists.txt", "setup.py", "pyproject.toml"], texts)
    assert facts.native
    assert "CMakeLists.txt at the root (CMake build)" in facts.evidence
    assert any(e.startswith("setup.py: ") for e in facts.evidence)
