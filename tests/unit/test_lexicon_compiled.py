"""The C speed-up (`prready._lexscan`, src/prready/_lexscan.c) gives exactly what the
Python passes give: the same packed fields, term counts in the same order, and the same
words kept in the memo, on text built to break a hand-written scanner (quotes left open,
escapes before line ends, comment markers in literals, runs too long for one identifier
or starting with digits, non-ASCII bytes) and on every identifier shape.

The speed-up is built by the install (hatch_build.py). Without a C compiler it is left out,
lexicon runs the Python passes and these tests skip (in CI, where a skip fails, it must be
built). The torch and PyTorch trees' files are compared in
tests/system/test_lexicon_compiled_trees.py."""

from __future__ import annotations

import string
from array import array
from collections import Counter
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prready.analysis import lexicon
from prready.analysis.evidence import _token_words, words_as_written
from prready.analysis.lexicon import (
    IDENTIFIER,
    MAX_SCAN_BYTES,
    STOPWORDS,
    _split,
    _term_fields,
    split_identifier,
)

compiled = lexicon._compiled
if compiled is None:  # (in CI a skip fails: there the install must build it)
    pytest.skip(
        "prready._lexscan is not built (no C compiler at install: pip install -e . again)",
        allow_module_level=True,
    )

Memo = dict[str, tuple[str, ...]]


def both(head: bytes, python: bool, names: str = "") -> tuple[tuple[object, ...], Memo, Memo]:
    """The fields the Python passes and the C module give, and the memo each leaves."""
    in_python: Memo = {}
    in_c: Memo = {}
    expected = _term_fields(names, head, python, in_python, compiled=None)
    got = _term_fields(names, head, python, in_c, compiled=compiled)
    return (expected, got), in_python, in_c


def assert_same(head: bytes, python: bool, names: str = "") -> None:
    (expected, got), in_python, in_c = both(head, python, names)
    assert got == expected
    assert in_c == in_python
    prose = (lexicon._PY_PROSE if python else lexicon._C_PROSE).findall(head)
    reference = lexicon._count_prose(b" ".join(prose), {})
    counts = compiled.prose_counts(head, python, {}, _split, STOPWORDS)
    assert list(counts.items()) == list(reference.items())  # the same order, before the top


EDGES = [
    b"",
    b"'''",
    b"''''",
    b"'''a''' b '''",
    b'"""doc""""x"',
    b"x = ''\n",
    b"s = 'it\\'s' + \"a\\\nb\" # tail\\",
    b"s = 'line_one\\\n still'\n",
    b"# only a comment",
    b"'\\",
    b"'unclosed_single\nnext_line",
    b'"""unclosed_triple\n all_to_the_end',
    b"#" * 10 + b"'" * 7 + b'"' * 5,
    b"# 9lives 2d_conv x86_64 " + b"a" * 200 + b"9" + b"B" * 90 + b" __ _1 _a_",
    "# café_name naïve \xe2\x82\xac".encode() + b"\xff\xfe bad_bytes\n",
]
EDGES_C = [
    b"/*/ still_comment */ after",
    b"/**/ a_b /* unclosed_block",
    b"// line_comment\n'\"' char_quote \" string_end",
    b'"esc\\"aped" "\\\nbroken" x / y * z',
    b"/",
    b"/*",
    b'"',
    b'int f() { return g("Msg_One %d", 0x1Fu); } // TODO(fix_it)',
]


@pytest.mark.parametrize("head", EDGES, ids=range(len(EDGES)))
def test_python_edges_give_the_python_passes_fields(head: bytes) -> None:
    assert_same(head, True)


@pytest.mark.parametrize("head", EDGES_C, ids=range(len(EDGES_C)))
def test_c_edges_give_the_python_passes_fields(head: bytes) -> None:
    assert_same(head, False)


# Bytes drawn mostly from what the scanners react to.
SCANNER_BYTES = st.lists(
    st.one_of(
        st.sampled_from(
            [b"'", b'"', b"'''", b'"""', b"#", b"\\", b"\n", b"/", b"*", b"//", b"/*", b"*/"]
        ),
        st.sampled_from([b" ", b"_", b"9", b"x", b"Ab", b"HTTPServer", b"data_loader", b"es"]),
        st.binary(min_size=1, max_size=3),
    ),
    max_size=60,
).map(b"".join)


@settings(max_examples=400, deadline=None)
@given(SCANNER_BYTES, st.booleans())
def test_any_bytes_give_the_python_passes_fields(head: bytes, python: bool) -> None:
    assert_same(head, python)


