"""The code map of a fixture repository built in code: exact edges, skipped files,
symbols, areas with metrics (churn from history, tests, owners), labels; plus the pure
pieces (module naming, area depth, transitive dependents, PageRank)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapfixtures import make_map_repo, map_code
from prready.analysis.areas import assign_areas
from prready.analysis.layout import python_module_names, select_sources
from prready.analysis.metrics import pagerank, transitive_dependents
from prready.app.map import build_code_map
from prready.app.workspace import Workspace
from prready.code_models import CodeMap, ModuleInfo, TrackedFile
from prready.config import UserConfig
from prready.paths import resolve_paths


@pytest.fixture(scope="module")
def code_map(tmp_path_factory: pytest.TempPathFactory) -> CodeMap:
    tmp = tmp_path_factory.mktemp("codemap")
    root = make_map_repo(tmp)
    return map_code("me/mylib", resolve_paths(), checkout=root)


@pytest.fixture(scope="module")
def code_map_depth2(tmp_path_factory: pytest.TempPathFactory) -> CodeMap:
    tmp = tmp_path_factory.mktemp("codemap2")
    root = make_map_repo(tmp)
    return map_code("me/mylib", resolve_paths(), checkout=root, area_depth=2)


def _edges(cm: CodeMap, kind: str) -> set[tuple[str, str, bool]]:
    return {(a, b, d["conditional"]) for a, b, d in cm.graph.edges(data=True) if d["kind"] == kind}


def test_python_edges_are_exact(code_map: CodeMap) -> None:
    assert _edges(code_map, "import") == {
        ("mylib", "mylib.core", False),
        ("mylib", "mylib.utils", False),  # from . import utils -> the submodule
        ("mylib", "mylib.utils.helpers", False),
        ("mylib.core", "mylib.utils.helpers", False),
        ("mylib.core", "mylib.nn.layers", True),  # if TYPE_CHECKING
        ("mylib.core", "mylib.nn.functional", True),  # inside a method
        ("mylib.utils.helpers", "mylib.core", False),  # from ..core (relative, level 2)
        ("mylib.nn", "mylib.nn.layers", False),
        ("mylib.nn", "mylib.nn.functional", False),
        ("mylib.nn.functional", "mylib.nn.layers", False),
        ("mylib.nn.functional", "mylib", False),  # from mylib import _C: not a module
        ("tests.test_nn", "mylib.nn.functional", False),
        ("tests.test_core", "mylib.core", False),
        ("docs scripts/ünï.py", "mylib.core", False),
    }


def test_native_and_binding_edges_are_exact(code_map: CodeMap) -> None:
    assert _edges(code_map, "include") == {
        ("csrc/ops.cpp", "csrc/include/mylib/ops.h", False),
        ("csrc/ops.cpp", "csrc/include/mylib/util.h", False),
        ("csrc/include/mylib/util.h", "csrc/include/mylib/ops.h", False),
        ("csrc/cuda/ops.cu", "csrc/ops_impl.h", False),
        ("csrc/cuda/ops.cu", "csrc/include/mylib/ops.h", False),
        ("csrc/ops_impl.h", "csrc/include/mylib/ops.h", False),
    }
    assert _edges(code_map, "binding") == {("mylib.nn.functional", "csrc/module.cpp", False)}
    assert code_map.graph.graph["include_roots"].split(",")[0] == "csrc/include"


def test_node_attributes(code_map: CodeMap) -> None:
    attrs = code_map.graph.nodes["mylib.nn.functional"]
    assert attrs["path"] == "src/mylib/nn/functional.py"
    assert attrs["language"] == "python"
    assert attrs["package"] == "mylib"
    assert attrs["lines"] == 8
    assert code_map.graph.nodes["csrc/cuda/ops.cu"]["language"] == "cuda"
    assert code_map.modules["tests.test_nn"].is_test
    assert not code_map.modules["mylib.core"].is_test


def test_hostile_files_are_skipped_with_reasons(code_map: CodeMap) -> None:
    assert code_map.skipped == {
        "symlink": ["src/mylib/escape.py"],
        "vendored": ["third_party/"],
        "syntax-error": ["py2/old.py"],
        "not-utf8": ["src/mylib/latin.py"],
    }
    assert "src/mylib/escape.py" not in {m.path for m in code_map.modules.values()}


def test_module_metrics(code_map: CodeMap) -> None:
    core = code_map.modules["mylib.core"]
    assert core.dependents == 4  # mylib, helpers, test_core, the script
    assert core.dependencies == 3
    # Everything that reaches mylib.core: mylib, helpers, test_core, script, and through
    # mylib: functional (imports mylib), nn (imports functional), test_nn.
    assert core.dependents_transitive == 7
    assert 0 < core.centrality <= 1


def test_symbols_follow_reexports(code_map: CodeMap) -> None:
    s = code_map.symbols
    assert s["mylib.Engine"] == "mylib.core"
    assert s["mylib.helper"] == "mylib.utils.helpers"
    assert s["mylib.nn.Conv2d"] == "mylib.nn.layers"  # via `from .layers import *` + __all__
    assert s["mylib.nn.layers.Conv2d"] == "mylib.nn.layers"
    assert s["mylib.nn.functional.relu"] == "mylib.nn.functional"
    assert "mylib.nn._Hidden" not in s
    assert "mylib.nn.layers._Hidden" not in s


def test_areas_auto_and_their_metrics(code_map: CodeMap) -> None:
    # Top-level packages/folders split into their sub-packages/sub-folders; csrc/cuda has
    # one file, too small to stand alone, so it stays in csrc.
    assert set(code_map.areas) == {
        "mylib",
        "mylib.nn",
        "mylib.utils",
        "csrc",
        "csrc/include/mylib",
        "tests",
        "docs scripts",
    }
    assert code_map.modules["csrc/cuda/ops.cu"].area == "csrc"
    lib = code_map.areas["mylib"]
    assert lib.modules == ["mylib", "mylib.core"]
    assert lib.paths == ["src/mylib/"]
    assert lib.languages == {"python": 2}
    # HEAD is 2026-10-02: the 2025-06 commit is outside the 12-month window; core.py
    # changed in 2026-09 and latin.py/escape.py (not modules; their folder is) in 2026-10.
    assert lib.churn == 2
    assert lib.recent_authors == [("Alice Martin", 1), ("Chen Wei", 1)]
    nn = code_map.areas["mylib.nn"]
    assert nn.churn == 3  # layers tweak, functional change, README in the folder
    assert nn.recent_authors == [("Bob Okafor", 2), ("Chen Wei", 1)]
    # test_core imports mylib.core; test_nn reaches the package through nn.functional.
    assert lib.tests == ["tests/test_core.py", "tests/test_nn.py"]
    assert lib.test_command == "python -m pytest tests/test_core.py tests/test_nn.py"
    # test_nn matches the area's name and imports it directly; test_core reaches it
    # through mylib.core's lazy imports (two hops), so it ranks second.
    assert nn.tests == ["tests/test_nn.py", "tests/test_core.py"]
    assert code_map.areas["csrc"].dependents == 1  # the binding edge from mylib.nn
    assert code_map.areas["csrc/include/mylib"].dependents == 1  # csrc includes it
    # csrc <- mylib.nn (binding) <-> mylib <-> mylib.utils, and tests, docs scripts.
    assert code_map.areas["csrc/include/mylib"].dependents_transitive == 6
    assert code_map.areas["mylib"].centrality > code_map.areas["tests"].centrality


def test_fixed_depth_areas_owners_and_labels(code_map_depth2: CodeMap) -> None:
    areas = code_map_depth2.areas
    assert {"mylib", "mylib.nn", "mylib.utils"} <= set(areas)
    nn = areas["mylib.nn"]
    assert nn.owners == ["@nn-team"]
    assert nn.tests[0] == "tests/test_nn.py"  # name match first
    assert nn.churn == 3  # layers tweak, functional change, README in the folder
    assert areas["mylib"].owners == []
    assert code_map_depth2.modules["mylib.core"].area == "mylib"
    assert code_map_depth2.label_paths == {
        "module: nn": ["src/mylib/nn/**"],
        "module: core": ["/src/mylib/core.py"],
    }
    assert code_map_depth2.codeowners[1] == ("/src/mylib/core.py", ["@alice"])  # junk dropped
    assert code_map_depth2.contributing.startswith("# Contributing")


def test_module_names_without_assumed_layout() -> None:
    names = python_module_names(
        [
            "src/pkg/__init__.py",
            "src/pkg/a.py",
            "python/tvm/__init__.py",
            "python/tvm/relay/__init__.py",
            "python/tvm/relay/op.py",
            "python/tvm/orphan/x.py",
            "setup.py",
            "test/test_x.py",
            "odd dir/y.py",
        ]
    )
    assert names["src/pkg/a.py"] == ("pkg.a", False, True)
    assert names["src/pkg/__init__.py"] == ("pkg", True, True)
    assert names["python/tvm/relay/op.py"].name == "tvm.relay.op"
    assert names["python/tvm/orphan/x.py"] == ("python.tvm.orphan.x", False, False)
    assert names["setup.py"].name == "setup"
    assert names["test/test_x.py"] == ("test.test_x", False, False)
    assert names["odd dir/y.py"].name == "odd dir/y.py"


def test_selection_skips_build_vendored_large_and_submodules() -> None:
    files = [
        TrackedFile("pkg/a.py", "1" * 40, 10),
        TrackedFile("pkg/build/gen.py", "2" * 40, 10),
        TrackedFile("x/third_party/lib/z.c", "3" * 40, 10),
        TrackedFile("pkg/huge.py", "4" * 40, 3 * 1024 * 1024),
        TrackedFile("ext/sub", "5" * 40, 0, "submodule"),
        TrackedFile("README.md", "6" * 40, 10),
        TrackedFile("lib.egg-info/x.py", "7" * 40, 10),
    ]
    sel = select_sources(files)
    assert [s.path for s in sel.sources] == ["pkg/a.py"]
    assert sel.skipped == {
        "submodule": ["ext/sub"],
        "too-large": ["pkg/huge.py"],
        "build": ["lib.egg-info/", "pkg/build/"],
        "vendored": ["x/third_party/"],
    }


def _info(name: str, path: str, language: str = "python") -> ModuleInfo:
    return ModuleInfo(name=name, path=path, language=language, lines=1, package=name.split(".")[0])


def test_the_area_depth_is_the_workspace_configs_unless_given(
    tmp_path: Path, code_map: CodeMap, code_map_depth2: CodeMap
) -> None:
    """`prready map --area-depth` wins over plan.area_depth in config.toml, which wins
    over the depth chosen per repository."""
    root = make_map_repo(tmp_path)
    automatic, fixed = sorted(code_map.areas), sorted(code_map_depth2.areas)
    assert automatic != fixed
    with Workspace(resolve_paths(), UserConfig(area_depth=2)) as ws:
        assert sorted(build_code_map(ws, "me/mylib", checkout=root).areas) == fixed
    with Workspace(resolve_paths(), UserConfig(area_depth=1)) as ws:
        given = build_code_map(ws, "me/mylib", checkout=root, area_depth=2)
        assert sorted(given.areas) == fixed
        assert sorted(build_code_map(ws, "me/mylib", checkout=root).areas) != fixed
    with Workspace(resolve_paths()) as ws:
        assert sorted(build_code_map(ws, "me/mylib", checkout=root).areas) == automatic


def test_auto_areas_split_big_packages_and_every_direct_subpackage() -> None:
    modules: dict[str, ModuleInfo] = {"big": _info("big", "big/__init__.py")}
    packages = {"big", "big.nn", "big.optim", "big.tiny"}
    for sub, n in (("nn", 30), ("optim", 25)):
        modules[f"big.{sub}"] = _info(f"big.{sub}", f"big/{sub}/__init__.py")
        for i in range(n):
            modules[f"big.{sub}.m{i}"] = _info(f"big.{sub}.m{i}", f"big/{sub}/m{i}.py")
    modules["big.tiny"] = _info("big.tiny", "big/tiny/__init__.py")
    modules["big.core"] = _info("big.core", "big/core.py")
    for i in range(3):
        path = f"aten/src/ATen/native/cuda/k{i}.cu"
        modules[path] = _info(path, path, "cuda")
    areas = assign_areas(modules, packages)
    assert areas["big.nn.m3"] == "big.nn"
    assert areas["big.optim"] == "big.optim"
    assert areas["big.tiny"] == "big.tiny"  # one module, but a direct sub-package
    assert areas["big.core"] == "big"
    assert areas["aten/src/ATen/native/cuda/k0.cu"] == "aten/src/ATen/native/cuda"
    fixed = assign_areas(modules, packages, depth=1)
    assert fixed["big.nn.m3"] == "big"
    assert fixed["aten/src/ATen/native/cuda/k0.cu"] == "aten"


def test_transitive_dependents_with_cycles() -> None:
    # a -> b -> c -> b (cycle), d -> a, e alone
    nodes = ["a", "b", "c", "d", "e"]
    edges = [(0, 1), (1, 2), (2, 1), (3, 0)]
    assert transitive_dependents(nodes, edges) == [1, 3, 3, 0, 0]


def test_pagerank_ranks_the_imported_hub_first() -> None:
    ranks = pagerank(["hub", "a", "b", "c"], [(1, 0, 1.0), (2, 0, 1.0), (3, 0, 1.0)])
    assert max(range(4), key=lambda i: ranks[i]) == 0
    assert abs(sum(ranks) - 1.0) < 1e-6


def test_repository_without_code_maps_to_an_empty_map(tmp_path: Path) -> None:
    # A repository with no Python and no native code maps to an empty, valid map.
    from gitfixtures import commit_files, git

    repo = tmp_path / "docs-only"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    commit_files(repo, {"README.md": "hi\n"}, "docs")
    cm = map_code("me/docs", resolve_paths(), checkout=repo)
    assert cm.graph.number_of_nodes() == 0
    assert cm.areas == {}


def test_add_edges_fast_matches_networkx_and_falls_back() -> None:
    import networkx as nx

    from prready.analysis.snapshot import add_edges_fast

    fast = nx.DiGraph()
    fast.add_nodes_from("abc")
    add_edges_fast(fast, [("a", "b", {"kind": "import"}), ("b", "c", {"kind": "include"})])
    assert list(fast.predecessors("c")) == ["b"]
    assert fast.edges["a", "b"]["kind"] == "import"
    assert nx.descendants(fast, "a") == {"b", "c"}
    fallback = nx.DiGraph()
    fallback.add_node("a")
    add_edges_fast(fallback, [("a", "new", {"kind": "import"})])  # unknown node: public path
    assert fallback.has_edge("a", "new")


def test_test_files_by_folder_or_name_outside_packages() -> None:
    from prready.analysis.layout import is_test_path

    assert is_test_path("test/test_nn.py")
    assert not is_test_path("pkg/tests/helpers.py", packaged=True)  # a helper, not a test
    assert is_test_path("test_top.py")
    assert is_test_path("csrc/ops_test.cpp")
    assert not is_test_path("torch/_dynamo/test_case.py", packaged=True)
    assert not is_test_path("torch/testing/_internal/common_utils.py", packaged=True)
    assert not is_test_path("src/mylib/core.py")


def test_history_fixture_repository_map(tmp_path: Path) -> None:
    from gitfixtures import make_history_repo

    root = make_history_repo(tmp_path)
    cm = map_code("me/minitorch", resolve_paths(), checkout=root)
    assert _edges(cm, "import") == {
        ("minitorch", "minitorch.tensor", False),
        ("minitorch.nn", "minitorch.nn.modules", False),
        ("minitorch.nn.modules", "minitorch.tensor", False),
        ("tests.test_nn", "minitorch.nn.functional", False),
        ("tests.test_data", "minitorch.utils.data", False),
    }
    assert _edges(cm, "include") == {
        ("csrc/ops.cpp", "csrc/ops.h", False),
        ("csrc/cuda/ops.cu", "csrc/ops.h", False),
    }
    assert cm.symbols["minitorch.Tensor"] == "minitorch.tensor"
    assert cm.symbols["minitorch.nn.Conv2d"] == "minitorch.nn.modules"
    # HEAD is 2026-10-01, so churn counts commits after 2025-10-01: the 2025-09 move of
    # data.py and everything older are outside the window.
    assert cm.areas["minitorch"].churn == 1  # legacy.py removal (its folder)
    assert cm.areas["minitorch.nn"].churn == 1  # dropout
    assert cm.areas["minitorch.utils"].churn == 1  # dataset fix
    assert cm.areas["minitorch.nn"].tests == ["tests/test_nn.py"]
    assert cm.areas["csrc"].churn == 1
    assert cm.areas["csrc"].recent_authors == [("Chen Wei", 1)]


def test_demo_sample_matches_grimp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundled demo repository: every Python file mapped, edges equal to grimp's."""
    grimp = pytest.importorskip("grimp")
    from samplefixtures import clone_sample

    root = tmp_path / "tinyml"
    clone_sample(root)
    cm = map_code("prready-demo/tinyml", resolve_paths(), checkout=root)
    py_files = {p.relative_to(root).as_posix() for p in root.rglob("*.py") if ".git" not in p.parts}
    assert {m.path for m in cm.modules.values() if m.language == "python"} == py_files
    assert cm.skipped == {}
    monkeypatch.syspath_prepend(str(root))
    graph = grimp.build_graph("tinyml", cache_dir=str(tmp_path / "grimp-cache"))
    theirs = {(m, t) for m in graph.modules for t in graph.find_modules_directly_imported_by(m)}
    ours = {
        (a, b)
        for a, b, kind in cm.graph.edges(data="kind")
        if kind == "import" and a.startswith("tinyml") and b.startswith("tinyml")
    }
    assert ours == {e for e in theirs if e[0] != e[1]}
    assert cm.graph.number_of_edges() > len(ours)  # tests, includes, bindings come on top
    assert "tinyml.nn" in cm.symbols.get("tinyml.nn.Conv2d", "")


