"""The crawl's extraction pool: worker processes that extract pages off the reactor.

Extraction costs ~25 ms of CPU per page, the rest of the crawl ~3 ms; called inline it would
block the reactor and leave the other cores idle. Pebble's ProcessPool gives what
concurrent.futures lacks for this job: a per-task timeout that kills and replaces the stuck
worker, and a crashed worker that fails only its own task instead of breaking the pool.

Back-pressure comes from Scrapy itself: a callback awaiting its extraction keeps its response
in the scraper's active slot, and the downloader stops fetching once that slot is full
(SCRAPER_SLOT_MAX_ACTIVE_SIZE), so memory does not grow with a slow extractor.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from pebble import ProcessExpired, ProcessPool

from newscrawl.crawl.forkserver import start_forkserver
from newscrawl.dedup.near import signature, signature_bytes
from newscrawl.discovery import Candidate
from newscrawl.extract import Extraction, SiteContext, extract_article

logger = logging.getLogger(__name__)

DEFAULT_TASK = "newscrawl.crawl.pool.extract_task"
REASON_TIMEOUT = "extraction_timeout"
REASON_CRASH = "extraction_crashed"
REASON_ERROR = "extraction_error"


def extract_task(body: bytes, url: str, content_type: str | None, hint: Candidate | None,
                  site: SiteContext, run_id: str) -> Extraction:
    result = extract_article(body, url, content_type=content_type, hint=hint, site=site,
                             run_id=run_id)
    if result.record is not None:
        # The near-duplicate signature is CPU work too (0.7 ms a page): done here, in the
        # worker, so the reactor only queries the index.
        minhash = signature(result.record["text"])
        result.signature = signature_bytes(minhash) if minhash is not None else None
    return result


def ignore_stop_signals() -> None:
    """Workers leave stopping to the crawl (crawl/stopping.py): a SIGTERM to the whole
    process group must not kill them while the crawl commits what they extracted."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


class ExtractionPool:
    """`await pool.extract(...)` -> Extraction; failures become reasons, never raise."""

    def __init__(self, workers: int, timeout: float,
                 task: Callable[..., Extraction] = extract_task) -> None:
        self.workers = workers
        self.timeout = timeout
        self.task = task
        self._pool: ProcessPool | None = None
        self._started: Future[None] | None = None  # set by warm_up()
        if workers > 0:
            # Workers start from a forkserver that has imported the extractor and warmed its
            # caches once (preload.py): a worker replaced after a crash or its task quota
            # starts warm, and does not inherit the reactor process's grown memory, as a
            # plain fork of it would. Recycling every 2,000 tasks bounds any slow leak in the
            # parsing libraries at a negligible restart cost.
            context = multiprocessing.get_context("forkserver")
            start_forkserver()
            self._pool = ProcessPool(max_workers=workers, max_tasks=2000, context=context,
                                     initializer=ignore_stop_signals)

    def warm_up(self) -> None:
        """Start the workers now, in the background, while the crawl reads robots.txt and
        sitemaps, rather than when the first article arrives. Starting a worker waits for the
        forkserver to import and warm the extractor (~2 s, preload.py); pebble does that in
        the thread that first schedules a task, which here would have frozen the reactor (and
        every download) for those seconds."""
        if self._pool is None or self._started is not None:
            return
        pool, started = self._pool, Future[None]()

        def start() -> None:
            try:
                for _ in range(self.workers):
                    pool.schedule(os.getpid)
            except Exception as exc:  # noqa: BLE001 - handed to ready(), which retries
                started.set_exception(exc)
            else:
                started.set_result(None)

        self._started = started
        threading.Thread(target=start, name="extraction-pool-start", daemon=True).start()

    async def ready(self) -> None:
        """Wait until the workers are up (at once if there are none). A failed start is
        logged and tried again by the next call."""
        self.warm_up()
        started = self._started
        if started is not None and not started.done():
            try:
                await asyncio.wrap_future(started)
            except Exception:
                logger.exception("the extraction workers failed to start; starting them again")
                self._started = None

    async def extract(self, body: bytes, url: str, *, content_type: str | None,
                      hint: Candidate | None, site: SiteContext, run_id: str) -> Extraction:
        if self._pool is None:
            return self._inline(body, url, content_type, hint, site, run_id)
        await self.ready()
        future = self._pool.schedule(self.task, args=(body, url, content_type, hint, site,
                                                      run_id), timeout=self.timeout)
        try:
            return await asyncio.wrap_future(future)
        except FutureTimeout:
            logger.warning("extraction of %s took longer than %ss; worker replaced", url,
                           self.timeout)
            return Extraction(url, reason=REASON_TIMEOUT)
        except ProcessExpired as exc:
            logger.warning("extraction worker died on %s (exit code %s); replaced", url,
                           exc.exitcode)
            return Extraction(url, reason=REASON_CRASH)
        except Exception as exc:
            logger.exception("extraction of %s failed", url)
            return Extraction(url, reason=f"{REASON_ERROR}:{type(exc).__name__}")

    def _inline(self, body: bytes, url: str, content_type: str | None,
                hint: Candidate | None, site: SiteContext, run_id: str) -> Extraction:
        try:
            return self.task(body, url, content_type, hint, site, run_id)
        except Exception as exc:
            logger.exception("extraction of %s failed", url)
            return Extraction(url, reason=f"{REASON_ERROR}:{type(exc).__name__}")

    def close(self) -> None:
        if self._pool is not None:
            if self._started is not None:
                # Not while the start thread is still creating workers: they would outlive
                # the pool. Its errors were reported to extract() already.
                with contextlib.suppress(Exception):
                    self._started.result(timeout=30)
            self._pool.stop()
            self._pool.join(timeout=10)
            self._pool = None
