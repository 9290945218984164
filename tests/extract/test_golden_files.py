"""Checks that the golden extraction set itself is well-formed.

These tests do not run the extractor. They make sure every golden page decodes with the
charset it declares, that its expected JSON has every field in the documented format, and
that the snippets it asserts on really occur in the page: the ones the record must contain
and the ones it must not. Without that, a golden comparison could pass vacuously (an excluded
snippet that is not on the page is always "excluded").
"""

from __future__ import annotations

import functools
import gzip
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import pytest

GOLDEN_DIR = Path(__file__).parent / "golden"
PAGES = sorted(p.name.removesuffix(".html.gz") for p in GOLDEN_DIR.glob("*.html.gz"))

PAGE_KINDS = {"article", "gallery", "video", "liveblog", "listing"}
TOP_LEVEL_KEYS = {"about", "url", "extra_boilerplate", "expected"}
# Field name -> allowed JSON types (None means JSON null is allowed).
EXPECTED_FIELDS: dict[str, tuple[type | None, ...]] = {
    "title": (str,),
    "authors": (list,),
    "published_at": (str, None),
    "modified_at": (str, None),
    "language": (str,),
    "page_kind": (str,),
    "description": (str, None),
    "image_url": (str, None),
    "tags": (list,),
    "categories": (list,),
    "text_starts_with": (str, None),
    "text_ends_with": (str, None),
    "text_contains": (list,),
    "text_excludes": (list,),
}
UTC_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
# <meta charset=...> or <meta http-equiv=Content-Type content="...; charset=...">.
DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
# Real hosts a fictional page may still point at: the embed scripts and permalinks that
# Instagram and X/Twitter embeds are made of.
EMBED_HOSTS = {"www.instagram.com", "instagram.com", "twitter.com", "platform.twitter.com", "t.co"}
URL_ATTRIBUTES = ("href", "src", "content", "action", "poster", "data-instgrm-permalink")
NON_VISIBLE_TAGS = ("script", "style", "template")


@dataclass(frozen=True)
class GoldenPage:
    """One golden page: its raw bytes, decoded text, parsed tree and expected JSON."""

    name: str
    raw: bytes
    charset: str
    text: str
    root: lxml.html.HtmlElement
    spec: dict[str, Any]

    @property
    def expected(self) -> dict[str, Any]:
        return self.spec["expected"]


def normalize(text: str) -> str:
    return " ".join(text.split())


