"""Meta-refresh redirects are followed as Scrapy follows them, without decoding other pages."""

from __future__ import annotations

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.settings import Settings

from newscrawl.crawl.refresh import QuickMetaRefreshMiddleware, may_hold_refresh

URL = "http://gossipwire.example/2026/03/02/premiere-night/"
FILLER = "<p>The premiere ran late, and nobody in the foyer minded very much.</p>" * 400


def middleware(cls: type[MetaRefreshMiddleware] = QuickMetaRefreshMiddleware,
               ) -> MetaRefreshMiddleware:
    crawler = Crawler(Spider, Settings())  # Scrapy's defaults; no engine is needed here
    crawler.spider = Spider("news")
    return cls.from_crawler(crawler)


def page(head: str, encoding: str = "utf-8") -> HtmlResponse:
    html = f"<html><head>{head}</head><body>{FILLER}</body></html>"
    return HtmlResponse(URL, body=html.encode(encoding), encoding=encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("tag", [
    '<meta http-equiv="refresh" content="0; url=/2026/03/02/premiere-night-updated/">',
    '<META HTTP-EQUIV="Refresh" CONTENT="0;URL=/2026/03/02/premiere-night-updated/">'])
def test_a_refresh_tag_redirects_in_any_case_and_encoding(tag: str, encoding: str) -> None:
    result = middleware().process_response(Request(URL), page(tag, encoding))
    scrapys = middleware(MetaRefreshMiddleware).process_response(Request(URL),
                                                                 page(tag, encoding))
    assert isinstance(result, Request) and isinstance(scrapys, Request)
    assert result.url == scrapys.url
    assert result.url.startswith("http://gossipwire.example/2026/03/02/premiere-night-updated/")


def test_a_refresh_after_multibyte_text_is_still_in_scrapys_window() -> None:
    # 1,000 four-byte characters push the tag past 4 KB of bytes but not of characters.
    head = "<title>" + "\U0001f3ac" * 1000 + "</title>" \
           '<meta http-equiv="refresh" content="0; url=/moved/">'
    result = middleware().process_response(Request(URL), page(head))
    assert isinstance(result, Request) and result.url == "http://gossipwire.example/moved/"


def test_a_page_without_refresh_is_passed_on_undecoded() -> None:
    response = page('<meta charset="utf-8"><title>Premiere night</title>')
    result = middleware().process_response(Request(URL), response)
    assert result is response
    # Scrapy caches the decoded text on the response once anything asks for it.
    assert getattr(response, "_cached_ubody", None) is None


def test_the_word_refresh_in_the_text_only_costs_scrapys_own_check() -> None:
    response = page("<title>Refresh your playlist</title>")
    assert may_hold_refresh(response.body)
    assert middleware().process_response(Request(URL), response) is response


def test_no_nul_and_no_refresh_means_no_tag() -> None:
    assert not may_hold_refresh(b"<html><head><title>x</title></head></html>")
    assert may_hold_refresh("<html>".encode("utf-16"))
