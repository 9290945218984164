"""Site pages that are not news (about, contact, policies) never become records, even when
a sitemap lists them and they hold plenty of text."""

from __future__ import annotations

from newscrawl.extract import extract_article

ABOUT = ("<html lang='en'><head><title>About us | The Marquee Daily</title>"
         "<meta property='og:type' content='website'></head><body><nav><a href='/'>Home</a>"
         "</nav><main><h1>About us</h1>" + "".join(
             f"<p>The Marquee Daily was founded by a small team of film and music writers who "
             f"wanted a kinder kind of celebrity coverage. Paragraph {i} says more about our "
             f"editors, our standards and how readers can reach the newsroom.</p>"
             for i in range(6)) + "</main></body></html>")


def test_about_page_is_not_an_article() -> None:
    result = extract_article(ABOUT.encode(), "https://www.marquee.example/about/")
    assert result.record is None
    assert result.reason == "not_an_article"


def test_the_same_text_in_a_dated_article_is_kept() -> None:
    dated = ABOUT.replace("<head>", "<head><meta property='article:published_time' "
                                    "content='2026-03-02T10:00:00Z'>")
    result = extract_article(dated.encode(),
                             "https://www.marquee.example/2026/03/02/about-our-newsroom/")
    assert result.record is not None
    assert result.record["published_at"].isoformat() == "2026-03-02T10:00:00+00:00"


def test_an_undated_top_level_story_that_declares_itself_an_article_is_kept() -> None:
    story = ABOUT.replace("content='website'", "content='article'").replace(
        "About us", "Film writers open a reader hotline")
    result = extract_article(story.encode(),
                             "https://www.marquee.example/film-writers-open-hotline-184144961.html")
    assert result.reason is None
    assert result.record is not None and result.record["published_at"] is None
