"""The history index: similar commits, and the changes an issue names (`analysis.history`)."""

from __future__ import annotations

from typing import Any

from prready.analysis.evidence import extract_evidence
from prready.analysis.history import (
    FIXED_SHARE,
    HISTORY_MAX_FILES,
    MAX_NAMED,
    build_history,
    closing_commits,
    named_change_clues,
)
from prready.code_models import CommitRecord

W_NAMED_CHANGE = 0.6
PATHS = {
    "tinyml/optim/adam.py": "tinyml.optim.adam",
    "tinyml/nn/conv.py": "tinyml.nn.conv",
    "tinyml/nn/linear.py": "tinyml.nn.linear",
    "tests/test_optim.py": "tests.test_optim",
}
LIBRARY = {"tinyml.optim.adam", "tinyml.nn.conv", "tinyml.nn.linear"}


def _clues(
    changes: list[str], paths: dict[str, str] = PATHS, library: set[str] = LIBRARY, **kw: Any
) -> list[tuple[str, float, str]]:
    history = build_history(_commits(), repo="o/tinyml")
    assert history is not None
    return list(named_change_clues(changes, history, paths, library, W_NAMED_CHANGE, **kw))


def _commit(sha: str, date: str, files: list[str], message: str) -> CommitRecord:
    return CommitRecord(sha * 40, "Ada", "ada@example.com", date, files, message)


def _commits() -> list[CommitRecord]:
    refactor = [f"tinyml/nn/layer{i}.py" for i in range(HISTORY_MAX_FILES * 4)]
    return [
        # GitHub's squash title names the pull request; its body says which issue it fixes.
        _commit(
            "a",
            "2026-06-03T00:00:00Z",
            ["tinyml/optim/adam.py", "tests/test_optim.py"],
            "Adam: honour amsgrad with sparse gradients (#2628)\n\nFixes #2601",
        ),
        # ghstack's line names it; GitHub's closing keyword as a link.
        _commit(
            "b",
            "2026-06-02T00:00:00Z",
            ["tinyml/nn/conv.py"],
            "[nn] conv: keep the bias dtype\n\nPull Request resolved: "
            "https://github.com/o/tinyml/pull/2630\nCloses https://github.com/o/tinyml/issues/2599",
        ),
        # Too many files for the similar-commit search, still found when named.
        _commit(
            "c",
            "2026-06-01T00:00:00Z",
            ["tinyml/nn/linear.py", *refactor],
            "Move every layer to the new base class (#2500)",
        ),
        # Names no change: kept for the search only.
        _commit("d", "2026-05-01T00:00:00Z", ["tinyml/nn/linear.py"], "Linear: faster init"),
        # Closes a list of issues; another repository's issue is not this one's.
        _commit(
            "e",
            "2026-04-01T00:00:00Z",
            ["tinyml/nn/linear.py"],
            "Linear: init fixes\n\nCloses #12, #13 and #14 #15.\n"
            "Fixes https://github.com/other/lib/issues/55, "
            "resolves https://github.com/o/tinyml/issues/56; closes fork/tinyml#57 and other/lib#58",
        ),
    ]


def test_the_index_reads_the_pull_requests_and_fixed_issues_commits_name() -> None:
    history = build_history(_commits(), repo="o/tinyml")
    assert history is not None
    assert history.pulls == {2628: ["a" * 40], 2630: ["b" * 40], 2500: ["c" * 40]}
    e = ["e" * 40]
    assert history.fixes == {2601: ["a" * 40], 2599: ["b" * 40], 12: e, 13: e, 14: e, 15: e, 56: e, 57: e}
    assert set(history.files) == {"a" * 40, "b" * 40, "c" * 40, "d" * 40, "e" * 40}
    assert "c" * 40 not in history.search.names  # a bulk change is never "similar"
    # A commit's id as written: 7 digits or more, one commit only.
    assert history.commit_named("bbbbbbb") == "b" * 40
    assert history.commit_named("b" * 40) == "b" * 40
    assert history.commit_named("BBBBBBB") == "b" * 40
    assert history.commit_named("bbbbbbc") is None
    assert history.commit_named("bbbbbb") is None  # (shorter than git prints)
    assert history.commit_named("") is None


