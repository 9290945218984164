"""Sane lengths for a record's short fields, applied in one place as the record is built.

A hostile or broken page can put a megabyte into `<title>` or a thousand names into its
author markup; the dataset would store it whole and every log line naming it would carry it.
The limits sit far above anything a real page has (the longest headline in the eval corpus is
under 200 characters), so they only ever cut garbage. `text` is not capped here: the page
size cap bounds it, and cutting it would change the story.
"""

from __future__ import annotations

from typing import Any

# Characters per string field.
MAX_CHARS = {"title": 500, "description": 2_000, "language": 16}
# A cut URL is a wrong URL: a longer lead image URL is dropped (the field is optional). The
# page's own URLs are bounded by the crawl's URL length cap.
MAX_IMAGE_URL = 4_096
# (items, characters per item) for list fields.
MAX_ITEMS = {"authors": (50, 200), "tags": (100, 200), "categories": (50, 200)}
ELLIPSIS = "…"


def cap_text(value: str, limit: int) -> str:
    """`value` cut to at most `limit` characters, at a word boundary when one is near the
    end, marked with an ellipsis."""
    if len(value) <= limit:
        return value
    cut = value[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def cap_fields(record: dict[str, Any]) -> dict[str, Any]:
    """Cap the short fields of `record` in place (and return it)."""
    for name, limit in MAX_CHARS.items():
        value = record.get(name)
        if isinstance(value, str) and len(value) > limit:
            record[name] = cap_text(value, limit)
    image = record.get("image_url")
    if isinstance(image, str) and len(image) > MAX_IMAGE_URL:
        record["image_url"] = None
    for name, (items, chars) in MAX_ITEMS.items():
        values = record.get(name)
        if isinstance(values, list) and (len(values) > items
                                         or any(len(v) > chars for v in values)):
            record[name] = [cap_text(v, chars) for v in values[:items]]
    return record
