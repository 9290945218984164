"""newscrawl.extract.prune: page chrome removed before text extraction."""

from __future__ import annotations

import pytest
from lxml import html

from newscrawl.extract import extract_article
from newscrawl.extract.prune import (
    drop_chrome,
    drop_fact_lists,
    drop_link_lists,
    drop_link_paragraphs,
    drop_other_stories,
    furniture_class,
    furniture_keys,
)


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


def test_the_page_s_own_address_on_a_line_leaves_the_text() -> None:
    url = "https://outlet.example/2026/03/premiere-night/"
    story = " ".join(f"Sentence {n} of the story about the premiere and its cast." for n in
                     range(30))
    page = (f"<html><head><title>Premiere Night</title><link rel='canonical' href='{url}'>"
            f"</head><body><article><h1>Premiere Night</h1><p>{url}</p><p>{story}</p>"
            "<p>https://other.example/2026/03/a-source</p></article></body></html>")
    record = extract_article(page.encode(), url + "?utm_source=print").record
    assert record is not None
    assert record["text"].startswith("Sentence 0 of the story")
    assert url not in record["text"]
    assert record["text"].endswith("https://other.example/2026/03/a-source")


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


def test_lone_links_to_other_sites_and_the_own_headline_stay() -> None:
    # A blog post whose story is a link to its source, under a heading that links to the
    # post itself (as blog themes set the headline); the teaser of the next post still goes.
    page = "https://blog.example/2026/02/03/late-shift/"
    assert _paragraphs_kept(
        "<div class='post'>"
        f"<h2 class='posttitle'><a href='{page}?utm_source=x'>Late shift</a></h2>"
        "<p>A cartoonist drew the late shift at the paper.</p>"
        "<p><a href='https://paper.example/late-shift-strip'>The whole strip is here</a></p>"
        "<h3><a href='/2026/02/04/next-post/'>The next post</a></h3></div>", page,
    ) == ["Late shift", "A cartoonist drew the late shift at the paper.",
          "The whole strip is here"]


def _paragraphs_kept(body: str, page: str) -> list[str]:
    tree = html.fromstring(f"<html><body>{body}</body></html>")
    drop_link_paragraphs(tree, page)
    return [" ".join(n.text_content().split()) for n in tree.iter("p", "h2", "h3")]


def test_headlines_inside_a_card_link_to_another_story_leave() -> None:
    page = "https://outlet.example/news/jury/"
    assert _paragraphs_kept(
        "<article>"
        "<p><span class='pull'><a href='/news/other/'><img src='/a.jpg'>"
        "<p class='title'>Another story's headline</p></a></span>The jury met on Monday.</p>"
        "<div class='cards'><a href='https://outlet.example/news/next/'><h3>Next story</h3>"
        "<p>Its standfirst.</p></a></div>"
        f"<a href='{page}'><h2>The jury's own headline</h2></a>"
        "<a name='top'><p>An old page's story inside a named anchor.</p></a>"
        "<a href='https://elsewhere.example/report'><p>A card for another site's report.</p></a>"
        "</article>", page,
    ) == ["The jury met on Monday.", "The jury's own headline",
          "An old page's story inside a named anchor.", "A card for another site's report."]


def _lists_kept(body: str) -> list[str]:
    tree = html.fromstring(f"<html><body><article>{body}</article></body></html>")
    drop_link_lists(tree, "https://outlet.example/news/jury/")
    return [" ".join(n.text_content().split()) for n in tree.iter("h3", "p", "li")]


def test_lists_of_links_to_the_site_leave_with_their_label() -> None:
    assert _lists_kept(
        "<p>The jury met on Monday.</p>"
        "<h3>More on this topic</h3><ul>"
        "<li><a href='/news/one/'>The first headline</a></li>"
        "<li><strong>Kicker:</strong> <a href='https://www.outlet.example/news/two/'>"
        "The second headline</a></li></ul>"
        "<ul><li><a href='/tag/jury/'>Jury</a></li><li><a href='/tag/film/'>Film</a></li></ul>"
        "<p>It chose The Lighthouse.</p>") == ["The jury met on Monday.",
                                                 "It chose The Lighthouse."]


def test_lists_of_story_cards_leave() -> None:
    card = ("<li><a href='/news/{0}/'><img src='/{0}.jpg'></a><div><h3>"
            "<a href='/news/{0}/'>Headline {0}</a></h3><h4>A standfirst longer than the"
            " headline of story {0}</h4></div></li>")
    assert _lists_kept(f"<p>The jury met on Monday.</p><ul>{card.format('one')}"
                       f"{card.format('two')}</ul>") == ["The jury met on Monday."]
    # two targets in one item: a story's point that links to two pages
    assert _lists_kept("<ul><li><a href='/a/'>One</a> and <a href='/b/'>two</a></li>"
                       "<li><a href='/c/'>Three</a></li></ul>") == ["One and two", "Three"]


def test_lists_of_the_story_s_points_and_of_other_sites_stay() -> None:
    points = ("<ul><li>The jury met <a href='/news/monday/'>on Monday</a> for six hours."
              "</li><li>It chose <a href='/films/lighthouse/'>The Lighthouse</a>.</li></ul>")
    sources = ("<h3>Sources</h3><ul><li><a href='https://archive.example/a'>Archive</a></li>"
               "<li><a href='https://court.example/b'>Court ruling</a></li></ul>")
    single = "<ul><li><a href='/news/one/'>A lone link</a></li></ul>"
    anchors = ("<ul><li><a href='#part-1'>Part one</a></li>"
               "<li><a href='#part-2'>Part two</a></li></ul>")
    for body in (points, sources, single, anchors):
        tree_text = _lists_kept(body)
        assert tree_text and tree_text == [
            " ".join(n.text_content().split())
            for n in html.fromstring(f"<div>{body}</div>").iter("h3", "p", "li")]


