"""newscrawl.extract.embeds: embedded posts as quotations, and when a gallery's captions are
its story."""

from __future__ import annotations

import pytest
from lxml import html

from newscrawl.extract.embeds import WRITTEN_STORY_WORDS, captions_tell_story, flatten_embeds


@pytest.mark.parametrize(("words", "article_markup", "expected"), [
    (0, False, True),  # captions only: they are the story
    (40, True, True),  # a short intro, even under article markup
    (WRITTEN_STORY_WORDS - 1, True, True),
    (600, False, True),  # a long intro to a gallery that says it is one (no article markup)
    (WRITTEN_STORY_WORDS, True, False),  # an article with a photo gallery in it
    (900, True, False),
])
def test_captions_tell_the_story_unless_an_article_is_written(
        words: int, article_markup: bool, expected: bool) -> None:
    assert captions_tell_story(words, article_markup) is expected


def test_a_line_break_in_a_post_separates_its_words() -> None:
    tree = html.fromstring(
        '<div><blockquote class="twitter-tweet"><p lang="en">The council resolves to:<br>'
        "Keep the harbour lights on all night.</p><p>— Harbour Council (@harbourcouncil)"
        ' <a href="https://twitter.com/x">May 2, 2026</a></p></blockquote></div>')
    assert flatten_embeds(tree) == 1
    assert tree.findtext(".//blockquote/p") == (
        "The council resolves to: Keep the harbour lights on all night.")
