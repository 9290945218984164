"""trafilatura's reading of a page's metadata, as one more opinion for reconcile.py.

`trafilatura.extract_metadata` also reads categories, tags and the licence: three searches of
the whole tree (about a fifth of its time on the eval corpus) for fields we take from our own
signals, and it tidies the site name, which we take from ours too. This asks trafilatura's
metadata functions for the fields we do use (title, author, date, description, language,
image), in the order and with the precedence
`extract_metadata` gives them, so the opinion is the same; `tests/extract/test_opinion.py`
checks that against `extract_metadata` itself. It comes in two steps, `page_opinion` (every
field but a byline found by searching the text) and `with_byline` (that search, the slow
part), so the extractor can skip the search where it cannot change the authors. These
functions are not trafilatura's public
API: a release that moves them makes this fall back to `extract_metadata` (slower, same
fields) instead of breaking the import.
"""

from __future__ import annotations

import logging

import trafilatura
from htmldate import find_date
from lxml import html
from trafilatura.settings import Document

logger = logging.getLogger(__name__)

try:
    from trafilatura.metadata import (
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_title,
        extract_url,
    )
    from trafilatura.settings import set_date_params
except ImportError:  # pragma: no cover - depends on the installed trafilatura
    SPLIT_METADATA = False
else:
    SPLIT_METADATA = True


def trafilatura_opinion(tree: html.HtmlElement, url: str) -> Document:
    """trafilatura's title, author, date, description, language and image."""
    return with_byline(tree, page_opinion(tree, url))


def page_opinion(tree: html.HtmlElement, url: str) -> Document:
    """trafilatura's opinion without its search of the text for a byline: the title,
    description, language, image and author its meta tags, JSON-LD and title elements
    state, and htmldate's date.

    The byline search is most of trafilatura's metadata time (a mean 9 ms a page on the
    eval corpus where it runs, against 2 ms for the date search and a median 0.5 ms for the
    rest), and only the authors depend on it; the fitted title and date weights lean on
    this opinion's title and date, so every page gets it, and the byline search runs only
    where it could change the authors (see _choose_metadata).
    """
    if not SPLIT_METADATA:
        return trafilatura.extract_metadata(tree, url)
    found = examine_meta(tree)
    # trafilatura's rule: a one-word author from the meta tags is a handle, not a name.
    if found.author and " " not in found.author:
        found.author = None
    try:
        found = extract_meta_json(tree, found)
    except Exception as exc:  # noqa: BLE001 - trafilatura guards this call the same way
        logger.debug("trafilatura's JSON-LD reading failed on %s: %s", url, exc)
    if not found.title:
        found.title = extract_title(tree)
    if not found.url:
        found.url = extract_url(tree, url)
    found.date = find_date(tree, **{**set_date_params(True), "url": found.url})
    found.clean_and_trim()  # unescapes and trims every field, as extract_metadata ends
    return found


def with_byline(tree: html.HtmlElement, opinion: Document) -> Document:
    """`opinion` (from page_opinion) with trafilatura's byline search where its meta tags
    named no author, as extract_metadata does. Changes and returns `opinion`."""
    if SPLIT_METADATA and not opinion.author:
        searched = Document()
        searched.author = extract_author(tree)
        searched.clean_and_trim()
        opinion.author = searched.author
    return opinion
