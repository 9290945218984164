"""The one generic spider: routes responses to discovery or extraction, driven by site entries.

Per site it asks robots.txt for sitemaps (probing the common paths when robots names none),
reads the hinted sitemaps and feeds, and follows links from the home and section pages
(with pagination). Article candidates are canonicalised, filtered (site patterns, known
articles, --since) and fetched; article pages go to extraction and then to the pipelines.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import scrapy
from lxml import html
from protego import Protego
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newscrawl.crawl.items import ArticleItem
from newscrawl.crawl.middlewares import OffsiteRedirect
from newscrawl.crawl.policy import (
    Fetch,
    FetchMemory,
    RevisitPolicy,
    TrapLimits,
    conditional_headers,
    decide_fetch,
    trap_reason,
)
from newscrawl.crawl.reasons import BEFORE_DISCOVERY, NEVER_FETCHED, SkipReason, http_reason
from newscrawl.crawl.robots import RobotsDisallowed, RobotsUnreachable
from newscrawl.crawl.services import CrawlServices, services_of
from newscrawl.crawl.stats import bump
from newscrawl.discovery import Candidate
from newscrawl.discovery.feeds import parse_feed
from newscrawl.discovery.links import classify_link, feed_links, next_page_links, page_links
from newscrawl.discovery.sitemaps import parse_sitemap, sitemaps_from_robots
from newscrawl.extract import SiteContext
from newscrawl.extract.decode import decode_html
from newscrawl.extract.reasons import NOT_A_STORY_BY_NATURE
from newscrawl.sites import Site
from newscrawl.state import CrawlState, Validators
from newscrawl.urls import canonicalize_url, is_same_site, registered_host

COMMON_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/news-sitemap.xml",
                   "/sitemap-news.xml")
COMMON_FEEDS = ("/feed/", "/rss.xml", "/feed.xml", "/atom.xml", "/rss/", "/index.xml")
_EPOCH = datetime.min.replace(tzinfo=UTC)
# Requests refused before sending, by the middleware that refused them, and their reasons.
REFUSALS: tuple[tuple[type[IgnoreRequest], SkipReason], ...] = (
    (RobotsUnreachable, "robots_unreachable"),
    (RobotsDisallowed, "robots_disallowed"),
    (OffsiteRedirect, "offsite_redirect"),
)
ARTICLE_PRIORITY = 10  # fetch articles as soon as found: a capped crawl ends sooner
# Pages that are not stories by their nature (not by accident, like a timeout) are remembered
# so the next hourly runs do not fetch them again until NEWSCRAWL_REJECT_RECHECK_HOURS pass or
# their sitemap/feed lastmod moves. Not listings: their links are how articles are found.
REJECTED_REASONS = NOT_A_STORY_BY_NATURE


class NewsSpider(scrapy.Spider):
    name = "news"
    services: CrawlServices
    sites: dict[str, Site]
    contexts: dict[str, SiteContext]
    since: datetime | None
    revisit: RevisitPolicy
    limits: TrapLimits
    robots_agent: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for name in ("sites", "since", "sites_file"):
            if name in kwargs:
                raise ValueError(f"-a {name}=... is gone: use -s NEWSCRAWL_{name.upper()}=..."
                                 " (every crawl option is a setting)")
        super().__init__(*args, **kwargs)
        self.memory = FetchMemory()
        self._robots: dict[str, Protego] = {}
        self._sitemaps_seen: dict[str, int] = {}
        self._listings_seen: dict[str, int] = {}
        self._article_links: dict[str, int] = {}  # requests made for article links, per site
        self._listed: dict[str, int] = {}  # candidates from sitemaps and feeds, per site

    def bind(self) -> None:
        """Take the crawl's services and config. Scrapy builds the spider before the
        extensions, so this runs when the crawl starts, not in `from_crawler`."""
        self.services = services_of(self.crawler)
        config = self.services.config
        self.sites = dict(config.sites)
        self.since = config.since
        self.revisit = RevisitPolicy(config.revisit_hours, config.revisit_interval_minutes,
                                     config.reject_recheck_hours)
        self.limits = config.trap_limits
        self.robots_agent = self.crawler.settings.get("USER_AGENT", "newscrawl")
        self.contexts = {k: SiteContext(k, s.name, s.language, s.extra_boilerplate,
                                        s.allowed_hosts) for k, s in self.sites.items()}

    @property
    def state(self) -> CrawlState:
        return self.services.dataset.state

    # -- seeding -------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        self.bind()
        if self.services.config.max_articles is not None:
            # A sample of N stories: fetch nothing before the extractor can take it, or the
            # ~2 s its workers take to start would fetch dozens of pages past N for nothing.
            await self.services.pool.ready()
        for site in self.sites.values():
            for request in self._seed(site):
                yield request

    def _seed(self, site: Site) -> Iterator[Request]:
        # Pending links first: Scrapy draws start requests lazily, and a sitemap parsed before
        # a pending URL is decided would decide it first, hiding why it was skipped.
        yield from self._seed_pending(site)
        home = site.home
        yield self._req(urljoin(home, "/robots.txt"), site, "robots", self.parse_robots)
        for url in site.sitemaps:
            yield self._req(url, site, "sitemap", self.parse_sitemap)
        for url in site.feeds:
            yield self._req(url, site, "feed", self.parse_feed)
        yield self._req(home, site, "listing", self.parse_listing, depth=0)
        for url in site.sections:
            yield self._req(url, site, "listing", self.parse_listing, depth=1)

    def _seed_pending(self, site: Site) -> Iterator[Request]:
        """Stories an earlier run found in another story's links and did not get to (killed,
        stopped, a failed fetch, a link budget or the hop limit reached): the story that
        links them is known now and will not be fetched again, so this is the only way back
        to them. Those now in the dataset, found not to be stories, or skipped for a reason
        that holds for the URL itself (`NEVER_FETCHED`: robots.txt, a trap shape) are
        cleared; the rest go through the usual decision."""
        done: list[str] = []
        left: list[str] = []
        for url in self.state.pending(site.key):
            settled = self.state.known(url) is not None or self.state.rejected(url) is not None
            (done if settled else left).append(url)
        cap = self.services.config.max_article_links_per_site
        skipped: dict[str, str] = {}
        for url in left:
            # they spend this run's link budget like links found now; the rest stay pending
            if self._article_links.get(site.key, 0) >= cap or self.services.stopping:
                break
            for request in self._schedule_article(
                    site, Candidate(url=url, via="article_link"), depth=0, skipped=skipped):
                self._article_links[site.key] = self._article_links.get(site.key, 0) + 1
                request.meta["nc_hops"] = 1
                yield request
        # A URL no run will fetch (robots.txt forbids it, a trap shape) is no longer pending.
        done += [url for url, why in skipped.items() if why in NEVER_FETCHED]
        self.state.drop_pending(site.key, done)

    def _req(self, url: str, site: Site, role: str, callback: Callable[..., Any], *,
             depth: int = 0,
             candidate: Candidate | None = None, priority: int = 0) -> Request:
        return Request(url, callback=callback, errback=self.on_error, priority=priority,
                       meta={"nc_site": site.key, "nc_role": role, "nc_depth": depth,
                             "nc_candidate": candidate})

    # -- discovery -----------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Iterator[Request]:
        if self.services.closed:
            return
        site = self.sites[response.meta["nc_site"]]
        self.state.save_robots(registered_host(response.url), response.body)
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
        if result.truncated:
            bump(self.crawler.stats, site.key, "skipped/sitemap_cap")
        children = sorted(result.sitemaps, key=lambda c: c[1] or _EPOCH, reverse=True)
        for url, lastmod in children:
            if self.since and lastmod and lastmod < self.since:
                continue
            count = self._sitemaps_seen.get(site.key, 0)
            if count >= self.services.config.max_sitemaps:
                bump(self.crawler.stats, site.key, "skipped/sitemap_cap")
                break
            self._sitemaps_seen[site.key] = count + 1
            yield self._req(url, site, "sitemap", self.parse_sitemap)
        # Newest first: when the site's article budget runs out, the oldest are left.
        entries = sorted(result.entries, key=lambda c: c.published_at or c.lastmod or _EPOCH,
                         reverse=True)
        self._listed[site.key] = self._listed.get(site.key, 0) + len(entries)
        for candidate in entries:
            yield from self._schedule_article(site, candidate, depth=0)

    def parse_feed(self, response: Response) -> Iterator[Request]:
        site = self.sites[response.meta["nc_site"]]
        entries = parse_feed(response.body)
        if entries is None:
            bump(self.crawler.stats, site.key, "discovery/feed_unreadable")
            return
        bump(self.crawler.stats, site.key, "discovery/feeds")
        self._listed[site.key] = self._listed.get(site.key, 0) + len(entries)
        for candidate in entries:
            yield from self._schedule_article(site, candidate, depth=0)

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        site = self.sites[response.meta["nc_site"]]
        if not self._on_site(site, response):
            return
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
        """Links of a listing page at `depth`: articles found there are at `depth` too, so a
        page that looked like an article and turns out to be a listing continues the same
        count instead of starting again at zero (a calendar trap stays bounded)."""
        if self.services.stopping:
            return
        stats = self.crawler.stats
        config = self.services.config
        nexts = {canonicalize_url(u) for u in next_page_links(tree, base)}
        for url in [*nexts, *page_links(tree, base)]:
            if not is_same_site(url, site.allowed_hosts):
                continue
            url = canonicalize_url(url)
            kind = classify_link(url, site.allow, site.deny)
            if kind == "article":
                yield from self._schedule_article(site, Candidate(url=url, via="link"),
                                                  depth=depth)
                continue
            if url in self.memory.scheduled:
                continue
            if kind != "listing":
                self.memory.scheduled.add(url)
                bump(stats, site.key, f"skipped/{kind.removeprefix('skip:')}")
                continue
            next_depth = depth if url in nexts else depth + 1
            reason = trap_reason(url, self.limits)
            if reason is None and next_depth > config.max_listing_depth:
                reason = "trap_listing_depth"
            if reason is None and self.state.known(url) is not None:
                reason = "known"  # a short link or moved URL earlier runs saw redirect
            if reason is None and self._listings_seen.get(site.key, 0) >= \
                    config.max_listing_pages:
                reason = "listing_cap"
            self.memory.scheduled.add(url)
            if reason is not None:
                bump(stats, site.key, f"skipped/{reason}")
                continue
            self._listings_seen[site.key] = self._listings_seen.get(site.key, 0) + 1
            yield self._req(url, site, "listing", self.parse_listing, depth=next_depth)

    def _schedule_article(self, site: Site, candidate: Candidate, *, depth: int,
                          skipped: dict[str, str] | None = None) -> Iterator[Request]:
        """Carry out `decide_fetch` for an article candidate found at listing `depth`.
        `skipped`, when given, gets the canonical URL and the reason if it is skipped."""
        if self.services.stopping:
            return  # a stop began: nothing new is scheduled (the next run finds it again)
        stats = self.crawler.stats
        decision = decide_fetch(
            candidate, site, state=self.state, memory=self.memory,
            robots_allow=self._robots_allow, since=self.since, revisit=self.revisit,
            now=datetime.now(UTC), limits=self.limits)
        first = decision.url not in self.memory.scheduled
        self.memory.remember(site.key, decision)
        if isinstance(decision, Fetch):
            if first:
                bump(stats, site.key, "discovered")
            request = self._req(decision.url, site, "article", self.parse_article,
                                candidate=candidate, priority=ARTICLE_PRIORITY, depth=depth)
            if decision.revisit is not None:
                bump(stats, site.key, "revisits")
                request = request.replace(
                    headers=conditional_headers(decision.revisit), dont_filter=True,
                    meta={**request.meta, "handle_httpstatus_list": [304]})
            yield request
            return
        if decision.reason is None:
            return
        if decision.reason not in BEFORE_DISCOVERY:
            bump(stats, site.key, "discovered")
        bump(stats, site.key, f"skipped/{decision.reason}")
        if skipped is not None:
            skipped[decision.url] = decision.reason

    def _robots_allow(self, url: str) -> bool:
        """Our own robots.txt check of article candidates, before they are scheduled: a
        disallowed URL never enters the queue (in distributed mode, the shared one) and is
        counted as skipped where it was found. The middleware (robots.py) still checks every
        request; in distributed mode the worker that schedules a URL may not be the one that
        read the host's robots.txt (the state shares it)."""
        host = registered_host(url)
        parser = self._robots.get(host)
        if parser is None:
            body = self.state.load_robots(host)
            if body is None:
                return True  # not read yet: the middleware checks the request itself
            parser = Protego.parse(body.decode("utf-8", "replace"))
            self._robots[host] = parser
        return bool(parser.can_fetch(url, self.robots_agent))

    # -- articles ------------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        site = self.sites[response.meta["nc_site"]]
        stats = self.crawler.stats
        if not self._on_site(site, response):
            return
        candidate: Candidate | None = response.meta.get("nc_candidate")
        if self.services.closed:
            return
        if response.status == 304:
            bump(stats, site.key, "unchanged")
            self.state.touch(canonicalize_url(response.url), validators_of(response, candidate))
            return
        bump(stats, site.key, "fetched")
        content_type = content_type_of(response)
        try:
            self.services.archive.record(response, site.key, candidate)
        except OSError as exc:
            self.services.unwritable(exc)  # the page is fetched again next run
            return
        result = await self.services.pool.extract(
            response.body, response.url, content_type=content_type, hint=candidate,
            site=self._context(site), run_id=self.services.run_id)
        if self.services.closed:
            return  # stopped while this page was extracted: the next run fetches it
        if result.record is None:
            bump(stats, site.key, f"dropped/{result.reason}")
            if result.reason in REJECTED_REASONS:
                self.state.reject(canonicalize_url(response.url), str(result.reason))
            if result.page_kind == "listing" and candidate is not None \
                    and candidate.via == "link":
                for request in self._follow_listing_article(site, response):
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
            self.state.add_alias(alias, record["canonical_url"])
        moved = record["canonical_url"] != canonicalize_url(response.url)
        if moved and self.state.known(record["canonical_url"]) is not None:
            bump(stats, site.key, "dropped/duplicate_url")
            return
        yield ArticleItem(record=record, fetched_url=response.url,
                          validators=validators_of(response, candidate),
                          signature=result.signature,
                          via=candidate.via if candidate is not None else None)
        for request in self._follow_article_links(site, response, result.links):
            yield request

    def _context(self, site: Site) -> SiteContext:
        """The site's extraction context; asking for the page's links only where links
        from stories are followed (see `_follows_article_links`)."""
        context = self.contexts[site.key]
        return replace(context, collect_links=True) if self._follows_article_links(site) \
            else context

    def _follows_article_links(self, site: Site) -> bool:
        mode = self.services.config.follow_article_links
        # auto: a site whose sitemaps or feeds list its stories needs no spidering of
        # related boxes (which reach deep into its archive on every run)
        return mode == "always" or (mode == "auto" and not self._listed.get(site.key, 0))

    def _follow_article_links(self, site: Site, response: Response,
                              links: tuple[str, ...]) -> Iterator[Request]:
        """Stories linked from a story (related box, in-text link, previous/next): how a site
        without sitemap or feed yields the articles its listings do not show. Bounded by hops
        from the first story and by a per-site budget; each candidate then goes through the
        same decision as any other (known, robots, traps, the site's article budget).

        A link this run has no budget left for (the hop limit, the link budget, the site's
        article budget, a stop under way) is written down as pending, not dropped: the story
        linking it is about to be known, so no later run would find the link again (see
        `_seed_pending`).
        """
        hops = response.meta.get("nc_hops", 0) + 1
        config = self.services.config
        if not links or not self._follows_article_links(site):
            return
        if hops > config.max_article_link_hops:
            # The run's depth bound: the links not yet in the dataset are left to the next
            # run (pending, whose seeds start again at one hop), counted, so the run report
            # names the bound.
            beyond = [url for url in self._undecided(
                [u for u in links if classify_link(u, site.allow, site.deny) == "article"])
                if self.state.known(url) is None]
            for _ in beyond:
                bump(self.crawler.stats, site.key, "skipped/article_link_hops")
            if beyond:
                self.state.add_pending(site.key, beyond)
            return
        depth = response.meta.get("nc_depth", 0)
        requests: list[Request] = []
        over_budget: list[str] = []  # the run's budget of links from stories is spent
        deferred: list[str] = []  # a stop is under way
        skipped: dict[str, str] = {}
        for url in links:
            if classify_link(url, site.allow, site.deny) != "article":
                continue
            if self.services.stopping:
                deferred.append(url)
            elif self._article_links.get(site.key, 0) >= config.max_article_links_per_site:
                over_budget.append(url)
            else:
                for request in self._schedule_article(
                        site, Candidate(url=url, via="article_link"), depth=depth,
                        skipped=skipped):
                    self._article_links[site.key] = self._article_links.get(site.key, 0) + 1
                    request.meta["nc_hops"] = hops
                    requests.append(request)
        over_budget = self._undecided(over_budget)
        for _ in over_budget:
            bump(self.crawler.stats, site.key, "skipped/article_link_cap")
        # the site's article budget spent: not the URL's fault, so the next run tries it
        deferred += [url for url, why in skipped.items() if why == "site_candidate_cap"]
        # Written down before the linking story can be committed: after a kill the next run
        # finds them here, where it would not find them through the (then known) story.
        if pending := [r.url for r in requests] + over_budget + self._undecided(deferred):
            self.state.add_pending(site.key, pending)
        yield from requests

    def _undecided(self, urls: list[str]) -> list[str]:
        """`urls` (canonical, each once) this run has not decided on yet: one scheduled or
        skipped for good (known, robots, a trap) needs no pending entry."""
        fresh = dict.fromkeys(canonicalize_url(url) for url in urls)
        return [url for url in fresh if url not in self.memory.scheduled]

    def _follow_listing_article(self, site: Site, response: Response) -> Iterator[Request]:
        """An article-shaped URL found by link following was a listing: it counts against
        the site's listing budget and depth like any listing page."""
        depth = response.meta.get("nc_depth", 0) + 1
        config = self.services.config
        if depth > config.max_listing_depth:
            bump(self.crawler.stats, site.key, "skipped/trap_listing_depth")
            return
        if self._listings_seen.get(site.key, 0) >= config.max_listing_pages:
            bump(self.crawler.stats, site.key, "skipped/listing_cap")
            return
        self._listings_seen[site.key] = self._listings_seen.get(site.key, 0) + 1
        tree = self._tree(response)
        if tree is not None:
            yield from self._follow_links(site, tree, response.url, depth)

    def _on_site(self, site: Site, response: Response) -> bool:
        """The final URL (after redirects) belongs to the site; else nothing of it is kept.
        (The boundary middleware refuses such redirects; this is the last line.)"""
        if is_same_site(response.url, site.allowed_hosts):
            return True
        bump(self.crawler.stats, site.key, "skipped/offsite_redirect")
        return False

    # -- errors --------------------------------------------------------------------------

    def on_error(self, failure: Failure) -> None:
        if self.services.closed:
            return
        request: Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        site = request.meta.get("nc_site", "?")
        role = request.meta.get("nc_role", "?")
        if isinstance(failure.value, HttpError):
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
            bump(self.crawler.stats, site, f"dropped/{http_reason(status)}")
            if role == "article":
                bump(self.crawler.stats, site, "errors")
                if status in (404, 410):
                    # Gone is an answer, not an accident: not asked again for a while.
                    self.state.reject(canonicalize_url(request.url), http_reason(status))
            return
        for refusal, reason in REFUSALS:
            if isinstance(failure.value, refusal):
                # Not remembered anywhere: the next run asks again.
                bump(self.crawler.stats, site, f"skipped/{reason}")
                if role == "article" and reason in NEVER_FETCHED:
                    # a pending link robots.txt forbids: no run will fetch it
                    self.state.drop_pending(site, [canonicalize_url(request.url)])
                return
        if isinstance(failure.value, IgnoreRequest):
            # Refused by another middleware: too many redirects, a response over the size
            # limit, ... Not remembered: the next run tries again.
            bump(self.crawler.stats, site, "skipped/refused")
            self.logger.warning("%s: %s refused: %s", site, request.url, failure.value)
            return
        bump(self.crawler.stats, site, "errors")
        bump(self.crawler.stats, site, f"errors/{type(failure.value).__name__}")
        self.logger.warning("%s: %s failed: %s", site, request.url, failure.getErrorMessage())

    def _tree(self, response: Response) -> html.HtmlElement | None:
        content_type = content_type_of(response)
        if "html" not in content_type and content_type:
            return None
        text, _ = decode_html(response.body, content_type)
        try:
            return html.document_fromstring(text)
        except Exception:  # noqa: BLE001 - lxml raises several types on garbage
            return None


def content_type_of(response: Response) -> str:
    return (response.headers.get(b"Content-Type") or b"").decode("latin-1")


def validators_of(response: Response, candidate: Candidate | None) -> Validators:
    """HTTP validators and the discovery lastmod to remember for the next revisit."""
    def header(name: bytes) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None

    lastmod = candidate.lastmod.isoformat() if candidate and candidate.lastmod else None
    return Validators(header(b"ETag"), header(b"Last-Modified"), lastmod)
