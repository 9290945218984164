"""Near-duplicate detection: MinHash over word shingles (signatures.py), LSH bands for
lookup (bands.py), every candidate confirmed with the signatures' estimated Jaccard.

The embedded index covers a window of publication dates (default 30 days): signatures live
in the crawl state's SQLite file and their band keys are loaded into memory on first use, so
memory is bounded by the window, not by the dataset's age. In memory an article costs its
band keys and rows (25 x 12 bytes) and its id; its signature stays on disk until it is a
candidate. RedisNearDuplicateIndex (near_redis.py) is the same index for distributed workers.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from newscrawl.dedup.bands import LSH_BANDS, BandTable, band_keys
from newscrawl.dedup.signatures import (
    MIN_SHINGLES,
    NUM_PERM,
    SHINGLE_WORDS,
    THRESHOLD,
    minhash_scheme,
    shingles,
    signature,
    signature_bytes,
    signature_given,
    signature_values,
    similarity,
)

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHash

__all__ = [
    "LSH_BANDS", "MIN_SHINGLES", "NUM_PERM", "SHINGLE_WORDS", "THRESHOLD",
    "NearDuplicateIndex", "minhash_scheme", "shingles",
    "signature", "signature_bytes",
]

logger = logging.getLogger(__name__)

# `signature` holds PACKED_BYTES (uint32) blobs; datasets written before hold uint64 blobs
# (NUM_PERM * 8 bytes), read alike by signature_values.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS minhash (
    id TEXT PRIMARY KEY,
    published TEXT NOT NULL,
    signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS minhash_published ON minhash(published);
"""
_LOAD_BATCH = 5_000


@dataclass
class NearDuplicateIndex:
    """LSH index of recent articles, persisted in `<dataset>/_state/crawl.sqlite`."""

    path: Path
    window_days: int = 30
    threshold: float = THRESHOLD

    def __post_init__(self) -> None:
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._bands: BandTable | None = None
        self._ids: list[str] = []  # row -> id
        self._rows: dict[str, int] = {}  # id -> row
        self._pending: dict[str, tuple[str, bytes]] = {}

    def _index(self) -> BandTable:
        """The in-memory band table, loaded from disk on first use (only the date window)."""
        if self._bands is None:
            since = (datetime.now(UTC) - timedelta(days=self.window_days)).date().isoformat()
            # One read transaction: the count and the rows from the same snapshot.
            self._db.execute("BEGIN")
            try:
                count = self._db.execute("SELECT count(*) FROM minhash WHERE published >= ?",
                                         (since,)).fetchone()[0]
                cursor = self._db.execute(
                    "SELECT id, signature FROM minhash WHERE published >= ?", (since,))
                self._bands = BandTable.load(self._band_batches(cursor), count)
            finally:
                self._db.execute("COMMIT")
            logger.info("near-duplicate index: %d signatures since %s loaded",
                        len(self._ids), since)
        return self._bands

    def _band_batches(self, cursor: sqlite3.Cursor) -> Iterator[np.ndarray]:
        """Band keys of the cursor's (id, signature) rows, a batch at a time; the ids get
        their rows on the way."""
        while batch := cursor.fetchmany(_LOAD_BATCH):
            for id_, _ in batch:
                self._rows[id_] = len(self._ids)
                self._ids.append(id_)
            yield band_keys(np.stack([signature_values(blob) for _, blob in batch]))

    def find(self, text: str, own_id: str, values: bytes | None = None
             ) -> tuple[str | None, np.ndarray | None]:
        """(id of an earlier near-duplicate or None, this text's signature). The article's
        own earlier versions (same id) do not count. `values`: the signature computed
        elsewhere (signature_bytes, in the extraction worker), so it is not computed again."""
        own = signature_given(text, values)
        if own is None:
            return None, None
        # LSH candidates include false positives near the threshold: confirm each with the
        # estimated Jaccard similarity of the two signatures.
        candidates = (self._ids[row] for row in self._index().query(band_keys(own)))
        matches = [m for m in candidates if m != own_id
                   and (other := self._signature_of(m)) is not None
                   and similarity(own, other) >= self.threshold]
        return (min(matches) if matches else None), own

    def _signature_of(self, id_: str) -> np.ndarray | None:
        pending = self._pending.get(id_)
        if pending is not None:
            return signature_values(pending[1])
        row = self._db.execute("SELECT signature FROM minhash WHERE id = ?", (id_,)).fetchone()
        return signature_values(row[0]) if row else None

    def add(self, id_: str, minhash: MinHash | LeanMinHash | np.ndarray | None,
            published: datetime | None) -> None:
        """Index an accepted article now (so later copies in this run match it); its
        signature is persisted with `commit()`, when the article is in the dataset. A new
        version of an indexed article keeps its first bands; its signature is replaced."""
        if minhash is None:
            return
        bands = self._index()
        blob = signature_bytes(minhash)
        if id_ not in self._rows:
            self._rows[id_] = len(self._ids)
            self._ids.append(id_)
            bands.add(self._rows[id_], band_keys(signature_values(blob)))
        day = (published or datetime.now(UTC)).date().isoformat()
        self._pending[id_] = (day, blob)

    def commit(self, ids: list[str]) -> None:
        """Persist the signatures of articles now committed to the dataset."""
        rows = []
        for id_ in ids:
            entry = self._pending.pop(id_, None)
            if entry is not None:
                rows.append((id_, *entry))
        if rows:
            # One transaction: in autocommit mode every row would be its own fsync.
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO minhash (id, published, signature) VALUES (?, ?, ?)",
                rows)
            self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()
