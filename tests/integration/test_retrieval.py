"""The mapping's retrieval signals, one at a time, on small real-shaped fixtures: words of
code (lexicon), the BM25 index, lexical fields (an error message a user pasted), history
(an MPS issue reaching a kernel no import shows), the dependency graph, exact evidence
over resemblance, and the app-level index cached by blob id on a real git repository."""

from __future__ import annotations

import marshal
import math
import time
from array import array
from dataclasses import replace
from pathlib import Path

import pytest

from gitfixtures import commit_files, git
from planfixtures import LABELS, make_code_map, make_issue
from prready.analysis.issue_templates import template_text
from prready.analysis.layout import is_library_path
from prready.analysis.lexicon import (
    BM25Index,
    PackedTerms,
    count_terms,
    query_terms,
    source_fields_packed,
    split_identifier,
    stem,
)
from prready.analysis.mapping import (
    DEFAULT_SIGNALS,
    Signals,
    build_index,
    library_units,
    map_issue_to_modules,
)
from prready.app.retrieval import LEX_SCANNER
from prready.code_models import CommitRecord, HistoryCommit, ModuleInfo
from prready.sources.git_repo import build_repo, list_files
from prready.store.parse_cache import ParseCache

ONLY_LEXICAL = Signals(exact=False, lexical=0.55, history=0.0, graph=0.0, labels=0.0)
ONLY_HISTORY = Signals(exact=False, lexical=0.0, history=0.45, graph=0.0, labels=0.0)


def source_fields(
    data: bytes, language: str, splits: dict[str, tuple[str, ...]] | None = None
) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]:
    """A file's fields as (term, count) pairs, from what the scanner packs."""
    defs, def_counts, prose, prose_counts, _ = source_fields_packed(data, language, splits)
    return tuple(zip(defs.split(), def_counts, strict=True)), tuple(
        zip(prose.split(), prose_counts, strict=True)
    )


# --------------------------------------------------------------------------- lexicon
def test_identifiers_split_on_case_and_underscores_keeping_the_compound() -> None:
    assert split_identifier("StepLR") == ("step", "lr", "steplr")
    assert split_identifier("prepare_data_loader") == (
        "prepare",
        "data",
        "loader",
        "preparedataloader",
    )
    assert split_identifier("MPSGraph") == ("mps", "graph", "mpsgraph")
    # Short names are words like any other: IDF decides what they are worth.
    assert split_identifier("rpc") == ("rpc",)
    assert split_identifier("the") == ()
    # A stopword is one before or after stemming ("does" would stem to "doe"), and what
    # "doesn't" leaves of "does" is one too: neither may match a file.
    assert [split_identifier(w) for w in ("does", "Does", "doesn", "isn")] == [()] * 4
    words = query_terms("Training does hang: it doesn't stop", "")
    assert set(words) == {"train", "hang", "stop", "t"}
    assert [stem(w) for w in ("loaders", "padding", "batches", "class")] == [
        "loader",
        "pad",
        "batch",
        "class",
    ]


def test_a_splits_memo_changes_no_words() -> None:
    # A caller's memo holds each token's words and each compound part's; a part met
    # first inside a compound is split as the word it is on its own.
    names = ["get_last_lr", "last", "LAST_LR", "Last", "GetLastLR", "the_loaders", "x2_y", "_"]
    splits: dict[str, tuple[str, ...]] = {}
    for name in names:
        assert split_identifier(name, splits) == split_identifier(name), name
    assert splits["loaders"] == split_identifier("loaders") == ("loader",)
    assert splits["the"] == ()  # a stopword part adds no word
    text = "get_last_lr(last) raises: the loaders' LAST_LR and GetLastLR"
    assert count_terms(text, splits) == count_terms(text, {})
    assert query_terms("GetLastLR", text, splits=splits) == query_terms("GetLastLR", text)


def test_fields_are_stored_packed_and_checked_when_loaded() -> None:
    source = b'class StepLR:\n    """Decays the learning rate."""\n    gamma = 0.1\n'
    packed = source_fields_packed(source, "python")
    fields = PackedTerms.unpack(packed)
    assert fields is not None
    assert (tuple(fields[0]), tuple(fields[1])) == source_fields(source, "python")
    assert dict(fields[1]) == dict(source_fields(source, "python")[1])
    # A damaged or foreign row is no fields (the file is scanned again), never wrong ones.
    assert PackedTerms.unpack((packed[0], packed[1][:-1], *packed[2:])) is None
    assert PackedTerms.unpack(packed[:4]) is None  # (a row of lex:3, before class bases)
    assert PackedTerms.unpack(("a b", "12", "", b"", "")) is None
    assert PackedTerms.unpack((*packed[:4], None)) is None


