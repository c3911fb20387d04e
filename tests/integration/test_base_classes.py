"""A class an issue names leads to the bases it derives from (a bug in `BaseConv` is
reported through `Conv2D`), in a git repository laid out as Keras 3 is: public names
re-exported from `keras/api`, the classes under `keras/src`. Bases that most classes
share say nothing and are left out; the bases are stored with the lexical index, so a
warm index has them too."""

from __future__ import annotations

from pathlib import Path

from mapfixtures import index_code, map_and_index_files, map_code
from planfixtures import make_issue
from prready.analysis.lexicon import class_bases, source_fields_packed
from prready.analysis.mapping import map_issue_to_modules
from prready.analysis.resolve import W_API_BASE
from prready.code_models import HistoryCommit
from prready.paths import Paths, resolve_paths
from prready.sources.git_repo import build_repo

LAYER = "keras.src.layers.layer"
BASE_CONV = "keras.src.layers.convolutional.base_conv"
CONV2D = "keras.src.layers.convolutional.conv2d"


def _files() -> dict[str, str]:
    files = {
        "keras/__init__.py": "from keras.api import layers\n",
        "keras/api/__init__.py": "from keras.api import layers\n",
        "keras/api/layers/__init__.py": (
            f"from {CONV2D} import Conv2D\nfrom {BASE_CONV} import BaseConv\n"
            "from keras.src.layers.core.dense import Dense\n"
        ),
        "keras/src/__init__.py": "",
        "keras/src/layers/__init__.py": "",
        "keras/src/layers/layer.py": (
            "class Layer:\n    def __call__(self, inputs):\n        return self.call(inputs)\n"
        ),
        "keras/src/layers/convolutional/__init__.py": "",
        "keras/src/layers/convolutional/base_conv.py": (
            f"from {LAYER} import Layer\n\n\nclass BaseConv(Layer):\n"
            '    """Abstract N-D convolution layer."""\n\n'
            "    def compute_output_shape(self, input_shape):\n"
            "        # grouped convolutions split the channels\n        return input_shape\n"
        ),
        "keras/src/layers/convolutional/conv2d.py": (
            f"from {BASE_CONV} import BaseConv\n\n\nclass Conv2D(\n    BaseConv,\n):\n"
            '    """2D convolution layer."""\n'
        ),
        "keras/src/layers/core/__init__.py": "",
        "keras/src/layers/core/dense.py": (
            f"from {LAYER} import Layer\n\n\nclass Dense(Layer):\n    pass\n"
        ),
    }
    # Many layers derive from Layer: a base that says nothing of where one of them breaks.
    for i in range(30):
        files[f"keras/src/layers/misc/layer_{i}.py"] = (
            f"from {LAYER} import Layer\n\n\nclass Misc{i}(Layer):\n    pass\n"
        )
    files["keras/src/layers/misc/__init__.py"] = ""
    # One name, defined by two backends.
    for backend in ("jax", "openvino"):
        files[f"keras/src/backend/{backend}/__init__.py"] = ""
        files[f"keras/src/backend/{backend}/core.py"] = "def convert_to_tensor(x):\n    return x\n"
    files["keras/src/backend/__init__.py"] = ""
    return files


def _index(tmp_path: Path, name: str = "cache"):  # type: ignore[no-untyped-def]
    root = tmp_path / "keras"
    if not root.exists():
        build_repo(
            root,
            [HistoryCommit("A", "a@example.com", "2026-01-01T00:00:00Z", "Import", _files())],
        )
    home = resolve_paths()
    paths = Paths(cache=tmp_path / name, data=home.data, config=home.config)
    code_map = map_code("keras-team/keras", paths, checkout=root)
    return code_map, index_code(code_map, paths)


def test_the_fields_keep_each_top_level_classes_bases() -> None:
    source = (
        b"import abc\n\nclass A(nn.Module, Mixin[int], metaclass=abc.ABCMeta):\n"
        b"    class Inner(Hidden):\n        pass\n"
        b"class B(\n    A,\n    Dict[str, int],\n):\n    pass\n"
        b'class C(namedtuple("C", "x y")):\n    pass\nclass D:\n    pass\n'
    )
    fields = source_fields_packed(source, "python")
    assert class_bases(fields) == {"A": ("nn.Module", "Mixin"), "B": ("A", "Dict")}
    assert class_bases(source_fields_packed(b"class Plain(Base): pass\n", "cpp")) == {}
    assert class_bases((*fields[:4], 7)) == {} and class_bases(fields[:4]) == {}


