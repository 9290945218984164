"""RSS 2.0 / RSS 1.0 / Atom feed parsing and feed link discovery in HTML heads."""

from __future__ import annotations

from lxml import etree

from newscrawl.discovery import Candidate
from newscrawl.discovery.dates import parse_machine_date
from newscrawl.discovery.sitemaps import maybe_gunzip


def _local(tag: object) -> str:
    # Not etree.QName: it raises on the prefixed names a recovering parser leaves when a
    # feed uses a prefix it never declares (`<dc:creator>` without xmlns:dc).
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower() if isinstance(tag, str) else ""


def _text(node: etree._Element, *names: str) -> str | None:
    for child in node:
        if _local(child.tag) in names and (child.text or "").strip():
            return (child.text or "").strip()
    return None


def _atom_link(entry: etree._Element) -> str | None:
    fallback = None
    for child in entry:
        if _local(child.tag) != "link" or not child.get("href"):
            continue
        rel = child.get("rel", "alternate")
        if rel == "alternate":
            return child.get("href")
        fallback = fallback or child.get("href")
    return fallback


def _authors(item: etree._Element) -> tuple[str, ...]:
    names = []
    for child in item:
        name = _local(child.tag)
        if name == "creator" and (child.text or "").strip():
            names.append(child.text.strip())
        elif name == "author":
            inner = _text(child, "name")
            value = inner or (child.text or "").strip()
            if value:
                names.append(value)
    return tuple(names)


def parse_feed(body: bytes) -> list[Candidate] | None:
    """Parse RSS or Atom bytes into candidates; None when the document is not a feed."""
    data = maybe_gunzip(body)
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        return None
    if root is None or _local(root.tag) not in ("rss", "feed", "rdf"):
        return None
    items = [n for n in root.iter() if _local(n.tag) in ("item", "entry")]
    out: list[Candidate] = []
    for item in items:
        if _local(item.tag) == "entry":
            url = _atom_link(item)
            date = _text(item, "published", "issued", "created") or _text(item, "updated")
        else:
            url = _text(item, "link")
            if not url:
                guid = _text(item, "guid")
                url = guid if guid and guid.startswith("http") else None
            date = _text(item, "pubdate", "date")
        if not url:
            continue
        out.append(Candidate(
            url=url.strip(), via="feed", published_at=parse_machine_date(date),
            lastmod=parse_machine_date(_text(item, "updated", "modified")),
            title=_text(item, "title"), authors=_authors(item),
        ))
    return out
