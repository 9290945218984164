"""Choosing each metadata field from the collected signals, by agreement between sources.

A fixed first-wins order fails in both directions: JSON-LD is often right but sometimes names
the organisation as author or carries a template's stale date; the `<h1>` is usually the
headline but on some themes is the logo. So each candidate value scores the weights of all
sources that agree with it, and the best-supported value wins; the weight order only breaks
ties. Weights are a prior of how reliable each source is, set per source and never per
page; re-weighting titles by each source's measured accuracy on the eval corpus (og:title
above h1) scored worse there, so the visible headline keeps its higher weight.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from email.utils import parsedate_to_datetime
from typing import Generic, TypeVar
from urllib.parse import unquote, urlsplit

from newscrawl.discovery import Candidate
from newscrawl.discovery.dates import parse_machine_date
from newscrawl.extract.learned import HAND_SET, MetadataModel, best
from newscrawl.extract.normalize import (
    clean_authors,
    clean_credit,
    collapse,
    is_person_name,
    is_strong_name,
    leading_runs,
    strip_site_suffix,
    title_key,
    title_runs,
)
from newscrawl.extract.signals import MODIFIED_META, PUBLISHED_META, Signals, author_meta
from newscrawl.extract.text import count_words
from newscrawl.extract.textdate import day_first_for, parse_text_date

TITLE_WEIGHTS = {"jsonld": 3.0, "h1": 2.5, "og": 2.0, "microdata": 2.0, "feed": 2.0,
                 "editorial": 2.0, "title_tag": 1.5, "twitter": 1.0, "trafilatura": 1.0, "h2": 1.0}
DATE_WEIGHTS = {"jsonld": 3.0, "meta": 2.5, "microdata": 2.0, "feed": 2.0, "sitemap": 2.0,
                "url": 2.0, "trafilatura": 1.5, "text": 1.5, "time_tag": 1.0}
# The headline a newsroom gives its newsletter and analytics tools (Sailthru, Parse.ly): set
# by the editor for the story, not written for search engines or social cards.
EDITORIAL_TITLE_META = ("sailthru.title", "parsely-title")
# Where a page declares its publication date for machines: one feature for the fitted model,
# not three. Modern templates state it in all three at once, so weights fitted per source
# learn to trust JSON-LD and nothing else (fitted without the postlight pages, meta's weight
# came out below zero), and an older or smaller site that states its date only in a meta tag
# was dated by htmldate's guess instead.
DECLARED_DATE_SOURCES = frozenset(("jsonld", "meta", "microdata"))
# Title sources that are usually a copy of og:title when they say the same.
OG_COPIES = frozenset(("twitter", "title_tag", "trafilatura"))
AUTHOR_WEIGHTS = {"jsonld": 3.0, "byline": 2.0, "meta": 2.0, "microdata": 2.0, "link": 2.0,
                  "feed": 1.5, "trafilatura": 1.0}


T = TypeVar("T")


@dataclass(frozen=True)
class Chosen(Generic[T]):
    """A chosen value and the source that supplied it (None when nothing was found)."""

    value: T
    source: str | None
    # Support of the winner minus that of the runner-up: a further source weighing less
    # than this cannot change the choice, so it need not be consulted.
    margin: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class ChosenDate:
    """A chosen date: UTC moment, the calendar date as the page states it, and the source."""

    utc: datetime | None
    local_date: str | None
    source: str | None
    margin: float = field(default=0.0, compare=False)  # as in Chosen


def site_names(signals: Signals, extra: list[str]) -> list[str]:
    """Names the site goes by, for suffix stripping and organisation detection."""
    names = [*extra, signals.first_meta("og:site_name", "application-name") or "",
             signals.jsonld.publisher or ""]
    return [n for n in names if n]


def choose_title(signals: Signals, hint: Candidate | None, names: list[str],
                 trafilatura_title: str | None, model: MetadataModel = HAND_SET) -> Chosen:
    """The headline: by the fitted weights when `model` has title weights, else by the
    hand-set vote below."""
    stripped = _title_candidates(signals, hint, names, trafilatura_title)
    if weights := model.for_field("title"):
        return _choose_learned_title(stripped, weights)
    return _vote_title(stripped)


def title_features(signals: Signals, hint: Candidate | None, names: list[str],
                   trafilatura_title: str | None) -> list[tuple[str, str, dict[str, float]]]:
    """(key, value, features) per distinct title candidate, in source order: what the fitted
    model scores, and what bench/fit_metadata.py fits it on."""
    stripped = _title_candidates(signals, hint, names, trafilatura_title)
    return [(key, value, feats) for key, (value, feats) in _title_table(stripped).items()]


def _title_candidates(signals: Signals, hint: Candidate | None, names: list[str],
                      trafilatura_title: str | None) -> list[tuple[str, str, str]]:
    """(source, raw value, value without site name) per title source, empty ones and ones
    that are only a name the site goes by left out."""
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
    if editorial := signals.first_meta(*EDITORIAL_TITLE_META):
        add(("editorial", editorial))
    for value in signals.microdata.get("headline", [])[:1]:
        add(("microdata", value))
    if signals.title_tag:
        add(("title_tag", signals.title_tag))
    if hint and hint.title:
        add(("feed", hint.title))
    if trafilatura_title:
        add(("trafilatura", trafilatura_title))
    name_keys = {title_key(n) for n in names}
    # the comment form's heading is never the story's, whichever source offers it
    not_titles = name_keys | {title_key(h) for h in signals.comment_headings}
    stripped = [(src, raw, strip_site_suffix(raw, names)) for src, raw in candidates]
    stripped = [(src, raw, v) for src, raw, v in stripped if v and title_key(v) not in not_titles]
    stripped = _untruncated(stripped)
    return stripped + _heading_candidates(signals.headings, stripped, name_keys)


_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|…)$")


def _untruncated(stripped: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """A title cut short with an ellipsis (JSON-LD headlines are cut to 110 characters by
    many CMSs, social titles to their card's length) states the whole title another source
    gives: it counts for that one, not as a rival candidate."""
    out = []
    for src, raw, value in stripped:
        if _ELLIPSIS.search(value) and (cut := title_key(_ELLIPSIS.sub("", value))):
            whole = next((v for _, _, v in stripped
                          if len(key := title_key(v)) > len(cut) and key.startswith(cut)), None)
            if whole is not None:
                value = whole
        out.append((src, raw, value))
    return out


def _heading_candidates(headings: list[str], stripped: list[tuple[str, str, str]],
                        name_keys: set[str]) -> list[tuple[str, str, str]]:
    """The first of the page's <h2>/<h3>s that says what another source says, whole or as
    its leading part (og:title 'Headline - Topic' and an <h2> 'Headline'): where the <h1> is
    a section name or a breadcrumb, this is the displayed headline. A heading no other
    source vouches for (a subhead, a teaser) is never a candidate, nor one that is only a
    title's trailing part ('Headline - What we expect' and a subhead 'What we expect')."""
    known: set[str] = set()
    for _, raw, value in stripped:
        known.add(title_key(value))
        known |= leading_runs(raw)
    # A heading that repeats the <h1> adds nothing the <h1> does not say.
    skip = name_keys | {title_key(v) for src, _, v in stripped if src == "h1"}
    for text in headings:
        key = title_key(text)
        if key in known and key not in skip:
            return [("h2", text, collapse(text))]
    return []


def _title_table(stripped: list[tuple[str, str, str]]) -> dict[str, tuple[str, dict[str, float]]]:
    """Per title key: its most common spelling and its features. Features are facts about
    the candidate, not judgements: which sources state it whole or as part of theirs (a
    headline plus a section), how many agree, its length, whether a suffix was cut."""
    table: dict[str, tuple[str, dict[str, float]]] = {}
    spellings: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    h1_keys = {title_key(v) for src, _, v in stripped if src == "h1"}
    og_key = next((title_key(v) for src, _, v in stripped if src == "og"), None)
    for src, raw, value in stripped:
        key = title_key(value)
        spellings[key][collapse(value)] += 1
        feats = table.setdefault(key, (value, {}))[1]
        # twitter:title, <title> and trafilatura's title (og:title when there is one) that
        # say what og:title says are copies an SEO plugin made of it, not further sources
        # that agree (see _vote_title): they get their own features and do not add to
        # n_sources, so four copies of an SEO title do not outvote the visible headline.
        copied = src in OG_COPIES and key == og_key
        feats[f"{'copy' if copied else 'src'}:{src}"] = 1.0
        if src == "h1" and len(h1_keys) > 1:
            feats["h1_one_of_several"] = 1.0
        if collapse(raw) != collapse(value):
            feats["site_name_cut"] = 1.0
    for src, raw, value in stripped:
        for key in title_runs(raw) & table.keys() - {title_key(value)}:
            table[key][1][f"part:{src}"] = 1.0
    lengths = {key: count_words(value) for key, (value, _) in table.items()}
    for key, (value, feats) in table.items():
        words = lengths[key]
        feats["n_sources"] = sum(1 for f in feats if f.startswith("src:")) / 4
        feats["words"] = min(words, 30) / 10
        feats["short"] = float(words <= 3)
        feats["has_colon"] = float(":" in value)
        feats["all_caps"] = float(_all_caps(value))
        if len(table) > 1:
            feats["longest"] = float(words == max(lengths.values()))
            feats["shortest"] = float(words == min(lengths.values()))
        spelled = spellings[key]
        table[key] = (max(spelled, key=lambda v: spelled[v]), feats)
    # The hand-set vote's pick is a feature too: the fitted weights then learn when to
    # overrule it rather than rediscovering what it already gets right.
    if voted := _vote_title(stripped).value:
        table[title_key(str(voted))][1]["hand_choice"] = 1.0
    return table


def _all_caps(value: str) -> bool:
    """Set in capitals: most of its letters are upper case. Not merely str.isupper(), which
    holds for a Japanese headline with one Latin acronym ('改正NICT法が...')."""
    letters = [c for c in value if c.isalpha()]
    cased = [c for c in letters if c.isupper() or c.islower()]
    return len(cased) * 2 > len(letters) and all(c.isupper() for c in cased)


def _choose_learned_title(stripped: list[tuple[str, str, str]],
                          weights: Mapping[str, float]) -> Chosen:
    table = _title_table(stripped)
    found = best(weights, [(key, feats) for key, (_, feats) in table.items()])
    if found is None:
        return Chosen(None, None)
    key, margin = found
    source = next(src for src, _, v in stripped if title_key(v) == key)
    return Chosen(table[key][0], source, margin)


def _vote_title(stripped: list[tuple[str, str, str]]) -> Chosen:
    cleaned = [(src, v) for src, _, v in stripped]
    # An SEO plugin writes one title and copies it into og:title, twitter:title and <title>,
    # and trafilatura's title is og:title when there is one: copies of og:title are one
    # statement, not four that agree. Counted four times, they outvote the visible <h1>
    # wherever the SEO title differs from the headline.
    og_key = next((title_key(v) for src, v in cleaned if src == "og"), None)
    cleaned = [(src, v) for src, v in cleaned
               if not (src in OG_COPIES and title_key(v) == og_key)]
    # A page with several different <h1>s uses them for more than its headline (a sidebar
    # widget, an advert): each is that much weaker evidence.
    weights = TITLE_WEIGHTS
    h1_keys = {title_key(v) for src, v in cleaned if src == "h1"}
    if len(h1_keys) > 1:
        weights = TITLE_WEIGHTS | {"h1": TITLE_WEIGHTS["h1"] / len(h1_keys)}
    # A source whose value is another candidate plus a suffix or prefix (an undeclared site
    # name, a section) supports that candidate too.
    keys = {title_key(v) for _, v in cleaned}
    partial: dict[str, float] = defaultdict(float)
    for src, raw, value in stripped:
        for key in title_runs(raw) & keys - {title_key(value)}:
            partial[key] += weights.get(src, 1.0)
    return _vote(cleaned, weights, title_key, partial)


def fallback_title(signals: Signals, url: str, names: list[str]) -> Chosen:
    """A title for a page where the vote found none (every candidate was empty or equal to a
    name the site goes by, as when a CMS copies the headline into `application-name`): the
    visible headline, og/twitter title, JSON-LD headline, `<title>` without the site name,
    then the URL's slug. A story is never dropped for want of a title."""
    ordered = [("h1", h) for h in signals.h1[:1]]
    ordered += [(src, v) for src, v in (("og", signals.first_meta("og:title")),
                                        ("twitter", signals.first_meta("twitter:title")),
                                        ("jsonld", signals.jsonld.headline)) if v]
    for src, value in ordered:
        if value := collapse(value):
            return Chosen(value, src)
    value = strip_site_suffix(signals.title_tag or "", names)
    if value and title_key(value) not in {title_key(n) for n in names}:
        return Chosen(value, "title_tag")
    if slug := title_from_slug(url):
        return Chosen(slug, "url")
    return Chosen(None, None)


_SLUG_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp)$", re.IGNORECASE)


