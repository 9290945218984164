"""Parsing of the machine-readable dates found in sitemaps, feeds and page markup."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|z|UTC|GMT|[+-]\d{2}:?\d{2}|[+-]\d{2})?\s*$"
)


def parse_machine_date(value: str | None) -> datetime | None:
    """Parse an ISO 8601 (W3C datetime) or RFC 822 date into an aware UTC datetime.

    A value without time zone is taken as UTC (sitemaps and JSON-LD without offset are, in
    practice, most often UTC or date-only). Returns None for anything unparseable or outside
    1990..2100, the range a news date can plausibly have.
    """
    if not value:
        return None
    value = value.strip()
    try:
        parsed = _parse_iso(value) or _parse_rfc822(value)
    except (OverflowError, ValueError):  # year 1 or 9999 shifted out of range, +25:00
        return None
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    return parsed


def _parse_iso(value: str) -> datetime | None:
    m = _ISO.match(value)
    if not m:
        return None
    year, month, day, hour, minute, second, zone = m.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                          int(second or 0))
    except ValueError:
        return None
    return moment.replace(tzinfo=_zone(zone)).astimezone(UTC)


def _zone(zone: str | None) -> timezone:
    if not zone or zone.upper() in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))  # ValueError if > 24h


_RFC_YEAR = re.compile(r"\b(\d{4})\b")


def _parse_rfc822(value: str) -> datetime | None:
    year = _RFC_YEAR.search(value)
    if year is None or not 1990 <= int(year.group(1)) <= 2100:
        # email.utils reads '0001' (.NET's empty date) as 2001; trust only real years.
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


# The one URL-date pattern (the discovery filter and extraction's url_date signal share it):
# /2024/05/19/ or /2024-05-19-, /20240519/, and a date glued to the end of the slug
# ('/article/Theatre-Wing-Launches-20161013').
URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_]|$)"
    r"|/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:/|[-_]|$)"
    r"|[-_]((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:[/.?#]|$)")


def url_day(url: str) -> str | None:
    """'YYYY-MM-DD' that a URL names (see URL_DATE), or None."""
    m = URL_DATE.search(url)
    if not m:
        return None
    y, mo, d = (g for g in m.groups() if g is not None)
    return f"{y}-{mo}-{d}"


def url_date(url: str) -> datetime | None:
    """The end of the day a /YYYY/MM/DD/ URL path names (next midnight UTC), or None.

    Lets --since skip old articles found by link following before fetching them. The end
    of the day, not its start, because a page dated in its own time zone may be published
    later in UTC: only URLs certainly older than --since are skipped."""
    day = url_day(url)
    if day is None:
        return None
    try:
        return datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(days=1)
    except ValueError:  # 2024/02/30
        return None
