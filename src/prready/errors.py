"""Errors the library raises for the CLI to turn into one clear line."""


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


class StoreError(PrreadyError):
    """The local SQLite store is unreadable, corrupted or not ours."""


class OfflineError(PrreadyError):
    """Offline mode was asked for, and the store lacks what the command needs."""
