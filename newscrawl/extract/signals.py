"""Every metadata signal a page offers, collected with its source, before any choice is made.

Reconciliation (`reconcile.py`) then picks per field by agreement between sources. Keeping
collection apart from choice is what lets the choice be by evidence rather than first-wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from courlan import extract_domain
from lxml import html

from newscrawl.dedup.keys import normalize_text as line_key
from newscrawl.discovery.dates import url_day
from newscrawl.extract.jsonld import JsonLdArticle, read_jsonld
from newscrawl.extract.labels import AUTHOR_LABEL, DATE_LABEL
from newscrawl.extract.prune import (
    CHROME_TAGS,
    MAX_FURNITURE_CHARS,
    furniture_class,
    furniture_keys,
)
from newscrawl.urls import registered_host

# An <h1> that holds the site's logo or name (themes that mark up the masthead as h1 on
# every page), not the story's headline.
_BRANDING = re.compile(
    r"(?:^|[\s_-])(?:logo|site-?(?:title|name|branding)|branding|navbar-brand|masthead)(?=$|[\s_-])",
    re.IGNORECASE)
# Matched against the lower-cased class and id: an IGNORECASE alternation costs ~5 us per
# element, six times a plain one, and a page has a thousand marked elements.
_BYLINE_CLASS = re.compile(r"byline|author|writer|contributor")
_DATE_CLASS = re.compile(r"date|time|publish|posted|dateline")
_ANY_MARK = re.compile(
    r"date|time|publish|posted|byline|author|writer|contributor|credit|dek|standfirst|sub|kicker"
    r"|eyebrow|meta|bread|cat|updated|share|sharing|read|tags|bio|badge|overline|counter"
    r"|gallery|slideshow|carousel")
_NOT_STORY_TAGS = frozenset(("nav", "aside", "footer"))
MAX_HEADINGS = 8
MAX_HEADING_CHARS = 300
_GALLERY_CLASS = re.compile(r"gallery|slideshow|carousel")
# A link to an author's page ('/author/jane-doe/', '/autoren/name/max-kolter'): the byline of
# themes that mark it up with neither a byline class nor rel=author. Matched lower-cased.
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|autori?|autore|writers?|journalist(?:s|en)?"
    r"|columnists?|contributors?|redakteur(?:e|in)?|users?)/[^/?#]")
# Containers of other stories' bylines: list items (most-read lists, related links) and
# page chrome.
_TEASER_TAGS = ("li", *CHROME_TAGS)
_BYLINE_EXCLUDE = re.compile(r"bio|avatar|image|photo|img|social|follow|more-from|comment|"
                             r"related|footer|widget|box|(?<!v)card|list|teaser")

PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                  "parsely-pub-date", "sailthru.date", "pubdate", "publish-date",
                  "publish_date", "article.published", "dc.date", "dc.date.issued",
                  "dcterms.created", "date", "publication_date", "cxenseparse:recs:publishtime")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified",
                 "article.updated", "dcterms.modified", "last-modified")
AUTHOR_META = ("author", "article:author", "og:article:author", "parsely-author",
               "sailthru.author", "dc.creator", "byl", "cxenseparse:author")
# Other meta names a CMS gives its byline under ('articleAuthor', 'article_author',
# 'og:author', 'article:byline', 'dcterms.creator', 'lp.article:author'): matched on the
# lower-cased name. Not a 'creator' in general (a CMS's account name, a Twitter handle), nor
# an app banner's author (the publisher).
_AUTHOR_META_NAME = re.compile(
    r"(?:^|[:._#-])(?:article_?)?(?:authors?|byline)(?:[._]?name)?$|^dcterms\.creator$")
_NOT_AUTHOR_META = re.compile(r"^(?:smartbanner|has_|twitter)")


def author_meta(meta: dict[str, list[str]]) -> list[str]:
    """The page's meta author values: the well-known names first, then others in page
    order, at most two values per name."""
    known = [v for key in AUTHOR_META for v in meta.get(key, [])[:2]]
    other = [v for key, values in meta.items()
             if key not in AUTHOR_META and _AUTHOR_META_NAME.search(key)
             and not _NOT_AUTHOR_META.match(key) for v in values[:2]]
    return known + other


@dataclass
class Signals:
    """Raw values by source, in page order. Nothing here is cleaned or chosen yet."""

    jsonld: JsonLdArticle
    meta: dict[str, list[str]] = field(default_factory=dict)
    h1: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)  # first h2/h3s outside page chrome
    comment_headings: list[str] = field(default_factory=list)  # 'Leave a Reply' and the like
    title_tag: str | None = None
    time_tags: list[str] = field(default_factory=list)
    updated_time_tags: list[str] = field(default_factory=list)  # <time>s shown as 'Updated'
    bylines: list[str] = field(default_factory=list)
    author_links: list[str] = field(default_factory=list)  # names linked to author pages
    bold_lines: list[str] = field(default_factory=list)  # short paragraphs set all in bold
    microdata: dict[str, list[str]] = field(default_factory=dict)
    url_date: str | None = None
    canonical: str | None = None
    text_dates: list[str] = field(default_factory=list)
    furniture: set[str] = field(default_factory=set)
    rel_tags: list[str] = field(default_factory=list)
    rel_categories: list[str] = field(default_factory=list)
    html_lang: str | None = None
    gallery_markup: bool = False  # a gallery/slideshow widget holding four or more pictures
    standfirst: str | None = None  # the page's description, where the page displays it

    def first_meta(self, *names: str) -> str | None:
        for name in names:
            values = self.meta.get(name)
            if values:
                return values[0]
        return None


def collect_signals(tree: html.HtmlElement, url: str) -> Signals:
    """Read all metadata signals of a parsed page (read-only: the tree is not changed)."""
    signals = Signals(jsonld=read_jsonld(tree))
    for node in tree.iterfind(".//meta"):
        name = (node.get("property") or node.get("name") or node.get("itemprop") or "").lower()
        # `value` for `content`: invalid markup that some CMSs emit and some page archivers
        # write; browsers ignore it, but the value is the page's own statement.
        content = node.get("content") or node.get("value")
        if name and content and content.strip():
            signals.meta.setdefault(name.strip(), []).append(" ".join(content.split()))
    for node in tree.xpath(".//a[@rel]"):
        rel = (node.get("rel") or "").lower().split()
        text = " ".join(node.text_content().split())
        if text and "tag" in rel:
            (signals.rel_categories if "category" in rel else signals.rel_tags).append(text)
    for node in tree.iterfind(".//link[@rel]"):
        if "canonical" in (node.get("rel") or "").lower().split() and node.get("href"):
            signals.canonical = signals.canonical or node.get("href", "").strip()
    title = tree.find(".//title")
    if title is not None:
        signals.title_tag = " ".join(title.text_content().split()) or None
    signals.h1 = [t for h in tree.iterfind(".//h1")
                  if (t := " ".join(h.text_content().split())) and not _is_branding(h, t)]
    signals.headings, signals.comment_headings = _headings(tree)
    for node in tree.iterfind(".//time"):
        value = node.get("datetime") or node.get("content")
        if value:
            tags = signals.updated_time_tags if _shown_as_update(node) else signals.time_tags
            tags.append(value.strip())
        elif text := _spaced_text(node):
            signals.text_dates.append(text)
    _collect_microdata(tree, signals)
    _collect_marked(tree, signals)
    signals.author_links = _author_links(tree, url)
    signals.bold_lines = _bold_lines(tree)
    labelled_names, labelled_dates = _labelled_facts(tree)
    signals.bylines.extend(labelled_names)
    # a date beside a 'Date' label is the story's: it goes before dates found by class name
    # alone, which may be a teaser's
    signals.text_dates[:0] = labelled_dates[:1]
    signals.url_date = url_day(url)
    signals.html_lang = (tree.get("lang") or tree.get("xml:lang") or "").strip() or None
    signals.standfirst = _standfirst(tree, [
        signals.jsonld.description, *(v for name in ("og:description", "description",
                                                     "twitter:description")
                                      for v in signals.meta.get(name, [])[:1])])
    return signals


def _is_branding(h1: html.HtmlElement, text: str) -> bool:
    marker = f"{h1.get('class', '')} {h1.get('id', '')}"
    if _BRANDING.search(marker):
        return True
    links = h1.findall(".//a")
    if len(links) != 1:
        return False
    link = links[0]
    if " ".join(link.text_content().split()) != text and link.find(".//img") is None \
            and link.find(".//svg") is None:
        return False
    # the whole heading is one link to the home page
    href = (link.get("href") or "").strip()
    if "home" in (link.get("rel") or "").lower().split():
        return True
    parts = urlsplit(href)
    return bool(href) and not href.startswith("#") and parts.path in ("", "/") \
        and not parts.query


def _headings(tree: html.HtmlElement, limit: int = MAX_HEADINGS) -> tuple[list[str], list[str]]:
    """Texts of the page's first <h2>/<h3>s outside navigation, asides, footers and the
    comment form (where the <h1> is the site's or the section's name, the headline is one
    of these), and apart, the comment form's headings: WordPress's 'Leave a Reply Cancel
    reply' has a title class, and on a theme without an <h1> a title search finds it."""
    found: list[str] = []
    comments: list[str] = []
    for h in tree.iter("h2", "h3"):
        around = [h, *h.iterancestors()]
        if any(p.tag in _NOT_STORY_TAGS for p in around):
            continue
        if not (t := " ".join(h.text_content().split())) or len(t) > MAX_HEADING_CHARS:
            continue
        if any(_is_comment_area(p) for p in around):
            comments.append(t)
        elif len(found) < limit:
            found.append(t)
    return found, comments


