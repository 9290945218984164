"""newscrawl.dedup.keys: the normalised text and its content hash."""

from __future__ import annotations

import pytest

from newscrawl.dedup.keys import content_hash, normalize_text

STORY = ("Marlowe Quinn has signed on to star in “The Lantern Keepers,” the fantasy drama "
         "Harbourlight Pictures will shoot in Glasgow this spring.\n\n"
         "Quinn will play Edda Voss — a lighthouse keeper with a secret.")


@pytest.mark.parametrize("variant", [
    STORY.upper(),
    STORY.replace("“", '"').replace("”", '"').replace("—", "-"),
    STORY.replace("\n\n", " ").replace(" ", "   "),
    "  " + STORY + "\n",
    STORY.replace(",", "").replace(".", ""),
    STORY.replace("Quinn", "Ｑｕｉｎｎ"),   # full-width letters (NFKC)
    STORY.replace("lighthouse", "light\u00adhouse"),  # a soft hyphen: a break hint
    STORY.replace("Harbourlight", "Harbour\u200blight"),  # a zero-width space
])
def test_hash_ignores_case_punctuation_and_whitespace(variant: str) -> None:
    assert variant != STORY
    assert content_hash(variant) == content_hash(STORY)


@pytest.mark.parametrize("other", [
    STORY.replace("Glasgow", "Edinburgh"),
    STORY.replace("spring", "summer"),
    STORY + " Filming wraps in June.",
    STORY.split("\n\n")[0],
])
def test_different_text_different_hash(other: str) -> None:
    assert content_hash(other) != content_hash(STORY)


def test_hash_format() -> None:
    digest = content_hash(STORY)
    assert len(digest) == 16
    assert int(digest, 16) >= 0
    assert content_hash(STORY) == digest


def test_normalize_text() -> None:
    assert normalize_text("  Quinn’s “Big”   NIGHT!\n\nIt's_here. ") == \
        "quinn s big night it s here"
    assert normalize_text("—…!?") == ""
