"""Errors the library raises for the CLI to turn into one clear line.

    PrreadyError                 exit 1, the base the CLI catches once
    ├── UsageError               exit 2, bad input from the user
    │   └── InputError           one named input (a checkout, a module...) is wrong
    ├── NetworkError             GitHub or a git remote failed us
    │   ├── RateLimitError       the API budget is spent (reset_at says until when)
    │   ├── NotFoundError        404 or 410: no such repository or issue
    │   ├── RepoMovedError       301 without a usable new location
    │   └── InvalidIssueError    an issue payload we refuse to store
    ├── StoreError               the SQLite store is unreadable or not ours
    └── OfflineError             offline, and the store lacks what is needed

Library messages never name command-line flags: an error about one input says which
(`InputError.input`), and advice that means another option says so as an `Advice`; the
CLI words both as its flags (`prready.render.advice`), once, at the edge.
"""

from typing import Literal

# The inputs a message may be about, by what they are rather than how they are given.
Input = Literal["checkout", "git_url", "module", "area_depth", "hardware", "exported_at"]

# What else to try, when it means giving an option (or dropping one).
Advice = Literal[
    "allow_other_checkout",  # the check of a checkout's origin can be skipped
    "check_author",  # the author to look for was given, and matched nothing
    "drop_offline",  # the command needs GitHub
    "checkout_or_online",  # offline, with no clone cached
    "offline_or_checkout",  # a git remote is unreachable
    "checkout",  # a git remote refused the credentials
    "git_url",  # no repository at the URL cloned from
    "force",  # refused without forcing it (moving a merged issue back)
    "force_anyway",  # no such issue on GitHub: it can be tracked anyway
    "or_force",  # not stored and offline: sync first, or track it anyway
    "complete",  # a file lacks stored open issues: a complete export closes them
    "sync_from_file",  # offline with nothing stored: sync from a file of `repo`'s issues
    "rebuild_cache",  # the cache is corrupted: start a fresh one
    "rebuild_foreign_cache",  # the cache file is not ours: replace it
    "rebuild_newer_cache",  # the cache is from a newer prready: or start a fresh one
    "restore_progress",  # the progress store is corrupted: import an export
    "check_token",  # GitHub rejected the token given
    "api_url_or_offline",  # the API host does not resolve
    "check_api_url",  # nothing listens at the API URL
    "work_offline",  # GitHub cannot be reached: work from the store or a file
    "other_output",  # the output file cannot be written: write elsewhere
]


class PrreadyError(Exception):
    """A problem the user can act on. The message is one line, already actionable;
    `advice`, when set, adds what to try that means another option (a command to run
    for `repo`, when it names one)."""

    exit_code = 1

    def __init__(self, message: str = "", *, advice: Advice | None = None, repo: str = "") -> None:
        super().__init__(message)
        self.advice = advice
        self.repo = repo


class UsageError(PrreadyError):
    """Bad input on the command line or in a file the user gave us."""

    exit_code = 2


class InputError(UsageError):
    """One input is wrong: `problem` says what of it ("/x: no such directory", "must be a
    positive integer"), after the input's name."""

    def __init__(self, input: Input, problem: str, *, advice: Advice | None = None) -> None:
        super().__init__(f"{input.replace('_', ' ')} {problem}", advice=advice)
        self.input: Input = input
        self.problem = problem

    def __reduce__(self) -> tuple[object, ...]:  # pickled whole (a worker process may raise it)
        return (_input_error, (self.input, self.problem, self.advice))


def _input_error(input: Input, problem: str, advice: Advice | None) -> InputError:
    return InputError(input, problem, advice=advice)


class NetworkError(PrreadyError):
    """GitHub or a git remote could not be reached or refused us."""


class RateLimitError(NetworkError):
    """The API budget is spent; `reset_at` says when to resume (ISO 8601, UTC)."""

    def __init__(self, message: str, reset_at: str | None = None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class NotFoundError(NetworkError):
    """GitHub answered 404 or 410 (no such repository or issue, or a private one)."""


class RepoMovedError(NetworkError):
    """The repository answered 301 without a usable new location."""


class InvalidIssueError(NetworkError):
    """An issue whose number is outside 1..2^31-1 (never stored: it would poison the store)."""


class StoreError(PrreadyError):
    """The local SQLite store is unreadable, corrupted or not ours."""


class OfflineError(PrreadyError):
    """Offline mode was asked for, and the store lacks what the command needs."""