def title_from_slug(url: str) -> str | None:
    """'/2024/05/big-night-for-the-choir-12345.html' -> 'Big night for the choir': the last
    path segment made of two or more words, ids and extensions dropped; None when none."""
    for segment in reversed(urlsplit(url).path.split("/")):
        words = [w for w in re.split(r"[-_+\s]+", _SLUG_EXTENSION.sub("", unquote(segment)))
                 if w and not any(c.isdigit() for c in w)]
        if len(words) >= 2:
            text = " ".join(words)
            return text[0].upper() + text[1:]
    return None


def _vote(candidates: list[tuple[str, str]], weights: dict[str, float],
          keyfn: Callable[[str], str], extra: dict[str, float] | None = None) -> Chosen:
    if not candidates:
        return Chosen(None, None)
    support: dict[str, float] = defaultdict(float)
    for src, value in candidates:
        support[keyfn(value)] += weights.get(src, 1.0)
    for key, weight in (extra or {}).items():
        if key in support:
            support[key] += weight
    order = list(weights)

    def rank(item: tuple[str, str]) -> tuple[float, int]:
        src, value = item
        return (support[keyfn(value)], -order.index(src) if src in order else -99)

    src, value = max(candidates, key=rank)
    # Among the sources that agree, the spelling most of them use (straight vs curly quotes).
    winner = keyfn(value)
    spellings: dict[str, float] = defaultdict(float)
    for other_src, other in candidates:
        if keyfn(other) == winner:
            spellings[collapse(other)] += weights.get(other_src, 1.0)
    best = max(spellings.values())
    if spellings[collapse(value)] < best:
        value = next(v for v, w in spellings.items() if w == best)
    return Chosen(collapse(value), src, _margin(support, winner))


