"""newscrawl.extract.textdate: dates written for people, in the page's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.extract.textdate import day_first_for, parse_text_date


@pytest.mark.parametrize(("text", "day"), [
    # English, either order
    ("Published: Dec. 22, 2016, 6:47 p.m.", "2016-12-22"),
    ("Tuesday, November 25 2025", "2025-11-25"),
    ("3rd March 2026", "2026-03-03"),
    ("veröffentlicht am 14 Feb ’20", "2020-02-14"),
    # month names in other languages, with their abbreviations
    ("Publiziert 17. Dezember 2024, 12:17", "2024-12-17"),
    ("12. MÄR 2025 18:03", "2025-03-12"),
    ("Donnerstag 05. Juni 2025 15:44 Uhr", "2025-06-05"),
    ("Wien, 3. Jänner 2025", "2025-01-03"),
    ("publié le 1er mars 2024 à 10h15", "2024-03-01"),
    ("Mis à jour le 7 août 2023", "2023-08-07"),
    ("5 juil. 2024", "2024-07-05"),  # 'juil' can only be juillet ('jui' could be juin)
    ("2 de enero de 2024", "2024-01-02"),
    ("4 Febbraio 2025 - 14:41", "2025-02-04"),
    ("5 de março de 2024", "2024-03-05"),
    ("3 maart 2024", "2024-03-03"),
    ("Publisert torsdag 09. mai 2024 - 13:26", "2024-05-09"),
    ("8 января 2026, 17:46", "2026-01-08"),
    ("12 листопада 2025", "2025-11-12"),
    # numbers: year first, dots (day first), CJK
    ("2019.03.08 ニュースリリース", "2019-03-08"),
    ("公開日 2019年2月13日", "2019-02-13"),
    ("28.04.2023 | 17:52 Uhr", "2023-04-28"),
    ("Stand: 26.04.2024, 20:44 Uhr", "2024-04-26"),
    ("06. 01. 2026, 14:59 Uhr", "2026-01-06"),
    ("15.10.24 23:35", "2024-10-15"),
    ("25.4.24", "2024-04-25"),
    # slashes that cannot be misread, whatever the country
    ("Zuerst veröffentlicht am 30/04/2024 - 16:17", "2024-04-30"),
    ("12/16/16 12:21pm", "2016-12-16"),
])
def test_written_dates(text: str, day: str) -> None:
    found = parse_text_date(text)
    assert found is not None and found[1] == day


@pytest.mark.parametrize("text", [
    "Jun 12",                   # no year: which one is a guess
    "30.11. | Buch der Woche",
    "vor 3 Stunden",            # relative to a crawl time we do not know
    "21 mins ago 11:48",
    "DIE ZEIT Nr. 28/2013",     # an issue number
    "3 jui 2024",               # juin or juillet
    "Version 1.2.3",
    "31.02.2024",               # no such day
    "20.15 Uhr",
    "03/04/2026",               # a page of unknown country: April 3 or March 4
    "Sunday 12 2016",
])
def test_not_a_date(text: str) -> None:
    assert parse_text_date(text) is None


@pytest.mark.parametrize(("lang", "day"), [
    ("de", "2026-04-03"), ("en-GB", "2026-04-03"), ("fr-FR", "2026-04-03"),
    ("en-US", "2026-03-04"), ("en_us", "2026-03-04"),
    ("en", None), (None, None), ("en-CA", None),
])
def test_ambiguous_slashes_follow_the_page_language(lang: str | None, day: str | None) -> None:
    found = parse_text_date("Posted 03/04/2026 10:22", day_first_for(lang))
    assert (found[1] if found else None) == day


def test_time_and_zone() -> None:
    # 6:47 p.m. Eastern in December is 23:47 UTC; the written day stays the 22nd
    moment, day = parse_text_date("Dec. 22, 2016, 6:47 p.m. ET") or (None, None)
    assert (moment, day) == (datetime(2016, 12, 22, 23, 47, tzinfo=UTC), "2016-12-22")
    # German summer time: 16:15 MESZ is 14:15 UTC
    moment, _ = parse_text_date("3. Juni 2025, 16:15 Uhr MESZ") or (None, None)
    assert moment == datetime(2025, 6, 3, 14, 15, tzinfo=UTC)
    # no zone: the time as written, taken as UTC; no time: midnight
    assert parse_text_date("28.04.2023, 20.15 Uhr") == (
        datetime(2023, 4, 28, 20, 15, tzinfo=UTC), "2023-04-28")
    assert parse_text_date("28.04.2023") == (datetime(2023, 4, 28, tzinfo=UTC), "2023-04-28")


def test_the_first_date_in_the_text_wins() -> None:
    found = parse_text_date("Carlota Guindal 13/01/2025 10:22 Actualizado a 14/01/2025 15:43")
    assert found is not None and found[1] == "2025-01-13"
    found = parse_text_date("May 3, 2026 (updated 04.05.2026)")
    assert found is not None and found[1] == "2026-05-03"


# Pieces date lines are made of, so random text often comes close to a date.
PIECES = st.sampled_from([
    "12", "31", "1", "0", "13", "2026", "1999", "26", "’24", ".", "/", "-", ", ", " ", ":", "年",
    "月", "日", "März", "mar", "jui", "Dec.", "de", "Uhr", "PM", "ET", "MESZ", "um", "18:30",
    "25:61", "Veröffentlicht am", "января", "\u00ad", "\u200b",
])


@settings(max_examples=300, deadline=timedelta(seconds=2), database=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=12),
       st.sampled_from([True, False, None]))
def test_any_text_gives_a_real_date_or_none(parts: list[str], day_first: bool | None) -> None:
    text = "".join(parts)
    found = parse_text_date(text, day_first)
    if found is not None:
        moment, day = found
        assert moment.tzinfo is not None
        # the written day is a real calendar day, and the moment is within a day of it
        assert datetime.fromisoformat(day).strftime("%Y-%m-%d") == day
        assert abs((moment.date() - datetime.fromisoformat(day).date()).days) <= 1
