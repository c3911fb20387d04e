"""Issue-to-module mapping on a small code map built node by node: every evidence kind,
score bounds, determinism, and label resolution through files and by similarity."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planfixtures import ADAM_TRACE, LABELS, make_code_map, make_issue
from prready.analysis.evidence import _NATIVE_CRASH, extract_evidence, native_crash
from prready.analysis.mapping import (
    DEFAULT_SIGNALS,
    NATIVE_CRASH_SHARE,
    W_NATIVE_CRASH,
    _graph_clues,
    build_index,
    map_issue_to_modules,
    rank_areas,
    title_tags,
)
from prready.analysis.resolve import W_FRAME_RAISING, W_IMPORT
from prready.code_models import CodeMap, ModuleInfo
from prready.models import ModuleMatch

SITE = "/venv/lib/python3.11/site-packages"


def _traceback(*frames: tuple[str, int, str, str], error: str) -> str:
    """A traceback as Python prints it: (path, line, function, code) per frame, outermost
    first, then the error."""
    lines = ["Traceback (most recent call last):"]
    for path, line, function, code in frames:
        lines += [f'  File "{path}", line {line}, in {function}', f"    {code}"]
    return "\n".join([*lines, error, ""])


def _map(title: str, body: str = "", labels: tuple[str, ...] = ()):
    code_map = make_code_map()
    return map_issue_to_modules(make_issue(1, title, body, labels), code_map, LABELS)


def test_innermost_in_repo_frame_ranks_first() -> None:
    matches = _map("Adam with amsgrad raises KeyError", ADAM_TRACE)
    assert matches[0].name == "tinyml.optim.adam"
    assert any("innermost in-repo frame tinyml/optim/adam.py:112" in e for e in matches[0].evidence)
    outer = next(m for m in matches if m.name == "tinyml.optim.optimizer")
    assert outer.score < matches[0].score
    assert all("repro.py" not in e for m in matches for e in m.evidence)


def test_a_frame_that_passes_the_call_on_is_not_the_raising_frame() -> None:
    """A decorator's wrapper (`return func(*args, **kwargs)`) innermost among the
    repository's frames only handed the call to a library outside it: the raising weight
    goes to the innermost frame that does not pass the call on."""
    body = _traceback(
        ("repro.py", 5, "<module>", "opt.step()"),
        (f"{SITE}/tinyml/optim/adam.py", 112, "step", "_update(params, grads)"),
        (f"{SITE}/tinyml/optim/optimizer.py", 88, "wrapper", "return func(*args, **kwargs)"),
        (f"{SITE}/numpy/core/fromnumeric.py", 57, "_wrapfunc", "return bound(*args, **kwds)"),
        error="ValueError: operands could not be broadcast together",
    )
    matches = _map("Adam fails on sparse gradients", body)
    assert matches[0].name == "tinyml.optim.adam"
    assert "traceback innermost in-repo frame tinyml/optim/adam.py:112" in matches[0].evidence
    wrapper = next(m for m in matches if m.name == "tinyml.optim.optimizer")
    assert "traceback frame (passing the call on) tinyml/optim/optimizer.py:88" in wrapper.evidence
    assert wrapper.score < matches[0].score
    # A filter that raises the error again: it arose in frames not shown, none of those
    # shown raised it.
    refiltered = body.replace("return func(*args, **kwargs)", "raise e.with_traceback(tb)")
    matches = _map("Adam fails on sparse gradients", refiltered)
    evidence = [e for m in matches for e in m.evidence if e.startswith("traceback")]
    assert "traceback frame (passing the error on) tinyml/optim/optimizer.py:88" in evidence
    assert "traceback frame tinyml/optim/adam.py:112" in evidence
    assert not any("innermost" in e for e in evidence)
    # The same wrapper raising an error of its own is the raising frame.
    raising = body.replace("return func(*args, **kwargs)", 'raise ValueError("bad step")')
    matches = _map("Adam fails on sparse gradients", raising)
    assert matches[0].name == "tinyml.optim.optimizer"
    assert "traceback innermost in-repo frame tinyml/optim/optimizer.py:88" in matches[0].evidence


def test_a_chained_causes_raising_frame_is_the_innermost() -> None:
    """A wrapper raises a new error `from` the one a callee raised: Python prints the
    cause first, but its raising frame is the innermost, the wrapper's an outer frame."""
    cause = _traceback(
        (f"{SITE}/tinyml/optim/adam.py", 112, "step", 'raise KeyError("max_exp_avg_sq")'),
        error="KeyError: 'max_exp_avg_sq'",
    )
    wrapper_trace = _traceback(
        ("repro.py", 5, "<module>", "opt.step()"),
        (f"{SITE}/tinyml/optim/optimizer.py", 88, "step", 'raise RuntimeError("failed") from e'),
        error="RuntimeError: optimizer step failed",
    )
    body = (
        f"{cause}\nThe above exception was the direct cause of the following exception:\n\n"
        f"{wrapper_trace}"
    )
    matches = _map("Optimizer step failed", body)
    assert matches[0].name == "tinyml.optim.adam"
    assert "traceback innermost in-repo frame tinyml/optim/adam.py:112" in matches[0].evidence
    wrapper = next(m for m in matches if m.name == "tinyml.optim.optimizer")
    assert "traceback frame tinyml/optim/optimizer.py:88" in wrapper.evidence