# The comment section and its reply form ('#respond', '.comment-respond', '#reply-title',
# '.comments-area'); matched on the lower-cased class and id.
_COMMENT_AREA = re.compile(r"(?:^|[\s_-])(?:comments?|respond|reply-title)(?:$|[\s_-])")


def _is_comment_area(node: html.HtmlElement) -> bool:
    return bool(_COMMENT_AREA.search(f"{node.get('class', '')} {node.get('id', '')}".lower()))


def _collect_microdata(tree: html.HtmlElement, signals: Signals) -> None:
    for node in tree.xpath(".//*[@itemprop]"):
        prop = node.get("itemprop", "").strip()
        if prop not in ("headline", "datePublished", "dateModified", "author", "name"):
            continue
        if prop == "name" and node.getparent() is not None \
                and "author" not in (node.getparent().get("itemprop") or ""):
            continue
        value = node.get("content") or node.get("datetime") or node.text_content()
        value = " ".join((value or "").split())
        if value and node.tag != "meta":
            key = "author" if prop == "name" else prop
            if prop == "author" and node.xpath(".//*[@itemprop='name']"):
                continue  # the nested name is read on its own
            signals.microdata.setdefault(key, []).append(value)


# A <time> the page presents as its last update: 'Updated 20:49, 5 Aug 2024' beside the
# story's first publication in JSON-LD. Not the bare 'updated' class: hAtom requires it on
# every entry's date, and WordPress themes put it on the publication date.
_UPDATE_MARK = re.compile(r"modified|(?:date|time)[-_]?updated|updated[-_]?(?:date|time|at|on)"
                          r"|last[-_]?updated", re.IGNORECASE)
