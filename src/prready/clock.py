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
