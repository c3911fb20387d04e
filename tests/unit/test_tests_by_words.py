"""A step's tests to run: the test files' words (`NamesInTests.by_words`, BM25 over the names
each test file uses) fused with how directly a file exercises the mapped code
(`steps.fuse_tests`). Shaped like peft's suite, where the test of `modules_to_save` is the
one file that uses that name, while the tiers put the files importing the mapped module
first."""

from __future__ import annotations

from prready.analysis.lexicon import query_terms
from prready.analysis.names_in_tests import NamesInTests
from prready.analysis.step_tests import fuse_tests

SUITE = {
    "tests/test_custom_models.py": [
        ("modules_to_save", 14),
        ("ModulesToSaveWrapper", 3),
        ("LoraConfig", 20),
        ("test_modules_to_save_multiple_adapters", 1),
    ],
    "tests/test_config.py": [
        ("LoraConfig", 9),
        ("PromptEncoderConfig", 4),
        ("test_from_pretrained", 2),
    ],
    "tests/test_tuners_utils.py": [("LoraConfig", 6), ("inject_adapter", 5), ("test_inject", 1)],
    "tests/test_gpu_examples.py": [("modules_to_save", 2), ("bnb_4bit", 8), ("test_4bit_lora", 1)],
    "tests/test_decoder_models.py": [("prefix_tuning", 7), ("PrefixTuningConfig", 5)],
}


def _names() -> NamesInTests:
    return NamesInTests.build(SUITE)


def test_test_files_are_found_by_the_words_of_the_names_they_use() -> None:
    names = _names()
    query = query_terms("modules_to_save lost with multiple adapters", "")
    found = [path for path, _ in names.by_words(query)]
    assert found[0] == "tests/test_custom_models.py"
    assert "tests/test_decoder_models.py" not in found
    # Split as code is split: "prefix tuning" in prose finds `prefix_tuning`.
    prose = names.by_words(query_terms("Bug in prefix tuning of Qwen3", ""))
    assert prose[0][0] == "tests/test_decoder_models.py"
    assert names.by_words({}) == []


def test_words_outrank_importers_but_not_a_named_test() -> None:
    by_words = [("tests/test_custom_models.py", 9.0), ("tests/test_gpu_examples.py", 6.0)]
    importers = [("tests/test_tuners_utils.py", 4), ("tests/test_config.py", 4)]
    fused = fuse_tests(importers, by_words)
    assert fused[:2] == ["tests/test_custom_models.py", "tests/test_tuners_utils.py"]
    # A file needing a GPU comes after the others (its words' score notwithstanding).
    assert fused[-1] == "tests/test_gpu_examples.py"
    # The issue's own test (tier 0) leads; a conventional file (tier 1) adds half the best.
    named = fuse_tests([("tests/test_config.py", 0), importers[0]], by_words)
    assert named[0] == "tests/test_config.py"
    conventional = fuse_tests(
        [("tests/test_config.py", 1)],
        [("tests/test_custom_models.py", 9.0), ("tests/test_other.py", 6.0)],
    )
    assert conventional == [
        "tests/test_custom_models.py",
        "tests/test_other.py",  # 6/9 of the best words' score, above the bonus's 0.5
        "tests/test_config.py",
    ]
    # A file found by its words alone needs half the best words' score.
    weak = fuse_tests(
        importers, [("tests/test_custom_models.py", 9.0), ("tests/test_other.py", 4.0)]
    )
    assert "tests/test_other.py" not in weak
    # A file holding a test named after a name in the title (`test_inject` for "inject
    # fails", which `-k` then selects) earns what a conventional file earns.
    titled = fuse_tests(importers, by_words, named={"tests/test_config.py"})
    assert titled[:2] == ["tests/test_custom_models.py", "tests/test_config.py"]
    # No words matched: the tiers' order as it was.
    assert fuse_tests(importers, []) == ["tests/test_tuners_utils.py", "tests/test_config.py"]


def test_a_named_gpu_test_keeps_its_place() -> None:
    fused = fuse_tests([("tests/test_gpu_examples.py", 0)], [("tests/test_custom_models.py", 9.0)])
    assert fused == ["tests/test_gpu_examples.py", "tests/test_custom_models.py"]


def test_tests_for_the_users_hardware_keep_their_place() -> None:
    by_words = [("test/test_mps.py", 9.0), ("test/test_torch.py", 8.0), ("test/test_nn.py", 7.0)]
    # Without a Mac, the MPS tests come after those any machine runs...
    assert fuse_tests([], by_words)[-1] == "test/test_mps.py"
    # ...with one (`--hardware mps`), they keep their rank, and a cluster runs the
    # distributed tests, an NVIDIA GPU the cuDNN ones.
    assert fuse_tests([], by_words, hardware=("mps",))[0] == "test/test_mps.py"
    gpu = [("test/distributed/test_c10d_nccl.py", 9.0), ("test/test_cudnn_rnn.py", 8.5)]
    gpu += [("test/test_nn.py", 7.0)]
    assert fuse_tests([], gpu, hardware=("cuda",)) == [
        "test/test_cudnn_rnn.py",
        "test/test_nn.py",
        "test/distributed/test_c10d_nccl.py",
    ]
    assert fuse_tests([], gpu, hardware=("multi-gpu", "cuda"))[0] == (
        "test/distributed/test_c10d_nccl.py"
    )


def test_a_folder_named_for_a_gpu_with_a_hyphen_needs_one() -> None:
    # XGBoost keeps its GPU tests in tests/python-gpu/ beside tests/python/.
    by_words = [("tests/python-gpu/test_large_input.py", 9.0), ("tests/python/test_basic.py", 8.0)]
    assert fuse_tests([], by_words) == [
        "tests/python/test_basic.py",
        "tests/python-gpu/test_large_input.py",
    ]
    assert fuse_tests([], by_words, hardware=("cuda",))[0] == "tests/python-gpu/test_large_input.py"
    # ...and its Intel GPU (SYCL) tests in tests/python-sycl/: an xpu's.
    sycl = [("tests/python-sycl/test_sycl_simple_dask.py", 9.0), ("tests/python/test_tracker.py", 8.0)]
    assert fuse_tests([], sycl)[0] == "tests/python/test_tracker.py"
    assert fuse_tests([], sycl, hardware=("xpu",))[0] == "tests/python-sycl/test_sycl_simple_dask.py"
