"""The one source of "now": the system clock, or SOURCE_DATE_EPOCH when it is set.

SOURCE_DATE_EPOCH is the reproducible-builds convention (seconds since 1970, UTC). With it
set, every command takes that moment as now, so identical inputs give byte-identical
outputs: a plan's date, issue ages, stale claims and the times `track` records.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from prready.errors import UsageError

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"


def fixed_now(env: dict[str, str] | None = None) -> datetime | None:
    """The moment SOURCE_DATE_EPOCH names, or None when it is unset or blank."""
    value = (os.environ if env is None else env).get(EPOCH_VARIABLE, "").strip()
    if not value:
        return None
    try:
        return datetime.fromtimestamp(int(value), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise UsageError(f"{EPOCH_VARIABLE}={value[:20]!r} is not a number of seconds") from None


def now() -> datetime:
    """Now in UTC: SOURCE_DATE_EPOCH's moment when set, else the system clock."""
    return fixed_now() or datetime.now(timezone.utc)


# ------------------------------------------------------------------ ISO 8601 text
# Every time prready stores, sends or compares is ISO 8601 text in UTC with a "Z", to the
# second: the form GitHub's REST API uses. These functions are the one place it is written
# and read; a time without an offset is taken as UTC (never as the machine's local time).

ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def aware(moment: datetime) -> datetime:
    """`moment` with a time zone: a naive one is taken as UTC, an aware one is kept as is."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """`moment` in UTC (a naive one is taken as UTC)."""
    return aware(moment).astimezone(timezone.utc)


def iso(moment: datetime) -> str:
    """`moment` as "2026-11-20T09:30:00Z" (UTC, whole seconds)."""
    return as_utc(moment).strftime(ISO_FORMAT)


def iso_from_epoch(seconds: float) -> str:
    """Seconds since 1970 as "2026-11-20T09:30:00Z"."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime(ISO_FORMAT)


def parse_iso(text: str) -> datetime:
    """ISO 8601 text ("Z" or an offset; none means UTC) as an aware datetime, its offset
    kept; ValueError when it is not one."""
    return aware(datetime.fromisoformat(text.strip().replace("Z", "+00:00")))


def stored_iso(text: object) -> str:
    """`text` as a stored time ("2026-11-20T09:30:00Z", UTC), or "" when it is not ISO 8601
    text or falls outside the years 1970-9999 (in UTC too: no overflow, always 20 chars)."""
    moment = parse_iso_or_none(text)
    try:
        stored = iso(moment) if moment is not None and 1970 <= moment.year <= 9999 else ""
    except (OverflowError, ValueError):
        return ""
    return stored if len(stored) == len("2026-11-20T09:30:00Z") else ""


def parse_iso_or_none(text: object) -> datetime | None:
    """`parse_iso`, or None when the text is absent, not text or not ISO 8601 (for
    timestamps from GitHub or the store, where a bad one must not stop a command)."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return parse_iso(text)
    except ValueError:
        return None


def utc_minutes(seconds: float) -> str:
    """Seconds since 1970 as "2026-11-20 09:30 UTC", for messages a person reads."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
