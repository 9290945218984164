"""WARC files written by the tests from our own demo pages, with what real archives hold:
other sites' pages, revisits, images, errors, chunked and gzip-encoded payloads, pages whose
charset is declared wrongly or not at all, huge records and files cut short."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.demo.content import demo_articles
from newscrawl.demo.model import Article, Outlet
from newscrawl.demo.render import render_article
from newscrawl.demo.site import marquee_outlet

OUR_BASE = "http://news.example.test"
OTHER_BASE = "http://elsewhere.example.test"
FETCHED = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


def sites_toml(base: str = OUR_BASE, key: str = "marquee") -> str:
    return (f'[[site]]\nkey = "{key}"\nname = "The Marquee Daily"\nhome = "{base}/"\n'
            'language = "en"\ndomains = ["m.news.example.test"]\n')


def outlet(base: str = OUR_BASE) -> Outlet:
    return marquee_outlet(base)


def articles() -> list[Article]:
    """The demo's text articles (galleries and videos are not always records)."""
    return [a for a in demo_articles() if a.kind == "article"]


def unique(article: Article, n: int) -> Article:
    """A distinct story: its own slug and a sentence that makes its text unique."""
    return replace(article, slug=f"{article.slug}-{n}",
                   body=(*article.body, f"Update {n}: the story {n} continues with a detail "
                         f"reported for edition {n} only."))


def page(article: Article, base: str = OUR_BASE) -> tuple[str, bytes]:
    """(URL, HTML bytes) of an article as the demo outlet at `base` renders it."""
    site = outlet(base)
    return site.article_url(article), render_article(site, article).encode("utf-8")


@dataclass
class WarcBuilder:
    """Appends records to a WARC file the way other crawlers write them."""

    path: Path
    gzip: bool = True

    def __post_init__(self) -> None:
        self._handle = open(self.path, "wb")  # noqa: SIM115 - closed by close()
        self._writer = WARCWriter(self._handle, gzip=self.gzip, warc_version="1.0")
        self._clock = FETCHED

    def _date(self) -> str:
        self._clock += timedelta(seconds=1)
        return self._clock.strftime("%Y-%m-%dT%H:%M:%SZ")

    def response(self, url: str, body: bytes, *, status: str = "200 OK",
                 headers: list[tuple[str, str]] | None = None, raw: bool = False) -> None:
        """A response record; `raw`: `body` is already the HTTP payload as sent (chunked or
        compressed per `headers`), so no Content-Length is added."""
        headers = list(headers if headers is not None
                       else [("Content-Type", "text/html; charset=utf-8")])
        if not raw:
            headers.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=BytesIO(body), length=len(body), http_headers=http,
            warc_headers_dict={"WARC-Date": self._date()})
        self._writer.write_record(record)

    def request(self, url: str) -> None:
        http = StatusAndHeaders(f"GET {url.split('/', 3)[-1]} HTTP/1.1",
                                [("Host", url.split("/")[2])], is_http_request=True)
        self._writer.write_record(self._writer.create_warc_record(
            url, "request", http_headers=http, warc_headers_dict={"WARC-Date": self._date()}))

    def revisit(self, url: str) -> None:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = self._writer.create_revisit_record(
            url, "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", url, self._date(), http_headers=http)
        self._writer.write_record(record)

    def metadata(self, url: str) -> None:
        self._writer.write_record(self._writer.create_warc_record(
            url, "metadata", payload=BytesIO(b"fetchTimeMs: 12\n"), length=16,
            warc_content_type="application/warc-fields",
            warc_headers_dict={"WARC-Date": self._date()}))

    def close(self) -> None:
        self._handle.close()


def chunked(data: bytes, size: int = 700) -> bytes:
    """`data` in HTTP/1.1 chunked transfer coding."""
    out = BytesIO()
    for start in range(0, len(data), size):
        piece = data[start:start + size]
        out.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
    out.write(b"0\r\n\r\n")
    return out.getvalue()


@dataclass(frozen=True)
class MixedWarc:
    """A WARC of every kind of record, and what an import of it must give."""

    path: Path
    expected_urls: list[str]        # the articles an import writes, each once
    skips: dict[str, int]           # reason -> count


def write_mixed_warc(path: Path) -> MixedWarc:
    """Our site's articles (plain, twice, chunked+gzip, windows-1252 without a header charset,
    on a declared domain) among records an import must skip, in a file cut off at the end."""
    stories = articles()
    warc = WarcBuilder(path)
    expected = []
    # Plain pages, each with its request record first, as crawlers write them.
    for article in stories[:4]:
        url, body = page(article)
        warc.request(url)
        warc.response(url, body)
        warc.metadata(url)
        expected.append(url)
    # The same page again (a second capture): written once.
    url, body = page(stories[0])
    warc.response(url, body)
    # Chunked and gzip-compressed payload.
    url, body = page(stories[4])
    warc.response(url, chunked(gzip.compress(body)), raw=True, headers=[
        ("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip"),
        ("Transfer-Encoding", "chunked")])
    expected.append(url)
    # windows-1252 bytes: the header names no charset, the page says utf-8 in its markup.
    url, body = page(stories[5])
    warc.response(url, body.decode("utf-8").encode("cp1252", "replace"),
                  headers=[("Content-Type", "text/html")])
    expected.append(url)
    # A page on a domain the site entry declares.
    mobile = replace(outlet(), base_url="http://m.news.example.test")
    article = stories[6]
    url = mobile.article_url(article)
    warc.response(url, render_article(mobile, article).encode("utf-8"))
    expected.append(url)
    # What is skipped, by reason.
    url, body = page(stories[7], OTHER_BASE)
    warc.response(url, body)                                        # not_in_sites_file
    warc.revisit(page(stories[1])[0])                               # revisit
    warc.response(f"{OUR_BASE}/media/photo.jpg", b"\xff\xd8\xff" + b"\0" * 500,
                  headers=[("Content-Type", "image/jpeg")])          # not_html
    warc.response(f"{OUR_BASE}/gone/", b"<html>gone</html>", status="404 Not Found")
    warc.response(f"{OUR_BASE}/moved/", b"", status="301 Moved Permanently",
                  headers=[("Location", f"{OUR_BASE}/")])
    huge = b"<html><body>" + b"<p>word word word</p>" * 500_000 + b"</body></html>"
    warc.response(f"{OUR_BASE}/huge/", huge)                        # too_large (10 MB)
    # Last: a page whose record the file cuts in two.
    url, body = page(stories[8])
    warc.response(url, body)
    warc.close()
    data = path.read_bytes()
    path.write_bytes(data[:len(data) - 300])
    skips = {"not_in_sites_file": 1, "revisit": 1, "not_html": 1, "http_404": 1,
             "http_301": 1, "too_large": 1, "duplicate_url": 1,
             "not_a_response": 4 + 4,  # four request and four metadata records
             "truncated_file": 1}
    return MixedWarc(path, expected, skips)


def write_pages_warc(path: Path, count: int, base: str = OUR_BASE, first: int = 0
                     ) -> list[str]:
    """`count` distinct articles of our site (numbered from `first`); returns their URLs."""
    warc = WarcBuilder(path)
    urls = []
    for n, article in zip(range(first, first + count), _cycle(articles()), strict=False):
        url, body = page(unique(article, n), base)
        warc.response(url, body)
        urls.append(url)
    warc.close()
    return urls


def _cycle(items: list[Article]) -> Iterator[Article]:
    while True:
        yield from items
