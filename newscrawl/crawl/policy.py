"""The crawl's decisions as pure functions: fetch or skip a candidate, write or drop an
article, when to revisit. The spider and the pipelines call these and carry out the answer;
every reason has a unit test (tests/crawl/test_policy.py) that runs in milliseconds.

Revisits: an article in the dataset is fetched again only when its sitemap/feed `lastmod` is
newer than the one recorded, or when it is young enough to still change (published within
`young_hours`, and not checked within `interval_minutes`). The revisit is a conditional
request (If-None-Match / If-Modified-Since): a 304 costs the site almost nothing and writes
nothing; a changed text becomes the next `version` of the id.
"""

from __future__ import annotations

from collections.abc import Callable, Container
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

from newscrawl.crawl.reasons import DropReason, SkipReason
from newscrawl.discovery import Candidate
from newscrawl.discovery.dates import parse_machine_date, url_date
from newscrawl.discovery.links import classify_link
from newscrawl.sites import Site
from newscrawl.state import KnownArticle
from newscrawl.urls import canonicalize_url, is_same_site


class StateView(Protocol):
    """The two questions the fetch decision asks the crawl state."""

    def known(self, url: str) -> KnownArticle | None: ...

    def rejected(self, url: str) -> tuple[datetime, str] | None: ...


@dataclass(frozen=True)
class RevisitPolicy:
    young_hours: float = 48.0
    interval_minutes: float = 60.0
    reject_recheck_hours: float = 24.0

    def due(self, known: KnownArticle, candidate: Candidate | None, now: datetime) -> bool:
        """Should this known article be fetched again?"""
        fetched = parse_machine_date(known.last_fetched)
        # Changed since we last saw it: a lastmod newer than both the one recorded and our
        # last fetch (a re-check through a link may have fetched the edit already).
        seen = [d for d in (parse_machine_date(known.lastmod_seen), fetched) if d is not None]
        reference = max(seen) if seen else None
        if candidate is not None and candidate.lastmod is not None and (
                reference is None or candidate.lastmod > reference):
            return True
        published = parse_machine_date(known.published_at)
        young = published is not None and now - published < timedelta(hours=self.young_hours)
        stale = fetched is None or now - fetched >= timedelta(minutes=self.interval_minutes)
        return young and stale

    def rejection_holds(self, rejected_at: datetime, candidate: Candidate,
                        now: datetime) -> bool:
        """A page found not to be an article is not fetched again until the recheck time
        passes or its sitemap/feed lastmod moves past the rejection."""
        return now - rejected_at < timedelta(hours=self.reject_recheck_hours) and (
            candidate.lastmod is None or candidate.lastmod <= rejected_at)


def conditional_headers(known: KnownArticle) -> dict[str, str]:
    """Request headers that make a revisit conditional on what the site sent last time."""
    headers = {}
    if known.etag:
        headers["If-None-Match"] = known.etag
    if known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


# -- fetch or skip ------------------------------------------------------------------------


@dataclass(frozen=True)
class TrapLimits:
    """Bounds that keep one hostile or broken site from holding a run: every one is counted
    as a skip reason when hit. Defaults are far above what a real news site needs in one run
    (the largest real sitemap file holds 50,000 URLs)."""

    max_url_length: int = 1024
    max_path_segments: int = 16
    max_segment_repeats: int = 3     # /a/b/a/b/a/b/ grows without end
    max_query_variants: int = 10     # /story/?variant=1, 2, 3 ... of one path
    max_candidates_per_site: int = 20_000


def trap_reason(url: str, limits: TrapLimits) -> SkipReason | None:
    """A URL whose shape alone says crawler trap: too long, too deep, repeating itself."""
    if len(url) > limits.max_url_length:
        return "trap_url_too_long"
    segments = [s for s in urlsplit(url).path.split("/") if s]
    if len(segments) > limits.max_path_segments:
        return "trap_path_repetition"
    counts: dict[str, int] = {}
    for segment in segments:
        counts[segment] = counts.get(segment, 0) + 1
        if counts[segment] >= limits.max_segment_repeats:
            return "trap_path_repetition"
    return None


@dataclass
class FetchMemory:
    """What this run decided so far, per site: the input `decide_fetch` needs beyond the
    candidate, updated by the spider with `remember()`."""

    scheduled: set[str] = field(default_factory=set)      # canonical URLs decided this run
    skipped_known: set[str] = field(default_factory=set)  # ... skipped as already known
    query_variants: dict[str, int] = field(default_factory=dict)  # URL without query -> n
    fetches: dict[str, int] = field(default_factory=dict)  # site key -> articles scheduled

    def remember(self, site_key: str, decision: Fetch | Skip) -> None:
        url = decision.url
        if isinstance(decision, Fetch):
            if url not in self.scheduled:
                self.scheduled.add(url)
                self.fetches[site_key] = self.fetches.get(site_key, 0) + 1
                base, query = _split_query(url)
                if query:
                    self.query_variants[base] = self.query_variants.get(base, 0) + 1
            self.skipped_known.discard(url)
            return
        if decision.reason is None or decision.reason in PER_CANDIDATE_SKIPS:
            return
        self.scheduled.add(url)
        if decision.reason == "known":
            self.skipped_known.add(url)