def test_python_fields_hold_names_docstrings_comments_and_messages() -> None:
    source = b'''"""Learning-rate schedulers."""
import math


class StepLR:
    """Decays the learning rate of each parameter group by gamma."""

    def get_last_lr(self):
        # the scheduler's own clock
        raise ValueError("step_size must be positive, got a warmup factor")
'''
    defs, prose = source_fields(source, "python")
    names = dict(defs)
    words = dict(prose)
    assert {"steplr", "step", "lr", "last", "getlastlr"} <= set(names)
    assert {"decay", "gamma", "scheduler", "warmup", "clock"} <= set(words)
    assert "import" not in words and "math" not in words  # code is not prose


def test_native_fields_hold_function_names_and_comments() -> None:
    source = b"""// Linear layer for the MPS backend
#define MPS_CHECK(x) x
static Tensor linear_mps(const Tensor& input, const Tensor& weight) {
  TORCH_CHECK(input.is_contiguous(), "non-contiguous input is not supported");
}
"""
    defs, prose = source_fields(source, "cpp")
    assert {"linear", "mps", "linearmps", "mpscheck"} <= set(dict(defs))
    assert {"contiguous", "backend", "supported"} <= set(dict(prose))


def test_scanning_is_linear_on_adversarial_sources() -> None:
    cases = {
        "python": lambda n: ("'''\"\"\"" * n).encode(),
        "cpp": lambda n: ("/" + "*" * (6 * n)).encode(),
    }
    for language, make in cases.items():
        times = []
        for n in (20_000, 40_000):
            data = make(n)
            # The fastest of five runs: other work on a shared machine only slows a run.
            runs = []
            for _ in range(5):
                start = time.perf_counter()
                source_fields(data, language)
                runs.append(time.perf_counter() - start)
            times.append(min(runs))
        assert times[1] < 3 * times[0] + 0.05, (language, times)


def test_bm25_rare_words_outweigh_common_ones() -> None:
    docs = {f"m{i}": {"tensor": 3.0, "shape": 1.0} for i in range(20)}
    docs["mps_ops"] = {"tensor": 3.0, "mps": 3.0}
    index = BM25Index.build(docs)
    hits = index.search({"tensor": 1.0, "mps": 1.0})
    assert hits[0][0] == "mps_ops"
    assert hits[0][2][0] == "mps"
    assert index.idf("mps") > index.idf("shape") > 0
    assert index.search({"absent": 1.0}) == []


def test_bm25_search_scores_every_document_by_its_matched_terms() -> None:
    # Against a plain re-computation: each document's score is the sum over the query's
    # terms of query weight x idf x its stored weight; ties go to the earlier name.
    docs = {
        f"d{i:02}": {f"w{j}": float(1 + (i * j) % 4) for j in range(i % 7 + 1)} for i in range(40)
    }
    index = BM25Index.build(docs)
    query = {"w1": 1.0, "w3": 2.0, "w6": 3.0, "absent": 1.0}
    expected = {}
    for doc_id, name in enumerate(index.names):
        score = sum(
            q * index.idfs[t] * index.postings[t][doc_id]
            for t, q in query.items()
            if doc_id in index.postings.get(t, {})
        )
        if score:
            expected[name] = score
    hits = index.search(query, limit=10, max_df=1.0)
    ranked = sorted(expected, key=lambda n: (-expected[n], n))[:10]
    assert [h[0] for h in hits] == ranked
    assert all(abs(h[1] - expected[h[0]]) < 1e-9 for h in hits)
    assert hits[0][2][0] == "w6"  # the terms of a hit, largest gain first
    # Stored (packed, through marshal as the parse cache does) and loaded, it answers alike.
    loaded = BM25Index.from_plain(marshal.loads(marshal.dumps(index.to_plain())))
    assert loaded is not None
    assert loaded.search(query, limit=10, max_df=1.0) == hits
    assert BM25Index.from_plain(("not", "an index")) is None


def test_bm25_search_sums_as_a_loop_over_postings_and_breaks_ties_by_name() -> None:
    """The scores are the sums a loop over each term's postings in the query's order gives,
    bit for bit (not merely close), and equal scores at the cut go to the earlier names
    whichever documents the partial sort met first."""
    docs = {
        f"d{i:03}": {"same": 2.0, f"w{i % 3}": 1.0 + i % 5, "x": 0.5 * (i % 7)} for i in range(300)
    }
    for name in ("d150", "d151", "d299"):  # ahead of the ties: the x terms differ
        docs[name] = {"same": 2.0, "lead": 3.0}
    index = BM25Index.build(docs)
    query = {"x": 1.5, "lead": 1.0, "w1": 2.0, "same": 1.0}
    expected = [0.0] * len(index.names)
    for term, qweight in query.items():
        factor = index.idfs[term] * qweight
        for doc_id, weight in index.postings.get(term, {}).items():
            expected[doc_id] += factor * weight
    scored = {index.names[d]: s for d, s in enumerate(expected) if s}
    assert index.search(query, limit=0) == []
    for limit in (1, 3, 7, 40, 302, 303, 304, 400):
        hits = index.search(query, limit=limit, max_df=1.0, with_terms=False)
        assert [(h[0], h[1]) for h in hits] == sorted(
            scored.items(), key=lambda item: (-item[1], item[0])
        )[:limit]
    # Many documents tie at the cut: the first names among them are kept.
    ties = BM25Index.build({f"t{i:03}": {"same": 1.0} for i in range(200)}, max_df=1.0)
    assert [h[0] for h in ties.search({"same": 1.0}, limit=5, max_df=1.0)] == [
        "t000",
        "t001",
        "t002",
        "t003",
        "t004",
    ]


