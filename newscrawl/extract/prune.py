"""Page furniture: the short blocks around a story that are not its text.

trafilatura keeps short blocks that sit inside the article container: the kicker above the
headline, the standfirst, byline and timestamp lines, photo credits, share bars. Their
content is metadata we read separately (signals.py), so their lines leave the text. Only short
elements count: a long block whose class merely contains one of these words is a container.
Also the site's own `extra_boilerplate` selectors, which are removed from the tree outright.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import html
from lxml.cssselect import CSSSelector

from newscrawl.extract.labels import AUTHOR_LABEL, DATE_LABEL
from newscrawl.urls import canonicalize_url, domain_of

_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:dek|standfirst|sub-?title|sub-?head(?:ing|line)?|kicker|eyebrow|byline"
    r"|bylines|post-?meta|article-?meta|entry-?meta|meta-?info|breadcrumbs?|post-?cat"
    r"|updated|timestamp|dateline|share|sharing|social-?share|credit|credits|photo-?credit"
    r"|read-?more|tags-?list|post-?tags|author-?bio|about-?author|badge|overline"
    r"|slide-?counter|counter)(?:$|[\s_-])")  # on lower-cased markers (see signals.py)
MAX_FURNITURE_CHARS = 300


def furniture_class(marker: str) -> str:
    """The furniture word an element's class/id names ('subtitle' in 'subtitle small'):
    kicker, dek, byline, credit or similar; '' when it names none.

    The caller (signals.py) collects such elements' texts while it scans for bylines, and
    extraction drops text lines equal to one of them. Pruning the elements before
    extraction instead changes which container trafilatura picks as the story and
    measurably loses body text on real pages.
    """
    found = _FURNITURE.search(marker.lower())
    return found.group().strip(" _-") if found else ""


# Headings that carry a furniture class. A dek is one per story; a class that several
# headings of the page share (with different texts) is the template's style for the story's
# own subheadings ('<h2 class="subtitle">' between paragraphs), which are story text.
HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})


def furniture_keys(marked: list[tuple[str, str, str]]) -> set[str]:
    """The line keys of furniture elements, given as (tag, furniture class, key) triples:
    all of them except the texts of headings whose furniture class several headings share
    with different texts (in-body subheadings; see HEADING_TAGS)."""
    texts: dict[str, set[str]] = {}
    for tag, style, key in marked:
        if tag in HEADING_TAGS:
            texts.setdefault(style, set()).add(key)
    # (by text, not by element: a wrapper of a subheading, '<span class="content-subtitle">
    # <h3 class="subtitle">', has the same text and is no more furniture than it)
    subheads = set().union(*(keys for keys in texts.values() if len(keys) >= 2))
    return {key for _, _, key in marked} - subheads


def prune_selectors(tree: html.HtmlElement, selectors: tuple[str, ...]) -> list[str]:
    """Drop the elements matching a site's `extra_boilerplate` selectors; returns the
    selectors that were invalid (the caller logs them)."""
    invalid = []
    for selector in selectors:
        try:
            matches = list(CSSSelector(selector)(tree))
        except Exception:  # noqa: BLE001 - cssselect raises several types on bad input
            invalid.append(selector)
            continue
        for node in matches:
            if node.getparent() is not None:
                node.drop_tree()
    return invalid


# Page chrome trafilatura deletes in any case (its MANUALLY_CLEANED list).
CHROME_TAGS = ("nav", "footer", "aside")


def drop_chrome(tree: html.HtmlElement) -> None:
    """Remove `<nav>`, `<footer>` and `<aside>` before text extraction.

    trafilatura deletes them too, but only after copying the whole tree several times, and it
    measures the full page's text (navigation included) to decide whether to re-extract in
    recall mode. Removing them first gives the same text (no difference on 186 real pages of
    the eval corpus) for about 5% less time there, more on pages with heavy menus."""
    for node in list(tree.iter(*CHROME_TAGS)):
        if node.getparent() is not None:
            node.drop_tree()  # keeps the tail text, which belongs to the parent


def drop_link_paragraphs(tree: html.HtmlElement, url: str, canonical: str | None = None,
                         ) -> None:
    """Remove paragraphs and headings that are nothing but one link to another page of the
    site: the teasers templates put between a story's paragraphs ("ANOTHER STORY IN
    CAPITALS", a headline linking to another story). A sentence of the story that contains
    a link has text around it and stays. So does a lone link to another site (a blog post's
    'read the whole thing' link to its source, a listicle's item, a product): part of the
    story rather than a pointer to the site's next one. And so does a heading linking to
    this very page: the story's own headline, as blog themes set it; without it trafilatura
    loses its bearings and can take a sidebar for the story.

    A paragraph or heading inside such a link goes too: the headline and standfirst of a
    teaser card, which templates wrap in one link with the picture
    (`<a href="/other-story"><img><h3>Headline</h3></a>`)."""
    host = domain_of(url)
    here = {canonicalize_url(url), canonicalize_url(canonical or url)}
    for node in list(tree.iter("p", "h2", "h3", "h4")):
        if node.getparent() is None:
            continue
        card = next(node.iterancestors("a"), None)
        if card is not None:
            # (a link with a target: `<a name=...>` anchors of old pages wrap whole stories)
            href = card.get("href", "").strip()
            if href and not href.startswith(("#", "javascript:")) \
                    and _links_within(href, host) \
                    and not _same_page(urljoin(url, href), here):
                node.drop_tree()
            continue
        link = _only_link(node)
        if link is None:
            continue
        text = node.text_content().strip()
        if not text or text != link.text_content().strip():
            continue
        href = link.get("href", "")
        if not _links_within(href, host):
            continue
        if node.tag != "p" and href.strip() and _same_page(urljoin(url, href.strip()), here):
            continue
        node.drop_tree()


# A list item is a link when the link holds at least this share of its text: a related
# box's '<li><strong>Kicker:</strong> <a>Headline</a></li>' is one, a story's bullet point
# with a link on a few of its words is not.
LINK_ITEM_SHARE = 0.5


def drop_link_lists(tree: html.HtmlElement, url: str) -> None:
    """Remove lists (`<ul>`, `<ol>`) of two or more items where every item is one link to
    another page of the site: the related-stories and tag boxes templates put inside or
    right after the story ("More on this topic" headlines, topic tags, cards of a picture
    and a headline linking to one story over a standfirst). A list of the story's points
    stays, even where a point links somewhere, and so does a list of links to other sites
    (sources, products). Runs before drop_link_paragraphs, which would take a card's
    headline and leave its standfirst."""
    host = domain_of(url)
    for node in list(tree.iter("ul", "ol")):
        items = [child for child in node if child.tag == "li"]
        if len(items) >= 2 and node.getparent() is not None \
                and all(_is_link_item(item, host) for item in items):
            label = node.getprevious()
            if label is not None and _is_list_label(label):
                label.drop_tree()
            node.drop_tree()


# A facts list longer than this is content (a glossary, a film's credits), not a details box.
MAX_FACT_ROWS = 8
MAX_FACT_LABEL_CHARS = 30


def drop_fact_lists(tree: html.HtmlElement) -> None:
    """Remove a definition list that states the story's own details: short labels, one of
    them the date's or the author's ('<dt>掲載日</dt><dd>2026/4/28</dd><dt>カテゴリ</dt>...').
    signals.py has read the date and the byline from it; left in, its labels and values
    become one-word lines at the end of the text. A list of the story's own facts ('Film',
    'Director', 'Running time') has no such label and stays."""
    for node in list(tree.iter("dl")):
        labels = [" ".join(dt.text_content().split()) for dt in node.iter("dt")]
        if node.getparent() is not None and 0 < len(labels) <= MAX_FACT_ROWS \
                and all(len(label) <= MAX_FACT_LABEL_CHARS for label in labels) \
                and any(AUTHOR_LABEL.match(label) or DATE_LABEL.match(label)
                        for label in labels):
            node.drop_tree()


# The box's title right before such a list ('Related', 'Trending Stories', '[Related
# articles]'): a heading, or a short line that is not a sentence. Without its list
# trafilatura would keep it as a line of its own.
MAX_LIST_LABEL_CHARS = 40
_SENTENCE_END = (".", "!", "?", "。", "！", "？", '"', "”", "“", "»", "«")


def _is_list_label(node: html.HtmlElement) -> bool:
    if node.tag not in (*HEADING_TAGS, "p", "div", "span", "strong") \
            or (node.tail or "").strip() or node.find(".//a") is not None:
        return False
    text = " ".join(node.text_content().split())
    return 0 < len(text) <= MAX_LIST_LABEL_CHARS \
        and (node.tag in HEADING_TAGS or not text.endswith(_SENTENCE_END))


def _is_link_item(item: html.HtmlElement, host: str) -> bool:
    """One link target for the whole item (a card links its picture and its headline to the
    same story), on the site, whose link text is most of the item's text or is a heading (a
    card's headline over its standfirst)."""
    links = [link for link in item.iter("a") if link.get("href", "").strip()]
    targets = {link.get("href", "").strip() for link in links}
    if len(targets) != 1:
        return False
    href = targets.pop()
    if href.startswith(("#", "javascript:")) or not _links_within(href, host):
        return False
    text = " ".join(item.text_content().split())
    linked = sum(len(" ".join(link.text_content().split())) for link in links)
    return bool(text) and (linked >= LINK_ITEM_SHARE * len(text) or any(
        next(link.iterancestors(*HEADING_TAGS), None) is not None for link in links))


