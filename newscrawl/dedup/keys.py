"""Content keys: the normalised form of a text and its hash.

Two copies of a story that differ only in case, punctuation, quotes style or whitespace must
hash alike, so the text is normalised before hashing.
"""

from __future__ import annotations

import re
import unicodedata

import xxhash

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Soft hyphens and zero-width spaces are line-breaking hints for the browser ('Ver\xadfas\xad
# sungs\xadbe\xadschwerde' in a German headline): invisible on the page, so two texts that
# differ only by them are the same text. Zero-width joiners are not hints: they shape Indic
# and Persian script and emoji.
INVISIBLE = re.compile("[\u00ad\u200b\u2060\ufeff]")


def normalize_text(text: str) -> str:
    """NFKC, case-folded, invisible break hints and punctuation removed, whitespace
    collapsed."""
    folded = unicodedata.normalize("NFKC", INVISIBLE.sub("", text)).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def content_hash(text: str) -> str:
    """16 hex chars of xxh3-64 over the normalised text."""
    return xxhash.xxh3_64_hexdigest(normalize_text(text).encode("utf-8"))
