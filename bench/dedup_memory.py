"""Memory of the dedup indexes per 100k articles: the embedded near-duplicate index (MinHash
LSH in memory, signatures in SQLite) and, with --redis, the distributed state in Redis.

    python bench/dedup_memory.py [--articles 100000] [--redis redis://127.0.0.1:6379/0]

Signatures are random MinHash value arrays (what the index stores does not depend on the
text; computing 100k real signatures would only measure MinHash speed). The baseline is the
same process before the index is built; figures are RSS deltas.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import psutil
from datasketch import MinHash

from newscrawl.dedup.near import NUM_PERM, NearDuplicateIndex, minhash_scheme


def rss_mb() -> float:
    gc.collect()
    return psutil.Process(os.getpid()).memory_info().rss / 2**20


def random_signatures(count: int, seed: int = 7) -> list[MinHash]:
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 2**32 - 1, size=(count, NUM_PERM), dtype=np.uint64)
    return [MinHash(num_perm=NUM_PERM, hashvalues=row, scheme=minhash_scheme()) for row in values]


def embedded(count: int) -> None:
    signatures = random_signatures(count)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "crawl.sqlite"
        index = NearDuplicateIndex(db)
        now = datetime.now(UTC)
        start = time.perf_counter()
        for i, minhash in enumerate(signatures):
            index.add(f"{i:016x}", minhash, now)
        index.commit([f"{i:016x}" for i in range(count)])
        index.close()
        del signatures
        write_s = time.perf_counter() - start
        size_mb = db.stat().st_size / 2**20
        # Fresh process state: load the persisted window as a new run would, and measure.
        before = rss_mb()
        loaded = NearDuplicateIndex(db)
        start = time.perf_counter()
        loaded._index()  # what the first find() of a run does
        load_s = time.perf_counter() - start
        after = rss_mb()
        loaded.close()
    per100k = 100_000 / count
    print(f"embedded near-duplicate index, {count} articles:")
    print(f"  build + persist: {write_s:.1f} s; SQLite signatures on disk {size_mb:.1f} MB")
    print(f"  load into memory: {load_s:.1f} s; RSS +{after - before:.1f} MB")
    print(f"  per 100k articles: RSS {(after - before) * per100k:.0f} MB, "
          f"disk {size_mb * per100k:.0f} MB")


def distributed(count: int, url: str) -> None:
    import redis

    from newscrawl.dedup.near import RedisNearDuplicateIndex
    from newscrawl.state.redis import RedisCrawlState

    client = redis.Redis.from_url(url)
    client.flushdb()
    base = int(client.info("memory")["used_memory"])
    signatures = random_signatures(count)
    with tempfile.TemporaryDirectory() as tmp:
        state = RedisCrawlState(Path(tmp), url, "bench")
        near = RedisNearDuplicateIndex(url, "bench")
        now = datetime.now(UTC)
        rows = []
        start = time.perf_counter()
        for i, minhash in enumerate(signatures):
            id_ = f"{i:016x}"
            near.add(id_, minhash, now)
            rows.append({"id": id_, "canonical_url": f"https://site{i % 50}.example/2026/11/"
                         f"{i:07d}/a-story-slug-of-typical-length/", "url": None,
                         "content_hash": f"{i * 7919:016x}", "version": 1,
                         "published_at": now, "crawled_at": now})
            if len(rows) == 500:
                state.commit_part(f"part-{i}", rows)
                rows = []
        state.commit_part("part-last", rows)
        write_s = time.perf_counter() - start
        state.close()
    used = int(client.info("memory")["used_memory"]) - base
    lsh = sum(client.memory_usage(k) or 0 for k in client.scan_iter("newscrawl:bench:lsh*",
                                                                      count=1000))
    per100k = 100_000 / count
    print(f"distributed state in Redis, {count} articles ({write_s:.1f} s to write):")
    print(f"  used_memory +{used / 2**20:.1f} MB (MinHash LSH keys {lsh / 2**20:.1f} MB)")
    print(f"  per 100k articles: {used / 2**20 * per100k:.0f} MB")
    client.flushdb()
    client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--redis", help="also measure the distributed state on this Redis "
                                        "(it is FLUSHED: use a scratch server)")
    args = parser.parse_args()
    embedded(args.articles)
    if args.redis:
        distributed(args.articles, args.redis)


if __name__ == "__main__":
    main()
