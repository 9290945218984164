"""Near-duplicate detection: MinHash over word shingles, LSH for lookup (datasketch).

A syndicated wire story reappears on other sites with different boilerplate, title suffix
and a trimmed last paragraph; its normalised text hash differs, its shingle set barely does.
Two outlets' own stories about the same event share names and facts but not sentences, so
their 5-word shingles overlap little. On the test network's pairs (tests/dedup/test_near.py)
syndicated copies have Jaccard 0.77-0.85 and same-event stories 0.006-0.014; the threshold of
0.6 sits in the wide gap between.

The index covers a window of publication dates (default 30 days): signatures live in the
crawl state's SQLite file and are loaded into memory on first use, so memory is bounded by
the window, not by the dataset's age.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from newscrawl.dedup.keys import normalize_text

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHash, MinHashLSH

logger = logging.getLogger(__name__)

NUM_PERM = 128
SHINGLE_WORDS = 5
THRESHOLD = 0.6
# LSH bands x rows. datasketch's own choice for 0.6 (18 x 7) finds a pair at Jaccard 0.7
# only 79% of the time; 25 x 5 finds it 99% (0.87 at 0.6), and every candidate is then
# confirmed against THRESHOLD with the signatures' estimated Jaccard, so the extra
# candidates cost a lookup, not a false flag.
LSH_BANDS = (25, 5)
MIN_SHINGLES = 10  # shorter texts are too short to call near-duplicates reliably


@cache
def _datasketch() -> ModuleType:
    """datasketch, imported on first use: it pulls in scipy (~0.4 s), which would otherwise
    sit on every crawl's start-up path before the first request."""
    import datasketch

    return datasketch


@cache
def minhash_scheme() -> str:
    """The hashing scheme of MinHash() defaults, which every stored signature was made with
    (datasketch >= 2.0 must be told it when values are loaded)."""
    return _datasketch().MinHash(num_perm=NUM_PERM).scheme

_SCHEMA = """
CREATE TABLE IF NOT EXISTS minhash (
    id TEXT PRIMARY KEY,
    published TEXT NOT NULL,
    signature BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS minhash_published ON minhash(published);
"""


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Overlapping word n-grams of the normalised text, as bytes for hashing."""
    words = normalize_text(text).split()
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


def signature(text: str) -> MinHash | None:
    """MinHash of the text's shingles; None when the text is too short to judge."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    minhash = _datasketch().MinHash(num_perm=NUM_PERM, permutations=_permutations(),
                                    scheme=minhash_scheme())
    minhash.update_batch(list(grams))
    return minhash


@cache
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """MinHash's permutation tables, built once per process: the defaults (seed 1) that
    every stored signature was made with, but not rebuilt for each page (0.2 ms)."""
    return _datasketch().MinHash(num_perm=NUM_PERM).permutations