def test_a_notebooks_frames_rank_as_frames() -> None:
    """IPython 7's frames, the line unmarked: the innermost ranks as the raising frame, its
    caller as a frame, not both as paths written out."""
    body = (
        "RuntimeError                              Traceback (most recent call last)\n"
        "<ipython-input-4-2f0c> in <module>()\n"
        "/usr/local/lib/python3.7/dist-packages/tinyml/optim/optimizer.py in step(self)\n"
        "/usr/local/lib/python3.7/dist-packages/tinyml/optim/adam.py in _update(self, p)\n"
        "RuntimeError: boom\n"
    )
    matches = _map("Adam with amsgrad raises", body)
    assert matches[0].name == "tinyml.optim.adam"
    assert "traceback innermost in-repo frame tinyml/optim/adam.py" in matches[0].evidence
    outer = next(m for m in matches if m.name == "tinyml.optim.optimizer")
    assert "traceback frame tinyml/optim/optimizer.py" in outer.evidence


def test_file_path_in_text() -> None:
    matches = _map("Wrong output", "The kernel in csrc/ops/conv_cuda.cu mis-indexes the output.")
    assert matches[0].name == "csrc/ops/conv_cuda.cu"
    assert matches[0].path == "csrc/ops/conv_cuda.cu"
    assert "file path csrc/ops/conv_cuda.cu in the text" in matches[0].evidence


def test_absolute_path_of_a_warning_names_the_repository_file() -> None:
    body = (
        "/usr/lib/python3.10/site-packages/tinyml/optim/adam.py:88: UserWarning: "
        "amsgrad is ignored for sparse gradients"
    )
    matches = _map("Warning from the optimizer", body)
    assert matches[0].name == "tinyml.optim.adam"
    assert "file path tinyml/optim/adam.py:88 in the text" in matches[0].evidence


def test_a_link_to_the_code_names_the_file_it_points_at() -> None:
    body = "The step is wrong: https://github.com/o/tinyml/blob/0a1b2c/tinyml/optim/adam.py#L88"
    matches = _map("Optimizer skips a step", body)
    assert matches[0].name == "tinyml.optim.adam"
    assert "file path tinyml/optim/adam.py:88 in the text" in matches[0].evidence


def test_a_templates_setup_report_is_no_evidence() -> None:
    """What a template asks about the reporter's setup names files and words of the library
    in every report (accelerate's Tasks box names its `run_no_trainer_glue.py`): none of it
    is evidence about the bug, which the rest of the text still maps."""
    setup = (
        "\n\n### System Info\n\n```Shell\n- `tinyml` version: 0.3.1\n- Platform: Linux\n"
        "- PyTorch version (GPU?): 2.2.1 (True)\n```\n\n### Tasks\n\n"
        "- [X] An officially supported task in `tinyml/data/dataloader.py`\n"
        "- [ ] My own task or dataset (give details below)\n\n### Reproduction\n\n"
        "Run the step twice.\n"
    )
    plain = _map("Adam with amsgrad raises KeyError", ADAM_TRACE)
    templated = _map("Adam with amsgrad raises KeyError", ADAM_TRACE + setup)
    assert templated[0].name == plain[0].name == "tinyml.optim.adam"
    assert all("dataloader" not in e for m in templated for e in m.evidence)


