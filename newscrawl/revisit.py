"""When a later run fetches an article it already has, and how.

An article in the dataset is fetched again only when its sitemap/feed `lastmod` is newer
than the one recorded, or when it is young enough to still change (published within
NEWSCRAWL_REVISIT_HOURS, and not checked within NEWSCRAWL_REVISIT_INTERVAL_MINUTES). The
revisit is a conditional request (If-None-Match / If-Modified-Since): a 304 costs the site
almost nothing and writes nothing; a changed text becomes the next `version` of the id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from scrapy.http import Request, Response

from newscrawl.dedup.state import KnownArticle
from newscrawl.discovery import Candidate
from newscrawl.discovery.dates import parse_machine_date


@dataclass(frozen=True)
class RevisitPolicy:
    young_hours: float = 48.0
    interval_minutes: float = 60.0

    @classmethod
    def from_settings(cls, settings: Any) -> RevisitPolicy:
        return cls(settings.getfloat("NEWSCRAWL_REVISIT_HOURS", 48.0),
                   settings.getfloat("NEWSCRAWL_REVISIT_INTERVAL_MINUTES", 60.0))

    def due(self, known: KnownArticle, candidate: Candidate | None,
            now: datetime | None = None) -> bool:
        """Should this known article be fetched again?"""
        now = now or datetime.now(UTC)
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

    @staticmethod
    def conditional(request: Request, known: KnownArticle) -> Request:
        """The same request, conditional on the validators the site gave last time."""
        headers = {}
        if known.etag:
            headers["If-None-Match"] = known.etag
        if known.last_modified:
            headers["If-Modified-Since"] = known.last_modified
        meta = {**request.meta, "nc_revisit": True, "handle_httpstatus_list": [304],
                "dont_cache": True}
        return request.replace(headers=headers, meta=meta, dont_filter=True)


def validators_of(response: Response, candidate: Candidate | None) -> dict[str, str | None]:
    """HTTP validators and the discovery lastmod to remember for the next revisit."""
    def header(name: bytes) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None

    lastmod = candidate.lastmod.isoformat() if candidate and candidate.lastmod else None
    return {"etag": header(b"ETag"), "last_modified": header(b"Last-Modified"),
            "lastmod_seen": lastmod}
