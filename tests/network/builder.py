"""Lay out the three sites of the local news network: their routes, their truth, their entry in
the sites file. plan.py says which story goes where; this module renders it.

- sitemapsite (A, WordPress-like): robots.txt -> sitemap index -> urlset (lastmod), Google News
  sitemap, gzipped archive sitemap, page sitemap; a robots-disallowed /private/ story linked from
  the home page and the sitemap; AMP copies; a tracking-parameter link and a `#comments` link;
  a story that answers 500 once; a PDF link. No hints in the sites file.
- feedsite (B, big-publisher template): no sitemap; RSS at /feed/ (item links carry utm
  parameters) and Atom at /atom.xml, both linked from <head>; a windows-1252 page declared only
  in <meta http-equiv>; a slow page; an exact duplicate at a second URL with its own canonical;
  a gallery and a video page; a 404 link; a JPEG link. Only `home` in the sites file.
- linksite (C, gossip blog): no sitemap, no feed; two sections paginated to page 3; tag, author,
  about and contact pages; a page with broken HTML; a 301 -> 302 redirect chain; a tracking link;
  a 404 link. Sites file: section hints, a wrong sitemap hint (404), a boilerplate selector.

Across sites (plan.SYNDICATED, plan.SAME_EVENT): three wire stories that a second site runs in
its own layout with an edited headline, a word or two changed and the ending cut or extended
(copies derived here by `syndicated_copy`), and three events that two outlets each report in
their own words (tests/network/articles.toml).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.demo.chrome import SHOP_THE_LOOK_TEXT
from newscrawl.demo.content import demo_articles, load_articles
from newscrawl.demo.model import Article, Outlet
from newscrawl.demo.render import render_article, teaser
from newscrawl.demo.server import Route
from newscrawl.demo.site import (
    PHOTO_PATH,
    PRESS_KIT_PATH,
    SITEMAP_INDEX_PATH,
    article_routes,
    feed_routes,
    listing_routes,
    media_routes,
    newest_first,
    related_links,
    robots_route,
    sitemap_entry,
    sitemap_routes,
    static_routes,
)

from . import plan
from .expected import (
    BINARY,
    LISTING,
    MISSING,
    SAME_EVENT,
    STATIC,
    SYNDICATED,
    TAXONOMY,
    THIN,
    ExpectedArticle,
    NonArticle,
    SiteExpectation,
    StoryPair,
    expect_article,
)

NETWORK_ARTICLES = Path(__file__).with_name("articles.toml")
SECTIONS = {"celebrity": "Celebrity", "film": "Film", "tv": "TV", "music": "Music"}

Library = Mapping[str, Article]


@dataclass(frozen=True)
class BuiltSite:
    """One site ready to serve: its route table, its truth and its sites-file entry."""

    key: str
    routes: dict[str, Route]
    expectation: SiteExpectation
    entry: dict[str, Any]


def article_library() -> dict[str, Article]:
    """Every story the network can serve, by slug: demo articles, tests/network/articles.toml,
    and the syndicated copies of plan.SYNDICATED."""
    library = {a.slug: a for a in (*demo_articles(), *load_articles(NETWORK_ARTICLES))}
    for wire in plan.SYNDICATED:
        library[wire.copy] = syndicated_copy(library[wire.original], wire)
    return library


def syndicated_copy(original: Article, wire: plan.Syndication) -> Article:
    """The story as the second site runs it: `wire`'s headline, edits, cut and closing line."""
    body = list(original.body)
    if wire.trim_last:
        body.pop()
    for old, new in wire.edits:
        hits = [i for i, paragraph in enumerate(body) if old in paragraph]
        if len(hits) != 1 or body[hits[0]].count(old) != 1:
            raise ValueError(f"{wire.copy}: edit {old!r} must occur once in {original.slug}")
        body[hits[0]] = body[hits[0]].replace(old, new)
    if wire.closing:
        body.append(wire.closing)
    return dataclasses.replace(
        original,
        slug=wire.copy,
        title=wire.title,
        body=tuple(body),
        published=original.published + timedelta(hours=wire.hours_later),
        modified=None,
    )


