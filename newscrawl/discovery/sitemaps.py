"""Sitemap parsing: sitemap indexes, urlsets, Google News sitemaps, gzipped or not.

Scrapy's own `Sitemap` class keeps only `loc`/`lastmod`-level children and drops the nested
`news:news` block, which holds the publication date and title we use to skip old articles
before fetching them; hence our own small parser over lxml.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from newscrawl.discovery import Candidate
from newscrawl.discovery.dates import parse_machine_date

# A decompressed sitemap is capped at 50 MB by the protocol; allow some slack, refuse bombs.
MAX_SITEMAP_BYTES = 64 * 1024 * 1024
# The protocol's limit of URLs per sitemap file; a longer one is read up to here.
MAX_SITEMAP_ENTRIES = 50_000


@dataclass
class SitemapResult:
    """What one sitemap document held: child sitemaps (index) and/or article candidates."""

    sitemaps: list[tuple[str, datetime | None]] = field(default_factory=list)
    entries: list[Candidate] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False


def maybe_gunzip(body: bytes) -> bytes:
    """Decompress gzip bodies (by magic number; servers label them inconsistently)."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, MAX_SITEMAP_BYTES)
    except (zlib.error, gzip.BadGzipFile, EOFError):
        return b""


def _local(tag: object) -> str:
    # Not etree.QName: it raises on the prefixed names a recovering parser leaves when a
    # sitemap uses a prefix it never declares (`<news:news>` without xmlns:news).
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1] if isinstance(tag, str) else ""


def _child_text(node: etree._Element, name: str) -> str | None:
    for child in node:
        if _local(child.tag) == name:
            text = (child.text or "").strip()
            return text or None
    return None


def parse_sitemap(body: bytes, max_entries: int = MAX_SITEMAP_ENTRIES) -> SitemapResult:
    """Parse a sitemap or sitemap index (plain or gzipped bytes).

    Entries carry `lastmod` and, for Google News sitemaps, `news:publication_date` and
    `news:title`. A document that is not a sitemap gives an empty result with `error` set.
    Parsed as a stream: memory stays bounded whatever the document's size, and at most
    `max_entries` entries (the protocol's own limit per file) are read; `truncated` says
    that more were left.
    """
    data = maybe_gunzip(body)
    if not data.strip():
        return SitemapResult(error="empty or undecodable sitemap")
    result = SitemapResult()
    kind = ""
    try:
        events = etree.iterparse(io.BytesIO(data), events=("start", "end"), recover=True,
                                 resolve_entities=False, no_network=True, huge_tree=True)
        for event, node in events:
            name = _local(node.tag)
            if event == "start":
                if not kind:
                    kind = name
                    if kind not in ("sitemapindex", "urlset"):
                        result.error = f"not a sitemap (root element <{kind}>)"
                        return result
                continue
            if node.getparent() is None or node.getparent().getparent() is not None:
                continue  # only the root's children are entries
            if kind == "sitemapindex" and name == "sitemap":
                if loc := _child_text(node, "loc"):
                    result.sitemaps.append((loc, parse_machine_date(_child_text(node,
                                                                                "lastmod"))))
            elif kind == "urlset" and name == "url" and (loc := _child_text(node, "loc")):
                result.entries.append(_entry(node, loc))
            _release(node)
            if len(result.entries) + len(result.sitemaps) >= max_entries:
                result.truncated = True
                break
    except etree.XMLSyntaxError as exc:
        if not kind:
            return SitemapResult(error=f"not XML: {exc}")
    if not kind:
        return SitemapResult(error="not XML")
    return result


def _entry(node: etree._Element, loc: str) -> Candidate:
    published = title = None
    for child in node:
        if _local(child.tag) == "news":
            published = parse_machine_date(_child_text(child, "publication_date"))
            title = _child_text(child, "title")
    return Candidate(url=loc, via="sitemap", published_at=published,
                     lastmod=parse_machine_date(_child_text(node, "lastmod")), title=title)


def _release(node: etree._Element) -> None:
    """Free a parsed entry and the siblings before it (streaming keeps memory flat)."""
    node.clear()
    parent = node.getparent()
    if parent is not None:
        while node.getprevious() is not None:
            del parent[0]


def sitemaps_from_robots(body: bytes) -> list[str]:
    """The `Sitemap:` URLs of a robots.txt (case-insensitive directive, any position)."""
    urls = []
    for raw in body.decode("utf-8", "replace").splitlines():
        raw = raw.split("#", 1)[0] if " #" in raw or raw.lstrip().startswith("#") else raw
        name, _, value = raw.partition(":")
        if name.strip().lower() == "sitemap" and value.strip():
            urls.append(value.strip())
    return urls
