"""Render demo pages (articles, AMP copies, listings, static pages) as HTML strings.

Pure functions of their inputs. Three article layouts imitate what crawlers meet in the wild:
"wordpress" (a theme with Yoast-style `@graph` JSON-LD), "publisher" (a big-publisher template
with Person objects in JSON-LD and roles in the byline) and "gossip" (a blog with the author as a
plain string, a sidebar and social embeds).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape

from newscrawl.demo.chrome import (
    SHOP_THE_LOOK_TEXT,
    ad_slot,
    author_links,
    comments_section,
    featured_video_box,
    head,
    human_date,
    newsletter_box,
    related_box,
    site_footer,
    site_header,
    social_embed,
)
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


def _page(outlet: Outlet, head_html: str, body_class: str, main: str, lang: str | None = None) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang or outlet.language}">\n{head_html}\n'
        f'<body class="{body_class}">\n{site_header(outlet)}\n{main}\n{site_footer(outlet)}\n'
        '<script src="/static/site.js"></script>\n</body>\n</html>\n'
    )


# -- article pages ---------------------------------------------------------------------------


def render_article(
    outlet: Outlet,
    article: Article,
    *,
    related: Sequence[tuple[str, str]] = (),
    canonical: str | None = None,
    title_suffix: str | None = None,
    charset: str = "utf-8",
) -> str:
    """The full article page in `outlet.layout`.

    `canonical` defaults to the article's own URL; pass "" to omit the tag. `title_suffix`
    defaults to " | <outlet name>". `charset="windows-1252"` declares the encoding only in a
    `<meta http-equiv>` tag (the caller encodes the string).
    """
    url = outlet.article_url(article)
    canonical = url if canonical is None else canonical
    suffix = f" | {outlet.name}" if title_suffix is None else title_suffix
    charset_tag = WINDOWS_1252_META if charset.lower() in ("windows-1252", "cp1252") else f'<meta charset="{charset}">'
    names = ", ".join(article.author_names)
    meta = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", outlet.name),
        ("property", "og:title", article.title),
        ("property", "og:description", article.dek),
        ("property", "og:url", canonical or url),
        ("property", "article:published_time", article.published.isoformat()),
        ("property", "article:section", outlet.sections.get(article.section, article.section)),
        ("name", "author", names),
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
        jsonld=_jsonld(outlet, article, canonical or url),
        charset_tag=charset_tag,
    )
    main = _LAYOUTS[outlet.layout](outlet, article, related)
    return _page(outlet, head_html, f"single single-{article.kind} layout-{outlet.layout}", main)


def _jsonld(outlet: Outlet, article: Article, url: str) -> object:
    kind = {"liveblog": "LiveBlogPosting", "video": "VideoObject"}.get(article.kind, "NewsArticle")
    modified = (article.modified or article.published).isoformat()
    publisher = {"@type": "Organization", "name": outlet.name, "logo": {"@type": "ImageObject", "url": outlet.url("/static/logo.png")}}
    image = [outlet.url(article.image)] if article.image else []
    if outlet.layout == "wordpress":
        # Yoast-style graph: the article points at Person nodes by @id.
        people = [{"@type": "Person", "@id": f"{outlet.base_url}/#/person/{a.slug}", "name": a.name} for a in article.authors]
        node = {
            "@type": kind,
            "@id": f"{url}#article",
            "headline": article.title,
            "datePublished": article.published.isoformat(),
            "dateModified": modified,
            "author": [{"@id": p["@id"]} for p in people],
            "articleSection": [outlet.sections.get(article.section, article.section)],
            "keywords": list(article.tags),
            "mainEntityOfPage": {"@id": url},
            "publisher": {"@id": f"{outlet.base_url}/#organization"},
            "image": image,
        }
        page = {"@type": "WebPage", "@id": url, "url": url, "name": f"{article.title} | {outlet.name}"}
        org = {**publisher, "@id": f"{outlet.base_url}/#organization"}
        return {"@context": "https://schema.org", "@graph": [page, node, *people, org]}
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": article.title,
        "description": article.dek,
        "mainEntityOfPage": url,
        "image": image,
        "publisher": publisher,
    }
    if outlet.layout == "publisher":
        data["datePublished"] = article.published.isoformat()
        data["dateModified"] = modified
        data["author"] = [
            {"@type": "Person", "name": a.name, "url": outlet.url(Outlet.author_path(a)), **({"jobTitle": a.role} if a.role else {})}
            for a in article.authors
        ]
    else:
        # The gossip template states times in UTC and the author as one plain string.
        data["datePublished"] = article.published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        data["dateModified"] = (article.modified or article.published).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        data["author"] = ", ".join(article.author_names)
    if article.kind == "video":
        data.update(name=article.title, uploadDate=article.published.isoformat(), thumbnailUrl=image)
    return data


def _story_content(article: Article, *, ad_after: int = 2, video_after: int | None = None, extra: str = "") -> str:
    """The inner story: paragraphs with an ad, embeds and boxes spliced in (or gallery/video/live)."""
    if article.kind == "gallery":
        slides = "".join(
            f'<figure class="gallery-slide"><img src="/media/{article.slug}-{i}.jpg" alt="">'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
            for i, caption in enumerate(article.gallery, 1)
        )
        return f'<p class="gallery-intro">{escape(article.dek)}</p><div class="gallery">{slides}</div>'
    if article.kind == "video":
        body = "".join(f"<p>{escape(p)}</p>" for p in article.body)
        return f'<div class="video-player" data-video-id="{article.slug}"></div>{body}'
    if article.kind == "liveblog":
        updates = "".join(
            f'<div class="live-update" id="update-{i}"><p>{escape(p)}</p></div>' for i, p in enumerate(article.body, 1)
        )
        return f'<div class="liveblog-feed">{updates}</div>'
    chunks = []
    embed_at = min(3, len(article.body) - 1)
    for i, paragraph in enumerate(article.body, 1):
        chunks.append(f"<p>{escape(paragraph)}</p>")
        if i == ad_after:
            chunks.append(ad_slot(f"mid-{i}"))
        if i == embed_at:
            chunks += [social_embed(n, article) for n in range(len(article.social))]
        if video_after is not None and i == video_after:
            chunks.append(featured_video_box("Watch: the week in trailers, in ninety seconds"))
        if i == 4 and extra:
            chunks.append(extra)
    return "\n".join(chunks)


def _lead_image(outlet: Outlet, article: Article, credit_prefix: str = "Photo: ") -> str:
    if not article.image:
        return ""
    credit = f'<span class="credit">{escape(credit_prefix + article.image_credit)}</span>' if article.image_credit else ""
    return f'<figure class="lead-image"><img src="{article.image}" alt="{escape(article.title)}"><figcaption>{credit}</figcaption></figure>'


def _tags(article: Article, prefix: str) -> str:
    links = ", ".join(f'<a href="{Outlet.tag_path(t)}" rel="tag">{escape(t)}</a>' for t in article.tags)
    return f'<div class="tags-links">{prefix} {links}</div>' if links else ""


def _wordpress(outlet: Outlet, article: Article, related: Sequence[tuple[str, str]]) -> str:
    label = escape(outlet.sections.get(article.section, article.section))
    updated = (
        f'<time class="updated" datetime="{article.modified.isoformat()}">{human_date(article.modified, False)}</time>'
        if article.modified
        else ""
    )
    return f"""<div id="page" class="site"><div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