def test_a_common_word_that_names_few_paths_keeps_those_postings_at_its_own_idf() -> None:
    """Every file mentions `cpu` (too common for postings), but only `backends/cpu/` has
    it in its path. A CPU issue then finds that backend's file, weighted by the word's IDF
    over every file (low: a common word), never by the few paths (which would make any
    folder's name outweigh the names the issue quotes)."""
    names = [f"bitsandbytes/nn/m{i}.py" for i in range(80)]
    docs: dict[str, dict[str, float]] = {n: {"cpu": 1.0, "tensor": 2.0} for n in names}
    docs["bitsandbytes/backends/cpu/ops.py"] = {"cpu": 4.0, "quantize": 2.0, "ops": 3.0}
    docs["bitsandbytes/backends/cuda/ops.py"] = {
        "quantize": 2.0,
        "ops": 3.0,
        "cuda": 3.0,
        "cpu": 1.0,
    }
    paths = {n: n[:-3].split("/") for n in docs}
    plain = BM25Index.build(docs)
    by_path = BM25Index.build(docs, paths=paths)
    query = {"cpu": 2.0, "quantize": 1.0}
    # Without paths, `cpu` counts for nothing: the two backends tie on `quantize`.
    first, second = plain.search(query)[:2]
    assert first[1] == second[1] and first[2] == second[2] == ["quantize"]
    hits = by_path.search(query)
    assert hits[0][0] == "bitsandbytes/backends/cpu/ops.py" and hits[0][2] == ["quantize", "cpu"]
    assert hits[0][1] > hits[1][1] and hits[1][0] == "bitsandbytes/backends/cuda/ops.py"
    # Its postings are the one path's; its IDF is that of the 82 files' word.
    assert by_path.postings["cpu"].keys() == {
        by_path.names.index("bitsandbytes/backends/cpu/ops.py")
    }
    assert by_path.idf("cpu") == plain.idf("cpu") < by_path.idf("quantize")
    assert by_path.matched_terms(query, ["bitsandbytes/backends/cpu/ops.py"]) == {
        "bitsandbytes/backends/cpu/ops.py": ["quantize", "cpu"]
    }
    # A word every path has (`bitsandbytes`) stays without postings; stored and loaded
    # (through marshal, as the parse cache does), the index answers alike.
    assert "bitsandbytes" not in by_path.postings
    loaded = BM25Index.from_plain(marshal.loads(marshal.dumps(by_path.to_plain())))
    assert loaded is not None and loaded.search(query) == hits
    assert loaded.idf("cpu") == by_path.idf("cpu")


def test_the_stored_index_is_the_same_however_path_terms_hash() -> None:
    """Terms that only paths keep are stored in term order, not in a set's (which follows
    the interpreter's string hashes, different in every process): the same files give the
    same stored index (its values, in the same order) in any run."""
    names = [f"pkg/m{i}.py" for i in range(80)]
    folders = [f"area{i:02}" for i in range(30)]
    docs: dict[str, dict[str, float]] = {n: dict.fromkeys(folders, 1.0) for n in names}
    for folder in folders:
        docs[f"pkg/{folder}/ops.py"] = {folder: 2.0, "ops": 1.0}
    forward = {n: n[:-3].split("/") for n in docs}
    built = BM25Index.build(docs, paths=forward)
    assert list(built.idfs.in_paths) == folders  # in term order, all of them
    backward = {n: list(reversed(terms)) for n, terms in reversed(list(forward.items()))}
    again = BM25Index.build(dict(reversed(list(docs.items()))), paths=backward)
    assert repr(again.to_plain()) == repr(built.to_plain())  # (values and order)


def test_bm25_postings_lay_out_each_terms_documents_in_order_at_any_size() -> None:
    """No posting, one, and many: each term's run holds its documents in order with their
    saturated weights, whatever order a document's terms come in."""
    assert len(BM25Index.build({}).postings) == 0
    assert BM25Index.build({"a": {}}).search({"x": 1.0}) == []
    one = BM25Index.build({"a": {"mps": 2.0}})
    assert list(one.postings.ids) == [0] and one.postings["mps"] == {0: one.postings.weights[0]}
    forward = {
        f"d{i}": {f"w{j}": float(1 + (i + j) % 3) for j in range(i % 5 + 1)} for i in range(30)
    }
    backward = {name: dict(reversed(doc.items())) for name, doc in forward.items()}
    built, other = BM25Index.build(forward), BM25Index.build(backward)
    assert built.to_plain() == other.to_plain()
    for term in built.postings:
        run = built.postings[term]
        assert list(run) == sorted(run)
        assert set(run) == {i for i, n in enumerate(built.names) if term in forward[n]}


