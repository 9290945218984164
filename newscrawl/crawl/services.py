"""The crawl's services and their one owner: a Scrapy extension.

`CrawlServices` opens the dataset run (lock, state, near-duplicate index, part writer), the
extraction pool and the report when the spider opens, and closes them in order when it closes:
commit what is buffered, stop the workers, write the report, release the lock. The spider and
the pipelines get it with `services_of(crawler)` (Scrapy's `crawler.get_extension`).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from twisted.internet import task

from newscrawl.crawl.archiving import ArchiveService, NoArchive
from newscrawl.crawl.config import CrawlConfig, config_of
from newscrawl.crawl.dataset import DatasetRun, new_run_id
from newscrawl.crawl.outcome import REASON_UNWRITABLE
from newscrawl.crawl.pool import ExtractionPool
from newscrawl.crawl.report import CrawlReport
from newscrawl.crawl.stats import bump
from newscrawl.storage.lock import DatasetLockedError
from newscrawl.storage.parquet import WrittenPart

logger = logging.getLogger(__name__)

# How often the buffer's age is checked against NEWSCRAWL_FLUSH_SECONDS.
FLUSH_CHECK_SECONDS = 1.0


class CrawlServices:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats = crawler.stats
        self.config: CrawlConfig = config_of(crawler.settings)
        self.run_id = self.config.run_id or new_run_id()
        self.pool = ExtractionPool(self.config.extract_workers, self.config.extract_timeout,
                                   load_object(self.config.extract_task))
        self.report = CrawlReport(self.stats, self.config.out, progress=self.config.progress,
                                  interval=self.config.progress_interval,
                                  distributed=bool(self.config.redis_url),
                                  sites=self.config.sites)
        self.archive = archive_of(self.config, self.run_id)
        self._dataset: DatasetRun | None = None
        self._flusher: task.LoopingCall | None = None
        self._closed = False
        # Set when a stop begins (signal, error): the spider schedules nothing more.
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlServices:
        quiet_network_tracebacks()
        services = cls(crawler)
        crawler.signals.connect(services.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(services.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(services.item_error, signal=signals.item_error)
        return services

    @property
    def closed(self) -> bool:
        """The dataset was closed (or never opened): callbacks still running record nothing;
        their pages are fetched again by the next run."""
        return self._dataset is None

    @property
    def dataset(self) -> DatasetRun:
        """The open dataset run (open from spider_opened to spider_closed)."""
        if self._dataset is None:
            raise RuntimeError("the dataset is not open (the spider is not running)")
        return self._dataset

    def spider_opened(self) -> None:
        config = self.config
        dataset = DatasetRun(
            root=config.out, run_id=self.run_id, worker=config.worker,
            flush_rows=config.flush_rows, flush_seconds=config.flush_seconds,
            near_window_days=config.near_window_days, redis_url=config.redis_url,
            on_commit=self._count_written)
        try:
            dataset.open()
        except (DatasetLockedError, OSError) as exc:
            dataset.close()
            logger.error("cannot open the dataset at %s: %s", config.out, exc)
            self.stats.set_value("newscrawl_unwritable", str(config.out))
            raise CloseSpider(REASON_UNWRITABLE) from exc
        self._dataset = dataset
        self.archive.open()
        self.pool.warm_up()
        self.report.start()
        self._flusher = task.LoopingCall(self._flush_if_due)
        self._flusher.start(FLUSH_CHECK_SECONDS, now=False)

    def _flush_if_due(self) -> None:
        if self._dataset is None:
            return
        try:
            self._dataset.flush_if_due()
        except OSError as exc:
            self.unwritable(exc)

    def stop(self, reason: str) -> None:
        """Stop the crawl now: schedule nothing more, close with `reason`."""
        if self.stopping:
            return
        self.stopping = True
        if self.crawler.engine is not None:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    def unwritable(self, exc: OSError) -> None:
        """The dataset cannot be written: stop the crawl; its pages are fetched next run."""
        self._mark_unwritable(exc)
        self.stop(REASON_UNWRITABLE)

    def _mark_unwritable(self, exc: OSError) -> None:
        """Say which path could not be written; the run then exits 3 (outcome.py)."""
        where = getattr(exc, "filename", None) or self.config.out
        logger.error("cannot write the dataset at %s: %s", where, exc.strerror or exc)
        self.stats.set_value("newscrawl_unwritable", str(where))

    def _count_written(self, part: WrittenPart) -> None:
        for row in part.rows:
            bump(self.stats, row["site"], "written")

    def item_error(self, item: Any, response: Any, failure: Any) -> None:
        self.report.item_error(item)

    def finish_now(self) -> None:
        """Close everything now, as at the end of a run (a stop whose grace period ran
        out); the pages still in flight are not committed and are fetched next run."""
        self.spider_closed("shutdown")

    def spider_closed(self, reason: str) -> None:
        if self._closed:
            return
        self._closed = True
        self.stopping = True
        if self._flusher is not None and self._flusher.running:
            self._flusher.stop()
        try:
            # WARC files first: a row is committed only once its page is archived.
            self.archive.close()
            if self._dataset is not None:
                self._dataset.flush()
        except OSError as exc:
            self._mark_unwritable(exc)
        finally:
            self.pool.close()
            if self._dataset is not None:
                try:
                    self.report.finish(reason, self.run_id)
                finally:
                    try:
                        self._dataset.close()
                    except OSError as exc:
                        logger.error("closing the dataset at %s failed: %s", self.config.out,
                                     exc)
                    self._dataset = None
            else:
                self.report.stop_live()


def archive_of(config: CrawlConfig, run_id: str) -> NoArchive:
    """The crawl's raw archive (a no-op when NEWSCRAWL_ARCHIVE is off)."""
    if not config.archive:
        return NoArchive()
    return ArchiveService(config.out, run_id, config.worker, config.archive_max_bytes,
                          distributed=bool(config.redis_url))


class _NoRobotsDownloadTraceback(logging.Filter):
    """Scrapy's robots.txt middleware logs a failed robots.txt download with a traceback;
    newscrawl's own middleware says the same in one warning line (crawl/robots.py)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Error downloading")


def quiet_network_tracebacks() -> None:
    robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
    if not any(isinstance(f, _NoRobotsDownloadTraceback) for f in robots_logger.filters):
        robots_logger.addFilter(_NoRobotsDownloadTraceback())


def services_of(crawler: Crawler) -> CrawlServices:
    """The crawl's services; a clear error when the extension was left out of EXTENSIONS."""
    services = crawler.get_extension(CrawlServices)
    if services is None:
        raise RuntimeError("newscrawl.crawl.services.CrawlServices is not in EXTENSIONS; "
                           "the newscrawl spider needs it")
    return services
