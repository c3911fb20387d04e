"""prready.clock: the one home of "now" and of the ISO 8601 text every layer stores and reads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from prready import clock
from prready.errors import UsageError

PARIS = timezone(timedelta(hours=1))


def test_iso_writes_utc_with_z_to_the_second() -> None:
    assert clock.iso(datetime(2026, 11, 20, 10, 30, 5, 999, tzinfo=PARIS)) == "2026-11-20T09:30:05Z"
    # A naive time is UTC, never the machine's local time.
    assert clock.iso(datetime(2026, 11, 20, 9, 30)) == "2026-11-20T09:30:00Z"
    assert clock.iso_from_epoch(0) == "1970-01-01T00:00:00Z"
    assert clock.utc_minutes(90 * 60) == "1970-01-01 01:30 UTC"


def test_parse_iso_reads_z_offsets_and_bare_dates() -> None:
    assert clock.parse_iso("2026-11-20T09:30:00Z") == datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    with_offset = clock.parse_iso(" 2026-11-20T10:30:00+01:00 ")
    assert with_offset.utcoffset() == timedelta(hours=1)  # kept: fast-import writes it back
    assert clock.iso(with_offset) == "2026-11-20T09:30:00Z"
    assert clock.parse_iso("2025-11-21").tzinfo is timezone.utc
    with pytest.raises(ValueError):
        clock.parse_iso("last tuesday")


def test_parse_iso_or_none_never_raises() -> None:
    assert clock.parse_iso_or_none("2026-11-01T12:00:00Z").year == 2026  # type: ignore[union-attr]
    for bad in ("garbage", "", None, 17):
        assert clock.parse_iso_or_none(bad) is None


def test_round_trip_is_stable() -> None:
    text = "2024-02-29T23:59:59Z"
    assert clock.iso(clock.parse_iso(text)) == text
    assert clock.as_utc(clock.parse_iso("2024-03-01T00:59:59+01:00")) == clock.parse_iso(text)


def test_source_date_epoch_fixes_now() -> None:
    assert clock.fixed_now({"SOURCE_DATE_EPOCH": "86400"}) == datetime(1970, 1, 2, tzinfo=timezone.utc)
    assert clock.fixed_now({"SOURCE_DATE_EPOCH": " "}) is None
    with pytest.raises(UsageError):
        clock.fixed_now({"SOURCE_DATE_EPOCH": "soon"})
