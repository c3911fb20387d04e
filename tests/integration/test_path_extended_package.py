"""A package that puts a subfolder on its `__path__` and star-imports it, as Keras 3's
repository does (`keras/__init__.py`: `__path__.append(.../"api")`, then
`from keras.api import *`; `keras/api/__init__.py`: `from keras import layers as
layers`): the public names users write, `keras.layers.Conv2D` and `keras.ops.blackman`,
resolve to where they are defined, in the symbol index and as an issue's exact evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapfixtures import index_code, map_code
from planfixtures import make_issue
from prready.analysis.mapping import map_issue_to_modules
from prready.code_models import CodeMap, HistoryCommit
from prready.paths import Paths, resolve_paths
from prready.sources.git_repo import build_repo

CONV2D = "keras.src.layers.convolutional.conv2d"
OPS_NUMPY = "keras.src.ops.numpy"
KERAS_INIT = (
    "import os\n\n"
    '__path__.append(os.path.join(os.path.dirname(__file__), "api"))  # noqa: F405\n\n'
    "from keras.api import *  # noqa: F403, E402\n"
    "from keras.api import __version__  # noqa: E402\n\n"
    "del os\n"
)


def _files() -> dict[str, str]:
    return {
        "keras/__init__.py": KERAS_INIT,
        "keras/api/__init__.py": (
            '"""DO NOT EDIT. Generated."""\n\n'
            "from keras import layers as layers\nfrom keras import ops as ops\n"
            "from keras.src.version import version as version\n"
        ),
        "keras/api/layers/__init__.py": f"from {CONV2D} import Conv2D as Conv2D\n",
        "keras/api/ops/__init__.py": (
            f"from {OPS_NUMPY} import blackman as blackman\n"
            f"from {OPS_NUMPY} import hamming as hamming\n"
        ),
        "keras/src/__init__.py": "",
        "keras/src/version.py": 'def version():\n    return "3.15.1"\n',
        "keras/src/layers/__init__.py": "",
        "keras/src/layers/convolutional/__init__.py": "",
        "keras/src/layers/convolutional/conv2d.py": (
            'class Conv2D:\n    """2D convolution layer."""\n'
        ),
        "keras/src/ops/__init__.py": "",
        "keras/src/ops/numpy.py": (
            "def blackman(x):\n    return x\n\n\ndef hamming(x):\n    return x\n"
        ),
        # Backends define the same function: only the words point at them.
        "keras/src/backend/__init__.py": "",
        "keras/src/backend/jax/__init__.py": "",
        "keras/src/backend/jax/numpy.py": "def blackman(x):\n    return x\n",
        "keras/src/backend/torch/__init__.py": "",
        "keras/src/backend/torch/numpy.py": "def blackman(x):\n    return x\n",
    }


@pytest.fixture(scope="module")
def keras(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("keras3")
    root = tmp / "keras"
    build_repo(
        root, [HistoryCommit("A", "a@example.com", "2026-01-01T00:00:00Z", "Import", _files())]
    )
    home = resolve_paths()
    paths = Paths(cache=tmp / "cache", data=home.data, config=home.config)
    code_map = map_code("keras-team/keras", paths, checkout=root)
    return code_map, index_code(code_map, paths)


def test_the_package_name_reaches_the_star_imported_subpackages_modules(keras) -> None:  # type: ignore[no-untyped-def]
    symbols = keras[0].symbols
    assert symbols["keras.layers"] == "keras.api.layers"
    assert symbols["keras.ops"] == "keras.api.ops"
    assert symbols["keras.api.layers"] == "keras.api.layers"
    assert symbols["keras.api.ops.blackman"] == OPS_NUMPY
    # A value the subpackage re-exports stays a value; a name no module of the package
    # or of its star-imported subpackage holds binds nothing.
    assert symbols["keras.api.version"] == symbols["keras.version"] == "keras.src.version"
    assert "keras.losses" not in symbols and "keras.api.losses" not in symbols


def test_an_issue_naming_the_public_api_gets_exact_evidence(keras) -> None:  # type: ignore[no-untyped-def]
    code_map, index = keras
    issue = make_issue(1, "keras.ops.blackman returns float64", "x = keras.ops.blackman(10)")
    matches = map_issue_to_modules(issue, code_map, index=index)
    assert matches[0].name == OPS_NUMPY
    assert any(
        e.startswith("API keras.ops.blackman") and OPS_NUMPY in e for e in matches[0].evidence
    )
    conv = make_issue(2, "keras.layers.Conv2D with groups=2 fails")
    top = map_issue_to_modules(conv, code_map, index=index)[0]
    assert top.name == CONV2D
    assert any(e.startswith("API keras.layers.Conv2D") for e in top.evidence)
    # TensorFlow's spelling of the same name (`tf.keras`) is Keras's own here.
    tf_conv = make_issue(3, "tf.keras.layers.Conv2D with groups=2 fails")
    top = map_issue_to_modules(tf_conv, code_map, index=index)[0]
    assert top.name == CONV2D
    assert any(e.startswith("API keras.layers.Conv2D") for e in top.evidence)


def test_without_the_star_import_the_subfolder_stays_apart(tmp_path: Path) -> None:
    # A package that only imports its subpackage (no `*`) does not take its modules'
    # names: `from keras import layers` then binds nothing.
    files = _files()
    files["keras/__init__.py"] = "from keras import api\n"
    root = tmp_path / "keras"
    build_repo(root, [HistoryCommit("A", "a@example.com", "2026-01-01T00:00:00Z", "Import", files)])
    home = resolve_paths()
    paths = Paths(cache=tmp_path / "cache", data=home.data, config=home.config)
    code_map: CodeMap = map_code("keras-team/keras", paths, checkout=root)
    assert "keras.layers" not in code_map.symbols
    assert code_map.symbols["keras.api.layers.Conv2D"] == CONV2D
