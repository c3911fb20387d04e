"""What reading the torch plan taught us, pinned down on small code maps built node by
node: weak clues stay out of skills and difficulty, plain English words do not name
modules, a package beside its own module is context, nested areas count once, centrality
is ranked within a language, and the top-level package is neither "the tests for" nor a
place to start reading."""

from __future__ import annotations

import networkx as nx

from planfixtures import NOW, make_code_map, make_issue
from prready.analysis.difficulty import assess_difficulty
from prready.analysis.mapping import focus_matches, map_issue_to_modules
from prready.analysis.skills import skills_for_issue
from prready.analysis.step_tests import rank_tests
from prready.analysis.steps import start_reading
from prready.code_models import AreaInfo, CodeMap, ModuleInfo
from prready.models import Label, LabelKind, ModuleMatch

# (name, path, language, area, is_test)
Node = tuple[str, str, str, str, bool]


def build_map(nodes: list[Node], edges: list[tuple[str, str]], symbols: dict[str, str]) -> CodeMap:
    """A code map from nodes and import edges, with dependents counted from the graph."""
    graph = nx.DiGraph()
    modules: dict[str, ModuleInfo] = {}
    areas: dict[str, AreaInfo] = {}
    for name, path, language, area, is_test in nodes:
        graph.add_node(name, path=path, language=language, area=area)
        modules[name] = ModuleInfo(
            name, path, language, 50, name.split(".")[0], area, is_test=is_test
        )
        info = areas.setdefault(area, AreaInfo(area, [path.rsplit("/", 1)[0] + "/"], [], {}))
        info.modules.append(name)
        info.languages[language] = info.languages.get(language, 0) + 1
    for u, v in edges:
        graph.add_edge(u, v, kind="import", conditional=False)
    for name, info in modules.items():
        info.dependents = graph.in_degree(name)
    return CodeMap("o/r", "/nonexistent", "0" * 40, graph, modules, areas, dict(symbols))


def py(name: str, area: str, *, test: bool = False, package: bool = False) -> Node:
    path = name.replace(".", "/") + ("/__init__.py" if package else ".py")
    return (name, path, "python", area, test)


def m(name: str, score: float, path: str = "") -> ModuleMatch:
    return ModuleMatch(name, path, score, [f"clue for {name}"])


# --------------------------------------------------------------------------- mapping
def test_plain_english_symbol_names_are_not_words_but_identifiers_are() -> None:
    cm = make_code_map()
    cm.symbols["tinyml.tensor.ops.value"] = "tinyml.tensor.ops"
    cm.symbols["tinyml.nn.modules.linear.MultiheadAttention"] = "tinyml.nn.modules.linear"
    cm.symbols["tinyml.nn.functional.pad_sequence"] = "tinyml.nn.functional"
    issue = make_issue(1, "Missing value in the MultiheadAttention output")
    matches = map_issue_to_modules(issue, cm)
    assert matches[0].name == "tinyml.nn.modules.linear"
    # A plain word ("value") is weak evidence: far behind the identifier, never a focus.
    ops = [m for m in matches if m.name == "tinyml.tensor.ops"]
    assert all(m.score < matches[0].score / 3 for m in ops)
    snake = map_issue_to_modules(make_issue(2, "pad_sequence drops the last row"), cm)
    assert snake[0].name == "tinyml.nn.functional"


def test_private_modules_and_headers_need_a_code_like_name_to_match_a_word() -> None:
    cm = build_map(
        [
            py("pkg._mode", "pkg"),
            py("pkg._weights_only_unpickler", "pkg"),
            ("csrc/include/message.h", "csrc/include/message.h", "cpp", "csrc", False),
            ("csrc/include/DataLoader.h", "csrc/include/DataLoader.h", "cpp", "csrc", False),
            ("csrc/kernels.cpp", "csrc/kernels.cpp", "cpp", "csrc", False),
        ],
        [],
        {},
    )
    prose = make_issue(1, "The error message says the wrong mode")
    # Plain words match weakly at most: nothing a plan would read as a place to start.
    assert all(m.score < 0.3 for m in map_issue_to_modules(prose, cm))
    code = make_issue(2, "weights_only_unpickler rejects DataLoader state in kernels")
    names = {x.name for x in map_issue_to_modules(code, cm)}
    assert names == {"pkg._weights_only_unpickler", "csrc/include/DataLoader.h", "csrc/kernels.cpp"}


def test_label_naming_an_area_exactly_drops_merely_similar_areas() -> None:
    cm = build_map(
        [py("pkg.distributions", "pkg.distributions"), py("pkg.distributed", "pkg.distributed")],
        [],
        {},
    )
    label = Label("module: distributions", kind=LabelKind.AREA, value="distributions")
    matches = map_issue_to_modules(make_issue(1, "x", labels=(label.name,)), cm, [label])
    assert [x.name for x in matches] == ["pkg.distributions"]