def test_api_name_through_alias_and_reexport() -> None:
    matches = _map("Problem", "F.interpolate(x) and then nn.Conv2d(3, 8, 3)")
    names = {m.name: m for m in matches}
    assert "tinyml.nn.functional" in names
    assert "tinyml.nn.modules.conv" in names  # nn.Conv2d re-exported from nn/__init__
    assert any(
        "API tinyml.nn.Conv2d (defined in tinyml.nn.modules.conv)" in e
        for e in names["tinyml.nn.modules.conv"].evidence
    )
    # A call is stronger than a mention.
    assert names["tinyml.nn.functional"].score >= names["tinyml.nn.modules.conv"].score


def test_imports_in_code_blocks() -> None:
    matches = _map("Question", "```python\nfrom tinyml.linalg import decomp\n```")
    top = matches[0]
    assert top.name == "tinyml.linalg.decomp"
    assert "imports tinyml.linalg.decomp in the reproduction" in top.evidence
    assert W_IMPORT <= top.score < 1.0


def test_area_label_resolved_through_repository_rules() -> None:
    matches = _map("Something is off", "", ("module: nn",))
    assert matches[0].name == "tinyml.nn"
    assert matches[0].evidence == ["label 'module: nn' (repository's label-to-path rules)"]
    # Its neighbours in the import graph follow, weaker, and only from the library.
    assert all(m.score < matches[0].score for m in matches[1:])


def test_area_label_resolved_by_name_similarity() -> None:
    matches = _map("Something is off", "", ("module: data",))
    assert matches[0].name == "tinyml.data"
    assert "name similar to area tinyml.data" in matches[0].evidence[0]


def test_title_tags_are_the_bracketed_words_a_title_starts_with() -> None:
    assert title_tags("[MPS][BE] cumsum is wrong") == ["mps", "be"]
    assert title_tags(" [ONNX]  [Dynamo] export fails") == ["onnx", "dynamo"]
    assert title_tags("[Feature Request] add x") == ["feature request"]
    assert title_tags("cumsum is wrong [MPS]") == []
    assert title_tags("a[0] is wrong") == [] and title_tags("[unclosed tag") == []


def test_a_title_tag_naming_a_library_folder_counts_as_that_areas_label() -> None:
    # The words alone point at tinyml.tensor; the reporter's tag says linalg.
    untagged = _map("shape of tensor is wrong")
    assert untagged[0].name == "tinyml.tensor.tensor"
    tagged = _map("[linalg] shape of tensor is wrong")
    assert tagged[0].name.startswith("tinyml.linalg")
    assert "inside tinyml/linalg/, named by the title's tag [linalg]" in tagged[0].evidence
    assert rank_areas(tagged, make_code_map())[0][0] == "tinyml.linalg"
    # Issue-type tags and tags naming no folder add nothing, whatever they say.
    for title in ("[bug] shape of tensor is wrong", "[BE][RFC] shape of tensor is wrong"):
        matches = _map(title)
        assert [(m.name, m.score) for m in matches] == [(m.name, m.score) for m in untagged]
        assert not any("title's tag" in e for m in matches for e in m.evidence)


def test_a_crash_in_native_code_backs_the_native_units_with_evidence() -> None:
    # LightGBM's and bitsandbytes' shape: the reproduction calls the Python API, the
    # process dies in the C++/CUDA code under it.
    title, body = "Conv2d forward on CUDA fails for large inputs", "`nn.Conv2d(3, 8, 3).cuda()(x)`"
    calm = {m.name: m for m in _map(title, body + ", conv cuda: the values are wrong")}
    crashed = {
        m.name: m for m in _map(title, body + ", conv cuda: Segmentation fault (core dumped)")
    }
    why = "native code, and the issue reports a crash (Segmentation fault)"
    # A native unit scoring half the best one's or more gets the clue whole ...
    kernel = "csrc/ops/conv_cuda.cu"
    assert calm[kernel].score >= NATIVE_CRASH_SHARE * calm["tinyml.nn.modules.conv"].score
    assert crashed[kernel].score == round(1 - (1 - calm[kernel].score) * (1 - W_NATIVE_CRASH), 3)
    assert why in crashed[kernel].evidence
    # ... a weaker one in proportion; Python units keep their scores.
    header = "csrc/include/tinyml/conv.h"
    assert calm[header].score < crashed[header].score < calm[header].score + W_NATIVE_CRASH / 2
    for name in ("tinyml.nn.modules.conv", "tinyml.nn.functional"):
        assert crashed[name].score == calm[name].score
        assert not any("reports a crash" in e for e in crashed[name].evidence)
    # A crash beside a stray word a C file has lifts no C file over real evidence.
    stray = "the conv output looked fine. Earlier I also saw a segfault in another script"
    strayed = _map("DataLoader with a custom sampler drops the last batch", stray)
    assert [m.name for m in strayed][:2] == ["tinyml.data.dataloader", "tinyml.data.sampler"]
    assert not any(m.name.startswith("csrc/") for m in strayed)


