"""Errors the library raises for the CLI to turn into one clear line.

    PrreadyError                 exit 1, the base the CLI catches once
    ├── UsageError               exit 2, bad input from the user
    ├── NetworkError             GitHub or a git remote failed us
    │   ├── RateLimitError       the API budget is spent (reset_at says until when)
    │   ├── NotFoundError        404 or 410: no such repository or issue
    │   ├── RepoMovedError       301 without a usable new location
    │   └── InvalidIssueError    an issue payload we refuse to store
    ├── StoreError               the SQLite store is unreadable or not ours
    └── OfflineError             offline, and the store lacks what is needed
"""


class PrreadyError(Exception):
    """A problem the user can act on. The message is one line, already actionable."""

    exit_code = 1


class UsageError(PrreadyError):
    """Bad input on the command line or in a file the user gave us."""

    exit_code = 2


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
