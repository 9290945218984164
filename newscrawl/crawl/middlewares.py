"""Downloader middleware: remember redirects as URL aliases in the crawl state.

A short link or moved URL that redirects to an article already in the dataset must not be
fetched again next run. When this run's dupefilter drops the redirected request (the target
was already fetched directly), the spider never sees the redirect, so it is recorded here,
where every 3xx passes. Recording every redirect is safe: the state only answers for aliases
whose target is a committed article.
"""

from __future__ import annotations

from urllib.parse import urljoin

from scrapy.crawler import Crawler
from scrapy.http import Request, Response

from newscrawl.crawl.services import CrawlServices, services_of
from newscrawl.urls import canonicalize_url


class RedirectAliasMiddleware:
    def __init__(self, services: CrawlServices) -> None:
        self.services = services

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectAliasMiddleware:
        return cls(services_of(crawler))

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location:
            target = urljoin(request.url, location.decode("latin-1"))
            if target.startswith(("http://", "https://")):
                self.services.dataset.state.add_alias(canonicalize_url(request.url),
                                                      canonicalize_url(target))
        return response