def test_the_words_of_a_native_crash() -> None:
    def crash(text: str) -> str:
        return extract_evidence("x", text).crash

    assert crash("Fatal Python error: Segmentation fault") == "Segmentation fault"
    assert crash("[LightGBM] [Fatal] Check failed: (best_split_info.left_count) > (0)") == (
        "Check failed:"
    )
    assert crash("RuntimeError: CUDA error: an illegal memory access was encountered") == (
        "illegal memory access"
    )
    assert crash("Process finished with exit code 139 (interrupted by signal 11: SIGSEGV)")
    assert crash("Segmentation\nfault") == "Segmentation fault"
    assert crash("Windows fatal exception: access violation") == "access violation"
    for calm in (
        "segments are split wrong",
        "fault tolerance in training",
        "the check failed",
        "Health check failed: timeout",
        "CAN bus error frames",
        "SIGSEGVX",
        "a core dump helper",
        "see https://stackoverflow.com/q/1/why-does-numpy-segfault for more",
    ):
        assert crash(calm) == "", calm


# Pieces of crash reports (each branch of the pattern, other cases, near misses, a
# non-ASCII letter IGNORECASE reads as an `s`) to build texts from.
_CRASH_PIECES = [
    "SEGFAULTED", "sigabrt", "Core Dumped", "core  dumped", "AddressSanitizer:",
    "DEVICE-SIDE ASSERT", "Floating point exception", "exc_bad_access", "Bus error",
    "bus error", "Check failed:", "check failed:", "Terminate called after throwing",
    "Illegal Instruction", "double free or corruption", "stack smashing", "ſegfault",
    "SIGILLX", "segmentation\tfault", "access violation", "x", " ", "\n", "_", "é",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CRASH_PIECES), max_size=6))
def test_a_native_crash_is_found_as_its_pattern_finds_it(parts: list[str]) -> None:
    text = "".join(parts)
    crash = _NATIVE_CRASH.search(text)
    assert native_crash(text) == ("" if crash is None else " ".join(crash.group(0).split()))


def test_words_matching_module_and_symbol_names() -> None:
    matches = _map("Sampler ignores the seed")
    assert matches[0].name == "tinyml.data.sampler"
    assert "'Sampler'" in matches[0].evidence[0]  # as the issue wrote it
    assert "match its path, names or docs" in matches[0].evidence[0]
    body_only = _map("It ignores the seed", "with the sampler")
    assert body_only[0].name == "tinyml.data.sampler"
    assert body_only[0].score < matches[0].score


def test_scores_bounded_sorted_and_each_clue_counted_once() -> None:
    once = _map("x", "see tinyml/optim/sgd.py")
    many = _map("x", "see tinyml/optim/sgd.py " * 20)
    assert once[0].score == many[0].score
    strong = _map("Adam KeyError", ADAM_TRACE + "\ntinyml/optim/adam.py tinyml.optim.Adam() Adam")
    assert all(0.0 <= m.score <= 1.0 for m in strong)
    assert [m.score for m in strong] == sorted((m.score for m in strong), reverse=True)
    assert strong[0].score > W_FRAME_RAISING


