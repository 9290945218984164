"""newscrawl.extract.prune: page chrome removed before text extraction."""

from __future__ import annotations

from lxml import html

from newscrawl.extract import extract_article
from newscrawl.extract.prune import drop_chrome


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