def _margin(support: dict[str, float], winner: str) -> float:
    others = [weight for key, weight in support.items() if key != winner]
    return support[winner] - max(others, default=0.0)


def local_date(raw: str) -> str | None:
    """The calendar date a date string states, in its own time zone (YYYY-MM-DD)."""
    raw = raw.strip()
    if len(raw) >= 10 and raw[4] == "-" and raw[7] == "-" and raw[:4].isdigit():
        return raw[:10] if parse_machine_date(raw) is not None else None
    parsed = parse_machine_date(raw)
    if parsed is None:
        return None
    try:
        return parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError):
        return parsed.date().isoformat()


# A dated candidate: source, UTC moment (None if unparseable), calendar day as written,
# whether it carries a time of day, and whether it is stated in UTC ('Z', '+00:00'): the
# calendar day of a UTC stamp is not necessarily the day the page's readers saw.
DateCandidate = tuple[str, datetime | None, str, bool, bool]
_UTC_STATED = re.compile(r"(?:z|[+-]00:?00|\s(?:utc|gmt))$", re.IGNORECASE)


def _machine(source: str, raw: str) -> DateCandidate | None:
    day = local_date(raw)
    if day is None:
        return None
    timed = len(raw.strip()) > 10
    return (source, parse_machine_date(raw), day, timed,
            timed and _UTC_STATED.search(raw.strip()) is not None)


