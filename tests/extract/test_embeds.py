"""newscrawl.extract.embeds: when a gallery's captions are its story."""

from __future__ import annotations

import pytest

from newscrawl.extract.embeds import WRITTEN_STORY_WORDS, captions_tell_story


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
