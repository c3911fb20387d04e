"""Area granularity (every direct sub-package an area, deeper splits only when big,
shipped header trees collapsed) and churn that ignores bulk commits, on small inputs
built in code."""

from __future__ import annotations

import networkx as nx

from prready.analysis.areas import (
    BULK_COMMIT_FILES,
    AreaInputs,
    assign_areas,
    build_areas,
)
from prready.code_models import CommitRecord, ModuleInfo


def _py(name: str, package: bool = False) -> ModuleInfo:
    path = name.replace(".", "/") + ("/__init__.py" if package else ".py")
    return ModuleInfo(name=name, path=path, language="python", lines=10, package="lib")


def _native(path: str) -> ModuleInfo:
    return ModuleInfo(name=path, path=path, language="cpp", lines=10, package="")


def _library() -> tuple[dict[str, ModuleInfo], set[str]]:
    """`lib` with a big `lib.nn` (sub-packages `modules` 40 files, `utils` 1 file), a
    one-file `lib.linalg`, a 3-file `lib.sparse`, plain modules, and a shipped header tree
    `lib/include/{ATen,c10}` plus a header directly in `lib/include/`."""
    packages = {"lib", "lib.nn", "lib.nn.modules", "lib.nn.utils", "lib.linalg", "lib.sparse"}
    mods = {p: _py(p, package=True) for p in packages}
    for i in range(30):
        mods[f"lib.nn.f{i}"] = _py(f"lib.nn.f{i}")
    for i in range(40):
        mods[f"lib.nn.modules.m{i}"] = _py(f"lib.nn.modules.m{i}")
    for i in range(2):
        mods[f"lib.sparse.s{i}"] = _py(f"lib.sparse.s{i}")
    for i in range(5):
        mods[f"lib.core{i}"] = _py(f"lib.core{i}")
    headers = [f"lib/include/ATen/ops/op{i}.h" for i in range(50)]
    headers += ["lib/include/ATen/Tensor.h", "lib/include/c10/util/Half.h", "lib/include/macros.h"]
    headers += [f"csrc/kernels/k{i}.cpp" for i in range(3)]
    mods |= {h: _native(h) for h in headers}
    return mods, packages


def test_every_direct_subpackage_is_an_area_and_deeper_splits_need_size() -> None:
    mods, packages = _library()
    areas = assign_areas(mods, packages)
    # Direct sub-packages, whatever their size.
    assert areas["lib.linalg"] == "lib.linalg"
    assert areas["lib.sparse.s1"] == "lib.sparse"
    assert areas["lib.core3"] == "lib"
    # lib.nn (72 modules) is over the split threshold (40): its 41-module `modules`
    # splits off, its one-file `utils` is below the tiny size and stays in lib.nn.
    assert areas["lib.nn.modules.m7"] == "lib.nn.modules"
    assert areas["lib.nn.utils"] == "lib.nn"
    assert areas["lib.nn.f0"] == "lib.nn"


def test_shipped_header_trees_collapse_to_one_area_per_top_folder() -> None:
    mods, packages = _library()
    areas = assign_areas(mods, packages)
    assert areas["lib/include/ATen/ops/op3.h"] == "lib/include/ATen"
    assert areas["lib/include/ATen/Tensor.h"] == "lib/include/ATen"
    assert areas["lib/include/c10/util/Half.h"] == "lib/include/c10"  # not .../c10/util
    assert areas["lib/include/macros.h"] == "lib/include"
    # An `include/` outside a Python package folder is an ordinary folder.
    assert areas["csrc/kernels/k0.cpp"] == "csrc/kernels"
    header_areas = {a for n, a in areas.items() if n.startswith("lib/include/")}
    assert header_areas == {"lib/include", "lib/include/ATen", "lib/include/c10"}


def test_include_outside_a_package_folder_is_not_collapsed() -> None:
    mods = {
        f"native/include/deep/er/h{i}.h": _native(f"native/include/deep/er/h{i}.h")
        for i in range(5)
    }
    areas = assign_areas(mods, set())
    assert set(areas.values()) == {"native/include/deep/er"}  # pass-through folders skipped


def _commit(sha: str, author: str, files: list[str]) -> CommitRecord:
    return CommitRecord(sha=sha, author_name=author, author_email="", date="", files=files)


def test_bulk_commits_count_neither_as_churn_nor_as_reviewers() -> None:
    mods, packages = _library()
    area_of = assign_areas(mods, packages)
    graph = nx.DiGraph()
    graph.add_nodes_from(mods)
    every_file = [m.path for m in mods.values()]
    filler = [f"docs/page{i}.md" for i in range(BULK_COMMIT_FILES + 1 - len(every_file))]
    history = [
        _commit("a" * 40, "Importer", every_file + filler),  # 301 files: bulk
        _commit("b" * 40, "Ana", ["lib/linalg/__init__.py"]),
        _commit("c" * 40, "Ana", ["lib/nn/modules/m1.py", "lib/nn/f2.py"]),
        _commit("d" * 40, "Bo", ["lib/nn/modules/m2.py"]),
        # exactly at the threshold: still an ordinary (if large) commit
        _commit("e" * 40, "Cy", ["lib/core0.py"] + [f"x/{i}.txt" for i in range(299)]),
    ]
    assert [c.sha[0] for c in history if len(c.files) > BULK_COMMIT_FILES] == ["a"]
    areas = build_areas(
        AreaInputs(successors=graph.succ, modules=mods, area_of=area_of, packages=packages), history, []
    )
    assert areas["lib.linalg"].churn == 1
    assert areas["lib.linalg"].recent_authors == [("Ana", 1)]
    assert areas["lib.nn.modules"].churn == 2
    assert areas["lib.nn.modules"].recent_authors == [("Ana", 1), ("Bo", 1)]
    assert areas["lib.nn"].recent_authors == [("Ana", 1)]
    assert areas["lib"].recent_authors == [("Cy", 1)]
    assert areas["lib/include/ATen"].churn == 0
    assert areas["lib/include/ATen"].recent_authors == []
    assert all("Importer" not in dict(a.recent_authors) for a in areas.values())