@dataclass
class NearDuplicateIndex:
    """MinHash LSH index of recent articles, persisted in `<dataset>/_state/crawl.sqlite`."""

    path: Path
    window_days: int = 30
    threshold: float = THRESHOLD

    def __post_init__(self) -> None:
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.executescript(_SCHEMA)
        self._lsh: MinHashLSH | None = None
        self._pending: dict[str, tuple[str, bytes]] = {}

    def _index(self) -> MinHashLSH:
        """The in-memory LSH, loaded from disk on first use (only the date window)."""
        if self._lsh is None:
            self._lsh = _datasketch().MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
            since = (datetime.now(UTC) - timedelta(days=self.window_days)).date().isoformat()
            loaded = 0
            for id_, blob in self._db.execute(
                    "SELECT id, signature FROM minhash WHERE published >= ?", (since,)):
                self._lsh.insert(id_, _from_blob(blob), check_duplication=False)
                loaded += 1
            logger.info("near-duplicate index: %d signatures since %s loaded", loaded, since)
        return self._lsh

    def find(self, text: str, own_id: str, values: bytes | None = None
             ) -> tuple[str | None, MinHash | LeanMinHash | None]:
        """(id of an earlier near-duplicate or None, this text's signature). The article's
        own earlier versions (same id) do not count. `values`: the signature computed
        elsewhere (the extraction worker), so it is not computed again here."""
        minhash = _from_blob(values) if values else signature(text)
        if minhash is None:
            return None, None
        # LSH candidates include false positives near the threshold: confirm each with the
        # estimated Jaccard similarity of the two signatures.
        matches = [m for m in self._index().query(minhash) if m != own_id
                   and (other := self._signature_of(m)) is not None
                   and minhash.jaccard(other) >= self.threshold]
        return (min(matches) if matches else None), minhash

    def _signature_of(self, id_: str) -> LeanMinHash | None:
        pending = self._pending.get(id_)
        if pending is not None:
            return _from_blob(pending[1])
        row = self._db.execute("SELECT signature FROM minhash WHERE id = ?", (id_,)).fetchone()
        return _from_blob(row[0]) if row else None

    def add(self, id_: str, minhash: MinHash | LeanMinHash | None,
            published: datetime | None) -> None:
        """Index an accepted article now (so later copies in this run match it); its
        signature is persisted with `commit()`, when the article is in the dataset."""
        if minhash is None:
            return
        lsh = self._index()
        if id_ not in lsh:
            lsh.insert(id_, minhash, check_duplication=False)
        day = (published or datetime.now(UTC)).date().isoformat()
        self._pending[id_] = (day, _to_blob(minhash))

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


def signature_bytes(minhash: MinHash | LeanMinHash) -> bytes:
    """The signature as stored and as passed between processes (uint64 values)."""
    return _to_blob(minhash)


def _to_blob(minhash: MinHash | LeanMinHash) -> bytes:
    return minhash.hashvalues.astype(np.uint64).tobytes()


def _from_blob(blob: bytes) -> LeanMinHash:
    values = np.frombuffer(blob, dtype=np.uint64)
    # LeanMinHash: the values only, without the permutation tables a MinHash rebuilds (10x
    # faster to load). datasketch >= 2.0 must be told the hashing scheme of stored values;
    # ours come from MinHash() defaults (minhash_scheme()).
    return _datasketch().LeanMinHash(seed=1, hashvalues=values, scheme=minhash_scheme())


class RedisNearDuplicateIndex:
    """The same index shared by distributed workers: datasketch's own Redis storage.

    Signatures are inserted when an article is accepted, so a copy found by another worker
    a moment later is flagged. There is no date window here: Redis holds every signature
    (see README, "Scaling out", for the measured memory per 100k articles).
    """

    def __init__(self, url: str, namespace: str, threshold: float = THRESHOLD) -> None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        config = {"host": parts.hostname or "127.0.0.1", "port": parts.port or 6379,
                  "db": int((parts.path or "/0").lstrip("/") or 0)}
        if parts.password:
            config["password"] = parts.password
        self.threshold = threshold
        self._lsh = _datasketch().MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS, storage_config={
            "type": "redis", "basename": f"newscrawl:{namespace}:lsh".encode(),
            "redis": config})
        import redis

        self._redis = redis.Redis.from_url(url)
        self._signatures = f"newscrawl:{namespace}:signatures"

    def find(self, text: str, own_id: str, values: bytes | None = None
             ) -> tuple[str | None, MinHash | LeanMinHash | None]:
        minhash = _from_blob(values) if values else signature(text)
        if minhash is None:
            return None, None
        matches = []
        for candidate in self._lsh.query(minhash):
            if candidate == own_id:
                continue
            stored = self._redis.hget(self._signatures, candidate)
            if stored and minhash.jaccard(_from_blob(stored)) >= self.threshold:
                matches.append(candidate)
        return (min(matches) if matches else None), minhash

    def add(self, id_: str, minhash: MinHash | LeanMinHash | None,
            published: datetime | None) -> None:
        if minhash is not None and id_ not in self._lsh:
            self._redis.hset(self._signatures, id_, _to_blob(minhash))
            self._lsh.insert(id_, minhash, check_duplication=False)

    def commit(self, ids: list[str]) -> None:
        """Nothing to do: inserted at `add` so other workers see it at once."""

    def close(self) -> None:
        self._redis.close()
