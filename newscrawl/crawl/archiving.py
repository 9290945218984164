"""The crawl's archive service: Scrapy responses into the dataset's WARC archive.

Owned by CrawlServices (opened after the dataset, so under its writer lock; closed before the
dataset's last commit). The spider calls `record()` with every response that reaches
extraction. With NEWSCRAWL_ARCHIVE off, `NoArchive` takes its place and does nothing.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from scrapy.http import Response
from scrapy.http.headers import Headers

from newscrawl.archive.reader import hint_of
from newscrawl.archive.writer import ArchivedPage, ArchiveWriter
from newscrawl.discovery import Candidate

logger = logging.getLogger(__name__)


class NoArchive:
    """The archive when archiving is off."""

    def open(self) -> None:
        """Nothing to open."""

    def record(self, response: Response, site: str, candidate: Candidate | None) -> None:
        """Archive nothing."""

    def close(self) -> None:
        """Nothing to close."""


class ArchiveService(NoArchive):
    """Writes the crawl's responses to `<out>/_archive/` (see newscrawl.archive)."""

    def __init__(self, root: Path, run_id: str, worker: str, max_bytes: int,
                 distributed: bool) -> None:
        self.writer = ArchiveWriter(root, run_id, worker, max_bytes, own_only=distributed)
        self._failed = False

    def open(self) -> None:
        try:
            salvaged = self.writer.open()
        except OSError as exc:
            self._failed = True
            logger.error("cannot open the archive (%s); this run archives nothing", exc)
            return
        if salvaged:
            logger.warning("finished %d archive file(s) left by an interrupted run", salvaged)

    def record(self, response: Response, site: str, candidate: Candidate | None) -> None:
        """Archive one fetched page. A full disk stops archiving (logged once), not the
        crawl: the dataset is the product, the archive a copy of its sources."""
        if self._failed:
            return
        request = response.request
        page = ArchivedPage(
            url=response.url, status=response.status, body=response.body,
            fetched_at=datetime.now(UTC), site=site,
            request_headers=_pairs(request.headers) if request is not None else [],
            response_headers=_pairs(response.headers), hint=hint_of(candidate),
            method=request.method if request is not None else "GET",
            protocol=response.protocol or "HTTP/1.1")
        try:
            self.writer.write(page)
        except OSError as exc:
            self._failed = True
            logger.error("cannot write the archive (%s); archiving stops for this run", exc)

    def close(self) -> None:
        try:
            self.writer.close()
        except OSError as exc:
            logger.error("cannot finish the archive file (%s); the next run finishes it", exc)


def _pairs(headers: Headers) -> list[tuple[str, str]]:
    """Scrapy's multi-valued Headers as (name, value) pairs, as sent on the wire."""
    pairs = []
    for name, values in headers.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs
