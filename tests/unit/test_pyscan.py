"""The fast Python scanner: imports (line, level, names, conditional), definitions,
`__all__`, strings that hide statements, and unreadable files."""

from __future__ import annotations

from prready.analysis.pyscan import ImportStmt, ScanMemo, scan_python, scan_python_bytes

SOURCE = '''"""Module docstring.

import hidden_in_docstring
"""
import a.b as c, d
from . import x
from ..p.q import (y,
   z as w)  # trailing comment
from typing import TYPE_CHECKING
import e; import f
if TYPE_CHECKING:
    import tc
else:
    import runtime
try:
    import fast
except ImportError:
    fast = None


def top():
    import in_function
    text = """
import hidden_in_string
"""
    return text


class K:
    import in_class_body

    def method(self):
        from .sub import g


async def coro():
    import in_coroutine


__all__ = ["K", 'top']
__all__ += ["extra"]
CONSTANT: int = 3
_private = 1
x = '"""'
import after_odd_quotes
'''


def test_imports_with_lines_levels_names_and_conditions() -> None:
    scan = scan_python(SOURCE)
    assert scan.error == ""
    got = [(i.line, i.level, i.module, i.names, i.conditional, i.alias) for i in scan.imports]
    assert got == [
        (5, 0, "a.b", (), False, "c"),
        (5, 0, "d", (), False, ""),
        (6, 1, "", (("x", "x"),), False, ""),
        (7, 2, "p.q", (("y", "y"), ("z", "w")), False, ""),
        (9, 0, "typing", (("TYPE_CHECKING", "TYPE_CHECKING"),), False, ""),
        (10, 0, "e", (), False, ""),
        (10, 0, "f", (), False, ""),
        (12, 0, "tc", (), True, ""),
        (14, 0, "runtime", (), False, ""),
        (16, 0, "fast", (), False, ""),
        (22, 0, "in_function", (), True, ""),
        (30, 0, "in_class_body", (), False, ""),
        (33, 1, "sub", (("g", "g"),), True, ""),
        (37, 0, "in_coroutine", (), True, ""),
        (45, 0, "after_odd_quotes", (), False, ""),
    ]


def test_definitions_and_all() -> None:
    scan = scan_python(SOURCE)
    # `fast = None` sits under `except:`, so it is not a top-level definition
    assert scan.defs == ("top", "K", "coro", "CONSTANT", "_private", "x")
    assert scan.all_names == ("K", "top", "extra")
    assert scan.lines == 45


def test_star_import_and_backslash_continuation() -> None:
    scan = scan_python("from pkg.mod import *\nfrom pkg import \\\n    one, two\n")
    assert scan.imports == (
        ImportStmt(1, 0, "pkg.mod", (("*", "*"),), False),
        ImportStmt(2, 0, "pkg", (("one", "one"), ("two", "two")), False),
    )


def test_all_absent_is_none_and_crlf_is_fine() -> None:
    scan = scan_python("import os\r\ndef f():\r\n    import sys\r\n")
    assert scan.all_names is None
    assert [(i.module, i.conditional) for i in scan.imports] == [("os", False), ("sys", True)]


def test_python2_and_unclosed_string_are_syntax_errors() -> None:
    assert scan_python('print "hello"\n').error == "syntax-error"
    assert scan_python("print >>sys.stderr, 'x'\n").error == "syntax-error"
    assert scan_python('x = """never closed\nimport a\n').error == "syntax-error"
    assert scan_python("print('fine')\n").error == ""


def test_bytes_not_utf8_or_binary_are_reported() -> None:
    assert scan_python_bytes(b"# caf\xe9\nimport os\n").error == "not-utf8"
    assert scan_python_bytes(b"import os\0\n").error == "not-utf8"
    ok = scan_python_bytes("\ufeff# ünï\nimport os\n".encode())
    assert ok.error == "" and ok.imports[0].module == "os"


def test_escaped_quote_before_closing_triple_quote() -> None:
    src = 'x = f"""#include \\"{name}.h\\""""\nimport after\n'
    scan = scan_python(src)
    assert scan.error == ""
    assert [i.module for i in scan.imports] == ["after"]


def test_lines_inside_strings_never_open_or_hide_blocks() -> None:
    """Docstring lines at column 0 that look like code are neither statements nor the
    block an import sits in; a blank line before a line opening a string changes nothing."""
    src = (
        "def f():\n"
        '    """Doc.\n'
        "\n"
        "import not_code\n"
        "class NotCode:\n"
        '"""\n'
        "\n"
        '    """second"""\n'
        "    import inside\n"
        "x = 1\n"
    )
    scan = scan_python(src)
    assert [(i.line, i.module, i.conditional) for i in scan.imports] == [(9, "inside", True)]
    assert scan.defs == ("f", "x")


def _conditions(src: str) -> list[tuple[int, str, bool]]:
    return [(i.line, i.module, i.conditional) for i in scan_python(src).imports]


def test_import_under_a_def_whose_signature_spans_lines_is_conditional() -> None:
    """The line just above the body is `):` or `) -> T:`, not the `def`: the scanner must
    follow the brackets up to the statement's first line."""
    assert _conditions("def g(\n    x,\n):\n    import baz\n") == [(4, "baz", True)]
    src = "def g(\n    x,\n) -> Dict[\n    str, int\n]:\n    from a import b\n"
    assert _conditions(src) == [(6, "a", True)]
    assert _conditions("async def g(\n    x,\n):\n    import baz\n") == [(4, "baz", True)]
    src = "class A:\n    def g(\n        self,\n    ) -> None:\n        import baz\n"
    assert _conditions(src) == [(5, "baz", True)]
    assert _conditions("def g(a, \\\nb):\n    import baz\n") == [(3, "baz", True)]
    # a bracket inside a string default does not derail the walk
    src = 'def g(\n    sep=")",  # a ( in a comment\n):\n    import baz\n'
    assert _conditions(src) == [(4, "baz", True)]


