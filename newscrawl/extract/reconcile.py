"""Choosing each metadata field from the collected signals, by agreement between sources.

A fixed first-wins order fails in both directions: JSON-LD is often right but sometimes names
the organisation as author or carries a template's stale date; the `<h1>` is usually the
headline but on some themes is the logo. So each candidate value scores the weights of all
sources that agree with it, and the best-supported value wins; the weight order only breaks
ties. Weights reflect how often each source was right on the eval corpus per field, rounded,
not tuned per page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from newscrawl.discovery import Candidate
from newscrawl.discovery.dates import parse_machine_date
from newscrawl.extract.normalize import (
    clean_authors,
    collapse,
    is_person_name,
    strip_site_suffix,
    title_key,
)
from newscrawl.extract.signals import AUTHOR_META, MODIFIED_META, PUBLISHED_META, Signals

TITLE_WEIGHTS = {"jsonld": 3.0, "h1": 2.5, "og": 2.0, "microdata": 2.0, "feed": 2.0,
                 "title_tag": 1.5, "twitter": 1.0, "trafilatura": 1.0}
DATE_WEIGHTS = {"jsonld": 3.0, "meta": 2.5, "microdata": 2.0, "feed": 2.0, "sitemap": 2.0,
                "url": 2.0, "time_tag": 1.0, "trafilatura": 1.5}
AUTHOR_WEIGHTS = {"jsonld": 3.0, "byline": 2.0, "meta": 2.0, "microdata": 2.0, "feed": 1.5,
                  "trafilatura": 1.0}


@dataclass(frozen=True)
class Chosen:
    """A chosen value and the source that supplied it (None when nothing was found)."""

    value: object
    source: str | None


@dataclass(frozen=True)
class ChosenDate:
    """A chosen date: UTC moment, the calendar date as the page states it, and the source."""

    utc: datetime | None
    local_date: str | None
    source: str | None


def site_names(signals: Signals, extra: list[str]) -> list[str]:
    """Names the site goes by, for suffix stripping and organisation detection."""
    names = [*extra, signals.first_meta("og:site_name", "application-name") or "",
             signals.jsonld.publisher or ""]
    return [n for n in names if n]


def choose_title(signals: Signals, hint: Candidate | None, names: list[str],
                 trafilatura_title: str | None) -> Chosen:
    candidates: list[tuple[str, str]] = []
    add = candidates.append
    if signals.jsonld.headline:
        add(("jsonld", signals.jsonld.headline))
    for h1 in signals.h1[:2]:
        add(("h1", h1))
    if og := signals.first_meta("og:title"):
        add(("og", og))
    if tw := signals.first_meta("twitter:title"):
        add(("twitter", tw))
    for value in signals.microdata.get("headline", [])[:1]:
        add(("microdata", value))
    if signals.title_tag:
        add(("title_tag", signals.title_tag))
    if hint and hint.title:
        add(("feed", hint.title))
    if trafilatura_title:
        add(("trafilatura", trafilatura_title))
    name_keys = {title_key(n) for n in names}
    cleaned = [(src, strip_site_suffix(v, names)) for src, v in candidates]
    cleaned = [(src, v) for src, v in cleaned if v and title_key(v) not in name_keys]
    return _vote(cleaned, TITLE_WEIGHTS, key=title_key)


def _vote(candidates: list[tuple[str, str]], weights: dict[str, float],
          key: object) -> Chosen:
    if not candidates:
        return Chosen(None, None)
    keyfn = key if callable(key) else title_key
    support: dict[str, float] = defaultdict(float)
    for src, value in candidates:
        support[keyfn(value)] += weights.get(src, 1.0)
    order = list(weights)

    def rank(item: tuple[str, str]) -> tuple[float, int]:
        src, value = item
        return (support[keyfn(value)], -order.index(src) if src in order else -99)

    src, value = max(candidates, key=rank)
    return Chosen(collapse(value), src)


def local_date(raw: str) -> str | None:
    """The calendar date a date string states, in its own time zone (YYYY-MM-DD)."""
    raw = raw.strip()
    if len(raw) >= 10 and raw[4] == "-" and raw[7] == "-" and raw[:4].isdigit():
        return raw[:10] if parse_machine_date(raw) is not None else None
    parsed = parse_machine_date(raw)
    if parsed is None:
        return None
    from email.utils import parsedate_to_datetime
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError):
        return parsed.date().isoformat()


def choose_published(signals: Signals, hint: Candidate | None,
                     trafilatura_date: str | None) -> ChosenDate:
    candidates: list[tuple[str, str]] = []
    if signals.jsonld.date_published:
        candidates.append(("jsonld", signals.jsonld.date_published))
    for name in PUBLISHED_META:
        for value in signals.meta.get(name, [])[:1]:
            candidates.append(("meta", value))
    for value in signals.microdata.get("datePublished", [])[:1]:
        candidates.append(("microdata", value))
    for value in signals.time_tags[:1]:
        candidates.append(("time_tag", value))
    if hint and hint.published_at:
        candidates.append((hint.via, hint.published_at.isoformat()))
    if signals.url_date:
        candidates.append(("url", signals.url_date))
    if trafilatura_date:
        candidates.append(("trafilatura", trafilatura_date))
    return _vote_date(candidates)


def choose_modified(signals: Signals) -> ChosenDate:
    candidates: list[tuple[str, str]] = []
    if signals.jsonld.date_modified:
        candidates.append(("jsonld", signals.jsonld.date_modified))
    for name in MODIFIED_META:
        for value in signals.meta.get(name, [])[:1]:
            candidates.append(("meta", value))
    for value in signals.microdata.get("dateModified", [])[:1]:
        candidates.append(("microdata", value))
    return _vote_date(candidates)


def _vote_date(candidates: list[tuple[str, str]]) -> ChosenDate:
    parsed = [(src, raw, day) for src, raw in candidates if (day := local_date(raw))]
    if not parsed:
        return ChosenDate(None, None, None)
    support: dict[str, float] = defaultdict(float)
    for src, _, day in parsed:
        support[day] += DATE_WEIGHTS.get(src, 1.0)
    order = list(DATE_WEIGHTS)
    best_day = max(support, key=lambda d: (support[d], -min(
        order.index(s) if s in order else 99 for s, _, day in parsed if day == d)))
    # Within the winning day, the most precise value: one with a time beats a bare date.
    same_day = [(src, raw) for src, raw, day in parsed if day == best_day]
    src, raw = max(same_day, key=lambda sr: (len(sr[1].strip()) > 10,
                                              -order.index(sr[0]) if sr[0] in order else -99))
    return ChosenDate(parse_machine_date(raw), best_day, src)


def choose_authors(signals: Signals, hint: Candidate | None, names: list[str],
                   trafilatura_author: str | None) -> Chosen:
    sources: list[tuple[str, list[str]]] = []
    jsonld = clean_authors(signals.jsonld.authors)
    if jsonld:
        sources.append(("jsonld", jsonld))
    meta_values = [v for name in AUTHOR_META for v in signals.meta.get(name, [])[:2]
                   if not v.startswith("http")]
    if meta := clean_authors(meta_values):
        sources.append(("meta", meta))
    if micro := clean_authors(signals.microdata.get("author", [])[:3]):
        sources.append(("microdata", micro))
    for byline in signals.bylines[:4]:
        if cleaned := clean_authors([byline]):
            sources.append(("byline", cleaned))
    if hint and (feed := clean_authors(list(hint.authors))):
        sources.append(("feed", feed))
    if trafilatura_author and (traf := clean_authors(trafilatura_author.split(";"))):
        sources.append(("trafilatura", traf))
    if not sources:
        return Chosen([], None)
    orgs = [*names]
    name_support: dict[str, float] = defaultdict(float)
    for src, people in sources:
        for person in people:
            name_support[title_key(person)] += AUTHOR_WEIGHTS.get(src, 1.0)

    def score(item: tuple[str, list[str]]) -> tuple[float, float]:
        src, people = item
        persons = [p for p in people if is_person_name(p, orgs)]
        if src == "jsonld" and signals.jsonld.author_is_org:
            persons = []
        agreement = sum(name_support[title_key(p)] for p in persons) / max(len(persons), 1)
        return (agreement if persons else 0.0, AUTHOR_WEIGHTS.get(src, 1.0))

    src, people = max(sources, key=score)
    persons = [p for p in people if is_person_name(p, orgs)]
    if score((src, people))[0] > 0 and persons:
        return Chosen(persons, src)
    # Only organisations are named: keep the best-supported one rather than nothing.
    return Chosen(people[:1], src)