<article class="post type-post status-publish category-{article.section}">
<header class="entry-header">
<span class="cat-links"><a href="{Outlet.section_path(article.section)}" rel="category tag">{label}</a></span>
<h1 class="entry-title">{escape(article.title)}</h1>
<div class="entry-meta"><span class="byline">By <span class="author vcard">{author_links(article.authors, roles=False, link_class="url fn n")}</span></span>
<span class="posted-on"><time class="entry-date published" datetime="{article.published.isoformat()}">{human_date(article.published)}</time>{updated}</span>
<a class="comments-link" href="#comments">Leave a comment</a></div>
</header>
{_lead_image(outlet, article)}
<div class="entry-content">
{_story_content(article, video_after=5)}
</div>
<footer class="entry-footer">{_tags(article, "Tagged")}</footer>
</article>
{newsletter_box()}
{related_box(related, "Related")}
{comments_section(article)}
</main></div>
<aside id="secondary" class="widget-area"><section class="widget">{ad_slot("sidebar")}</section>
<section class="widget widget_recent_entries">{related_box(related[:3], "Recent Posts")}</section></aside>
</div></div>"""


def _publisher(outlet: Outlet, article: Article, related: Sequence[tuple[str, str]]) -> str:
    label = escape(outlet.sections.get(article.section, article.section))
    updated = f" <span class=\"updated\">Updated {human_date(article.modified)}</span>" if article.modified else ""
    return f"""{ad_slot("leaderboard")}
<main id="main-content" class="main-content">
<article class="article" data-article-slug="{article.slug}">
<div class="article-header">
<nav class="breadcrumbs"><a href="/">Home</a> / <a href="{Outlet.section_path(article.section)}">{label}</a></nav>
<h1 class="article-headline" data-testid="headline">{escape(article.title)}</h1>
<p class="article-dek">{escape(article.dek)}</p>
<div class="article-byline"><span class="byline-prefix">By</span> {author_links(article.authors, roles=True, link_class="byline-author")}</div>
<div class="article-timestamp"><time datetime="{article.published.isoformat()}">Published {human_date(article.published)}</time>{updated}</div>
<div class="share-bar"><a href="#share-facebook">Share</a> <a href="#share-x">Post</a> <a href="#share-email">Email</a></div>
</div>
{_lead_image(outlet, article)}
<div class="article-body" data-component="article-body">
{_story_content(article, video_after=4)}
</div>
{_tags(article, "More on:")}
</article>
{newsletter_box()}
{related_box(related)}
{comments_section(article, "Comments - Join the conversation")}
</main>"""


def _gossip(outlet: Outlet, article: Article, related: Sequence[tuple[str, str]]) -> str:
    shop = f'<div class="shop-the-look"><h4>Shop the look</h4><p>{escape(SHOP_THE_LOOK_TEXT)}</p></div>'
    return f"""<div class="top-bar"><b>Breaking:</b> <a href="/">More stories on the home page</a></div>
