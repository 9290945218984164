"""Assemble a whole demo outlet as a route table for `SiteServer`.

The `*_routes` functions each build one part of a site (article pages, listings, sitemaps,
feeds...) so the test network can compose them differently per site and then override single
routes for its edge cases. `build_demo_routes` composes them into "The Marquee Daily".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from newscrawl.demo.content import demo_articles
from newscrawl.demo.feeds import (
    gzip_bytes,
    render_atom,
    render_news_sitemap,
    render_robots,
    render_rss,
    render_sitemap_index,
    render_urlset,
)
from newscrawl.demo.model import Article, Outlet, slugify
from newscrawl.demo.render import (
    Listing,
    Teaser,
    render_amp,
    render_article,
    render_listing,
    render_static_page,
    teaser,
)
from newscrawl.demo.server import Route, SiteServer

SITEMAP_INDEX_PATH = "/sitemap_index.xml"
POST_SITEMAP_PATH = "/post-sitemap.xml"
NEWS_SITEMAP_PATH = "/news-sitemap.xml"
ARCHIVE_SITEMAP_PATH = "/sitemap-archive.xml.gz"
PAGE_SITEMAP_PATH = "/page-sitemap.xml"
PRESS_KIT_PATH = "/media/press-kit.pdf"
PHOTO_PATH = "/media/red-carpet.jpg"

XML = "application/xml; charset=utf-8"

# Tiny but well-formed enough payloads: a crawler must recognise them by Content-Type and skip.
FAKE_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)
FAKE_JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\x00" * 64
    + b"\xff\xd9"
)

MARQUEE_SECTIONS = {
    "celebrity": "Celebrity",
    "film": "Movies",
    "tv": "TV",
    "music": "Music",
    "culture": "Culture",
}


def newest_first(articles: Iterable[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: a.published, reverse=True)


def related_links(
    outlet: Outlet, article: Article, articles: Sequence[Article], count: int = 3
) -> list[tuple[str, str]]:
    """Up to `count` (url, title) links: same-section stories first, then the newest others."""
    others = [a for a in newest_first(articles) if a.slug != article.slug]
    ranked = [a for a in others if a.section == article.section] + [
        a for a in others if a.section != article.section
    ]
    return [(outlet.article_path(a), a.title) for a in ranked[:count]]


def article_routes(outlet: Outlet, articles: Sequence[Article]) -> dict[str, Route]:
    """Every article at its own path, plus `/amp/<slug>/` copies when the outlet has AMP."""
    routes = {}
    for article in articles:
        html = render_article(outlet, article, related=related_links(outlet, article, articles))
        routes[outlet.article_path(article)] = Route.html(html)
        if outlet.amp and article.kind == "article":
            routes[Outlet.amp_path(article)] = Route.html(render_amp(outlet, article))
    return routes


def paginated_routes(
    outlet: Outlet,
    title: str,
    first_path: str,
    articles: Sequence[Article],
    page_size: int,
    intro: str = "",
) -> dict[str, Route]:
    """`first_path`, then `first_path + "page/N/"` for each further page, with rel=next/prev."""
    ordered = newest_first(articles)
    pages = [ordered[i : i + page_size] for i in range(0, len(ordered), page_size)] or [[]]

    def path_of(number: int) -> str:
        return first_path if number == 1 else f"{first_path}page/{number}/"

    routes = {}
    for number, chunk in enumerate(pages, 1):
        listing = Listing(
            title=title,
            path=path_of(number),
            teasers=[teaser(outlet, a) for a in chunk],
            intro=intro if number == 1 else "",
            page=number,
            prev_path=path_of(number - 1) if number > 1 else None,
            next_path=path_of(number + 1) if number < len(pages) else None,
        )
        routes[listing.path] = Route.html(render_listing(outlet, listing))
    return routes


def listing_routes(
    outlet: Outlet,
    articles: Sequence[Article],
    *,
    page_size: int = 5,
    home_teasers: Sequence[Teaser] | None = None,
    home_extra_links: Sequence[tuple[str, str]] = (),
) -> dict[str, Route]:
    """Home, paginated section pages, tag pages and author pages.

    The home page shows `home_teasers` (default: the eight newest stories) and `home_extra_links`.
    """
    teasers = (
        home_teasers
        if home_teasers is not None
        else [teaser(outlet, a) for a in newest_first(articles)[:8]]
    )
    home = Listing(title="Latest stories", path="/", teasers=teasers)
    routes = {"/": Route.html(render_listing(outlet, home, home_extra_links))}
    for section, label in outlet.sections.items():
        in_section = [a for a in articles if a.section == section]
        intro = f"The latest {label.lower()} news from {outlet.name}."
        routes |= paginated_routes(
            outlet, label, Outlet.section_path(section), in_section, page_size, intro
        )
    tags = {slugify(t): t for a in articles for t in a.tags}
    for tag_slug, tag in tags.items():
        tagged = [a for a in articles if tag in a.tags]
        routes |= paginated_routes(outlet, tag, f"/tag/{tag_slug}/", tagged, page_size * 4)
    authors = {au.slug: au for a in articles for au in a.authors}
    for author in authors.values():
        written = [a for a in articles if author.slug in {x.slug for x in a.authors}]
        job = f"the {author.role}" if author.role else "a writer"
        bio = f"{author.name} is {job} at {outlet.name}."
        routes |= paginated_routes(
            outlet, author.name, Outlet.author_path(author), written, page_size * 4, bio
        )
    return routes


def static_routes(outlet: Outlet) -> dict[str, Route]:
    """About and contact pages (short prose that must not be mistaken for articles)."""
    about = [
        f"{outlet.name} covers film, television, music and the people who make them.",
        f"{outlet.tagline}. We are a small, independent newsroom. We do not publish rumours we "
        "cannot stand behind, and "
        "we correct our mistakes in public at the foot of the story concerned.",
        "Everything on this site is fictional: it exists to test a web crawler.",
    ]
    contact = [
        "News tips: tips@example.invalid. Corrections: corrections@example.invalid.",
        "Advertising and partnerships: sales@example.invalid. "
        "We aim to reply within two working days.",
    ]
    return {
        "/about/": Route.html(render_static_page(outlet, "About Us", about, "/about/")),
        "/contact/": Route.html(render_static_page(outlet, "Contact", contact, "/contact/")),
    }


def sitemap_entry(outlet: Outlet, article: Article) -> tuple[str, datetime]:
    """(url, lastmod) for a urlset: lastmod is the modified time, else the published time."""
    return outlet.article_url(article), article.modified or article.published


def sitemap_routes(
    outlet: Outlet,
    *,
    posts: Sequence[tuple[str, datetime | None]] = (),
    news: Sequence[tuple[str, Article]] = (),
    archive: Sequence[tuple[str, datetime | None]] = (),
    pages: Sequence[tuple[str, datetime | None]] = (),
) -> dict[str, Route]:
    """A sitemap index over whichever child sitemaps are non-empty; `archive` is served gzipped."""
    children: list[tuple[str, datetime | None]] = []
    routes = {}
    for path, entries, text in (
        (POST_SITEMAP_PATH, posts, render_urlset(posts)),
        (NEWS_SITEMAP_PATH, news, render_news_sitemap(outlet, news)),
        (PAGE_SITEMAP_PATH, pages, render_urlset(pages)),
    ):
        if entries:
            routes[path] = Route.data(text, XML)
            children.append((outlet.url(path), None))
    if archive:
        # A .xml.gz file, not a gzip Content-Encoding: the client must gunzip the body itself.
        routes[ARCHIVE_SITEMAP_PATH] = Route.data(
            gzip_bytes(render_urlset(archive)), "application/x-gzip"
        )
        children.append((outlet.url(ARCHIVE_SITEMAP_PATH), None))
    routes[SITEMAP_INDEX_PATH] = Route.data(render_sitemap_index(children), XML)
    return routes


def feed_routes(
    outlet: Outlet,
    rss: Sequence[tuple[str, Article]] = (),
    atom: Sequence[tuple[str, Article]] = (),
) -> dict[str, Route]:
    """RSS at `outlet.rss_path` and Atom at `outlet.atom_path` (each only if the outlet has it)."""
    routes = {}
    if outlet.rss_path:
        routes[outlet.rss_path] = Route.data(
            render_rss(outlet, rss), "application/rss+xml; charset=utf-8"
        )
    if outlet.atom_path:
        routes[outlet.atom_path] = Route.data(
            render_atom(outlet, atom), "application/atom+xml; charset=utf-8"
        )
    return routes


def robots_route(sitemaps: Sequence[str] = (), disallow: Sequence[str] = ()) -> dict[str, Route]:
    return {
        "/robots.txt": Route.data(render_robots(sitemaps, disallow), "text/plain; charset=utf-8")
    }


def media_routes() -> dict[str, Route]:
    """A press-kit PDF and a photo, linked from pages but never articles."""
    return {
        PRESS_KIT_PATH: Route.data(FAKE_PDF, "application/pdf"),
        PHOTO_PATH: Route.data(FAKE_JPEG, "image/jpeg"),
    }


def marquee_outlet(base_url: str, layout: str = "wordpress") -> Outlet:
    """The demo outlet, "The Marquee Daily", served at `base_url` (no trailing slash)."""
    return Outlet(
        name="The Marquee Daily",
        base_url=base_url.rstrip("/"),
        tagline="Film, TV, music and the people who make them",
        sections=MARQUEE_SECTIONS,
        layout=layout,
        amp=True,
        rss_path="/feed/",
        atom_path="/atom.xml",
        tags=("Kestrel Awards", "Renée Sol", "The Glass Orchard"),
    )


def build_demo_routes(base_url: str, layout: str = "wordpress") -> dict[str, Route]:
    """Every route of The Marquee Daily: robots, sitemaps, feeds, listings, articles, AMP."""
    outlet = marquee_outlet(base_url, layout)
    articles = list(demo_articles())
    stories = newest_first(articles)
    half = len(stories) // 2
    pages = [(outlet.url(p), None) for p in ("/", "/about/", "/contact/")]
    pages += [(outlet.url(Outlet.section_path(s)), None) for s in outlet.sections]
    entries = [(outlet.article_url(a), a) for a in stories]
    routes = article_routes(outlet, articles)
    routes |= listing_routes(
        outlet, articles, home_extra_links=[(PRESS_KIT_PATH, "Download our press kit (PDF)")]
    )
    routes |= static_routes(outlet)
    routes |= sitemap_routes(
        outlet,
        posts=[sitemap_entry(outlet, a) for a in stories[:half]],
        news=entries[:10],
        archive=[sitemap_entry(outlet, a) for a in stories[half:]],
        pages=pages,
    )
    routes |= feed_routes(outlet, rss=entries[:10], atom=entries)
    routes |= robots_route([outlet.url(SITEMAP_INDEX_PATH)], disallow=["/search/", "/comments/"])
    routes |= media_routes()
    return routes


def start_demo_site(
    host: str = "127.0.0.1", port: int = 0, layout: str = "wordpress"
) -> SiteServer:
    """Start a SiteServer serving the demo outlet; the caller stops it (or uses it as a context)."""
    server = SiteServer(host=host, port=port).start()
    server.set_routes(build_demo_routes(server.base_url, layout))
    return server