_UPDATE_LABEL = re.compile(
    r"(?:^|\b)(?:last\s+)?(?:updated|modified|aktualisiert|mis\s+à\s+jour|actualizado"
    r"|aggiornato|atualizado|oppdatert|uppdaterad|opdateret|bijgewerkt)(?:\s+(?:on|am|le|el))?"
    r"\s*:?\s*$", re.IGNORECASE)


def _shown_as_update(node: html.HtmlElement) -> bool:
    """Whether a <time> is marked or labelled as the page's update time: its own class or
    itemprop says so, or the words just before it ('Updated', 'Aktualisiert am') do."""
    if _UPDATE_MARK.search(f"{node.get('class', '')} {node.get('itemprop', '')}"):
        return True
    return bool(_UPDATE_LABEL.search(" ".join(_words_before(node).split())[-40:]))


def _words_before(node: html.HtmlElement) -> str:
    """The text just before an element: what follows its previous sibling, else that
    sibling's own text ('<span>Updated</span><time>'), else its parent's opening text."""
    before = node.getprevious()
    if before is None:
        parent = node.getparent()
        return (parent.text or "") if parent is not None else ""
    if (before.tail or "").strip():
        return before.tail or ""
    return before.text_content() if isinstance(before, html.HtmlElement) else ""


