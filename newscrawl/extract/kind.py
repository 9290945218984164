"""Page kind from markup: article, liveblog, gallery, video or listing.

Decided before text length, because a gallery with long captions is content while a section
page with many teasers is not, whatever their word counts.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import html

from newscrawl.discovery.links import PAGINATION
from newscrawl.extract.signals import Signals

_GALLERY_URL = re.compile(r"/(gallery|galleries|photos|photo-gallery|pictures|slideshow)s?/",
                          re.IGNORECASE)
_VIDEO_URL = re.compile(r"/(video|videos|watch)/", re.IGNORECASE)
_LIVE_URL = re.compile(r"/live(-blog|-updates|blog)?/|live-updates", re.IGNORECASE)
_LISTING_URL = re.compile(
    r"/(tag|tags|topic|topics|category|categories|author|authors|section|sections|search)/",
    re.IGNORECASE)


def classify_page(signals: Signals, url: str) -> str:
    """One of 'article', 'liveblog', 'gallery', 'video', 'listing'."""
    types = signals.jsonld.types
    all_types = signals.jsonld.all_types
    og_type = (signals.first_meta("og:type") or "").lower()
    path = urlsplit(url).path
    if "liveblogposting" in types or (_LIVE_URL.search(path) and types):
        return "liveblog"
    # A gallery URL alone does not make a gallery of a page with article markup: outlets
    # file photo-led stories (one picture, a written story) under /photos/ too.
    if all_types & {"imagegallery", "mediagallery"} or signals.gallery_markup \
            or (_GALLERY_URL.search(path) and not types):
        return "gallery"
    if og_type.startswith("video") or (_VIDEO_URL.search(path) and not types) or (
            "videoobject" in all_types and not types):
        return "video"
    if types or og_type == "article" or signals.first_meta("article:published_time"):
        return "article"
    if all_types & {"collectionpage", "itemlist", "searchresultspage"}:
        return "listing"
    if path in ("", "/") or _LISTING_URL.search(path) or PAGINATION.search(path):
        return "listing"
    return "article"


def looks_like_listing(tree: html.HtmlElement) -> bool:
    """Many teaser headlines that are links and little running text: a section page.

    Only asked when a page without article markup yields too little text: page structure
    alone misjudges real articles wrapped in heavy navigation, the extracted text does not.
    """
    teasers = tree.xpath("count(.//h2[a] | .//h3[a] | .//article[.//a])")
    paragraphs = [p for p in tree.iterfind(".//p") if len(p.text_content()) > 200]
    return teasers >= 6 and len(paragraphs) < 3
