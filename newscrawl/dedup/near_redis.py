"""The near-duplicate index shared by distributed workers, in Redis.

Same contract and decisions as the embedded NearDuplicateIndex (near.py). Each article gets
a row number; its band keys (bands.py) point at rows, its signature sits at a fixed offset
of a packed string. Keys (state/redis_keys.redis_key(namespace, ...)):

    near:next          string  rows handed out so far (INCR)
    near:rows:<b>      hash    id -> row (4 bytes), 2**14 buckets by the id's hash
    near:ids:<r>       hash    row % 64 -> id, for rows r*64 .. r*64+63
    near:sig:<c>       string  signatures of rows c*1000 .. c*1000+999, 512 bytes each
    near:band:<b>      hash    32 bits of a band key -> its rows (4 bytes each), 2**18
                               buckets by the key's low 18 bits

Small hashes (<= 128 fields of <= 64 bytes) are listpacks in Redis: 12 bytes a field and
its value, 23 with each hash's own overhead at 100k articles (bench/dedup_memory.py), where a
field of one big hash costs ~60 and each of datasketch's sets per LSH bucket ~500. 2**18 band
buckets keep them small up to about a million articles (~95 fields each). A signature string
is created at its full size (512,000 bytes, just under a 512 KiB allocation), since growing
it with SETRANGE would double its allocation.

No date window here: Redis holds every signature. An index written by datasketch's Redis
storage (the `lsh*` keys and the `signatures` hash of earlier versions) is folded into this
one when the first worker opens it.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import numpy as np
import redis
import xxhash

from newscrawl.dedup.bands import band_keys
from newscrawl.dedup.signatures import (
    PACKED_BYTES,
    THRESHOLD,
    signature_bytes,
    signature_given,
    signature_values,
    similarity,
)
from newscrawl.state.redis_keys import redis_key as key

if TYPE_CHECKING:
    from datetime import datetime

    from datasketch import LeanMinHash, MinHash

logger = logging.getLogger(__name__)

BAND_BUCKET_BITS = 18
ID_BUCKETS = 2**14
IDS_PER_KEY = 64
SIGNATURES_PER_KEY = 1000

# One article's insert, atomic so that two workers adding copies at once both land (a band
# value is read, extended and written back). The ids/sig key names depend on the row, known
# only inside the script, so they are built here from the prefix (ARGV[3]): a single Redis
# server, as scrapy-redis needs anyway, not a cluster.
# KEYS: near:next, near:rows:<b>, BANDS x near:band:<b>. ARGV: id, signature, prefix,
# BANDS x field.
_ADD = f"""
if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
local row = redis.call('INCR', KEYS[1]) - 1
local packed = struct.pack('>I4', row)
redis.call('HSET', KEYS[2], ARGV[1], packed)
redis.call('HSET', ARGV[3] .. 'ids:' .. math.floor(row / {IDS_PER_KEY}),
           tostring(row % {IDS_PER_KEY}), ARGV[1])
local chunk = ARGV[3] .. 'sig:' .. math.floor(row / {SIGNATURES_PER_KEY})
if redis.call('EXISTS', chunk) == 0 then
  redis.call('SET', chunk, string.rep('\\0', {SIGNATURES_PER_KEY * PACKED_BYTES}))
end
redis.call('SETRANGE', chunk, (row % {SIGNATURES_PER_KEY}) * {PACKED_BYTES}, ARGV[2])
for i = 3, #KEYS do
  local rows = redis.call('HGET', KEYS[i], ARGV[i + 1])
  redis.call('HSET', KEYS[i], ARGV[i + 1], (rows or '') .. packed)
