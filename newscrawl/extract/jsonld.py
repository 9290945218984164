"""JSON-LD: find the article node of a page and read its fields.

Pages carry JSON-LD as single objects, lists, `@graph` bundles (Yoast and most WordPress SEO
plugins), with authors inline, as strings, or as `@id` references into the graph. This module
turns all of those into one flat `JsonLdArticle`.
"""

from __future__ import annotations

import json
import logging
import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from lxml import etree, html

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
    "report", "techarticle", "scholarlyarticle", "socialmediaposting", "review",
    "askpublicnewsarticle", "satiricalarticle", "posting",
})
# (Not CollectionPage: kind.py, rightly, calls that a listing.)
GALLERY_TYPES = frozenset({"imagegallery", "mediagallery"})
VIDEO_TYPES = frozenset({"videoobject"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_TAG = re.compile(r"<[^<>]*>")

# Bounds against hostile pages. Real JSON-LD nests fewer than 10 levels and a block is a few
# KB (a liveblog with every update's text a few hundred KB); deeper structures are cut to
# null, larger blocks skipped, so neither a depth bomb nor a million-item list costs the
# article (the page's other signals still give it).
MAX_DEPTH = 64
MAX_SCRIPT_CHARS = 4_000_000
MAX_WALK_ITEMS = 50_000  # values visited per page when collecting nodes
MAX_LIST_VALUES = 100  # authors, keywords, sections read from one node
# A string (possessive, so never rescanned; an unterminated one runs to the end) or a bracket.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)|[\[\]{}]', re.DOTALL)


@dataclass
class JsonLdArticle:
    """The fields newscrawl reads from the page's main JSON-LD article node."""

    types: set[str] = field(default_factory=set)
    headline: str | None = None
    description: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    authors: list[str] = field(default_factory=list)
    author_is_org: bool = False
    publisher: str | None = None
    keywords: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    image: str | None = None
    language: str | None = None
    body: str | None = None
    all_types: set[str] = field(default_factory=set)


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    values = value[:MAX_LIST_VALUES] if isinstance(value, list) else [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values if v}


def _load(raw: str) -> Any:
    """The parsed block, or None when it is not JSON or too large. Never raises."""
    if len(raw) > MAX_SCRIPT_CHARS:
        logger.debug("JSON-LD block of %d characters skipped", len(raw))
        return None
    raw = raw.strip()
    raw = raw.removeprefix("<!--").removesuffix("-->").strip()
    raw = raw.removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    # Raw newlines and control characters inside strings are the commonest breakage.
    cleaned = _CONTROL.sub(" ", raw.replace("\n", " ").replace("\r", " "))
    for attempt in (raw, cleaned) if cleaned != raw else (raw,):
        try:
            return json.loads(attempt)
        except ValueError:
            continue
        except RecursionError:
            # Nested deeper than the parser's stack allows: a hostile page, never real
            # markup. Cut the deep part and keep the rest.
            try:
                return json.loads(cut_deep(attempt))
            except (ValueError, RecursionError):
                continue
    return None


def cut_deep(raw: str, max_depth: int = MAX_DEPTH) -> str:
    """`raw` with every array or object nested deeper than `max_depth` replaced by null.

    One linear pass over the brackets outside strings (the regex skips string contents in
    C, and an unterminated string runs to the end), so the JSON parser never recurses past
    `max_depth`; shallower data is kept as is.
    """
    pieces: list[str] = []
    depth = 0
    kept_until = 0
    cut_from: int | None = None
    for token in _JSON_TOKEN.finditer(raw):
        char = token.group()
        if char in ("[", "{"):
            depth += 1
            if depth == max_depth + 1:
                cut_from = token.start()
        elif char in ("]", "}"):
            if depth == max_depth + 1 and cut_from is not None:
                pieces += (raw[kept_until:cut_from], "null")
                kept_until = token.end()
                cut_from = None
            depth = max(depth - 1, 0)
    if cut_from is not None:  # unbalanced to the end: broken JSON either way
        return "".join(pieces) + raw[kept_until:cut_from]
    return "".join(pieces) + raw[kept_until:]


def _walk(data: Any) -> list[dict[str, Any]]:
    """Every JSON object in the document, depth first (graphs, lists, mainEntity).

    Linear: a deque, not list.pop(0), and at most MAX_WALK_ITEMS values."""
    out: list[dict[str, Any]] = []
    stack: deque[Any] = deque([data])
    visited = 0
    while stack and visited < MAX_WALK_ITEMS:
        visited += 1
        item = stack.popleft()
        if isinstance(item, list):
            stack.extendleft(reversed(item[:MAX_WALK_ITEMS]))
        elif isinstance(item, dict):
            out.append(item)
            for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
                child = item.get(key)
                if isinstance(child, (dict, list)):
                    stack.append(child)
    return out


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("url")
    if isinstance(value, (str, int, float)):
        text = str(value)
        if "<" in text:
            text = _strip_tags(text)
        elif "&" in text:
            text = unescape(text)  # '&quot;' and '&#8217;' double-escaped by CMS plugins
        return " ".join(text.split()) or None
    return None


def _strip_tags(text: str) -> str:
    try:
        return str(html.fromstring(f"<p>{text}</p>").text_content())
    except (etree.ParserError, ValueError):  # lxml refuses the fragment: drop tags by hand
        return _TAG.sub(" ", _CONTROL.sub(" ", text.replace("\x00", " ")))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",", MAX_LIST_VALUES)[:MAX_LIST_VALUES]
                if v.strip()]
    if isinstance(value, list):
        return [t for v in value[:MAX_LIST_VALUES] if (t := _text(v))]
    return []


