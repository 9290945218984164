"""Why a page gave no record: the one list of extraction's drop reasons.

A page that is a story becomes a record whatever its length; these reasons name the pages that
are not stories (or could not be read at all). The crawl counts each as `dropped/<reason>`
and may remember the ones in `NOT_A_STORY_BY_NATURE` so it does not fetch them again soon.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

DropReason = Literal[
    # the bytes are not a page we can read
    "not_html",          # a binary or non-HTML content type
    "empty_page",        # no bytes, or only whitespace
    "too_large",         # over MAX_PAGE_BYTES
    "unparseable_html",  # no parser recovered a document
    # a page, but not a story
    "listing_page",        # section, tag, author, search or home page: teasers, not a story
    "not_an_article",      # a site page (about, contact, policy): no article markup, no date
    "error_page",          # a soft 404 or error page served with status 200
    "access_stub",         # a consent, paywall or login wall with no story text behind it
    "media_without_text",  # a video or gallery page with no written text at all
    "empty_shell",         # less than a sentence of text: a template without its story
    "no_title",            # no headline anywhere, not even a URL slug to name it by
]

DROP_REASONS: Final[frozenset[str]] = frozenset(get_args(DropReason))

# Reasons that come from what the page is, not from an accident of this fetch: refetching the
# same URL soon would give the same answer.
NOT_A_STORY_BY_NATURE: Final[frozenset[str]] = frozenset({"not_html", "media_without_text"})
