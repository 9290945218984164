"""Downloader middlewares: keep every request on its site, and remember redirects as aliases.

`SiteBoundaryMiddleware` runs first (before robots.txt is even asked): a request that a
redirect, a meta refresh or a discovery document points at an internal address, or an article
or section request redirected to another host, is refused with `OffsiteRedirect`, counted as
`skipped/offsite_redirect`, and nothing of the foreign page is fetched or stored.

`RedirectAliasMiddleware`: a short link or moved URL that redirects to an article already in
the dataset must not be fetched again next run. When this run's dupefilter drops the
redirected request (the target was already fetched directly), the spider never sees the
redirect, so it is recorded here, where every 3xx passes. Recording every redirect is safe: the
state only answers for aliases whose target is a committed article.
"""

from __future__ import annotations

import logging
from urllib.parse import urljoin

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from newscrawl.crawl.boundary import fetch_verdict, host_of, is_internal_host
from newscrawl.crawl.services import CrawlServices, services_of
from newscrawl.urls import canonicalize_url

logger = logging.getLogger(__name__)


class OffsiteRedirect(IgnoreRequest):
    """The request would leave the site (another host, or an internal address)."""


class SiteBoundaryMiddleware:
    def __init__(self, services: CrawlServices) -> None:
        self.services = services
        self._internal_home: dict[str, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteBoundaryMiddleware:
        return cls(services_of(crawler))

    def process_request(self, request: Request) -> None:
        key = request.meta.get("nc_site")
        site = self.services.config.sites.get(key) if key else None
        if site is None:
            return
        home_internal = self._internal_home.get(site.key)
        if home_internal is None:
            home_internal = is_internal_host(host_of(site.home))
            self._internal_home[site.key] = home_internal
        role = request.meta.get("nc_role", "")
        # Only redirect targets can leave the site by role: first requests were checked
        # against the site's hosts when they were scheduled.
        redirected = bool(request.meta.get("redirect_urls"))
        verdict = fetch_verdict(request.url, role if redirected else "", site.allowed_hosts,
                                home_internal)
        if verdict == "ok":
            return
        logger.warning("%s: refusing %s (%s%s)", site.key, request.url,
                       "an internal address" if verdict == "internal_address"
                       else "another host than the site's",
                       f", redirected from {request.meta['redirect_urls'][0]}"
                       if redirected else "")
        raise OffsiteRedirect(f"{verdict}: {request.url}")


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
