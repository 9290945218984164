"""newscrawl.extract.signals: what is read from a page before any choice is made."""

from __future__ import annotations

import pytest
from lxml import html

from newscrawl.extract.signals import author_meta, collect_signals


def page(body: str) -> html.HtmlElement:
    return html.fromstring(f"<html><head><title>t</title></head><body>{body}</body></html>")


@pytest.mark.parametrize("masthead", [
    '<h1 class="site-title"><a href="https://outlet.example/">The Outlet</a></h1>',
    '<h1 class="header__logo"><a href="/"><svg><title>outlet</title></svg></a></h1>',
    '<h1><a href="https://outlet.example/" rel="home">The Outlet</a></h1>',
    '<h1><a href="/"><img src="/logo.png" alt="The Outlet"></a></h1>',
    '<h1 id="masthead">The Outlet</h1>',
    '<h1 class="navbar-brand">The Outlet</h1>',
])
def test_a_masthead_h1_is_not_a_headline_candidate(masthead: str) -> None:
    tree = page(f'{masthead}<article><h1 class="entry-title">Story Headline</h1></article>')
    assert collect_signals(tree, "https://outlet.example/2026/03/story/").h1 == [
        "Story Headline"]


@pytest.mark.parametrize("headline", [
    '<h1 class="entry-title"><a href="/2026/03/story/">Story Headline</a></h1>',  # permalink
    '<h1 class="headline">Story <a href="/">Headline</a></h1>',  # a link inside the text
    "<h1>Story Headline</h1>",
    '<h1 class="headline brand-color">Story Headline</h1>',  # a colour, not the masthead
    '<h1 class="article-title catalogue">Story Headline</h1>',
])
def test_headline_h1s_are_kept(headline: str) -> None:
    tree = page(headline)
    assert collect_signals(tree, "https://outlet.example/2026/03/story/").h1 == [
        "Story Headline"]


@pytest.mark.parametrize(("url", "expected"), [
    ("https://outlet.example/2026/03/02/story/", "2026-03-02"),
    ("https://outlet.example/news/2026-03-02-story", "2026-03-02"),
    ("https://outlet.example/20260302/story", "2026-03-02"),
    ("https://outlet.example/article/Theatre-Wing-Launches-20161013", "2016-10-13"),
    ("https://outlet.example/article/story_20161013.html", "2016-10-13"),
    ("https://outlet.example/article/story-20161399", None),    # not a date
    ("https://outlet.example/article/story-201610131", None),   # a longer number
    ("https://outlet.example/article/story?id=20161013", None),
])
def test_url_date(url: str, expected: str | None) -> None:
    assert collect_signals(page("<p>x</p>"), url).url_date == expected


def test_author_page_links_are_the_first_bylines_names_not_the_teasers() -> None:
    page = html.document_fromstring("""<html><body>
      <nav><a href="/columnists/ada-brook/">Ada Brook</a></nav>
      <h1>Pier reopens</h1>
      <p class="meta-info">von <a href="/autoren/name/odile-marchetti">Odile Marchetti</a>
         und <a href="/autoren/name/tomas-reyes/">Tomas Reyes</a></p>
      <p>The pier reopened on Friday.</p>
      <ul class="more"><li><a href="/2026/05/01/storm/">Storm</a>
          <a href="/autoren/name/ines-vidal/">Ines Vidal</a></li></ul>
    </body></html>""")
    signals = collect_signals(page, "https://harbour.test/2026/05/02/pier/")
    assert signals.author_links == ["Odile Marchetti", "Tomas Reyes"]


def test_no_author_page_link_no_names() -> None:
    page = html.document_fromstring("""<html><body><h1>Pier</h1>
      <p><a href="/authority/report/">the port authority's report</a></p></body></html>""")
    assert collect_signals(page, "https://harbour.test/a/").author_links == []


def test_meta_values_in_a_value_attribute_are_read() -> None:
    tree = html.fromstring(
        '<html><head><title>t</title>'
        '<meta value="2026-03-04T09:30:00Z" name="article:published_time">'
        '<meta property="og:title" content="Kept" value="Ignored">'
        '</head><body><p>x</p></body></html>')
    signals = collect_signals(tree, "https://outlet.example/a/")
    assert signals.meta["article:published_time"] == ["2026-03-04T09:30:00Z"]
    assert signals.meta["og:title"] == ["Kept"]


def test_a_teaser_s_byline_is_another_story_s() -> None:
    tree = page('<article><h1>Pier reopens</h1><p class="byline">By Odile Marchetti</p>'
                '<p>Story.</p></article>'
                '<a href="/kultur/other/"><h3>Other story</h3></a>'
                '<p class="c-teaser__byline text__byline">Kultur<span>|</span>19.10.19</p>')
    assert collect_signals(tree, "https://harbour.test/a/").bylines == ["By Odile Marchetti"]


