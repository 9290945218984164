"""Page furniture shared by every demo layout: head, navigation, ads, newsletter, comments.

This is the boilerplate an extractor has to throw away, so the strings it shows are exported
(`AD_LABEL`, `NEWSLETTER_PROMPT`, `article_comments`) for tests that check they do not leak into
the extracted text.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from newscrawl.demo.model import Article, Author, Outlet

AD_LABEL = "Advertisement"
NEWSLETTER_PROMPT = "Sign up for our newsletter"
NEWSLETTER_BLURB = (
    "Get the day's biggest entertainment stories in your inbox every weekday morning."
)
FEATURED_VIDEO_LABEL = "Featured Video"
SHOP_THE_LOOK_TEXT = (
    "Steal her red-carpet shimmer for less with our favourite sequin picks, from $39."
)


@dataclass(frozen=True)
class Comment:
    """A reader comment (fictional) shown under an article."""

    user: str
    text: str


_COMMENT_POOL = (
    Comment("popcornqueen88", "Honestly the third act dragged but I would still watch it twice."),
    Comment("velvetjacket", "Called it back in March. Nobody listened to me in the group chat."),
    Comment("m_harlow", "Can we talk about the costume department for one second? Stunning."),
    Comment("reelfan_ty", "This is the content I pay my internet bill for, no notes."),
    Comment("ginger_snapz", "I miss when award shows were three hours of chaos and nothing else."),
    Comment(
        "quietcritic", "Respectfully, the original version was better and I will die on this hill."
    ),
    Comment(
        "bassline_bev", "Saw them live in a tiny basement club years ago and they were electric."
    ),
    Comment("tvdinner42", "Adding this to my watchlist right after I finish the other six shows."),
    Comment("sunsetstrip", "Whoever wrote that headline deserves a raise and a long weekend."),
    Comment("lola.reads", "Finally some good news this week, thank you for covering it properly."),
    Comment("ferris_wheel", "Not me refreshing this page every ten minutes for an update."),
    Comment("cinephile_dan", "The cinematographer on that project never gets enough credit."),
)


def article_comments(article: Article, count: int = 3) -> list[Comment]:
    """The fictional comments shown under `article`: stable for a given slug."""
    start = zlib.crc32(article.slug.encode("utf-8")) % len(_COMMENT_POOL)
    return [_COMMENT_POOL[(start + i) % len(_COMMENT_POOL)] for i in range(count)]


def human_date(moment: datetime, with_time: bool = True) -> str:
    """`May 14, 2024 at 9:30 AM` in the moment's own timezone (no locale dependence)."""
    day = f"{moment:%B} {moment.day}, {moment.year}"
    if not with_time:
        return day
    hour = moment.hour % 12 or 12
    return f"{day} at {hour}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"


def jsonld_script(data: object) -> str:
    # ensure_ascii=False keeps accented names as characters, so the page's encoding matters.
    payload = json.dumps(data, ensure_ascii=False, indent=1)
    return f'<script type="application/ld+json">{payload}</script>'


def head(
    outlet: Outlet,
    title: str,
    *,
    canonical: str | None,
    description: str = "",
    meta: Sequence[tuple[str, str, str]] = (),
    links: Sequence[tuple[str, str]] = (),
    jsonld: object | None = None,
    charset_tag: str = '<meta charset="utf-8">',
) -> str:
    """The `<head>` element. `meta` holds (attribute, key, content) triples such as
    ("property", "og:title", "..."); `links` holds (rel, href) pairs."""
    parts = [
        "<head>",
        charset_tag,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
    ]
    if description:
        parts.append(f'<meta name="description" content="{escape(description)}">')
    if canonical:
        parts.append(f'<link rel="canonical" href="{escape(canonical)}">')
    parts += [f'<link rel="{rel}" href="{escape(href)}">' for rel, href in links]
    name = escape(outlet.name)
    if outlet.rss_path:
        parts.append(
            f'<link rel="alternate" type="application/rss+xml" title="{name} &raquo; Feed" '
            f'href="{outlet.url(outlet.rss_path)}">'
        )
    if outlet.atom_path:
        parts.append(
            f'<link rel="alternate" type="application/atom+xml" title="{name} (Atom)" '
            f'href="{outlet.url(outlet.atom_path)}">'
        )
    parts += [f'<meta {attr}="{key}" content="{escape(value)}">' for attr, key, value in meta]
    parts.append('<link rel="stylesheet" href="/static/site.css">')
    if jsonld is not None:
        parts.append(jsonld_script(jsonld))
    parts.append('<script async src="/static/ads.js"></script>')
    parts.append("</head>")
    return "\n".join(parts)


def nav(outlet: Outlet) -> str:
    """The main navigation bar: home, every section, trending tags, about and contact."""
    items = [("/", "Home")]
    items += [(Outlet.section_path(slug), label) for slug, label in outlet.sections.items()]
    items += [(Outlet.tag_path(tag), tag) for tag in outlet.tags]
    items += [("/about/", "About Us"), ("/contact/", "Contact"), ("/about/#advertise", "Advertise")]
    lis = "".join(
        f'<li class="menu-item"><a href="{href}">{escape(label)}</a></li>' for href, label in items
    )
    return f'<nav class="main-nav" aria-label="Main"><ul class="menu">{lis}</ul></nav>'