end
return 1
"""


class RedisNearDuplicateIndex:
    """The near-duplicate index of a dataset (`namespace`) on the Redis server at `url`.

    Signatures are inserted when an article is accepted, so a copy found by another worker
    a moment later is flagged; `commit` has nothing left to do.
    """

    def __init__(self, url: str, namespace: str, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.namespace = namespace
        self._redis = redis.Redis.from_url(url)
        self._prefix = key(namespace, "near:")
        self._add = self._redis.register_script(_ADD)
        _fold_legacy(self)

    def _band_slots(self, values: np.ndarray) -> tuple[list[str], list[bytes]]:
        """(hash key, field) of each band of a signature."""
        keys = band_keys(values)
        buckets = (keys & np.uint64(2**BAND_BUCKET_BITS - 1)).tolist()
        fields = ((keys >> np.uint64(BAND_BUCKET_BITS)) & np.uint64(0xFFFFFFFF)).astype(">u4")
        return ([f"{self._prefix}band:{b:x}" for b in buckets],
                [f.tobytes() for f in fields])

    def find(self, text: str, own_id: str, values: bytes | None = None
             ) -> tuple[str | None, np.ndarray | None]:
        """As NearDuplicateIndex.find: (id of an earlier near-duplicate or None, signature)."""
        own = signature_given(text, values)
        if own is None:
            return None, None
        names, fields = self._band_slots(own)
        pipe = self._redis.pipeline(transaction=False)
        for name, field in zip(names, fields, strict=True):
            pipe.hget(name, field)
        rows = sorted({row for packed in pipe.execute() if packed
                       for row in np.frombuffer(packed, dtype=">u4").tolist()})
        if not rows:
            return None, own
        for row in rows:
            pipe.hget(f"{self._prefix}ids:{row // IDS_PER_KEY}", str(row % IDS_PER_KEY))
            offset = (row % SIGNATURES_PER_KEY) * PACKED_BYTES
            pipe.getrange(f"{self._prefix}sig:{row // SIGNATURES_PER_KEY}", offset,
                          offset + PACKED_BYTES - 1)
        found = pipe.execute()
        matches = [id_.decode() for id_, blob in zip(found[::2], found[1::2], strict=True)
                   if id_ is not None and id_.decode() != own_id
                   and similarity(own, signature_values(blob)) >= self.threshold]
        return (min(matches) if matches else None), own

    def add(self, id_: str, minhash: MinHash | LeanMinHash | np.ndarray | None,
            published: datetime | None) -> None:
        """Index an accepted article at once; an id already indexed keeps its signature."""
        if minhash is None:
            return
        blob = signature_bytes(minhash)
        names, fields = self._band_slots(signature_values(blob))
        bucket = xxhash.xxh3_64_intdigest(id_.encode()) % ID_BUCKETS
        self._add(keys=[f"{self._prefix}next", f"{self._prefix}rows:{bucket:x}", *names],
                  args=[id_, blob, self._prefix, *fields])

    def commit(self, ids: list[str]) -> None:
        """Nothing to do: inserted at `add` so other workers see it at once."""

    def close(self) -> None:
        self._redis.close()


def _fold_legacy(index: RedisNearDuplicateIndex) -> None:
    """Move an index written by datasketch's Redis storage (earlier versions: `lsh*` keys,
    `signatures` hash of uint64 blobs) into this layout, then delete it. One worker does it
    (a lock); the others wait for it, so no worker starts on a half-folded index."""
    client, ns = index._redis, index.namespace
    legacy, lock = key(ns, "signatures"), key(ns, "near:folding")
    if not client.exists(legacy):
        return
    if not client.set(lock, "1", nx=True, ex=600):
        while client.exists(lock):
            time.sleep(0.2)
        return
    try:
        folded = 0
        for id_, blob in client.hscan_iter(legacy, count=1000):
            index.add(id_.decode(), signature_values(blob), None)
            folded += 1
        stale: list[str | bytes] = [legacy, *client.scan_iter(key(ns, "lsh*"), count=1000)]
        for start in range(0, len(stale), 1000):
            client.delete(*stale[start:start + 1000])
        logger.info("near-duplicate index: %d signatures folded in from datasketch's "
                    "Redis storage", folded)
    finally:
        client.delete(lock)