def test_bold_lines_are_paragraphs_set_all_in_bold() -> None:
    tree = page('<p><strong>Odile Marchetti</strong></p><p><strong>A</strong> story.</p>'
                '<p>Plain <b>and bold</b></p><p> <b>Tomas Reyes</b> </p>'
                f'<p><strong>{"word " * 11}</strong></p>')
    assert collect_signals(tree, "https://harbour.test/a/").bold_lines == [
        "Odile Marchetti", "Tomas Reyes"]


# -- bylines: the story's, not a picture's or another story's ---------------------------------


STORY_BYLINE = '<p class="byline">By Odile Marchetti</p>'


@pytest.mark.parametrize("other", [
    # a picture credit: agency and photographer, in an element classed 'credit'
    '<figure><img src="/p.jpg"><figcaption><span class="credit">Harbour Photo Pool/Basil '
    'Thornquist</span></figcaption></figure>',
    # a list of other stories, each with its byline
    '<ol><li><a href="/2026/05/storm/">Storm</a> <span class="byline">By Ines Vidal</span>'
    '</li></ol>',
    # page chrome
    '<aside><span class="byline">By Ines Vidal</span></aside>',
    # a teaser card that is one link to another story
    '<a href="/2026/05/storm/"><div class="article__author">Ines Vidal</div></a>',
])
def test_credits_and_other_stories_bylines_are_not_bylines(other: str) -> None:
    tree = page(f"<h1>Pier reopens</h1>{STORY_BYLINE}{other}<p>The pier reopened.</p>")
    assert collect_signals(tree, "https://harbour.test/2026/05/pier/").bylines == [
        "By Odile Marchetti"]


def test_bylines_of_other_articles_are_not_the_story_s() -> None:
    tree = page('<article><h1>Pier reopens</h1><p class="byline">By Odile Marchetti</p>'
                '<p>The pier reopened.</p></article>'
                '<section><article><h1><a href="/2026/05/storm/">Storm</a></h1>'
                '<a class="byline" href="/author/ines-vidal/">Ines Vidal</a></article></section>')
    signals = collect_signals(tree, "https://harbour.test/2026/05/pier/")
    assert signals.bylines == ["By Odile Marchetti"]


def test_a_byline_in_an_article_around_the_story_s_is_the_story_s() -> None:
    tree = page('<article class="post"><p class="byline">By Odile Marchetti</p>'
                '<article class="content"><h1>Pier reopens</h1><p>The pier reopened.</p>'
                '</article></article>')
    assert collect_signals(tree, "https://harbour.test/a/").bylines == ["By Odile Marchetti"]


def test_a_byline_link_to_the_author_page_stays_a_byline() -> None:
    # a link around the byline that leads to the author's page is no teaser
    tree = page('<h1>Pier reopens</h1><a href="/author/odile-marchetti/">'
                '<span class="author-name">Odile Marchetti</span></a><p>The pier reopened.</p>')
    assert collect_signals(tree, "https://harbour.test/a/").bylines == ["Odile Marchetti"]


@pytest.mark.parametrize("facts", [
    "<ul><li><strong>Datum</strong> 06.05.2026</li>"
    "<li><strong>Autorin/Autor</strong> Leopold Winterscheid</li></ul>",
    "<dl><dt>Date</dt><dd>6 May</dd><dt>Author:</dt><dd>Leopold Winterscheid</dd></dl>",
    "<table><tr><th>Auteur</th><td>Leopold Winterscheid</td></tr></table>",
])
def test_a_name_beside_an_author_label_is_a_byline(facts: str) -> None:
    tree = page(f"<h1>Neue Brücke</h1><p>Die Brücke ist offen.</p>{facts}")
    assert collect_signals(tree, "https://flussbote.test/a/").bylines == ["Leopold Winterscheid"]


def test_an_author_label_in_a_sentence_is_not_a_field() -> None:
    tree = page("<h1>Neue Brücke</h1><p>Der <b>Autor</b> des Buches liest am Montag.</p>"
                "<p><strong>Author of the month</strong> Jane Doe</p>")
    assert collect_signals(tree, "https://flussbote.test/a/").bylines == []


def test_author_pages_of_other_sites_are_not_bylines() -> None:
    tree = page('<h1>Pier</h1><ul class="social"><li><a href="https://video.example/user/'
                'harbourtv">Video</a></li></ul>'
                '<p>Posted by <a href="/user/quaymaster/">quaymaster</a></p>')
    assert collect_signals(tree, "https://www.harbour.test/a/").author_links == ["quaymaster"]
    tree = page('<h1>Pier</h1><p>By <a href="https://news.harbour.test/author/ines-vidal/">'
                'Ines Vidal</a></p>')
    assert collect_signals(tree, "https://www.harbour.test/a/").author_links == ["Ines Vidal"]


