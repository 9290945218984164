"""The near-duplicate index as it was before band keys (newscrawl <= ecb9052^): datasketch's
MinHashLSH in memory with signatures in SQLite, and datasketch's Redis LSH storage with a hash
of signatures. Kept here only as the baseline bench/dedup_memory.py measures against, with
the decisions the current index must reproduce."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import redis
from datasketch import LeanMinHash, MinHash, MinHashLSH

from newscrawl.dedup.near import LSH_BANDS, NUM_PERM, THRESHOLD, minhash_scheme, signature
from newscrawl.state.redis_keys import redis_key as key


def _to_blob(minhash: MinHash | LeanMinHash) -> bytes:
    return minhash.hashvalues.astype(np.uint64).tobytes()


def _from_blob(blob: bytes) -> LeanMinHash:
    return LeanMinHash(seed=1, hashvalues=np.frombuffer(blob, dtype=np.uint64),
                       scheme=minhash_scheme())


class DatasketchNearDuplicateIndex:
    """The embedded index: MinHashLSH loaded from the `minhash` table on first use."""

    def __init__(self, path: Path, window_days: int = 30) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.executescript("""
            CREATE TABLE IF NOT EXISTS minhash (id TEXT PRIMARY KEY, published TEXT NOT NULL,
                                                signature BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS minhash_published ON minhash(published);""")
        self.window_days = window_days
        self._lsh: MinHashLSH | None = None
        self._pending: dict[str, tuple[str, bytes]] = {}

    def _index(self) -> MinHashLSH:
        if self._lsh is None:
            self._lsh = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS)
            since = (datetime.now(UTC) - timedelta(days=self.window_days)).date().isoformat()
            for id_, blob in self._db.execute(
                    "SELECT id, signature FROM minhash WHERE published >= ?", (since,)):
                self._lsh.insert(id_, _from_blob(blob), check_duplication=False)
        return self._lsh

    def find(self, text: str, own_id: str, values: bytes | None = None
             ) -> tuple[str | None, MinHash | LeanMinHash | None]:
        minhash = _from_blob(values) if values else signature(text)
        if minhash is None:
            return None, None
        matches = [m for m in self._index().query(minhash) if m != own_id
                   and (other := self._signature_of(m)) is not None
                   and minhash.jaccard(other) >= THRESHOLD]
        return (min(matches) if matches else None), minhash

    def _signature_of(self, id_: str) -> LeanMinHash | None:
        pending = self._pending.get(id_)
        if pending is not None:
            return _from_blob(pending[1])
        row = self._db.execute("SELECT signature FROM minhash WHERE id = ?", (id_,)).fetchone()
        return _from_blob(row[0]) if row else None

    def add(self, id_: str, minhash: MinHash | LeanMinHash | None,
            published: datetime | None) -> None:
        if minhash is None:
            return
        lsh = self._index()
        if id_ not in lsh:
            lsh.insert(id_, minhash, check_duplication=False)
        day = (published or datetime.now(UTC)).date().isoformat()
        self._pending[id_] = (day, _to_blob(minhash))

    def commit(self, ids: list[str]) -> None:
        rows = [(id_, *self._pending.pop(id_)) for id_ in ids if id_ in self._pending]
        self._db.execute("BEGIN")
        self._db.executemany("INSERT OR REPLACE INTO minhash VALUES (?, ?, ?)", rows)
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()


class DatasketchRedisNearDuplicateIndex:
    """The distributed index: datasketch's Redis storage plus a hash of signatures."""

    def __init__(self, url: str, namespace: str) -> None:
        parts = urlsplit(url)
        config = {"host": parts.hostname or "127.0.0.1", "port": parts.port or 6379,
                  "db": int((parts.path or "/0").lstrip("/") or 0)}
        self._lsh = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS, storage_config={
            "type": "redis", "basename": key(namespace, "lsh").encode(), "redis": config})
        self._redis = redis.Redis.from_url(url)
        self._signatures = key(namespace, "signatures")

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
            if stored and minhash.jaccard(_from_blob(stored)) >= THRESHOLD:
                matches.append(candidate)
        return (min(matches) if matches else None), minhash

    def add(self, id_: str, minhash: MinHash | LeanMinHash | None,
            published: datetime | None) -> None:
        if minhash is not None and id_ not in self._lsh:
            self._redis.hset(self._signatures, id_, _to_blob(minhash))
            self._lsh.insert(id_, minhash, check_duplication=False)

    def commit(self, ids: list[str]) -> None:
        """Inserted at `add`."""

    def close(self) -> None:
        self._redis.close()
