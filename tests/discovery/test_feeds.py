"""newscrawl.discovery.feeds: RSS 2.0, Atom and RSS 1.0 (RDF) feeds."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from newscrawl.discovery.feeds import parse_feed

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Gossip Wire</title>
  <link>https://gossipwire.example/</link>
  <atom:link href="https://gossipwire.example/feed/" rel="self" type="application/rss+xml"/>
  <item>
    <title>Juniper Reyes Is Engaged!</title>
    <link>https://gossipwire.example/2026/03/02/juniper-reyes-engaged/</link>
    <pubDate>Mon, 02 Mar 2026 21:30:00 -0500</pubDate>
    <dc:creator><![CDATA[Jane Doe]]></dc:creator>
    <dc:creator>John Roe</dc:creator>
    <guid isPermaLink="false">https://gossipwire.example/?p=48213</guid>
    <content:encoded><![CDATA[<p>The pop star said yes.</p>]]></content:encoded>
  </item>
  <item>
    <title>Permalink Only</title>
    <guid isPermaLink="true">https://gossipwire.example/2026/03/01/permalink-only/</guid>
    <pubDate>Sun, 01 Mar 2026 10:00:00 GMT</pubDate>
  </item>
  <item>
    <title>No Address At All</title>
    <guid isPermaLink="false">gossipwire-48100</guid>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Silver Screen Daily</title>
  <link rel="self" href="https://silverscreen.example/atom.xml"/>
  <entry>
    <title>Marlowe Quinn Joins &#8216;The Lantern Keepers&#8217;</title>
    <link rel="edit" href="https://silverscreen.example/wp-admin/post.php?post=7"/>
    <link rel="replies" href="https://silverscreen.example/2026/03/02/quinn/#comments"/>
    <link rel="alternate" type="text/html" href="https://silverscreen.example/2026/03/02/quinn/"/>
    <published>2026-03-02T21:30:00-05:00</published>
    <updated>2026-03-03T08:00:00Z</updated>
    <author><name>Jane Doe</name><uri>https://silverscreen.example/author/jane-doe/</uri></author>
    <author><name>John Roe</name></author>
  </entry>
  <entry>
    <title>Updated Only</title>
    <link href="https://silverscreen.example/2026/03/01/updated-only/"/>
    <updated>2026-03-01T08:00:00Z</updated>
  </entry>
  <entry><title>Linkless</title><updated>2026-03-01T08:00:00Z</updated></entry>
</feed>
"""

RDF = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://tvlines.example/">
    <title>TV Lines</title><link>https://tvlines.example/</link>
  </channel>
  <item rdf:about="https://tvlines.example/harbor-lights-renewed">
    <title>Harbor Lights Renewed for Season 3</title>
    <link>https://tvlines.example/harbor-lights-renewed</link>
    <dc:date>2026-03-02T10:00:00+09:00</dc:date>
    <dc:creator>Ann Poe</dc:creator>
  </item>
</rdf:RDF>
"""


def test_rss2() -> None:
    feed = parse_feed(RSS)
    assert feed is not None
    assert [(c.url, c.title, c.published_at, c.authors, c.via) for c in feed] == [
        ("https://gossipwire.example/2026/03/02/juniper-reyes-engaged/",
         "Juniper Reyes Is Engaged!", datetime(2026, 3, 3, 2, 30, tzinfo=UTC),
         ("Jane Doe", "John Roe"), "feed"),
        # no <link>: a URL-shaped guid stands in
        ("https://gossipwire.example/2026/03/01/permalink-only/", "Permalink Only",
         datetime(2026, 3, 1, 10, 0, tzinfo=UTC), (), "feed"),
    ]


def test_atom() -> None:
    feed = parse_feed(ATOM)
    assert feed is not None
    first, second = feed
    # rel=alternate wins over edit/replies links listed before it
    assert first.url == "https://silverscreen.example/2026/03/02/quinn/"
    assert first.title == "Marlowe Quinn Joins ‘The Lantern Keepers’"
    assert first.published_at == datetime(2026, 3, 3, 2, 30, tzinfo=UTC)
    assert first.lastmod == datetime(2026, 3, 3, 8, 0, tzinfo=UTC)
    assert first.authors == ("Jane Doe", "John Roe")
    # a link without rel is the alternate; without <published>, <updated> dates the entry
    assert second.url == "https://silverscreen.example/2026/03/01/updated-only/"
    assert second.published_at == second.lastmod == datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    assert second.authors == ()


def test_rss1_rdf() -> None:
    feed = parse_feed(RDF)
    assert feed is not None
    [item] = feed
    assert item.url == "https://tvlines.example/harbor-lights-renewed"
    assert item.title == "Harbor Lights Renewed for Season 3"
    assert item.published_at == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert item.authors == ("Ann Poe",)


def test_gzipped_feed() -> None:
    assert parse_feed(gzip.compress(RSS)) == parse_feed(RSS)


def test_empty_feed_is_a_feed() -> None:
    assert parse_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>') == []


@pytest.mark.parametrize("body", [
    b"<!DOCTYPE html><html><head><title>Gossip Wire</title></head><body><p>Hi</p></body></html>",
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/a'
    b"</loc></url></urlset>",
    b"",
    b"\x00\x01\x02\xff not xml",
    b'{"items": []}',
])
def test_not_a_feed(body: bytes) -> None:
    assert parse_feed(body) is None
