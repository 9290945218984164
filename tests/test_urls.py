"""newscrawl.urls: canonical URLs, ids, domains and the same-site test."""

from __future__ import annotations

import pytest

from newscrawl.urls import canonicalize_url, domain_of, is_same_site, registered_host, url_id

ARTICLE = "https://example.com/2026/03/02/star-wins-award/"


@pytest.mark.parametrize(("url", "expected"), [
    # tracking parameters go, whatever their case; what is left keeps its value
    (ARTICLE + "?utm_source=twitter&utm_medium=social&UTM_Campaign=oscars", ARTICLE),
    (ARTICLE + "?fbclid=IwAR0abc", ARTICLE),
    (ARTICLE + "?gclid=Cj0KCQ&share=facebook", ARTICLE),
    (ARTICLE + "?ref=homepage&smid=tw-share", ARTICLE),
    (ARTICLE + "#comments", ARTICLE),
    (ARTICLE + "?utm_source=x#respond", ARTICLE),
    # AMP copies point at the article they copy
    ("https://example.com/2026/03/02/star-wins-award/amp/", ARTICLE),
    ("https://example.com/news/star-wins-award/amp", "https://example.com/news/star-wins-award"),
    ("https://example.com/news/star-wins-award.amp.html",
     "https://example.com/news/star-wins-award.html"),
    ("https://example.com/news/star-wins-award.amp", "https://example.com/news/star-wins-award"),
    ("https://example.com/amp/news/star-wins-award", "https://example.com/news/star-wins-award"),
    (ARTICLE + "?amp=1", ARTICLE),
    (ARTICLE + "?amp", ARTICLE),
    # default ports, host and scheme case
    ("https://Example.COM:443/2026/03/02/star-wins-award/", ARTICLE),
    ("HTTP://EXAMPLE.com:80/news/", "http://example.com/news/"),
    # a trailing index page is the directory
    ("https://example.com/news/index.html", "https://example.com/news/"),
    ("https://example.com/index.php", "https://example.com/"),
    ("https://example.com", "https://example.com/"),
])
def test_canonicalize_url_removes_noise(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize(("url", "expected"), [
    # the article id many outlets put in the query is the article
    ("https://example.com/?p=123", "https://example.com/?p=123"),
    ("https://example.com/story?id=98765&utm_source=x", "https://example.com/story?id=98765"),
    ("https://example.com/news?page=2", "https://example.com/news?page=2"),
    # non-default ports matter (test hosts, staging)
    ("http://127.0.0.1:8080/news/", "http://127.0.0.1:8080/news/"),
    # path case and the trailing slash are the server's business
    ("https://example.com/News/Star-Wins", "https://example.com/News/Star-Wins"),
    ("https://example.com/news/star-wins/", "https://example.com/news/star-wins/"),
    # 'amp' inside a word is not an AMP marker
    ("https://example.com/news/amplified-sound-review",
     "https://example.com/news/amplified-sound-review"),
    ("https://example.com/news/camp-rock-reunion", "https://example.com/news/camp-rock-reunion"),
    ("https://example.com/index.html/extra", "https://example.com/index.html/extra"),
])
def test_canonicalize_url_keeps_meaningful_parts(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


def test_canonicalize_url_sorts_query() -> None:
    assert canonicalize_url("https://example.com/s?b=2&a=1&c=3") == \
        canonicalize_url("https://example.com/s?c=3&a=1&b=2") == "https://example.com/s?a=1&b=2&c=3"


def test_canonicalize_url_is_idempotent() -> None:
    urls = [ARTICLE + "amp/?utm_source=x&p=5#top", "HTTPS://WWW.Example.com:443/a/index.html?b=1&a=2",
            "https://example.com/news/star-wins-award.amp.html?amp=1"]
    for url in urls:
        once = canonicalize_url(url)
        assert canonicalize_url(once) == once


def test_url_id_is_stable() -> None:
    # Computed once and hard-coded: a change to the hash function or encoding changes every
    # id in every existing dataset, so it must be a deliberate schema change.
    assert url_id(ARTICLE) == "c0a7dd2b5273f089"
    assert url_id(ARTICLE) == url_id(ARTICLE)


def test_url_id_format_and_distinctness() -> None:
    ids = {url_id(f"https://example.com/news/story-{n}/") for n in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 16 and int(i, 16) >= 0 for i in ids)


def test_url_id_of_variants_agree_after_canonicalisation() -> None:
    variants = [ARTICLE, ARTICLE + "amp/", ARTICLE + "?utm_source=x", ARTICLE + "#comments",
                "https://EXAMPLE.com:443/2026/03/02/star-wins-award/?fbclid=1"]
    assert {url_id(canonicalize_url(v)) for v in variants} == {url_id(ARTICLE)}


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.example.com/news/", "example.com"),
    ("https://WWW.Example.COM:8443/x", "example.com"),
    ("https://m.example.com/x", "m.example.com"),
    ("https://www2.example.com/x", "www2.example.com"),
    ("http://127.0.0.1:8080/x", "127.0.0.1"),
])
def test_domain_of(url: str, expected: str) -> None:
    assert domain_of(url) == expected


def test_registered_host_keeps_port() -> None:
    assert registered_host("http://www.Example.com:8080/x") == "example.com:8080"
    assert registered_host("https://example.com/x") == "example.com"


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.com/news/", True),
    ("https://www.example.com/news/", True),
    ("https://EXAMPLE.com/news/", True),
    ("https://m.example.com/news/", True),
    ("https://amp.news.example.com/news/", True),
    ("https://example.com:8443/news/", False),    # another port is another server
    ("https://notexample.com/news/", False),      # suffix of the name, not a subdomain
    ("https://example.com.evil.test/news/", False),
    ("https://other.test/news/", False),
])
def test_is_same_site(url: str, expected: bool) -> None:
    assert is_same_site(url, frozenset({"example.com"})) is expected


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:8080/news/", True),
    ("http://127.0.0.1:8081/news/", False),
    ("http://127.0.0.1/news/", False),
])
def test_is_same_site_with_port(url: str, expected: bool) -> None:
    assert is_same_site(url, frozenset({"127.0.0.1:8080"})) is expected


@pytest.mark.parametrize("url", ["https://example.com:abc/news/", "https://example.com:99999/x"])
def test_is_same_site_malformed_port_is_not_same_site(url: str) -> None:
    assert is_same_site(url, frozenset({"example.com"})) is False