def test_very_deep_folders_and_huge_functions_are_fine() -> None:
    from prready.analysis.pyscan import scan_python

    deep = "/".join(f"d{i}" for i in range(1500)) + "/k.c"
    modules = {deep: _info(deep, deep, "c")}
    assert assign_areas(modules, set())[deep].endswith("/d1499")
    body = "def f():\n" + "    x = 1\n" * 20000 + "    import late\n" * 50
    scan = scan_python(body)
    assert [i.conditional for i in scan.imports] == [True] * 50


def test_transitive_dependents_match_networkx_ancestors() -> None:
    """The bitset pass over strongly connected components counts exactly the ancestors
    networkx finds by search, on a seeded random graph with cycles and self-loops."""
    import random

    import networkx as nx

    rng = random.Random(7)
    n = 300
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(700)]
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    expected = [len(nx.ancestors(graph, v)) for v in range(n)]
    assert transitive_dependents(list(range(n)), edges) == expected


def test_generated_modules_are_mapped_but_kept_out_of_the_symbol_index(tmp_path: Path) -> None:
    from gitfixtures import commit_files, git

    root = tmp_path / "gen"
    root.mkdir()
    git("init", "-q", cwd=root)
    bindings = "".join(f"CU_{i} = {i}\n" for i in range(1200))
    commit_files(
        root,
        {
            "tg/__init__.py": "from tg.ops import add\n",
            "tg/ops.py": "def add(a, b):\n    return a + b\n",
            "tg/runtime/__init__.py": "",
            "tg/runtime/autogen/__init__.py": "",
            "tg/runtime/autogen/cuda.py": "import ctypes\ndef cuInit():\n    pass\n",
            "tg/runtime/bindings.py": "# Code generated by clang2py. DO NOT EDIT.\nFOO = 1\n",
            "tg/runtime/regs.py": bindings,
            "tg/runtime/ops_cuda.py": "from tg.runtime.autogen import cuda\nfrom tg import ops\n",
            "tg/runtime/api.py": (
                '"""DO NOT EDIT: written by tools/gen_api.py."""\n\n'
                "from tg.ops import add\nfrom tg.runtime.autogen.cuda import cuInit\n"
                '__all__ = ["add", "cuInit"]\n'
            ),
        },
        "init",
    )
    cm = map_code("me/tg", resolve_paths(), checkout=root)
    for module in ("tg.runtime.autogen.cuda", "tg.runtime.bindings", "tg.runtime.regs"):
        assert module in cm.modules  # still a file of the map, with its edges
        assert not any(name.startswith(module + ".") for name in cm.symbols)
    assert ("tg.runtime.ops_cuda", "tg.runtime.autogen.cuda") in cm.graph.edges
    assert cm.symbols["tg.ops.add"] == "tg.ops"
    assert cm.symbols["tg.add"] == "tg.ops"
    # Marked, and never ranked as a place to fix; a generated module of re-exports only
    # is the public API's map, kept in the symbol index.
    from prready.analysis.mapping import library_units

    generated = {m for m, info in cm.modules.items() if info.generated}
    assert generated == {
        "tg.runtime.autogen",
        "tg.runtime.autogen.cuda",
        "tg.runtime.bindings",
        "tg.runtime.regs",
        "tg.runtime.api",
    }
    assert not generated & library_units(cm)
    assert {"tg.ops", "tg.runtime.ops_cuda"} <= library_units(cm)
    assert cm.symbols["tg.runtime.api.cuInit"] == "tg.runtime.autogen.cuda"
    assert cm.symbols["tg.runtime.api.add"] == "tg.ops"


