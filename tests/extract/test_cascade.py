"""newscrawl.extract.cascade: which fast-mode results trafilatura's full cascade redoes."""

from __future__ import annotations

import trafilatura
from lxml import html

from newscrawl.extract import extract_article
from newscrawl.extract.cascade import story_in_teaser_block

PARAGRAPHS = [f"<p>{text}</p>" for text in (
    "The harbour board met on Tuesday evening to hear the plans for the new ferry terminal,"
    " and the public gallery was full long before the chair opened the session.",
    "Engineers from the port authority showed drawings of a second berth on the eastern"
    " quay, where the old fish market stood until the storm of the previous winter.",
    "Residents of the terraces above the harbour asked about lorry traffic on the narrow"
    " streets, which already carry the buses to the ferry and the morning deliveries.",
    "The chair said the board would publish the traffic survey before the summer, so that"
    " every household could read it and write to the board before the final vote.",
    "Fishermen who still land their catch at the old pier want a guarantee that the pier"
    " stays open until the new terminal is finished and the berths are handed over.",
    "The treasurer warned that the costs had risen by a fifth since the first estimate,"
    " mostly because steel and concrete had become dearer over the last two years.",
    "A decision is expected at the board's meeting in June, after the survey and the"
    " letters from residents have been read and discussed in a session open to the public.",
)]
STORY = ("".join(PARAGRAPHS[:3]) + "<h3>What the board asked first</h3>"
         + "<ol><li>Who pays for the second berth?</li><li>When does the old pier close?</li>"
         + "</ol>" + "".join(PARAGRAPHS[3:]))
URL = "https://harbourgazette.test/2026/04/ferry-terminal"


def _page(container: str) -> str:
    return (f"<html><head><title>Ferry terminal plans</title></head><body>"
            f"<div class='menu'><a href='/'>Home</a></div>{container}</body></html>")


def _fast(page: str) -> tuple[html.HtmlElement, trafilatura.settings.Document]:
    tree = html.fromstring(page)
    doc = trafilatura.bare_extraction(tree, url=URL, fast=True, include_comments=False)
    assert doc is not None
    return tree, doc


def test_a_story_in_a_teaser_block_outside_any_known_container_is_flagged() -> None:
    tree, doc = _fast(_page(f"<div class='teaser_column_text'><div id='column_maintext'>{STORY}"
                            "</div></div>"))
    assert "What the board asked first" not in doc.text  # what fast mode loses here
    assert story_in_teaser_block(tree, doc.body)


def test_loose_paragraphs_without_a_teaser_block_are_not() -> None:
    # (the full cascade would keep fast mode's text here: nothing to gain from it)
    tree, doc = _fast(_page(f"<div class='column_text'><div id='column_maintext'>{STORY}"
                            "</div></div>"))
    assert not story_in_teaser_block(tree, doc.body)


def test_a_small_teaser_box_beside_the_story_is_not() -> None:
    tree, doc = _fast(_page(f"<div class='column_text'>{STORY}</div><div class='teaser'>"
                            "<p>Another story from the harbour.</p></div>"))
    assert not story_in_teaser_block(tree, doc.body)


def test_a_story_in_an_article_element_is_not() -> None:
    tree, doc = _fast(_page(f"<article>{STORY}</article>"))
    assert "What the board asked first" in doc.text
    assert not story_in_teaser_block(tree, doc.body)


def test_a_result_with_a_list_came_from_a_container() -> None:
    body = html.fromstring("<body><p>One.</p><list><item>Two</item></list></body>")
    assert not story_in_teaser_block(html.fromstring(_page(STORY)), body)


def test_no_result_tree_is_not_a_signal() -> None:
    assert not story_in_teaser_block(html.fromstring(_page(STORY)), None)


def test_the_extraction_keeps_subheadings_and_lists_of_such_a_story() -> None:
    page = _page(f"<div class='teaser_column_text'><div id='column_maintext'>{STORY}</div></div>")
    record = extract_article(page.encode(), URL).record
    assert record is not None
    assert "What the board asked first" in record["text"]
    assert "Who pays for the second berth?" in record["text"]
    assert "When does the old pier close?" in record["text"]