IDENTIFIERS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,90}", fullmatch=True)
# Shapes the splitter treats apart: snake, UPPER, Capitalised, camelCase, acronyms, digits,
# stems (ies, ches, sses, ing with a doubled consonant), stopwords.
_PIECES = "_ __ a B x1 42 HTTP Server parties matches boxes class status basis running Padding"
PIECES = st.sampled_from([*_PIECES.split(), "the", "Does", "IO", "lr", "LR", "Step"])
SHAPED = st.lists(PIECES, min_size=1, max_size=8).map("".join).filter(IDENTIFIER.fullmatch)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(IDENTIFIERS, SHAPED), min_size=1, max_size=6))
def test_identifiers_split_as_split_identifier_splits_them(tokens: list[str]) -> None:
    counts = Counter(tokens)
    memo: Memo = {}
    added = compiled.add_up(dict(counts), memo, _split, STOPWORDS)
    expected: dict[str, int] = {}
    for token, n in counts.items():
        for word in split_identifier(token):
            expected[word] = expected.get(word, 0) + n
    assert list(added.items()) == list(expected.items())
    for token in counts:
        assert memo[token] == split_identifier(token)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(IDENTIFIERS, SHAPED, st.sampled_from([" ", ".", "\n", "é", "名前"]))),
    st.lists(IDENTIFIERS, max_size=3),
)
def test_an_issues_words_are_found_as_the_python_passes_find_them(
    pieces: list[str], known: list[str]
) -> None:
    text = " ".join(pieces)
    in_python: Memo = {token: split_identifier(token) for token in known}
    in_c = dict(in_python)
    expected = list(lexicon._distinct_words(text, in_python, compiled=None))
    assert list(lexicon._distinct_words(text, in_c, compiled=compiled)) == expected
    assert in_c == in_python


def test_every_two_letter_and_some_longer_shapes_split_alike() -> None:
    letters = "aAsSiI_9eEgGz"
    tokens = [a + b for a in string.ascii_letters + "_" for b in letters]
    tokens += [a + b + c for a in "sSxX_" for b in letters for c in letters]
    tokens += ["ies" * 3, "runnings", "ABCdef", "abcDEF", "aBc_dEf_GHI", "x" * 81, "_" * 81]
    memo: Memo = {}
    compiled.add_up(dict.fromkeys(tokens, 1), memo, _split, STOPWORDS)
    assert {t: memo[t] for t in tokens} == {t: split_identifier(t) for t in tokens}


def test_a_memo_entry_is_taken_as_it_is() -> None:
    # Whatever a caller's memo holds for a token is what gets added up, as in Python.
    memo: Memo = {"data_loader": ("kept",)}
    assert compiled.add_up({"data_loader": 3}, memo, _split, STOPWORDS) == {"kept": 3}


def test_names_and_prose_together_with_a_shared_memo() -> None:
    names = " ".join(["StepLR", "prepare_data_loader", "HTTPServer", "x86_64", "café_bar"])
    head = b"# StepLR schedules the learning rate\n'''prepare_data_loader docs'''\n"
    assert_same(head, True, names)


def test_the_top_terms_keep_the_first_seen_of_equal_counts() -> None:
    counts = {f"w{i:04d}": 1 + (i % 3) for i in range(900)}
    for limit in (0, 1, 400, 899, 900, 1000):
        assert compiled.top(counts, limit) == lexicon._top(counts, limit)