def test_split_type_checking_header_is_conditional() -> None:
    assert _conditions("if (\n    TYPE_CHECKING\n):\n    import tc\n") == [(4, "tc", True)]
    src = "if (\n    typing.TYPE_CHECKING\n):\n    import tc\nimport after\n"
    assert _conditions(src) == [(4, "tc", True), (5, "after", False)]


def test_split_headers_that_run_at_import_time_stay_unconditional() -> None:
    """Split `class`, `if`, `with` headers and a split statement inside a function body
    are judged by their first line, with that line's indent."""
    assert _conditions("class A(\n    B,\n):\n    import baz\n") == [(4, "baz", False)]
    assert _conditions("if (a and\n        b):\n    import x\n") == [(3, "x", False)]
    src = "try:\n    with open(\n        f\n    ) as fh:\n        import x\nexcept E:\n    pass\n"
    assert _conditions(src) == [(5, "x", False)]
    # a statement of the body split back to column 0 is not the block's header
    src = "def g():\n    x = foo(\n1, 2)\n    import baz\n"
    assert _conditions(src) == [(4, "baz", True)]
    src = "if ok:\n    x = foo(\n1, 2)\n    import baz\n"
    assert _conditions(src) == [(4, "baz", False)]


def test_type_checking_imported_under_a_private_alias() -> None:
    """`from typing import TYPE_CHECKING as _TYPE_CHECKING` (torch/ao/__init__.py)."""
    src = "if _TYPE_CHECKING:\n    from types import ModuleType\nif _OTHER:\n    import x\n"
    assert _conditions(src) == [(2, "types", True), (4, "x", False)]


def test_string_opened_where_another_closed_is_not_a_syntax_error() -> None:
    # torch/special/__init__.py and torch/linalg/__init__.py in PyTorch 1.13.1: a
    # docstring built from two triple-quoted parts joined on one line.
    src = (
        'import torch\n\nerf = _add_docstr(_special.special_erf, r"""\nerf(input)\n'
        '""" + r"""\nArgs:\n    import os\n""".format(**common_args))\n\nfrom torch import nn\n'
    )
    scan = scan_python(src)
    assert scan.error == ""
    assert [i.module for i in scan.imports] == ["torch", "torch"]


def test_generated_files_are_recognised_by_header_or_bulk() -> None:
    from prready.analysis.pyscan import GENERATED_MIN_NAMES

    marked = [
        "# mypy: ignore-errors\n\n# This is an autogenerated file. Please do not modify it.\nx = 1\n",
        "# @generated by tools/gen.py\nimport a\n",
        "#!/usr/bin/env python\n# Auto-generated with clang2py\n",
        "# DO NOT EDIT\n",
        # A docstring that starts by saying so (Keras's `keras/api/` re-exports).
        '"""DO NOT EDIT.\n\nThis file was autogenerated. Do not edit it by hand,\n"""\n'
        "from keras.src.ops.numpy import blackman as blackman\n",
        "# Copyright\n\nr\'\'\'Auto-generated stubs.\'\'\'\nx = 1\n",
        '"""Bindings for the C API.\n\nThis module was generated by tools/gen.py."""\n',
    ]
    assert all(scan_python(src).generated for src in marked)
    handwritten = [
        "import a\n# generated by the build, see below\n",  # not in the leading comments
        '"""Reports generated by the ModelReport API."""\nimport a\n',  # docstring prose
        'import a\n"""DO NOT EDIT"""\n',  # a string after code is no module docstring
        '"""Layers.\n\nOne.\nTwo.\nThree.\nFour: do not edit the registry by hand."""\n',
        # Only the docstring is read, and a marker counts where a line or sentence starts.
        '"""Public ops."""\nfrom ._autogenerated_ops import relu\n',
        '"""Kernels."""\n\n# Do not edit TABLE by hand\nTABLE = {}\n',
        '"""do not edit""".strip()\n',  # an expression, not a docstring
        '"""Helpers that check the autogenerated API stubs."""\n',
        "# Copyright the authors\nimport a\n",
    ]
    assert not any(scan_python(src).generated for src in handwritten)
    # ctypes bindings without a header: thousands of names, one or two lines each
    bulk = "".join(f"CONST_{i} = {i}\n" for i in range(GENERATED_MIN_NAMES))
    assert scan_python(bulk).generated
    fewer = "".join(f"CONST_{i} = {i}\n" for i in range(GENERATED_MIN_NAMES - 1))
    assert not scan_python(fewer).generated
    spread = "".join(f"def f{i}():\n    a = 1\n    return a\n" for i in range(GENERATED_MIN_NAMES))
    assert not scan_python(spread).generated  # a huge hand-written module: names are sparse


def test_scans_sharing_a_memo_equal_scans_without_one() -> None:
    """A batch of files scanned with one ScanMemo (as the scanning workers do): the same
    statement in another file, at another line, indent or condition, keeps its own."""
    files = [
        SOURCE,
        "import torch\nfrom . import x\ndef f():\n    import torch\n    from . import x\n",
        "if True:\n    import torch; import e\nimport torch\n",
        "class K:\n        def m(self):\n            import torch\n",
    ]
    memo = ScanMemo()
    shared = [scan_python(text, memo) for text in files]
    assert shared == [scan_python(text) for text in files]
    assert shared[1].imports[2] == ImportStmt(4, 0, "torch", (), True)
    assert shared[2].imports[2] == ImportStmt(3, 0, "torch", (), False)
    assert "import torch" in memo.imports  # parsed once, reused
