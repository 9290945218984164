"""Small local news sites with one hostile element each, for the hostile-site tests.

Every page here is fictional and built on the fly: three valid articles (the control that the
crawl still works) plus whatever trap or trick a test adds to the routes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

from newscrawl.demo.feeds import render_robots, render_urlset
from newscrawl.demo.server import Route, SiteServer

STORY_WORDS = ("The", "director", "said", "the", "premiere", "would", "go", "ahead", "on",
               "Friday", "despite", "the", "storm", "and", "that", "every", "seat", "was", "sold")


def article_html(title: str, n: int, canonical: str | None = None, extra: str = "") -> str:
    """A complete article page: headline, byline, date, four paragraphs unique to `n`."""
    paragraphs = "".join(
        f"<p>{escape(title)}: paragraph {p} of story {n}. "
        + " ".join(STORY_WORDS) + f" Number {n * 10 + p} was on the ticket.</p>"
        for p in range(1, 5))
    published = (datetime(2024, 9, 1, tzinfo=UTC) + timedelta(hours=n)).isoformat()
    jsonld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                         "headline": title, "datePublished": published,
                         "author": {"@type": "Person", "name": "Ada Brightwater"}})
    link = f'<link rel="canonical" href="{escape(canonical)}">' if canonical else ""
    return (f"<!doctype html><html><head><title>{escape(title)} | Test Gazette</title>{link}"
            f'<script type="application/ld+json">{jsonld}</script></head><body>'
            f"<article><h1>{escape(title)}</h1><p class=byline>By Ada Brightwater</p>"
            f"{paragraphs}{extra}</article></body></html>")


def listing_html(title: str, links: list[str]) -> str:
    """A section or archive page: JSON-LD CollectionPage, one teaser card per link."""
    items = "".join(
        f'<li class="teaser"><h3><a href="{escape(u)}">Story at {escape(u)}</a></h3>'
        f"<p>A short summary of the story that sits behind this link.</p></li>"
        for u in links)
    jsonld = json.dumps({"@context": "https://schema.org", "@type": "CollectionPage",
                         "name": title})
    return (f"<!doctype html><html><head><title>{escape(title)}</title>"
            f'<script type="application/ld+json">{jsonld}</script></head><body>'
            f"<h1>{escape(title)}</h1><ul>{items}</ul></body></html>")


class TinySite:
    """A news site on its own 127.0.0.x host: robots.txt, a sitemap, a home page, three
    valid articles at /2024/09/0N/valid-story-N/. Tests add hostile routes, then `start()`."""

    def __init__(self, host: str) -> None:
        self.server = SiteServer(host=host).start()
        self.base = self.server.base_url
        self.valid = [f"/2024/09/0{n}/valid-story-{n}/" for n in (1, 2, 3)]
        self.routes: dict[str, Route] = {
            path: Route.html(article_html(f"Valid story {n}", n))
            for n, path in enumerate(self.valid, 1)}
        self.sitemap_extra: list[str] = []
        self.home_links: list[str] = []

    def url(self, path: str) -> str:
        return self.server.url(path)

    def start(self) -> None:
        routes = dict(self.routes)
        routes.setdefault("/robots.txt", Route.data(render_robots([self.url("/sitemap.xml")]),
                                                    "text/plain"))
        newest = datetime(2024, 9, 9, tzinfo=UTC)
        entries = [(self.url(p), newest) for p in self.valid]
        entries += [(u if u.startswith("http") else self.url(u), None)
                    for u in self.sitemap_extra]
        routes.setdefault("/sitemap.xml", Route.data(render_urlset(entries), "application/xml"))
        routes.setdefault("/", Route.html(listing_html("Test Gazette", self.home_links)))
        self.server.set_routes(routes)

    def sites_file(self, directory: Path, key: str = "tiny", extra: str = "") -> Path:
        path = directory / f"{key}-sites.toml"
        path.write_text(f'[[site]]\nkey = "{key}"\nname = "Test Gazette"\n'
                        f'home = "{self.base}/"\n{extra}', encoding="utf-8")
        return path

    def article_requests(self) -> int:
        return self.server.count(lambda r: r.path.startswith("/20"))

    def stop(self) -> None:
        self.server.stop()


def site_with_stories(host: str, count: int, month: int, delay: float) -> TinySite:
    """A started TinySite with `count` more stories in its sitemap, each answering after
    `delay` seconds (a crawl of it takes a while: time to stop or limit it)."""
    site = TinySite(host)
    for n in range(10, 10 + count):
        path = f"/2024/{month:02d}/{n % 28 + 1:02d}/story-{n}/"
        site.routes[path] = Route.html(article_html(f"Story {n}", n))
        site.routes[path].delay = delay
        site.sitemap_extra.append(path)
    site.start()
    return site