def test_an_hcard_byline_is_a_byline_and_a_teaser_card_is_not() -> None:
    # 'author vcard' is the hCard microformat most blog themes mark the byline with
    tree = page('<h1>Top vocalists</h1><p class="headline_meta">by <span class="author vcard '
                'fn">oz</span></p><div class="author-card">Ines Vidal wrote 40 stories</div>')
    assert collect_signals(tree, "https://blog.test/2026/05/top/").bylines == ["oz"]


def test_author_meta_reads_the_well_known_names_first_then_other_byline_names() -> None:
    meta = {"articleauthor": ["Harbour News Agency"], "twitter:creator": ["@harbourtv"],
            "author": ["Jane Doe"], "smartbanner:author": ["Harbour Media Apps"],
            "cms_creator": ["jdoe-admin"], "article:byline": ["Ines Vidal"],
            "dcterms.creator": ["Tomas Reyes"], "sailthru.byline_bio": ["Jane writes."]}
    assert author_meta(meta) == ["Jane Doe", "Harbour News Agency", "Ines Vidal", "Tomas Reyes"]


def _furniture(body: str) -> set[str]:
    return collect_signals(page(body), "https://outlet.example/2026/03/story/").furniture


def test_a_dek_is_furniture() -> None:
    assert "a quiet week for the council" in _furniture(
        '<h1>Council budget</h1><h2 class="subtitle">A quiet week for the council</h2>'
        "<p>Story text.</p>")


def test_subheadings_sharing_a_furniture_class_are_story_text() -> None:
    furniture = _furniture(
        '<h1>Council budget</h1><p class="article-subtitle">A quiet week for the council</p>'
        '<p>Story text.</p><h2 class="subtitle small">What the budget pays for</h2>'
        '<p>More text.</p><span class="content-subtitle"><h3 class="subtitle">Who voted'
        ' against</h3></span><p>The end.</p>')
    assert "what the budget pays for" not in furniture
    assert "who voted against" not in furniture  # nor its wrapper, with the same text
    assert "a quiet week for the council" in furniture  # a paragraph-dek stays furniture


def test_one_heading_text_repeated_is_still_one_dek() -> None:
    furniture = _furniture('<h2 class="subtitle">Same words</h2><p>Text.</p>'
                           '<h2 class="subtitle">Same words</h2>')
    assert "same words" in furniture


def test_headings_are_the_first_h2_h3s_outside_page_chrome() -> None:
    tree = page('<nav><h2>Site Navigation</h2></nav><h1>Books</h1>'
                '<div class="story"><h2>Book of the Week: The Salt Road</h2><h3>The Salt Road</h3>'
                '<h2> </h2><aside><h2>Most read</h2></aside><p>Text.</p><h3>A subhead</h3></div>'
                '<footer><h2>The Outlet</h2></footer>')
    signals = collect_signals(tree, "https://outlet.example/books/salt-road/")
    assert signals.headings == ["Book of the Week: The Salt Road", "The Salt Road", "A subhead"]
    many = page("".join(f"<h2>Subhead {i}</h2>" for i in range(20)))
    assert len(collect_signals(many, "https://outlet.example/a/").headings) == 8


def test_the_comment_form_heading_is_not_a_heading() -> None:
    tree = page('<article><h2>Choir Wins the Regional Final</h2><p>Text.</p></article>'
                '<div id="comments" class="comments-area"><h2>3 thoughts on this</h2>'
                '<div id="respond" class="comment-respond"><h3 id="reply-title" '
                'class="comment-reply-title">Leave a Reply <small><a href="#respond">Cancel '
                'reply</a></small></h3></div></div>')
    signals = collect_signals(tree, "https://outlet.example/2024/05/choir/")
    assert signals.headings == ["Choir Wins the Regional Final"]
    assert signals.comment_headings == ["3 thoughts on this", "Leave a Reply Cancel reply"]


DESCRIPTION = "The choir's first album in ten years is out on Friday, with two songs from the film."


@pytest.mark.parametrize("shown", [
    f'<p class="dek">{DESCRIPTION}</p>',
    # an inline element first, whitespace laid out differently
    '<div class="standfirst"><strong>The choir\'s first album</strong> in ten years is out\n'
    ' on Friday, with two songs from the film.</div>',
])
def test_the_description_the_page_shows_is_its_standfirst(shown: str) -> None:
    tree = html.fromstring(
        f'<html><head><meta property="og:description" content="{DESCRIPTION}">'
        f'<script>var d = "{DESCRIPTION}";</script></head>'
        f'<body><h1>Choir album</h1>{shown}<p>Text.</p></body></html>')
    assert collect_signals(tree, "https://outlet.example/a/").standfirst == DESCRIPTION