def _written_date(source: str, text: str, lang: str | None = None) -> DateCandidate | None:
    """A date written for people, as a candidate (its zone, if any, is already applied);
    `lang`, the page's language, tells which of '03/04/2026' is the day."""
    if parsed := parse_text_date(text, day_first_for(lang)):
        return (source, parsed[0], parsed[1], parsed[0].time() != time(0), False)
    return None


def choose_published(signals: Signals, hint: Candidate | None, trafilatura_date: str | None,
                     model: MetadataModel = HAND_SET) -> ChosenDate:
    """The publication date: by the fitted weights when `model` has date weights, else by
    the hand-set vote."""
    candidates = _date_candidates(signals, hint, trafilatura_date)
    if weights := model.for_field("date"):
        table = _date_table(candidates, choose_modified(signals).local_date)
        found = best(weights, list(table.items()))
        if found is None:
            return ChosenDate(None, None, None)
        return _date_on(candidates, found[0], found[1])
    return _vote_date(candidates)


def date_features(signals: Signals, hint: Candidate | None, trafilatura_date: str | None,
                  ) -> list[tuple[str, dict[str, float]]]:
    """(calendar day, features) per distinct candidate day: what the fitted model scores."""
    candidates = _date_candidates(signals, hint, trafilatura_date)
    return list(_date_table(candidates, choose_modified(signals).local_date).items())