def _collect_marked(tree: html.HtmlElement, signals: Signals) -> None:
    """One pass over elements with a class or id: visible bylines, dates written as text,
    furniture lines (kicker, dek, byline, credits; see prune.py) and gallery widgets. Also
    rel=author links.

    A single cheap regex screens each marker first; most elements match nothing.
    """
    for node in tree.xpath(".//a[@rel='author']"):
        if name := _spaced_text(node):
            signals.bylines.append(name)
    story = _story_article(tree)
    furniture: list[tuple[str, str, str]] = []
    for node in tree.xpath(".//body//*[@class or @id]"):
        marker = f"{node.get('class', '')} {node.get('id', '')}".lower()
        if not _ANY_MARK.search(marker):
            continue
        text: str | None = None
        if not signals.gallery_markup and (_GALLERY_CLASS.search(node.get("class", ""))
                                           or "gallery" in node.get("id", "")):
            # Articles with photos rarely wrap four or more of them in a gallery widget.
            signals.gallery_markup = len(node.xpath(".//img | .//figure[not(.//img)]")) >= 4
        if _DATE_CLASS.search(marker) and len(signals.text_dates) < 4:
            text = _spaced_text(node)
            if 6 <= len(text) <= 120:
                signals.text_dates.append(text)
        if _BYLINE_CLASS.search(marker) and not _BYLINE_EXCLUDE.search(marker) \
                and not _in_teaser(node, story):
            text = text if text is not None else _spaced_text(node)
            # A byline is short; a long block with 'author' in its class is a bio or a list.
            if text and len(text) <= 120:
                signals.bylines.append(text)
        if style := furniture_class(marker):
            text = text if text is not None else _spaced_text(node)
            if len(text) <= MAX_FURNITURE_CHARS and (key := line_key(text)):
                furniture.append((str(node.tag), style, key))
    signals.furniture = furniture_keys(furniture)


def _story_article(tree: html.HtmlElement) -> html.HtmlElement | None:
    """The `<article>` that holds the page's first `<h1>`: the story, where a page has other
    `<article>`s too (related-story cards, the next post of an endless scroll)."""
    h1 = next(tree.iter("h1"), None)
    if h1 is None:
        return None
    return next((a for a in h1.iterancestors("article")), None)


def _in_teaser(node: html.HtmlElement, story: html.HtmlElement | None) -> bool:
    """Whether a byline belongs to another story's teaser: it sits in a list item, in page
    chrome, inside a link to another page, or in an `<article>` other than the story's."""
    for parent in node.iterancestors():
        if parent.tag in _TEASER_TAGS:
            return True
        if parent.tag == "a" and not _AUTHOR_PAGE.search(parent.get("href", "").lower()):
            return True
        if parent.tag == "article" and story is not None:
            # another article, neither inside the story's nor around it
            return parent is not story and story not in parent.iterancestors() \
                and parent not in story.iterancestors()
    return False


def _author_links(tree: html.HtmlElement, url: str) -> list[str]:
    """Names linked to author pages of this site in the page's first byline-like spot: the
    first such link and the ones beside it in the same short element (co-authors). Later
    links (teasers of other stories, an author box) are other people's or repeats; menus (a
    columnists list in the navigation) are nobody's byline; a page on another site (the
    outlet's channel at 'youtube.com/user/...') is nobody's author page."""
    site = _site_of(url)
    first = next((a for a in tree.iterfind(".//body//a[@href]")
                  if _is_author_page(a.get("href", ""), site)
                  and not any(p.tag in CHROME_TAGS for p in a.iterancestors())), None)
    if first is None:
        return []
    parent = first.getparent()
    if parent is None or len(parent.text_content()) > 200:
        links = [first]
    else:
        links = [a for a in parent.iterfind(".//a[@href]")
                 if _is_author_page(a.get("href", ""), site)]
    names = (_spaced_text(a) for a in links)
    return [n for n in names if n and len(n) <= 60]


