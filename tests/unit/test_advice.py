"""Library errors name inputs and advice, never flags; `render.advice` words them as the
CLI's flags, giving the same lines the library wrote itself before."""

from __future__ import annotations

import pickle
from typing import get_args

import pytest

from prready.analysis.kinds import hardware_reason, parse_hardware
from prready.analysis.stages import OPTION_WORDS
from prready.errors import (
    Advice,
    Input,
    InputError,
    NetworkError,
    OfflineError,
    StoreError,
    UsageError,
)
from prready.models import IssueKinds
from prready.render.advice import FLAGS, PLAN_FLAGS, error_text, wider_sync_text


@pytest.mark.parametrize(
    ("error", "library", "user"),
    [
        (
            InputError("checkout", "/x: no such directory"),
            "checkout /x: no such directory",
            "--checkout /x: no such directory",
        ),
        (
            InputError("git_url", "is empty: give a URL or path to clone from, or leave it out"),
            "git url is empty: give a URL or path to clone from, or leave it out",
            "--git-url is empty: give a URL or path to clone from, or leave it out",
        ),
        (
            InputError("module", "'tinyml.nnn' is no module or area of o/r; did you mean x?"),
            "module 'tinyml.nnn' is no module or area of o/r; did you mean x?",
            "--module 'tinyml.nnn' is no module or area of o/r; did you mean x?",
        ),
        (
            InputError("area_depth", "must be a positive integer"),
            "area depth must be a positive integer",
            "--area-depth must be a positive integer",
        ),
        (
            InputError(
                "checkout",
                "/c is a clone of a/b, not o/r (its origin remote)",
                advice="allow_other_checkout",
            ),
            "checkout /c is a clone of a/b, not o/r (its origin remote)",
            "--checkout /c is a clone of a/b, not o/r (its origin remote); "
            "add --allow-other-checkout if this really is a clone of it",
        ),
        (
            UsageError("no commits by 'ann' in /r", advice="check_author"),
            "no commits by 'ann' in /r",
            "no commits by 'ann' in /r: check --author (an email or name)",
        ),
        (
            OfflineError("offline: this needs GitHub", advice="drop_offline"),
            "offline: this needs GitHub",
            "offline: this needs GitHub; drop --offline",
        ),
        (
            OfflineError("offline and no cached clone of o/r at /d", advice="checkout_or_online"),
            "offline and no cached clone of o/r at /d",
            "offline and no cached clone of o/r at /d: give --checkout PATH to an existing "
            "clone, or run once without --offline",
        ),
        (
            NetworkError(
                "cannot reach h while cloning (x): check the network", advice="offline_or_checkout"
            ),
            "cannot reach h while cloning (x): check the network",
            "cannot reach h while cloning (x): check the network, or use --offline / --checkout PATH",
        ),
        (
            NetworkError("authentication refused by h: set up git credentials", advice="checkout"),
            "authentication refused by h: set up git credentials",
            "authentication refused by h: set up git credentials or use --checkout PATH",
        ),
        (
            UsageError("no git repository at h: check OWNER/REPO", advice="git_url"),
            "no git repository at h: check OWNER/REPO",
            "no git repository at h: check OWNER/REPO or --git-url",
        ),
        (
            UsageError("o/r#3 is done (merged); moving it back to open", advice="force"),
            "o/r#3 is done (merged); moving it back to open",
            "o/r#3 is done (merged); moving it back to open needs --force",
        ),
        (
            UsageError("GitHub has no issue #3 in o/r: check the number", advice="force_anyway"),
            "GitHub has no issue #3 in o/r: check the number",
            "GitHub has no issue #3 in o/r: check the number (add --force to track it anyway)",
        ),
        (
            UsageError(
                "o/r#3 is not in the local store (offline): run `prready sync o/r` first",
                advice="or_force",
            ),
            "o/r#3 is not in the local store (offline): run `prready sync o/r` first",
            "o/r#3 is not in the local store (offline): run `prready sync o/r` first, or add "
            "--force to track it anyway",
        ),
        (
            OfflineError(
                "offline: no issues of o/r are stored; run `prready sync o/r` online",
                advice="sync_from_file",
                repo="o/r",
            ),
            "offline: no issues of o/r are stored; run `prready sync o/r` online",
            "offline: no issues of o/r are stored; run `prready sync o/r` online, or "
            "`prready sync o/r --from-file issues.json` with the output of `gh issue list "
            "--json number,title,body,labels,assignees,author,state,url,createdAt,updatedAt,"
            "comments`",
        ),
        (
            StoreError("/c is not a prready cache", advice="rebuild_foreign_cache"),
            "/c is not a prready cache",
            "/c is not a prready cache; run again with --rebuild-cache to replace it",
        ),
        (
            StoreError(
                "/c was written by a newer prready (v2); upgrade prready",
                advice="rebuild_newer_cache",
            ),
            "/c was written by a newer prready (v2); upgrade prready",
            "/c was written by a newer prready (v2); upgrade prready, or run again with "
            "--rebuild-cache to start a fresh cache",
        ),
        (
            StoreError(
                "the cache /c is corrupted (x); it holds only data prready can fetch again",
                advice="rebuild_cache",
            ),
            "the cache /c is corrupted (x); it holds only data prready can fetch again",
            "the cache /c is corrupted (x); it holds only data prready can fetch again: run "
            "again with --rebuild-cache",
        ),
        (
            StoreError(
                "the progress store /p is corrupted (x); do not delete it: move it aside and "
                "restore your progress",
                advice="restore_progress",
            ),
            "the progress store /p is corrupted (x); do not delete it: move it aside and "
            "restore your progress",
            "the progress store /p is corrupted (x); do not delete it: move it aside and "
            "restore your progress with `prready track --import` from a `prready track "
            "--export` file (keep exports as your backup)",
        ),
        (
            NetworkError("GitHub rejected the token (401 Bad credentials)", advice="check_token"),
            "GitHub rejected the token (401 Bad credentials)",
            "GitHub rejected the token (401 Bad credentials): check --token, "
            "GH_TOKEN/GITHUB_TOKEN or `gh auth token`, or run without a token",
        ),
        (
            NetworkError(
                "cannot find h: the name does not resolve (DNS failure); check the network",
                advice="api_url_or_offline",
            ),
            "cannot find h: the name does not resolve (DNS failure); check the network",
            "cannot find h: the name does not resolve (DNS failure); check the network "
            "or --api-url, or work offline with --offline / --from-file",
        ),
        (
            NetworkError("connection to h refused: nothing listens there", advice="check_api_url"),
            "connection to h refused: nothing listens there",
            "connection to h refused: nothing listens there; check --api-url, or work "
            "offline with --offline / --from-file",
        ),
        (
            NetworkError("cannot reach h: (timeout); check the network", advice="work_offline"),
            "cannot reach h: (timeout); check the network",
            "cannot reach h: (timeout); check the network, or work offline with --offline / "
            "--from-file",
        ),
        (UsageError("plain"), "plain", "plain"),
    ],
)
def test_the_cli_words_inputs_and_advice_as_flags(
    error: Exception, library: str, user: str
) -> None:
    assert isinstance(error, UsageError | NetworkError | OfflineError | StoreError)
    assert str(error) == library and "--" not in library
    assert error_text(error) == user


