"""Render the machine-readable side of a demo site: robots.txt, sitemaps, RSS and Atom.

Entries are (absolute URL, Article) pairs so a caller can list an article under any URL (an
alias, a duplicate) without the renderer knowing why.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from newscrawl.demo.model import Article, Outlet

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'


def render_robots(
    sitemaps: Sequence[str] = (), disallow: Sequence[str] = (), allow: Sequence[str] = ()
) -> str:
    """A robots.txt for every user agent, with one `Sitemap:` line per absolute sitemap URL."""
    lines = ["User-agent: *"]
    lines += [f"Allow: {path}" for path in allow]
    lines += [f"Disallow: {path}" for path in disallow] or ["Disallow:"]
    lines.append("")
    lines += [f"Sitemap: {url}" for url in sitemaps]
    return "\n".join(lines) + "\n"


def render_sitemap_index(sitemaps: Sequence[tuple[str, datetime | None]]) -> str:
    """A `<sitemapindex>` over (sitemap URL, lastmod) pairs."""
    items = "".join(
        f"<sitemap><loc>{escape(url)}</loc>{_lastmod(lastmod)}</sitemap>\n"
        for url, lastmod in sitemaps
    )
    return f'{XML_DECL}<sitemapindex xmlns="{SITEMAP_NS}">\n{items}</sitemapindex>\n'


def render_urlset(entries: Sequence[tuple[str, datetime | None]]) -> str:
    """A plain `<urlset>` over (page URL, lastmod) pairs."""
    items = "".join(
        f"<url><loc>{escape(url)}</loc>{_lastmod(lastmod)}<changefreq>daily</changefreq></url>\n"
        for url, lastmod in entries
    )
    return f'{XML_DECL}<urlset xmlns="{SITEMAP_NS}">\n{items}</urlset>\n'


def render_news_sitemap(outlet: Outlet, entries: Sequence[tuple[str, Article]]) -> str:
    """A Google News sitemap: `news:publication`, `news:publication_date`, `news:title`."""
    items = "".join(
        f"<url><loc>{escape(url)}</loc><news:news>"
        f"<news:publication><news:name>{escape(outlet.name)}</news:name>"
        f"<news:language>{outlet.language}</news:language></news:publication>"
        f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
        f"<news:title>{escape(a.title)}</news:title></news:news></url>\n"
        for url, a in entries
    )
    return f'{XML_DECL}<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n{items}</urlset>\n'


def gzip_bytes(text: str) -> bytes:
    """UTF-8 encode and gzip `text` reproducibly (mtime 0), as a `.xml.gz` file on disk would be."""
    return gzip.compress(text.encode("utf-8"), mtime=0)


def render_rss(outlet: Outlet, entries: Sequence[tuple[str, Article]]) -> str:
    """An RSS 2.0 feed with `dc:creator` per author and RFC 822 dates."""
    items = []
    for url, a in entries:
        creators = "".join(
            f"<dc:creator><![CDATA[{name}]]></dc:creator>" for name in a.author_names
        )
        categories = "".join(f"<category><![CDATA[{tag}]]></category>" for tag in a.tags)
        items.append(
            f"<item><title>{escape(a.title)}</title><link>{escape(url)}</link>"
            f'<guid isPermaLink="true">{escape(url)}</guid>'
            f"<pubDate>{format_datetime(a.published)}</pubDate>{creators}{categories}"
            f"<description><![CDATA[{a.dek}]]></description></item>\n"
        )
    newest = max((a.published for _, a in entries), default=datetime(2024, 1, 1, tzinfo=UTC))
    return (
        f'{XML_DECL}<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
        f"<title>{escape(outlet.name)}</title><link>{outlet.base_url}/</link>"
        f"<description>{escape(outlet.tagline)}</description><language>{outlet.language}</language>"
        f"<lastBuildDate>{format_datetime(newest)}</lastBuildDate>"
        f'<atom:link href="{outlet.url(outlet.rss_path or "/feed/")}" rel="self" '
        'type="application/rss+xml"/>\n'
        f"{''.join(items)}</channel>\n</rss>\n"
    )


def render_atom(outlet: Outlet, entries: Sequence[tuple[str, Article]]) -> str:
    """An Atom 1.0 feed; `updated` is the modified time when there is one."""
    items = []
    for url, a in entries:
        authors = "".join(
            f"<author><name>{escape(name)}</name></author>" for name in a.author_names
        )
        items.append(
            f'<entry><title>{escape(a.title)}</title><link rel="alternate" href="{escape(url)}"/>'
            f"<id>{escape(url)}</id><published>{a.published.isoformat()}</published>"
            f"<updated>{(a.modified or a.published).isoformat()}</updated>{authors}"
            f"<summary>{escape(a.dek)}</summary></entry>\n"
        )
    newest = max(
        (a.modified or a.published for _, a in entries), default=datetime(2024, 1, 1, tzinfo=UTC)
    )
    return (
        f'{XML_DECL}<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>{escape(outlet.name)}</title><subtitle>{escape(outlet.tagline)}</subtitle>"
        f'<link rel="alternate" href="{outlet.base_url}/"/>'
        f'<link rel="self" href="{outlet.url(outlet.atom_path or "/atom.xml")}"/>'
        f"<id>{outlet.base_url}/</id><updated>{newest.isoformat()}</updated>\n"
        f"{''.join(items)}</feed>\n"
    )


def _lastmod(moment: datetime | None) -> str:
    return f"<lastmod>{moment.isoformat()}</lastmod>" if moment else ""
