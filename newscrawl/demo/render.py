"""Render demo pages (articles, AMP copies, listings, static pages) as HTML strings.

Pure functions of their inputs. The article templates themselves live in `layouts`; this module
wraps them in a full page (head with canonical, OpenGraph, JSON-LD; header; footer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from newscrawl.demo.chrome import (
    AD_LABEL,
    ad_slot,
    head,
    human_date,
    newsletter_box,
    site_footer,
    site_header,
)
from newscrawl.demo.layouts import LAYOUTS, article_jsonld
from newscrawl.demo.model import Article, Author, Outlet, SocialPost, slugify

__all__ = [
    "Article",
    "Author",
    "Listing",
    "Outlet",
    "SocialPost",
    "Teaser",
    "render_amp",
    "render_article",
    "render_listing",
    "render_static_page",
    "teaser",
]

WINDOWS_1252_META = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'


@dataclass(frozen=True)
class Teaser:
    """One entry of a listing page: where it links and what it shows."""

    url: str
    title: str
    dek: str = ""
    byline: str = ""
    published: datetime | None = None


@dataclass(frozen=True)
class Listing:
    """A listing page: heading, entries, and its place in a paginated series (1-based)."""

    title: str
    path: str
    teasers: Sequence[Teaser]
    intro: str = ""
    page: int = 1
    prev_path: str | None = None
    next_path: str | None = None


def teaser(outlet: Outlet, article: Article, href: str | None = None) -> Teaser:
    """The listing entry for `article`; `href` overrides its link (e.g. with tracking params)."""
    return Teaser(
        url=href or outlet.article_path(article),
        title=article.title,
        dek=article.dek,
        byline=" and ".join(article.author_names),
        published=article.published,
    )


def _page(outlet: Outlet, head_html: str, body_class: str, main: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{outlet.language}">\n{head_html}\n'
        f'<body class="{body_class}">\n{site_header(outlet)}\n{main}\n{site_footer(outlet)}\n'
        '<script src="/static/site.js"></script>\n</body>\n</html>\n'
    )


def render_article(
    outlet: Outlet,
    article: Article,
    *,
    related: Sequence[tuple[str, str]] = (),
    canonical: str | None = None,
    title_suffix: str | None = None,
    charset: str = "utf-8",
) -> str:
    """The full article page in `outlet.layout`; `related` holds (url, title) links.

    `canonical` defaults to the article's own URL; pass "" to omit the tag. `title_suffix`
    defaults to " | <outlet name>". `charset="windows-1252"` declares the encoding only in a
    `<meta http-equiv>` tag (the caller encodes the string).
    """
    url = outlet.article_url(article)
    canonical = url if canonical is None else canonical
    suffix = f" | {outlet.name}" if title_suffix is None else title_suffix
    if charset.lower() in ("windows-1252", "cp1252"):
        charset_tag = WINDOWS_1252_META
    else:
        charset_tag = f'<meta charset="{charset}">'
    meta = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", outlet.name),
        ("property", "og:title", article.title),
        ("property", "og:description", article.dek),
        ("property", "og:url", canonical or url),
        ("property", "article:published_time", article.published.isoformat()),
        ("property", "article:section", outlet.sections.get(article.section, article.section)),
        ("name", "author", ", ".join(article.author_names)),
        ("name", "twitter:card", "summary_large_image"),
    ]
    if article.modified:
        meta.append(("property", "article:modified_time", article.modified.isoformat()))
    if article.image:
        meta.append(("property", "og:image", outlet.url(article.image)))
    meta += [("property", "article:tag", tag) for tag in article.tags]
    links = [("amphtml", outlet.url(Outlet.amp_path(article)))] if outlet.amp else []
    head_html = head(
        outlet,
        article.title + suffix,
        canonical=canonical,
        description=article.dek,
        meta=meta,
        links=links,
        jsonld=article_jsonld(outlet, article, canonical or url),
        charset_tag=charset_tag,
    )
    main = LAYOUTS[outlet.layout](outlet, article, related)
    return _page(outlet, head_html, f"single single-{article.kind} layout-{outlet.layout}", main)


def render_amp(outlet: Outlet, article: Article) -> str:
    """The AMP copy of `article`: same story, minimal markup, rel=canonical to the main URL."""
    url = outlet.article_url(article)
    body = "".join(f"<p>{escape(p)}</p>" for p in article.body)
    names = escape(", ".join(article.author_names))
    published = f'<time datetime="{article.published.isoformat()}">'
    published += f"{human_date(article.published)}</time>"
    return f"""<!doctype html>