def test_focus_keeps_matches_within_half_the_best_score() -> None:
    matches = [m("a", 0.96), m("b", 0.7), m("c", 0.3), m("d", 0.9)]
    assert [x.name for x in focus_matches(matches)] == ["a", "b", "d"]
    assert [x.name for x in focus_matches(matches, 2)] == ["a", "b"]
    assert focus_matches([]) == []


# --------------------------------------------------------------------------- skills
def test_a_weak_match_on_a_header_does_not_make_a_docs_fix_cpp_work() -> None:
    cm = make_code_map()
    issue = make_issue(1, "Typo in kaiming_uniform_ docstring", labels=("module: docs",))
    weak = [m("tinyml.nn.init", 0.97), m("csrc/include/tinyml/conv.h", 0.3)]
    skills = skills_for_issue(issue, weak, cm)
    assert "cpp" not in skills and "python" in skills
    strong = [m("tinyml.nn.init", 0.97), m("csrc/include/tinyml/conv.h", 0.9)]
    assert "cpp" in skills_for_issue(issue, strong, cm)


# --------------------------------------------------------------------------- difficulty
def _hub_map() -> CodeMap:
    """pkg.nn is imported by ten modules; pkg.nn.init by one; nn.modules is its own area."""
    nodes = [
        py("pkg", "pkg", package=True),
        py("pkg.nn", "pkg.nn", package=True),
        py("pkg.nn.init", "pkg.nn"),
        py("pkg.nn.functional", "pkg.nn"),
        py("pkg.nn.modules.conv", "pkg.nn.modules"),
        py("pkg._numpy.fft", "pkg._numpy"),
    ]
    users = [py(f"pkg.user{i}", "pkg") for i in range(10)]
    edges = [(u[0], "pkg.nn") for u in users] + [("pkg.nn", "pkg.nn.init")]
    return build_map(nodes + users, edges, {})


def test_a_package_matched_beside_its_own_module_does_not_make_the_issue_central() -> None:
    cm = _hub_map()
    # (A code issue: a docs change is never rated by how central its module is.)
    issue = make_issue(1, "Wrong fan-in in pkg.nn.init", "see pkg/nn/init.py")
    alone = assess_difficulty(issue, [m("pkg.nn", 0.9)], cm, [], NOW)
    assert any(r.startswith("pkg.nn is ") for r in alone.reasons), alone.reasons
    beside = assess_difficulty(issue, [m("pkg.nn.init", 0.97), m("pkg.nn", 0.7)], cm, [], NOW)
    assert not any("most imported" in r or "widely" in r for r in beside.reasons)
    assert beside.score <= alone.score


def test_nested_areas_count_once_but_the_top_level_area_nests_nothing() -> None:
    cm = _hub_map()
    issue = make_issue(1, "BatchNorm message", "```\nx\n```")
    nested = [m("pkg.nn.functional", 0.9), m("pkg.nn.modules.conv", 0.9)]
    reasons = assess_difficulty(issue, nested, cm, [], NOW).reasons
    assert not any(r.startswith("spans") for r in reasons)
    apart = [m("pkg.user1", 0.9), m("pkg._numpy.fft", 0.9)]
    reasons = assess_difficulty(issue, apart, cm, [], NOW).reasons
    assert any(r.startswith("spans 2 areas (pkg, pkg._numpy)") for r in reasons)


def test_centrality_is_ranked_among_modules_of_the_same_language() -> None:
    # Every Python module has 4 importers; 300 headers import nothing and are imported by
    # nobody. 4 is ordinary for this repository's Python code.
    nodes = [py(f"pkg.m{i}", "pkg") for i in range(10)]
    edges = [(f"pkg.m{(i + k) % 10}", f"pkg.m{i}") for i in range(10) for k in (1, 2, 3, 4)]
    headers = [(f"inc/h{i}.h", f"inc/h{i}.h", "cpp", "inc", False) for i in range(300)]
    cm = build_map(nodes + headers, edges, {})
    issue = make_issue(1, "pkg.m0 is wrong")
    reasons = assess_difficulty(issue, [m("pkg.m0", 0.9)], cm, [], NOW).reasons
    assert not any("imported" in r for r in reasons), reasons


# --------------------------------------------------------------------------- steps
def _rooted_map() -> CodeMap:
    nodes = [
        py("pkg", "pkg", package=True),
        py("pkg.fft", "pkg"),
        py("pkg.spectral", "pkg"),
        py("pkg.nn", "pkg.nn", package=True),
        py("tests.test_everything", "tests", test=True),
        py("tests.test_nn", "tests", test=True),
    ]
    edges = [
        ("pkg", "pkg.fft"),
        ("pkg", "pkg.nn"),
        ("pkg.spectral", "pkg.fft"),
        ("tests.test_everything", "pkg"),
        ("tests.test_nn", "pkg.nn"),
    ]
    return build_map(nodes, edges, {})


def test_tests_are_not_found_through_the_top_level_package() -> None:
    cm = _rooted_map()
    assert rank_tests(["pkg.fft"], cm) == []
    assert [path for path, _tier in rank_tests(["pkg.nn"], cm)] == ["tests/test_nn.py"]