def test_linker_resolves_a_repeated_absolute_import_once_per_importer() -> None:
    """An absolute import resolved for one packaged module is reused by the next: each
    keeps its own line and condition, a module importing itself gets no edge, and loose
    scripts (which also read their neighbours) and relative imports are resolved apart."""
    from prready.analysis.codemap import ImportLinker, PythonResolver
    from prready.analysis.pyscan import scan_python

    modules = {"pkg", "pkg.a", "pkg.b", "tools.run", "tools.helper", "helper"}
    infos = {m: _info(m, m.replace(".", "/") + ".py") for m in modules}
    resolver = PythonResolver(modules, {"pkg"}, {"tools.run", "tools.helper", "helper"})
    linker = ImportLinker(resolver, {}, infos)
    edges: dict[tuple[str, str], dict[str, object]] = {}
    sources = {
        "pkg.a": "import pkg.a\nfrom pkg import b\n",
        "pkg.b": "def f():\n    import pkg.a\nfrom pkg import b\nfrom . import a\n",
        "tools.run": "import helper\nimport pkg.a\n",
        "tools.helper": "import helper\n",
    }
    for module, text in sources.items():
        linker.add_edges(edges, module, scan_python(text))
    assert edges == {
        ("pkg.a", "pkg.b"): {"kind": "import", "conditional": False, "line": 2},
        ("pkg.b", "pkg.a"): {"kind": "import", "conditional": False, "line": 4},
        ("tools.run", "helper"): {"kind": "import", "conditional": False, "line": 1},
        ("tools.run", "pkg.a"): {"kind": "import", "conditional": False, "line": 2},
        ("tools.helper", "helper"): {"kind": "import", "conditional": False, "line": 1},
    }
    assert list(edges)[:2] == [("pkg.a", "pkg.b"), ("pkg.b", "pkg.a")]
