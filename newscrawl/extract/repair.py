"""Markup repair before parsing, for the breakage lxml does not recover from on its own.

lxml (libxml2) recovers unclosed tags, mis-nested tables, a second `<body>` and truncated
documents: the text survives. What it does not survive is a `</body>` or `</html>` that comes
early, before the story (template includes that close the document, pages concatenated by a
CMS): libxml2 discards everything after it, so the story is lost though a browser shows it.
"""

from __future__ import annotations

import re

_DOCUMENT_END = re.compile(r"</\s*(?:body|html)\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_COMMENT_OR_SCRIPT = re.compile(r"<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>",
                                re.IGNORECASE | re.DOTALL)
# Text after the document's end that is more than trailing junk (a tracking pixel, a
# comment, whitespace) means the end tag came early.
MIN_TRAILING_CHARS = 40


def drop_early_document_ends(markup: str) -> str:
    """Remove `</body>` and `</html>` tags when real content follows the first of them, so the
    parser keeps that content (it closes the document at the end of input anyway). Markup whose
    end tags come last is returned unchanged."""
    first = _DOCUMENT_END.search(markup)
    if first is None:
        return markup
    rest = _COMMENT_OR_SCRIPT.sub("", markup[first.end():])
    if len("".join(_TAG.sub(" ", rest).split())) < MIN_TRAILING_CHARS:
        return markup
    return _DOCUMENT_END.sub("", markup)