def test_a_module_name_many_modules_share_names_only_the_test_of_the_mirrored_one() -> None:
    # peft's layout: a `config.py` per tuner and one at the top, tests in one flat folder.
    nodes = [
        py("peft", "peft", package=True),
        py("peft.config", "peft"),
        py("peft.loader", "peft"),
        *(py(f"peft.tuners.{t}.config", "peft.tuners") for t in ("lora", "ia3", "adalora")),
        py("tests.test_config", "tests", test=True),
        py("tests.test_loader", "tests", test=True),
    ]
    cm = build_map(nodes, [], {})
    assert rank_tests(["peft.config"], cm) == [("tests/test_config.py", 1)]
    assert rank_tests(["peft.tuners.lora.config"], cm) == []  # (some other config's test)
    assert rank_tests(["peft.loader"], cm) == [("tests/test_loader.py", 1)]
    # Two modules of a name are no family: each keeps the top-level test of its name.
    two = build_map([n for n in nodes if "ia3" not in n[0] and "adalora" not in n[0]], [], {})
    assert rank_tests(["peft.tuners.lora.config"], two) == [("tests/test_config.py", 1)]


def test_a_module_name_many_modules_share_and_none_at_the_top_keeps_the_flat_test() -> None:
    # jax's layout: `fft.py` under `_src/lax/`, `_src/numpy/` and `numpy/`, none at the
    # top; `random.py` at the top and its implementation in `_src/`; one flat test folder.
    nodes = [
        py("jax", "jax", package=True),
        *(py(f"jax.{p}.fft", f"jax.{p}") for p in ("_src.lax", "_src.numpy", "numpy")),
        *(py(f"jax.{p}random", "jax") for p in ("", "_src.", "experimental.")),
        py("tests.fft_test", "tests", test=True),
        py("tests.random_test", "tests", test=True),
    ]
    cm = build_map(nodes, [], {})
    assert rank_tests(["jax._src.numpy.fft"], cm) == [("tests/fft_test.py", 1)]
    assert rank_tests(["jax._src.random"], cm) == [("tests/random_test.py", 1)]
    assert rank_tests(["jax.random"], cm) == [("tests/random_test.py", 1)]
    # (jax/experimental/random.py is another random: the flat test is the top one's.)
    assert rank_tests(["jax.experimental.random"], cm) == []
    # A test folder mirroring the public package is the private layer's too.
    nested = build_map([*nodes[:-2], py("tests.numpy.fft_test", "tests.numpy", test=True)], [], {})
    assert rank_tests(["jax._src.numpy.fft"], nested) == [("tests/numpy/fft_test.py", 1)]
    assert rank_tests(["jax._src.lax.fft"], nested) == []  # (numpy's fft, not lax's)


def test_the_top_level_package_is_not_a_place_to_start_reading() -> None:
    cm = _rooted_map()
    reading = start_reading([m("pkg.fft", 0.9, "pkg/fft.py")], cm)
    assert reading == ["pkg/fft.py", "pkg/spectral.py"]


# --------------------------------------------------------------------------- picture
def test_the_picture_draws_only_the_matches_a_step_acts_on() -> None:
    from prready.render.svg import plan_graph_svg
    from renderfixtures import sample_graph, sample_plan

    plan = sample_plan()
    step = plan.stages[0].steps[0]
    strong = step.modules[0]
    step.modules = [strong, ModuleMatch("torch.optim.sgd", "torch/optim/sgd.py", 0.1, ["word"])]
    svg = plan_graph_svg(plan, sample_graph())
    assert f"<title>{strong.name}" in svg
    assert "torch.optim.sgd" not in svg
    step.modules = [strong, ModuleMatch("torch.optim.sgd", "torch/optim/sgd.py", strong.score, [])]
    assert "torch.optim.sgd" in plan_graph_svg(plan, sample_graph())


def test_neighbour_ties_go_to_the_same_area_and_a_stage_without_boxes_says_why() -> None:
    from prready.render.svg import plan_graph_svg
    from renderfixtures import sample_graph, sample_plan

    plan, graph = sample_plan(), sample_graph()
    focus = plan.stages[0].steps[0].modules[0].name
    area = graph.nodes[focus]["area"]
    for i in range(6):  # six far importers that sort first by name
        graph.add_node(f"aaa.far{i}", path=f"aaa/far{i}.py", language="python", area="aaa")
        graph.add_edge(f"aaa.far{i}", focus)
    graph.add_node(f"{area}.zz_near", path="x/zz_near.py", language="python", area=area)
    graph.add_edge(f"{area}.zz_near", focus)
    svg = plan_graph_svg(plan, graph)
    assert f"{area}.zz_near" in svg
    assert "aaa.far5" not in svg
    assert "Same code as earlier stages" not in svg
    plan.stages[1].steps[0].modules = list(plan.stages[0].steps[0].modules)
    plan.stages[1].steps[1:] = []
    assert "Same code as earlier stages" in plan_graph_svg(plan, graph)