def test_text_past_the_scan_limit_is_the_callers_to_cut() -> None:
    head = (b"# word " * (MAX_SCAN_BYTES // 7)) + b"'unclosed"
    assert_same(head[:MAX_SCAN_BYTES], True)


def test_top_keeps_what_a_slice_keeps_and_refuses_what_python_would() -> None:
    counts = {"a": 3, "b": 2, "c": 1}
    for limit in (-5, -1, 0, 2, 3):
        assert compiled.top(counts, limit) == lexicon._top(counts, limit)
    with pytest.raises(ValueError):  # bytes(...) refuses a negative count too
        compiled.top({"a": -1}, 5)


def test_counts_beyond_64_bits_raise_instead_of_wrapping() -> None:
    with pytest.raises(OverflowError):
        compiled.add_up(Counter({"data_data": 2**62}), {}, _split, STOPWORDS)


def test_wrong_arguments_raise_instead_of_crashing() -> None:
    with pytest.raises(TypeError):
        compiled.prose_counts(b"# x", True, [], _split, STOPWORDS)
    with pytest.raises(TypeError):
        compiled.prose_counts(b"# x", True, {}, _split, set(STOPWORDS))
    with pytest.raises(TypeError):  # a memo entry that is not a tuple of words
        compiled.add_up({"abc": 1}, {"abc": "abc"}, _split, STOPWORDS)
    with pytest.raises(TypeError):
        compiled.top({1: 2}, 5)
    with pytest.raises(TypeError):  # (a count's __index__ could change the dict meanwhile)
        compiled.top({"a": 2.0}, 5)
    with pytest.raises(TypeError):
        compiled.add_up({b"abc_def" * 40: 1}, {}, _split, STOPWORDS)
    with pytest.raises(ValueError):  # a split that fails passes its error on
        compiled.add_up({"é": 1}, {}, _failing_split, STOPWORDS)


def _failing_split(token: str, splits: Memo) -> tuple[str, ...]:
    raise ValueError(token)


# BM25 documents: terms from a small vocabulary, term frequencies as unit_terms gives them
# (small sums of field weights); with `common` in every document and in a tenth of the
# paths, so that with enough documents it keeps postings for its paths only.
DOCS = st.lists(
    st.dictionaries(st.sampled_from([f"t{i}" for i in range(40)]), st.integers(1, 30)),
    max_size=90,
)


@settings(max_examples=150, deadline=None)
@given(DOCS, st.sampled_from([0.05, 0.3, 1.0]), st.booleans())
def test_the_postings_are_laid_out_as_the_python_build_lays_them(
    terms: list[dict[str, int]], max_df: float, with_paths: bool
) -> None:
    docs = {
        f"pkg/f{i % 4}/m{i}.py": {**d, "common": 1, f"f{i % 4}": 3} for i, d in enumerate(terms)
    }
    paths = {n: [n.split("/")[1], *(["common"] if i % 10 == 0 else [])] for i, n in enumerate(docs)}
    kept_paths = paths if with_paths else None
    built = lexicon.BM25Index.build(docs, max_df=max_df, paths=kept_paths, compiled=compiled)
    expected = lexicon.BM25Index.build(docs, max_df=max_df, paths=kept_paths, compiled=None)
    assert repr(built.to_plain()) == repr(expected.to_plain())  # (values and order)


def test_a_term_kept_for_its_paths_only_is_laid_out_as_in_python() -> None:
    docs = {
        f"pkg/f{i % 4}/m{i}.py": {"common": 1, f"f{i % 4}": 3, f"t{i % 7}": 2} for i in range(90)
    }
    paths = {n: [n.split("/")[1], *(["common"] if i % 10 == 0 else [])] for i, n in enumerate(docs)}
    built = lexicon.BM25Index.build(docs, paths=paths, compiled=compiled)
    assert list(built.idfs.in_paths) == ["common"]  # (each f0..f3 is in a quarter: kept)
    in_path = sorted(n for n, terms in paths.items() if "common" in terms)
    assert [built.names[d] for d in built.postings["common"]] == in_path
    expected = lexicon.BM25Index.build(docs, paths=paths, compiled=None)
    assert repr(built.to_plain()) == repr(expected.to_plain())  # (values and order)


def test_postings_that_do_not_fit_raise_instead_of_writing_past_the_arrays() -> None:
    docs: list[dict[str, float]] = [{"a": 1.0, "b": 2.0}, {"a": 3.0}]
    position = {"a": 0, "b": 1}
    fitting = compiled.postings(docs, position, set(), [], [1.0, 1.0], 2.2, array("i", [0, 2, 3]))
    assert array("i", fitting[0]).tolist() == [0, 1, 0]
    # Starts that fall, go below 0, start past 0 or end before a run: checked before any
    # posting is written (none may land outside the arrays or leave a slot unwritten).
    for starts in (
        [0, 1, 3],
        [0, 2, 2],
        [0, 2, 4],
        [0],
        [0, 64, 1],
        [-100, 1, 1],
        [0, 8, 0],
        [1, 3, 4],
    ):
        with pytest.raises(ValueError):
            compiled.postings(docs, position, set(), [], [1.0, 1.0], 2.2, array("i", starts))
    with pytest.raises(KeyError):  # a path term the document does not hold
        compiled.postings(
            docs, position, {"b"}, [[], ["b"]], [1.0, 1.0], 2.2, array("i", [0, 2, 3])
        )
    with pytest.raises(ValueError):  # a norm per document
        compiled.postings(docs, position, set(), [], [1.0], 2.2, array("i", [0, 2, 3]))


# A unit's stored fields: defined-name and prose terms (a term may come twice, as in a
# damaged row whose counts still line up) with counts 1..5, or no fields; its path words.
FIELD = st.lists(
    st.tuples(st.sampled_from([f"t{i}" for i in range(30)] + ["common", "f0"]), st.integers(1, 5)),
    max_size=12,
)
UNITS = st.lists(
    st.tuples(
        st.one_of(st.none(), st.tuples(FIELD, FIELD)),
        st.lists(st.sampled_from(["pkg", "f0", "f1", "common", "t3", "nn"]), max_size=4),
    ),
    max_size=90,
)


def packed(pairs: list[tuple[str, int]]) -> lexicon.PackedTerms:
    return lexicon.PackedTerms([t for t, _ in pairs], bytes(n for _, n in pairs))


@settings(max_examples=200, deadline=None)
@given(UNITS, st.sampled_from([0.05, 0.3, 1.0]))
def test_an_index_from_fields_is_the_one_built_from_unit_terms(
    drawn: list[tuple[tuple[list[tuple[str, int]], list[tuple[str, int]]] | None, list[str]]],
    max_df: float,
) -> None:
    """The term ids' count and layout in C (`term_table`, `postings_by_id`) give the index
    `build` gives over `unit_terms` documents: terms, IDFs, postings, in the same order."""
    units = {
        f"u{i:02}": (None if f is None else (packed(f[0]), packed([*f[1], ("common", 1)])), w)
        for i, (f, w) in enumerate(drawn)
    }
    built = lexicon.BM25Index.from_fields(units, max_df=max_df, compiled=compiled)
    docs = {
        name: lexicon.unit_terms("", *(fields or ((), ())), path_words=words)
        for name, (fields, words) in units.items()
    }
    paths = {name: words for name, (_, words) in units.items()}
    expected = lexicon.BM25Index.build(docs, max_df=max_df, paths=paths, compiled=None)
    assert repr(built.to_plain()) == repr(expected.to_plain())  # (values and order)
    assert repr(lexicon.BM25Index.from_fields(units, max_df=max_df, compiled=None).to_plain()) == (
        repr(expected.to_plain())
    )


def test_an_index_from_fields_keeps_a_term_for_its_paths_only_as_build_does() -> None:
    units = {
        f"u{i:02}": (
            (packed([(f"t{i % 7}", 2)]), packed([("common", 1), (f"f{i % 4}", 3)])),
            [f"f{i % 4}", *(["common"] if i % 10 == 0 else [])],
        )
        for i in range(90)
    }
    built = lexicon.BM25Index.from_fields(units, compiled=compiled)
    assert list(built.idfs.in_paths) == ["common"]
    in_path = [f"u{i:02}" for i in range(0, 90, 10)]
    assert [built.names[d] for d in built.postings["common"]] == in_path
    expected = lexicon.BM25Index.from_fields(units, compiled=None)
    assert repr(built.to_plain()) == repr(expected.to_plain())


def test_term_tables_refuse_what_they_cannot_read() -> None:
    def table(docs: object) -> object:
        return compiled.term_table(docs, 1, 2, 3)

    assert table([]) == ([], b"", [], bytes(8), b"", b"")
    for docs, error in (
        ([("x", [])], TypeError),  # fields neither None nor a 4-tuple
        ([(None, "ab")], TypeError),  # path words not a list
        ([(None, [1])], TypeError),  # a term that is no str
        ([((["a"], b"\1\1", [], b""), [])], ValueError),  # terms and counts differ
        ([(("a", b"\1", [], b""), [])], TypeError),  # terms not a list
        ([None], TypeError),
    ):
        with pytest.raises(error):
            table(docs)
    with pytest.raises(ValueError):
        compiled.term_table([], -1, 2, 3)
    terms, df, lengths, offsets, ids, tfs = table(
        [((["a", "b"], b"\1\2", ["a", "a"], b"\1\3"), ["a", "c"]), (None, ["c"])]
    )
    # prose first (a dict from pairs: the last of a term's counts), then names, then path.
    assert terms == ["a", "b", "c"] and array("i", df).tolist() == [1, 1, 2]
    assert array("q", tfs).tolist() == [3 + 2 + 3, 4, 3, 3] and lengths == [15, 3]
    assert array("q", offsets).tolist() == [0, 3, 4] and array("i", ids).tolist() == [0, 1, 2, 2]


def test_postings_by_id_check_their_arguments_before_writing() -> None:
    _, _, _, offsets, ids, tfs = compiled.term_table([(None, ["a", "b"]), (None, ["a"])], 1, 2, 3)
    norms = [1.0, 1.0]

    def lay(order: list[int], starts: list[int], **kw: object) -> object:
        args = {"n": 2, "offsets": offsets, "ids": ids, "tfs": tfs, "only": b"", "in_path": []}
        args.update(kw)
        return compiled.postings_by_id(
            args["n"], args["offsets"], args["ids"], args["tfs"], array("i", order),
            args["only"], args["in_path"], norms, 2.2, array("i", starts),
        )  # fmt: skip

    laid = lay([0, 1], [0, 2, 3])
    assert array("i", laid[0]).tolist() == [0, 1, 0]  # type: ignore[index]
    for order, starts, kw in (
        ([0, 1], [0, 1, 3], {}),  # a run too short
        ([0, 1], [0, 2, 4], {}),  # one too long: a slot left unwritten
        ([0, 0], [0, 2, 3], {}),  # an id twice
        ([0, 5], [0, 2, 3], {}),  # an id past the terms
        ([0, 1], [1, 3, 4], {}),  # starts not from 0
        ([0, 1], [0, 2], {}),  # starts of another length
        ([0, 1], [0, 2, 3], {"n": 1}),  # ids past the terms' count
        ([0, 1], [0, 2, 3], {"offsets": array("q", [0, 9, 3]).tobytes()}),
        ([0, 1], [0, 2, 3], {"offsets": array("q", [0, 3]).tobytes()}),
        ([0, 1], [0, 2, 3], {"only": b"\1"}),  # a mask of another length
        ([0, 1], [0, 2, 3], {"only": b"\0\1", "in_path": [[]]}),  # in_path of another length
        ([0, 1], [0, 2, 3], {"tfs": memoryview(b"\0" + bytes(tfs))[1:]}),  # unaligned
    ):
        with pytest.raises(ValueError):
            lay(order, starts, **kw)
    with pytest.raises(KeyError):  # a path term the document does not hold
        lay([0, 1], [0, 2, 3], only=b"\0\1", in_path=[[1], [1]])
    with pytest.raises(TypeError):
        lay([0, 1], [0, 2, 3], only=b"\0\1", in_path=[[1], 1])


QUERIES = st.dictionaries(
    st.sampled_from([*(f"t{i}" for i in range(44)), "common", "f0", "f1"]),
    st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0, 3.0]),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(DOCS, QUERIES, st.sampled_from([1, 2, 5, 200]), st.booleans())
def test_a_search_finds_what_the_numpy_search_finds(
    terms: list[dict[str, int]], query: dict[str, float], limit: int, with_terms: bool
) -> None:
    docs = {f"pkg/f{i % 4}/m{i}.py": {**d, "common": 1} for i, d in enumerate(terms)}
    paths = {n: ["common"] if i % 10 == 0 else [] for i, n in enumerate(docs)}
    index = lexicon.BM25Index.build(docs, max_df=0.4, paths=paths)
    for max_df in (None, 1.0):
        expected, got = (
            index.search(query, limit=limit, max_df=max_df, with_terms=with_terms, compiled=c)
            for c in (None, compiled)
        )
        assert repr(got) == repr(expected)  # the same documents, scores and terms, in order
    names = [*docs][::3]
    expected_terms = index.matched_terms(query, names, compiled=None)
    assert index.matched_terms(query, names, compiled=compiled) == expected_terms


TEXTS = st.lists(
    st.one_of(IDENTIFIERS, SHAPED, st.sampled_from([" ", ".", "\n", "é", "名前", "x_1", "_"]))
)


@settings(max_examples=300, deadline=None)
@given(TEXTS, TEXTS, st.lists(st.sampled_from(["siz", "pad", "x", "http", "zzz"]), max_size=3))
def test_the_words_an_issue_wrote_are_found_as_the_python_walk_finds_them(
    title: list[str], body: list[str], extra: list[str]
) -> None:
    title_text, body_text = " ".join(title), " ".join(body)
    tokens = IDENTIFIER.findall(f"{title_text}\n{body_text}")
    words = [_token_words(token) for token in tokens[::2]]
    terms = {*extra, *(c for c, _ in words if c), *(t for _, pairs in words for t, _ in pairs)}
    in_python: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
    in_c: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {}
    expected = words_as_written(terms, title_text, body_text, in_python, compiled=None)
    got = words_as_written(terms, title_text, body_text, in_c, compiled=compiled)
    assert list(got.items()) == list(expected.items())
    assert in_c == in_python


def test_a_search_ranks_equal_scores_by_document_and_keeps_the_limit() -> None:
    docs = {f"m{i:02}": {"same": 1, f"own{i % 3}": 1} for i in range(30)}  # (one length)
    index = lexicon.BM25Index.build(docs, max_df=1.0)
    hits = index.search({"same": 1.0}, limit=7, compiled=compiled)
    assert [name for name, _, _ in hits] == [f"m{i:02}" for i in range(7)]
    assert len({score for _, score, _ in hits}) == 1
    hits = index.search({"same": 1.0, "own2": 1.0}, limit=4, compiled=compiled)
    assert [name for name, _, _ in hits] == ["m02", "m05", "m08", "m11"]
    assert index.search({"same": 1.0}, limit=7, compiled=compiled) == index.search(
        {"same": 1.0}, limit=7, compiled=None
    )


def test_a_damaged_run_adds_nothing_instead_of_reading_past_the_arrays() -> None:
    ids, weights = array("i", [0, 1, 7, 1]), array("d", [1.0, 2.0, 4.0, 0.5])
    # ids 0..1 in range for two documents; the run [2, 3) names document 7.
    assert compiled.best(ids, weights, 2, [(0, 2, 1.0)], 5) == [(1, 2.0), (0, 1.0)]
    for run in ((2, 3, 1.0), (1, 9, 1.0), (-1, 2, 1.0), (3, 1, 1.0)):
        assert compiled.best(ids, weights, 2, [run, (3, 4, 2.0)], 5) == [(1, 1.0)]
    assert compiled.best(ids, weights, 2, [(0, 2, 1.0)], 0) == []
    with pytest.raises(ValueError):  # ids and weights of different lengths
        compiled.best(ids, array("d", [1.0]), 2, [(0, 1, 1.0)], 5)
    with pytest.raises(TypeError):  # a run is (start, stop, factor)
        compiled.best(ids, weights, 2, [(0, 1)], 5)
    # The gains of a damaged run are none either; each document's are in the runs' order.
    runs = [(2, 3, 1.0), (0, 2, 2.0), (3, 4, 4.0)]
    assert compiled.gains(ids, weights, 2, runs, [1, 0]) == [[(-4.0, 1), (-2.0, 2)], [(-2.0, 1)]]
    with pytest.raises(ValueError):  # a document out of range
        compiled.gains(ids, weights, 2, runs, [2])
    # A query's runs: a position past the starts counts for nothing (no read past them).
    starts = array("i", [0, 2, 4])
    found = compiled.query_runs({"a": 1.0, "b": 2.0}, {"a": 1, "b": 7}, starts, 5, {}, {}, float)
    assert found == ([(2, 4, 2.0)], ["a"])

    # Python code run mid-walk (a factor's __float__, the IDF callback) that empties what is
    # walked ends the walk; nothing is read from what it dropped.
    class Clearing:
        def __float__(self) -> float:
            walked.clear()
            return 1.0

    walked: list[object] = [(0, 2, Clearing()), (0, 2, 1.0)]
    assert compiled.best(ids, weights, 2, walked, 5) == [(1, 2.0), (0, 1.0)]
    query = {"a": 1.0, "b": 1.0}

    def idf_clearing(df: int) -> float:
        query.clear()
        return 3.0

    assert compiled.query_runs(query, {"a": 0, "b": 1}, starts, 5, {}, {}, idf_clearing) == (
        [(0, 2, 3.0)],
        ["a"],
    )
    with pytest.raises(TypeError):  # a memo entry that is not (compound, pairs)
        compiled.as_written({"ab": None}, {"ab"}, {"ab": ("ab",)}, _token_words)
    with pytest.raises(TypeError):
        compiled.as_written({"ab": None}, {"ab"}, {"ab": ("", (("ab",),))}, _token_words)


def test_hostile_arguments_raise_or_count_for_nothing_as_in_python() -> None:
    """What a review with ASan, UBSan and fuzzing found in the search functions, each now
    answered as Python answers it, or with an exception, never by reading out of bounds."""
    ids, weights = array("i", [0, 1]), array("d", [1.0, 1.0])
    starts = array("i", [0, 2, 4])
    # A term's position at the end of Py_ssize_t: no read before the starts.
    assert compiled.query_runs({"a": 1.0}, {"a": 2**63 - 1}, starts, 5, {}, {}, float) == ([], [])

    # A path-only IDF whose truth is Python code that drops it from its dict.
    class Dropping:
        def __bool__(self) -> bool:
            del in_paths["a"]
            return True

        def __mul__(self, other: float) -> float:
            return 7.0

    in_paths: dict[str, object] = {"a": Dropping()}
    found = compiled.query_runs({"a": 1.0}, {"a": 0}, starts, 5, in_paths, {}, float)
    assert found == ([(0, 2, 7.0)], ["a"])
    # A run past the arrays counts for nothing on both sides.
    doc_ids, doc_weights = array("i", [0, 1, 0]), array("d", [1.0, 2.0, 3.0])
    past = lexicon.PackedPostings(["x"], array("i", [0, 5]), doc_ids, doc_weights, 2)
    assert compiled.best(doc_ids, doc_weights, 2, [(0, 5, 1.0)], 5) == []
    assert lexicon._best_in_numpy(past, [(0, 5, 1.0)], 5) == []
    assert past.run("x") == {}
    # A run naming a document twice: its last weight, as a dict of the run keeps it.
    twice = lexicon.PackedPostings(["x"], array("i", [0, 3]), doc_ids, doc_weights, 2)
    assert twice.run("x") == {0: 3.0, 1: 2.0}
    assert compiled.gains(doc_ids, doc_weights, 2, [(0, 3, 1.0)], [0]) == [[(-3.0, 0)]]
    # Buffers that are no whole, aligned items; a run that is no tuple.
    odd = memoryview(b"\0" + ids.tobytes())[1:]
    with pytest.raises(ValueError):
        compiled.best(odd, weights, 2, [(0, 2, 1.0)], 5)
    with pytest.raises(ValueError):
        compiled.gains(ids, memoryview(b"\0" + weights.tobytes())[1:], 2, [], [0])
    with pytest.raises(ValueError):
        compiled.query_runs({"a": 1.0}, {"a": 0}, memoryview(b"\0" + starts.tobytes())[1:],
                            5, {}, {}, float)  # fmt: skip
    with pytest.raises(TypeError):
        compiled.best(ids, weights, 2, [[0, 2, 1.0]], 5)
    with pytest.raises(TypeError):
        compiled.gains(ids, weights, 2, [[0, 2, 1.0]], [0])
    # A weight above zero that no double holds is above zero, as Python compares it.
    tiny = Fraction(1, 10**400)
    assert compiled.query_runs({"a": tiny}, {"a": 0}, starts, 5, {}, {}, float)[1] == ["a"]
    # A memo entry of None is made again, as Python makes it.
    memo: dict[str, object] = {"ab": None}
    assert compiled.as_written({"ab": None}, {"ab"}, memo, _token_words) == {"ab": "ab"}
    assert memo == {"ab": _token_words("ab")}
    # A limit or max_df past any size: the whole index, as in Python.
    docs = {f"d{i}": {"a": 1 + i % 2, "b": 1} for i in range(5)}
    index = lexicon.BM25Index.build(docs, max_df=1.0)
    for kw in ({"limit": 10**20}, {"max_df": 1e30}):
        assert index.search({"a": 1.0}, compiled=compiled, **kw) == index.search(  # type: ignore[arg-type]
            {"a": 1.0},
            compiled=None,
            **kw,  # type: ignore[arg-type]
        )


def regex_names(text: str, python: bool) -> tuple[list[str], list[str]]:
    return lexicon.defined_names(text, python, compiled=None)


def test_the_name_passes_find_what_the_patterns_find_on_built_lines() -> None:
    from test_lexicon_extraction import C_DECLARATIONS, PY_DEFINITIONS

    for python, lines in ((True, PY_DEFINITIONS), (False, C_DECLARATIONS)):
        texts = [f"\n{indent}{line}" for line in lines for indent in ("", "  ", "\t ")]
        texts.append("\n" + "\n".join(lines * 2))
        for text in texts:
            assert lexicon.defined_names(text, python, compiled) == regex_names(text, python)


NAME_EDGES = [
    "\n",
    "\ndef",
    "\ndef  f",
    "\nasync\tdef g(): pass\nasync def\nasyncdef h",
    "\nclass_ = 1\ndefine = 2\nx == 3\ny =\nz: int = 4\nw: dict[str, int]\n= 5\nv:=6",
    "\nnaïve_fn = 1\ndef café(): pass\n  ñame = 3\nx\u00a0= 4",
    "\n" + "a" * 200 + " = 1\n" + "A" * 90 + "(name)",
    "\nTORCH_IMPL_FUNC(\n\n   add_out)\nREGISTER(" + " " * 81 + "x)\nAB(x )\nABC(x ,",
    "\nstatic " + "w" * 80 + " f(\nstatic " + "w" * 81 + " f(\na b c d e f(\na** &b g (",
    "\n#  define   MACRO_ONE 1\n#define\n# define 9x\nnamespace  at {\nenum class Kind {",
    "\nstd::vector<int> const& get_things(int n);\nvoid* operator new(size_t);",
]


@pytest.mark.parametrize("text", NAME_EDGES, ids=range(len(NAME_EDGES)))
@pytest.mark.parametrize("python", [True, False])
def test_the_name_passes_agree_on_edges(text: str, python: bool) -> None:
    assert lexicon.defined_names(text, python, compiled) == regex_names(text, python)


NAME_TEXT = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "\n",
                " ",
                "\t",
                "def",
                "class",
                "async",
                "struct",
                "enum",
                "namespace",
                "#",
                "define",
                "=",
                "==",
                ":",
                "(",
                ")",
                ",",
                "*",
                "&",
                "<",
                ">",
                "::",
                "\r",
            ]
        ),
        st.sampled_from(["x", "_a1", "Foo", "TORCH_CHECK", "ABC", "é", "ñame", "9", "\u00a0"]),
        st.text(max_size=3),
    ),
    max_size=40,
).map(lambda parts: "\n" + "".join(parts))


