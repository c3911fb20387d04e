"""A small repository for code-map tests: a src-layout Python package with relative
imports, `from pkg import submodule`, TYPE_CHECKING and function-level imports, a
re-export chain, a C++ include tree with an include root, a compiled-extension
declaration, tests, CODEOWNERS, labeler.yml, plus hostile files (Python 2, not UTF-8, a
symlink out of the repo, vendored code, a folder name with a space and non-ASCII)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitfixtures import ALICE, BOB, CHEN, git
from prready.analysis.codemap import MapAssembly, RepoFacts
from prready.analysis.layout import SourceFile
from prready.analysis.native import NativeScan
from prready.analysis.pyscan import PyScan
from prready.code_models import HistoryCommit
from prready.sources.git_repo import build_repo

if TYPE_CHECKING:
    from prready.analysis.mapping import MapIndex
    from prready.app.retrieval import IndexPrefetch
    from prready.code_models import CodeMap
    from prready.models import ProgressFn
    from prready.paths import Paths

FILES_V1 = {
    "src/mylib/__init__.py": (
        "from .core import Engine\n"
        "from . import utils\n"
        "from .utils.helpers import helper\n"
        "__all__ = ['Engine', 'helper']\n"
    ),
    "src/mylib/core.py": (
        "import os\n"
        "from typing import TYPE_CHECKING\n"
        "from mylib.utils import helpers\n"
        "if TYPE_CHECKING:\n"
        "    from mylib.nn.layers import Layer\n"
        "\n"
        "\n"
        "class Engine:\n"
        '    """Runs things.\n'
        "\n"
        "import mylib.not_an_import\n"
        '    """\n'
        "\n"
        "    def run(self):\n"
        "        from .nn import functional\n"
        "        return functional\n"
    ),
    "src/mylib/utils/__init__.py": "",
    "src/mylib/utils/helpers.py": (
        "from ..core import Engine  # a cycle, as real code has\n\n\ndef helper():\n    return Engine\n"
    ),
    "src/mylib/nn/__init__.py": "from .layers import *\nfrom . import functional\n",
    "src/mylib/nn/layers.py": (
        "__all__ = ['Conv2d']\n\n\nclass Conv2d:\n    pass\n\n\nclass _Hidden:\n    pass\n"
    ),
    "src/mylib/nn/functional.py": (
        "from mylib.nn.layers import Conv2d\nfrom mylib import _C\n\n\ndef relu(x):\n    return x\n"
    ),
    "tests/test_nn.py": "from mylib.nn import functional\n",
    "tests/test_core.py": "import mylib.core\n",
    "csrc/include/mylib/ops.h": "#pragma once\n#include <vector>\nint add(int a, int b);\n",
    "csrc/include/mylib/util.h": '#pragma once\n#include "ops.h"\n',
    "csrc/ops.cpp": "#include <mylib/ops.h>\n#include <mylib/util.h>\nint add(int a, int b) { return a + b; }\n",
    "csrc/cuda/ops.cu": '#include "../ops_impl.h"\n#include <mylib/ops.h>\n',
    "csrc/ops_impl.h": "#include <mylib/ops.h>\n// #include <mylib/never.h> is a comment\n",
    "csrc/module.cpp": (
        '#include <Python.h>\nstatic struct PyModuleDef mod = {PyModuleDef_HEAD_INIT, "mylib._C", nullptr, -1};\n'
    ),
    "py2/old.py": 'print "hello"\n',
    "third_party/dep/dep.py": "import mylib\n",
    "docs scripts/ünï.py": "import mylib.core\n",
    ".github/CODEOWNERS": (
        "/src/mylib/nn/ @nn-team\n\n# label: module: core\n/src/mylib/core.py @alice bad owner!\n"
    ),
    ".github/labeler.yml": '"module: nn":\n  - src/mylib/nn/**\n',
    "CONTRIBUTING.md": "# Contributing\n\nRun `pytest`.\n",
}

