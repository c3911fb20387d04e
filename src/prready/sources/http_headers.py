"""Reading the HTTP headers GitHub (or anything pretending to be GitHub) sends: pure, no I/O.

Every value is untrusted: `Retry-After: inf`, `X-RateLimit-Reset: soon` or `1e999` must
parse to something bounded, never raise, never yield a time in the past.
"""

from __future__ import annotations

import math
import re
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Any

MAX_WAIT_SECONDS = 24 * 3600  # no header may ask us to wait longer than a day


def header_int(value: Any, lo: int = 0, hi: int = 2**53) -> int | None:
    """A finite integer within [lo, hi] from a header value, else None (`inf`, `1e999`, junk)."""
    try:
        number = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number < lo or number > hi:
        return None
    return int(number)


def retry_after_seconds(value: Any, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date), clamped
    to [0, MAX_WAIT_SECONDS]; None when the header is absent or unreadable."""
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if math.isnan(number):
            return None
        return min(max(number, 0.0), float(MAX_WAIT_SECONDS))  # inf clamps to a day
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return min(max(when.timestamp() - now, 0.0), float(MAX_WAIT_SECONDS))


def reset_epoch(value: Any, now: float, default_wait: float = 60.0) -> float:
    """When the primary rate limit resets (epoch seconds) from `X-RateLimit-Reset`: never in
    the past, never more than a day ahead; unreadable values mean `default_wait` from now."""
    number = header_int(value, hi=2**40)
    if number is None:
        return now + default_wait
    return min(max(float(number), now), now + MAX_WAIT_SECONDS)


_LINK_PART = re.compile(r'<([^>]*)>\s*;([^,]*)')


def link_targets(value: Any) -> dict[str, str]:
    """rel -> URL from a `Link` header (first of each rel wins)."""
    out: dict[str, str] = {}
    for url, params in _LINK_PART.findall(str(value or "")[:8192]):
        for rel in re.findall(r'rel="?([A-Za-z]+)"?', params):
            out.setdefault(rel.lower(), url)
    return out