PAGE = "https://outlet.example/2026/03/premiere-night/"


def _stories(articles: str) -> list[str]:
    tree = html.fromstring(f"<html><body><main>{articles}</main></body></html>")
    drop_other_stories(tree, PAGE + "?utm_source=feed", PAGE)
    return [a.get("id") for a in tree.iter("article")]


def test_next_posts_of_an_endless_scroll_are_dropped() -> None:
    assert _stories(
        '<article id="story"><h1>Premiere Night</h1><p>Story.</p>'
        '<article id="comment"><p>A comment</p></article></article>'
        '<article id="next1"><h2><a href="/2026/03/casting-news/">Casting</a></h2><p>x</p>'
        '</article>'
        '<article id="next2"><a rel="bookmark" href="https://outlet.example/2026/03/tour/">'
        '<img src="t.jpg"></a><p>The tour…</p></article>') == ["story", "comment"]


def test_the_story_may_link_to_itself() -> None:
    assert _stories(
        f'<article id="story"><a rel="bookmark" href="{PAGE}">#</a><p>Story.</p></article>'
        '<article id="next"><h2><a href="/2026/03/tour/">Tour</a></h2></article>') == ["story"]


def test_nothing_is_dropped_when_every_article_points_elsewhere() -> None:
    # the story's own permalink is a shortlink here: which article is the story is unknown
    assert _stories(
        '<article id="a"><a rel="bookmark" href="/?p=12">#</a><p>Story.</p></article>'
        '<article id="b"><h2><a href="/2026/03/tour/">Tour</a></h2></article>') == ["a", "b"]


def test_a_single_article_is_never_touched() -> None:
    assert _stories('<article id="only"><h2><a href="/2026/03/tour/">Tour</a></h2>'
                    '<p>Story.</p></article>') == ["only"]


def test_an_endless_scroll_s_next_posts_stay_out_of_the_text() -> None:
    story = " ".join(f"Line {n} of the premiere story, about the cast and the crowd." for n in
                     range(12))
    teaser = " ".join(f"Sentence {n} of another post's excerpt about a different tour." for n in
                      range(12))
    nexts = "".join(
        f'<article class="post"><a rel="bookmark" href="/2026/03/tour-{n}/"><img src="t.jpg">'
        f'</a><p>{teaser} …</p></article>' for n in range(3))
    page = (f"<html><head><title>Premiere Night</title></head><body><main>"
            f'<article class="post"><h1>Premiere Night</h1><p>{story}</p><p>{story}</p>'
            f"</article>{nexts}</main></body></html>")
    record = extract_article(page.encode(), PAGE).record
    assert record is not None
    assert "Line 11 of the premiere story" in record["text"]
    assert "another post's excerpt" not in record["text"]


def test_furniture_keys_spare_subheadings_that_share_a_class() -> None:
    marked = [("p", "dek", "a quiet week"), ("h2", "subtitle", "first part"),
              ("h2", "subtitle", "second part"), ("span", "subtitle", "second part"),
              ("h3", "kicker", "exclusive"), ("div", "byline", "by jo")]
    assert furniture_keys(marked) == {"a quiet week", "exclusive", "by jo"}


@pytest.mark.parametrize(("marker", "expected"), [
    ("subtitle small", "subtitle"), ("meldung__subhead columns", "subhead"),
    ("article-byline", "byline"), ("paragraph", ""), ("subscriber-box", "")])
def test_furniture_class_names_the_matched_word(marker: str, expected: str) -> None:
    assert furniture_class(marker) == expected


def _facts_kept(body: str) -> str:
    tree = html.fromstring(f"<html><body><article><p>Story.</p>{body}</article></body></html>")
    drop_fact_lists(tree)
    return " ".join(" ".join(tree.itertext()).split())


@pytest.mark.parametrize("facts", [
    "<dl><dt>掲載日</dt><dd>2026/4/28</dd><dt>カテゴリ</dt><dd>映画</dd></dl>",
    "<dl><dt>Autorin/Autor</dt><dd>Jana Novak</dd><dt>Themen</dt><dd>Film</dd></dl>",
    "<dl><dt>Published:</dt><dd>April 28, 2026</dd></dl>",
])
def test_a_list_of_the_storys_details_leaves_the_text(facts: str) -> None:
    assert _facts_kept(facts) == "Story."


@pytest.mark.parametrize("facts", [
    # the film's facts are the review's content: no date or author label
    "<dl><dt>Film</dt><dd>The Lighthouse</dd><dt>Director</dt><dd>Ana Ruiz</dd></dl>",
    # a glossary whose terms are long is content even if one is called 'Date'
    "<dl>" + "".join(f"<dt>Term {n}</dt><dd>Meaning {n}</dd>" for n in range(9))
    + "<dt>Date</dt><dd>A sweet fruit.</dd></dl>",
    # a long explanation labelled 'Date' is no details box row
    "<dl><dt>What the date of the premiere means for the festival</dt><dd>Much.</dd>"
    "<dt>Date</dt><dd>28 April</dd></dl>",
])
def test_a_list_of_other_facts_stays(facts: str) -> None:
    assert _facts_kept(facts) != "Story."