@settings(max_examples=500, deadline=None)
@given(NAME_TEXT, st.booleans())
def test_the_name_passes_agree_on_any_text(text: str, python: bool) -> None:
    assert lexicon.defined_names(text, python, compiled) == regex_names(text, python)


def test_postings_by_id_read_their_python_inputs_before_any_check() -> None:
    """What a review with ASan, UBSan and fuzzing found: a norm's `__float__` or a path
    id's `__index__` ran after the buffers and lists were checked, and could shrink a list
    still being read (a read past it, a freed list used) or change `starts` and `offsets`
    the output was sized from (a write past it). Every conversion now runs first."""
    _, _, _, offs, tids, tfs = compiled.term_table([(None, ["a"])] * 64, 1, 2, 3)
    order = array("i", [0])
    starts = bytearray(array("i", [0, 1]).tobytes())  # room for 1 posting of 64

    class Grows:  # widens the run after a check would have seen 1
        def __float__(self) -> float:
            starts[4:8] = array("i", [64]).tobytes()
            return 1.0

    norms: list[object] = [Grows()] + [1.0] * 63
    laid = compiled.postings_by_id(1, offs, tids, tfs, order, b"", [], norms, 2.2, starts)
    assert array("i", laid[0]).tolist() == list(range(64))  # read after it grew: all fit

    class Shrinks:
        def __float__(self) -> float:
            del norms[1:]
            return 1.0

    norms = [Shrinks()] + [1.0] * 63
    with pytest.raises(ValueError):
        compiled.postings_by_id(1, offs, tids, tfs, order, b"", [], norms, 2.2, starts)

    _, _, _, offs2, tids2, tfs2 = compiled.term_table([(None, ["a", "b"])] * 2, 1, 2, 3)

    class Drops:  # frees the list its id is read from, then the outer list's items
        def __index__(self) -> int:
            in_path[0] = None
            in_path[1:] = []
            return 1

    in_path: list[object] = [[Drops(), 1, 1], [1]]
    with pytest.raises((ValueError, TypeError)):
        compiled.postings_by_id(
            2, offs2, tids2, tfs2, array("i", [0, 1]), b"\0\1", in_path, [1.0, 1.0], 2.2,
            array("i", [0, 2, 4]),
        )  # fmt: skip
    offsets = bytearray(offs)

    class Moves:  # an offset past the entries once checks would have passed
        def __float__(self) -> float:
            offsets[8:16] = array("q", [2**20]).tobytes()
            return 1.0

    with pytest.raises(ValueError):
        compiled.postings_by_id(
            1, offsets, tids, tfs, order, b"", [], [Moves()] + [1.0] * 63, 2.2,
            array("i", [0, 64]),
        )  # fmt: skip
    # No more term ids than entries (each is some document's): no 2**31 ranks allocated.
    with pytest.raises(ValueError):
        compiled.postings_by_id(2**31 - 1, bytes(8), b"", b"", b"", b"", [], [], 2.2, bytes(4))