@functools.cache
def load_page(name: str) -> GoldenPage:
    raw = gzip.decompress((GOLDEN_DIR / f"{name}.html.gz").read_bytes())
    declared = DECLARED_CHARSET.search(raw[:1024])
    assert declared, f"{name}: no charset declared in the first 1024 bytes"
    charset = declared.group(1).decode("ascii").lower()
    text = raw.decode(charset)  # strict: a byte the charset cannot decode fails here
    # Without </body> and </html>: a browser shows what follows an early one (the broken-markup
    # page has one), libxml2 would drop it.
    root = lxml.html.document_fromstring(re.sub(r"</\s*(?:body|html)\s*>", "", text, flags=re.I))
    lxml.etree.strip_elements(root, *NON_VISIBLE_TAGS, with_tail=False)
    spec = json.loads((GOLDEN_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return GoldenPage(name, raw, charset, text, root, spec)


def visible_text(element: lxml.html.HtmlElement) -> str:
    return normalize(element.text_content())


def element_texts(page: GoldenPage) -> list[str]:
    return [visible_text(el) for el in page.root.iter() if isinstance(el.tag, str)]


def meta_contents(page: GoldenPage, *names: str) -> list[str]:
    found = []
    for meta in page.root.iter("meta"):
        if meta.get("property") in names or meta.get("name") in names:
            found.append(meta.get("content", ""))
    return found


def asserted_snippets(expected: dict[str, Any]) -> list[str]:
    """Every snippet the record's text must contain (start, end and the contains list)."""
    ends = [expected["text_starts_with"], expected["text_ends_with"]]
    return [s for s in ends if s] + list(expected["text_contains"])


page_param = pytest.mark.parametrize("name", PAGES)


def test_golden_set_is_complete() -> None:
    json_names = sorted(p.name.removesuffix(".json") for p in GOLDEN_DIR.glob("*.json"))
    assert len(PAGES) >= 10
    assert json_names == PAGES, "every <name>.html.gz needs a <name>.json and vice versa"
    kinds = {load_page(name).expected["page_kind"] for name in PAGES}
    assert kinds == PAGE_KINDS


def test_one_page_declares_windows_1252_by_http_equiv_only() -> None:
    cp1252 = [load_page(name) for name in PAGES if load_page(name).charset == "windows-1252"]
    assert cp1252, "the set needs a windows-1252 page"
    for page in cp1252:
        head = page.raw[:1024].lower()
        assert b"http-equiv" in head
        assert not re.search(rb"<meta\s+charset", head)
        with pytest.raises(UnicodeDecodeError):
            page.raw.decode("utf-8")


@page_param
def test_expected_json_has_every_field_in_its_format(name: str) -> None:
    spec = load_page(name).spec
    assert {"url", "expected"} <= spec.keys() <= TOP_LEVEL_KEYS
    expected = spec["expected"]
    assert expected.keys() == EXPECTED_FIELDS.keys()
    for field, allowed in EXPECTED_FIELDS.items():
        value = expected[field]
        assert any(value is None if t is None else isinstance(value, t) for t in allowed), field
        if isinstance(value, list):
            assert all(isinstance(item, str) and item for item in value), field
    assert expected["page_kind"] in PAGE_KINDS
    assert re.fullmatch(r"[a-z]{2}", expected["language"])  # ISO 639-1
    for field in ("published_at", "modified_at"):
        assert expected[field] is None or UTC_TIMESTAMP.fullmatch(expected[field]), field
    if expected["published_at"] and expected["modified_at"]:
        assert expected["modified_at"] >= expected["published_at"]
    if expected["page_kind"] == "listing":
        assert expected["text_starts_with"] is None and expected["text_ends_with"] is None
    else:
        assert expected["text_starts_with"] and expected["text_ends_with"]
        assert len(expected["text_starts_with"]) <= 60 and len(expected["text_ends_with"]) <= 40
        assert expected["text_contains"]
    assert expected["text_excludes"]


@page_param
def test_url_is_fictional_and_canonical(name: str) -> None:
    page = load_page(name)
    url = page.spec["url"]
    assert urlsplit(url).hostname.endswith(".test")
    links = page.root.iter("link")
    assert [link.get("href") for link in links if link.get("rel") == "canonical"] == [url]


@page_param
def test_links_point_only_at_fictional_hosts(name: str) -> None:
    page = load_page(name)
    for el in page.root.iter():
        for attribute in URL_ATTRIBUTES:
            value = el.get(attribute) if isinstance(el.tag, str) else None
            if value and value.startswith(("http://", "https://", "//")):
                host = urlsplit(value).hostname or ""
                assert host.endswith(".test") or host in EMBED_HOSTS, value


@page_param
def test_metadata_occurs_in_page(name: str) -> None:
    page = load_page(name)
    expected = page.expected
    text = visible_text(page.root)
    # a soft hyphen is a break hint the browser shows only at a line's end
    assert expected["title"] in text.replace("\u00ad", "")
    for author in expected["authors"]:
        assert author.lower() in text.lower(), author
    unescaped = html.unescape(page.text)
    for term in expected["tags"] + expected["categories"]:
        assert term in unescaped, term
    if expected["description"] is not None:
        assert expected["description"] in meta_contents(page, "description", "og:description")
    if expected["image_url"] is not None:
        img_srcs = [img.get("src", "") for img in page.root.iter("img")]
        sources = meta_contents(page, "og:image") + img_srcs
        assert expected["image_url"] in {urljoin(page.spec["url"], src) for src in sources}


@page_param
def test_text_snippets_occur_in_page(name: str) -> None:
    page = load_page(name)
    expected = page.expected
    text = visible_text(page.root)
    texts = element_texts(page)
    if expected["text_starts_with"]:
        assert any(t.startswith(expected["text_starts_with"]) for t in texts)
    if expected["text_ends_with"]:
        assert any(t.endswith(expected["text_ends_with"]) for t in texts)
    for snippet in expected["text_contains"] + expected["text_excludes"]:
        assert snippet in text, snippet
    for excluded in expected["text_excludes"]:
        for snippet in asserted_snippets(expected):
            assert excluded not in snippet and snippet not in excluded, (excluded, snippet)


@page_param
def test_extra_boilerplate_selectors_hold_only_excluded_text(name: str) -> None:
    page = load_page(name)
    expected = page.expected
    for selector in page.spec.get("extra_boilerplate", []):
        matched = " ".join(visible_text(el) for el in page.root.cssselect(selector))
        assert matched, f"{selector} matches nothing"
        assert any(snippet in matched for snippet in expected["text_excludes"]), selector
        for snippet in asserted_snippets(expected):
            assert snippet not in matched, (selector, snippet)
