"""Link classification for link-following discovery (sites with no sitemap or feed).

A link found on a home, section or listing page is one of: an article candidate, a listing
to follow (section, pagination), or skipped with a reason. Site `deny` patterns remove,
`allow` patterns add; otherwise URL shape decides, because article URLs on news sites carry
a date, a long slug or a numeric id while sections are short paths.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html

SKIP_EXTENSIONS = re.compile(
    r"\.(pdf|jpe?g|png|gif|webp|svg|avif|bmp|ico|mp3|mp4|m4a|mov|avi|webm|zip|gz|rar|7z|exe"
    r"|dmg|apk|css|js|json|xml|rss|atom|txt|csv|xlsx?|docx?|pptx?|woff2?|ttf|eot)$",
    re.IGNORECASE)
NEVER_ARTICLE = re.compile(
    r"/(tags?|topics?|authors?|contributors?|people|category|categories|search|login|signin"
    r"|sign-in|register|account|subscribe|subscription|newsletters?|about(-us)?|contact(-us)?"
    r"|privacy(-policy)?|terms(-of-use|-of-service)?|cookies?(-policy)?|advertise|careers|jobs"
    r"|feed|rss|wp-json|wp-admin|wp-login\.php|cdn-cgi|amp-iframe|shop|store|events)(/|$)"
    r"|[?&](s|q|query|search)=", re.IGNORECASE)
# Pagination of a listing (also how extraction recognises a listing URL, extract/kind.py).
PAGINATION = re.compile(r"/page/\d+/?$|[?&](page|paged|pg)=\d+$", re.IGNORECASE)
_DATE_IN_PATH = re.compile(
    r"/(19|20)\d{2}/(0?[1-9]|1[0-2])(/|$)|/(19|20)\d{6}/|(19|20)\d{2}-\d{2}-\d{2}")
_LONG_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){3,}", re.IGNORECASE)
_NUMERIC_ID = re.compile(r"(?:^|[/_-])\d{5,}(?:[/_.-]|$)")


def classify_link(url: str, allow: tuple[re.Pattern[str], ...] = (),
                  deny: tuple[re.Pattern[str], ...] = ()) -> str:
    """'article', 'listing', or 'skip:<reason>' for an absolute same-site URL."""
    parts = urlsplit(url)
    path = parts.path or "/"
    target = path + (f"?{parts.query}" if parts.query else "")
    if SKIP_EXTENSIONS.search(path):
        return "skip:non_html_link"
    if any(p.search(target) for p in deny):
        return "skip:denied_by_site"
    if PAGINATION.search(target):
        return "listing"
    # `allow` only adds: a URL it matches is an article; one it misses is still judged by
    # shape, so a wrong or stale pattern cannot empty a crawl.
    if any(p.search(target) for p in allow):
        return "article"
    if NEVER_ARTICLE.search(target):
        return "skip:not_article_url"
    if looks_like_article(path):
        return "article"
    return "listing"


def looks_like_article(path: str) -> bool:
    """URL-shape test for article pages when a site gives no `allow` patterns."""
    segments = [s for s in path.split("/") if s]
    if not segments:
        return False
    last = segments[-1].rsplit(".", 1)[0]
    return bool((_DATE_IN_PATH.search(path) and len(segments) >= 3)
                or _LONG_SLUG.fullmatch(last) or (_NUMERIC_ID.search(path)
                and len(segments) >= 2))


def document_base(tree: html.HtmlElement, url: str) -> str:
    """The URL relative links resolve against: `<base href>` when the page sets one."""
    base = tree.find(".//base[@href]")
    return urljoin(url, base.get("href", "")) if base is not None else url


def page_links(tree: html.HtmlElement, base_url: str) -> list[str]:
    """Absolute http(s) links of a page, in page order, fragments removed, de-duplicated."""
    seen: dict[str, None] = {}
    base_url = document_base(tree, base_url)
    for anchor in tree.iterfind(".//a[@href]"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "tel:", "#", "data:")):
            continue
        try:
            absolute = urljoin(base_url, href).split("#", 1)[0]
        except ValueError:  # 'http://[broken' and other unparseable hrefs of real pages
            continue
        if absolute.startswith(("http://", "https://")):
            seen.setdefault(absolute, None)
    return list(seen)


def next_page_links(tree: html.HtmlElement, base_url: str) -> list[str]:
    """`<link rel=next>` / `<a rel=next>` targets: pagination the page declares itself."""
    out = []
    base_url = document_base(tree, base_url)
    for node in tree.xpath(".//link[@rel][@href] | .//a[@rel][@href]"):
        if "next" in (node.get("rel") or "").lower().split():
            try:
                out.append(urljoin(base_url, node.get("href")))
            except ValueError:
                continue
    return out


def feed_links(tree: html.HtmlElement, base_url: str) -> list[str]:
    """RSS/Atom feeds the page announces with `<link rel=alternate type=...>`."""
    out = []
    base_url = document_base(tree, base_url)
    for node in tree.iterfind(".//link[@href]"):
        rel = (node.get("rel") or "").lower().split()
        kind = (node.get("type") or "").lower()
        if "alternate" in rel and ("rss" in kind or "atom" in kind or "feed" in kind):
            out.append(urljoin(base_url, node.get("href")))
    return out