HISTORY = [
    HistoryCommit(*ALICE, "2025-06-01T10:00:00Z", "old work", writes=dict(FILES_V1)),
    HistoryCommit(
        *BOB,
        "2026-03-01T10:00:00Z",
        "nn tweak",
        writes={"src/mylib/nn/layers.py": FILES_V1["src/mylib/nn/layers.py"] + "\n# tweak\n"},
    ),
    HistoryCommit(
        *CHEN,
        "2026-09-01T10:00:00Z",
        "nn and core",
        writes={
            "src/mylib/nn/functional.py": FILES_V1["src/mylib/nn/functional.py"] + "\n# more\n",
            "src/mylib/core.py": FILES_V1["src/mylib/core.py"] + "\n# more\n",
        },
    ),
    HistoryCommit(
        *BOB,
        "2026-10-01T10:00:00Z",
        "nn docs",
        writes={"src/mylib/nn/README.md": "nn\n"},
    ),
]


def make_map_repo(tmp_path: Path) -> Path:
    """Build the fixture repository (history above, plus a non-UTF-8 file and a symlink
    committed with plain git) and return its working tree."""
    root = tmp_path / "maprepo"
    build_repo(root, HISTORY)
    (root / "src/mylib/latin.py").write_bytes(b"# caf\xe9\nimport os\n")
    os.symlink("/etc/hostname", root / "src/mylib/escape.py")
    git("add", "-A", cwd=root)
    ident = {
        "GIT_AUTHOR_NAME": ALICE[0],
        "GIT_AUTHOR_EMAIL": ALICE[1],
        "GIT_AUTHOR_DATE": "2026-10-02T10:00:00Z",
        "GIT_COMMITTER_NAME": ALICE[0],
        "GIT_COMMITTER_EMAIL": ALICE[1],
        "GIT_COMMITTER_DATE": "2026-10-02T10:00:00Z",
    }
    git(
        "-c", "core.hooksPath=/dev/null", "commit", "-q", "-m", "hostile files", cwd=root, env=ident
    )
    return root


def map_code(
    slug: str,
    paths: Paths,
    *,
    offline: bool = False,
    progress: ProgressFn | None = None,
    **options: Any,
) -> CodeMap:
    """`build_code_map` as a command runs it: in a workspace of its own over `paths`
    (with that offline mode and progress; its config the default, so the area depth is
    chosen per repository unless `options` give one), closed when the map is built."""
    from prready.app.map import build_code_map
    from prready.app.workspace import Workspace

    with Workspace(paths, offline=offline, progress=progress) as ws:
        return build_code_map(ws, slug, **options)


def assemble_in_one_go(
    repo: str,
    root: str,
    head: str,
    sources: list[SourceFile],
    py_scans: dict[str, PyScan],
    native_scans: dict[str, NativeScan],
    skipped: dict[str, list[str]],
    facts: RepoFacts,
) -> CodeMap:
    """A cold map from scans already made, every Python scan added at once."""
    assembly = MapAssembly(sources, native_scans, {})
    assembly.add_python(py_scans)
    return assembly.finish(repo, root, head, skipped, facts)


def index_code(
    code_map: CodeMap,
    paths: Paths,
    *,
    held: IndexPrefetch | None = None,
    **options: Any,
) -> MapIndex:
    """`mapping_index` as a command runs it: in a workspace of its own over `paths`,
    holding `held` (the handle the map was given, `prefetch_index`) if any, closed when
    the index is built."""
    from prready.app.retrieval import mapping_index
    from prready.app.workspace import Workspace

    with Workspace(paths) as ws:
        if held is not None:
            ws.hold(held)
        return mapping_index(ws, code_map, **options)


def map_and_index_files(
    tmp_path: Path, slug: str, files: dict[str, str]
) -> tuple[CodeMap, MapIndex]:
    """A repository of one commit holding `files` (under `tmp_path`, named after the
    slug's repository), mapped and indexed with a parse cache of its own."""
    from prready.paths import Paths, resolve_paths

    root = tmp_path / slug.rpartition("/")[2]
    build_repo(root, [HistoryCommit("A", "a@example.com", "2026-01-01T00:00:00Z", "Import", files)])
    home = resolve_paths()
    paths = Paths(cache=tmp_path / "cache", data=home.data, config=home.config)
    code_map = map_code(slug, paths, checkout=root)
    return code_map, index_code(code_map, paths)
