"""The page's own-site links, returned for the crawl's link following only when asked."""

from __future__ import annotations

from newscrawl.extract import SiteContext, extract_article

PAGE = b"""<html><head><title>Story | Gazette</title></head><body><article>
<h1>Story</h1><p>The premiere went ahead on Friday despite the storm, and every seat was sold
out long before the doors opened at the old theatre.</p>
<p>Related: <a href="/2024/05/02/other-story/">another story</a>,
<a href="https://gazette.example/2024/05/03/third-story/#top">a third</a>,
<a href="https://elsewhere.example/2024/05/04/foreign/">a foreign one</a>,
<a href="http://[broken">a broken one</a>.</p></article></body></html>"""
URL = "https://gazette.example/2024/05/01/story/"
HOSTS = frozenset({"gazette.example"})


def test_links_to_the_site_are_returned_when_asked() -> None:
    result = extract_article(PAGE, URL, site=SiteContext(allowed_hosts=HOSTS,
                                                         collect_links=True))
    assert result.links == ("https://gazette.example/2024/05/02/other-story/",
                            "https://gazette.example/2024/05/03/third-story/")


def test_no_links_are_read_unless_asked() -> None:
    assert extract_article(PAGE, URL, site=SiteContext(allowed_hosts=HOSTS)).links == ()
