"""Record policy: stories of any length become records; error pages, walls, media without
text and empty shells do not, each with its typed reason."""

from __future__ import annotations

from typing import get_args

import pytest

from newscrawl.extract import extract_article
from newscrawl.extract.policy import story_verdict
from newscrawl.extract.reasons import DROP_REASONS, DropReason
from newscrawl.extract.reconcile import title_from_slug
from newscrawl.extract.repair import drop_early_document_ends

BRIEF = ("The night ferry to Skerry Point returns on Friday after a month in dry dock, the "
         "harbour office said.")


def page(body: str, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{head}</head>"
            f"<body>{body}</body></html>").encode()


def test_reasons_are_one_typed_list() -> None:
    assert set(get_args(DropReason)) == DROP_REASONS
    assert {"error_page", "access_stub", "media_without_text", "empty_shell"} <= DROP_REASONS
    assert not any(r.startswith("too_little_text") for r in DROP_REASONS)


@pytest.mark.parametrize("kind", ["article", "liveblog", "gallery", "video"])
def test_one_sentence_is_a_story_of_any_kind(kind: str) -> None:
    assert story_verdict(BRIEF, kind, ["Night ferry returns"]) is None


def test_error_page_title_drops_a_short_page() -> None:
    text = "Sorry, we could not find the page you were looking for. Try the search box."
    assert story_verdict(text, "article", ["Page not found | Quay News"]) == "error_page"
    assert story_verdict(text, "article", ["Error 404"]) == "error_page"
    # a story that mentions an error in its headline is long, and stays
    long_text = " ".join([BRIEF] * 12)
    assert story_verdict(long_text, "article", ["Page not found: the council site"]) is None


def test_wall_without_story_text_is_an_access_stub() -> None:
    wall = ("Subscribe to continue reading.\n\nAlready a subscriber? Log in\n\n"
            "We use cookies to improve your experience. Accept all")
    assert story_verdict(wall, "article", ["Ferry returns"]) == "access_stub"
    assert story_verdict(f"{BRIEF}\n\n{wall}", "article", ["Ferry returns"]) is None


def test_no_written_text_drops_media_and_shells() -> None:
    assert story_verdict("", "video", ["Clip"]) == "media_without_text"
    assert story_verdict("Watch the clip", "gallery", ["Photos"]) == "media_without_text"
    assert story_verdict("Loading comments", "article", ["Story"]) == "empty_shell"


def test_a_short_story_page_becomes_a_record() -> None:
    body = (f"<article><h1>Night ferry returns</h1><p>{BRIEF}</p></article>"
            "<aside><a href='/a/'>Other story one</a></aside>")
    head = '<meta property="og:type" content="article"><title>Night ferry returns</title>'
    result = extract_article(page(body, head), "https://quay.test/2026/01/02/night-ferry/")
    assert result.record is not None, result.reason
    assert result.record["word_count"] == len(BRIEF.split())
    assert result.record["page_kind"] == "article"


def test_soft_404_gives_no_record() -> None:
    body = "<h1>Page not found</h1><p>The page you asked for has moved or never existed here.</p>"
    result = extract_article(page(body, "<title>Page not found</title>"),
                             "https://quay.test/2026/01/02/gone/")
    assert result.record is None and result.reason == "error_page"


def test_video_page_without_text_is_dropped_with_its_reason() -> None:
    body = "<h1>Clip of the day</h1><video src='/v.mp4'></video>"
    head = '<meta property="og:type" content="video.other">'
    result = extract_article(page(body, head), "https://quay.test/video/clip-of-the-day/")
    assert result.record is None and result.reason == "media_without_text"


def test_title_falls_back_to_the_url_slug() -> None:
    assert title_from_slug("https://x.test/2024/05/big-night-for-the-choir-12345.html") \
        == "Big night for the choir"
    assert title_from_slug("https://x.test/2024/05/17/") is None
    body = f"<div class='entry'><p>{BRIEF}</p><p>{BRIEF}</p></div>"
    result = extract_article(page(body), "https://quay.test/2026/01/02/night-ferry-returns/")
    assert result.record is not None, result.reason
    assert result.record["title"] == "Night ferry returns"
    assert result.record["title_source"] in ("url", "trafilatura")


def test_site_name_equal_to_the_headline_still_gives_a_title() -> None:
    # A CMS that copies the headline into application-name: the vote discards it as the
    # site's name; the fallback takes the visible headline.
    head = ('<meta name="application-name" content="Night ferry returns">'
            '<meta property="og:type" content="article">')
    body = f"<article><h1>Night ferry returns</h1><p>{BRIEF}</p></article>"
    result = extract_article(page(body, head), "https://quay.test/2026/01/02/nf/")
    assert result.record is not None and result.record["title"] == "Night ferry returns"
    assert result.record["title_source"] == "h1"


def test_early_document_end_is_removed_only_before_content() -> None:
    story = "<p>" + " ".join([BRIEF] * 3) + "</p>"
    broken = f"<html><body><div>menu</div></body></html><article>{story}</article>"
    assert "</html>" not in drop_early_document_ends(broken)
    assert BRIEF in drop_early_document_ends(broken)
    fine = f"<html><body>{story}</body></html>\n<!-- cache 12ms -->\n"
    assert drop_early_document_ends(fine) == fine
    result = extract_article(broken.encode(), "https://quay.test/2026/01/02/night-ferry/")
    assert result.record is not None and BRIEF in result.record["text"]


def test_furniture_without_a_sentence_is_no_story() -> None:
    furniture = ("Backstage Photo Wall By Priya Castellanos Published May 19, 2024 at 11:10 PM "
                 "Share Post Photo: Marquee Pictures More on: Kestrel Awards, Photos")
    assert story_verdict(furniture, "article", ["Backstage Photo Wall"]) == "empty_shell"
    assert story_verdict(furniture, "video", ["Backstage Photo Wall"]) == "media_without_text"
    # one written sentence is a story, however short
    brief = furniture + "\n\nThe winners left before the party started."
    assert story_verdict(brief, "article", ["Backstage Photo Wall"]) is None


def test_gallery_captions_without_full_stops_are_written_text() -> None:
    captions = "Sabine Kovac in a velvet jacket\nMira Valdane and Calloway Brandt arriving"
    assert story_verdict(captions, "gallery", ["Red carpet"]) is None
    assert story_verdict("Sabine Kovac in a velvet jacket", "gallery",
                         ["Red carpet"]) == "media_without_text"


def test_closing_quotes_of_other_languages_end_a_sentence() -> None:
    # German dialogue quotes open with „ and close with “; French and Swiss ones close with ».
    dialogue = "„Ich weiß, ich sollte das jetzt nicht sagen…“\n– „Dann sag es nicht“"
    assert story_verdict(dialogue, "article", ["Nichts tun"]) is None
    swiss = "«Wir fahren morgen früh mit dem ersten Zug los.»"
    assert story_verdict(swiss, "article", ["Abfahrt"]) is None


def test_a_cjk_line_without_a_full_stop_is_written_text() -> None:
    headline = "新しい地図アプリで散歩道を描こう"
    text = f"{headline}\n次のような図形を描画できる小さなアプリの作例を紹介します"
    assert story_verdict(text, "article", [headline]) is None
    # the headline alone, however long, is no story
    assert story_verdict(f"{headline}\n2026年02月03日", "article", [headline]) == "empty_shell"
