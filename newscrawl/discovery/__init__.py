"""Pure parsers that turn discovery documents (robots.txt, sitemaps, feeds, listing pages)
into candidate article URLs with whatever the document says about them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Candidate:
    """An article URL found by discovery, with the hints its source gave.

    `published_at`/`lastmod` are UTC or None; `title` is the sitemap's news:title or the
    feed item's title. `via` is 'sitemap', 'feed' or 'link'.
    """

    url: str
    via: str
    published_at: datetime | None = None
    lastmod: datetime | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