<html amp lang="{outlet.language}">
<head><meta charset="utf-8"><title>{escape(article.title)} | {escape(outlet.name)}</title>
<link rel="canonical" href="{url}">
<meta name="viewport" content="width=device-width">
<meta name="author" content="{names}">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<style amp-boilerplate>body{{visibility:hidden}}</style></head>
<body><header class="amp-header"><a href="{outlet.base_url}/">{escape(outlet.name)}</a></header>
<article><h1>{escape(article.title)}</h1>
<p class="byline">By {escape(" and ".join(article.author_names))}</p>
{published}
{body}
<amp-ad width="300" height="250" type="doubleclick"><div>{AD_LABEL}</div></amp-ad>
</article>
<footer><a href="{url}">View the full site</a></footer></body></html>
"""


def _card(item: Teaser) -> str:
    parts = [f'<h2 class="card-title"><a href="{escape(item.url)}">{escape(item.title)}</a></h2>']
    if item.dek:
        parts.append(f'<p class="card-dek">{escape(item.dek)}</p>')
    if item.byline:
        parts.append(f'<span class="card-byline">By {escape(item.byline)}</span> ')
    if item.published:
        day = human_date(item.published, with_time=False)
        parts.append(f'<time datetime="{item.published.isoformat()}">{day}</time>')
    return f'<article class="card">{"".join(parts)}</article>'


def render_listing(
    outlet: Outlet, listing: Listing, extra_links: Sequence[tuple[str, str]] = ()
) -> str:
    """A home, section, tag or author page with teasers, pagination and rel=next/prev.

    `extra_links` are (href, text) pairs shown in a "More from us" box, for odd links.
    """
    links: list[tuple[str, str]] = []
    pager = []
    if listing.prev_path:
        links.append(("prev", outlet.url(listing.prev_path)))
        pager.append(f'<a class="prev page-numbers" href="{listing.prev_path}">Newer posts</a>')
    if listing.next_path:
        links.append(("next", outlet.url(listing.next_path)))
        pager.append(f'<a class="next page-numbers" href="{listing.next_path}">Older posts</a>')
    title = listing.title if listing.page == 1 else f"{listing.title} - Page {listing.page}"
    is_home = listing.path == "/"
    head_html = head(
        outlet,
        f"{outlet.name} - {outlet.tagline}" if is_home else f"{title} | {outlet.name}",
        canonical=outlet.url(listing.path),
        description=listing.intro or outlet.tagline,
        meta=[("property", "og:type", "website"), ("property", "og:site_name", outlet.name)],
        links=links,
        jsonld={
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": title,
            "url": outlet.url(listing.path),
        },
    )
    intro = f'<p class="archive-description">{escape(listing.intro)}</p>' if listing.intro else ""
    more = "".join(f'<li><a href="{escape(h)}">{escape(text)}</a></li>' for h, text in extra_links)
    more_box = f'<aside class="more-links"><h3>More from us</h3><ul>{more}</ul></aside>'
    cards = "\n".join(_card(t) for t in listing.teasers)
    main = f"""<main class="listing">
<h1 class="page-title">{escape(title)}</h1>
{intro}
{ad_slot("listing-top")}
<div class="cards">
{cards}
</div>
<nav class="pagination">{" ".join(pager)}</nav>
{more_box if more else ""}
{newsletter_box()}
</main>"""
    return _page(outlet, head_html, "archive", main)


def render_static_page(outlet: Outlet, title: str, paragraphs: Sequence[str], path: str) -> str:
    """An about/contact style page: a heading and a few paragraphs, typed WebPage."""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    head_html = head(
        outlet,
        f"{title} | {outlet.name}",
        canonical=outlet.url(path),
        meta=[("property", "og:type", "website")],
        jsonld={
            "@context": "https://schema.org",
            "@type": "AboutPage" if "about" in path else "ContactPage",
            "name": title,
        },
    )
    heading = f'<h1 class="page-title">{escape(title)}</h1>'
    main = f'<main class="page page-{slugify(title)}">{heading}\n{body}\n</main>'
    return _page(outlet, head_html, "page", main)
