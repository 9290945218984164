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
from urllib.parse import urlsplit

from newscrawl.sites import Site
from newscrawl.state.redis_keys import namespace_of, redis_key

SPIDER = "news_redis"

# Long enough for a Redis across a slow link to answer a PING, short enough that a worker
# started against a dead one says so at once instead of hanging in the crawl.
REDIS_CHECK_TIMEOUT = 3.0
URL_FORM = "redis://[:PASSWORD@]HOST[:PORT][/DB], rediss://... or unix:///PATH"


def redis_url_problem(url: str) -> str | None:
    """Why `url` is not a Redis URL we can use (one sentence), or None. Stricter than
    redis-py, which reads `redis://host/abc` as database 0 and lets a typo pass."""
    parts = urlsplit(url)
    shown = shown_url(url)
    if parts.scheme not in ("redis", "rediss", "unix"):
        return f"not a Redis URL: {shown!r} (expected {URL_FORM})"
    if parts.scheme == "unix":
        return None if parts.path else f"Redis URL {shown!r} names no socket path"
    if not parts.hostname:
        return f"Redis URL {shown!r} names no host (expected {URL_FORM})"
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 or (port is None and parts.netloc.endswith(":")):
        return f"Redis URL {shown!r} has a bad port (expected a number from 1 to 65535)"
    db = parts.path.lstrip("/")
    if db and not db.isdigit():
        return f"Redis URL {shown!r} has a bad database {db!r} (expected a number, e.g. /0)"
    return None


def check_redis(url: str, timeout: float = REDIS_CHECK_TIMEOUT) -> str | None:
    """PING the Redis at `url` before a distributed command starts; the problem as one
    sentence naming Redis and the URL (bad URL, unreachable, no answer, refused), or None."""
    if problem := redis_url_problem(url):
        return problem
    import redis

    shown = shown_url(url)
    client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        client.ping()
    except redis.TimeoutError:
        return f"Redis at {shown} did not answer within {timeout:g} s"
    except redis.AuthenticationError as exc:
        return f"Redis at {shown} refused us: {exc}"
    except redis.ConnectionError as exc:
        return f"cannot reach Redis at {shown}: {_os_reason(exc)}"
    except redis.RedisError as exc:
        return f"Redis at {shown} answered with an error: {exc}"
    finally:
        client.close()
    return None


def shown_url(url: str) -> str:
    """`url` with its password masked, for messages and logs."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _os_reason(exc: BaseException) -> str:
    """The operating system's words for a failed connection ("Connection refused", "Name or
    service not known"): redis-py keeps the OSError as the context of its own error."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__cause__ or seen.__context__
    return str(exc)


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
