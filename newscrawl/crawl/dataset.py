"""The dataset a crawl writes to: its lock, crawl state, near-duplicate index and part writer.

One `DatasetRun` per crawl, opened and closed by the crawl's services (services.py). Rows
are committed in bounded time: a part is written when `flush_rows` rows are buffered or the
oldest buffered row is `flush_seconds` old, so a run killed an hour into a crawler trap keeps
what it found in its first minutes. No Scrapy here: a WARC import or a notebook can use it.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newscrawl.crawl.items import ArticleItem
from newscrawl.crawl.policy import Drop, Write, decide_write
from newscrawl.dedup.near import NearDuplicateIndex
from newscrawl.state import CommittedRow, CrawlState, open_state
from newscrawl.state.redis_keys import namespace_of
from newscrawl.storage.card import write_card
from newscrawl.storage.compact import recover_compaction
from newscrawl.storage.health import (
    check_state_db,
    heal_parts,
    quarantine_state_db,
    salvage_pending,
    urls_in_parts,
)
from newscrawl.storage.lock import WriterLock
from newscrawl.storage.parquet import PartWriter, WrittenPart, clean_tmp, list_parts

if TYPE_CHECKING:
    from newscrawl.dedup.near_redis import RedisNearDuplicateIndex

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
    flush_seconds: float = 60.0
    near_window_days: int = 30
    redis_url: str | None = None
    # Called with each part once it is visible and committed (the crawl counts "written").
    on_commit: Callable[[WrittenPart], None] | None = None
    state: CrawlState = field(init=False)
    near: NearDuplicateIndex | RedisNearDuplicateIndex = field(init=False)
    writer: PartWriter = field(init=False)
    lock: WriterLock = field(init=False)
    # Canonical URLs and content hashes accepted in this run but perhaps not yet committed.
    accepted_urls: set[str] = field(default_factory=set)
    accepted_hashes: dict[str, str] = field(default_factory=dict)  # hash -> canonical URL
    # Items buffered in the writer, in order, until their part is committed.
    _pending: list[ArticleItem] = field(default_factory=list)
    accepted: int = 0  # rows handed to the writer this run (buffered or committed)
    _oldest: float | None = None
    _opened: bool = False

    def open(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        # Distributed workers share the directory; each holds the lock of its own parts.
        own = self.worker if self.redis_url else None
        self.lock = WriterLock(self.root, own)
        self.lock.acquire()
        recover_compaction(self.root)
        removed = clean_tmp(self.root, own)
        if removed:
            logger.warning("removed %d partial file(s) left by an interrupted run", removed)
        self.state = self._open_state()
        self._heal()
        if self.redis_url:
            # Imported here: redis is the `distributed` extra, not a core dependency.
            from newscrawl.dedup.near_redis import RedisNearDuplicateIndex

            self.near = RedisNearDuplicateIndex(self.redis_url, namespace_of(self.root))
        else:
            self.near = NearDuplicateIndex(self.root / "_state" / "crawl.sqlite",
                                           self.near_window_days)
        adopted = self.state.reconcile()
        if adopted:
            logger.warning("adopted %d part file(s) committed by an interrupted run", adopted)
        self.writer = PartWriter(self.root, self.run_id, self.worker, self.flush_rows)
        self._opened = True
        write_card(self.root)

    def _open_state(self) -> CrawlState:
        """The crawl state; a corrupt SQLite state is moved to `_quarantine/` and rebuilt
        from the parts (they are the truth) by `reconcile()`, with the pending links the
        damaged one still gives up (the parts do not hold them)."""
        # SQLite's own check first: a damaged page that COUNT(*) does not touch (it reads
        # the smallest index) would otherwise fail the run later, mid-crawl.
        damage = None if self.redis_url else check_state_db(self.root)
        if damage is None:
            try:
                state = open_state(self.root, self.redis_url)
                state.count()
                return state
            except sqlite3.DatabaseError as exc:
                damage = str(exc)
        logger.warning("the crawl state cannot be read (%s)", damage)
        moved = quarantine_state_db(self.root)
        state = open_state(self.root, self.redis_url)
        by_site: dict[str, list[str]] = {}
        for site, url in salvage_pending(moved) if moved is not None else []:
            by_site.setdefault(site, []).append(url)
        for site, urls in by_site.items():
            state.add_pending(site, urls)
        return state

    def _heal(self) -> None:
        """Move damaged part files to `_quarantine/` and make the state forget what they
        held, so those articles are fetched again instead of counting as known."""
        _, moved = heal_parts(self.root)
        if not moved:
            return
        forget: set[str] = set()
        if any(part.canonical_urls is None for part in moved):
            # Rows unreadable: every article the state knows that no healthy part holds.
            present = urls_in_parts(self.root, list_parts(self.root))
            forget.update(url for url in self.state.canonical_urls() if url not in present)
        for part in moved:
            forget.update(part.canonical_urls or ())
        self.state.forget(forget, [part.path for part in moved])

    def content_owner(self, content_hash: str, canonical_url: str) -> str | None:
        """The canonical URL that owns this exact text: accepted earlier in this run,
        committed by an earlier run, or claimed by another worker (Redis)."""
        return (self.accepted_hashes.get(content_hash) or self.state.has_content(content_hash)
                or self.state.claim_content(content_hash, canonical_url))

    def deduplicate(self, item: ArticleItem, *, drop_near: bool = False) -> Write | Drop:
        """Decide whether the item becomes a row (`policy.decide_write`) and carry out what
        the decision implies for the state and the near-duplicate index; on `Write`, the
        item's record now holds its final identity, version and `duplicate_of`."""
        record = item.record
        minhash: list[Any] = [None]

        def near_original(id_: str) -> str | None:
            original, minhash[0] = self.near.find(record["text"], id_, item.signature)
            return original

        decision = decide_write(
            record, self.state.known(record["canonical_url"]),
            written_this_run=self.accepted_urls, content_owner=self.content_owner,
            near_original=near_original, drop_near=drop_near)
        if isinstance(decision, Drop):
            if decision.touch is not None:
                self.state.touch(decision.touch.canonical_url, item.validators)
            if decision.alias_of is not None:
                # Remember the copy's URL so the next run does not fetch it again.
                self.state.add_alias(record["canonical_url"], decision.alias_of)
            return decision
        record.update(canonical_url=decision.canonical_url, id=decision.id,
                      version=decision.version, duplicate_of=decision.duplicate_of)
        if decision.duplicate_of is None:
            self.near.add(decision.id, minhash[0], record.get("published_at"))
        return decision

    def add(self, item: ArticleItem) -> list[WrittenPart]:
        """Accept one article for writing; returns the parts this made visible."""
        record = item.record
        self.accepted_urls.add(record["canonical_url"])
        self.accepted_hashes[record["content_hash"]] = record["canonical_url"]
        self._pending.append(item)
        self.accepted += 1
        if self._oldest is None:
            self._oldest = time.monotonic()
        return self._commit(self.writer.add(record))

    def flush_if_due(self) -> list[WrittenPart]:
        """Write the buffer when its oldest row has waited `flush_seconds`."""
        if self._oldest is not None and time.monotonic() - self._oldest >= self.flush_seconds:
            return self.flush()
        return []

    def flush(self) -> list[WrittenPart]:
        return self._commit(self.writer.flush())

    @property
    def buffered(self) -> int:
        return len(self._pending)

    def _commit(self, parts: list[WrittenPart]) -> list[WrittenPart]:
        if not parts:
            return parts
        by_id = {item.record["id"]: item for item in self._pending}
        for part in parts:
            self.state.commit_part(part.path, [
                CommittedRow(row, by_id[row["id"]].validators) for row in part.rows])
            if self.on_commit is not None:
                self.on_commit(part)
        written = {row["id"] for part in parts for row in part.rows}
        # One transaction (one fsync) for the whole flush, not one per part: a flush writes a
        # part per (site, date), hundreds when a crawl finds older stories.
        self.near.commit(list(written))
        self._pending = [item for item in self._pending if item.record["id"] not in written]
        self._oldest = time.monotonic() if self._pending else None
        return parts

    def close(self) -> None:
        """Commit what is buffered, then release everything. Safe to call twice, and after
        an `open()` that failed part-way."""
        if not self._opened:
            if hasattr(self, "lock"):
                self.lock.release()
            return
        self._opened = False
        try:
            self.flush()
        finally:
            self.near.close()
            self.state.close()
            self.lock.release()