def story_pairs() -> tuple[StoryPair, ...]:
    """The near-duplicate pairs of plan.SYNDICATED and plan.SAME_EVENT, as (site, slug) keys."""
    syndicated = [
        StoryPair(SYNDICATED, (w.original_site, w.original), (w.copy_site, w.copy))
        for w in plan.SYNDICATED
    ]
    same_event = [StoryPair(SAME_EVENT, e.first, e.second) for e in plan.SAME_EVENT]
    return (*syndicated, *same_event)


def build_site(key: str, base_url: str, library: Library) -> BuiltSite:
    """Build site `key` ("sitemapsite", "feedsite" or "linksite") served at `base_url`."""
    return SITE_BUILDERS[key](base_url.rstrip("/"), library)


def build_sitemap_site(base: str, library: Library) -> BuiltSite:
    outlet = Outlet(
        name="Backlot Wire",
        base_url=base,
        tagline="Trade news for people who love the business of show business",
        sections=SECTIONS | {"culture": "Culture"},
        layout="wordpress",
        amp=True,
        rss_path=None,
        tags=("The Glass Orchard", "Kestrel Awards"),
    )
    stories = [library[s] for s in plan.SITEMAP_SITE_STORIES]
    tracked, commented, amp_linked, fail_once = (
        library[s]
        for s in (
            plan.TRACKED_STORY_A,
            plan.COMMENTS_LINK_STORY,
            plan.AMP_LINKED_STORY,
            plan.FAIL_ONCE_STORY,
        )
    )
    private = library[plan.PRIVATE_STORY]
    private_path = f"/private/{private.slug}/"
    newest = newest_first(stories)
    home = [teaser(outlet, a) for a in newest[:4]] + [
        teaser(outlet, tracked, outlet.article_path(tracked) + plan.TRACKING_QUERY),
        teaser(outlet, commented, outlet.article_path(commented) + "#comments"),
        teaser(outlet, private, private_path),
    ]
    extra_links = [
        (PRESS_KIT_PATH, "Download our awards-season press kit (PDF)"),
        (Outlet.amp_path(amp_linked), f"{amp_linked.title} (AMP)"),
    ]

    routes = article_routes(outlet, stories)
    private_page = render_article(outlet, private, canonical=outlet.url(private_path))
    routes[private_path] = Route.html(private_page)
    routes |= listing_routes(
        outlet, stories, page_size=4, home_teasers=home, home_extra_links=extra_links
    )
    routes |= static_routes(outlet) | media_routes()
    # Stories spread over three sitemaps so that every one of them has to be read; the private
    # story is listed by mistake, as happens on real sites: robots.txt must still win.
    routes |= sitemap_routes(
        outlet,
        posts=[sitemap_entry(outlet, a) for a in newest[:5]]
        + [(outlet.url(private_path), private.published)],
        news=[(outlet.article_url(a), a) for a in newest[5:9]],
        archive=[sitemap_entry(outlet, a) for a in newest[9:]],
        pages=[(outlet.url(p), None) for p in ("/", "/about/", "/contact/")],
    )
    routes |= robots_route([outlet.url(SITEMAP_INDEX_PATH)], disallow=["/private/", "/wp-admin/"])
    routes[outlet.article_path(fail_once)].fail_first = 1

    def aliases(article: Article) -> list[str]:
        tracking = [outlet.article_url(article) + plan.TRACKING_QUERY] if article is tracked else []
        return [outlet.url(Outlet.amp_path(article)), *tracking]

    articles = [
        expect_article("sitemapsite", outlet.article_url(a), a, aliases=aliases(a)) for a in stories
    ]
    special = {PRESS_KIT_PATH: BINARY}
    return _finish("sitemapsite", outlet, routes, articles, special, never_fetch=[private_path])