def test_a_named_class_leads_to_its_base(tmp_path: Path) -> None:
    code_map, index = _index(tmp_path)
    assert index.class_bases[CONV2D] == {"Conv2D": ("BaseConv",)}
    issue = make_issue(
        1,
        "keras.layers.Conv2D computes the wrong output shape with groups=2",
        "layer = keras.layers.Conv2D(4, 3, groups=2)",
    )
    matches = map_issue_to_modules(issue, code_map, index=index)
    by_name = {m.name: m for m in matches}
    # The class named and its base, which holds the shape logic, lead.
    assert {m.name for m in matches[:2]} == {CONV2D, BASE_CONV}
    why = f"base class BaseConv of Conv2D (defined in {BASE_CONV})"
    assert why in by_name[BASE_CONV].evidence
    assert by_name[BASE_CONV].score >= W_API_BASE
    # Layer is the base of 32 classes here: no clue of its own.
    assert not any(e.startswith("base class") for e in by_name.get(LAYER, matches[0]).evidence)
    # A class without bases of note, and one whose base every class shares: no base clue.
    dense = make_issue(2, "keras.layers.Dense drops the bias")
    assert not any(
        e.startswith("base class")
        for m in map_issue_to_modules(dense, code_map, index=index)
        for e in m.evidence
    )


def test_a_warm_index_has_the_bases_too(tmp_path: Path) -> None:
    _, cold = _index(tmp_path)
    code_map, warm = _index(tmp_path)  # the same cache: the stored lexical index
    assert warm.class_bases == cold.class_bases
    assert warm.class_bases[BASE_CONV] == {"BaseConv": ("Layer",)}
    issue = make_issue(1, "keras.layers.Conv2D output shape is wrong")
    matches = map_issue_to_modules(issue, code_map, index=warm)
    assert any(m.name == BASE_CONV for m in matches)


def test_a_name_written_without_its_package_resolves_when_one_module_defines_it(
    tmp_path: Path,
) -> None:
    code_map, index = _index(tmp_path)
    issue = make_issue(1, "layers.Conv2D(4, 3).compute_output_shape is wrong for groups=2")
    matches = map_issue_to_modules(issue, code_map, index=index)
    by_name = {m.name: m for m in matches}
    why = f"API layers.Conv2D (as keras.api.layers.Conv2D, defined in {CONV2D})"
    assert why in by_name[CONV2D].evidence
    assert (
        "base class BaseConv of Conv2D (defined in " + BASE_CONV + ")"
        in by_name[BASE_CONV].evidence
    )
    # A written name that ends several defining modules' names resolves to none of them.
    vague = make_issue(2, "core.convert_to_tensor drops the dtype")
    assert "keras.src.backend.jax.core.convert_to_tensor" in code_map.symbols
    assert "keras.src.backend.openvino.core.convert_to_tensor" in code_map.symbols
    assert not any(
        e.startswith("API core.convert_to_tensor")
        for m in map_issue_to_modules(vague, code_map, index=index)
        for e in m.evidence
    )
    one = make_issue(3, "openvino.core.convert_to_tensor drops the dtype")
    assert any(
        e.startswith("API openvino.core.convert_to_tensor (as keras.src.backend.openvino.core.")
        for m in map_issue_to_modules(one, code_map, index=index)
        for e in m.evidence
    )
    # A name that starts with another library's (`jax.core` is JAX's) is not looked for here.
    other = make_issue(4, "jax.core.convert_to_tensor drops the dtype")
    assert not any(
        e.startswith("API jax.core")
        for m in map_issue_to_modules(other, code_map, index=index)
        for e in m.evidence
    )


def _small_index(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    return map_and_index_files(tmp_path, "acme/pkg", files)


def _base_evidence(code_map, index, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    matches = map_issue_to_modules(make_issue(1, f"{name} is broken"), code_map, index=index)
    return [e for m in matches for e in m.evidence if e.startswith("base class")]


def test_a_base_is_found_where_its_qualifier_says_and_never_guessed(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "from pkg.c import Foo\nfrom pkg.d import Bar\nfrom pkg.q import Linear\n",
        "pkg/a.py": "class Base:\n    pass\n",
        "pkg/b.py": "class Base:\n    pass\n",
        # Two imported modules define Base: the qualifier says which one.
        "pkg/c.py": "from pkg import a, b\n\n\nclass Foo(\n    # the one in b\n    b.Base,\n):\n    pass\n",
        # Written bare, with both imported: no way to tell, so no clue.
        "pkg/d.py": "from pkg import a\nfrom pkg.b import Base\n\n\nclass Bar(Base):\n    pass\n",
        "pkg/nn.py": "class Linear:\n    pass\n",
        # A class named as its base (torch.ao.nn.qat's Linear(nn.Linear)).
        "pkg/q.py": "from pkg import nn\n\n\nclass Linear(nn.Linear):\n    pass\n",
    }
    code_map, index = _small_index(tmp_path, files)
    assert index.class_bases["pkg.c"] == {"Foo": ("b.Base",)}  # (past the comment)
    assert _base_evidence(code_map, index, "pkg.Foo") == [
        "base class b.Base of Foo (defined in pkg.b)"
    ]
    assert _base_evidence(code_map, index, "pkg.Bar") == []
    assert _base_evidence(code_map, index, "pkg.Linear") == [
        "base class nn.Linear of Linear (defined in pkg.nn)"
    ]