def test_every_input_has_a_flag_and_every_advice_a_wording() -> None:
    assert set(FLAGS) == set(get_args(Input))
    for advice in get_args(Advice):
        assert error_text(UsageError("x", advice=advice)).startswith("x")
        assert "--" in error_text(UsageError("x", advice=advice))


def test_an_input_error_survives_pickling_whole() -> None:
    error = InputError("checkout", "/x: no such directory", advice="allow_other_checkout")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.input, copy.problem, copy.advice, str(copy)) == (
        error.input,
        error.problem,
        error.advice,
        str(error),
    )


def test_advice_naming_a_repository_survives_pickling() -> None:
    error = OfflineError("offline: o/r", advice="sync_from_file", repo="o/r")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.advice, copy.repo, error_text(copy)) == (
        OfflineError,
        "sync_from_file",
        "o/r",
        error_text(error),
    )
    assert "`prready sync o/r --from-file issues.json`" in error_text(copy)


def test_an_unknown_hardware_names_the_input_and_the_choices() -> None:
    with pytest.raises(InputError, match="'quantum' is not known; use some of: cuda, ") as info:
        parse_hardware(["cuda", "quantum"])
    assert info.value.input == "hardware"
    assert error_text(info.value).startswith("--hardware 'quantum' is not known; use some of:")


def test_wider_sync_advice() -> None:
    assert (
        wider_sync_text("sync_command", "o/r")
        == "`prready sync o/r --all-open` fetches every open issue"
    )
    assert wider_sync_text("run_again").startswith("run again with --all-open")
    assert "prready sync o/r --from-file FILE --complete" in wider_sync_text("file", "o/r")


def test_plan_notes_name_options_in_neutral_words_unless_given_the_flags() -> None:
    assert not any(word.startswith("-") for word in vars(OPTION_WORDS).values())
    assert all(flag.startswith("--") for flag in vars(PLAN_FLAGS).values())
    kinds = IssueKinds(hardware={"cuda": "'CUDA' in the title"})
    assert hardware_reason(kinds, ["cuda"]).endswith(": add hardware cuda if you have it")
    flagged = hardware_reason(kinds, ["cuda"], PLAN_FLAGS.hardware)
    assert flagged.endswith(": add --hardware cuda if you have it")
