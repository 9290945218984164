"""Archived pages -> extraction pool -> validate -> dedup -> dataset: what `newscrawl import`
and `newscrawl reextract` share with the crawl, without the network.

Pages stream in from a WARC reader; at most `window` are in the extraction pool at once, so
memory does not grow with the archive's size. Results are taken in the order the pages came
(the oldest first): the dedup decisions (which of two copies is the original) are then the
same on every run over the same files.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from newscrawl.archive.reader import WarcPage
from newscrawl.crawl.dataset import DatasetRun
from newscrawl.crawl.items import ArticleItem
from newscrawl.crawl.policy import Drop
from newscrawl.crawl.pool import ExtractionPool
from newscrawl.discovery import Candidate
from newscrawl.discovery.dates import parse_machine_date
from newscrawl.extract import Extraction, SiteContext
from newscrawl.record import validate_record
from newscrawl.urls import canonicalize_url

logger = logging.getLogger(__name__)

WRITTEN = "written"          # a new article
NEW_VERSION = "new_version"  # a known article whose text changed


@dataclass
class IngestCounts:
    """What happened to every record read: `outcomes` counts `written`, `new_version` and
    every skip or drop reason (`not_html`, `revisit`, `unchanged`, `duplicate_content`...)."""

    records: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.monotonic)

    @property
    def extracted(self) -> int:
        return self.outcomes[WRITTEN] + self.outcomes[NEW_VERSION]

    def rate(self) -> float:
        return self.records / max(time.monotonic() - self.started, 1e-9)

    def summary(self) -> str:
        parts = [f"{self.records} records", f"{self.outcomes[WRITTEN]} new articles",
                 f"{self.outcomes[NEW_VERSION]} new versions"]
        others = sorted((k, v) for k, v in self.outcomes.items()
                        if k not in (WRITTEN, NEW_VERSION))
        lines = [", ".join(parts) + f" ({self.rate():.1f} records/s)"]
        if others:
            lines.append("skipped: " + ", ".join(f"{k}={v}" for k, v in others))
        return "\n".join(lines)


@dataclass(frozen=True)
class Source:
    """A page to extract for one site (`context`), or the reason the record is not one."""

    page: WarcPage | None
    context: SiteContext | None = None
    skipped: str | None = None


@dataclass
class Ingest:
    """Feeds `Source`s through `pool` into `dataset`.

    `revisit_known`: extract pages of articles the dataset already holds (reextract);
    otherwise (import) such a page is extracted only when it was fetched after the state's
    copy, and skipped as `known` before extraction else. `run_id` goes into every row.
    """

    dataset: DatasetRun
    pool: ExtractionPool
    run_id: str
    window: int = 8
    revisit_known: bool = False
    drop_near: bool = False
    on_progress: Callable[[IngestCounts], None] | None = None
    progress_seconds: float = 10.0
    counts: IngestCounts = field(default_factory=IngestCounts)
    # Called after each handled page with its source: a resumable caller notes progress.
    on_handled: Callable[[WarcPage], None] | None = None
    _last_progress: float = field(default_factory=time.monotonic)

    async def run(self, sources: Iterable[Source]) -> IngestCounts:
        in_flight: deque[tuple[Source, asyncio.Future[Extraction]]] = deque()
        for source in sources:
            self.counts.records += 1
            reason = source.skipped or self._before(source)
            if reason is not None:
                self.counts.outcomes[reason] += 1
                if source.page is not None and self.on_handled is not None and not in_flight:
                    self.on_handled(source.page)
                continue
            assert source.page is not None and source.context is not None
            page = source.page
            future = asyncio.ensure_future(self.pool.extract(
                page.body, page.url, content_type=page.content_type, hint=page.hint,
                site=source.context, run_id=self.run_id))
            in_flight.append((source, future))
            while len(in_flight) >= self.window:
                await self._finish(*in_flight.popleft())
        while in_flight:
            await self._finish(*in_flight.popleft())
        return self.counts

    def _before(self, source: Source) -> str | None:
        """Why a page needs no extraction (cheap checks against the state), or None."""
        assert source.page is not None
        canonical = canonicalize_url(source.page.url)
        if canonical in self.dataset.accepted_urls:
            return "duplicate_url"
        if not self.revisit_known and not self._newer(canonical, source.page.fetched_at):
            return "known"
        return None

    def _newer(self, canonical: str, fetched_at: datetime) -> bool:
        """True unless the state holds this article from a fetch at or after `fetched_at`."""
        known = self.dataset.state.known(canonical)
        if known is None:
            return True
        last = parse_machine_date(known.last_fetched)
        return last is None or fetched_at > last

    async def _finish(self, source: Source, future: asyncio.Future[Extraction]) -> None:
        result = await future
        page = source.page
        assert page is not None
        self.counts.outcomes[self._store(page, result)] += 1
        if self.on_handled is not None:
            self.on_handled(page)
        self.dataset.flush_if_due()
        now = time.monotonic()
        if self.on_progress is not None and now - self._last_progress >= self.progress_seconds:
            self._last_progress = now
            self.on_progress(self.counts)

    def _store(self, page: WarcPage, result: Extraction) -> str:
        """Validate, deduplicate and write one extraction; returns its outcome."""
        record = result.record
        if record is None:
            return str(result.reason)
        # The row says when the page was fetched, not when it was re-read.
        record["crawled_at"] = page.fetched_at
        fetched_canonical = canonicalize_url(page.url)
        if record["canonical_url"] != fetched_canonical:
            if not self.revisit_known and not self._newer(record["canonical_url"],
                                                          page.fetched_at):
                return "known"
            self.dataset.state.add_alias(fetched_canonical, record["canonical_url"])
        problems = validate_record(record)
        if problems:
            logger.warning("%s: invalid record: %s", page.url, "; ".join(problems)[:300])
            return "invalid"
        item = ArticleItem(record=record, fetched_url=page.url, signature=result.signature,
                           via=page.hint.via if page.hint is not None else None)
        decision = self.dataset.deduplicate(item, drop_near=self.drop_near)
        if isinstance(decision, Drop):
            return decision.reason
        self.dataset.add(item)
        return NEW_VERSION if decision.version > 1 else WRITTEN


def import_hint(page: WarcPage) -> Candidate:
    """The discovery hint of a page from someone else's archive: only how it was found."""
    return Candidate(url=page.url, via="warc")
