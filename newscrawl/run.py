"""The per-crawl dataset context shared by the spider and the pipelines.

One `DatasetRun` per crawler: the dataset directory, the run id, the writer lock, the crawl
state and the part writer. It is created on first use and closed by the Parquet pipeline.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawl.dedup.near import NearDuplicateIndex, RedisNearDuplicateIndex
from newscrawl.dedup.redis_state import RedisCrawlState
from newscrawl.dedup.state import CrawlState
from newscrawl.storage.card import write_card
from newscrawl.storage.compact import recover_compaction
from newscrawl.storage.lock import WriterLock
from newscrawl.storage.parquet import PartWriter, WrittenPart, clean_tmp

logger = logging.getLogger(__name__)


def new_run_id() -> str:
    """UTC start time plus a random suffix: sortable, unique across machines."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


@dataclass
class DatasetRun:
    root: Path
    run_id: str
    worker: str = "w0"
    flush_rows: int = 500
    near_window_days: int = 30
    redis_url: str | None = None
    state: CrawlState | RedisCrawlState = field(init=False)
    near: NearDuplicateIndex | RedisNearDuplicateIndex = field(init=False)
    writer: PartWriter = field(init=False)
    lock: WriterLock = field(init=False)
    # Identities and hashes accepted in this run but perhaps not yet committed.
    seen_urls: set[str] = field(default_factory=set)
    seen_hashes: dict[str, str] = field(default_factory=dict)  # content hash -> canonical
    validators: dict[str, dict[str, str | None]] = field(default_factory=dict)
    # Near-duplicate signatures computed by the extraction workers, by record id, until the
    # dedup pipeline takes them.
    signatures: dict[str, bytes] = field(default_factory=dict)

    def open(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        # Distributed workers share the directory; each holds the lock of its own parts.
        self.lock = WriterLock(self.root, self.worker if self.redis_url else None)
        self.lock.acquire()
        recover_compaction(self.root)
        removed = clean_tmp(self.root, self.worker if self.redis_url else None)
        if removed:
            logger.warning("removed %d partial file(s) left by an interrupted run", removed)
        if self.redis_url:
            namespace = self.root.resolve().name
            self.state = RedisCrawlState(self.root, self.redis_url, namespace)
            self.near = RedisNearDuplicateIndex(self.redis_url, namespace)
        else:
            self.state = CrawlState(self.root)
            self.near = NearDuplicateIndex(self.state.path, self.near_window_days)
        adopted = self.state.reconcile()
        if adopted:
            logger.warning("adopted %d part file(s) committed by an interrupted run", adopted)
        self.writer = PartWriter(self.root, self.run_id, self.worker, self.flush_rows)
        write_card(self.root)

    def add(self, row: dict[str, Any]) -> list[WrittenPart]:
        return self._commit(self.writer.add(row))

    def flush(self) -> list[WrittenPart]:
        return self._commit(self.writer.flush())

    def _commit(self, parts: list[WrittenPart]) -> list[WrittenPart]:
        for part in parts:
            self.state.commit_part(part.path, part.rows, self.validators)
            self.near.commit([row["id"] for row in part.rows])
            for row in part.rows:
                self.validators.pop(row["canonical_url"], None)
        return parts

    def close(self) -> None:
        self.flush()
        self.near.close()
        self.state.close()
        self.lock.release()


def get_run(crawler: Any) -> DatasetRun:
    """The crawler's DatasetRun, created and opened on first call."""
    run = getattr(crawler, "_newscrawl_run", None)
    if run is None:
        settings = crawler.settings
        run = DatasetRun(
            root=Path(settings.get("NEWSCRAWL_OUT", "datasets/news")),
            run_id=settings.get("NEWSCRAWL_RUN_ID") or new_run_id(),
            worker=settings.get("NEWSCRAWL_WORKER_ID", "w0"),
            flush_rows=settings.getint("NEWSCRAWL_FLUSH_ROWS", 500),
            near_window_days=settings.getint("NEWSCRAWL_NEAR_DUPLICATE_WINDOW_DAYS", 30),
            redis_url=settings.get("NEWSCRAWL_REDIS_URL") or None,
        )
        run.open()
        crawler._newscrawl_run = run
    return run
