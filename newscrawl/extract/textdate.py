"""Dates written for people: 'March 3, 2026 4:15 PM ET', '3. März 2026, 16:15 Uhr',
'28.04.2023', '13/01/2025 10:22', '2019年4月21日'.

Some pages state the publication time only in visible text (no JSON-LD, no meta), and a
page's date line is written in the page's language. We read month names in the languages
news sites here write most (English, German, French, Spanish, Italian, Portuguese, Dutch,
the Scandinavian ones, Russian and Ukrainian), numeric dates with dots (day first
everywhere that writes them), slashes (day or month first: see `day_first`) and year-first
numeric ones, an optional 12- or 24-hour time and a time-zone abbreviation, converted with
the zone's real rules (ET is UTC-5 in winter, UTC-4 in summer), so a date is never off by a
day because of DST.

A hand-written table rather than `dateparser`: the date sits inside a byline or a label
('Publiziert 17. Dezember 2024, 12:17', 'Zuerst veröffentlicht am 30/04/2024 - 16:17'),
so it has to be found in the text first, which dateparser's search does slowly and loosely;
finding it is the job here, and month names are data.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

# Full month names per language, January first. Abbreviations are their unambiguous
# prefixes ('Mär', 'Okt', 'févr', 'dic'): see _month().
_MONTH_NAMES = (
    "january february march april may june july august september october november december",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "januari februari maart april mei juni juli augustus september oktober november december",
    "januar februar mars april mai juni juli august september oktober november desember",
    "januari februari mars april maj juni juli augusti september oktober november december",
    "januar februar marts april maj juni juli august september oktober november december",
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",
)
# Spellings outside those lines: Austrian German, and names written without their accents.
_VARIANTS = {"jänner": 1, "feber": 2, "marz": 3, "fevrier": 2, "aout": 8, "decembre": 12,
             "setiembre": 9}
_MONTHS: dict[str, int] = {
    name: month for line in _MONTH_NAMES
    for month, name in enumerate(line.split(), start=1)} | _VARIANTS


def _month(word: str) -> int | None:
    """The month a name or abbreviation names: a whole name, or a prefix of three letters or
    more that names one month in every language that has it ('mar' is March in all of
    them; 'jui' is juin or juillet, so no month)."""
    word = word.lower().rstrip(".")
    if word in _MONTHS:
        return _MONTHS[word]
    if len(word) < 3:
        return None
    found = {month for name, month in _MONTHS.items() if name.startswith(word)}
    return found.pop() if len(found) == 1 else None


_ZONES: dict[str, tzinfo] = {
    "et": ZoneInfo("America/New_York"), "est": ZoneInfo("America/New_York"),
    "edt": ZoneInfo("America/New_York"), "ct": ZoneInfo("America/Chicago"),
    "cst": ZoneInfo("America/Chicago"), "cdt": ZoneInfo("America/Chicago"),
    "mt": ZoneInfo("America/Denver"), "mst": ZoneInfo("America/Denver"),
    "mdt": ZoneInfo("America/Denver"), "pt": ZoneInfo("America/Los_Angeles"),
    "pst": ZoneInfo("America/Los_Angeles"), "pdt": ZoneInfo("America/Los_Angeles"),
    "gmt": UTC, "utc": UTC, "z": UTC, "bst": ZoneInfo("Europe/London"),
    "cet": ZoneInfo("Europe/Paris"), "cest": ZoneInfo("Europe/Paris"),
    "mez": ZoneInfo("Europe/Berlin"), "mesz": ZoneInfo("Europe/Berlin"),
    "ist": timezone(timedelta(hours=5, minutes=30)), "aest": ZoneInfo("Australia/Sydney"),
    "aedt": ZoneInfo("Australia/Sydney"),
}
_WORD = r"(?P<month>[^\W\d_]{3,12})\.?"
# A time after the date: '4:15 PM ET', ', 16:15 Uhr', ' - 13:26', ' | 17:52', ' um 08:52',
# ', 20.15 Uhr', ' a las 10:22'.
_TIME = (r"(?:\s*[,|·–-]?\s*(?:at|um|à|a las|alle|kl\.?|klo|om)?\s*(?P<hour>\d{1,2})[:.h]"
         r"(?P<minute>\d{2})(?!\d)(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*(?:uhr|h)\b)?"
         r"(?:\s+(?P<zone>[a-z]{1,4})\b)?)?")
_YEAR = r"(?P<year>(?:19|20)\d{2}|['’]\d{2})"
_PATTERNS = (
    # 'March 3, 2026', 'Dec. 22, 2016'
    ("name", re.compile(_WORD + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+" + _YEAR + _TIME,
                        re.IGNORECASE)),
    # '3 March 2026', '3. März 2026', '2 de enero de 2024', '1er mars 2024', '14 Feb ’20'
    ("name", re.compile(r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th|er|º)?\.?\s*(?:de\s+|of\s+)?"
                        + _WORD + r",?\s*(?:de\s+|del\s+)?" + _YEAR + _TIME, re.IGNORECASE)),
    # '2019.04.19 20:00', '2019/4/19', '2019-04-19', '2019年4月21日 12時00分'
    ("ymd", re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?:年\s*|[./-])(?P<month>\d{1,2})"
                       r"(?:月\s*|[./-])(?P<day>\d{1,2})日?(?!\d)(?:\s*(?P<hour>\d{1,2})"
                       r"[:時](?P<minute>\d{2}))?")),
    # '28.04.2023', '06. 01. 2026', '15.10.24 23:35': day first wherever dots are written
    ("dmy", re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.\s?(?P<month>\d{1,2})\.\s?"
                       r"(?P<year>(?:19|20)\d{2}|\d{2})(?![\d.]?\d)" + _TIME, re.IGNORECASE)),
    # '13/01/2025 10:22', '12/16/16 12:21pm': the order depends on the country
    ("slash", re.compile(r"(?<![\d/])(?P<first>\d{1,2})/(?P<second>\d{1,2})/"
                         r"(?P<year>(?:19|20)\d{2}|\d{2})(?![\d/])" + _TIME, re.IGNORECASE)),
)


def day_first_for(lang: str | None) -> bool | None:
    """Whether '03/04/2026' is the 3rd of April on a page in `lang`: the United States (and
    the Philippines) write the month first, the rest of the world the day; a page that says
    only 'en' could be either, so such a date is read only where it cannot be misread
    ('13/01/2025', '12/16/16')."""
    tag = (lang or "").lower().replace("_", "-")
    if not tag:
        return None
    if tag in ("en-us", "en-ph"):
        return False
    if tag == "en" or tag.startswith("en-ca"):
        return None
    return True


def parse_text_date(text: str, day_first: bool | None = None) -> tuple[datetime, str] | None:
    """(UTC moment, the calendar date as written) of the first date in `text`, or None.

    Without a time the moment is midnight UTC of that date; without a zone, UTC. A date
    without a year ('Jun 12', '30.11.') is no date: which year it means is a guess.
    """
    found: list[tuple[int, datetime, re.Match[str]]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if (day := _calendar_day(kind, m, day_first)) is not None:
                found.append((m.start(), day, m))
                break
    if not found:
        return None
    _, local, m = min(found, key=lambda item: item[0])
    written = local.date().isoformat()
    if m["hour"] is None:
        return local.replace(tzinfo=UTC), written
    hour, minute = int(m["hour"]), int(m["minute"])
    ampm = (m.groupdict().get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return local.replace(tzinfo=UTC), written
    zone = _ZONES.get((m.groupdict().get("zone") or "").lower(), UTC)
    moment = local.replace(hour=hour, minute=minute, tzinfo=zone)
    return moment.astimezone(UTC), written


def _calendar_day(kind: str, m: re.Match[str], day_first: bool | None) -> datetime | None:
    year = _year(m["year"])
    if kind == "name":
        month = _month(m["month"])
        day = int(m["day"])
    elif kind == "slash":
        first, second = int(m["first"]), int(m["second"])
        if first > 12 or (day_first and second <= 12):
            day, month = first, second
        elif second > 12 or day_first is False:
            day, month = second, first
        else:
            return None  # '03/04/2026' on a page of unknown country
    else:
        month, day = int(m["month"]), int(m["day"])
    if month is None:
        return None
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    """'2024', and the two-digit '24' or '’24' (this century up to '69, then the last)."""
    digits = text.lstrip("'’")
    if len(digits) == 2:
        return (2000 if int(digits) < 70 else 1900) + int(digits)
    return int(digits)