def _date_table(candidates: list[DateCandidate], modified: str | None,
                ) -> dict[str, dict[str, float]]:
    """Per candidate day, in source order: which sources state it (JSON-LD, meta and
    microdata as one feature, `declared`: see DECLARED_DATE_SOURCES), how many, whether one
    gives a time of day, whether it is the earliest or latest day offered, whether it is
    the modification day, whether it is a 1 January (htmldate's year-only fallback)."""
    table: dict[str, dict[str, float]] = {}
    sources: dict[str, set[str]] = defaultdict(set)
    for src, _, day, timed, _ in candidates:
        feats = table.setdefault(day, {})
        sources[day].add(src)
        feats["declared" if src in DECLARED_DATE_SOURCES else f"src:{src}"] = 1.0
        if timed:
            feats["has_time"] = 1.0
    days = sorted(table)
    for day, feats in table.items():
        feats["n_sources"] = len(sources[day]) / 4
        feats["jan_first"] = float(day[5:] == "01-01")
        if len(days) > 1:
            feats["earliest"] = float(day == days[0])
            feats["latest"] = float(day == days[-1])
        if modified is not None:
            feats["is_modified_day"] = float(day == modified)
            feats["after_modified"] = float(day > modified)
    return table


def _date_candidates(signals: Signals, hint: Candidate | None,
                     trafilatura_date: str | None) -> list[DateCandidate]:
    raw: list[tuple[str, str]] = []
    if signals.jsonld.date_published:
        raw.append(("jsonld", signals.jsonld.date_published))
    for name in PUBLISHED_META:
        for value in signals.meta.get(name, [])[:1]:
            raw.append(("meta", value))
    for value in signals.microdata.get("datePublished", [])[:1]:
        raw.append(("microdata", value))
    for value in signals.time_tags[:1]:
        raw.append(("time_tag", value))
    if hint and hint.published_at:
        raw.append((hint.via, hint.published_at.isoformat()))
    if signals.url_date:
        raw.append(("url", signals.url_date))
    # Some CMSs write a meta date for people ('Thursday, December 22, 2016, 06:47 PM'):
    # read as text, it is still the page's own statement.
    candidates = [c for src, value in raw if (c := _machine(src, value))]
    for value in signals.text_dates[:1]:
        if found := _written_date("text", value, signals.html_lang):
            candidates.append(found)
    # htmldate falls back to a copyright year and reports it as 1 January: unless another
    # source names that day too, such a value is a year, not a publication date. On the
    # eval pages where it was the only date (four), it was the copyright line's year every
    # time, two months or more from the story's day: no date is better than that one.
    if trafilatura_date and (found := _machine("trafilatura", trafilatura_date)):
        year_only = found[2][5:] == "01-01" and all(c[2] != found[2] for c in candidates)
        if not year_only:
            candidates.append(found)
    return _local_days(candidates)


def _local_days(candidates: list[DateCandidate]) -> list[DateCandidate]:
    """A UTC stamp's calendar day is the page's own day only where the site lives near
    Greenwich: '2018-12-31T23:11:59+00:00' from a Vienna blog whose URL says 2019/01/01, or
    '00:47Z on the 23rd' beside 'Dec. 22, 6:47 p.m.' in the byline, is the local 1st or
    22nd. So when a source that writes local dates (the URL, the visible text, a stamp with
    its own offset; not htmldate's guess) names the day before or after a UTC stamp's, and
    the stamp falls on that day in a time zone news sites live in (UTC-10 to UTC+13), the
    stamp counts for that local day. Its moment is unchanged."""
    local_days = {day for src, _, day, timed, utc in candidates
                  if src in ("url", "text") or (timed and not utc and src != "trafilatura")}
    out = []
    for src, moment, day, timed, utc in candidates:
        if utc and moment is not None:
            near = {(moment - timedelta(hours=10)).date().isoformat(),
                    (moment + timedelta(hours=13)).date().isoformat()} - {day}
            if day not in local_days and len(found := near & local_days) == 1:
                day = found.pop()
        out.append((src, moment, day, timed, utc))
    return out


def choose_modified(signals: Signals) -> ChosenDate:
    raw: list[tuple[str, str]] = []
    if signals.jsonld.date_modified:
        raw.append(("jsonld", signals.jsonld.date_modified))
    for name in MODIFIED_META:
        for value in signals.meta.get(name, [])[:1]:
            raw.append(("meta", value))
    for value in signals.microdata.get("dateModified", [])[:1]:
        raw.append(("microdata", value))
    for value in signals.updated_time_tags[:1]:
        raw.append(("time_tag", value))
    return _vote_date([c for src, value in raw if (c := _machine(src, value))])