def test_no_evidence_no_strong_match_and_untrusted_text_not_echoed() -> None:
    matches = _map("<script>alert(1)</script>", "nothing/here.py evil.module.name()")
    assert all(m.score < 0.3 for m in matches)
    assert not any("<script>" in e or "evil" in e for m in matches for e in m.evidence)
    assert _map("<script>alert(1)</script>", "") == []


def test_index_reuse_gives_same_answer_and_rank_areas() -> None:
    code_map = make_code_map()
    index = build_index(code_map)
    issue = make_issue(3, "Adam with amsgrad raises KeyError", ADAM_TRACE, ("module: optim",))
    first = map_issue_to_modules(issue, code_map, LABELS, index=index)
    again = map_issue_to_modules(issue, code_map, LABELS)
    assert first == again
    areas = rank_areas(first, code_map)
    assert areas[0][0] == "tinyml.optim"
    assert len({a for a, _ in areas}) == len(areas)


def test_label_rules_pick_the_package_and_ignore_listed_tests() -> None:
    code_map = make_code_map()
    code_map.label_paths["module: optim"] = ["tinyml/optim/**", "tests/test_optim.py"]
    code_map.label_paths["module: docs"] = ["docs/**", "/tests/"]
    issue = make_issue(1, "Something", "", ("module: optim",))
    matches = map_issue_to_modules(issue, code_map, LABELS)
    assert matches[0].name == "tinyml.optim"
    assert not any(
        code_map.modules.get(m.name, None) and code_map.modules[m.name].is_test for m in matches
    )
    # A label whose rules cover only tests maps to the tests, not to library code.
    docs = map_issue_to_modules(make_issue(2, "Typo", "", ("module: docs",)), code_map, LABELS)
    assert docs and all(
        code_map.modules.get(m.name) is None or code_map.modules[m.name].is_test for m in docs
    )


def test_a_file_in_several_frames_counts_once_at_its_deepest_frame() -> None:
    body = (
        'File "/x/tinyml/optim/adam.py", line 5, in step\n'
        'File "/x/tinyml/optim/optimizer.py", line 9, in wrapper\n'
        'File "/x/tinyml/optim/adam.py", line 40, in _inner\n'
    )
    matches = _map("crash", body)
    assert matches[0].name == "tinyml.optim.adam"
    assert [e for e in matches[0].evidence if "traceback" in e] == [
        "traceback innermost in-repo frame tinyml/optim/adam.py:40"
    ]


# --------------------------------------------------------------------------- non-code files
def _docs_map():  # type: ignore[no-untyped-def]
    """The tinyml map with its docs tracked and a docs label whose rules (like a CODEOWNERS
    "# label:" block) also list the tests folder."""
    code_map = make_code_map()
    code_map.files = sorted(
        [info.path for info in code_map.modules.values()]
        + ["README.md", "docs/index.md", "docs/tensors.md", "docs/nn.md", ".github/labeler.yml"]
    )
    code_map.label_paths["module: docs"] = ["docs/**", "README.md", "/tests/"]
    return code_map


def test_a_named_docs_file_is_a_match_backed_by_its_label() -> None:
    code_map = _docs_map()
    issue = make_issue(
        1,
        "Typo in docs/tensors.md: 'togther'",
        'The last paragraph of `docs/tensors.md` says "added togther".',
        ("module: docs", "good first issue"),
    )
    matches = map_issue_to_modules(issue, code_map, LABELS)
    assert matches[0].name == "docs/tensors.md"
    # Code that merely shares a word is far behind the file the reporter named.
    assert all(m.score < matches[0].score - 0.3 for m in matches[1:])
    top = matches[0]
    assert top.path == "docs/tensors.md"
    assert "file path docs/tensors.md in the text" in top.evidence
    assert any("label 'module: docs' covers docs/tensors.md" in e for e in top.evidence)


def test_a_docs_page_named_in_its_former_markup_is_found() -> None:
    # trl #1091: docs/source/reward_trainer.mdx, now .md (Hugging Face's docs moved).
    code_map = _docs_map()
    issue = make_issue(1, "Typo in the tensors page", "In docs/tensors.mdx line 3: 'togther'.")
    top = map_issue_to_modules(issue, code_map, LABELS)[0]
    assert top.name == "docs/tensors.md"
    assert "file path docs/tensors.md in the text (written docs/tensors.mdx)" in top.evidence
    # A page in no format tracked stays unnamed.
    other = make_issue(1, "Typo in the tensors page", "In docs/tensors.txt line 3: 'togther'.")
    assert all(m.name != "docs/tensors.md" for m in map_issue_to_modules(other, code_map, LABELS))


