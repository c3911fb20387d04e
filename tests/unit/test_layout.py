"""Which files are tests: basenames matching the test patterns, with runner scripts and
helpers in test folders left out, and test-like names inside library packages too."""

from __future__ import annotations

import pytest

from prready.analysis.layout import in_test_tree, is_root_package, is_test_path, named_as_test


@pytest.mark.parametrize(
    ("path", "packaged"),
    [
        ("test/test_nn.py", False),
        ("test/inductor/test_torchinductor.py", False),
        ("tests/models/bert/test_modeling_bert.py", False),
        ("torch/fx/passes/tests/test_pass_manager.py", True),  # a tests folder in a package
        ("pkg/io_test.py", False),
        ("test_top.py", False),
        ("conftest.py", False),
        ("tests/conftest.py", True),
        ("csrc/ops_test.cpp", False),
        ("test/cpp/api/modules.cpp", False),  # C++ suites follow no naming rule
        ("aten/src/ATen/test/basic.cpp", False),
        ("test/mps/metal_kernels.mm", False),  # Objective-C++ is compiled native code too
    ],
)
def test_test_files(path: str, packaged: bool) -> None:
    assert is_test_path(path, packaged)


@pytest.mark.parametrize(
    ("path", "packaged"),
    [
        ("test/run_test.py", False),  # PyTorch's runner script (though it matches *_test.py)
        ("tests/run_tests.py", False),
        ("runtests.py", False),
        ("torch/fx/passes/tests/_test_split_utils.py", True),  # a private helper
        ("torch/fx/passes/tests/__init__.py", True),
        ("test/dynamo/utils.py", False),
        ("tests/models/__init__.py", True),
        ("test/cpp/api/support.h", False),  # a header in a test folder
        ("test/cpp/api/support.hh", False),
        ("test/cuda/helpers.cuh", False),
        ("torch/_dynamo/test_case.py", True),  # test-like name inside the library
        ("torch/testing/_internal/distributed/rpc_test.py", True),
        ("torch/testing/_internal/common_utils.py", True),
        ("src/mylib/core.py", False),
        ("tools/testing/attest.py", False),  # "test" inside a name is not a test folder
        ("contest/test.py", False),  # neither test_*.py nor *_test.py
        ("Makefile", False),
    ],
)
def test_not_test_files(path: str, packaged: bool) -> None:
    assert not is_test_path(path, packaged)


def test_repository_patterns_replace_the_defaults() -> None:
    patterns = ("check_*.py", "*_spec.py")
    assert is_test_path("tests/check_io.py", patterns=patterns)
    assert is_test_path("widget_spec.py", patterns=patterns)
    assert not is_test_path("tests/test_io.py", patterns=patterns)
    assert not is_test_path("pkg/check_io.py", packaged=True, patterns=patterns)


@pytest.mark.parametrize(
    ("path", "runnable", "in_tree"),
    [
        ("test/test_nn.py", True, True),
        ("test/common_utils.py", False, True),  # a helper: drawn as no neighbour, run never
        ("torch/testing/_internal/common_utils.py", False, False),  # library code tests import
        ("torch/nn/functional.py", False, False),
        ("pkg/foo_test.cc", True, True),
    ],
)
def test_runnable_tests_are_a_subset_of_the_test_tree(path: str, runnable: bool, in_tree: bool) -> None:
    assert is_test_path(path) is runnable
    assert in_test_tree(path) is in_tree


@pytest.mark.parametrize(
    ("path", "named", "in_tree"),
    [
        ("tests/test_io.py", True, True),
        ("test/common_utils.py", True, True),  # a helper in a test folder: a fix touching tests
        ("pkg/tests/data/sample.json", True, True),
        ("src/test_helpers.py", True, True),
        ("csrc/conv_test.cc", True, True),
        ("conv_test.cc", True, True),
        ("torch/testing/_internal/common_utils.py", False, False),
        ("pkg/testing/asserts.py", False, True),  # testing/ is in the tree, not a test place
        ("pkg/test_x/_internal/y.py", False, False),
        ("contest/attest.py", False, False),
        ("pkg/latest_test.x.py", False, False),
        ("pkg/my_tests.py", False, False),
        ("docs/testsuite/index.md", False, False),
    ],
)
def test_named_as_test_is_the_test_place_of_fix_statistics(
    path: str, named: bool, in_tree: bool
) -> None:
    """What fix statistics count as touching tests: a test folder or a test's name."""
    assert named_as_test(path) is named
    assert in_test_tree(path) is in_tree


def test_root_package_is_a_top_level_init() -> None:
    assert is_root_package("torch", "torch/__init__.py")
    assert is_root_package("mylib", "src/mylib/__init__.py")
    assert not is_root_package("torch.nn", "torch/nn/__init__.py")
    assert not is_root_package("setup", "setup.py")
