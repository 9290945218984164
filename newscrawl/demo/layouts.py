"""The three article templates of the demo and the JSON-LD each one emits.

- "wordpress": a WordPress theme (`entry-content`, `author vcard`) with Yoast-style `@graph`
  JSON-LD whose article node points at Person nodes by `@id`.
- "publisher": a big-publisher template with a dek, roles in the byline ("Jane Doe, Senior
  Editor") and JSON-LD authors as a list of Person objects.
- "gossip": a gossip blog with a sidebar, a "Shop the look" box inside the story, UTC `Z`
  timestamps and the JSON-LD author as one plain string.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from html import escape

from newscrawl.demo.chrome import (
    SHOP_THE_LOOK_TEXT,
    ad_slot,
    author_links,
    comments_section,
    featured_video_box,
    human_date,
    newsletter_box,
    related_box,
    social_embed,
)
from newscrawl.demo.model import Article, Outlet

Related = Sequence[tuple[str, str]]


def article_jsonld(outlet: Outlet, article: Article, url: str) -> object:
    """The JSON-LD object of `article` in the shape its outlet's layout uses."""
    kind = {"liveblog": "LiveBlogPosting", "video": "VideoObject"}.get(article.kind, "NewsArticle")
    modified = article.modified or article.published
    logo = {"@type": "ImageObject", "url": outlet.url("/static/logo.png")}
    publisher = {"@type": "Organization", "name": outlet.name, "logo": logo}
    image = [outlet.url(article.image)] if article.image else []
    section = outlet.sections.get(article.section, article.section)
    if outlet.layout == "wordpress":
        people = [
            {"@type": "Person", "@id": f"{outlet.base_url}/#/person/{a.slug}", "name": a.name}
            for a in article.authors
        ]
        org_id = f"{outlet.base_url}/#organization"
        node = {
            "@type": kind,
            "@id": f"{url}#article",
            "headline": article.title,
            "datePublished": article.published.isoformat(),
            "dateModified": modified.isoformat(),
            "author": [{"@id": p["@id"]} for p in people],
            "articleSection": [section],
            "keywords": list(article.tags),
            "mainEntityOfPage": {"@id": url},
            "publisher": {"@id": org_id},
            "image": image,
        }
        page = {
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": f"{article.title} | {outlet.name}",
        }
        return {
            "@context": "https://schema.org",
            "@graph": [page, node, *people, {**publisher, "@id": org_id}],
        }
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
        data["dateModified"] = modified.isoformat()
        data["author"] = [
            {"@type": "Person", "name": a.name, "url": outlet.url(Outlet.author_path(a))}
            | ({"jobTitle": a.role} if a.role else {})
            for a in article.authors
        ]
    else:
        data["datePublished"] = _zulu(article.published)
        data["dateModified"] = _zulu(modified)
        data["author"] = ", ".join(article.author_names)
    if article.kind == "video":
        data |= {"name": article.title, "uploadDate": article.published.isoformat()}
    return data


