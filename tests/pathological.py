"""An extraction task that misbehaves on purpose, by URL, for the containment tests.
Importable by the extraction worker processes (the tests run from the project root)."""

from __future__ import annotations

import os
import time
from typing import Any

from newscrawl.crawl.pool import extract_task
from newscrawl.extract import Extraction


def extract(body: bytes, url: str, *args: Any) -> Extraction:
    if "/hang-" in url:
        time.sleep(3600)
    if "/crash-" in url:
        os._exit(13)  # the worker process dies as on a segfault in a C parser
    if "/boom-" in url:
        raise RuntimeError("pathological page")
    return extract_task(body, url, *args)
