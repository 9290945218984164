"""Checks of the local news network itself (not of the crawler): the servers answer as
builder.py promises, and expected.py agrees with the pages that are actually served.

If these fail, a crawler test failing on the same network says nothing about the crawler.
"""

from __future__ import annotations

import gzip
import html
import http.client
import re
import time
import tomllib
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from email.message import Message
from urllib.parse import urlsplit

import pytest

from newscrawl.demo.content import demo_articles
from newscrawl.demo.site import (
    ARCHIVE_SITEMAP_PATH,
    NEWS_SITEMAP_PATH,
    POST_SITEMAP_PATH,
    SITEMAP_INDEX_PATH,
    start_demo_site,
)
from tests.network import NewsNetwork
from tests.network.expected import BINARY, CATEGORIES, MISSING, THIN
from tests.network.plan import (
    CP1252_STORY,
    DUPLICATE_PATH,
    FAIL_ONCE_STORY,
    HOSTS,
    REDIRECT_CHAIN,
    REDIRECTED_STORY,
    SAME_EVENT,
    SLOW_SECONDS,
    SLOW_STORY,
    SYNDICATED,
)

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(url: str, method: str = "GET") -> tuple[int, Message, bytes]:
    """(status, headers, body) without raising on 4xx/5xx; redirects are followed."""
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def fetch_no_redirect(url: str) -> tuple[int, str | None]:
    """(status, Location header) of one request, redirects not followed."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location")
    finally:
        connection.close()


def page_text(raw: bytes, charset: str = "utf-8") -> str:
    return html.unescape(raw.decode(charset))


def test_every_site_answers_on_its_own_loopback_address(news_network: NewsNetwork) -> None:
    assert set(news_network.sites) == set(HOSTS)
    for key, base in news_network.sites.items():
        assert urlsplit(base).hostname == HOSTS[key]
        status, headers, body = fetch(base + "/")
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")
        assert b"<title>" in body
    assert fetch(news_network.url("linksite", "/no-such-page/"))[0] == 404


def test_sites_file_follows_the_project_format(news_network: NewsNetwork) -> None:
    data = tomllib.loads(news_network.sites_file.read_text(encoding="utf-8"))
    entries = {entry["key"]: entry for entry in data["site"]}
    assert set(entries) == set(HOSTS)
    for key, entry in entries.items():
        assert entry["home"] == news_network.sites[key] + "/"
        assert entry["name"]
    assert set(entries["sitemapsite"]) == {"key", "name", "home"}  # discovery from robots only
    assert set(entries["feedsite"]) == {"key", "name", "home"}
    linksite = entries["linksite"]
    assert len(linksite["sections"]) == 2
    assert all(fetch(url)[0] == 200 for url in linksite["sections"])
    assert [fetch(url)[0] for url in linksite["sitemaps"]] == [404]  # the deliberately wrong hint


def test_robots_files_say_what_each_site_needs(news_network: NewsNetwork) -> None:
    robots_a = fetch(news_network.url("sitemapsite", "/robots.txt"))[2].decode()
    assert f"Sitemap: {news_network.url('sitemapsite', SITEMAP_INDEX_PATH)}" in robots_a
    assert "Disallow: /private/" in robots_a
    private = news_network.expected.sites["sitemapsite"].never_fetch
    assert all(urlsplit(url).path.startswith("/private/") for url in private) and private
    robots_b = fetch(news_network.url("feedsite", "/robots.txt"))[2].decode()
    assert "Sitemap:" not in robots_b
    for path in ("/sitemap.xml", SITEMAP_INDEX_PATH, "/sitemap-index.xml"):
        assert fetch(news_network.url("feedsite", path))[0] == 404


def _locs(xml: bytes) -> list[str]:
    return [el.text or "" for el in ET.fromstring(xml).iter(f"{SM}loc")]


def test_sitemaps_of_site_a_cover_every_article_and_the_private_one(
    news_network: NewsNetwork,
) -> None:
    site = news_network.expected.sites["sitemapsite"]
    index = _locs(fetch(news_network.url("sitemapsite", SITEMAP_INDEX_PATH))[2])
    assert len(index) == 4
    posts = fetch(news_network.url("sitemapsite", POST_SITEMAP_PATH))[2]
    assert len(list(ET.fromstring(posts).iter(f"{SM}lastmod"))) == len(_locs(posts))
    news = ET.fromstring(fetch(news_network.url("sitemapsite", NEWS_SITEMAP_PATH))[2])
    assert (
        len(list(news.iter(f"{NEWS}publication_date"))) == len(list(news.iter(f"{NEWS}title"))) == 4
    )
    status, headers, raw = fetch(news_network.url("sitemapsite", ARCHIVE_SITEMAP_PATH))
    assert status == 200 and headers["Content-Type"] == "application/x-gzip"
    assert "Content-Encoding" not in headers
    archive = gzip.decompress(raw)
    listed = {loc for child in index if not child.endswith(".gz") for loc in _locs(fetch(child)[2])}
    listed |= set(_locs(archive))
    assert {a.url for a in site.articles} <= listed
    assert set(site.never_fetch) <= listed  # listed by mistake: robots must still win


def test_feeds_of_site_b_cover_every_article(news_network: NewsNetwork) -> None:
    site = news_network.expected.sites["feedsite"]
    home = fetch(news_network.url("feedsite", "/"))[2].decode()
    assert 'type="application/rss+xml"' in home and 'type="application/atom+xml"' in home
    rss_status, rss_headers, rss = fetch(news_network.url("feedsite", "/feed/"))
    assert rss_status == 200 and rss_headers["Content-Type"].startswith("application/rss+xml")
    rss_links = [el.text or "" for el in ET.fromstring(rss).iter("link")][1:]  # [0] is the channel
    assert rss_links and all("utm_source=rss" in link for link in rss_links)
    atom = ET.fromstring(fetch(news_network.url("feedsite", "/atom.xml"))[2])
    atom_links = [
        el.get("href") for el in atom.iter(f"{ATOM}entry") for el in el.iter(f"{ATOM}link")
    ]
    in_feeds = {link.split("?")[0] for link in rss_links} | set(atom_links)
    assert {a.url for a in site.articles} <= in_feeds
    thin = {n.url for n in site.non_articles if n.category == THIN}
    assert thin and thin <= in_feeds


def test_cp1252_page_is_declared_only_in_meta(news_network: NewsNetwork) -> None:
    expected = news_network.expected.article("feedsite", CP1252_STORY)
    status, headers, raw = fetch(expected.url)
    assert status == 200
    assert headers["Content-Type"] == "text/html"  # no charset in the header
    assert b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">' in raw
    assert b"<meta charset" not in raw
    for cp1252_char in (b"\xe9", b"\x92", b"\x93", b"\x94"):  # é ’ “ ”
        assert cp1252_char in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = page_text(raw, "cp1252")
    assert any(not s.isascii() for s in expected.text_snippets)
    assert all(s in text for s in expected.text_snippets)


def test_fail_first_answers_500_once_then_the_page(news_network: NewsNetwork) -> None:
    url = news_network.expected.article("sitemapsite", FAIL_ONCE_STORY).url
    assert fetch(url)[0] == 500
    assert fetch(url)[0] == 200
    assert news_network.servers["sitemapsite"].count(urlsplit(url).path) == 2


def test_slow_page_is_slow_but_answers(news_network: NewsNetwork) -> None:
    url = news_network.expected.article("feedsite", SLOW_STORY).url
    started = time.monotonic()
    assert fetch(url, method="HEAD")[0] == 200
    assert SLOW_SECONDS <= time.monotonic() - started < SLOW_SECONDS + 3


def test_redirect_chain_is_301_then_302_then_the_article(news_network: NewsNetwork) -> None:
    expected = news_network.expected.article("linksite", REDIRECTED_STORY)
    first, second = (news_network.url("linksite", p) for p in REDIRECT_CHAIN)
    assert fetch_no_redirect(first) == (301, REDIRECT_CHAIN[1])
    assert fetch_no_redirect(second) == (302, expected.url)
    assert set(expected.aliases) == {first, second}


def test_aliases_serve_the_same_story(news_network: NewsNetwork) -> None:
    for expected in news_network.expected.articles:
        for alias in expected.aliases:
            if urlsplit(alias).path.startswith("/amp/"):
                amp = fetch(alias)[2].decode()
                assert f'<link rel="canonical" href="{expected.url}">' in amp
            elif "?" in alias:
                route = news_network.servers[expected.site].routes[urlsplit(expected.url).path]
                if not (route.delay or route.fail_first):
                    assert fetch(alias)[2] == fetch(expected.url)[2] == route.body


def test_exact_duplicate_has_no_canonical_between_copies(news_network: NewsNetwork) -> None:
    expected = news_network.expected.find(news_network.url("feedsite", DUPLICATE_PATH))
    assert expected is not None and len(expected.duplicate_urls) == 1
    original = fetch(expected.url)[2].decode()
    copy = fetch(expected.duplicate_urls[0])[2].decode()
    assert f'rel="canonical" href="{expected.url}"' in original
    assert f'rel="canonical" href="{expected.duplicate_urls[0]}"' in copy
    body = original.split('data-component="article-body">')[1].split("</div>\n<div")[0]
    assert body and body in copy


def test_binary_and_missing_links_answer_as_labelled(news_network: NewsNetwork) -> None:
    for page in news_network.expected.non_articles:
        assert page.category in CATEGORIES
        status, headers, _ = fetch(page.url, method="HEAD")
        if page.category == MISSING:
            assert status == 404, page
        elif page.category == BINARY:
            assert status == 200 and headers["Content-Type"] in ("application/pdf", "image/jpeg")
        else:
            assert status == 200 and headers["Content-Type"].startswith("text/html"), page


def test_expected_records_agree_with_the_served_pages(news_network: NewsNetwork) -> None:
    # Read route bodies directly: the HTTP behaviour (slow, fail-once) is tested above.
    assert 35 <= len(news_network.expected.articles) <= 50
    for expected in news_network.expected.articles:
        server = news_network.servers[expected.site]
        route = server.routes[urlsplit(expected.url).path]
        charset = "cp1252" if expected.slug == CP1252_STORY else "utf-8"
        text = page_text(route.body, charset)
        assert f"<title>{expected.title} | " in text
        assert all(s in text for s in expected.text_snippets), expected.slug
        # Boilerplate must be on the page, or "not in the extracted text" could never fail.
        assert all(s in text for s in expected.not_in_text), expected.slug
        assert expected.published_at.utcoffset() is not None
        assert all(f">{name}</a>" in text for name in expected.authors), expected.slug


def test_broken_html_page_is_broken_and_still_holds_the_story(news_network: NewsNetwork) -> None:
    broken = news_network.expected.article("linksite", "brainstorm-lane-champion-streak-ends")
    raw = fetch(broken.url)[2].decode()
    assert "</html>" not in raw and "</body>" not in raw and "</p>" not in raw
    assert "</div></div><h2" in raw
    assert all(s in html.unescape(raw) for s in broken.text_snippets)


def test_request_log_counts_paths_methods_and_predicates(news_network: NewsNetwork) -> None:
    server = news_network.servers["linksite"]
    server.clear_requests()
    fetch(server.url("/about/"))
    fetch(server.url("/about/?utm_source=x"), method="HEAD")
    fetch(server.url("/missing/"))
    assert server.count("/about/") == 2
    assert server.count("/about/?utm_source=x") == 1
    assert server.count("/about/", method="HEAD") == 1
    assert server.count(lambda r: r.path.startswith("/missing")) == 1
    assert [r.method for r in server.requests] == ["GET", "HEAD", "GET"]
    assert all("User-Agent" in r.headers for r in server.requests)


def test_update_article_changes_page_sitemap_and_expectation(news_network: NewsNetwork) -> None:
    slug = "renee-sol-acoustic-tour-small-town-theaters"
    before = news_network.expected.article("sitemapsite", slug)
    fail_path = urlsplit(news_network.expected.article("sitemapsite", FAIL_ONCE_STORY).url).path
    assert fetch(news_network.url("sitemapsite", fail_path))[0] == 500
    new_body = ["A brand new opening paragraph about the tour being moved to September.", "More."]
    after = news_network.update_article(
        "sitemapsite", slug, title="Renée Sol Moves Her Tour", body=new_body
    )
    assert after.title == "Renée Sol Moves Her Tour" and after.url == before.url
    assert after.text_snippets[0] == "A brand new opening paragraph about the tour"
    page = page_text(fetch(after.url)[2])
    assert "<title>Renée Sol Moves Her Tour | " in page and after.text_snippets[0] in page
    assert before.text_snippets[0] not in page
    # Unchanged routes keep their fail_first state: the fail-once page does not fail again.
    assert fetch(news_network.url("sitemapsite", fail_path))[0] == 200
    news_network.reset()
    assert news_network.expected.article("sitemapsite", slug) == before
    assert before.text_snippets[0] in page_text(fetch(before.url)[2])
    with pytest.raises(KeyError):
        news_network.update_article("feedsite", slug, title="Wrong site")


def test_bundled_demo_site_serves_every_story() -> None:
    # The demo outlet is built from the same parts as the network; check its wiring once here.
    with start_demo_site() as server:
        robots = fetch(server.url("/robots.txt"))[2].decode()
        assert f"Sitemap: {server.url(SITEMAP_INDEX_PATH)}" in robots
        assert len(_locs(fetch(server.url(SITEMAP_INDEX_PATH))[2])) == 4
        home = fetch(server.url("/"))[2].decode()
        assert 'type="application/rss+xml"' in home
        for article in demo_articles():
            path = f"/{article.published:%Y/%m/%d}/{article.slug}/"
            status, _, body = fetch(server.url(path))
            assert status == 200 and f"<title>{article.title} | The Marquee Daily" in page_text(
                body
            )
        assert server.count(lambda r: r.path.startswith("/20")) == len(demo_articles())


def test_story_pairs_are_what_the_plan_says(news_network: NewsNetwork) -> None:
    expected = news_network.expected
    assert len(expected.near_duplicate_pairs) == len(SYNDICATED) >= 3
    assert len(expected.same_event_pairs) == len(SAME_EVENT) >= 3
    for wire, (original, copy) in zip(SYNDICATED, expected.near_duplicate_pairs, strict=True):
        assert original.site == wire.original_site != wire.copy_site == copy.site
        assert copy.title == wire.title != original.title
        for old, new in wire.edits:
            assert old in original.text and old not in copy.text
            assert new in copy.text
        last = original.text.split("\n\n")[-1]
        assert (last in copy.text) is not wire.trim_last, wire.copy
        assert not wire.closing or copy.text.endswith(wire.closing)
        # Each served in its own site's layout, under its own title suffix.
        pages = [page_text(fetch(article.url)[2]) for article in (original, copy)]
        layouts = [
            re.findall(r'<body class="single single-article (layout-\w+)"', p) for p in pages
        ]
        assert len(layouts[0]) == len(layouts[1]) == 1 and layouts[0] != layouts[1]
        assert f"<title>{copy.title} | " in pages[1] and f"<title>{original.title} | " in pages[0]
    for event, (first, second) in zip(SAME_EVENT, expected.same_event_pairs, strict=True):
        assert first.site != second.site
        assert event.shared_quote in first.text and event.shared_quote in second.text
        assert first.title != second.title and first.text_snippets != second.text_snippets
