"""A real crawl survives pages that hang, crash or break the extractor: each is dropped with
its reason, counted in the run report, and every other article is written."""

from __future__ import annotations

from pathlib import Path

from newscrawl.demo.feeds import render_urlset
from newscrawl.demo.server import Route, SiteServer
from newscrawl.demo.site import build_demo_routes
from tests.integration.crawling import read_rows, run_crawl

BAD_PATHS = ("/2024/07/01/hang-story/", "/2024/07/01/crash-story/", "/2024/07/01/boom-story/")


def test_pathological_pages_are_dropped_and_the_crawl_goes_on(tmp_path: Path) -> None:
    server = SiteServer(host="127.0.0.5").start()
    try:
        routes = build_demo_routes(server.base_url)
        article = next(r for p, r in routes.items()
                       if p.startswith("/2024/") and b"NewsArticle" in r.body)
        for path in BAD_PATHS:
            routes[path] = Route.html(article.body.decode())
        routes["/extra-sitemap.xml"] = Route.data(
            render_urlset([(server.url(p), None) for p in BAD_PATHS]), "application/xml")
        server.set_routes(routes)
        sites = tmp_path / "sites.toml"
        sites.write_text(f'[[site]]\nkey = "demo"\nname = "Demo"\nhome = "{server.base_url}/"\n'
                         f'sitemaps = ["{server.url("/extra-sitemap.xml")}"]\n')
        out = tmp_path / "data"
        run = run_crawl(sites, out, "-s", "NEWSCRAWL_EXTRACT_TASK=tests.pathological.extract",
                        "-s", "NEWSCRAWL_EXTRACT_TIMEOUT=3", timeout=240)
        assert run.returncode == 0, run.stderr[-3000:]
        for path in BAD_PATHS:
            assert server.count(path) >= 1  # they were fetched, and then contained
        dropped = run.report["sites"]["demo"]["dropped_by_reason"]
        assert dropped.get("extraction_timeout") == 1
        assert dropped.get("extraction_crashed") == 1
        assert dropped.get("extraction_error:RuntimeError") == 1
        rows = read_rows(out)
        assert not any(r["url"].endswith(BAD_PATHS) for r in rows)
        assert len(rows) >= 25  # the demo outlet's articles, all of them
    finally:
        server.stop()
