"""Content keys: the normalised form of a text and its hash.

Two copies of a story that differ only in case, punctuation, quotes style or whitespace must
hash alike, so the text is normalised before hashing.
"""

from __future__ import annotations

import re
import unicodedata

import xxhash

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_text(text: str) -> str:
    """NFKC, case-folded, punctuation removed, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def content_hash(text: str) -> str:
    """16 hex chars of xxh3-64 over the normalised text."""
    return xxhash.xxh3_64_hexdigest(normalize_text(text).encode("utf-8"))
