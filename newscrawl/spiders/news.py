"""The one generic spider: routes responses to discovery or extraction, driven by site entries.

Per site it asks robots.txt for sitemaps (probing the common paths when robots names none),
reads the hinted sitemaps and feeds, and follows links from the home and section pages
(with pagination). Article candidates are canonicalised, filtered (site patterns, known
articles, --since) and fetched; article pages go to extraction and then to the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from lxml import html
from protego import Protego
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.discovery import Candidate
from newscrawl.discovery.dates import parse_machine_date, url_date
from newscrawl.discovery.feeds import parse_feed
from newscrawl.discovery.links import (
    classify_link,
    feed_links,
    next_page_links,
    page_links,
)
from newscrawl.discovery.sitemaps import parse_sitemap, sitemaps_from_robots
from newscrawl.extract import SiteContext
from newscrawl.extract.decode import decode_html
from newscrawl.extractor import get_extractor
from newscrawl.revisit import RevisitPolicy, validators_of
from newscrawl.robots import RobotsUnreachable
from newscrawl.run import get_run
from newscrawl.sites import Site, load_sites, select_sites
from newscrawl.stats import bump
from newscrawl.urls import canonicalize_url, is_same_site, registered_host

COMMON_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml",
                   "/sitemap-news.xml")
COMMON_FEEDS = ("/feed/", "/rss.xml", "/feed.xml", "/atom.xml", "/rss/", "/index.xml")
ARTICLE_PRIORITY = 10  # fetch articles as soon as found: a capped crawl ends sooner
# Pages that are not articles by their nature (not by accident, like a timeout): remembered
# so the next hourly runs do not fetch them again until NEWSCRAWL_REJECT_RECHECK_HOURS pass
# or their sitemap/feed lastmod moves. Not listings: their links are how articles are found.
REJECTED_REASONS = frozenset({"not_html", "too_little_text_gallery", "too_little_text_video"})


class NewsSpider(scrapy.Spider):
    name = "news"

    def __init__(self, sites: str = "", sites_file: str | None = None, since: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._site_keys = [k for k in sites.split(",") if k] if isinstance(sites, str) \
            else list(sites)
        self._sites_file = sites_file
        self._since_arg = since

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        sites_file = spider._sites_file or settings.get("NEWSCRAWL_SITES_FILE") or None
        keys = spider._site_keys or settings.getlist("NEWSCRAWL_SITES")
        spider.sites = {s.key: s for s in select_sites(load_sites(sites_file), keys)}
        since = spider._since_arg or settings.get("NEWSCRAWL_SINCE")
        spider.since = parse_since(since) if since else None
        spider.max_sitemaps = settings.getint("NEWSCRAWL_MAX_SITEMAPS_PER_SITE", 50)
        spider.max_listing_depth = settings.getint("NEWSCRAWL_MAX_LISTING_DEPTH", 3)
        spider.max_listing_pages = settings.getint("NEWSCRAWL_MAX_LISTING_PAGES_PER_SITE", 200)
        spider._scheduled: set[str] = set()
        spider._skipped_known: set[str] = set()
        spider._robots: dict[str, Protego] = {}
        spider.user_agent = settings.get("USER_AGENT", "newscrawl")
        spider._sitemaps_seen: dict[str, int] = {}
        spider._listings_seen: dict[str, int] = {}
        spider.revisit = RevisitPolicy.from_settings(settings)
        spider.reject_recheck = timedelta(
            hours=settings.getfloat("NEWSCRAWL_REJECT_RECHECK_HOURS", 24.0))
        spider.contexts = {k: SiteContext(k, s.name, s.language, s.extra_boilerplate,
                                          s.allowed_hosts) for k, s in spider.sites.items()}
        return spider

    # -- seeding -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        get_run(self.crawler)  # open the dataset (lock, state) before the first request
        get_extractor(self.crawler).warm_up()
        for site in self.sites.values():
            for request in self._seed(site):
                yield request

    def _seed(self, site: Site) -> Iterator[Request]:
        home = site.home
        yield self._req(urljoin(home, "/robots.txt"), site, "robots", self.parse_robots)
        for url in site.sitemaps:
            yield self._req(url, site, "sitemap", self.parse_sitemap)
        for url in site.feeds:
            yield self._req(url, site, "feed", self.parse_feed)
        yield self._req(home, site, "listing", self.parse_listing, depth=0)
        for url in site.sections:
            yield self._req(url, site, "listing", self.parse_listing, depth=1)

    def _req(self, url: str, site: Site, role: str, callback: Any, *, depth: int = 0,
             candidate: Candidate | None = None, priority: int = 0) -> Request:
        return Request(url, callback=callback, errback=self.on_error, priority=priority,
                       meta={"nc_site": site.key, "nc_role": role, "nc_depth": depth,
                             "nc_candidate": candidate})

    # -- discovery -----------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        site = self.sites[response.meta["nc_site"]]
        get_run(self.crawler).state.save_robots(registered_host(response.url), response.body)
        listed = sitemaps_from_robots(response.body)
        for url in listed or [urljoin(site.home, p) for p in COMMON_SITEMAPS]:
            yield self._req(url, site, "sitemap", self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        site = self.sites[response.meta["nc_site"]]
        result = parse_sitemap(response.body)
        if result.error:
            bump(self.crawler.stats, site.key, "discovery/sitemap_unreadable")
            self.logger.info("%s: %s is not a readable sitemap (%s)", site.key, response.url,
                             result.error)
            return
        bump(self.crawler.stats, site.key, "discovery/sitemaps")
        children = sorted(result.sitemaps, key=lambda c: c[1] or datetime.min.replace(
            tzinfo=UTC), reverse=True)
        for url, lastmod in children:
            if self.since and lastmod and lastmod < self.since:
                continue
            count = self._sitemaps_seen.get(site.key, 0)
            if count >= self.max_sitemaps:
                bump(self.crawler.stats, site.key, "discovery/sitemaps_capped")
                break
            self._sitemaps_seen[site.key] = count + 1
            yield self._req(url, site, "sitemap", self.parse_sitemap)
        for candidate in result.entries:
            yield from self._schedule_article(site, candidate)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        site = self.sites[response.meta["nc_site"]]
        entries = parse_feed(response.body)
        if entries is None:
            bump(self.crawler.stats, site.key, "discovery/feed_unreadable")
            return
        bump(self.crawler.stats, site.key, "discovery/feeds")
        for candidate in entries:
            yield from self._schedule_article(site, candidate)

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        site = self.sites[response.meta["nc_site"]]
        if response.meta.get("redirect_urls") and classify_link(
                canonicalize_url(response.url), site.allow, site.deny) == "article":
            # A link that looked like a section redirected to an article (short links,
            # moved stories). Its final URL is now in the dupefilter, so a direct link to it
            # would never be fetched: extract it here.
            async for item in self.parse_article(response):
                yield item
            return
        for request in self._listing_requests(site, response):
            yield request

    def _listing_requests(self, site: Site, response: Response) -> Iterator[Request]:
        tree = self._tree(response)
        if tree is None:
            return
        depth = response.meta.get("nc_depth", 0)
        if depth == 0:
            feeds = feed_links(tree, response.url)
            if not feeds and not site.feeds:
                feeds = [urljoin(site.home, p) for p in COMMON_FEEDS]
            for url in feeds:
                if is_same_site(url, site.allowed_hosts):
                    yield self._req(url, site, "feed", self.parse_feed)
        yield from self._follow_links(site, tree, response.url, depth)

    def _follow_links(self, site: Site, tree: html.HtmlElement, base: str,
                      depth: int) -> Iterator[Request]:
        stats = self.crawler.stats
        nexts = {canonicalize_url(u) for u in next_page_links(tree, base)}
        for url in [*nexts, *page_links(tree, base)]:
            if not is_same_site(url, site.allowed_hosts):
                continue
            url = canonicalize_url(url)
            kind = classify_link(url, site.allow, site.deny)
            if kind == "article":
                yield from self._schedule_article(site, Candidate(url=url, via="link"))
            elif kind == "listing":
                next_depth = depth if url in nexts else depth + 1
                if next_depth > self.max_listing_depth or url in self._scheduled:
                    continue
                if get_run(self.crawler).state.known(url) is not None:
                    # A short link or moved URL that earlier runs saw redirect to an article.
                    bump(stats, site.key, "skipped/known")
                    continue
                count = self._listings_seen.get(site.key, 0)
                if count >= self.max_listing_pages:
                    continue
                self._listings_seen[site.key] = count + 1
                self._scheduled.add(url)
                yield self._req(url, site, "listing", self.parse_listing, depth=next_depth)
            elif url not in self._scheduled:
                self._scheduled.add(url)
                bump(stats, site.key, f"skipped/{kind.removeprefix('skip:')}")

    def _schedule_article(self, site: Site, candidate: Candidate) -> Iterator[Request]:
        stats = self.crawler.stats
        if not is_same_site(candidate.url, site.allowed_hosts):
            bump(stats, site.key, "skipped/off_site")
            return
        url = canonicalize_url(candidate.url)
        if url in self._scheduled:
            # Seen already this run. If it was skipped as known, a later source may carry the
            # lastmod that shows it changed (a listing link arrives before the sitemap entry).
            if url not in self._skipped_known or candidate.lastmod is None:
                return
            known = get_run(self.crawler).state.known(url)
            if known is None or not self.revisit.due(known, candidate):
                return
            self._skipped_known.discard(url)
            bump(stats, site.key, "revisits")
            yield self.revisit.conditional(self._req(
                url, site, "article", self.parse_article, candidate=candidate,
                priority=ARTICLE_PRIORITY), known)
            return
        self._scheduled.add(url)
        kind = classify_link(url, (), site.deny)
        # Sitemaps and feeds are trusted to list articles, except for what no article is:
        # files, denied paths, and shallow site pages (/about/, /contact/) that sitemaps list too.
        shallow = urlsplit(url).path.strip("/").count("/") == 0
        if kind.startswith("skip:") and (candidate.via == "link" or shallow or kind in (
                "skip:non_html_link", "skip:denied_by_site")):
            bump(stats, site.key, f"skipped/{kind.removeprefix('skip:')}")
            return
        if not self._robots_allow(url):
            bump(stats, site.key, "skipped/robots_disallowed")
            return
        bump(stats, site.key, "discovered")
        when = candidate.published_at or candidate.lastmod or url_date(url)
        if self.since and when and when < self.since:
            bump(stats, site.key, "skipped/older_than_since")
            return
        state = get_run(self.crawler).state
        rejected = state.rejected_at(url)
        if rejected is not None and datetime.now(UTC) - rejected < self.reject_recheck and (
                candidate.lastmod is None or candidate.lastmod <= rejected):
            bump(stats, site.key, "skipped/not_an_article_before")
            return
        known = state.known(url)
        request = self._req(url, site, "article", self.parse_article, candidate=candidate,
                            priority=ARTICLE_PRIORITY)
        if known is not None:
            if not self.revisit.due(known, candidate):
                bump(stats, site.key, "skipped/known")
                self._skipped_known.add(url)
                return
            bump(stats, site.key, "revisits")
            request = self.revisit.conditional(request, known)
        yield request

    def _robots_allow(self, url: str) -> bool:
        """Our own robots.txt check of article candidates, before they are scheduled: a
        disallowed URL never enters the queue (in distributed mode, the shared one) and is
        counted as skipped where it was found. The middleware (robots.py) still checks every
        request; in distributed mode the worker that schedules a URL may not be the one that
        read the host's robots.txt (the state shares it)."""
        host = registered_host(url)
        parser = self._robots.get(host)
        if parser is None:
            body = get_run(self.crawler).state.load_robots(host)
            if body is None:
                return True  # not read yet: the middleware checks the request itself
            parser = Protego.parse(body.decode("utf-8", "replace"))
            self._robots[host] = parser
        return bool(parser.can_fetch(url, self.user_agent))

    # -- articles ------------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        site = self.sites[response.meta["nc_site"]]
        stats = self.crawler.stats
        candidate: Candidate | None = response.meta.get("nc_candidate")
        run = get_run(self.crawler)
        if response.status == 304:
            bump(stats, site.key, "unchanged")
            run.state.touch(canonicalize_url(response.url), validators_of(response, candidate))
            return
        bump(stats, site.key, "fetched")
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        result = await get_extractor(self.crawler).extract(
            response.body, response.url, content_type=content_type, hint=candidate,
            site=self.contexts[site.key], run_id=run.run_id)
        if result.record is None:
            bump(stats, site.key, f"dropped/{result.reason}")
            if result.reason in REJECTED_REASONS:
                run.state.reject(canonicalize_url(response.url), str(result.reason))
            if result.page_kind == "listing" and candidate is not None \
                    and candidate.via == "link":
                tree = self._tree(response)
                if tree is not None:
                    for request in self._follow_links(site, tree, response.url,
                                                      response.meta.get("nc_depth", 0) + 1):
                        yield request
            return
        record = result.record
        if self.since and record["published_at"] and record["published_at"] < self.since:
            bump(stats, site.key, "dropped/older_than_since")
            return
        # Every URL that led here (redirect sources, the fetched URL when rel=canonical
        # names another) is an alias of the record, so later runs skip it before fetching.
        for alias in {canonicalize_url(u) for u in
                      [*response.meta.get("redirect_urls", []), response.url]}:
            run.state.add_alias(alias, record["canonical_url"])
        run.validators[record["canonical_url"]] = validators_of(response, candidate)
        if result.signature is not None:
            run.signatures[record["id"]] = result.signature
        moved = record["canonical_url"] != canonicalize_url(response.url)
        if moved and run.state.known(record["canonical_url"]) is not None:
            bump(stats, site.key, "dropped/duplicate_url")
            return
        yield record

    # -- errors --------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        site = request.meta.get("nc_site", "?")
        role = request.meta.get("nc_role", "?")
        if failure.check(HttpError):
            status = failure.value.response.status
            if role == "robots":
                # No robots.txt: probe the common sitemap paths instead.
                for url in (urljoin(self.sites[site].home, p) for p in COMMON_SITEMAPS):
                    self.crawler.engine.crawl(self._req(url, self.sites[site], "sitemap",
                                                        self.parse_sitemap))
                return
            if role in ("sitemap", "feed"):
                bump(self.crawler.stats, site, f"discovery/{role}_missing")
                return
            bump(self.crawler.stats, site, f"dropped/http_{status}")
            if role == "article":
                bump(self.crawler.stats, site, "errors")
                if status in (404, 410):
                    # Gone is an answer, not an accident: not asked again for a while.
                    get_run(self.crawler).state.reject(canonicalize_url(request.url),
                                                       f"http_{status}")
            return
        if failure.check(RobotsUnreachable):
            # Not remembered anywhere: the next run asks for robots.txt and the page again.
            bump(self.crawler.stats, site, "skipped/robots_unreachable")
            return
        if failure.check(IgnoreRequest):
            # Refused before sending: robots.txt disallows it (or a middleware filtered it).
            bump(self.crawler.stats, site, "skipped/robots_disallowed")
            return
        bump(self.crawler.stats, site, "errors")
        bump(self.crawler.stats, site, f"errors/{failure.type.__name__}")
        self.logger.warning("%s: %s failed: %s", site, request.url, failure.getErrorMessage())

    def _tree(self, response: Response) -> html.HtmlElement | None:
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        if "html" not in content_type and content_type:
            return None
        text, _ = decode_html(response.body, content_type)
        try:
            return html.document_fromstring(text)
        except Exception:  # noqa: BLE001 - lxml raises several types on garbage
            return None


def parse_since(value: str) -> datetime:
    """'2026-01-31' or an ISO timestamp -> aware UTC datetime; ValueError with a clear text."""
    parsed = parse_machine_date(value)
    if parsed is None:
        raise ValueError(f"--since {value!r} is not a date; use YYYY-MM-DD or an ISO timestamp")
    return parsed