<div class="container"><div class="main-col">
<div class="post" id="post-{article.slug}">
<h1 class="post-title">{escape(article.title)}</h1>
<div class="post-meta">By {author_links(article.authors, roles=False)} | <time datetime="{article.published.isoformat()}">{human_date(article.published, False)}</time> | <a href="#comments">{len(article.tags) + 9} comments</a></div>
<h2 class="subhead">{escape(article.dek)}</h2>
<div class="story">
{_lead_image(outlet, article, "Photo credit: ")}
{_story_content(article, extra=shop)}
</div>
{_tags(article, "Filed under:")}
</div>
{newsletter_box()}
{comments_section(article, "Comments - Sound off!")}
</div>
<div class="sidebar">{related_box(related, "Trending now")}{ad_slot("sidebar-1")}
{featured_video_box("Watch: our hosts rank this week's wildest celebrity moments")}</div>
</div>"""


_LAYOUTS = {"wordpress": _wordpress, "publisher": _publisher, "gossip": _gossip}


def render_amp(outlet: Outlet, article: Article) -> str:
    """The AMP copy of `article`: same story, minimal markup, rel=canonical to the main URL."""
    url = outlet.article_url(article)
    body = "".join(f"<p>{escape(p)}</p>" for p in article.body)
    return f"""<!doctype html>
<html amp lang="{outlet.language}">
<head><meta charset="utf-8"><title>{escape(article.title)} | {escape(outlet.name)}</title>
<link rel="canonical" href="{url}">
<meta name="viewport" content="width=device-width">
<meta name="author" content="{escape(", ".join(article.author_names))}">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<style amp-boilerplate>body{{visibility:hidden}}</style></head>
<body><header class="amp-header"><a href="{outlet.base_url}/">{escape(outlet.name)}</a></header>
<article><h1>{escape(article.title)}</h1>
<p class="byline">By {escape(" and ".join(article.author_names))}</p>
<time datetime="{article.published.isoformat()}">{human_date(article.published)}</time>
{body}
<amp-ad width="300" height="250" type="doubleclick"><div>{escape("Advertisement")}</div></amp-ad>
</article>
<footer><a href="{url}">View the full site</a></footer></body></html>
"""


# -- listings and static pages ---------------------------------------------------------------


def render_listing(outlet: Outlet, listing: Listing, extra_links: Sequence[tuple[str, str]] = ()) -> str:
    """A home, section, tag or author page with teasers, pagination and rel=next/prev.

    `extra_links` are (href, text) pairs shown in a "More from us" box, for odd links.
    """
    cards = "\n".join(
        f'<article class="card"><h2 class="card-title"><a href="{escape(t.url)}">{escape(t.title)}</a></h2>'
        + (f'<p class="card-dek">{escape(t.dek)}</p>' if t.dek else "")
        + (f'<span class="card-byline">By {escape(t.byline)}</span> ' if t.byline else "")
        + (f'<time datetime="{t.published.isoformat()}">{human_date(t.published, False)}</time>' if t.published else "")
        + "</article>"
        for t in listing.teasers
    )
    links: list[tuple[str, str]] = []
    pager = []
    if listing.prev_path:
        links.append(("prev", outlet.url(listing.prev_path)))
        pager.append(f'<a class="prev page-numbers" href="{listing.prev_path}">Newer posts</a>')
    if listing.next_path:
        links.append(("next", outlet.url(listing.next_path)))
        pager.append(f'<a class="next page-numbers" href="{listing.next_path}">Older posts</a>')
    more = "".join(f'<li><a href="{escape(h)}">{escape(text)}</a></li>' for h, text in extra_links)
    title = listing.title if listing.page == 1 else f"{listing.title} - Page {listing.page}"
    head_html = head(
        outlet,
        f"{title} | {outlet.name}" if listing.path != "/" else f"{outlet.name} - {outlet.tagline}",
        canonical=outlet.url(listing.path),
        description=listing.intro or outlet.tagline,
        meta=[("property", "og:type", "website"), ("property", "og:site_name", outlet.name)],
        links=links,
        jsonld={"@context": "https://schema.org", "@type": "CollectionPage", "name": title, "url": outlet.url(listing.path)},
    )
    main = f"""<main class="listing">
<h1 class="page-title">{escape(title)}</h1>
{f'<p class="archive-description">{escape(listing.intro)}</p>' if listing.intro else ""}
{ad_slot("listing-top")}
<div class="cards">
{cards}
</div>
<nav class="pagination">{" ".join(pager)}</nav>
{f'<aside class="more-links"><h3>More from us</h3><ul>{more}</ul></aside>' if more else ""}
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
        jsonld={"@context": "https://schema.org", "@type": "AboutPage" if "about" in path else "ContactPage", "name": title},
    )
    main = f'<main class="page page-{slugify(title)}"><h1 class="page-title">{escape(title)}</h1>\n{body}\n</main>'
    return _page(outlet, head_html, "page", main)
