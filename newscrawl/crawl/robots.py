"""Downloader middleware: Scrapy's robots.txt check, made safe for concurrent requests and
strict when a site's robots.txt cannot be read.

Two changes to `scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware`:

- **Every request waits for the parser.** In Scrapy 2.13+ the requests that arrive while a
  host's robots.txt is still downloading all await one shared Deferred; only the first of them
  receives the parser, the others receive None (the asyncio adapter's callback returns None into
  the shared chain), and None means "no robots.txt, allow everything". A crawl that finds a
  disallowed link on a home page before robots.txt has arrived fetched it anyway. A waiter
  that got None now reads the settled parser instead.
- **Unreachable means disallowed** (RFC 9309, 2.3.1.3-4): a robots.txt answered with a 5xx or
  429 (after Scrapy's retries) or not answered at all blocks the host for this run; Scrapy
  would allow everything. Such requests fail with `RobotsUnreachable`, which the spider counts
  apart from real disallows. Nothing about them is remembered, so the next run tries again.
  A 4xx other than 429 still means "no robots.txt": allow everything.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class RobotsUnreachable(IgnoreRequest):
    """The request's host did not serve its robots.txt this run; asked again next run."""


class RobotsDisallowed(IgnoreRequest):
    """robots.txt forbids the request (told apart from other refusals in the report)."""


class _Unreachable(RobotParser):
    """The parser stand-in for a host whose robots.txt could not be read."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> _Unreachable:
        raise NotImplementedError("made by the middleware, never from a robots.txt body")

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class StrictRobotsTxtMiddleware(RobotsTxtMiddleware):
    async def robot_parser(self, request: Request) -> Any:
        parser = await super().robot_parser(request)
        if parser is None:
            settled = self._parsers.get(urlparse_cached(request).netloc)
            if not isinstance(settled, Deferred):
                parser = settled
        return parser

    def process_request_2(self, rp: Any, request: Request) -> None:
        if isinstance(rp, _Unreachable):
            self._stats.inc_value("robotstxt/unreachable_skipped")
            raise RobotsUnreachable(f"robots.txt unreachable ({rp.reason})")
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise RobotsDisallowed(str(exc)) from None

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            self._unreachable(netloc, f"HTTP {response.status}")
            return
        await super()._parse_robots(response, netloc, request)

    def _robots_error(self, exc: Exception, netloc: str) -> None:
        if isinstance(exc, IgnoreRequest):
            super()._robots_error(exc, netloc)
            return
        self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self._unreachable(netloc, type(exc).__name__)

    def _unreachable(self, netloc: str, reason: str) -> None:
        logger.warning("robots.txt of %s could not be read (%s): its pages are skipped this "
                       "run and asked for again next run", netloc, reason)
        waiting = self._parsers[netloc]
        stand_in = _Unreachable(reason)
        self._parsers[netloc] = stand_in
        if isinstance(waiting, Deferred):
            waiting.callback(stand_in)
