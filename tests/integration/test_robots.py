"""robots.txt in a real crawl: disallowed pages are never fetched, even when many requests for
them arrive while the host's robots.txt is still loading, and a host whose robots.txt cannot
be read is left alone for the run and crawled by the next one."""

from __future__ import annotations

from pathlib import Path

from newscrawl.demo.feeds import render_robots, render_urlset
from newscrawl.demo.server import Route, SiteServer
from newscrawl.demo.site import SITEMAP_INDEX_PATH, build_demo_routes
from tests.integration.crawling import read_rows, run_crawl

PRIVATE = tuple(f"/private/2024/07/0{n}/embargoed-story-{n}/" for n in range(1, 5))


def _article_page(routes: dict[str, Route]) -> Route:
    return next(r for p, r in routes.items() if p.startswith("/2024/") and b"NewsArticle" in r.body)


def test_disallowed_pages_stay_unfetched_while_robots_txt_is_loading(tmp_path: Path) -> None:
    # The site's sitemap lives on a second host (a CDN), so its article links reach the
    # downloader while the site's own, slow robots.txt is still in flight: every one of them
    # must wait for it, not only the first.
    site = SiteServer(host="127.0.0.5").start()
    cdn = SiteServer(host="127.0.0.6").start()
    try:
        routes = build_demo_routes(site.base_url)
        for path in PRIVATE:
            routes[path] = Route.html(_article_page(routes).body.decode())
        robots = render_robots([site.url(SITEMAP_INDEX_PATH)], ["/search/", "/private/"])
        routes["/robots.txt"] = Route(headers={"Content-Type": "text/plain"},
                                      body=robots.encode(), delay=3.0)
        site.set_routes(routes)
        cdn.set_routes({
            "/robots.txt": Route.data(render_robots([], []), "text/plain"),
            "/news-sitemap.xml": Route.data(
                render_urlset([(site.url(p), None) for p in PRIVATE]), "application/xml"),
        })
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[site]]\nkey = "demo"\nname = "Demo"\nhome = "{site.base_url}/"\n'
                         f'domains = ["127.0.0.6"]\n'
                         f'sitemaps = ["{cdn.url("/news-sitemap.xml")}"]\n')
        out = tmp_path / "data"
        run = run_crawl(sites, out, timeout=240)
        assert run.returncode == 0, run.stderr[-3000:]
        assert cdn.count("/news-sitemap.xml") == 1  # the links were found ...
        assert {p: site.count(p) for p in PRIVATE} == dict.fromkeys(PRIVATE, 0)  # ... not fetched
        skipped = run.report["sites"]["demo"]["skipped_by_reason"]
        assert skipped.get("robots_disallowed", 0) >= len(PRIVATE)
        rows = read_rows(out)
        assert not any("/private/" in r["url"] for r in rows)
        assert len(rows) >= 25  # the rest of the site is crawled as usual
    finally:
        site.stop()
        cdn.stop()


def test_unreachable_robots_txt_skips_the_site_until_the_next_run(tmp_path: Path) -> None:
    site = SiteServer(host="127.0.0.5").start()
    try:
        routes = build_demo_routes(site.base_url)
        robots = routes["/robots.txt"]
        routes["/robots.txt"] = Route.data(b"Service Unavailable", "text/plain", status=503)
        site.set_routes(routes)
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[site]]\nkey = "demo"\nname = "Demo"\nhome = "{site.base_url}/"\n')
        out = tmp_path / "data"

        first = run_crawl(sites, out, timeout=240)
        # the only site could not be reached at all: an error, exit 5 (not a silent 0)
        assert first.returncode == 5, first.stderr[-3000:]
        assert first.report["unreachable_sites"] == ["demo"]
        assert site.count("/robots.txt") == 3  # asked, and retried twice
        assert sum(site.count(p) for p in site.routes if p != "/robots.txt") == 0
        assert first.report["sites"]["demo"]["skipped_by_reason"].get("robots_unreachable", 0) >= 1
        assert "robots.txt of 127.0.0.5" in first.stderr and "HTTP 503" in first.stderr
        assert read_rows(out) == []

        routes["/robots.txt"] = robots
        site.set_routes(routes)
        second = run_crawl(sites, out, timeout=240)
        assert second.returncode == 0, second.stderr[-3000:]
        assert len(read_rows(out)) >= 25  # the demo outlet's articles, all of them
    finally:
        site.stop()
