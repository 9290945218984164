"""newscrawl.extract.prune: page chrome removed before text extraction."""

from __future__ import annotations

from lxml import html

from newscrawl.extract import extract_article
from newscrawl.extract.prune import drop_chrome, drop_link_paragraphs


def test_drop_chrome_removes_nav_footer_aside_and_keeps_tails() -> None:
    tree = html.fromstring(
        "<html><body><nav><a href='/'>Home</a><aside>nested</aside></nav>kept tail"
        "<article><p>Story text.</p><aside>Related: other story</aside>"
        "<p>More story.</p></article><footer>Footer links</footer></body></html>")
    drop_chrome(tree)
    text = " ".join(" ".join(tree.itertext()).split())
    assert text == "kept tail Story text. More story."


def test_chrome_never_reaches_the_text() -> None:
    story = " ".join(f"Sentence {n} of the story about the premiere and its cast." for n in
                     range(30))
    page = (f"<html><head><title>Premiere Night</title></head><body>"
            f"<nav>{'<a href=/x>Menu entry</a>' * 40}</nav>"
            f"<article><h1>Premiere Night</h1><p>{story}</p>"
            f"<aside><h3><a href=/y>Trending: a different story</a></h3></aside></article>"
            f"<footer>{'<a href=/z>Footer link</a>' * 40}</footer></body></html>")
    record = extract_article(page.encode(), "https://outlet.example/2026/03/premiere/").record
    assert record is not None
    assert record["text"].startswith("Sentence 0 of the story")
    for chrome in ("Menu entry", "Trending", "Footer link"):
        assert chrome not in record["text"]


def test_link_only_paragraphs_and_teaser_headings_leave() -> None:
    tree = html.fromstring(
        "<html><body><article>"
        "<p>The jury met on Monday.</p>"
        "<p><a href='/news/other-story/'>ANOTHER STORY IN CAPITALS</a></p>"
        "<p><strong><a href='https://outlet.example/news/more/'>A bold teaser</a></strong></p>"
        "<h3><a href='https://www.outlet.example/news/next/'>Next story headline</a></h3>"
        "<p>It chose <a href='/films/lighthouse/'>The Lighthouse</a> as its winner.</p>"
        "<p><a href='/a/'>One</a> and <a href='/b/'>two</a></p>"
        "<h3><a href='https://shop.example/lamp'>A Lamp Worth Buying</a></h3>"
        "<h3>A plain subheading</h3>"
        "</article></body></html>")
    drop_link_paragraphs(tree, "https://outlet.example/news/jury/")
    kept = [" ".join(n.text_content().split()) for n in tree.iter("p", "h3")]
    assert kept == ["The jury met on Monday.", "It chose The Lighthouse as its winner.",
                    "One and two", "A Lamp Worth Buying", "A plain subheading"]
