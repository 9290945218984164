"""The crawl state: what earlier runs already hold, and what this run must not fetch again.

Two stores play this one role: `SqliteCrawlState` (embedded, beside the dataset, the default)
and `RedisCrawlState` (shared by distributed workers). Both satisfy the `CrawlState` protocol
below and pass one contract test suite (tests/state/test_contract.py). The Parquet parts are
the truth: each store can adopt parts whose commit was lost (`reconcile`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

MAX_ALIAS_HOPS = 6  # Scrapy follows at most 10 redirects; real chains are 1-3 hops


@dataclass(frozen=True)
class KnownArticle:
    """What the state knows of one article already in the dataset."""

    canonical_url: str
    id: str
    content_hash: str
    version: int
    lastmod_seen: str | None
    published_at: str | None = None
    last_fetched: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Validators:
    """What a later revisit needs to ask "changed since?": the HTTP validators the site sent
    (`etag`, `last_modified`, verbatim header values) and the sitemap/feed `lastmod` seen
    (ISO 8601), each None when absent."""

    etag: str | None = None
    last_modified: str | None = None
    lastmod_seen: str | None = None


@dataclass(frozen=True)
class CommittedRow:
    """One row of a part file as the state records it, with the validators of its fetch."""

    row: dict[str, Any]
    validators: Validators = Validators()


class CrawlState(Protocol):
    """The contract both stores keep (see tests/state/test_contract.py)."""

    def close(self) -> None: ...

    def reconcile(self) -> int:
        """Commit visible parts whose commit was lost; returns how many were adopted."""

    def commit_part(self, relpath: str, rows: Iterable[CommittedRow]) -> None:
        """Record that the rows of a now-visible part are in the dataset, atomically."""

    def known(self, url: str) -> KnownArticle | None:
        """The committed article at this canonical URL, or reached from it through
        recorded aliases (a few hops); None when no committed article answers."""

    def touch(self, canonical_url: str, validators: Validators | None = None) -> None:
        """Record a revisit that found the article unchanged (304 or same text)."""

    def add_alias(self, url: str, canonical_url: str) -> None:
        """Remember that `url` shows the article at `canonical_url`; `known(url)` answers
        only once that article is committed."""

    def has_content(self, content_hash: str) -> str | None:
        """The canonical URL of a committed article with this content hash, if any."""

    def claim_content(self, content_hash: str, canonical_url: str) -> str:
        """Claim a text for this article; returns the canonical URL that owns it."""

    def reject(self, url: str, reason: str) -> None:
        """Remember that a fetched candidate was not an article, and why."""

    def rejected(self, url: str) -> tuple[datetime, str] | None:
        """(when, why) this URL was last found not to be an article, or None."""

    def add_pending(self, site: str, urls: Iterable[str]) -> None:
        """Remember stories scheduled from another story's links: if the run ends before
        they are fetched, the story that links them may be known by then and never fetched
        again, so nothing else would lead the next run to them."""

    def pending(self, site: str) -> list[str]:
        """The site's stories scheduled from links and not yet cleared (see add_pending)."""

    def drop_pending(self, site: str, urls: Iterable[str]) -> None:
        """Clear these: they are in the dataset or known not to be stories."""

    def save_robots(self, host: str, body: bytes) -> None:
        """Keep this run's robots.txt of a host (for the spider's own check)."""

    def load_robots(self, host: str) -> bytes | None: ...

    def count(self) -> int:
        """How many articles are committed."""

    def canonical_urls(self) -> Iterator[str]:
        """Every committed article's canonical URL."""

    def forget(self, canonical_urls: Iterable[str], parts: Iterable[str]) -> None:
        """Forget these articles and part files (a damaged part was quarantined): the next
        crawl fetches the articles again."""


def open_state(root: Any, redis_url: str | None = None) -> CrawlState:
    """The store for a dataset: Redis when a URL is given (distributed mode), else SQLite."""
    if redis_url:
        from newscrawl.state.redis import RedisCrawlState
        from newscrawl.state.redis_keys import namespace_of

        return RedisCrawlState(root, redis_url, namespace_of(root))
    from newscrawl.state.sqlite import SqliteCrawlState

    return SqliteCrawlState(root)