def build_feed_site(base: str, library: Library) -> BuiltSite:
    outlet = Outlet(
        name="Encore Gazette",
        base_url=base,
        tagline="Culture, reviewed and reported",
        sections=SECTIONS | {"culture": "Arts & Culture"},
        layout="publisher",
        rss_path="/feed/",
        atom_path="/atom.xml",
        tags=("Kestrel Awards",),
    )
    stories = [library[s] for s in plan.FEED_SITE_STORIES]
    thin = [library[s] for s in plan.FEED_SITE_THIN]
    media = [library[s] for s in plan.FEED_SITE_MEDIA]
    cp1252, slow, duplicated = (
        library[s] for s in (plan.CP1252_STORY, plan.SLOW_STORY, plan.DUPLICATED_STORY)
    )
    newest = newest_first(stories)
    in_rss = newest[: plan.RSS_ITEMS]

    def rss_link(article: Article) -> str:
        # WordPress feed plugins append campaign parameters to every item link.
        query = f"utm_source=rss&utm_medium=rss&utm_campaign={article.slug}"
        return f"{outlet.article_url(article)}?{query}"

    extra_links = [
        (plan.DUPLICATE_PATH, f"Partner pick: {duplicated.title}"),
        (plan.FEED_MISSING_PATH, "From the archive: an exclusive we no longer stand behind"),
        (PHOTO_PATH, "Red carpet photo (full size)"),
        *((outlet.article_path(a), a.title) for a in [*media, *thin]),
    ]
    routes = article_routes(outlet, [*stories, *media, *thin])
    routes |= listing_routes(outlet, [*stories, *media, *thin], page_size=4,
                             home_extra_links=extra_links)
    routes |= static_routes(outlet) | media_routes()
    routes |= feed_routes(
        outlet,
        rss=[(rss_link(a), a) for a in in_rss],
        atom=[(outlet.article_url(a), a)
              for a in newest_first([*newest[plan.RSS_ITEMS :], *media, *thin])],
    )
    routes |= robots_route(disallow=["/search/"])
    page = render_article(
        outlet, cp1252, related=related_links(outlet, cp1252, stories), charset="windows-1252"
    )
    # Declared only in <meta http-equiv>; the HTTP header deliberately names no charset.
    routes[outlet.article_path(cp1252)] = Route.data(page.encode("cp1252"), "text/html")
    routes[outlet.article_path(slow)].delay = plan.SLOW_SECONDS
    # Same story, same text, its own canonical: nothing on either page points at the other.
    copy = render_article(
        outlet,
        duplicated,
        canonical=outlet.url(plan.DUPLICATE_PATH),
        title_suffix=f" | {outlet.name} Partners",
    )
    routes[plan.DUPLICATE_PATH] = Route.html(copy)

    def expect(article: Article) -> ExpectedArticle:
        return expect_article(
            "feedsite",
            outlet.article_url(article),
            article,
            aliases=[rss_link(article)] if article in in_rss else [],
            duplicate_urls=[outlet.url(plan.DUPLICATE_PATH)] if article is duplicated else [],
        )

    special = {PHOTO_PATH: BINARY, plan.FEED_MISSING_PATH: MISSING}
    special |= {outlet.article_path(a): THIN for a in thin}
    return _finish("feedsite", outlet, routes, [expect(a) for a in [*stories, *media]], special)