def test_a_docs_only_label_never_lands_on_tests_or_a_similar_name() -> None:
    code_map = _docs_map()
    # No file named: the label alone must not pick the tests folder (its rules list it) nor
    # any area by name similarity.
    matches = map_issue_to_modules(
        make_issue(1, "Wording of the intro page", "It reads oddly.", ("module: docs",)),
        code_map,
        LABELS,
    )
    assert all(not m.name.startswith("tests") for m in matches)
    assert all("module: docs" not in e for m in matches for e in m.evidence)


def test_docs_file_and_code_both_rank_and_md_names_are_not_apis() -> None:
    code_map = _docs_map()
    issue = make_issue(
        1,
        "Document align_corners for F.interpolate",
        "Neither `tinyml/nn/functional.py` nor `docs/nn.md` explains it; see README.md too.",
        ("module: docs", "module: nn"),
    )
    names = {m.name: m for m in map_issue_to_modules(issue, code_map, LABELS)}
    assert "tinyml.nn.functional" in names and "docs/nn.md" in names and "README.md" in names
    # "nn.md" is a file name, not the API tinyml.nn.md.
    assert all("nn.md (defined" not in e for m in names.values() for e in m.evidence)


def test_untracked_or_ambiguous_doc_names_are_ignored() -> None:
    code_map = _docs_map()
    matches = map_issue_to_modules(
        make_issue(1, "Missing page", "There is no docs/optim.md and index.md is vague."),
        code_map,
        LABELS,
    )
    assert all(m.name not in ("docs/optim.md", "docs/index.md") for m in matches)


def test_tests_kept_beside_the_code_are_not_library_once_they_are_the_convention() -> None:
    from prready.analysis.mapping import COLOCATED_TESTS_MIN, library_source_paths

    code = [("keras/__init__.py", "python"), ("keras/src/layers/dense.py", "python")]
    # Keras keeps a `*_test.py` beside each module it tests.
    tests = [(f"keras/src/layers/layer_{i}_test.py", "python") for i in range(COLOCATED_TESTS_MIN)]
    runner = [("keras/src/run_test.py", "python")]  # (runs the suite: a script, not a test)
    kept = library_source_paths(code + tests + runner)
    assert kept == ["keras/__init__.py", "keras/src/layers/dense.py", "keras/src/run_test.py"]
    # A package's few `*_test.py` (torch/testing/_internal's suites) stay library code.
    few = tests[: COLOCATED_TESTS_MIN - 1]
    assert library_source_paths(code + few) == [p for p, _ in code + few]


def test_an_area_label_never_names_an_area_of_docs_build_scripts() -> None:
    """PyTorch's `docs/` holds Python scripts (`docs/source/conf.py`, `docs/caffe2/
    process.py`): the map makes them an area named "docs", which "module: docs" matches by
    name. A docs fix goes to the pages or to docstrings, never to those scripts."""
    from prready.code_models import AreaInfo, ModuleInfo

    code_map = make_code_map()
    for name in ("docs.conf", "docs.caffe2.process"):
        path = name.replace(".", "/") + ".py"
        code_map.modules[name] = ModuleInfo(
            name=name, path=path, language="python", lines=10, package="docs", area="docs"
        )
        code_map.graph.add_node(name, path=path, language="python", area="docs")
    code_map.areas["docs"] = AreaInfo(
        name="docs", paths=["docs/"], modules=["docs.conf", "docs.caffe2.process"], languages={}
    )
    issue = make_issue(
        1, "Wrong default in the Adam page", "The page says lr=0.01.", ("module: docs",)
    )
    matches = map_issue_to_modules(issue, code_map, LABELS)
    assert all(not m.name.startswith("docs") for m in matches)
    assert all("module: docs" not in e for m in matches for e in m.evidence)
    # An area with library code is still named by its label.
    data = map_issue_to_modules(
        make_issue(2, "Loader order", "", ("module: data",)), code_map, LABELS
    )
    assert any(
        "label 'module: data' (name similar to area tinyml.data)" in e
        for m in data
        for e in m.evidence
    )


