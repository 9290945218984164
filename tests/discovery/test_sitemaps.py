"""newscrawl.discovery.sitemaps: sitemap indexes, urlsets, news sitemaps, robots.txt."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from newscrawl.discovery.sitemaps import maybe_gunzip, parse_sitemap, sitemaps_from_robots

INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>https://silverscreen.example/sitemap-2026-03.xml</loc>
    <lastmod>2026-03-02T10:00:00+01:00</lastmod>
  </sitemap>
  <sitemap><loc> https://silverscreen.example/sitemap-2026-02.xml </loc></sitemap>
  <sitemap><lastmod>2026-03-01</lastmod></sitemap>
</sitemapindex>
"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://silverscreen.example/2026/03/02/marlowe-quinn-lantern-keepers/</loc>
    <lastmod>2026-03-02T23:10:00-05:00</lastmod>
    <changefreq>daily</changefreq>
    <image:image><image:loc>https://cdn.silverscreen.example/quinn.jpg</image:loc></image:image>
  </url>
  <url><loc>https://silverscreen.example/2026/03/01/festival-lineup/</loc></url>
  <url><lastmod>2026-03-01</lastmod></url>
</urlset>
"""

NEWS = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://silverscreen.example/2026/03/02/marlowe-quinn-lantern-keepers/</loc>
    <news:news>
      <news:publication><news:name>Silver Screen Daily</news:name>
        <news:language>en</news:language></news:publication>
      <news:publication_date>2026-03-02T21:30:00-05:00</news:publication_date>
      <news:title>Marlowe Quinn &amp; Co. Join &#8216;The Lantern Keepers&#8217;</news:title>
    </news:news>
  </url>
</urlset>
"""

QUINN = "https://silverscreen.example/2026/03/02/marlowe-quinn-lantern-keepers/"


def test_sitemap_index() -> None:
    result = parse_sitemap(INDEX)
    assert result.error is None
    assert result.entries == []
    assert result.sitemaps == [
        ("https://silverscreen.example/sitemap-2026-03.xml",
         datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),
        ("https://silverscreen.example/sitemap-2026-02.xml", None),
    ]


def test_urlset_with_lastmod() -> None:
    result = parse_sitemap(URLSET)
    assert result.error is None
    assert result.sitemaps == []
    assert [(c.url, c.lastmod, c.published_at, c.title, c.via) for c in result.entries] == [
        (QUINN, datetime(2026, 3, 3, 4, 10, tzinfo=UTC), None, None, "sitemap"),
        ("https://silverscreen.example/2026/03/01/festival-lineup/", None, None, None, "sitemap"),
    ]


def test_google_news_sitemap() -> None:
    [entry] = parse_sitemap(NEWS).entries
    assert entry.url == QUINN
    # -05:00 at 21:30 is the next day in UTC
    assert entry.published_at == datetime(2026, 3, 3, 2, 30, tzinfo=UTC)
    assert entry.published_at.tzinfo is UTC
    assert entry.title == "Marlowe Quinn & Co. Join ‘The Lantern Keepers’"
    assert entry.lastmod is None


def test_gzipped_sitemap_parses_like_the_plain_one() -> None:
    assert parse_sitemap(gzip.compress(NEWS)) == parse_sitemap(NEWS)
    assert parse_sitemap(gzip.compress(INDEX)).sitemaps == parse_sitemap(INDEX).sitemaps


def test_maybe_gunzip() -> None:
    assert maybe_gunzip(gzip.compress(b"<urlset/>")) == b"<urlset/>"
    assert maybe_gunzip(b"<urlset/>") == b"<urlset/>"
    assert maybe_gunzip(b"\x1f\x8b\x08not really gzip") == b""


def test_namespace_less_sitemap() -> None:
    body = (b"<urlset><url><loc>https://gossip.example/a-b-c-d</loc>"
            b"<lastmod>2026-01-05</lastmod></url></urlset>")
    result = parse_sitemap(body)
    assert result.error is None
    assert [(c.url, c.lastmod) for c in result.entries] == [
        ("https://gossip.example/a-b-c-d", datetime(2026, 1, 5, tzinfo=UTC))]


def test_blank_lines_before_the_xml_declaration() -> None:
    # Some WordPress plugins print a newline before `<?xml`; the entries must survive.
    result = parse_sitemap(b"\n\n" + URLSET)
    assert [c.url for c in result.entries] == [
        QUINN, "https://silverscreen.example/2026/03/01/festival-lineup/"]


@pytest.mark.parametrize(("body", "error_starts"), [
    (b"<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>",
     "not a sitemap (root element <html>)"),
    (b'<rss version="2.0"><channel><item><link>https://x.example/a</link></item></channel></rss>',
     "not a sitemap (root element <rss>)"),
    (b"", "empty or undecodable"),
    (b"   \n", "empty or undecodable"),
    (b"\x1f\x8b\x08\x00garbage", "empty or undecodable"),
    (b"\x00\x01\x02 binary \xff\xfe", "not XML"),
    (b"Sitemap: https://x.example/sitemap.xml", "not XML"),
])
def test_not_a_sitemap_sets_error(body: bytes, error_starts: str) -> None:
    result = parse_sitemap(body)
    assert result.error is not None and result.error.startswith(error_starts)
    assert result.entries == [] and result.sitemaps == []


def test_robots_sitemaps() -> None:
    robots = (b"# robots.txt for silverscreen.example\n"
              b"User-agent: *\nDisallow: /wp-admin/\n\n"
              b"Sitemap: https://silverscreen.example/sitemap_index.xml\n"
              b"sitemap:https://silverscreen.example/news-sitemap.xml\r\n"
              b"SITEMAP:   https://silverscreen.example/video-sitemap.xml   \n"
              b"# Sitemap: https://silverscreen.example/old-sitemap.xml\n"
              b"Sitemap:\n"
              b"Disallow: /sitemap-preview/\n")
    assert sitemaps_from_robots(robots) == [
        "https://silverscreen.example/sitemap_index.xml",
        "https://silverscreen.example/news-sitemap.xml",
        "https://silverscreen.example/video-sitemap.xml",
    ]


def test_robots_without_sitemaps() -> None:
    assert sitemaps_from_robots(b"User-agent: *\nDisallow:\n") == []
    assert sitemaps_from_robots(b"\xff\xfe not text") == []


def test_robots_trailing_comment() -> None:
    robots = b"Sitemap: https://silverscreen.example/news-sitemap.xml # Google News\n"
    assert sitemaps_from_robots(robots) == ["https://silverscreen.example/news-sitemap.xml"]


def test_one_impossible_lastmod_does_not_lose_the_sitemap() -> None:
    body = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>https://gossip.example/a-b-c-d</loc>"
            b"<lastmod>0001-01-01T00:00:00+01:00</lastmod></url>"
            b"<url><loc>https://gossip.example/e-f-g-h</loc></url></urlset>")
    result = parse_sitemap(body)
    assert [(c.url, c.lastmod) for c in result.entries] == [
        ("https://gossip.example/a-b-c-d", None), ("https://gossip.example/e-f-g-h", None)]
