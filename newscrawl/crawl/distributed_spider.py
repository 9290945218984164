"""The news spider as a scrapy-redis worker: seeds come from Redis, requests and the
dupefilter are shared by every worker through scrapy-redis's scheduler.

Defined only when scrapy-redis is installed (the `distributed` extra): Scrapy's spider loader
imports every module in SPIDER_MODULES, and an install without the extra must still crawl.

Why this module exists: scrapy-redis 0.9.1 feeds a spider through `start_requests()`, which
Scrapy >= 2.16 no longer calls (it calls `async def start()` only). The adapter below is the
whole fix: `start()` reads the first batch of seeds from Redis the way `start_requests()`
would have; later batches arrive through scrapy-redis's own idle handler, unchanged.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from importlib.util import find_spec
from typing import Any

from scrapy.http import Request

from newscrawl.crawl.spider import NewsSpider

if find_spec("scrapy_redis") is not None:
    from scrapy_redis.spiders import RedisMixin

    class DistributedNewsSpider(RedisMixin, NewsSpider):
        name = "news_redis"
        # One site per pop, so that workers share the seeds instead of the first taking all.
        redis_batch_size = 1

        async def start(self) -> AsyncIterator[Request]:
            self.bind()
            self.setup_redis(self.crawler)
            for request in self.next_requests():
                yield request

        def make_request_from_data(self, data: bytes) -> list[Request]:
            """A seed is `{"site": "<key>"}`: that site's discovery start points."""
            try:
                payload: dict[str, Any] = json.loads(data)
            except ValueError:
                self.logger.warning("ignoring a seed that is not JSON: %r", data[:100])
                return []
            site = self.sites.get(str(payload.get("site")))
            if site is None:
                self.logger.warning("ignoring a seed for an unknown site: %r", payload)
                return []
            return list(self._seed(site))