@pytest.mark.parametrize("head, body", [
    # described, but not shown (only in a script and the meta)
    (f'<meta name="description" content="{DESCRIPTION}">',
     f'<script>window.d = "{DESCRIPTION}"</script><p>Other words entirely, and more.</p>'),
    # shown, but too short to be a summary
    ('<meta name="description" content="Music news">', '<p>Music news</p>'),
    # shown only as part of a longer paragraph
    (f'<meta name="description" content="{DESCRIPTION}">', f'<p>{DESCRIPTION} And more.</p>'),
])
def test_no_standfirst(head: str, body: str) -> None:
    tree = html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    assert collect_signals(tree, "https://outlet.example/a/").standfirst is None


PUBLISHED, UPDATED = "2026-03-02T09:00:00Z", "2026-03-04T18:30:00Z"


@pytest.mark.parametrize("updated", [
    f'<span>Updated</span><time datetime="{UPDATED}">18:30, 4 Mar 2026</time>',
    f'Last updated: <time datetime="{UPDATED}">4 March</time>',
    f'<span class="label">Aktualisiert am</span> <time datetime="{UPDATED}">4.3.</time>',
    f'<time class="date-updated" datetime="{UPDATED}"></time>',
    f'<time itemprop="dateModified" datetime="{UPDATED}">4 March</time>',
])
def test_a_time_shown_as_the_update_is_not_the_publication_time(updated: str) -> None:
    # the update stamp comes first in the page, as in many live-blog headers
    signals = collect_signals(page(
        f'<p class="meta">{updated}</p><p>Published <time datetime="{PUBLISHED}">2 March'
        '</time></p>'), "https://outlet.example/story")
    assert signals.time_tags == [PUBLISHED]
    assert signals.updated_time_tags == [UPDATED]


@pytest.mark.parametrize("published", [
    # hAtom asks for 'updated' on every entry date; WordPress themes put it on the
    # publication date ('entry-date published updated')
    f'<time class="entry-date published updated" datetime="{PUBLISHED}">2 March</time>',
    f'<span>By Jane Doe</span><time datetime="{PUBLISHED}">2 March</time>',
    f'Posted on <time datetime="{PUBLISHED}">2 March</time>',
    f'<span>Updated daily</span> <b>news</b> <time datetime="{PUBLISHED}">2 March</time>',
])
def test_a_time_not_shown_as_an_update_stays_a_publication_time(published: str) -> None:
    signals = collect_signals(page(f"<p>{published}</p>"), "https://outlet.example/story")
    assert (signals.time_tags, signals.updated_time_tags) == ([PUBLISHED], [])


@pytest.mark.parametrize("facts", [
    "<ul><li><strong>Datum</strong> 28.04.2026</li><li><strong>Autor</strong> Jan Novak</li></ul>",
    "<dl><dt>Published</dt><dd>April 28, 2026</dd><dt>Author</dt><dd>Jan Novak</dd></dl>",
    "<table><tr><th>Fecha:</th><td>28/04/2026</td></tr></table>",
    "<p><b>Veröffentlicht am</b> 28. April 2026</p>",
    "<dl><dt>ページ数</dt><dd>258</dd><dt>配信開始日</dt><dd>2026/4/28</dd></dl>",
    "<table><tr><th>公開日：</th><td>2026/4/28</td></tr></table>",
])
def test_a_date_beside_a_date_label_comes_before_dates_found_by_class(facts: str) -> None:
    # the related stories' dates come first in the page, marked only by their class
    signals = collect_signals(page(
        '<ul class="related"><li><a href="/other">Other story</a> <span class="date">'
        f'24.04.2026</span></li></ul><article><p>Story text.</p></article>{facts}'),
        "https://outlet.example/story")
    assert signals.text_dates[0].replace("Veröffentlicht am ", "") in (
        "28.04.2026", "April 28, 2026", "28/04/2026", "28. April 2026", "2026/4/28")
    assert "24.04.2026" in signals.text_dates[1:]


@pytest.mark.parametrize("body", [
    "<p>Save the <b>date</b> 28.04.2026 for the premiere.</p>",   # a bold word in a sentence
    "<ul><li><strong>Venue</strong> Grand Hall, 28.04.2026</li></ul>",  # another fact
])
def test_no_date_label_no_labelled_date(body: str) -> None:
    signals = collect_signals(page(body), "https://outlet.example/story")
    assert signals.text_dates == []