def _vote_date(candidates: list[DateCandidate]) -> ChosenDate:
    """The calendar day with the most support wins; within it, the most precise value."""
    if not candidates:
        return ChosenDate(None, None, None)
    support: dict[str, float] = defaultdict(float)
    for src, _, day, _, _ in candidates:
        support[day] += DATE_WEIGHTS.get(src, 1.0)
    order = list(DATE_WEIGHTS)

    def rank(src: str) -> int:
        return -order.index(src) if src in order else -99

    best_day = max(support, key=lambda d: (support[d], max(
        rank(c[0]) for c in candidates if c[2] == d)))
    return _date_on(candidates, best_day, _margin(support, best_day))


def _date_on(candidates: list[DateCandidate], day: str, margin: float) -> ChosenDate:
    """The chosen day's most precise value (a time of day beats none), then the most
    trusted source's."""
    order = list(DATE_WEIGHTS)

    def rank(src: str) -> int:
        return -order.index(src) if src in order else -99

    same_day = [c for c in candidates if c[2] == day and c[1] is not None]
    if not same_day:
        return ChosenDate(None, day, None)
    # a stamp counted for its local day (see _local_days) is the last choice for the moment
    src, moment, _, _, _ = max(same_day, key=lambda c: (
        c[3], not (c[4] and c[1] is not None and c[1].date().isoformat() != day), rank(c[0])))
    return ChosenDate(moment, day, src, margin)


def choose_authors(signals: Signals, hint: Candidate | None, names: list[str],
                   trafilatura_author: str | None) -> Chosen:
    """Authors by evidence: sources naming people with full names beat sources naming only
    organisations or single tokens; among those, agreement between sources decides."""
    orgs = tuple(names)
    sources: list[tuple[str, list[str]]] = []
    credits: list[tuple[str, str]] = []

    def add(source: str, values: list[str]) -> None:
        cleaned = clean_authors(values, orgs)
        if cleaned:
            sources.append((source, cleaned))
        credits.extend((source, c) for v in values if (c := clean_credit(v)))

    add("jsonld", signals.jsonld.authors)
    metas = author_meta(signals.meta)
    # Names spelled out before names read from a profile URL's slug, which loses hyphens
    # and accents: of two spellings of one name, the first is kept.
    add("meta", [v for v in metas if not v.startswith("http")]
        + [name for v in metas if v.startswith("http") and (name := name_from_author_url(v))])
    add("microdata", signals.microdata.get("author", [])[:3])
    for byline in signals.bylines[:6]:
        add("byline", [byline])
    # A link to an author page is a byline, of a person or of a desk ('Smart Shopping
    # Team'): a name that cleaning changes is a desk's, a credit rather than a person.
    linked: list[str] = []
    for raw in signals.author_links:
        credit = clean_credit(raw)
        if clean_authors([raw], orgs) == [credit]:
            linked.append(raw)
        elif credit:
            credits.append(("link", credit))
    add("link", linked)
    if hint:
        add("feed", list(hint.authors))
    if trafilatura_author:
        add("trafilatura", trafilatura_author.split(";"))
    if not sources:
        return _credit(credits)
    support: dict[str, float] = defaultdict(float)
    for src, people in sources:
        for person in set(map(title_key, people)):
            support[person] += AUTHOR_WEIGHTS.get(src, 1.0)

    def persons(item: tuple[str, list[str]]) -> list[str]:
        src, people = item
        if src == "jsonld" and signals.jsonld.author_is_org:
            return []
        return [p for p in people if is_person_name(p, list(orgs)) and is_strong_name(p)]

    def score(item: tuple[str, list[str]]) -> tuple[int, float, float]:
        # Agreement from the other sources, summed over the names: a list that adds a
        # corroborated co-author beats a shorter one, a name nobody else gives adds nothing.
        found = persons(item)
        own = AUTHOR_WEIGHTS.get(item[0], 1.0)
        agreement = sum(support[title_key(p)] - own for p in found)
        return (1 if found else 0, agreement, own)

    best = max(sources, key=score)
    if best[0] == "trafilatura" and score(best)[1] <= 0 and (stated := _stated_credits(credits)):
        # trafilatura alone names this person while the page's own markup credits someone
        # else twice over (the outlet, a desk): its guess came from elsewhere on the page (a
        # comment widget, a date glued to a label), and the page's credit is what it says.
        return _credit(stated)
    if chosen := persons(best):
        # Settled when every person any source names is chosen and each is named by two or
        # more sources: a further opinion could then only add a name nobody else gives.
        keys = set(map(title_key, chosen))
        named = {title_key(p) for item in sources for p in persons(item)}
        # Links are found by the shape of their URL alone: they vote, but do not settle.
        sources_per_name = {key: sum(key in set(map(title_key, people))
                                     for src, people in sources if src != "link")
                            for key in keys}
        settled = named == keys and min(sources_per_name.values()) >= 2
        return Chosen(chosen, _reported(best[0]), float("inf") if settled else 0.0)
    return _credit(credits)