def test_unit_terms_of_packed_fields_equal_those_of_pairs() -> None:
    from prready.analysis.lexicon import unit_terms

    defs, prose = PackedTerms.unpack(
        source_fields_packed(
            b'def load_shard(path):\n    """Load a checkpoint shard."""\n'
            b'    raise OSError("shard missing")  # load again\nclass ShardSaver: pass\n',
            "python",
        )
    ) or ((), ())
    assert isinstance(defs, PackedTerms) and len(defs) and len(prose)
    packed = unit_terms("pkg/shard_loader.py", defs, prose)
    pairs = unit_terms("pkg/shard_loader.py", tuple(defs), tuple(prose))
    assert list(packed.items()) == list(pairs.items())  # same terms, counts and order
    assert packed["shard"] == dict(prose)["shard"] + 2 * dict(defs)["shard"] + 3


def test_library_paths_exclude_tests_docs_examples_and_vendored_trees() -> None:
    assert is_library_path("src/accelerate/data_loader.py")
    assert is_library_path("aten/src/ATen/native/mps/Linear.cpp")
    for path in ("tests/test_x.py", "docs/source/conf.py", "examples/nlp.py", "third_party/x.h"):
        assert not is_library_path(path)
    assert not is_library_path("src/pkg/mod.py", is_test=True)


def test_folders_named_for_tests_vendored_code_or_top_level_examples_are_no_library() -> None:
    # Real folders: test helpers inside a package, a suite of its own, vendored copies,
    # a second docs tree, guides, top-level demos and examples.
    for path in (
        "jax/_src/internal_test_util/test_harnesses.py",
        "src/accelerate/test_utils/testing.py",
        "integration_tests/basic_usage_test.py",
        "caffe2/python/operator_test/adam_test.py",
        "torch/_vendor/packaging/version.py",
        "docs_nnx/_ext/codediff.py",
        "guides/training_with_built_in_methods.py",
        "demo/guide-python/basic_walkthrough.py",
        "linen_examples/wmt/train.py",
        "tools/checkpoint_conversion/convert_gemma_checkpoints.py",
        "build_tools/update_environments.py",
    ):
        assert not is_library_path(path), path
    # ...while the same words inside a package, or in no compound, name library code.
    for path in (
        "src/diffusers/pipelines/paint_by_example/pipeline_paint_by_example.py",
        "jax/example_libraries/stax.py",
        "src/lightning/pytorch/demos/boring_classes.py",
        "src/prready/demo/data.py",
        "torchgen/selective_build/selector.py",
        "torch/utils/data/datapipes/iter/grouping.py",
        "jax/tools/jax_to_ir.py",
    ):
        assert is_library_path(path), path


def test_library_units_leave_out_header_copies_shipped_in_a_package() -> None:
    # A wheel's torch/include/ holds copies of the build's headers: never a place to fix.
    # A native project's own include/ folder (not inside a Python package) is its code.
    code_map = make_code_map()
    for path in ("tinyml/include/ATen/Tensor.h", "include/tinyml/api.h", "csrc/ops/conv.h"):
        code_map.modules[path] = ModuleInfo(
            name=path, path=path, language="cpp", lines=10, package=path.split("/")[0]
        )
    library = library_units(code_map)
    assert "tinyml/include/ATen/Tensor.h" not in library
    assert {"include/tinyml/api.h", "csrc/ops/conv.h", "tinyml.optim.adam"} <= library


# --------------------------------------------------------------------------- signals
def _fields() -> dict[str, tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...]]]:
    sampler = (
        b'def seeded():\n    raise RuntimeError("generator seed was never set for shuffling")\n'
    )
    return {
        "tinyml/data/sampler.py": source_fields(sampler, "python"),
        "tinyml/data/dataloader.py": source_fields(b"class DataLoader:\n    pass\n", "python"),
    }


def test_a_pasted_error_message_finds_the_file_that_raises_it() -> None:
    code_map = make_code_map()
    index = build_index(code_map, fields=_fields())
    issue = make_issue(1, "Crash when iterating", "RuntimeError: generator seed was never set")
    matches = map_issue_to_modules(issue, code_map, LABELS, index=index, signals=ONLY_LEXICAL)
    assert matches[0].name == "tinyml.data.sampler"
    assert "match its path, names or docs" in matches[0].evidence[0]


