"""Distributed mode: settings that put a crawl on scrapy-redis, and seeding.

One Redis holds, per dataset (namespace = the dataset directory's name): the shared request
queue and request dupefilter (scrapy-redis), the seeds, the crawl state and both dedup
indexes (state/redis.py, dedup/near.py). Workers on any machine run
`newscrawl crawl --redis URL --out DIR` against the same DIR (a shared filesystem); each
writes its own part files.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

from newscrawl.sites import Site
from newscrawl.state.redis_keys import namespace_of, redis_key

SPIDER = "news_redis"


def distributed_settings(redis_url: str, out: Path, idle_exit: int,
                         worker: str | None = None) -> dict[str, Any]:
    """Settings that make a crawl a scrapy-redis worker of the dataset at `out`."""
    ns = namespace_of(out)
    return {
        "NEWSCRAWL_REDIS_URL": redis_url,
        "REDIS_URL": redis_url,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        # Persist: one worker finishing must not wipe the queue the others still use.
        # `newscrawl seed` clears queue and dupefilter at the start of each run instead.
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": redis_key(ns, "requests"),
        "SCHEDULER_DUPEFILTER_KEY": redis_key(ns, "dupefilter"),
        "REDIS_START_URLS_KEY": redis_key(ns, "seeds"),
        "MAX_IDLE_TIME_BEFORE_CLOSE": idle_exit,
        "NEWSCRAWL_WORKER_ID": worker or f"{socket.gethostname()}-{os.getpid()}",
    }


def seed(redis_url: str, out: Path, sites: list[Site]) -> int:
    """Start a distributed run: clear the previous run's queue and dupefilter, push one seed
    per site. Returns the number of seeds."""
    import redis

    ns = namespace_of(out)
    client = redis.Redis.from_url(redis_url)
    try:
        pipe = client.pipeline(transaction=True)
        pipe.delete(redis_key(ns, "requests"), redis_key(ns, "dupefilter"),
                    redis_key(ns, "seeds"))
        for site in sites:
            pipe.rpush(redis_key(ns, "seeds"), json.dumps({"site": site.key}))
        pipe.execute()
    finally:
        client.close()
    return len(sites)