_AUTHOR_URL = re.compile(
    r"/(?:authors?|editors?|writers?|staff|people|profiles?|journalists?|contributors?|autor(?:en)?"
    r"|redaktion)/(?P<slug>[a-z]+(?:-[a-z]+){1,3})/?$", re.IGNORECASE)


def name_from_author_url(url: str) -> str | None:
    """'https://outlet.example/editors/jane-doe' -> 'Jane Doe': an `article:author` given as
    the author's page, as the Open Graph spec allows, still names the author in its slug.
    Only a slug of two to four letter-only words under an author-page path counts, and none
    naming an organisation (a profile link on a social network, 'facebook.com/outlet', names
    no person)."""
    m = _AUTHOR_URL.search(urlsplit(url).path)
    if m is None or _ORG_WORDS & set(m["slug"].lower().split("-")):
        return None  # '/author/time-magazine/': a desk's page, not a person's
    return " ".join(w.capitalize() for w in m["slug"].split("-"))


def names_a_person(authors: list[str], names: list[str]) -> bool:
    """True when the chosen authors include a person's full name (not only an outlet, a desk
    or a single token)."""
    return any(is_strong_name(a) and is_person_name(a, names) for a in authors)


# A credit line opening or closing the text: 'Written by: Jane Doe', 'Eine Kolumne von Nils
# Pickert', 'By Jane Doe and John Roe'; the label is one of a few words, possibly after a
# short phrase naming the genre.
_CREDIT_LINE = re.compile(
    r"^(?:[\w-]+\s+){0,2}?(?:(?:written|words|text|story|reporting|report)\s+by|by|von|par|por"
    r"|di|door|av|af|text|texte|autor|autorin|author)\s*:?\s+(?P<names>.+)$", re.IGNORECASE)
_NAME_LIST_SPLIT = re.compile(r"\s*(?:/|,|&|\band\b|\bund\b|\bet\b|\by\b)\s*")