def test_the_issue_templates_prompts_are_not_the_reporters_words() -> None:
    """A prompt the reporter left in place ("add screenshots to help explain your
    problem") is in every issue of the repository; read as the issue's words, it ranks
    whatever code uses them. With the repository's template known, the reporter's own
    words decide; HTML comments are never read."""
    fields = _fields()
    fields["tinyml/optim/adam.py"] = source_fields(
        b'def snapshot():\n    """Save screenshots to help explain a problem, if applicable."""\n',
        "python",
    )
    body = (
        "<!-- Please describe the bug in detail. -->\n**Describe the bug**\n"
        "Shuffling gives the same order every epoch.\n\n**Screenshots**\n"
        "If applicable, add screenshots to help explain your problem.\n"
    )
    issue = make_issue(1, "[BUG] Same order each epoch", body)
    code_map = make_code_map()
    plain = map_issue_to_modules(
        issue, code_map, LABELS, index=build_index(code_map, fields=fields), signals=ONLY_LEXICAL
    )
    assert plain[0].name == "tinyml.optim.adam"  # the prompt's words win without the template
    template = "---\ntitle: '[BUG] '\n---\n**Describe the bug**\n\n**Screenshots**\n"
    template += "If applicable, add screenshots to help explain your problem.\n"
    code_map.issue_templates = template_text({".github/ISSUE_TEMPLATE/bug.md": template})
    index = build_index(code_map, fields=fields)
    matches = map_issue_to_modules(issue, code_map, LABELS, index=index, signals=ONLY_LEXICAL)
    assert matches[0].name == "tinyml.data.sampler"
    assert all(m.name != "tinyml.optim.adam" for m in matches)
    assert "'Shuffling'" in matches[0].evidence[0]


def _history() -> list[CommitRecord]:
    return [
        CommitRecord(
            sha="a" * 40,
            author_name="Ken",
            author_email="ken@example.com",
            date="2026-06-01T10:00:00Z",
            files=["csrc/ops/conv.cpp"],
            message="[MPS] fix conv for non-contiguous inputs on Apple GPUs",
        ),
        CommitRecord(
            sha="b" * 40,
            author_name="Ada",
            author_email="ada@example.com",
            date="2026-07-01T10:00:00Z",
            files=["tinyml/optim/adam.py", "tests/test_optim.py"],
            message="Adam: honour amsgrad with sparse gradients",
        ),
    ]


def test_history_points_an_issue_at_files_similar_commits_changed() -> None:
    code_map = make_code_map()
    index = build_index(code_map, commits=_history())
    issue = make_issue(2, "MPS: wrong values for non-contiguous inputs", "on an M1 GPU")
    matches = map_issue_to_modules(issue, code_map, LABELS, index=index, signals=ONLY_HISTORY)
    assert matches[0].name == "csrc/ops/conv.cpp"
    assert matches[0].evidence[0].startswith("similar past commit aaaaaaaaa: '[MPS] fix conv")
    # A backtest must not find the fix itself: commits from that date on are ignored.
    blind = map_issue_to_modules(
        issue, code_map, LABELS, index=index, signals=ONLY_HISTORY, history_before="2026-05-01"
    )
    assert blind == []


def test_a_change_the_issue_names_points_at_the_files_it_changed() -> None:
    commits = _history()
    commits[1] = replace(commits[1], message="Adam: honour amsgrad with sparse gradients (#77)")
    code_map = make_code_map()
    index = build_index(code_map, commits=commits)
    issue = make_issue(5, "Training diverges since #77", "The loss is NaN after one step.")
    matches = map_issue_to_modules(issue, code_map, LABELS, index=index)
    assert matches[0].name == "tinyml.optim.adam"
    assert matches[0].evidence[0] == (
        "the issue names #77, merged as commit bbbbbbbbb "
        "('Adam: honour amsgrad with sparse gradients (#77)'), which changed it"
    )
    blind = replace(DEFAULT_SIGNALS, named=0.0)
    without = map_issue_to_modules(issue, code_map, LABELS, index=index, signals=blind)
    assert "tinyml.optim.adam" not in {m.name for m in without}


def test_graph_neighbours_of_a_strong_match_follow_it() -> None:
    code_map = make_code_map()
    issue = make_issue(3, "Crash", 'File "/x/tinyml/optim/adam.py", line 3, in step\nKeyError')
    with_graph = map_issue_to_modules(issue, code_map, LABELS, limit=10)
    names = {m.name: m for m in with_graph}
    assert with_graph[0].name == "tinyml.optim.adam"
    assert "tinyml.optim.optimizer" in names
    assert any(
        e.startswith("imports tinyml.optim.adam") or "tinyml.optim.adam" in e
        for e in names["tinyml.optim.optimizer"].evidence
    )
    without = map_issue_to_modules(
        issue, code_map, LABELS, limit=10, signals=replace(DEFAULT_SIGNALS, graph=0.0)
    )
    assert "tinyml.optim.optimizer" not in {m.name for m in without}


