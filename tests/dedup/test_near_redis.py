"""RedisNearDuplicateIndex beyond the shared contract (test_near_contract.py): workers see each
other's articles at once, keys stay under the dataset's prefix, and an index written by
datasketch's Redis storage (earlier versions) is folded in, its copies still found."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import numpy as np
import redis
from datasketch import LeanMinHash, MinHashLSH

from newscrawl.dedup.near import (
    LSH_BANDS,
    NUM_PERM,
    minhash_scheme,
    signature,
)
from newscrawl.dedup.near_redis import RedisNearDuplicateIndex
from newscrawl.state.redis_keys import redis_key as key
from tests.dedup.test_near import NETWORK, SYNDICATED

NOW = datetime.now(UTC)


def test_a_worker_finds_what_another_added_without_a_commit(redis_url: str) -> None:
    first, second = (RedisNearDuplicateIndex(redis_url, "news") for _ in range(2))
    try:
        original, copy = SYNDICATED[0]
        first.add("orig", first.find(original.text, "orig")[1], NOW)
        assert second.find(copy.text, "copy")[0] == "orig"
        assert RedisNearDuplicateIndex(redis_url, "other").find(copy.text, "copy")[0] is None
    finally:
        first.close()
        second.close()


def test_every_key_sits_under_the_dataset_prefix_in_small_structures(redis_url: str) -> None:
    index = RedisNearDuplicateIndex(redis_url, "news")
    client = redis.Redis.from_url(redis_url)
    try:
        for article in NETWORK.articles:
            index.add(article.slug, index.find(article.text, article.slug)[1], NOW)
        keys = {k.decode() for k in client.scan_iter(count=1000)}
        assert all(k.startswith(key("news", "near:")) for k in keys), keys
        kinds = {k.split(":")[3] for k in keys}
        assert kinds == {"next", "rows", "ids", "sig", "band"}
        # texts too short to judge (a two-sentence video story) carry no signature
        judged = [a for a in NETWORK.articles if signature(a.text) is not None]
        assert len(judged) >= len(NETWORK.articles) - 2
        assert int(client.get(key("news", "near:next"))) == len(judged)
        # Band and id hashes stay listpacks (compact); signatures one preallocated string.
        for name in keys:
            if name.split(":")[3] in {"rows", "ids", "band"}:
                assert client.object("encoding", name) == b"listpack", name
        assert client.strlen(key("news", "near:sig:0")) == 1000 * NUM_PERM * 4
    finally:
        index.close()
        client.close()


def test_an_index_written_by_datasketch_is_folded_in_and_its_copies_found(
    redis_url: str,
) -> None:
    # What earlier versions wrote: datasketch's Redis LSH storage under `lsh`, and the
    # signatures as uint64 blobs in the `signatures` hash.
    client = redis.Redis.from_url(redis_url)
    parts = client.connection_pool.connection_kwargs
    legacy = MinHashLSH(num_perm=NUM_PERM, params=LSH_BANDS, storage_config={
        "type": "redis", "basename": key("news", "lsh").encode(),
        "redis": {"host": parts["host"], "port": parts["port"], "db": parts.get("db", 0)}})
    for n, (original, _) in enumerate(SYNDICATED):
        minhash = signature(original.text)
        legacy.insert(f"old-{n}", minhash)
        client.hset(key("news", "signatures"), f"old-{n}",
                    minhash.hashvalues.astype(np.uint64).tobytes())
    assert any(client.scan_iter(key("news", "lsh*")))
    index = RedisNearDuplicateIndex(redis_url, "news")
    try:
        for n, (_, copy) in enumerate(SYNDICATED):
            assert index.find(copy.text, "copy")[0] == f"old-{n}"
        assert not any(client.scan_iter(key("news", "lsh*")))
        assert not client.exists(key("news", "signatures"))
        # A second worker opening it afterwards finds the same, folding nothing twice.
        again = RedisNearDuplicateIndex(redis_url, "news")
        assert again.find(SYNDICATED[0][1].text, "copy")[0] == "old-0"
        assert int(client.get(key("news", "near:next"))) == len(SYNDICATED)
        again.close()
    finally:
        index.close()
        client.close()


def test_workers_adding_at_once_lose_no_article(redis_url: str) -> None:
    # Each insert extends band values in place (read, append, write): done in one script, so
    # two workers writing the same band bucket at once both land.
    base = np.random.default_rng(9).integers(0, 2**32, size=NUM_PERM, dtype=np.uint64)
    workers = [RedisNearDuplicateIndex(redis_url, "news") for _ in range(4)]

    def insert(worker: int) -> None:
        rng = np.random.default_rng(worker)
        for n in range(50):
            values = base.copy()
            values[5:] = rng.integers(0, 2**32, size=NUM_PERM - 5, dtype=np.uint64)
            values[0] = n  # band 0 shared by each worker's n-th article
            minhash = LeanMinHash(seed=1, hashvalues=values, scheme=minhash_scheme())
            workers[worker].add(f"w{worker}-{n:02d}", minhash, NOW)

    try:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(insert, range(4)))
        client = redis.Redis.from_url(redis_url)
        assert int(client.get(key("news", "near:next"))) == 200
        ids = {v.decode() for k in client.scan_iter(key("news", "near:ids:*"))
               for v in client.hgetall(k).values()}
        assert len(ids) == 200
        # Every band-0 bucket value holds the four workers' rows for that n.
        values = [v for k in client.scan_iter(key("news", "near:band:*"))
                  for v in client.hgetall(k).values() if len(v) > 4]
        assert sorted(len(v) // 4 for v in values) == [4] * 50
        client.close()
    finally:
        for worker in workers:
            worker.close()
