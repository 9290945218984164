"""Extraction: page bytes + URL -> an article record, or the reason there is none.

Pure (no Scrapy, no I/O): the crawl, the `newscrawl extract` command and the benchmarks call
the same `extract_article`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree, html
from trafilatura.settings import Document
from trafilatura.utils import load_html

from newscrawl import __version__
from newscrawl.dedup.keys import content_hash
from newscrawl.dedup.keys import normalize_text as line_key
from newscrawl.discovery import Candidate
from newscrawl.discovery.links import page_links
from newscrawl.extract.cascade import story_in_teaser_block
from newscrawl.extract.decode import decode_html
from newscrawl.extract.embeds import (
    captions_tell_story,
    flatten_embeds,
    gallery_captions,
    merge_gallery_text,
)
from newscrawl.extract.kind import classify_page, looks_like_listing
from newscrawl.extract.learned import MetadataModel, shipped_model
from newscrawl.extract.limits import cap_fields
from newscrawl.extract.opinion import page_opinion, with_byline
from newscrawl.extract.policy import story_verdict
from newscrawl.extract.prune import (
    drop_chrome,
    drop_fact_lists,
    drop_link_lists,
    drop_link_paragraphs,
    drop_other_stories,
    prune_selectors,
)
from newscrawl.extract.reasons import DropReason
from newscrawl.extract.reconcile import (
    AUTHOR_WEIGHTS,
    Chosen,
    ChosenDate,
    authors_from_text,
    choose_authors,
    choose_modified,
    choose_published,
    choose_title,
    fallback_title,
    is_byline,
    names_a_person,
    site_names,
)
from newscrawl.extract.repair import drop_early_document_ends
from newscrawl.extract.signals import Signals, collect_signals
from newscrawl.extract.text import clean_text, count_words, drop_leading_repeats
from newscrawl.urls import canonicalize_url, domain_of, is_same_site, registered_host, url_id

logger = logging.getLogger(__name__)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

EXTRACTOR_VERSION = f"newscrawl {__version__}; trafilatura {trafilatura.__version__}"

MAX_PAGE_BYTES = 8 * 1024 * 1024
# A fast-mode text shorter than this is extracted again with trafilatura's full cascade.
FULL_CASCADE_BELOW_WORDS = 200
# Short texts get second chances (JSON-LD articleBody, recall mode); they cost nothing on
# ordinary pages. Not a record floor: policy.py decides what is a story.
FALLBACK_BELOW_WORDS = {"article": 60, "liveblog": 60, "gallery": 150, "video": 150}
# A short text (under FALLBACK_BELOW_WORDS) holding under this share of the page's paragraph
# words is compared with plain trafilatura on the unpruned page (see _safety_net). Not for
# longer texts: on the eval corpus, every page where plain trafilatura found over twice our
# 150+ words, its extra text was another post, teasers or comments (body F1 fell when taken).
SAFETY_NET_RATIO = 0.5
# Pages without article markup whose text is this short are asked whether they are section
# pages (many teaser headlines, little running text).
LISTING_CHECK_BELOW_WORDS = 60

# Where bytes should not be parsed at all, we say why (the crawl counts the reasons).
REASON_NOT_HTML: DropReason = "not_html"
REASON_EMPTY: DropReason = "empty_page"
REASON_TOO_LARGE: DropReason = "too_large"
REASON_UNPARSEABLE: DropReason = "unparseable_html"


@dataclass
class Extraction:
    """The result for one page: `record` (dataset fields) or `reason` (why none), never both.

    `page_kind` and `canonical_url` are set whenever the page could be parsed, so the caller
    can count non-articles by kind and deduplicate by canonical identity. `published_local`
    is the publication date as the page states it (its own time zone), for evaluation.
    """

    url: str
    record: dict[str, Any] | None = None
    reason: str | None = None
    page_kind: str | None = None
    canonical_url: str | None = None
    published_local: str | None = None
    signature: bytes | None = None  # near-duplicate MinHash values, set by the crawl's worker
    # Links on the page to the site's own hosts (related boxes, in-text links, previous/next
    # story), read before any pruning; only when the site's hosts are known (the crawl).
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteContext:
    """What extraction needs to know about the site a page belongs to."""

    key: str = ""
    name: str = ""
    language: str | None = None
    extra_boilerplate: tuple[str, ...] = ()
    allowed_hosts: frozenset[str] = frozenset()
    # Return the page's links to the site's hosts (Extraction.links): the crawl asks for them
    # only where it follows links from stories; reading them costs ~10% of an extraction.
    collect_links: bool = False


def extract_article(body: bytes, url: str, *, content_type: str | None = None,
                    hint: Candidate | None = None, site: SiteContext | None = None,
                    crawled_at: datetime | None = None, run_id: str = "",
                    model: MetadataModel | None = None) -> Extraction:
    """Extract one page. Never raises on bad input: malformed pages give a `reason`.

    `model` chooses title and date (see learned.py); None means the shipped one."""
    site = site or SiteContext()
    model = shipped_model() if model is None else model
    if content_type and not _is_html_type(content_type):
        return Extraction(url, reason=REASON_NOT_HTML)
    if not body or not body.strip():
        return Extraction(url, reason=REASON_EMPTY)
    if len(body) > MAX_PAGE_BYTES:
        return Extraction(url, reason=REASON_TOO_LARGE)
    if _looks_binary(body):
        return Extraction(url, reason=REASON_NOT_HTML)
    text, _ = decode_html(body, content_type)
    # lxml refuses str input that still carries an XML encoding declaration.
    text = _XML_DECLARATION.sub("", text, count=1)
    tree = _parse(text)
    if tree is None:
        return Extraction(url, reason=REASON_UNPARSEABLE)
    signals = collect_signals(tree, url)
    links = _site_links(tree, url, site.allowed_hosts) if site.collect_links else ()
    canonical = _canonical(url, signals.canonical, site)
    kind = classify_page(signals, url)
    result = Extraction(url, page_kind=kind, canonical_url=canonical, links=links)
    if kind == "listing":
        result.reason = "listing_page"
        return result
    names = site_names(signals, [site.name])
    title, published, authors, opinion = _choose_metadata(tree, url, signals, hint, names,
                                                          model)
    modified = choose_modified(signals)
    for selector in prune_selectors(tree, site.extra_boilerplate):
        logger.warning("ignoring invalid extra_boilerplate selector %r", selector)
    # The page's own address on a line of its own (print templates show it) is no more
    # story text than its byline.
    furniture = signals.furniture | {line_key(url), line_key(canonical)}
    flatten_embeds(tree)
    drop_chrome(tree)
    drop_link_lists(tree, url)
    drop_fact_lists(tree)
    drop_link_paragraphs(tree, url, canonical)
    drop_other_stories(tree, url, canonical)
    paragraph_words = _paragraph_words(tree)
    main_text = clean_text(_main_text(tree, url), furniture)
    words = count_words(main_text)
    if kind == "gallery" and captions_tell_story(words, bool(signals.jsonld.types)):
        main_text = clean_text(merge_gallery_text(main_text, gallery_captions(tree)), furniture)
        words = count_words(main_text)
    if words < FALLBACK_BELOW_WORDS.get(kind, FALLBACK_BELOW_WORDS["article"]):
        main_text, words = _fallback_text(tree, url, signals.jsonld.body, main_text, words,
                                          furniture)
        if words < paragraph_words * SAFETY_NET_RATIO:
            main_text, words = _safety_net(text, url, main_text, words, furniture)
    if words < LISTING_CHECK_BELOW_WORDS and kind == "article" and not signals.jsonld.types \
            and looks_like_listing(tree):
        result.page_kind = "listing"
        result.reason = "listing_page"
        return result
    titles = [*signals.h1[:1], signals.first_meta("og:title"), signals.title_tag]
    if reason := story_verdict(main_text, kind, [t for t in titles if t]):
        result.reason = reason
        return result

    result.published_local = published.local_date
    if not title.value:
        title = fallback_title(signals, url, names)
    if not title.value:
        result.reason = "no_title"
        return result
    if published.utc is None and kind == "article" and not _declares_article(signals) \
            and urlsplit(url).path.strip("/").count("/") == 0:
        # A top-level page with no article markup and no date anywhere: an about, contact
        # or policy page, not news.
        result.page_kind = "page"
        result.reason = "not_an_article"
        return result
    if not names_a_person(authors.value, names):
        credited, line = authors_from_text(main_text, names, signals.bold_lines)
        if line is not None:
            authors = Chosen(credited, "text")
            main_text = "\n\n".join(p for p in main_text.split("\n\n") if p.strip() != line)
    # Byline lines left in the text (the story's own where its markup already names the
    # author, the bylines of teasers around it): the authors are chosen by now.
    main_text = "\n\n".join(p for p in main_text.split("\n\n") if not is_byline(p.strip(), names))
    description = signals.jsonld.description or signals.first_meta(
        "og:description", "description", "twitter:description") or opinion.description
    main_text = drop_leading_repeats(main_text, [
        title.value, *signals.h1[:1], signals.first_meta("og:title"),
        signals.first_meta("twitter:title"), signals.jsonld.headline])
    if signals.standfirst and signals.standfirst not in " ".join(main_text.split()):
        # The standfirst the page displays under its headline is the story's first
        # paragraph; templates mark it as a dek, so it was furniture to the text cleaner.
        main_text = f"{signals.standfirst}\n\n{main_text}"
    words = count_words(main_text)
    language = _language(signals.html_lang or signals.jsonld.language
                         or signals.first_meta("og:locale", "content-language", "language")
                         or opinion.language or site.language)
    crawled = crawled_at or datetime.now(UTC)
    result.record = {
        "id": url_id(canonical),
        "version": 1,
        "url": url,
        "canonical_url": canonical,
        "site": site.key,
        "domain": domain_of(canonical),
        "title": title.value,
        "title_source": title.source,
        "description": description,
        "authors": authors.value,
        "authors_source": authors.source if authors.value else None,
        "published_at": published.utc,
        "published_at_source": published.source,
        "modified_at": modified.utc,
        "language": language,
        "text": main_text,
        "word_count": words,
        "tags": _unique(signals.jsonld.keywords or signals.meta.get("article:tag", [])
                        or signals.rel_tags
                        or _split(signals.first_meta("news_keywords", "keywords"))),
        "categories": _unique(signals.jsonld.sections or signals.meta.get("article:section", [])
                              or signals.rel_categories),
        "image_url": _absolute(url, signals.first_meta("og:image", "twitter:image")
                               or signals.jsonld.image or opinion.image),
        "page_kind": kind,
        "content_hash": content_hash(main_text),
        "duplicate_of": None,
        "discovered_via": hint.via if hint else "link",
        "crawled_at": crawled,
        "run_id": run_id,
        "extractor_version": EXTRACTOR_VERSION,
    }
    cap_fields(result.record)
    return result


def _choose_metadata(tree: html.HtmlElement, url: str, signals: Signals,
                     hint: Candidate | None, names: list[str], model: MetadataModel,
                     ) -> tuple[Chosen, ChosenDate, Chosen, Document]:
    """Title, publication date and authors from the page's own signals, with trafilatura's
    metadata as one more (low-weight) opinion.

    trafilatura's opinion without its byline search (opinion.py's `page_opinion`) is asked
    for on every page: the fitted title and date weights are fitted with its title and date
    as features (bench/fit_metadata.py), so they must meet them at run time too. The byline
    search, most of trafilatura's metadata time, runs only where the meta tags name no
    author and its byline could outweigh the hand-set authors vote's margin. Everything
    runs on the untouched tree, before pruning and text extraction change it.
    """
    opinion = page_opinion(tree, url)
    if not opinion.author and \
            choose_authors(signals, hint, names, None).margin <= AUTHOR_WEIGHTS["trafilatura"]:
        opinion = with_byline(tree, opinion)
    return (choose_title(signals, hint, names, opinion.title, model),
            choose_published(signals, hint, opinion.date, model),
            choose_authors(signals, hint, names, opinion.author), opinion)


def parse_page(body: bytes, content_type: str | None = None) -> html.HtmlElement | None:
    """Bytes -> the tree extraction reads (decoded, repaired, parsed); None if unparseable."""
    text, _ = decode_html(body, content_type)
    return _parse(_XML_DECLARATION.sub("", text, count=1))


def _paragraph_words(tree: html.HtmlElement) -> int:
    """Words in the page's `<p>` elements: a cheap upper bound of the story's length that
    tells when an extraction found only part of it."""
    return sum(count_words(p.text_content()) for p in tree.iter("p"))


def _main_text(tree: html.HtmlElement, url: str) -> str:
    """trafilatura's main text: its fast mode first, the full cascade only for short results.

    The full cascade compares its result with readability and jusText on every page, about
    15% of the extraction's time. Where fast mode goes badly wrong (an empty page, a long
    story cut short) its result is short, so where fast mode finds little, the full cascade
    decides. A wider trigger (fast mode finding under 3/4 of the page's paragraph words) made
    pages worse on the eval corpus: the extra words were teasers. (Figures: README, bench.)
    It decides too where the story sits in a teaser-classed block that fast mode gathered as
    loose paragraphs, losing subheadings and lists (cascade.py)."""
    text, body = _trafilatura_run(tree, url, fast=True)
    if count_words(text) >= FULL_CASCADE_BELOW_WORDS \
            and not story_in_teaser_block(tree, body):
        return text
    return _trafilatura_text(tree, url)


# Enough for a related box, in-text links and the site's navigation; a page with thousands
# of links is a listing or a trap, and its first links are the ones a reader sees.
MAX_PAGE_LINKS = 300


def _site_links(tree: html.HtmlElement, url: str,
                allowed_hosts: frozenset[str]) -> tuple[str, ...]:
    if not allowed_hosts:
        return ()
    links = [link for link in page_links(tree, url) if is_same_site(link, allowed_hosts)]
    return tuple(links[:MAX_PAGE_LINKS])


def _trafilatura_text(tree: html.HtmlElement, url: str, **options: Any) -> str:
    return _trafilatura_run(tree, url, **options)[0]


def _trafilatura_run(tree: html.HtmlElement, url: str, **options: Any,
                     ) -> tuple[str, etree._Element | None]:
    """trafilatura's text and its result tree (None when it gives no tree)."""
    doc = trafilatura.bare_extraction(tree, url=url, include_comments=False,
                                      include_tables=True, **options)
    if doc is None:
        return "", None
    # trafilatura 2.x gives a Document; older ones (and as_dict=True) a dict
    if isinstance(doc, dict):
        return str(doc.get("text") or ""), None
    return str(doc.text or ""), doc.body


def _fallback_text(tree: html.HtmlElement, url: str, jsonld_body: str | None, text: str,
                   words: int, furniture: set[str]) -> tuple[str, int]:
    """Second chances for pages where the precise pass found too little: the JSON-LD
    `articleBody` that many publishers embed, then trafilatura in recall mode. Only run on
    short results, so they cost nothing on ordinary pages."""
    candidates = [(text, words)]
    if jsonld_body:
        body = clean_text(html.fromstring(f"<div>{jsonld_body}</div>").text_content()
                          if "<" in jsonld_body else jsonld_body)
        candidates.append((body, count_words(body)))
    recall = clean_text(_trafilatura_text(tree, url, favor_recall=True), furniture)
    candidates.append((recall, count_words(recall)))
    return max(candidates, key=lambda c: c[1])


def _parse(page: str) -> html.HtmlElement | None:
    """trafilatura's own loader (its parser drops comments and processing instructions and
    repairs common breakage); parsing any other way measurably loses body text, and one
    parse serves both our metadata reading and its extraction. Early document ends are
    removed first (repair.py): lxml drops whatever follows them."""
    try:
        return load_html(drop_early_document_ends(page))
    except (etree.ParserError, ValueError, TypeError):
        return None


def _safety_net(page: str, url: str, text: str, words: int,
                furniture: set[str]) -> tuple[str, int]:
    """Plain trafilatura on a fresh parse of the untouched page, for texts that hold under half
    the page's paragraph words: if it finds more than twice our text, our pruning removed the
    story, and its text (cleaned) is kept. Rare, so the second parse costs little overall;
    it guarantees a page never ends with less story text than trafilatura alone gets."""
    tree = _parse(page)
    if tree is None:
        return text, words
    plain = clean_text(_trafilatura_text(tree, url), furniture)
    plain_words = count_words(plain)
    if plain_words > 2 * words:
        logger.debug("safety net: %s gave %d words, plain trafilatura %d", url, words,
                     plain_words)
        return plain, plain_words
    return text, words


def _is_html_type(content_type: str) -> bool:
    mime = content_type.split(";")[0].strip().lower()
    return mime in ("", "text/html", "application/xhtml+xml", "text/plain", "application/xml",
                    "text/xml") or (mime.endswith("+xml") and "xhtml" in mime)


def _looks_binary(body: bytes) -> bool:
    head = body[:1024]
    return head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"PK\x03\x04")) \
        or head.count(b"\x00") > 16


