"""`newscrawl reextract`: the current extractor over a dataset's archived pages, no network.

A page whose extracted text changed becomes the next version of its article; an unchanged
one writes nothing. Pages are read in index order (file, offset). Progress is checkpointed
in `_state/reextract.json` each time rows are committed, so an interrupted run resumes after
the last page whose outcome is durable (pages after it are extracted again, and find
themselves unchanged if they were written).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from newscrawl.archive import ARCHIVE_DIR, WARC_DIR
from newscrawl.archive.index import IndexEntry, entries, read_index
from newscrawl.archive.ingest import Ingest, IngestCounts, Source
from newscrawl.archive.options import IngestOptions
from newscrawl.archive.reader import Skipped, WarcPage, read_page_at
from newscrawl.crawl.dataset import DatasetRun, new_run_id
from newscrawl.extract import EXTRACTOR_VERSION, SiteContext
from newscrawl.sites import Site

logger = logging.getLogger(__name__)

CHECKPOINT = Path("_state") / "reextract.json"
NOT_IN_SITES_FILE = "site_not_in_sites_file"
SAVE_SECONDS = 2.0


@dataclass
class Checkpoint:
    """How far a re-extraction got: every page up to (`warc_file`, `offset`) in index order
    is handled durably. `key` names the extractor and filters; another key starts over."""

    path: Path
    key: str
    warc_file: str = ""
    offset: int = -1
    _handled: tuple[str, int] = field(default=("", -1))
    _saved_at: float = field(default_factory=time.monotonic)

    @classmethod
    def load(cls, root: Path, key: str) -> Checkpoint:
        path = root / CHECKPOINT
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, key)
        if data.get("key") != key:
            return cls(path, key)
        return cls(path, key, str(data.get("warc_file", "")), int(data.get("offset", -1)))

    def done(self, entry: IndexEntry) -> bool:
        return (entry.warc_file, entry.offset) <= (self.warc_file, self.offset)

    def handled(self, page: WarcPage, nothing_buffered: bool) -> None:
        """Note a handled page; saved now and then when nothing waits to be committed (a run
        of unchanged pages commits no rows, and would otherwise never be checkpointed)."""
        self._handled = (page.source, page.offset)
        if nothing_buffered and time.monotonic() - self._saved_at >= SAVE_SECONDS:
            self.save()

    def save(self, *_: Any) -> None:
        """Record the last handled page as durable (called when rows are committed)."""
        self.warc_file, self.offset = self._handled
        self._saved_at = time.monotonic()
        tmp = self.path.with_suffix(".json.partial")
        tmp.write_text(json.dumps({"key": self.key, "warc_file": self.warc_file,
                                   "offset": self.offset}), encoding="utf-8")
        os.replace(tmp, self.path)

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)


def checkpoint_key(task: str, since: datetime | None, sites: list[str] | None) -> str:
    return json.dumps([EXTRACTOR_VERSION, task, since.isoformat() if since else None,
                       sorted(sites) if sites is not None else None])


def reextract_sources(root: Path, index: list[IndexEntry], contexts: dict[str, SiteContext],
                      checkpoint: Checkpoint) -> Iterator[Source]:
    warc_dir = root / ARCHIVE_DIR / WARC_DIR
    for entry in index:
        if checkpoint.done(entry):
            continue
        context = contexts.get(entry.site)
        if context is None:
            yield Source(None, skipped=NOT_IN_SITES_FILE)
            continue
        item = read_page_at(warc_dir / entry.warc_file, entry.offset)
        if isinstance(item, Skipped):
            yield Source(None, skipped=item.reason)
            continue
        yield Source(item, context)


def run_reextract(root: Path, sites: list[Site], options: IngestOptions, *,
                  since: datetime | None = None, only: list[str] | None = None,
                  on_progress: Callable[[IngestCounts], None] | None = None) -> IngestCounts:
    """Re-extract the archived pages of `root` (those of `only` site keys, fetched at or
    after `since`). Raises DatasetLockedError when another process writes the dataset."""
    contexts = {s.key: SiteContext(s.key, s.name, s.language, s.extra_boilerplate,
                                   s.allowed_hosts) for s in sites}
    checkpoint = Checkpoint.load(root, checkpoint_key(options.task, since, only))
    run_id = new_run_id()
    dataset = DatasetRun(root=root, run_id=run_id, flush_rows=options.flush_rows,
                         flush_seconds=options.flush_seconds,
                         near_window_days=options.near_window_days, on_commit=checkpoint.save)
    pool = options.pool()
    try:
        dataset.open()
        index = list(entries(read_index(root, since=since, sites=only)))
        if checkpoint.offset >= 0:
            logger.info("resuming after %s offset %d", checkpoint.warc_file, checkpoint.offset)
        pool.warm_up()
        ingest = Ingest(dataset, pool, run_id, window=options.window, revisit_known=True,
                        drop_near=options.drop_near, on_progress=on_progress,
                        progress_seconds=options.progress_seconds,
                        on_handled=lambda page: checkpoint.handled(page, not dataset.buffered))
        counts = asyncio.run(ingest.run(reextract_sources(root, index, contexts, checkpoint)))
        dataset.flush()
        checkpoint.finish()
        return counts
    finally:
        pool.close()
        dataset.close()
