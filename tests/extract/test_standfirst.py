"""The standfirst a page shows (its description, set under the headline) opens the text once."""

from __future__ import annotations

from newscrawl.extract import extract_article

LEDE = ("The harbour choir will sing at the reopening of the old fish market on Saturday, "
        "the first concert there since the fire.")
STORY = "".join(
    f"<p>Paragraph {i} of the story tells how the market hall was rebuilt after the fire, "
    f"who paid for the new roof and what the stallholders expect from the first summer.</p>"
    for i in range(5))


def page(body: str) -> bytes:
    return (f"<html lang='en'><head><title>Choir opens the fish market</title>"
            f"<meta property='og:description' content='{LEDE}'>"
            f"<meta property='article:published_time' content='2026-05-02T09:00:00Z'>"
            f"</head><body><article><h1>Choir opens the fish market</h1>{body}</article>"
            f"</body></html>").encode()


def text_of(body: str) -> str:
    result = extract_article(page(body), "https://www.harbour.example/2026/05/02/choir-market/")
    assert result.record is not None
    return str(result.record["text"])


def test_a_lede_that_is_also_the_description_is_not_repeated() -> None:
    text = text_of(f"<p>{LEDE}</p>{STORY}")
    assert text.startswith(LEDE) and text.count(LEDE) == 1


def test_a_dek_showing_the_description_opens_the_text() -> None:
    text = text_of(f"<p class='dek'>{LEDE}</p><div class='byline'>By Ada Quill</div>{STORY}")
    assert text.startswith(LEDE + "\n\nParagraph 0") and text.count(LEDE) == 1


def test_no_shown_description_no_standfirst() -> None:
    assert text_of(STORY).startswith("Paragraph 0")