def _canonical(url: str, declared: str | None, site: SiteContext) -> str:
    """rel=canonical decides identity, unless it points off-site or is malformed."""
    if declared:
        absolute = urljoin(url, declared)
        if absolute.startswith(("http://", "https://")):
            hosts = site.allowed_hosts or frozenset({registered_host(url)})
            host = registered_host(absolute)
            if host in hosts or any(host.endswith("." + h) for h in hosts):
                return canonicalize_url(absolute)
    return canonicalize_url(url)


def _language(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if 2 <= len(code) <= 3 and code.isalpha() else None


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _unique(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        value = " ".join(str(value).split())
        if value and value.casefold() not in {k.casefold() for k in seen}:
            seen[value] = None
    return list(seen)


def _absolute(base: str, value: str | None) -> str | None:
    if not value:
        return None
    absolute = urljoin(base, value.strip())
    return absolute if absolute.startswith(("http://", "https://")) else None


def _declares_article(signals: Signals) -> bool:
    """The page says it is a story: JSON-LD types, og:type 'article' or article:* metas
    (a top-level '/lyft-extends-free-rides-184144961.html' with no date is still news)."""
    return bool(signals.jsonld.types) or (signals.first_meta("og:type") or "") == "article" \
        or any(name.startswith("article:") for name in signals.meta)
