"""Stopping a crawl on SIGINT or SIGTERM, promptly and without losing what was extracted.

The first signal stops scheduling and lets the pages in flight finish for at most
`grace` seconds (NEWSCRAWL_STOP_GRACE_SECONDS); then, finished or not, everything extracted so
far is committed, the report is written, and the process exits 130 (SIGINT) or 143
(SIGTERM). A second signal exits at once: rows not yet committed are simply fetched again by
the next run (nothing half-written is ever visible).

The extraction workers ignore both signals (pool.py): a process-group SIGTERM, as systemd
sends it, must not kill them under a crawl that is still committing; the crawl stops them.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

logger = logging.getLogger(__name__)

SIGNAL_STAT = "newscrawl_signal"
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def exit_status(signum: int) -> int:
    """The shell's convention: 128 + the signal number (130 for SIGINT, 143 for SIGTERM)."""
    return 128 + signum


class GracefulStop:
    """Signal handlers for one crawl; `install()` before the reactor starts."""

    def __init__(self, crawler: Crawler, grace: float, begin: Callable[[], None],
                 finish_now: Callable[[], None],
                 before_exit: Callable[[], None] = lambda: None) -> None:
        self.crawler = crawler
        self.before_exit = before_exit  # last clean-up before os._exit (temporary files)
        self.grace = grace
        self.begin = begin  # schedule nothing more
        self.finish_now = finish_now  # commit and report, whatever is still in flight
        self.signum: int | None = None

    def install(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._on_signal)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        from twisted.internet import reactor

        if self.signum is not None:
            # The second signal: out now. Uncommitted rows are fetched again next run.
            self.before_exit()
            os._exit(exit_status(self.signum))
        self.signum = signum
        reactor.callFromThread(self._stop)

    def _stop(self) -> None:
        from twisted.internet import reactor, task

        assert self.signum is not None
        name = signal.Signals(self.signum).name
        logger.warning("%s received: stopping; pages in flight get %.0f s to finish, what was "
                       "extracted is committed (send %s again to exit at once)", name,
                       self.grace, name)
        if self.crawler.stats is not None:
            self.crawler.stats.set_value(SIGNAL_STAT, self.signum)
        self.begin()
        deferred_from_coro(self.crawler.stop_async())
        task.deferLater(reactor, self.grace, self._force)

    def _force(self) -> None:
        """The grace period is over and the crawl has not finished closing: commit what was
        extracted, write the report, leave."""
        assert self.signum is not None
        logger.warning("pages still in flight after %.0f s: committing what was extracted and "
                       "exiting", self.grace)
        try:
            self.finish_now()
        finally:
            self.before_exit()
            logging.shutdown()
            sys.stderr.flush()
            os._exit(exit_status(self.signum))