# Skips that depend on the moment, not the URL: the same URL may pass later in the run.
PER_CANDIDATE_SKIPS: frozenset[str] = frozenset({"off_site", "site_candidate_cap"})


def _split_query(url: str) -> tuple[str, str]:
    base, _, query = url.partition("?")
    return base, query


@dataclass(frozen=True)
class Fetch:
    """Fetch `url`; `revisit` is the known article when this is a conditional revisit."""

    url: str
    revisit: KnownArticle | None = None


@dataclass(frozen=True)
class Skip:
    """Do not fetch. `reason` None: already scheduled this run (not counted again)."""

    url: str
    reason: SkipReason | None


def decide_fetch(candidate: Candidate, site: Site, *, state: StateView, memory: FetchMemory,
                 robots_allow: Callable[[str], bool], since: datetime | None,
                 revisit: RevisitPolicy, now: datetime,
                 limits: TrapLimits = TrapLimits()) -> Fetch | Skip:
    """Whether an article candidate found by discovery is fetched.

    `memory`: what this run decided before (scheduled URLs, those skipped as known, whose
    later sources may bring the lastmod that shows a change, query variants, per-site
    counts). The function only reads it; the caller records the decision.
    """
    if not is_same_site(candidate.url, site.allowed_hosts):
        return Skip(candidate.url, "off_site")
    url = canonicalize_url(candidate.url)
    if url in memory.scheduled:
        if url in memory.skipped_known and candidate.lastmod is not None:
            known = state.known(url)
            if known is not None and revisit.due(known, candidate, now):
                return Fetch(url, revisit=known)
        return Skip(url, None)
    if trap := trap_reason(url, limits):
        return Skip(url, trap)
    base, query = _split_query(url)
    if query and memory.query_variants.get(base, 0) >= limits.max_query_variants:
        return Skip(url, "trap_query_variants")
    kind = classify_link(url, (), site.deny)
    # Sitemaps and feeds are trusted to list articles, except for what no article is:
    # files, denied paths, and shallow site pages (/about/, /contact/) that sitemaps list too.
    shallow = urlsplit(url).path.strip("/").count("/") == 0
    if kind.startswith("skip:") and (candidate.via == "link" or shallow or kind in (
            "skip:non_html_link", "skip:denied_by_site")):
        return Skip(url, _skip_kind(kind))
    if not robots_allow(url):
        return Skip(url, "robots_disallowed")
    when = candidate.published_at or candidate.lastmod or url_date(url)
    if since and when and when < since:
        return Skip(url, "older_than_since")
    rejected = state.rejected(url)
    if rejected is not None and revisit.rejection_holds(rejected[0], candidate, now):
        return Skip(url, "not_an_article_before")
    known = state.known(url)
    if memory.fetches.get(site.key, 0) >= limits.max_candidates_per_site:
        return Skip(url, "site_candidate_cap")
    if known is None:
        return Fetch(url)
    if not revisit.due(known, candidate, now):
        return Skip(url, "known")
    return Fetch(url, revisit=known)


def _skip_kind(kind: str) -> SkipReason:
    reason = kind.removeprefix("skip:")
    if reason == "non_html_link":
        return "non_html_link"
    if reason == "denied_by_site":
        return "denied_by_site"
    return "not_article_url"


# -- write or drop -------------------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    """Write the record under this identity and version; `duplicate_of` flags a near copy."""

    canonical_url: str
    id: str
    version: int
    duplicate_of: str | None = None


@dataclass(frozen=True)
class Drop:
    """Do not write. `alias_of`: remember the record's URL as an alias of this canonical URL;
    `touch`: the known article whose revisit found it unchanged."""

    reason: DropReason
    detail: str = ""
    alias_of: str | None = None
    touch: KnownArticle | None = None


def decide_write(record: dict[str, Any], known: KnownArticle | None, *,
                 written_this_run: Container[str],
                 content_owner: Callable[[str, str], str | None],
                 near_original: Callable[[str], str | None],
                 drop_near: bool) -> Write | Drop:
    """Whether an extracted record becomes a row.

    `known`: what the state holds at the record's canonical URL (through aliases);
    `content_owner(hash, canonical)`: the canonical URL that already owns this exact text
    (written earlier, this run, or claimed by another worker), or None; asked only when the
    record is new or changed. `near_original(id)`: the id of an earlier near-duplicate.
    """
    canonical, id_ = record["canonical_url"], record["id"]
    if canonical in written_this_run:
        return Drop("duplicate_url")
    if known is not None and known.canonical_url != canonical:
        # This URL is an alias of an article already in the dataset (a copy at a second
        # URL, a moved URL): its page is that article, under that article's identity.
        canonical, id_ = known.canonical_url, known.id
        if canonical in written_this_run:
            return Drop("duplicate_url")
    if known is not None and known.content_hash == record["content_hash"]:
        return Drop("unchanged", touch=known)
    first = content_owner(record["content_hash"], canonical)
    if first is not None and first != canonical:
        return Drop("duplicate_content", f"same text as {first}", alias_of=first)
    version = known.version + 1 if known is not None else record.get("version", 1)
    original = near_original(id_)
    if original is not None and drop_near:
        return Drop("near_duplicate", f"near copy of {original}")
    return Write(canonical, id_, version, original)