def _authors(value: Any, by_id: dict[str, dict[str, Any]]) -> tuple[list[str], bool]:
    """Names of the author value; second item is True when every author is an organisation."""
    values = value[:MAX_LIST_VALUES] if isinstance(value, list) else [value]
    names: list[str] = []
    orgs = 0
    for item in values:
        if isinstance(item, dict) and "@id" in item and len(item) <= 2 and item["@id"] in by_id:
            item = by_id[item["@id"]]
        if isinstance(item, dict):
            if _types(item) & {"organization", "newsmediaorganization", "corporation"}:
                orgs += 1
            name = _text(item.get("name"))
            if not name and (given := _text(item.get("givenName"))):
                name = f"{given} {_text(item.get('familyName')) or ''}".strip()
            if name:
                names.append(name)
        elif isinstance(item, str) and item.strip() and not item.startswith("http"):
            names.append(" ".join(item.split()))
    return names, bool(names) and orgs == len(names)


def read_jsonld(tree: html.HtmlElement) -> JsonLdArticle:
    """The page's article node (the first node of an article type with a headline or date)."""
    nodes: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script[@type]"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        data = _load(script.text)
        if data is not None:
            nodes.extend(_walk(data))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    result = JsonLdArticle()
    for node in nodes:
        result.all_types |= _types(node)
    article = next((n for n in nodes if _types(n) & ARTICLE_TYPES
                    and (n.get("headline") or n.get("datePublished"))), None)
    if article is not None:
        result.types = _types(article)
    else:
        # A video or gallery page describes itself in its media node: title, upload date,
        # keywords. `types` stays empty: the page has no article markup.
        article = next((n for n in nodes if _types(n) & (VIDEO_TYPES | GALLERY_TYPES)
                        and n.get("name")), None)
        if article is None:
            return result
    result.headline = _text(article.get("headline")) or _text(article.get("name"))
    result.description = _text(article.get("description"))
    result.date_published = _text(article.get("datePublished")) or _text(
        article.get("dateCreated")) or _text(article.get("uploadDate"))
    result.date_modified = _text(article.get("dateModified"))
    result.authors, result.author_is_org = _authors(
        article.get("author") or article.get("creator"), by_id)
    publisher = article.get("publisher")
    if isinstance(publisher, dict) and "@id" in publisher and publisher["@id"] in by_id:
        publisher = by_id[publisher["@id"]]
    result.publisher = _text(publisher.get("name")) if isinstance(publisher, dict) else None
    result.keywords = _strings(article.get("keywords"))
    result.sections = _strings(article.get("articleSection"))
    image = article.get("image") or article.get("thumbnailUrl")
    if isinstance(image, dict) and "@id" in image and image["@id"] in by_id:
        image = by_id[image["@id"]]
    result.image = _text(image.get("url") if isinstance(image, dict) else image)
    result.language = _text(article.get("inLanguage"))
    body = article.get("articleBody")
    result.body = body.strip() if isinstance(body, str) and body.strip() else None
    return result