def build_link_site(base: str, library: Library) -> BuiltSite:
    outlet = Outlet(
        name="Velvet Rope Report",
        base_url=base,
        tagline="All the gossip that is fit to print",
        sections={"celebrity": "Celebrity", "tv": "TV"},
        layout="gossip",
        path_style="section",
        rss_path=None,
        tags=("Spotted", "Reality TV"),
    )
    stories = [library[s] for s in plan.LINK_SITE_STORIES]
    tracked, redirected, broken = (
        library[s] for s in (plan.TRACKED_STORY_C, plan.REDIRECTED_STORY, plan.BROKEN_STORY)
    )
    commented = stories[0]
    hidden = library[plan.LINK_SITE_HIDDEN]
    extra_links = [
        (outlet.article_path(tracked) + plan.TRACKING_QUERY, f"Trending: {tracked.title}"),
        (outlet.article_path(commented) + "#comments", f"Comments: {commented.title}"),
        (plan.REDIRECT_CHAIN[0], "Throwback: the laundromat is back"),
        (plan.LINK_MISSING_PATH, "That rumor everyone was talking about"),
    ]
    # Only three stories on the home page: the rest are reached through section pagination.
    home = [teaser(outlet, a) for a in newest_first(stories)[:3]]
    routes = article_routes(outlet, stories)
    routes |= listing_routes(
        outlet, stories, page_size=2, home_teasers=home, home_extra_links=extra_links
    )
    # The hidden story: in no listing, linked from one story's related box only.
    routes |= article_routes(outlet, [hidden])
    routes[outlet.article_path(commented)] = Route.html(render_article(
        outlet, commented, related=[*related_links(outlet, commented, stories)[:2],
                                    (outlet.article_path(hidden), hidden.title)]))
    routes |= static_routes(outlet) | robots_route()
    first_hop, second_hop = plan.REDIRECT_CHAIN
    routes[first_hop] = Route.to(second_hop, status=301)
    routes[second_hop] = Route.to(outlet.article_url(redirected), status=302)
    broken_path = outlet.article_path(broken)
    routes[broken_path] = Route.html(break_html(routes[broken_path].body.decode("utf-8")))

    def aliases(article: Article) -> list[str]:
        if article is tracked:
            return [outlet.article_url(article) + plan.TRACKING_QUERY]
        return [outlet.url(p) for p in plan.REDIRECT_CHAIN] if article is redirected else []

    articles = [
        expect_article(
            "linksite",
            outlet.article_url(a),
            a,
            aliases=aliases(a),
            extra_boilerplate=[SHOP_THE_LOOK_TEXT],
        )
        for a in [*stories, hidden]
    ]
    hints = {
        "sections": [outlet.url(Outlet.section_path(s)) for s in outlet.sections],
        "sitemaps": [outlet.url(plan.WRONG_SITEMAP_HINT)],
        "extra_boilerplate": [".shop-the-look"],
        "language": "en",
    }
    special = {plan.LINK_MISSING_PATH: MISSING}
    return _finish("linksite", outlet, routes, articles, special, hints=hints)


def break_html(html: str) -> str:
    """Damage a page the way real CMS output is damaged, keeping the story readable by a
    forgiving parser: no closing </p>, stray </div>s, an unclosed wrapper, no </body></html>."""
    html = html.replace("</p>", "")
    html = html.replace('<h2 class="subhead">', '</div></div><h2 class="subhead">', 1)
    unclosed = '<div class="promo-strip"><span class="promo">'
    html = html.replace('<div class="story">', unclosed + '<div class="story">', 1)
    return re.sub(r"</body>\s*</html>\s*$", "", html)


def _finish(
    key: str,
    outlet: Outlet,
    routes: dict[str, Route],
    articles: Sequence[ExpectedArticle],
    special: dict[str, str],
    never_fetch: Sequence[str] = (),
    hints: Mapping[str, Any] | None = None,
) -> BuiltSite:
    expectation = SiteExpectation(
        key=key,
        name=outlet.name,
        base_url=outlet.base_url,
        articles=tuple(articles),
        non_articles=_non_articles(key, outlet, routes, articles, special, set(never_fetch)),
        never_fetch=tuple(outlet.url(path) for path in never_fetch),
    )
    entry = {"key": key, "name": outlet.name, "home": outlet.url("/"), **(hints or {})}
    return BuiltSite(key=key, routes=routes, expectation=expectation, entry=entry)


def _non_articles(
    key: str,
    outlet: Outlet,
    routes: dict[str, Route],
    articles: Sequence[ExpectedArticle],
    special: dict[str, str],
    skip: set[str],
) -> tuple[NonArticle, ...]:
    """The `special` paths with their category, plus every other HTML page of the site that is
    not an expected article (nor one of its aliases/duplicates, nor in `skip`), by path."""
    for article in articles:
        skip |= {urlsplit(u).path for u in (*article.urls, *article.aliases)}
    found = dict(special)
    for path, route in routes.items():
        is_html = route.headers.get("Content-Type", "").startswith("text/html")
        if path in found or path in skip or not is_html:
            continue
        if path.startswith(("/tag/", "/author/")):
            found[path] = TAXONOMY
        elif path in ("/about/", "/contact/"):
            found[path] = STATIC
        elif path == "/" or path.split("/")[1] in outlet.sections:
            found[path] = LISTING
        else:
            raise ValueError(f"{key}: {path} is neither an expected article nor a known page")
    return tuple(NonArticle(key, outlet.url(p), category) for p, category in sorted(found.items()))


SITE_BUILDERS: dict[str, Callable[[str, Library], BuiltSite]] = {
    "sitemapsite": build_sitemap_site,
    "feedsite": build_feed_site,
    "linksite": build_link_site,
}