def authors_from_text(text: str, names: list[str],
                      bold_lines: Sequence[str] = ()) -> tuple[list[str], str | None]:
    """People credited in a short line among the first three or last two paragraphs of the
    text, for pages whose markup credits only the outlet, and that line (a byline, not body
    text); ([], None) when there is none.

    A line that is nothing but names counts only as the in-body byline some themes set in
    bold among the first three paragraphs (`_is_bold_byline`), or as a bold signature closing
    the text (`_is_bold_signature`): a bold 'Marvel Studios' picture credit or a listicle's
    bold item names would otherwise pass for one."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    places = [(i, True) for i in range(min(3, len(paragraphs)))]
    places += [(i, False) for i in range(max(3, len(paragraphs) - 2), len(paragraphs))]
    for i, opening in places:
        line = paragraphs[i]
        if not _short_line(line):
            continue
        if not (parts := _credited_parts(line)):
            if not (_is_bold_byline(paragraphs, i, bold_lines) if opening
                    else i == len(paragraphs) - 1 and _is_bold_signature(paragraphs,
                                                                         bold_lines)):
                continue
            parts = _NAME_LIST_SPLIT.split(line)
        if (people := _people_in(parts, names)) is not None:
            return people, line
    return [], None


def is_byline(line: str, names: list[str]) -> bool:
    """Whether a paragraph is a short credit line naming only people ('Von Jane Doe', 'By
    Jane Doe and John Roe', 'Par Jean Dupont, à Paris' is not: a place is not a name); the
    same test authors_from_text applies to the text's first and last lines."""
    return _short_line(line) and _people_in(_credited_parts(line), names) is not None


def _short_line(line: str) -> bool:
    """Short enough for a byline, and not a sentence."""
    return len(line) <= 80 and len(line.split()) <= 10 \
        and not line.endswith((".", "?", "!", ":", "。"))


def _credited_parts(line: str) -> list[str]:
    """The names after a credit word ('By', 'Von', 'Par', ...); [] when the line has none."""
    m = _CREDIT_LINE.match(line)
    return _NAME_LIST_SPLIT.split(m.group("names").strip()) if m else []


def _people_in(parts: list[str], names: list[str]) -> list[str] | None:
    """The people these parts name, cleaned; None unless every part is a person's name.
    Cleaning that changes a name ('Smart Shopping Team' -> 'Smart Shopping') means the
    line credits a desk or a role, not people."""
    if not parts or not all(is_strong_name(p) and len(p) <= 40 for p in parts):
        return None
    people = clean_authors(parts, tuple(names))
    if people == [clean_credit(p) for p in parts] and all(is_person_name(p, names)
                                                          for p in people):
        return people
    return None


# Words of organisations' names: a bold 'Marvel Studios' under a picture is a credit.
_ORG_WORDS = frozenset((
    "studio", "studios", "pictures", "records", "productions", "films", "media", "network",
    "networks", "magazine", "festival", "awards", "group", "company", "inc", "ltd", "llc",
    "gmbh", "agency", "press", "times", "news", "daily", "weekly", "tv", "radio", "channel",
    "club", "foundation", "university", "council", "police", "ministry", "original"))


def _is_bold_byline(paragraphs: list[str], i: int, bold_lines: Sequence[str]) -> bool:
    """Whether paragraph i, a line of nothing but names, is the in-body byline: set all in
    bold, before the story's first full paragraph, with no other bold line of names within
    four paragraphs (a listicle's items), and no surname the story goes on to mention (its
    subject's name as a lead-in heading: bylines are rarely repeated in the text)."""
    line = paragraphs[i]
    if line not in bold_lines or not _names_only([line]):
        return False
    if any(count_words(p) >= 15 for p in paragraphs[:i]):
        return False
    near = paragraphs[max(0, i - 4):i] + paragraphs[i + 1:i + 5]
    if _names_only([p for p in near if p in bold_lines]):
        return False
    rest = " ".join(paragraphs[i + 1:])
    return not any(p.split()[-1] in rest for p in _NAME_LIST_SPLIT.split(line) if p.split())


def _is_bold_signature(paragraphs: list[str], bold_lines: Sequence[str]) -> bool:
    """Whether the text's last paragraph, a line of nothing but names, signs the story: set
    all in bold, after a story of some length, no other bold line of names just before it,
    and no surname the story mentioned (its subject's name as a closing credit)."""
    line = paragraphs[-1]
    if line not in bold_lines or not _names_only([line]) or len(paragraphs) < 3:
        return False
    if _names_only([p for p in paragraphs[-5:-1] if p in bold_lines]):
        return False
    story = " ".join(paragraphs[:-1])
    return not any(p.split()[-1] in story for p in _NAME_LIST_SPLIT.split(line) if p.split())


def _names_only(lines: list[str]) -> list[str]:
    """The lines that are nothing but people's names."""
    return [line for line in lines
            if all(is_strong_name(p) and not _ORG_WORDS & set(p.casefold().split())
                   for p in _NAME_LIST_SPLIT.split(line))]


def _stated_credits(credits: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The credits the page's own markup states at least twice (two tags, a byline and a
    link): a single one may be a widget's label ('See all')."""
    count: dict[str, int] = defaultdict(int)
    for src, credit in credits:
        if src != "trafilatura":
            count[title_key(credit)] += 1
    return [(src, c) for src, c in credits
            if src != "trafilatura" and count[title_key(c)] >= 2]


def _credit(credits: list[tuple[str, str]]) -> Chosen:
    """No full person name anywhere: the best-supported credit, since an outlet or desk
    credit ('MND Staff', 'The Associated Press') is still what the page says. It is kept as
    written; a cleaned name would cut it to 'MND' or drop it."""
    if not credits:
        return Chosen([], None)
    support: dict[str, float] = defaultdict(float)
    for src, credit in credits:
        support[title_key(credit)] += AUTHOR_WEIGHTS.get(src, 1.0)
    src, credit = max(credits, key=lambda item: (support[title_key(item[1])],
                                                 AUTHOR_WEIGHTS.get(item[0], 1.0)))
    return Chosen([credit], _reported(src))


def _reported(source: str) -> str:
    """The record's name of an author source: a link to an author page is a byline."""
    return "byline" if source == "link" else source