def test_a_merged_pull_request_is_its_merge_commit_never_a_similar_commit() -> None:
    merged = CommitRecord(
        "f" * 40,
        "Ada",
        "ada@example.com",
        "2026-07-01T00:00:00Z",
        ["tinyml/nn/conv.py"],
        "Merge pull request #2700 from ada/conv\n\nconv: keep the bias dtype",
        merge=True,
    )
    sync = CommitRecord(
        "9" * 40,
        "Ada",
        "ada@example.com",
        "2026-07-02T00:00:00Z",
        ["tinyml/nn/linear.py"],
        "Merge branch 'main' into conv",
        merge=True,
    )
    copied = CommitRecord(
        "8" * 40,
        "Ada",
        "ada@example.com",
        "2026-07-03T00:00:00Z",
        ["tinyml/nn/linear.py"],
        "Merge pull request #2701 from ada:linear\n\nPiperOrigin-RevId: 688513764",
        merge=True,
    )
    history = build_history([copied, sync, merged, *_commits()], repo="o/tinyml")
    assert history is not None
    assert history.pulls[2700] == ["f" * 40]
    assert history.titles["f" * 40] == "conv: keep the bias dtype"  # (not the branch's)
    assert history.titles["8" * 40] == "Merge pull request #2701 from ada:linear"  # (a trailer)
    assert "9" * 40 not in history.files
    assert "f" * 40 not in history.search.names  # (its commits are searched, not the merge)


def test_a_named_change_points_at_the_library_files_it_changed() -> None:
    clues = _clues(["#2628"])
    assert clues == [
        (
            "tinyml.optim.adam",
            W_NAMED_CHANGE,
            "the issue names #2628, merged as commit aaaaaaaaa "
            "('Adam: honour amsgrad with sparse gradients (#2628)'), which changed it",
        )
    ]
    # An issue it names: the commit that fixed it, at a lower weight.
    ((unit, weight, why),) = _clues(["#2599"])
    assert unit == "tinyml.nn.conv" and weight == W_NAMED_CHANGE * FIXED_SHARE
    assert why.startswith("the issue names #2599, fixed by commit bbbbbbbbb")
    # A pull request and its commit's id both written are one clue.
    both = _clues(["#2628", "aaaaaaa"])
    assert both == clues
    # A commit by id; a large change's units share its weight.
    ((unit, weight, why),) = _clues(["cccccccc"])
    assert unit == "tinyml.nn.linear" and weight == W_NAMED_CHANGE
    assert why.startswith("the issue names commit ccccccccc ('Move every layer")
    library = LIBRARY | {f"tinyml.nn.layer{i}" for i in range(3)}
    paths = PATHS | {f"tinyml/nn/layer{i}.py": f"tinyml.nn.layer{i}" for i in range(3)}
    clues = _clues(["#2500"], paths, library)
    assert len(clues) == 4 and {w for _, w, _ in clues} == {W_NAMED_CHANGE / 2}
    # Several changes naming a unit are one clue, its strongest: no evidence adding up.
    clues = _clues(["#2500", "#12", "dddddddd"], paths, library)
    linear = [(w, why) for u, w, why in clues if u == "tinyml.nn.linear"]
    assert linear == [(W_NAMED_CHANGE, linear[0][1])]
    assert linear[0][1].startswith("the issue names commit ddddddddd")
    # Only the first MAX_NAMED changes are looked up (more is a list or a log).
    many = [f"#{n}" for n in range(100, 100 + MAX_NAMED)]
    assert _clues([*many, "#2628"]) == []


def test_its_own_fix_later_commits_and_unknown_changes_are_no_evidence() -> None:
    # The issue's own number (its fix says "Fixes #2601"), a number nothing names, a
    # change of no library unit (but its tests), a commit after the date a backtest looks
    # from.
    assert _clues(["#2601"], own_number=2601) == []
    assert _clues(["#9999", "1234abc"]) == []
    assert _clues(["#2628"], library={"tinyml.nn.conv"}) == []
    before = "2026-06-02T12:00:00Z"
    assert _clues(["#2628"], before=before) == []
    # A stored history missing a commit's rows (a damaged cache) gives no clue, no error.
    history = build_history(_commits(), repo="o/tinyml")
    assert history is not None
    del history.files["a" * 40]
    assert list(named_change_clues(["#2628"], history, PATHS, LIBRARY, W_NAMED_CHANGE)) == []
    assert [u for u, _, _ in _clues(["#2630"], before=before)]


