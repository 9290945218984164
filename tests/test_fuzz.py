"""Property-based tests: random HTML, JSON-LD, sitemaps and feeds never make a parser raise,
and every example finishes within the deadline (hypothesis fails an example that runs over
it, so a quadratic or exponential path shows up as a failure, not as a slow suite)."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta
from html import escape
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from newscrawl.discovery.feeds import parse_feed
from newscrawl.discovery.sitemaps import parse_sitemap
from newscrawl.extract import extract_article
from newscrawl.extract.decode import decode_html
from newscrawl.extract.jsonld import _load, read_jsonld

URL = "https://gossipwire.example/2026/03/02/a-story/"

# Generous per example (the machine is shared): a page takes ~30 ms; only a pathological
# path reaches seconds. No example database: a run leaves nothing behind to replay. The
# too_slow health check is about generating the inputs (nested documents), not the code
# under test, which the deadline bounds.
BOUNDED = settings(deadline=timedelta(seconds=5), max_examples=150, database=None,
                   suppress_health_check=[HealthCheck.too_slow])

TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
WORDS = st.sampled_from([
    "Jane Doe", "By John Roe", "2026-03-02", "2026-03-02T21:30:00-05:00", "Mon, 02 Mar 2026",
    "yesterday", "Staff", "<b>bold</b>", "&amp;", "&#x0;", "https://gossipwire.example/x/",
    "/relative/", "javascript:alert(1)", "", " ", "\u200b", "\x00", "]]>", "<!--", "NaN",
    "99999-99-99", "1899-12-31", "9999-12-31T23:59:59+14:00",
])
FIELD = st.one_of(TEXT, WORDS)


# --- HTML -------------------------------------------------------------------------------

HTML_TAGS = ["div", "p", "span", "article", "main", "section", "h1", "h2", "a", "time", "ul",
             "li", "table", "tr", "td", "figure", "figcaption", "img", "nav", "footer",
             "header", "aside", "b", "strong", "br", "noscript", "template", "svg", "iframe",
             "blockquote", "address", "button", "form", "script", "style"]
ATTRS = ["class", "id", "href", "rel", "itemprop", "itemtype", "itemscope", "datetime",
         "content", "name", "property", "src", "type", "hidden", "style", "role"]


def _element(tag: str, attrs: dict[str, str], children: list[str]) -> str:
    rendered = "".join(f' {k}="{escape(v)}"' for k, v in attrs.items())
    return f"<{tag}{rendered}>{''.join(children)}</{tag}>"


NODES = st.recursive(
    st.one_of(FIELD.map(escape), FIELD, st.just("<p>" + "A sentence of the story. " * 20 + "</p>")),
    lambda children: st.builds(_element, st.sampled_from(HTML_TAGS),
                               st.dictionaries(st.sampled_from(ATTRS), FIELD, max_size=3),
                               st.lists(children, max_size=4)),
    max_leaves=30,
)
META = st.builds(
    lambda name, value: f'<meta {name} content="{escape(value)}">',
    st.sampled_from(['property="og:title"', 'name="author"', 'property="article:published_time"',
                     'name="description"', 'property="og:type"', 'name="keywords"',
                     'property="article:section"', 'http-equiv="content-type"', 'charset="x"',
                     'property="og:image"', 'name="date"', 'http-equiv="refresh"']),
    FIELD)


@st.composite
def pages(draw: st.DrawFn) -> bytes:
    """An HTML page assembled from random pieces around an article's usual markup."""
    head = "".join(draw(st.lists(META, max_size=6)))
    title = draw(FIELD)
    body = "".join(draw(st.lists(NODES, max_size=6)))
    doc = (f"<!DOCTYPE html><html lang=\"{escape(draw(FIELD))}\"><head><title>{title}</title>"
           f"{head}</head><body>{body}</body></html>")
    encoding = draw(st.sampled_from(["utf-8", "utf-16", "cp1252", "latin-1"]))
    return doc.encode(encoding, "replace")


@BOUNDED
@given(body=pages(), content_type=st.sampled_from(
    [None, "text/html", "text/html; charset=utf-16", "text/html; charset=bogus",
     "application/xhtml+xml; charset=iso-8859-1"]))
def test_random_html_never_raises(body: bytes, content_type: str | None) -> None:
    result = extract_article(body, URL, content_type=content_type)
    assert (result.record is None) != (result.reason is None)
    if result.record is not None:
        assert len(result.record["title"]) <= 500 and result.record["text"]


@BOUNDED
@given(body=st.binary(max_size=3000))
def test_random_bytes_never_raise(body: bytes) -> None:
    result = extract_article(body, URL)
    assert (result.record is None) != (result.reason is None)
    text, encoding = decode_html(body, "text/html; charset=utf-16")
    assert isinstance(text, str) and encoding


# --- JSON-LD ----------------------------------------------------------------------------

JSONLD_KEYS = st.sampled_from([
    "@type", "@graph", "@id", "@context", "@value", "headline", "name", "author", "creator",
    "datePublished", "dateCreated", "dateModified", "publisher", "image", "url", "keywords",
    "articleSection", "mainEntity", "mainEntityOfPage", "itemListElement", "articleBody",
    "inLanguage", "description", "givenName", "familyName"]) | TEXT
