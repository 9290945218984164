"""Dates written for people: 'March 3, 2026 4:15 PM ET', '3 March 2026, 16:15 CET'.

Some pages state the publication time only in visible text (no JSON-LD, no meta). We read
English month names in either order, an optional 12- or 24-hour time and a time-zone
abbreviation, and convert with the zone's real rules (ET is UTC-5 in winter, UTC-4 in
summer), so a date is never off by a day because of DST.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

_MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for m in names}
_ZONES: dict[str, tzinfo] = {
    "et": ZoneInfo("America/New_York"), "est": ZoneInfo("America/New_York"),
    "edt": ZoneInfo("America/New_York"), "ct": ZoneInfo("America/Chicago"),
    "cst": ZoneInfo("America/Chicago"), "cdt": ZoneInfo("America/Chicago"),
    "mt": ZoneInfo("America/Denver"), "mst": ZoneInfo("America/Denver"),
    "mdt": ZoneInfo("America/Denver"), "pt": ZoneInfo("America/Los_Angeles"),
    "pst": ZoneInfo("America/Los_Angeles"), "pdt": ZoneInfo("America/Los_Angeles"),
    "gmt": UTC, "utc": UTC, "z": UTC, "bst": ZoneInfo("Europe/London"),
    "cet": ZoneInfo("Europe/Paris"), "cest": ZoneInfo("Europe/Paris"),
    "ist": timezone(timedelta(hours=5, minutes=30)), "aest": ZoneInfo("Australia/Sydney"),
    "aedt": ZoneInfo("Australia/Sydney"),
}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?" \
         r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TIME = r"(?:[,\s]+(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s*(?P<ampm>[ap]\.?m\.?))?" \
        r"(?:\s+(?P<zone>[a-z]{1,4})\b)?)?"
_PATTERNS = (
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d{2})"
               + _TIME, re.IGNORECASE),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\.?\s+" + _MONTH + r",?\s+"
               r"(?P<year>(?:19|20)\d{2})" + _TIME, re.IGNORECASE),
)


# Year-first numeric dates are unambiguous: '2019.04.19 20:00', '2019/4/19', and the CJK
# '2019年4月21日 12時00分'.
_NUMERIC = re.compile(
    r"(?P<year>(?:19|20)\d{2})(?:年\s*|[./])(?P<month>\d{1,2})(?:月\s*|[./])(?P<day>\d{1,2})日?"
    r"(?:\s*(?P<hour>\d{1,2})[:時](?P<minute>\d{2}))?")


def parse_text_date(text: str) -> tuple[datetime, str] | None:
    """(UTC moment, the calendar date as written) of the first date in `text`, or None.

    Without a time the moment is midnight UTC of that date; without a zone, UTC.
    """
    numeric = _NUMERIC.search(text)
    if numeric:
        try:
            local = datetime(int(numeric["year"]), int(numeric["month"]), int(numeric["day"]))
        except ValueError:
            local = None
        if local is not None:
            if numeric["hour"] is not None and int(numeric["hour"]) < 24 \
                    and int(numeric["minute"]) < 60:
                local = local.replace(hour=int(numeric["hour"]), minute=int(numeric["minute"]))
            return local.replace(tzinfo=UTC), local.date().isoformat()
    for pattern in _PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        month = _MONTHS.get(m["month"].lower().rstrip("."))
        if month is None:
            continue
        try:
            local = datetime(int(m["year"]), month, int(m["day"]))
        except ValueError:
            continue
        written = local.date().isoformat()
        if m["hour"] is None:
            return local.replace(tzinfo=UTC), written
        hour, minute = int(m["hour"]), int(m["minute"])
        ampm = (m["ampm"] or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            return local.replace(tzinfo=UTC), written
        zone = _ZONES.get((m["zone"] or "").lower(), UTC)
        moment = local.replace(hour=hour, minute=minute, tzinfo=zone)
        return moment.astimezone(UTC), written
    return None