def _same_page(href: str, here: set[str]) -> bool:
    try:
        return canonicalize_url(href) in here
    except ValueError:
        return False


def drop_other_stories(tree: html.HtmlElement, url: str, canonical: str) -> None:
    """Remove the `<article>` elements that are other stories: the next posts an endless
    scroll appends after the story, related-post cards. Such an article carries a permalink
    (its `rel=bookmark` link, or its heading's link) to another URL; the story itself links
    to this page or to nothing. Top-level articles only, and never all of them: a page
    whose every article points elsewhere is left to trafilatura."""
    tops = [a for a in tree.iter("article")
            if not any(p.tag == "article" for p in a.iterancestors())]
    if len(tops) < 2:
        return
    here = {canonicalize_url(url), canonicalize_url(canonical)}
    depth = _depth(url)
    others = [a for a in tops if (link := _permalink(a, depth))
              and canonicalize_url(urljoin(url, link)) not in here]
    if len(others) < len(tops):
        for node in others:
            node.drop_tree()


def _permalink(article: html.HtmlElement, depth: int) -> str | None:
    """The article's rel=bookmark link, else its first heading's link when that has a story
    URL's shape: a path at least as deep as this page's. A shallower one is a section (the
    story's kicker heading linking to '/local-news/'), not another story."""
    link = article.find(".//a[@rel='bookmark']")
    if link is not None:
        return link.get("href")
    heading = next(article.iter("h1", "h2", "h3"), None)
    link = heading.find(".//a[@href]") if heading is not None else None
    href = link.get("href") if link is not None else None
    return href if href and _depth(href) >= depth else None


def _depth(url: str) -> int:
    """Non-empty path segments: '/2024/05/slug/' has three."""
    return len([s for s in urlsplit(urljoin("http://x/", url)).path.split("/") if s])


def _only_link(node: html.HtmlElement) -> html.HtmlElement | None:
    found = None
    for link in node.iter("a"):
        if found is not None:
            return None
        found = link
    return found


def _links_within(href: str, host: str) -> bool:
    """Whether a link stays on the page's site (relative links always do). Cheap on purpose:
    a page of teaser cards asks it a few hundred times."""
    href = href.strip()
    if not href.startswith(("http://", "https://", "//")):
        return True
    return domain_of(href) == host