def test_exact_evidence_outranks_resemblance() -> None:
    code_map = make_code_map()
    index = build_index(code_map, fields=_fields(), commits=_history())
    issue = make_issue(
        4,
        "Sampler seed and Adam",
        'File "/x/tinyml/linalg/decomp.py", line 9, in svd\nValueError',
    )
    matches = map_issue_to_modules(issue, code_map, LABELS, index=index)
    assert matches[0].name == "tinyml.linalg.decomp"
    assert all(m.score <= matches[0].score / 1.5 for m in matches[1:])


# --------------------------------------------------------------------------- app index
def _commit(author: str, date: str, message: str, writes: dict[str, str]) -> HistoryCommit:
    """A commit of a small repository's history, by `author` (a@example.com for "A")."""
    return HistoryCommit(
        author_name=author,
        author_email=f"{author.lower()}@example.com",
        date=date,
        message=message,
        writes=writes,
    )


def test_mapping_index_of_a_real_repository_is_cached_by_blob(tmp_path: Path) -> None:

    root = tmp_path / "repo"
    build_repo(
        root,
        [
            _commit(
                "A",
                "2026-01-01T00:00:00Z",
                "Add the loader",
                {
                    "pkg/__init__.py": "",
                    "pkg/loader.py": 'def load():\n    raise OSError("checkpoint shard missing")\n',
                    "tests/test_loader.py": "import pkg.loader\n",
                },
            ),
            _commit(
                "B",
                "2026-02-01T00:00:00Z",
                "Fix resuming from a sharded checkpoint",
                {"pkg/loader.py": 'def load():\n    raise OSError("checkpoint shard missing!")\n'},
            ),
        ],
    )
    from mapfixtures import index_code, map_code
    from prready.paths import resolve_paths

    paths = resolve_paths()
    code_map = map_code("acme/pkg", paths, checkout=root)
    index = index_code(code_map, paths)
    assert index.history is not None and len(index.history.files) == 2
    issue = make_issue(5, "Resume fails", "OSError: checkpoint shard missing")
    matches = map_issue_to_modules(issue, code_map, (), index=index)
    assert matches[0].name == "pkg.loader"
    assert "pkg.tests" not in {m.name for m in matches}
    blobs = {f.path: f.blob for f in list_files(root)}
    with ParseCache(paths.cache_db) as cache:
        stored = cache.load(LEX_SCANNER, [blobs["pkg/loader.py"]])
    assert stored  # a second index reads the fields instead of rescanning
    assert index_code(code_map, paths).lexical.names == index.lexical.names
    # A map that does not know its key (built elsewhere) keys the lexical index
    # on the library files' blob ids instead: the same index.
    unkeyed = replace(code_map, key="")
    assert index_code(unkeyed, paths).lexical.postings == index.lexical.postings


def test_mapping_index_follows_a_changed_file(tmp_path: Path) -> None:
    from mapfixtures import index_code, map_code
    from prready.paths import resolve_paths

    root = tmp_path / "repo"
    first = _commit(
        "A",
        "2026-01-01T00:00:00Z",
        "Add the loader and the saver",
        {
            "pkg/__init__.py": "",
            "pkg/loader.py": "def load():\n    pass\n",
            "pkg/saver.py": "def save():\n    pass\n",
        },
    )
    build_repo(root, [first])
    paths = resolve_paths()
    before = index_code(map_code("acme/pkg", paths, checkout=root), paths)
    assert before.lexical.search({"quantized": 1.0}) == []
    # An uncommitted edit: same HEAD, a new blob.
    (root / "pkg/saver.py").write_text('def save():\n    raise TypeError("quantized tensors")\n')
    after = index_code(map_code("acme/pkg", paths, checkout=root), paths)
    assert [hit[0] for hit in after.lexical.search({"quantized": 1.0})] == ["pkg.saver"]


def test_query_terms_weight_the_title() -> None:
    terms = query_terms("StepLR ignores gamma", "the scheduler, the scheduler, the scheduler")
    assert terms["steplr"] > terms["scheduler"] == 1.0


# --------------------------------------------------------------------------- index storage
def test_fields_scanner_reads_literals_comments_and_names_as_python_does() -> None:
    # The one-pass scanners' edge cases: an escaped quote stays inside its literal, a
    # one-line literal ends at its line, an unclosed docstring runs to the end, `#` inside
    # a string is no comment, `async def` and annotated assignments are names.
    source = (
        b"LIMIT: int = 3\n"
        b"async def fetch_shard():\n"
        b"    x = 'don\\'t retry # quota'  # resumable download\n"
        b'    y = "unterminated\n'
        b"    return x == y\n"
        b"class _Private:\n"
        b'    """Never closed: hidden gradient'
    )
    defs, prose = source_fields(source, "python")
    assert {"limit", "fetch", "shard", "fetchshard", "private"} <= set(dict(defs))
    assert {"x", "y"}.isdisjoint(dict(defs))  # indented assignments are not names
    words = dict(prose)
    assert {"retry", "quota", "resumable", "download", "unterminated", "hidden", "gradient"} <= set(
        words
    )
    assert "return" not in words  # the line after an unterminated literal is code
    # C: a comment marker inside a string is text, an unclosed block comment runs on.
    defs, prose = source_fields(b'auto s = "// not a comment";\n/* open block spills', "cpp")
    assert {"comment", "open", "block", "spill"} <= set(dict(prose))