def test_a_name_written_alone_resolves_where_one_module_defines_it() -> None:
    # PyG #9025 writes `MyConv(MessagePassing)`: the class's name, without its package.
    found = extract_evidence(
        "Custom conv inheriting from CosineAnnealingLR fails",
        "`MyConv(CosineAnnealingLR)` with `kaiming_uniform_`; tinyml.optim.lr_scheduler.StepLR,"
        " CUDA and Linear are no bare names here.",
    )
    assert found.names == ["CosineAnnealingLR", "MyConv", "kaiming_uniform_"]
    matches = _map("Custom scheduler subclassing CosineAnnealingLR never decays")
    top = matches[0]
    assert top.name == "tinyml.optim.lr_scheduler"
    assert "name CosineAnnealingLR in the title (defined in tinyml.optim.lr_scheduler)" in (
        top.evidence
    )
    # Named in the body only, it is a weaker clue (often what the reproduction uses).
    body = _map("Scheduler never decays", "I use CosineAnnealingLR with warm restarts.")
    clue = "name CosineAnnealingLR (defined in tinyml.optim.lr_scheduler)"
    weaker = next(m for m in body if clue in m.evidence)
    assert weaker.score < top.score
    # A name two modules define resolves nowhere by itself: the words decide.
    again = _map_defined_twice("Custom scheduler subclassing CosineAnnealingLR never decays")
    assert all("name CosineAnnealingLR" not in e for m in again for e in m.evidence)


def _map_defined_twice(title: str) -> list[ModuleMatch]:
    """`_map` on the tinyml code map where tinyml.data.sampler defines CosineAnnealingLR
    too: two modules define the name."""
    code_map = make_code_map()
    code_map.symbols["tinyml.data.sampler.CosineAnnealingLR"] = "tinyml.data.sampler"
    return map_issue_to_modules(make_issue(1, title, ""), code_map, LABELS)


def test_a_name_quoted_as_code_resolves_whatever_its_shape() -> None:
    # torchmetrics #1426 writes "The `Metric` base class": one capitalised word, no English
    # word once quoted as code. Unquoted, `Linear` stays a word (the lexical index reads it).
    found = extract_evidence("Base class ignores extra kwargs", "The `Linear` class and `svd()`.")
    assert found.names == ["Linear", "svd"]
    assert extract_evidence("Linear is slow", "").names == []
    matches = _map("The `Linear` layer ignores extra kwargs")
    assert matches[0].name == "tinyml.nn.modules.linear"
    assert "name Linear in the title (defined in tinyml.nn.modules.linear)" in matches[0].evidence


def _with_modules(*paths: str) -> CodeMap:
    """The tinyml code map with extra library modules at `paths` (in tinyml.data's area)."""
    code_map = make_code_map()
    for path in paths:
        name = path.removesuffix(".py").replace("/", ".")
        code_map.modules[name] = ModuleInfo(
            name=name,
            path=path,
            language="python",
            lines=50,
            package="tinyml",
            area="tinyml.data",
        )
        code_map.graph.add_node(name, path=path, lines=50, package="tinyml", language="python")
    return code_map


def test_a_bare_file_name_a_few_library_files_share_is_split_between_them() -> None:
    # timm #2021 blames `config.py`: timm/data/config.py and timm/layers/config.py have it.
    code_map = _with_modules("tinyml/data/config.py", "tinyml/nn/config.py")
    issue = make_issue(1, "config.py reads chans", "The reporter blames config.py line 28.")
    matches = map_issue_to_modules(issue, code_map, LABELS)
    clue = "file name config.py in the text (2 library files have it)"
    named = [m for m in matches if clue in m.evidence]
    assert {m.path for m in named} == {"tinyml/data/config.py", "tinyml/nn/config.py"}
    # Half a path's weight each: below a path written out in full.
    whole = map_issue_to_modules(
        make_issue(2, "tinyml/data/config.py reads chans", ""), code_map, LABELS
    )
    assert whole[0].path == "tinyml/data/config.py"
    assert max(m.score for m in named) < whole[0].score
    # Four library files so named say nothing.
    crowded = _with_modules(*(f"tinyml/{d}/config.py" for d in ("data", "nn", "optim", "linalg")))
    again = map_issue_to_modules(issue, crowded, LABELS)
    assert all("file name config.py" not in e for m in again for e in m.evidence)


