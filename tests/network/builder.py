"""Lay out the three sites of the local news network: their routes, their truth, their entry in
the sites file.

Each site exercises one discovery path and carries some of the edge cases:

- sitemapsite (A, WordPress-like): robots.txt -> sitemap index -> urlset (lastmod), Google News
  sitemap and a gzipped archive sitemap; a robots-disallowed /private/ story linked from the home
  page and the sitemap; AMP copies; a tracking-parameter link and a `#comments` link; a story
  that answers 500 once; a PDF link. No hints in the sites file.
- feedsite (B, big-publisher template): no sitemap, RSS at /feed/ (links carry utm parameters)
  and Atom at /atom.xml, both linked from <head>; a windows-1252 page declared only in <meta
  http-equiv>; a slow page; an exact duplicate at a second URL with its own canonical; a
  gallery and a video page; a 404 link; a JPEG link. Only `home` in the sites file.
- linksite (C, gossip blog): no sitemap, no feed; two sections paginated to page 3; tag, author,
  about and contact pages; a page with broken HTML; a 301 -> 302 redirect chain; a tracking link;
  a 404 link. Sites file: section hints, a wrong sitemap hint (404) and a boilerplate selector.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
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

from .expected import (
    BINARY,
    LISTING,
    MISSING,
    STATIC,
    TAXONOMY,
    THIN,
    ExpectedArticle,
    NonArticle,
    SiteExpectation,
    expect_article,
)

NETWORK_ARTICLES = Path(__file__).with_name("articles.toml")
HOSTS = {"sitemapsite": "127.0.0.2", "feedsite": "127.0.0.3", "linksite": "127.0.0.4"}
TRACKING_QUERY = (
    "?utm_source=twitter&utm_medium=social&utm_campaign=spring&fbclid=IwAR0xFakeClickId42"
)
SLOW_SECONDS = 2.0

# Which fictional stories each site carries (slugs from the demo and network articles files).
SITEMAP_SITE_STORIES = (
    "renee-sol-acoustic-tour-small-town-theaters",
    "glass-orchard-opening-weekend-box-office",
    "harbor-lights-renewed-season-three-new-showrunner",
    "calloway-brandt-mira-valdane-vineyard-wedding",
    "noor-ashworth-salt-archive-optioned",
    "lantern-hours-reunite-after-nine-years",
    "juniper-okoye-lisbridge-festival-competition",
    "midnight-at-fairmont-finale-recap",
    "ollie-marchbank-launches-podcast",
    "dex-ferrante-night-shift-album-review",
    "kestrel-awards-nominations-announced",
    "cold-harbor-six-sequel-first-trailer",
)
PRIVATE_STORY = "embargoed-kestrel-host-reveal-draft"
FAIL_ONCE_STORY = "juniper-okoye-lisbridge-festival-competition"
TRACKED_STORY_A = "calloway-brandt-mira-valdane-vineyard-wedding"
COMMENTS_LINK_STORY = "lantern-hours-reunite-after-nine-years"
AMP_LINKED_STORY = "midnight-at-fairmont-finale-recap"

FEED_SITE_STORIES = (
    "sabine-kovac-launches-fashion-line",
    "theo-castellane-cooking-show-night-market",
    "larkspur-valley-festival-lineup",
    "bastian-greer-cast-as-villain",
    "museum-of-screen-costume-exhibit",
    "annika-roux-memoir-cafe-years",
    "island-of-strangers-reality-show-twist",
    "velvet-static-debut-vinyl-reissue",
    "halcyon-brightwater-studio-merger",
    "mira-valdane-stage-debut-rehearsals",
    "anthology-series-casting-announced",
    "paper-lanterns-game-animated-series",
    "school-choir-cover-goes-viral",
)
FEED_SITE_THIN = ("kestrel-awards-red-carpet-photos", "cold-harbor-six-cast-interview-video")
CP1252_STORY = "annika-roux-memoir-cafe-years"
SLOW_STORY = "theo-castellane-cooking-show-night-market"
DUPLICATED_STORY = "island-of-strangers-reality-show-twist"
DUPLICATE_PATH = "/partners/syndication/island-of-strangers-twist.html"
FEED_MISSING_PATH = "/2023/11/02/story-that-was-taken-down/"

LINK_SITE_STORIES = (
    "dex-ferrante-flea-market-bakery-sign",
    "annika-roux-adopts-three-legged-greyhound",
    "sabine-kovac-roller-disco-birthday",
    "ollie-marchbank-engaged-florist",
    "bastian-greer-marathon-lighthouse-costume",
    "renee-sol-hometown-diner-surprise",
    "harbor-lights-season-three-set-photos",
    "island-of-strangers-eliminated-contestant-speaks",
    "after-dark-castellane-second-season",
    "last-train-first-look-images",
    "brainstorm-lane-champion-streak-ends",
    "corner-laundromat-reboot-cast-reunion",
)
BROKEN_STORY = "brainstorm-lane-champion-streak-ends"
REDIRECTED_STORY = "corner-laundromat-reboot-cast-reunion"
REDIRECT_CHAIN = ("/go/corner-laundromat/", "/r/corner-laundromat-2024/")
TRACKED_STORY_C = "bastian-greer-marathon-lighthouse-costume"
LINK_MISSING_PATH = "/celebrity/rumor-we-quietly-deleted/"
WRONG_SITEMAP_HINT = "/sitemap.xml"

Library = Mapping[str, Article]


@dataclass(frozen=True)
class BuiltSite:
    """One site ready to serve: its route table, its truth and its sites-file entry."""

    key: str
    routes: dict[str, Route]
    expectation: SiteExpectation
    entry: dict[str, Any]


def article_library() -> dict[str, Article]:
    """Every story the network can serve, by slug (demo articles + tests/network/articles.toml)."""
    return {a.slug: a for a in (*demo_articles(), *load_articles(NETWORK_ARTICLES))}


def build_site(key: str, base_url: str, library: Library) -> BuiltSite:
    """Build site `key` ("sitemapsite", "feedsite" or "linksite") served at `base_url`."""
    return SITE_BUILDERS[key](base_url.rstrip("/"), library)


# -- site A: discovery through robots.txt and sitemaps ---------------------------------------


def build_sitemap_site(base: str, library: Library) -> BuiltSite:
    key = "sitemapsite"
    outlet = Outlet(
        name="Backlot Wire",
        base_url=base,
        tagline="Trade news for people who love the business of show business",
        sections={
            "celebrity": "Celebrity",
            "film": "Film",
            "tv": "Television",
            "music": "Music",
            "culture": "Culture",
        },
        layout="wordpress",
        amp=True,
        rss_path=None,
        tags=("The Glass Orchard", "Kestrel Awards"),
    )
    stories = [library[s] for s in SITEMAP_SITE_STORIES]
    by_slug = {a.slug: a for a in stories}
    private = library[PRIVATE_STORY]
    private_path = f"/private/{private.slug}/"
    newest = newest_first(stories)

    home = [teaser(outlet, a) for a in newest[:4]]
    home.append(
        teaser(
            outlet,
            by_slug[TRACKED_STORY_A],
            outlet.article_path(by_slug[TRACKED_STORY_A]) + TRACKING_QUERY,
        )
    )
    home.append(
        teaser(
            outlet,
            by_slug[COMMENTS_LINK_STORY],
            outlet.article_path(by_slug[COMMENTS_LINK_STORY]) + "#comments",
        )
    )
    home.append(teaser(outlet, private, private_path))
    extra_links = [
        (PRESS_KIT_PATH, "Download our awards-season press kit (PDF)"),
        (Outlet.amp_path(by_slug[AMP_LINKED_STORY]), "Midnight at Fairmont recap (AMP)"),
    ]

    routes = article_routes(outlet, stories)
    routes[private_path] = Route.html(
        render_article(outlet, private, canonical=outlet.url(private_path))
    )
    routes |= listing_routes(
        outlet, stories, page_size=4, home_teasers=home, home_extra_links=extra_links
    )
    routes |= static_routes(outlet)
    routes |= media_routes()
    routes |= sitemap_routes_for_a(outlet, newest, private_path, private)
    routes |= robots_route([outlet.url(SITEMAP_INDEX_PATH)], disallow=["/private/", "/wp-admin/"])
    fail_path = outlet.article_path(by_slug[FAIL_ONCE_STORY])
    routes[fail_path].fail_first = 1

    def aliases(article: Article) -> list[str]:
        found = [outlet.url(Outlet.amp_path(article))]
        if article.slug == TRACKED_STORY_A:
            found.append(outlet.article_url(article) + TRACKING_QUERY)
        return found

    articles = tuple(
        expect_article(key, outlet.article_url(a), a, aliases=aliases(a)) for a in stories
    )
    return BuiltSite(
        key=key,
        routes=routes,
        expectation=SiteExpectation(
            key=key,
            name=outlet.name,
            base_url=base,
            articles=articles,
            non_articles=non_articles(
                key,
                outlet,
                routes,
                articles,
                {PRESS_KIT_PATH: BINARY, PHOTO_PATH: BINARY},
                skip={private_path},
            ),
            never_fetch=(outlet.url(private_path),),
        ),
        entry={"key": key, "name": outlet.name, "home": f"{base}/"},
    )


def sitemap_routes_for_a(
    outlet: Outlet, newest: list[Article], private_path: str, private: Article
) -> dict[str, Route]:
    """Stories spread over three sitemaps so that every one of them has to be read."""
    posts = [sitemap_entry(outlet, a) for a in newest[:5]]
    posts.append((outlet.url(private_path), private.published))
    pages = [(outlet.url(p), None) for p in ("/", "/about/", "/contact/")]
    return sitemap_routes(
        outlet,
        posts=posts,
        news=[(outlet.article_url(a), a) for a in newest[5:9]],
        archive=[sitemap_entry(outlet, a) for a in newest[9:]],
        pages=pages,
    )


# -- site B: discovery through RSS and Atom ---------------------------------------------------


def build_feed_site(base: str, library: Library) -> BuiltSite:
    key = "feedsite"
    outlet = Outlet(
        name="Encore Gazette",
        base_url=base,
        tagline="Culture, reviewed and reported",
        sections={
            "celebrity": "Celebrity",
            "film": "Film",
            "tv": "TV",
            "music": "Music",
            "culture": "Arts & Culture",
        },
        layout="publisher",
        rss_path="/feed/",
        atom_path="/atom.xml",
        tags=("Kestrel Awards",),
    )
    stories = [library[s] for s in FEED_SITE_STORIES]
    thin = [library[s] for s in FEED_SITE_THIN]
    by_slug = {a.slug: a for a in stories}
    newest = newest_first(stories)

    def rss_link(article: Article) -> str:
        # WordPress feed plugins append campaign parameters to every item link.
        query = f"utm_source=rss&utm_medium=rss&utm_campaign={article.slug}"
        return f"{outlet.article_url(article)}?{query}"

    duplicated = by_slug[DUPLICATED_STORY]
    extra_links = [
        (DUPLICATE_PATH, f"Partner pick: {duplicated.title}"),
        (FEED_MISSING_PATH, "From the archive: an exclusive we no longer stand behind"),
        (PHOTO_PATH, "Red carpet photo (full size)"),
        *((outlet.article_path(a), a.title) for a in thin),
    ]
    routes = article_routes(outlet, [*stories, *thin])
    routes |= listing_routes(outlet, [*stories, *thin], page_size=4, home_extra_links=extra_links)
    routes |= static_routes(outlet)
    routes |= media_routes()
    routes |= feed_routes(
        outlet,
        rss=[(rss_link(a), a) for a in newest[:7]],
        atom=[(outlet.article_url(a), a) for a in newest_first([*newest[7:], *thin])],
    )
    routes |= robots_route(disallow=["/search/"])
    cp1252 = by_slug[CP1252_STORY]
    page = render_article(
        outlet, cp1252, related=related_links(outlet, cp1252, stories), charset="windows-1252"
    )
    # Declared only in <meta http-equiv>; the HTTP header deliberately names no charset.
    routes[outlet.article_path(cp1252)] = Route.data(page.encode("cp1252"), "text/html")
    routes[outlet.article_path(by_slug[SLOW_STORY])].delay = SLOW_SECONDS
    # Same story, same text, its own canonical: nothing on either page points at the other.
    routes[DUPLICATE_PATH] = Route.html(
        render_article(
            outlet,
            duplicated,
            canonical=outlet.url(DUPLICATE_PATH),
            title_suffix=f" | {outlet.name} Partners",
        )
    )

    in_rss = {a.slug for a in newest[:7]}

    def expect(article: Article) -> ExpectedArticle:
        rss_aliases = [rss_link(article)] if article.slug in in_rss else []
        duplicates = [outlet.url(DUPLICATE_PATH)] if article is duplicated else []
        return expect_article(
            key,
            outlet.article_url(article),
            article,
            aliases=rss_aliases,
            duplicate_urls=duplicates,
        )

    articles = tuple(expect(a) for a in stories)
    special = {PHOTO_PATH: BINARY, PRESS_KIT_PATH: BINARY, FEED_MISSING_PATH: MISSING}
    special |= {outlet.article_path(a): THIN for a in thin}
    return BuiltSite(
        key=key,
        routes=routes,
        expectation=SiteExpectation(
            key=key,
            name=outlet.name,
            base_url=base,
            articles=articles,
            non_articles=non_articles(key, outlet, routes, articles, special),
        ),
        entry={"key": key, "name": outlet.name, "home": f"{base}/"},
    )


# -- site C: discovery by following links only -------------------------------------------------


def build_link_site(base: str, library: Library) -> BuiltSite:
    key = "linksite"
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
    stories = [library[s] for s in LINK_SITE_STORIES]
    by_slug = {a.slug: a for a in stories}
    tracked = by_slug[TRACKED_STORY_C]
    redirected = by_slug[REDIRECTED_STORY]
    commented = by_slug[LINK_SITE_STORIES[0]]
    home = [teaser(outlet, a) for a in newest_first(stories)[:3]]
    extra_links = [
        (outlet.article_path(tracked) + TRACKING_QUERY, f"Trending: {tracked.title}"),
        (outlet.article_path(commented) + "#comments", f"Comments: {commented.title}"),
        (REDIRECT_CHAIN[0], "Throwback: the laundromat is back"),
        (LINK_MISSING_PATH, "That rumor everyone was talking about"),
    ]
    routes = article_routes(outlet, stories)
    routes |= listing_routes(
        outlet, stories, page_size=2, home_teasers=home, home_extra_links=extra_links
    )
    routes |= static_routes(outlet)
    routes |= robots_route()
    routes[REDIRECT_CHAIN[0]] = Route.to(REDIRECT_CHAIN[1], status=301)
    routes[REDIRECT_CHAIN[1]] = Route.to(outlet.article_url(redirected), status=302)
    broken_path = outlet.article_path(by_slug[BROKEN_STORY])
    routes[broken_path] = Route.html(break_html(routes[broken_path].body.decode("utf-8")))

    def aliases(article: Article) -> list[str]:
        if article is tracked:
            return [outlet.article_url(article) + TRACKING_QUERY]
        if article is redirected:
            return [outlet.url(p) for p in REDIRECT_CHAIN]
        return []

    extra = (SHOP_THE_LOOK_TEXT,)
    articles = tuple(
        expect_article(key, outlet.article_url(a), a, aliases=aliases(a), extra_boilerplate=extra)
        for a in stories
    )
    return BuiltSite(
        key=key,
        routes=routes,
        expectation=SiteExpectation(
            key=key,
            name=outlet.name,
            base_url=base,
            articles=articles,
            non_articles=non_articles(key, outlet, routes, articles, {LINK_MISSING_PATH: MISSING}),
        ),
        entry={
            "key": key,
            "name": outlet.name,
            "home": f"{base}/",
            "sections": [outlet.url(Outlet.section_path(s)) for s in outlet.sections],
            "sitemaps": [outlet.url(WRONG_SITEMAP_HINT)],
            "extra_boilerplate": [".shop-the-look"],
            "language": "en",
        },
    )


def break_html(html: str) -> str:
    """Damage a page the way real CMS output is damaged, keeping the story readable by a
    forgiving parser: no closing </p>, stray </div>s, an unclosed wrapper, no </body></html>."""
    html = html.replace("</p>", "")
    html = html.replace('<h2 class="subhead">', '</div></div><h2 class="subhead">', 1)
    html = html.replace(
        '<div class="story">', '<div class="promo-strip"><span class="promo"><div class="story">', 1
    )
    html = re.sub(r"</body>\s*</html>\s*$", "", html)
    return html


# -- shared -----------------------------------------------------------------------------------


def non_articles(
    key: str,
    outlet: Outlet,
    routes: dict[str, Route],
    articles: tuple[ExpectedArticle, ...],
    special: dict[str, str],
    skip: Collection[str] = (),
) -> tuple[NonArticle, ...]:
    """The `special` paths with their category, plus every other HTML page of the site that is
    not an expected article (or one of its aliases/duplicates, or in `skip`), classified by path."""
    covered = set(skip)
    for article in articles:
        covered |= {urlsplit(u).path for u in (*article.urls, *article.aliases)}
    found = dict(special)
    for path, route in routes.items():
        if (
            path in found
            or path in covered
            or not route.headers.get("Content-Type", "").startswith("text/html")
        ):
            continue
        if path.startswith(("/tag/", "/author/")):
            found[path] = TAXONOMY
        elif path in ("/about/", "/contact/"):
            found[path] = STATIC
        elif path == "/" or path.split("/")[1] in outlet.sections:
            found[path] = LISTING
        else:
            raise ValueError(
                f"{key}: page {path} is neither an expected article nor a known non-article"
            )
    return tuple(
        NonArticle(key, outlet.url(path), category) for path, category in sorted(found.items())
    )


SITE_BUILDERS: dict[str, Callable[[str, Library], BuiltSite]] = {
    "sitemapsite": build_sitemap_site,
    "feedsite": build_feed_site,
    "linksite": build_link_site,
}
