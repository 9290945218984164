"""A bundled fictional entertainment news site and the small HTTP server that serves it.

Used by `newscrawl demo` and by the integration tests (tests/network). Nothing here touches the
real network: pages are rendered from the fictional stories in `articles.toml`.
"""

from newscrawl.demo.content import demo_articles, load_articles
from newscrawl.demo.model import Article, Author, Outlet, SocialPost
from newscrawl.demo.server import RequestRecord, Route, SiteServer
from newscrawl.demo.site import build_demo_routes, start_demo_site

__all__ = [
    "Article",
    "Author",
    "Outlet",
    "RequestRecord",
    "Route",
    "SiteServer",
    "SocialPost",
    "build_demo_routes",
    "demo_articles",
    "load_articles",
    "start_demo_site",
]
