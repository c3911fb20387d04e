"""Public modules that re-export an implementation without being packages or listing
`__all__`, as JAX's do: by the typing convention (`jax/tree_util.py`: `from
jax._src.tree_util import Partial as Partial`), or as a facade that defines nothing
(`jax/distributed.py`: `from jax._src.distributed import initialize, shutdown`).
`jax.tree_util.Partial` and `jax.distributed.initialize` resolve to the modules that
define them, in the symbol index and as an issue's exact evidence; a plain import into a
module that defines names of its own stays private."""

from __future__ import annotations

import pytest

from mapfixtures import map_and_index_files
from planfixtures import make_issue
from prready.analysis.incremental import symbol_inputs
from prready.analysis.mapping import map_issue_to_modules
from prready.analysis.pyscan import ImportStmt, scan_python

SRC_TREE_UTIL = "jax._src.tree_util"
FILES = {
    "jax/__init__.py": "from jax import tree_util as tree_util\n",
    "jax/_src/__init__.py": "",
    "jax/_src/tree_util.py": (
        "import functools\n\n\n"
        "class Partial(functools.partial):\n"
        '    """A version of functools.partial that works in pytrees."""\n\n\n'
        "def tree_map(f, tree):\n    return tree\n\n\n"
        "def tree_leaves(tree):\n    return []\n"
    ),
    "jax/tree_util.py": (
        '"""Utilities for working with tree-like container data structures."""\n\n'
        "from jax._src.tree_util import (\n"
        "  Partial as Partial,\n"
        "  tree_map as tree_map,\n"
        ")\n"
        "from jax._src.tree_util import tree_leaves\n\n"
        "def tree_flatten(tree):\n    return tree_leaves(tree), None\n"
    ),
    "jax/_src/distributed.py": (
        "def initialize(coordinator_address=None):\n    pass\n\n\n"
        "def shutdown():\n    pass\n\n\n"
        "def _private():\n    pass\n"
    ),
    "jax/distributed.py": (
        "from jax._src.distributed import (initialize, shutdown)\n"
        "from jax._src.distributed import _private\n"
    ),
}
DISTRIBUTED = "jax._src.distributed"


def test_the_scanner_records_names_imported_as_themselves() -> None:
    scan = scan_python(
        "from a import (x as x, y as z,\n    w)\nfrom b import v as v, u\nimport c as c\n"
    )
    assert scan.imports == (
        ImportStmt(1, 0, "a", (("x", "x"), ("y", "z"), ("w", "w")), False, "", ("x",)),
        ImportStmt(3, 0, "b", (("v", "v"), ("u", "u")), False, "", ("v",)),
        ImportStmt(4, 0, "c", (), False, "c"),
    )


def test_the_symbol_inputs_change_with_an_explicit_reexport() -> None:
    # An update that only turns `import x` into `import x as x` rebuilds the index.
    plain = scan_python("from a import x\n")
    explicit = scan_python("from a import x as x\n")
    assert symbol_inputs(plain, "m.py") != symbol_inputs(explicit, "m.py")


@pytest.fixture(scope="module")
def jax(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return map_and_index_files(tmp_path_factory.mktemp("jax"), "jax-ml/jax", FILES)


def test_explicit_reexports_resolve_to_the_defining_module(jax) -> None:  # type: ignore[no-untyped-def]
    symbols = jax[0].symbols
    assert symbols["jax.tree_util.Partial"] == SRC_TREE_UTIL
    assert symbols["jax.tree_util.tree_map"] == SRC_TREE_UTIL
    assert symbols["jax.tree_util"] == "jax.tree_util"
    # Imported without the alias into a module that defines names of its own, and has
    # no `__all__`: not a re-export.
    assert symbols["jax.tree_util.tree_flatten"] == "jax.tree_util"
    assert "jax.tree_util.tree_leaves" not in symbols
    # A facade's public imports are re-exports; its private ones are not.
    assert symbols["jax.distributed.initialize"] == DISTRIBUTED
    assert symbols["jax.distributed.shutdown"] == DISTRIBUTED
    assert "jax.distributed._private" not in symbols


@pytest.mark.parametrize(
    ("title", "body", "public", "defining"),
    [
        (  # re-exported by the typing convention
            "jax.tree_util.Partial is not hash-stable",
            "`jax.tree_util.Partial.func` changes hash on each call.",
            "jax.tree_util",
            SRC_TREE_UTIL,
        ),
        (  # re-exported by a facade
            "jax.distributed.initialize hangs",
            "Calling `jax.distributed.initialize()` on one host never returns.",
            "jax.distributed",
            DISTRIBUTED,
        ),
    ],
)
def test_an_issue_naming_the_public_name_points_at_the_implementation(
    jax, title: str, body: str, public: str, defining: str
) -> None:  # type: ignore[no-untyped-def]
    code_map, index = jax
    matches = map_issue_to_modules(make_issue(1, title, body), code_map, index=index)
    assert matches[0].name == defining
    assert any(
        e.startswith(f"API {public}.") and f"defined in {defining})" in e
        for e in matches[0].evidence
    )
    assert not any(f"defined in {public})" in e for m in matches for e in m.evidence)