def test_stored_index_answers_as_built_and_keeps_idf_of_common_terms() -> None:
    # 150 documents: "tensor" is in all of them (beyond the cutoff, so no postings are
    # kept for it, but its IDF is), "mps" in two, "shape" in a third of them.
    docs: dict[str, dict[str, float]] = {}
    for i in range(150):
        doc = {"tensor": 2.0, f"only{i}": 1.0}
        if i % 3 == 0:
            doc["shape"] = 1.0 + i % 4
        if i in (7, 90):
            doc["mps"] = 3.0
        docs[f"m{i:03}"] = doc
    index = BM25Index.build(docs)
    assert "tensor" not in index.postings and index.idf("tensor") > 0
    assert index.idf("tensor") < index.idf("shape") < index.idf("mps")
    query = {"tensor": 1.0, "mps": 2.0, "shape": 1.0, "only8": 1.0, "absent": 1.0}
    hits = index.search(query, limit=5)
    assert {h[0] for h in hits[:2]} == {"m007", "m090"}  # the two with the rare word
    assert dict((h[0], h[2]) for h in hits)["m090"] == ["mps", "shape"]  # by gain
    # Against plain BM25 over every term (the skipped common term left out).
    n = len(docs)
    avg = sum(sum(d.values()) for d in docs.values()) / n

    def plain(name: str) -> float:
        doc, total = docs[name], 0.0
        norm = 1.2 * (1 - 0.75 + 0.75 * sum(doc.values()) / avg)
        for term, q in query.items():
            df = sum(term in d for d in docs.values())
            if term in doc and df <= 60:
                idf = round(math.log(1.0 + (n - df + 0.5) / (df + 0.5)), 4)
                total += q * idf * doc[term] * 2.2 / (doc[term] + norm)
        return total

    assert all(abs(h[1] - plain(h[0])) < 1e-9 for h in hits)
    # Through marshal, as the parse cache stores it: the same answers, cold or warm.
    loaded = BM25Index.from_plain(marshal.loads(marshal.dumps(index.to_plain())))
    assert loaded is not None
    assert loaded.search(query, limit=5) == hits
    assert loaded.idf("tensor") == index.idf("tensor")
    assert dict(loaded.postings.items()) == dict(index.postings.items())
    assert index.search(query, limit=5, with_terms=False) == [(h[0], h[1], []) for h in hits]


def test_stale_or_damaged_stored_indexes_are_not_used() -> None:
    index = BM25Index.build({"a": {"mps": 1.0, "x": 1.0}, "b": {"x": 2.0, "odd\nterm": 1.0}})
    plain = index.to_plain()
    assert isinstance(plain[2], tuple)  # a term with a newline: the terms stay a tuple
    loaded = BM25Index.from_plain(marshal.loads(marshal.dumps(plain)))
    assert loaded is not None and loaded.search({"odd\nterm": 1.0})[0][0] == "b"
    # An older format (before packing), another tag, cut byte strings: a cache miss.
    assert BM25Index.from_plain((["a"], {"mps": (b"", b"")}, {"mps": 1.0})) is None
    assert BM25Index.from_plain(("bm25:2", *plain[1:])) is None
    assert BM25Index.from_plain((*plain[:4], plain[4][:-1], *plain[5:])) is None
    assert BM25Index.from_plain((*plain[:3], plain[3][:-4], *plain[4:])) is None
    # Document ids out of range in one term's run: that term has no postings, the rest
    # of the index answers.
    good = BM25Index.build({"a": {"mps": 1.0}, "b": {"rpc": 1.0}}).to_plain()
    ids = array("i", good[4])
    ids[good[2].split("\n").index("mps")] = 99
    damaged = BM25Index.from_plain((*good[:4], ids.tobytes(), *good[5:]))
    assert damaged is not None
    assert damaged.search({"mps": 1.0}) == []
    assert damaged.search({"rpc": 1.0})[0][0] == "b"