def test_a_script_the_reporter_ran_weighs_as_an_import_and_a_named_test_less_than_code() -> None:
    found = extract_evidence(
        "x",
        "`python3 tinyml/optim/sgd.py --lr 1` and `torchrun --nproc 2 tinyml/nn/init.py`;"
        " python -m pytest tests/test_nn.py",
    )
    assert found.ran == {"tinyml/optim/sgd.py", "tinyml/nn/init.py", "tests/test_nn.py"}
    matches = _map("SGD diverges", "Run `python tinyml/optim/sgd.py --lr 1` to see it.")
    sgd = next(m for m in matches if m.name == "tinyml.optim.sgd")
    assert "script tinyml/optim/sgd.py run in the reproduction" in sgd.evidence
    assert all("file path tinyml/optim/sgd.py" not in e for e in sgd.evidence)
    named = _map("SGD diverges", "See tinyml/optim/sgd.py.")
    assert next(m for m in named if m.name == "tinyml.optim.sgd").score > sgd.score
    # The tests it lists as failing are symptoms: the library code they exercise leads.
    failing = _map("Linear output NaN", "tests/test_nn.py::test_linear fails: Linear gives NaN")
    test_file = next(m for m in failing if m.path == "tests/test_nn.py")
    assert "file path tests/test_nn.py in the text" in test_file.evidence
    assert failing[0].name == "tinyml.nn.modules.linear"


def test_a_class_and_its_method_without_the_package_resolve_to_the_class() -> None:
    # gpytorch #1657 writes `InducingPointKernelAddedLossTerm.loss`; bitsandbytes
    # `Params4bit.to`: one library module defines the class.
    matches = _map("CosineAnnealingLR.get_lr returns the wrong rate after a restart")
    top = matches[0]
    assert top.name == "tinyml.optim.lr_scheduler"
    assert any(e.startswith("API CosineAnnealingLR.get_lr (as ") for e in top.evidence)
    # A class two modules define says nothing by itself.
    again = _map_defined_twice("CosineAnnealingLR.get_lr returns the wrong rate")
    assert all("API CosineAnnealingLR.get_lr" not in e for m in again for e in m.evidence)


def test_a_method_called_on_a_variable_named_after_its_class() -> None:
    # accelerate #1451 writes `accelerator.skip_first_batches`: an `Accelerator`.
    matches = _map("Batches skipped", "After `data_loader.reset_state()` batches are skipped")
    clue = (
        "API data_loader.reset_state (data_loader: an instance of DataLoader,"
        " defined in tinyml.data.dataloader)"
    )
    loader = next(m for m in matches if m.name == "tinyml.data.dataloader")
    assert clue in loader.evidence
    # Weaker than the class named itself; a short variable (`dl`) names no class.
    named = _map("Batches skipped", "After `DataLoader.reset_state()` batches are skipped")
    assert next(m for m in named if m.name == "tinyml.data.dataloader").score > loader.score
    short = _map("Batches skipped", "After `dl.reset_state()` batches are skipped")
    assert all("an instance of" not in e for m in short for e in m.evidence)


def test_the_graph_leaves_out_units_that_could_not_reach_the_kept_scores() -> None:
    index = build_index(make_code_map())
    scores = {"tinyml.nn": 0.9, "tinyml.nn.functional": 0.4, "tinyml.optim": 0.5}
    every = list(_graph_clues(scores, index, DEFAULT_SIGNALS))
    assert {"tinyml", "tinyml.tensor.ops"} <= {node for node, _, _ in every}
    # The graph gives a unit at most 0.15 x (0.9, 0.5, 0.4) together (0.24): below a
    # floor of 0.3 only the units already scored get their clues, as they would anyway.
    kept = list(_graph_clues(scores, index, DEFAULT_SIGNALS, floor=0.3))
    assert kept == [clue for clue in every if clue[0] in scores]
    assert ("tinyml.nn.functional", 0.135, "imported by tinyml.nn") in kept
    # A floor a unit could reach from the graph alone keeps them all.
    assert list(_graph_clues(scores, index, DEFAULT_SIGNALS, floor=0.2)) == every