def test_the_evidence_reads_the_changes_a_reporter_names() -> None:
    body = (
        "Since commit e18a94f (PR #2628) `CLIPTokenizer` fails; similar to #4480, #4503.\n"
        "Bisected to https://github.com/o/tinyml/commit/30A19A08f2a1b3c4d5e6f7a8b9c0d1e2f3a4b5c6\n"
        "https://github.com/o/tinyml/pull/2700/commits/ab12cd34ef introduced it; see also "
        "https://github.com/o/TinyML/issues/12#issuecomment-5 and o/tinyml#2599.\n"
        "Commit 30a19a0 (gradient checkpointing) requires transformers>=4.52.\n"
    )
    found = extract_evidence("Regression from #2601", body, repo="o/tinyml")
    assert found.changes == [
        "#2601",
        "e18a94f",
        "#2628",
        "#4480",
        "#4503",
        "30a19a08f2a1b3c4d5e6f7a8b9c0d1e2f3a4b5c6",
        "#2700",
        "ab12cd34ef",
        "#12",
        "#2599",
        "30a19a0",
    ]
    # Not a change of this repository: another one's, a character reference, a colour, a
    # compiler warning, an address, a version's or an install's hash, a uuid, a number, a
    # word, an id in upper case, a one-digit number.
    noise = (
        "https://github.com/other/lib/pull/5 other/lib#77 &#1234; color:#333 warning #68-D: x "
        "object at 0x7f3b2c1d9e80 torch 2.1.0+git8f1a2b3 pip install git+https://x@abc1234e "
        "10bcf9ab-c713-4c51 1234567 deadbeef DEADBEEF12 step #1"
    )
    assert extract_evidence("t", noise, repo="o/tinyml").changes == []
    # None either: a commit's id no words blame (the version a reporter runs), a native
    # stack's numbered frames, another project's number (after its name, one the issue
    # imports, or in a link).
    stacks = (
        "frame #12: c10::Error::Error(c10::SourceLocation) + 0x55 (libc10.so)\n"
        "#3  0x00007ffff7a42428 in raise () from /lib/libc.so.6\n"
        "    #10 0x4f5c3b in main /src/x.cc:12\n"
        "#11  main () at x.c:5\n"
    )
    for none in (
        "With the Python package (latest commit f257636d, Ubuntu 18.04) training fails.",
        "Line 172 of `tinyml/models/model.py` (linked at commit 088f0bb) looks redundant.",
        "See https://github.com/o/tinyml/commit/30a19a08f2a1b3c4 for the code.",
        stacks,
        "It was fixed in transformers PR #2599.",
        "An mpi4jax pull request (#111) hit the same bug.",
        "```\nfrom peft import LoraConfig\n```\npeft #2599 broke it",
        "See [#2599](https://github.com/huggingface/transformers/pull/2599).",
    ):
        assert extract_evidence("t", none, repo="o/tinyml", package="tinyml").changes == []
    assert extract_evidence("t", "The PR #2599 broke it.", repo="o/tinyml").changes == ["#2599"]
    # Written with no space; not inside a word, not after another project's name, and not
    # CPython's `gh-104584` (its own issues, in a traceback's or a changelog's words).
    joined = "Since PR#2599 (pr#78) it fails; not APR#80, transformers PR#82, CPython gh-104584."
    found = extract_evidence("t", joined, repo="o/tinyml", package="tinyml").changes
    assert found == ["#2599", "#78"]


def test_the_issues_commits_close_whatever_files_they_change_but_not_reverted() -> None:
    commits = [  # newest first, as `read_history` gives them
        _commit("f", "2026-05-06T00:00:00Z", ["docs/index.md"], "Fix typo\n\nFixes #40"),
        _commit("e", "2026-05-05T00:00:00Z", ["a.py"], 'Revert "Fix #30"\n\nThis reverts commit ' + "d" * 40 + "."),
        _commit("d", "2026-05-04T00:00:00Z", ["a.py"], "Fix #30"),
        _commit("c", "2026-05-03T00:00:00Z", ["a.py"], "Closes #20, #21 and https://github.com/other/lib/issues/22"),
        _commit("b", "2026-05-02T00:00:00Z", ["a.py"], "fixes https://github.com/o/tinyml/issues/23 (#99)"),
        _commit("a", "2026-05-01T00:00:00Z", ["a.py"], "Fixes #40 partly; see #50"),
    ]
    closing = closing_commits(commits, "o/tinyml")
    assert sorted(closing) == [20, 21, 23, 40]  # not #30 (reverted), #22 (another's), #50, #99
    assert closing[40] == ("f" * 40, "2026-05-06T00:00:00Z", "Fix typo")  # the newest
    assert closing[20][0] == "c" * 40