def _zulu(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def story_content(
    article: Article, *, ad_after: int = 2, video_after: int | None = None, extra: str = ""
) -> str:
    """The story itself: paragraphs with an ad, social embeds, a video box and `extra` (after
    paragraph 4) spliced in; gallery slides, a video player or live updates for other kinds."""
    if article.kind == "gallery":
        slides = "".join(
            f'<figure class="gallery-slide"><img src="/media/{article.slug}-{i}.jpg" alt="">'
            f"<figcaption>{escape(caption)}</figcaption></figure>"
            for i, caption in enumerate(article.gallery, 1)
        )
        intro = f'<p class="gallery-intro">{escape(article.dek)}</p>'
        return f'{intro}<div class="gallery">{slides}</div>'
    if article.kind == "video":
        body = "".join(f"<p>{escape(p)}</p>" for p in article.body)
        return f'<div class="video-player" data-video-id="{article.slug}"></div>{body}'
    if article.kind == "liveblog":
        updates = "".join(
            f'<div class="live-update" id="update-{i}"><p>{escape(p)}</p></div>'
            for i, p in enumerate(article.body, 1)
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
        if i == video_after:
            chunks.append(featured_video_box("Watch: the week in trailers, in ninety seconds"))
        if i == 4 and extra:
            chunks.append(extra)
    return "\n".join(chunks)


def _lead_image(article: Article, credit_prefix: str = "Photo: ") -> str:
    if not article.image:
        return ""
    credit = escape(credit_prefix + article.image_credit) if article.image_credit else ""
    return (
        f'<figure class="lead-image"><img src="{article.image}" alt="{escape(article.title)}">'
        f'<figcaption><span class="credit">{credit}</span></figcaption></figure>'
    )


def _tags(article: Article, prefix: str) -> str:
    links = ", ".join(
        f'<a href="{Outlet.tag_path(t)}" rel="tag">{escape(t)}</a>' for t in article.tags
    )
    return f'<div class="tags-links">{prefix} {links}</div>' if links else ""


def _time(moment: datetime, text: str, css: str = "") -> str:
    css_attr = f' class="{css}"' if css else ""
    return f'<time{css_attr} datetime="{moment.isoformat()}">{text}</time>'


def _wordpress(outlet: Outlet, article: Article, related: Related) -> str:
    label = escape(outlet.sections.get(article.section, article.section))
    section_link = (
        f'<a href="{Outlet.section_path(article.section)}" rel="category tag">{label}</a>'
    )
    byline = author_links(article.authors, roles=False, link_class="url fn n")
    posted = _time(article.published, human_date(article.published), "entry-date published")
    if article.modified:
        posted += _time(article.modified, human_date(article.modified, False), "updated")
    return f"""<div id="page" class="site"><div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
<article class="post type-post status-publish category-{article.section}">
<header class="entry-header">
<span class="cat-links">{section_link}</span>
<h1 class="entry-title">{escape(article.title)}</h1>
<div class="entry-meta"><span class="byline">By <span class="author vcard">{byline}</span></span>
<span class="posted-on">{posted}</span>
<a class="comments-link" href="#comments">Leave a comment</a></div>
</header>
{_lead_image(article)}
<div class="entry-content">
{story_content(article, video_after=5)}
</div>
<footer class="entry-footer">{_tags(article, "Tagged")}</footer>
</article>
{newsletter_box()}
{related_box(related, "Related")}
{comments_section(article)}
</main></div>
<aside id="secondary" class="widget-area"><section class="widget">{ad_slot("sidebar")}</section>
<section class="widget">{related_box(related[:3], "Recent Posts")}</section></aside>
</div></div>"""


def _publisher(outlet: Outlet, article: Article, related: Related) -> str:
    label = escape(outlet.sections.get(article.section, article.section))
    crumbs = f'<a href="/">Home</a> / <a href="{Outlet.section_path(article.section)}">{label}</a>'
    byline = author_links(article.authors, roles=True, link_class="byline-author")
    stamp = _time(article.published, f"Published {human_date(article.published)}")
    if article.modified:
        stamp += f' <span class="updated">Updated {human_date(article.modified)}</span>'
    return f"""{ad_slot("leaderboard")}
<main id="main-content" class="main-content">
<article class="article" data-article-slug="{article.slug}">
<div class="article-header">
<nav class="breadcrumbs">{crumbs}</nav>
<h1 class="article-headline" data-testid="headline">{escape(article.title)}</h1>
<p class="article-dek">{escape(article.dek)}</p>
<div class="article-byline"><span class="byline-prefix">By</span> {byline}</div>
<div class="article-timestamp">{stamp}</div>
<div class="share-bar"><a href="#share-facebook">Share</a> <a href="#share-x">Post</a></div>
</div>
{_lead_image(article)}
<div class="article-body" data-component="article-body">
{story_content(article, video_after=4)}
</div>
{_tags(article, "More on:")}
</article>
{newsletter_box()}
{related_box(related)}
{comments_section(article, "Comments - Join the conversation")}
</main>"""


def _gossip(outlet: Outlet, article: Article, related: Related) -> str:
    shop = (
        '<div class="shop-the-look"><h4>Shop the look</h4>'
        f"<p>{escape(SHOP_THE_LOOK_TEXT)}</p></div>"
    )
    stamp = _time(article.published, human_date(article.published, False))
    byline = author_links(article.authors, roles=False)
    comment_count = f'<a href="#comments">{len(article.tags) + 9} comments</a>'
    video = featured_video_box("Watch: our hosts rank this week's wildest celebrity moments")
    return f"""<div class="top-bar"><b>Breaking:</b> <a href="/">More on the home page</a></div>
<div class="container"><div class="main-col">
<div class="post" id="post-{article.slug}">
<h1 class="post-title">{escape(article.title)}</h1>
<div class="post-meta">By {byline} | {stamp} | {comment_count}</div>
<h2 class="subhead">{escape(article.dek)}</h2>
<div class="story">
{_lead_image(article, "Photo credit: ")}
{story_content(article, extra=shop)}
</div>
{_tags(article, "Filed under:")}
</div>
{newsletter_box()}
{comments_section(article, "Comments - Sound off!")}
</div>
<div class="sidebar">{related_box(related, "Trending now")}{ad_slot("sidebar-1")}
{video}</div>
</div>"""


LAYOUTS: dict[str, Callable[[Outlet, Article, Related], str]] = {
    "wordpress": _wordpress,
    "publisher": _publisher,
    "gossip": _gossip,
}
