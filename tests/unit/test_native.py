"""`#include` scanning, include-root discovery and resolution, extension declarations."""

from __future__ import annotations

from prready.analysis.native import link_includes, native_language, scan_native_bytes


def test_scan_finds_include_lines_only() -> None:
    src = (
        b'#include "a.h"\n'
        b"  #  include <b/c.h>\n"
        b"int x; // #include <not/this.h>\n"
        b'const char* s = "#include <nor/this.h>";\n'
        b"#include <vector>\n"
        b"/* caf\xe9 */\n"
    )
    scan = scan_native_bytes(src)
    assert [tuple(i) for i in scan.includes] == [
        (1, "a.h", False),
        (2, "b/c.h", True),
        (5, "vector", True),
    ]
    assert scan.lines == 6
    assert scan.error == ""


def test_targets_that_are_not_utf8_are_read_leniently() -> None:
    """The bytes are searched as they are; a target is decoded as a lenient decoding of
    the whole file would read it, and stripped as text (Unicode blanks too)."""
    src = (
        b'#include "caf\xe9.h"\n'
        b"\xe2#include <not/after/a/stray/byte.h>\n"
        b'#include " spaced.h\xc2\xa0"\n'
        b'#include "\xc3\xa9t\xc3\xa9/x.h"\n'
    )
    scan = scan_native_bytes(src)
    assert scan.includes == (
        (1, "caf\ufffd.h", False),
        (3, "spaced.h", False),
        (4, "\u00e9t\u00e9/x.h", False),
    )
    assert scan.includes == _scan_as_text(src)


def _scan_as_text(src: bytes) -> tuple[tuple[int, str, bool], ...]:
    """What a line-by-line read of the decoded text finds (the reference)."""
    found = []
    for n, line in enumerate(src.decode("utf-8", "replace").split("\n"), 1):
        head = line.lstrip(" \t")
        if head.startswith("#") and head[1:].lstrip(" \t").startswith("include"):
            rest = head[1:].lstrip(" \t")[len("include") :].lstrip(" \t")
            close = ">" if rest[:1] == "<" else '"'
            target = rest[1 : rest.index(close, 1)].strip()
            found.append((n, target, close == ">"))
    return tuple(found)


def test_extension_module_declarations() -> None:
    cpp = b'static PyModuleDef m = {PyModuleDef_HEAD_INIT, "torch._C", nullptr, -1};\n'
    assert scan_native_bytes(cpp).declares == ("torch._C",)
    assert scan_native_bytes(b"PYBIND11_MODULE(_ext, m) {}\n").declares == ("_ext",)


def test_languages() -> None:
    assert native_language("aten/src/ATen/native/cuda/Loss.cu") == "cuda"
    assert native_language("x/y.cuh") == "cuda"
    assert native_language("a.c") == "c"
    assert native_language("a.hpp") == "cpp"
    assert native_language("a.py") is None
    assert native_language("dir.h/file") is None


def _inc(*items: tuple[str, bool]) -> tuple[tuple[int, str, bool], ...]:
    return tuple((n, t, a) for n, (t, a) in enumerate(items, 1))


def test_roots_are_discovered_and_includes_resolved() -> None:
    files = {
        "aten/src/ATen/ATen.h": _inc(("ATen/Tensor.h", True), ("vector", True)),
        "aten/src/ATen/Tensor.h": _inc(("c10/core/Scalar.h", True)),
        "aten/src/ATen/native/Loss.cpp": _inc(("ATen/ATen.h", True), ("Helpers.h", False)),
        "aten/src/ATen/native/Helpers.h": _inc(("ATen/Tensor.h", True)),
        "aten/src/ATen/native/cuda/Loss.cu": _inc(
            ("ATen/ATen.h", True), ("../Helpers.h", False), ("../../../../../../etc/x.h", False)
        ),
        "c10/core/Scalar.h": _inc(),
        "torch/csrc/Module.cpp": _inc(("torch/csrc/utils.h", False), ("ATen/ATen.h", True)),
        "torch/csrc/utils.h": _inc(("c10/core/Scalar.h", True)),
        "torch/csrc/api/include/torch/nn.h": _inc(),
        "torch/csrc/api/src/nn.cpp": _inc(("torch/nn.h", True)),
    }
    roots, edges = link_includes(files)
    assert roots[:2] == ["aten/src", ""]
    assert set(edges) == {
        ("aten/src/ATen/ATen.h", "aten/src/ATen/Tensor.h"),
        ("aten/src/ATen/Tensor.h", "c10/core/Scalar.h"),
        ("aten/src/ATen/native/Loss.cpp", "aten/src/ATen/ATen.h"),
        ("aten/src/ATen/native/Loss.cpp", "aten/src/ATen/native/Helpers.h"),
        ("aten/src/ATen/native/Helpers.h", "aten/src/ATen/Tensor.h"),
        ("aten/src/ATen/native/cuda/Loss.cu", "aten/src/ATen/ATen.h"),
        ("aten/src/ATen/native/cuda/Loss.cu", "aten/src/ATen/native/Helpers.h"),
        ("torch/csrc/Module.cpp", "torch/csrc/utils.h"),
        ("torch/csrc/Module.cpp", "aten/src/ATen/ATen.h"),
        ("torch/csrc/utils.h", "c10/core/Scalar.h"),
    }
    # One include of <torch/nn.h> is not enough evidence for a root (needs 3).
    assert "torch/csrc/api/include" not in roots


def test_a_root_with_enough_hits_is_used() -> None:
    files = {
        "api/include/torch/nn.h": _inc(),
        "api/src/a.cpp": _inc(("torch/nn.h", True)),
        "api/src/b.cpp": _inc(("torch/nn.h", True)),
        "api/src/c.cpp": _inc(("torch/nn.h", True)),
    }
    roots, edges = link_includes(files)
    assert roots == ["api/include"]
    assert ("api/src/b.cpp", "api/include/torch/nn.h") in edges
    assert len(edges) == 3


def test_root_order_is_the_same_in_every_run() -> None:
    """Roots with as many hits rank shorter first, then by name: the ranking used to follow
    set order, which changes with string hashing, and so did the resolved edges."""
    files: dict[str, list[tuple[int, str, bool]]] = {
        "zz/inc/p/a.h": [],
        "aa/inc/q/b.h": [],
        "m/inc/r/c.h": [],
    }
    for i in range(3):
        files[f"src/u{i}.cc"] = [(1, "p/a.h", True), (2, "q/b.h", True), (3, "r/c.h", True)]
    roots, edges = link_includes(files)
    assert roots == ["m/inc", "aa/inc", "zz/inc"]
    assert ("src/u0.cc", "zz/inc/p/a.h") in edges