def site_header(outlet: Outlet) -> str:
    return (
        '<header class="site-header">'
        f'<a class="logo" href="/"><img src="/static/logo.svg" alt="{escape(outlet.name)}"></a>'
        f'<p class="site-description">{escape(outlet.tagline)}</p>'
        f"{nav(outlet)}"
        '<form class="search-form" action="/search/" method="get">'
        '<input type="search" name="q" placeholder="Search">'
        '<button type="submit">Search</button></form>'
        "</header>"
    )


def site_footer(outlet: Outlet) -> str:
    handle = outlet.name.lower().replace(" ", "")
    sections = "".join(
        f'<li><a href="{Outlet.section_path(slug)}">{escape(label)}</a></li>'
        for slug, label in outlet.sections.items()
    )
    return (
        '<footer class="site-footer">'
        f'<ul class="footer-sections">{sections}</ul>'
        '<ul class="footer-links"><li><a href="/about/">About</a></li>'
        '<li><a href="/contact/">Contact</a></li>'
        '<li><a href="/about/#privacy">Privacy Policy</a></li>'
        '<li><a href="/about/#terms">Terms of Use</a></li></ul>'
        '<ul class="social-links">'
        f'<li><a href="https://www.instagram.com/{handle}/">Instagram</a></li>'
        f'<li><a href="https://twitter.com/{handle}">X / Twitter</a></li></ul>'
        f'<p class="copyright">&copy; 2024 {escape(outlet.name)}. All rights reserved. '
        "All people and events described on this site are fictional.</p>"
        "</footer>"
    )


def ad_slot(unit: str) -> str:
    label = f'<span class="ad-label">{AD_LABEL}</span>'
    return f'<div class="ad-slot" id="ad-{unit}" data-ad-unit="{unit}">{label}</div>'


def newsletter_box() -> str:
    return (
        '<aside class="newsletter-signup">'
        f"<h3>{NEWSLETTER_PROMPT}</h3><p>{escape(NEWSLETTER_BLURB)}</p>"
        '<form action="/newsletter/subscribe" method="post"><input type="email" name="email" '
        'placeholder="Your email address"><button type="submit">Sign up</button></form>'
        "</aside>"
    )


def featured_video_box(caption: str) -> str:
    return (
        f'<section class="featured-video"><h3>{FEATURED_VIDEO_LABEL}</h3>'
        '<div class="video-player" data-player="mq-player" data-autoplay="muted"></div>'
        f'<p class="video-caption">{escape(caption)}</p></section>'
    )


def related_box(related: Sequence[tuple[str, str]], heading: str = "Related stories") -> str:
    """A list of (url, title) links to other stories; empty string when there are none."""
    if not related:
        return ""
    lis = "".join(f'<li><a href="{escape(url)}">{escape(title)}</a></li>' for url, title in related)
    return f'<aside class="related-stories"><h3>{escape(heading)}</h3><ul>{lis}</ul></aside>'


def comments_section(article: Article, heading: str = "Comments") -> str:
    comments = article_comments(article)
    items = "".join(
        '<li class="comment">'
        f'<div class="comment-author"><b class="fn">{escape(c.user)}</b></div>'
        f'<div class="comment-content"><p>{escape(c.text)}</p></div>'
        '<a class="comment-reply-link" href="#respond">Reply</a></li>'
        for c in comments
    )
    return (
        '<section id="comments" class="comments-area">'
        f'<h3 class="comments-title">{len(comments)} {heading}</h3>'
        f'<ol class="comment-list">{items}</ol>'
        '<div id="respond"><h3>Leave a Reply</h3><form action="/comments/post" method="post">'
        '<textarea name="comment"></textarea>'
        '<button type="submit">Post Comment</button></form></div>'
        "</section>"
    )


def author_links(authors: Sequence[Author], *, roles: bool, link_class: str = "author") -> str:
    """`<a>Jane Doe</a>, Senior Editor, and <a>John Roe</a>` (roles only when asked)."""
    parts = []
    for author in authors:
        href = Outlet.author_path(author)
        link = f'<a class="{link_class}" rel="author" href="{href}">{escape(author.name)}</a>'
        if roles and author.role:
            link += f'<span class="byline-role">, {escape(author.role)}</span>'
        parts.append(link)
    if len(parts) <= 1:
        return "".join(parts)
    sep = ", " if len(parts) > 2 else " "
    return sep.join(parts[:-1]) + (", and " if roles and len(parts) > 2 else " and ") + parts[-1]


def social_embed(post_index: int, article: Article) -> str:
    """Instagram-style or tweet-style blockquote for `article.social[post_index]`."""
    post = article.social[post_index]
    code = f"{zlib.crc32((article.slug + post.handle).encode('utf-8')):08x}"
    if post.network == "instagram":
        permalink = f"https://www.instagram.com/p/C{code}/"
        return (
            '<blockquote class="instagram-media" data-instgrm-version="14" '
            f'data-instgrm-permalink="{permalink}">'
            f'<div><a href="{permalink}" target="_blank">View this post on Instagram</a></div>'
            f"<p>{escape(post.text)}</p>"
            f"<p>A post shared by {escape(post.display_name)} (@{escape(post.handle)})</p>"
            "</blockquote>"
            '<script async src="//www.instagram.com/embed.js"></script>'
        )
    status = int(code, 16) * 1000 + 17
    return (
        f'<blockquote class="twitter-tweet"><p lang="en" dir="ltr">{escape(post.text)}</p>'
        f"&mdash; {escape(post.display_name)} (@{escape(post.handle)}) "
        f'<a href="https://twitter.com/{escape(post.handle)}/status/{status}">'
        f"{human_date(article.published, with_time=False)}</a></blockquote>"
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>'
    )