def _is_author_page(href: str, site: str) -> bool:
    """Whether a link leads to an author's page on the site `site` (see `_site_of`)."""
    href = href.lower()
    if not _AUTHOR_PAGE.search(href):
        return False
    return not href.startswith(("http:", "https:", "//")) or _site_of(href) == site


def _site_of(url: str) -> str:
    """The registered domain of a URL's host ('news.outlet.example', 'www.outlet.example' ->
    'outlet.example'; 'www.outlet.co.uk' -> 'outlet.co.uk'), by courlan (trafilatura's URL
    library); an address without one (an IP) stands for itself, with its port."""
    return extract_domain(url, fast=True) or registered_host(url)


def _bold_lines(tree: html.HtmlElement) -> list[str]:
    """Texts of short paragraphs that are one bold run and nothing else ('<p><strong>Jane
    Doe</strong></p>'): the in-body byline of some themes, also subheads and list items."""
    lines = []
    for p in tree.iterfind(".//body//p"):
        children = list(p)
        if len(children) != 1 or children[0].tag not in ("strong", "b") \
                or (p.text or "").strip() or (children[0].tail or "").strip():
            continue
        text = " ".join(p.text_content().split())
        if text and len(text.split()) <= 10:
            lines.append(text)
    return lines


def _labelled_facts(tree: html.HtmlElement) -> tuple[list[str], list[str]]:
    """(names, dates) set beside an 'Author' or a 'Date' label in a list of facts
    ('<li><strong>Autorin/Autor</strong> Jane Doe</li>', '<dt>Datum</dt><dd>28.04.2023</dd>'):
    the byline and dateline of sites that show the story's details as a table rather than
    under the headline."""
    names: list[str] = []
    dates: list[str] = []
    for label in tree.iter("strong", "b", "dt", "th"):
        parent = label.getparent()
        # a bold label opens its row; a bold 'Autor' inside a sentence is no field
        if label.tag in ("strong", "b") and (parent is None or (parent.text or "").strip()
                                             or label.getprevious() is not None):
            continue
        text = " ".join(label.text_content().split())
        found = names if AUTHOR_LABEL.match(text) else dates if DATE_LABEL.match(text) \
            else None
        if found is None:
            continue
        value = (label.tail or "").strip()
        if not value and (following := label.getnext()) is not None:
            value = _spaced_text(following)
        if value and len(value) <= 120:
            found.append(" ".join(value.split()))
    return names, dates


# A description shorter than this is a label or a slogan, not a standfirst.
MIN_STANDFIRST_CHARS = 40
_NOT_SHOWN = frozenset(("head", "script", "style", "noscript", "template", "meta", "title"))


def _standfirst(tree: html.HtmlElement, descriptions: list[str | None]) -> str | None:
    """The page's own summary as the page shows it: the first element whose whole text is
    one of the page's descriptions (JSON-LD, og, meta, twitter), which the template sets
    as the dek or standfirst under the headline. None when no element shows one."""
    wanted = {c for d in descriptions if d and len(c := " ".join(d.split())) >=
              MIN_STANDFIRST_CHARS}
    if not wanted:
        return None
    # Only elements whose own text (or their first child's) starts like a description are
    # worth a text_content(): a page has thousands of elements and one standfirst.
    starts = {w[:12] for w in wanted}
    for node in tree.iter():
        if not isinstance(node.tag, str) or node.tag in _NOT_SHOWN:
            continue
        lead = node.text if node.text and node.text.strip() else (
            node[0].text if len(node) and isinstance(node[0].tag, str) else None)
        if not lead or " ".join(lead.split())[:12] not in starts:
            continue
        if any(a.tag in _NOT_SHOWN for a in node.iterancestors()):
            continue
        if (text := " ".join(node.text_content().split())) in wanted:
            return text
    return None


def _spaced_text(node: html.HtmlElement) -> str:
    """Text of an element with its children's texts separated: bylines put name, role and
    date in sibling spans, and text_content() would glue 'Jane DoeSenior Editor'."""
    return " ".join(" ".join(node.itertext()).split())
