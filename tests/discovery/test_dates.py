"""newscrawl.discovery.dates: machine-readable dates -> aware UTC datetimes or None."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.discovery.dates import parse_machine_date


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-03-02T21:30:00Z", datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),
    ("2026-03-02T21:30:00z", datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),
    ("2026-03-02T21:30:00.123456Z", datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),
    ("2026-03-02T21:30:00-05:00", datetime(2026, 3, 3, 2, 30, tzinfo=UTC)),
    ("2026-03-02T21:30:00+0530", datetime(2026, 3, 2, 16, 0, tzinfo=UTC)),
    ("2026-03-02T21:30:00+05", datetime(2026, 3, 2, 16, 30, tzinfo=UTC)),
    ("2026-03-02T21:30:00 UTC", datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),
    ("2026-03-02 21:30:00", datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),   # no zone: UTC
    ("2026-03-02T21:30", datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),
    ("2026-03-02", datetime(2026, 3, 2, tzinfo=UTC)),                    # date only: midnight
    ("  2026-03-02T21:30:00Z\n", datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),
    ("Mon, 02 Mar 2026 21:30:00 -0500", datetime(2026, 3, 3, 2, 30, tzinfo=UTC)),
    ("Mon, 02 Mar 2026 21:30:00 GMT", datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),
    ("02 Mar 2026 21:30:00 EST", datetime(2026, 3, 3, 2, 30, tzinfo=UTC)),
    ("Mon, 02 Mar 2026 21:30:00", datetime(2026, 3, 2, 21, 30, tzinfo=UTC)),
    ("1990-01-01", datetime(1990, 1, 1, tzinfo=UTC)),
    ("2100-12-31", datetime(2100, 12, 31, tzinfo=UTC)),
])
def test_parse_machine_date(value: str, expected: datetime) -> None:
    parsed = parse_machine_date(value)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is UTC


@pytest.mark.parametrize("value", [
    None, "", "   ", "garbage", "March 2, 2026", "1700000000", "20260302",
    "2026-13-01", "2026-02-30", "2026-03-02T25:00:00Z", "0000-00-00 00:00:00",
    "1989-12-31", "2101-01-01", "0001-01-01T00:00:00Z", "9999-12-31T00:00:00Z",
])
def test_unparseable_or_implausible_is_none(value: str | None) -> None:
    assert parse_machine_date(value) is None


@pytest.mark.parametrize("value", [
    "0001-01-01T00:00:00+01:00",              # .NET DateTimeOffset.MinValue east of UTC
    "9999-12-31T23:00:00-05:00",
    "Fri, 31 Dec 9999 23:00:00 -0500",
])
def test_out_of_range_year_with_offset_is_none(value: str) -> None:
    assert parse_machine_date(value) is None


@pytest.mark.parametrize("value", ["2026-03-02T10:00:00+25:00", "2026-03-02T10:00:00-99:99"])
def test_impossible_offset_is_none(value: str) -> None:
    assert parse_machine_date(value) is None


def test_rfc822_year_one_is_none() -> None:
    assert parse_machine_date("Mon, 01 Jan 0001 00:00:00 GMT") is None
