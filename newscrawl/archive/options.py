"""The knobs `newscrawl import` and `newscrawl reextract` share with the crawl, read from the
same `-s NEWSCRAWL_...=VALUE` pairs (defaults as in newscrawl/settings.py), without Scrapy."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from newscrawl.crawl.pool import DEFAULT_TASK, ExtractionPool


class OptionError(ValueError):
    """A -s pair that cannot be used; the message names it."""


@dataclass(frozen=True)
class IngestOptions:
    workers: int = os.cpu_count() or 1
    timeout: float = 30.0
    task: str = DEFAULT_TASK
    flush_rows: int = 500
    flush_seconds: float = 60.0
    near_window_days: int = 30
    drop_near: bool = False
    progress_seconds: float = 10.0

    @classmethod
    def from_pairs(cls, pairs: list[str] | None) -> IngestOptions:
        """From `NAME=VALUE` strings; unknown names are ignored (they may be crawl-only)."""
        given: dict[str, str] = {}
        for pair in pairs or []:
            name, sep, value = pair.partition("=")
            if not sep:
                raise OptionError(f"-s expects NAME=VALUE, got {pair!r}")
            given[name.strip()] = value.strip()

        def get(name: str, default: Any, kind: Callable[[str], Any]) -> Any:
            if name not in given:
                return default
            try:
                return kind(given[name])
            except ValueError:
                raise OptionError(f"{name}={given[name]!r} is not a valid value") from None

        workers = get("NEWSCRAWL_EXTRACT_WORKERS", -1, int)
        options = cls(
            workers=(os.cpu_count() or 1) if workers < 0 else workers,
            timeout=get("NEWSCRAWL_EXTRACT_TIMEOUT", 30.0, float),
            task=get("NEWSCRAWL_EXTRACT_TASK", DEFAULT_TASK, str),
            flush_rows=get("NEWSCRAWL_FLUSH_ROWS", 500, int),
            flush_seconds=get("NEWSCRAWL_FLUSH_SECONDS", 60.0, float),
            near_window_days=get("NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS", 30, int),
            drop_near=get("NEWSCRAWL_DROP_NEAR_DUPLICATES", False,
                          lambda v: v.lower() in ("1", "true", "yes", "on")),
            progress_seconds=get("NEWSCRAWL_PROGRESS_INTERVAL", 10.0, float))
        if options.flush_rows <= 0:
            raise OptionError(f"NEWSCRAWL_FLUSH_ROWS={options.flush_rows}: must be positive")
        return options

    def pool(self) -> ExtractionPool:
        return ExtractionPool(self.workers, self.timeout, load_task(self.task))

    @property
    def window(self) -> int:
        """Pages in flight. Results are taken in arrival order, so one slow page (some take
        ten times the median) holds up the window: with 4 a worker, the other workers ran
        dry behind it and the machine sat 16% idle during an import; with 32 a worker, 4%
        (the start-up). At ~200 KB a page that is ~13 MB for two workers, whatever the
        archive's size."""
        return max(32, self.workers * 32)


def load_task(path: str) -> Callable[..., Any]:
    module, _, name = path.rpartition(".")
    try:
        task = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError):
        raise OptionError(f"NEWSCRAWL_EXTRACT_TASK={path!r} cannot be imported") from None
    if not callable(task):
        raise OptionError(f"NEWSCRAWL_EXTRACT_TASK={path!r} is not a function")
    return task
