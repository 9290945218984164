"""newscrawl.discovery.links: link classification and link extraction from listing pages."""

from __future__ import annotations

import re

import pytest
from lxml import html

from newscrawl.discovery.links import (
    classify_link,
    feed_links,
    looks_like_article,
    next_page_links,
    page_links,
)

BASE = "https://gossipwire.example"


@pytest.mark.parametrize(("path", "expected"), [
    ("/2026/03/02/juniper-reyes-engaged/", "article"),
    ("/news/juniper-reyes-says-yes-to-longtime-love", "article"),
    ("/celebrity/juniper-reyes-engaged-8612345", "article"),
    ("/news/1412345/juniper-reyes", "article"),
    ("/news/20260302/juniper", "article"),
    ("/2026-03-02-juniper-reyes", "article"),
    ("/", "listing"),
    ("/tv/", "listing"),
    ("/news/", "listing"),
    ("/news/page/2/", "listing"),
    ("/news?page=3", "listing"),
    ("/1234567", "listing"),
    ("/tag/juniper-reyes/", "skip:not_article_url"),
    ("/author/jane-doe/", "skip:not_article_url"),
    ("/category/music/", "skip:not_article_url"),
    ("/newsletters", "skip:not_article_url"),
    ("/about-us", "skip:not_article_url"),
    ("/feed/", "skip:not_article_url"),
    ("/search?q=juniper", "skip:not_article_url"),
    ("/?s=juniper+reyes", "skip:not_article_url"),
    ("/wp-content/uploads/2026/03/ring.jpg", "skip:non_html_link"),
    ("/press/kit.PDF", "skip:non_html_link"),
    ("/sitemap.xml", "skip:non_html_link"),
])
def test_classify_link_by_shape(path: str, expected: str) -> None:
    assert classify_link(BASE + path) == expected


ALLOW = (re.compile(r"^/\d{4}/\d{2}/\d{2}/"),)
DENY = (re.compile(r"^/videos?/"),)


@pytest.mark.parametrize(("path", "expected"), [
    ("/2026/03/02/x/", "article"),                # allow matches a URL shape alone would miss
    ("/video/2026/03/02/x/", "skip:denied_by_site"),
    ("/videos/juniper-reyes-ring-reveal-clip", "skip:denied_by_site"),
    ("/news/page/2/", "listing"),
    ("/news/", "listing"),
    ("/video/page/2/", "skip:denied_by_site"),    # deny beats pagination
    ("/ring.png", "skip:non_html_link"),
])
def test_classify_link_with_site_patterns(path: str, expected: str) -> None:
    assert classify_link(BASE + path, ALLOW, DENY) == expected


def test_allow_sees_the_query() -> None:
    allow = (re.compile(r"[?&]p=\d+$"),)
    assert classify_link(BASE + "/?p=48213", allow) == "article"
    assert classify_link(BASE + "/?p=48213") == "listing"


@pytest.mark.parametrize(("path", "expected"), [
    ("/2026/03/02/juniper/", True),
    ("/2026/3/x", True),
    ("/2026/03/", False),                         # a month archive, not an article
    ("/news/juniper-reyes-says-yes", True),
    ("/news/juniper-reyes-says-yes.html", True),
    ("/news/juniper-reyes", False),
    ("/gallery/12345", True),
    ("/12345", False),
    ("/tv", False),
    ("/", False),
    ("", False),
])
def test_looks_like_article(path: str, expected: bool) -> None:
    assert looks_like_article(path) is expected


LISTING = """<!DOCTYPE html>
<html><head>
<title>Music | Gossip Wire</title>
<link rel="stylesheet" href="/static/site.css">
<link rel="alternate" type="application/rss+xml" title="Gossip Wire" href="/feed/">
<link rel="alternate" type="application/atom+xml" href="https://gossipwire.example/atom.xml">
<link rel="Alternate" type="application/rss+xml" href="/music/feed/">
<link rel="alternate" hreflang="es" href="https://gossipwire.example/es/music/">
<link rel="alternate" type="application/json+oembed" href="/oembed?url=x">
<link rel="next" href="/music/page/2/">
</head><body>
<nav><a href="/">Home</a> <a href="/music/">Music</a> <a href="#main">Skip</a></nav>
<main id="main">
  <h2><a href="/2026/03/02/juniper-reyes-engaged/#comments">Juniper Reyes Is Engaged!</a></h2>
  <h2><a href="https://gossipwire.example/2026/03/02/juniper-reyes-engaged/">Again</a></h2>
  <h2><a href=" 2026/03/01/tour-dates ">Relative</a></h2>
  <a href="//cdn.gossipwire.example/promo">Protocol-relative</a>
  <a href="javascript:void(0)">Share</a> <a href="mailto:tips@gossipwire.example">Tips</a>
  <a href="tel:+15550100">Call</a> <a href="data:text/plain,hi">Data</a>
  <a href="ftp://gossipwire.example/files">FTP</a> <a>No href</a> <a href="">Empty</a>
  <a rel="nofollow next" href="/music/page/2/">Older posts</a>
  <a rel="prev" href="/music/">Newer posts</a>
</main></body></html>"""


def test_page_links() -> None:
    tree = html.fromstring(LISTING)
    assert page_links(tree, "https://gossipwire.example/music/") == [
        "https://gossipwire.example/",
        "https://gossipwire.example/music/",
        "https://gossipwire.example/2026/03/02/juniper-reyes-engaged/",
        "https://gossipwire.example/music/2026/03/01/tour-dates",
        "https://cdn.gossipwire.example/promo",
        "https://gossipwire.example/music/page/2/",
    ]


def test_page_links_respect_base_href() -> None:
    tree = html.fromstring('<html><head><base href="https://gossipwire.example/news/"></head>'
                           '<body><a href="story-one">1</a><a href="/story-two">2</a>'
                           '</body></html>')
    assert page_links(tree, "https://gossipwire.example/index.html") == [
        "https://gossipwire.example/news/story-one", "https://gossipwire.example/story-two"]


def test_next_page_links() -> None:
    tree = html.fromstring(LISTING)
    assert next_page_links(tree, "https://gossipwire.example/music/") == [
        "https://gossipwire.example/music/page/2/", "https://gossipwire.example/music/page/2/"]
    assert next_page_links(html.fromstring("<p><a href='/x'>x</a></p>"), BASE + "/") == []


def test_feed_links() -> None:
    tree = html.fromstring(LISTING)
    assert feed_links(tree, "https://gossipwire.example/music/") == [
        "https://gossipwire.example/feed/",
        "https://gossipwire.example/atom.xml",
        "https://gossipwire.example/music/feed/",
    ]


def test_next_page_links_respect_base_href() -> None:
    tree = html.fromstring('<html><head><base href="https://gossipwire.example/music/"></head>'
                           '<body><a rel="next" href="page/2/">Older</a></body></html>')
    assert next_page_links(tree, "https://gossipwire.example/index.php") == [
        "https://gossipwire.example/music/page/2/"]
