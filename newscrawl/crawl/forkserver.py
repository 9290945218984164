"""The forkserver every extraction worker is forked from, and how it is started.

It imports and warms the extractor once (preload.py, ~2 s), so a command that will extract
in worker processes starts it as early as it can: the crawl before it imports Scrapy and
builds its components, so that the warming overlaps with those instead of following them.
This module imports nothing heavy, so that starting the server early costs nothing itself.
"""

from __future__ import annotations

import multiprocessing
import signal
from multiprocessing import forkserver

PRELOAD = ["newscrawl.crawl.preload"]


def start_forkserver() -> None:
    """Start the forkserver (once per process; later calls do nothing) with SIGINT/SIGTERM
    ignored, a disposition it keeps across its exec: under a process-group SIGTERM it must
    outlive the crawl's stop, or the pool breaks ("Unexpected error within the Pool") while
    the crawl still commits. It leaves on its own when the crawl process is gone (its alive
    pipe closes)."""
    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        forkserver.ensure_running()
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