JSONLD_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), FIELD,
    st.sampled_from(["NewsArticle", "Article", "Person", "Organization", "CollectionPage",
                     "VideoObject", "https://schema.org/BlogPosting", "#author"]))
JSON_VALUES = st.recursive(
    JSONLD_SCALARS,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(JSONLD_KEYS, children,
                                                                      max_size=6),
    max_leaves=40,
)


def _page_with_jsonld(blocks: list[str]) -> bytes:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return (f"<html><head><title>A story</title>{scripts}</head><body><article><h1>A story</h1>"
            f"<p>{'The star spoke to fans at the premiere. ' * 40}</p></article></body></html>"
            ).encode("utf-8", "replace")


@BOUNDED
@given(blocks=st.lists(JSON_VALUES.map(json.dumps) | TEXT, min_size=1, max_size=3))
def test_random_jsonld_never_raises(blocks: list[str]) -> None:
    page = _page_with_jsonld(blocks)
    article = read_jsonld(html.fromstring(page))
    assert all(isinstance(name, str) for name in article.authors)
    result = extract_article(page, URL)
    # The page's own story stays, unless the JSON-LD declares the page a collection.
    assert result.record is not None or result.reason == "listing_page", result.reason


@BOUNDED
@given(raw=st.text(st.sampled_from('[]{}",:\\ 0a\n'), max_size=3000)
       | st.integers(1, 50_000).map(lambda n: "[" * n + "]" * n)
       | st.integers(1, 50_000).map(lambda n: '{"a":' * n))
def test_random_json_text_never_raises(raw: str) -> None:
    _load(raw)


# --- sitemaps and feeds -----------------------------------------------------------------

SITEMAP_TAGS = ["urlset", "url", "loc", "lastmod", "sitemapindex", "sitemap", "news:news",
                "news:publication_date", "news:title", "changefreq", "image:image"]
FEED_TAGS = ["rss", "channel", "item", "link", "guid", "pubDate", "title", "dc:creator",
             "author", "name", "feed", "entry", "published", "updated", "content:encoded",
             "rdf:RDF", "dc:date", "summary"]
NAMESPACES = (' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
              ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
              ' xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'
              ' xmlns:dc="http://purl.org/dc/elements/1.1/"'
              ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
              ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"')


def xml_documents(tags: list[str]) -> st.SearchStrategy[bytes]:
    leaf = st.one_of(FIELD.map(escape), FIELD, st.just("<![CDATA[x]]>"), st.just("&ent;"))
    nodes = st.recursive(
        leaf,
        lambda children: st.builds(
            lambda tag, attrs, kids: _element(tag, attrs, kids), st.sampled_from(tags),
            st.dictionaries(st.sampled_from(["href", "rel", "type", "isPermaLink"]), FIELD,
                            max_size=2),
            st.lists(children, max_size=5)),
        max_leaves=40,
    )

    @st.composite
    def documents(draw: st.DrawFn) -> bytes:
        root = draw(st.sampled_from(tags[:1] + tags))
        inner = "".join(draw(st.lists(nodes, max_size=6)))
        prolog = draw(st.sampled_from([
            "", '<?xml version="1.0" encoding="UTF-8"?>',
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY ent "boom">]>',
            '<?xml version="1.0" encoding="ISO-8859-1"?>']))
        data = f"{prolog}<{root}{NAMESPACES}>{inner}</{root}>".encode("utf-8", "replace")
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]   # cut off mid-document
        return gzip.compress(data) if draw(st.booleans()) else data

    return documents()


@BOUNDED
@given(body=xml_documents(SITEMAP_TAGS) | st.binary(max_size=2000))
def test_random_sitemaps_never_raise(body: bytes) -> None:
    result = parse_sitemap(body)
    assert all(isinstance(c.url, str) and c.url for c in result.entries)
    assert all(isinstance(url, str) for url, _ in result.sitemaps)


@BOUNDED
@given(body=xml_documents(FEED_TAGS) | st.binary(max_size=2000))
def test_random_feeds_never_raise(body: bytes) -> None:
    candidates: list[Any] | None = parse_feed(body)
    assert candidates is None or all(isinstance(c.url, str) and c.url for c in candidates)


def test_undeclared_namespace_prefixes_are_read_not_raised() -> None:
    """Found by the fuzzer: lxml's QName raised on `<news:` and `<dc:creator>` left
    unresolved by the recovering parser."""
    feed = parse_feed(b"<rss><channel><item><link>https://gossipwire.example/a/</link>"
                      b"<dc:creator>Jane Doe</dc:creator></item></channel></rss>")
    assert feed is not None and [c.authors for c in feed] == [("Jane Doe",)]
    sitemap = parse_sitemap(b"<urlset><url><loc>https://gossipwire.example/a/</loc><news:news>"
                            b"<news:title>A story</news:title></news:news></url></urlset>")
    assert [c.title for c in sitemap.entries] == ["A story"]
    assert parse_sitemap(b"<news:").entries == [] and parse_feed(b"<dc:") is None
