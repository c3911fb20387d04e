"""The C speed-up of the lexical fields (src/prready/_lexscan.c) gives the Python passes'
names and fields, byte for byte, leaves the same memo and builds the same BM25 index, on real trees: every Python file of the
installed torch wheel and every C, C++ and CUDA file of PyTorch 1.13.1's sources, with one
memo shared across each tree as a scanning worker keeps one. Slow: it needs both trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from prready.analysis import lexicon
from prready.analysis.mapping import lexical_index
from torchfixtures import torch_source

pytestmark = pytest.mark.slow

C_SUFFIXES = {".c", ".cc", ".cpp", ".cxx", ".cu", ".cuh", ".h", ".hpp"}


def compare(files: list[Path], language: str, root: Path) -> None:
    """Each file's defined names and fields, the memo, and the BM25 index over the files
    (one unit each)."""
    in_python: dict[str, tuple[str, ...]] = {}
    in_c: dict[str, tuple[str, ...]] = {}
    fields = {}
    for path in files:
        data = path.read_bytes()
        text = (b"\n" + data[: lexicon.MAX_SCAN_BYTES]).decode("utf-8", "replace")
        python = language == "python"
        names = lexicon.defined_names(text, python, compiled=None)
        assert lexicon.defined_names(text, python) == names, path
        expected = lexicon.source_fields_packed(data, language, in_python, compiled=None)
        assert lexicon.source_fields_packed(data, language, in_c) == expected, path
        fields[path.relative_to(root).as_posix()] = lexicon.PackedTerms.unpack(expected)
    assert in_c == in_python
    units = {path: path for path in fields}
    built = lexical_index(units, fields)  # (the C build, as the map's worker runs it)
    splits: dict[str, tuple[str, ...]] = {}
    paths = {path: lexicon.path_terms(path, splits) for path in units}
    docs = {p: lexicon.unit_terms(p, *fields[p], splits) for p in units}  # type: ignore[misc]
    expected_index = lexicon.BM25Index.build(docs, paths=paths, compiled=None)
    assert repr(built.to_plain()) == repr(expected_index.to_plain())  # (values and order)


@pytest.fixture(scope="module")
def compiled() -> object:
    if lexicon._compiled is None:  # (a failure in CI, where nothing may skip)
        pytest.skip("prready._lexscan is not built (no C compiler at install)")
    return lexicon._compiled


def test_the_torch_wheels_python_files(compiled: object) -> None:
    source = torch_source()
    if source is None:
        pytest.skip("torch is not installed")
    files = sorted(source.rglob("*.py"))
    assert len(files) > 1500
    compare(files, "python", source)


def test_pytorch_sources_c_and_cuda_files(compiled: object, pytorch_tree: Path) -> None:
    files = sorted(
        p for p in pytorch_tree.rglob("*") if p.suffix in C_SUFFIXES and ".git" not in p.parts
    )
    assert len(files) > 5000
    compare(files, "cpp", pytorch_tree)