def test_damaged_lexical_rows_are_scanned_again(tmp_path: Path) -> None:
    from mapfixtures import index_code, map_code
    from prready.paths import resolve_paths

    root = tmp_path / "repo"
    build_repo(
        root,
        [
            _commit(
                "A",
                "2026-01-01T00:00:00Z",
                "Add the saver",
                {
                    "pkg/__init__.py": "",
                    "pkg/saver.py": 'def save():\n    raise TypeError("quantized tensors")\n',
                },
            )
        ],
    )
    paths = resolve_paths()
    code_map = replace(map_code("acme/pkg", paths, checkout=root), key="")
    cold = index_code(code_map, paths)
    blob = {f.path: f.blob for f in list_files(root)}["pkg/saver.py"]
    with ParseCache(paths.cache_db) as cache:
        row = cache.load(LEX_SCANNER, [blob])[blob]
        # Counts that do not match the terms (a damaged row); the whole index dropped.
        cache.save(LEX_SCANNER, {blob: (row[0], row[1] + b"\x01", row[2], row[3])})
        cache.conn.execute("DELETE FROM parse_snapshots WHERE key LIKE 'lexical:%'")
        cache.conn.commit()
    rebuilt = index_code(code_map, paths)
    assert rebuilt.lexical.search({"quantized": 1.0}) == cold.lexical.search({"quantized": 1.0})
    assert [h[0] for h in rebuilt.lexical.search({"quantized": 1.0})] == ["pkg.saver"]
    with ParseCache(paths.cache_db) as cache:
        assert cache.load(LEX_SCANNER, [blob])[blob] == row  # rewritten as scanned


def test_graph_clues_read_a_restored_map_without_building_its_graph(tmp_path: Path) -> None:
    from prready.analysis.snapshot import adjacency, code_map_from_plain, code_map_to_plain

    code_map = make_code_map()
    restored = code_map_from_plain(code_map_to_plain(code_map))
    assert restored is not None and "_pending_graph" in restored.__dict__
    successors, predecessors = adjacency(restored)
    assert "_pending_graph" in restored.__dict__  # still not built
    graph = code_map.graph
    assert {n: set(successors[n]) for n in graph} == {n: set(graph.succ[n]) for n in graph}
    assert {n: set(predecessors[n]) for n in graph} == {n: set(graph.pred[n]) for n in graph}
    issue = make_issue(9, "svd is slow", "tinyml.linalg.decomp.svd takes minutes")
    built = map_issue_to_modules(issue, code_map, LABELS, index=build_index(code_map))
    lazy = map_issue_to_modules(issue, restored, LABELS, index=build_index(restored))
    assert [(m.name, m.score, m.evidence) for m in lazy] == [
        (m.name, m.score, m.evidence) for m in built
    ]
    assert any("import" in e for m in built for e in m.evidence)  # graph clues were used


def test_history_read_in_a_thread_or_not_gives_the_same_index(tmp_path: Path) -> None:
    """The history index and the commits closing issues, built in the reading thread (as
    while a map is assembled) or in the caller's, from the map's commit's history."""
    from prready.analysis.history import build_history, closing_commits
    from prready.app.retrieval import _history_to_plain, _HistoryRead, recent_commits

    root = tmp_path / "repo"
    build_repo(
        root,
        [
            _commit("A", "2026-01-01T00:00:00Z", "Add the loader", {"pkg/loader.py": "x = 1\n"}),
            _commit(
                "B",
                "2026-02-01T00:00:00Z",
                "Fix the loader\n\nFixes #7",
                {"pkg/loader.py": "x = 2\n"},
            ),
        ],
    )
    head = git("rev-parse", "HEAD", cwd=root).strip()
    commits = recent_commits(root)
    assert [c.files for c in commits] == [["pkg/loader.py"], ["pkg/loader.py"]]
    expected = (
        _history_to_plain(build_history(commits, repo="o/r")),
        closing_commits(commits, "o/r"),
    )
    assert expected[0] != () and 7 in expected[1]
    threaded = _HistoryRead(root, head, "o/r")
    threaded.start()  # as while the lexical index is built
    history, closing = threaded.result()
    assert (_history_to_plain(history), closing) == expected
    history, closing = _HistoryRead(root, head, "o/r").result()
    assert (_history_to_plain(history), closing) == expected
    # Another commit later: the map's commit still gives its own history.
    commit_files(root, {"pkg/loader.py": "x = 3\n"}, "Rewrite the loader")
    history, closing = _HistoryRead(root, head, "o/r").result()
    assert (_history_to_plain(history), closing) == expected
    assert len(recent_commits(root)) == 3


def test_a_history_read_that_failed_can_be_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prready.app.retrieval as retrieval

    root = tmp_path / "repo"
    build_repo(root, [_commit("A", "2026-01-01T00:00:00Z", "Add", {"pkg/a.py": "x = 1\n"})])
    head = git("rev-parse", "HEAD", cwd=root).strip()
    read, failures = retrieval.recent_commits, [OSError("git died")]

    def once(root: Path, head: str = "") -> list:  # type: ignore[type-arg]
        if failures:
            raise failures.pop()
        return read(root, head)

    monkeypatch.setattr(retrieval, "recent_commits", once)
    reading = retrieval._HistoryRead(root, head, "o/r")
    with pytest.raises(OSError):
        reading.result()
    history, _ = reading.result()
    assert history is not None and list(history.titles.values()) == ["Add"]
