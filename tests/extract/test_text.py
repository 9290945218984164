"""newscrawl.extract.text: the boilerplate lines that leave the main text, and the story
lines that must stay although they share words with them."""

from __future__ import annotations

import pytest

from newscrawl.extract.text import clean_text

STORY = "The cast returned to the lighthouse set for a final week of filming."


@pytest.mark.parametrize("line", [
    "Advertisement",
    "Story continues below advertisement",
    "Featured Video",
    "Related: The first trailer is here",
    "Related post: Ten festival films to watch",
    "Related Articles: more from the red carpet",
    "READ MORE: The premiere in pictures",
    "Lesen Sie auch: Die Premiere in Bildern",
    "Auch interessant",
    "You may also like:",
    "Most read in entertainment",
    "Shop the look",
    "Sign up for our daily newsletter",
    "Photo: Dana Whitlock / Marquee Pictures",
    "(Photo by Dana Whitlock)",
    "Click here to watch the full interview",
    "View this post on Instagram",
    "Share",
    "Comments (12)",
    "- Order Reprints",
    "- Print Article",
    "Updated at 1:23 p.m.",
    "UPDATED: Tue., Nov. 19, 2026",
    "Aktualisiert am 3. März 2026, 14:05 Uhr",
    "5 min read",
    "Lesedauer: 4 Minuten",
    "Reading time: 6 minutes",
    "This post contains affiliate links.",
    "SEE MORE: The premiere in pictures",
    "DON'T MISS",
    "Letzte Aktualisierung am 3.04.2026 / Bei den Verlinkungen handelt es sich um Affiliate"
    " Links / Bilder von der Amazon Product Advertising API",
    "Filed under: Film | Festivals",
    "Tell us what YOU think...",
    "This article has been sent to",
    "© 2026 Marquee Media. All rights reserved.",
    "Follow us on Instagram for more red-carpet looks",
    "We may earn a commission when you buy through links on our site.",
])
def test_boilerplate_line_leaves_the_text(line: str) -> None:
    assert clean_text(f"{STORY}\n{line}\n{STORY} Again.") == f"{STORY}\n\n{STORY} Again."


@pytest.mark.parametrize("line", [
    "Updated rules for the awards voters were published on Monday.",
    "Updated rules for voters",
    "The show was updated for its second season with a new cast.",
    "More from the interview",
    "Most of the cast returned for the finale.",
    "She said the newsletter she writes for fans has 40,000 readers.",
    "Related to the director by marriage, she had never worked with him before.",
    "Share prices of the studio rose 4% after the announcement.",
    "The retailer cut what it pays for affiliate links last year.",
    "Don't miss the second act, she told the audience.",
])
def test_story_line_stays(line: str) -> None:
    assert line in clean_text(f"{STORY}\n{line}")


def test_list_items_stay_as_paragraphs_without_trafilatura_s_marker() -> None:
    text = clean_text(f"{STORY}\n- The first of the three changes is a new opening song.\n"
                      "- - a dash the item itself starts with\n* a page's own star")
    assert text.split("\n\n")[1:] == ["The first of the three changes is a new opening song.",
                                        "- a dash the item itself starts with",
                                        "* a page's own star"]


def test_paragraphs_stay_apart_and_repeated_long_lines_go() -> None:
    quote = "“We wanted every scene to feel like the last night of summer,” she said."
    text = clean_text(f"{STORY}\n\n\n{quote}\nSecond paragraph.\n{quote}")
    assert text == f"{STORY}\n\n{quote}\n\nSecond paragraph."


def test_blog_widget_labels_leave_the_text() -> None:
    text = ("The story's only paragraph stays where it is.\n\nKategorien\n\n"
            "3 Bloggern gefällt das.\n\nTags:\n\nThe categories of the prize were announced.")
    cleaned = clean_text(text)
    assert "Kategorien" not in cleaned and "Bloggern" not in cleaned and "Tags:" not in cleaned
    assert "The categories of the prize were announced." in cleaned
    # the widget's unfilled template, with the colon its label ends in
    assert clean_text("Story line one.\n\n%d Bloggern gefällt das:") == "Story line one."


def test_read_also_teasers_leave_in_several_languages() -> None:
    story = "The story's only paragraph stays where it is."
    for teaser in ("Les også: Skuespilleren åpner opp om premieren", "Lire aussi :",
                   "Läs också: Festivalen flyttar till hamnen", "Leggi anche: Il nuovo film"):
        assert clean_text(f"{story}\n\n{teaser}") == story, teaser


def test_a_line_repeating_an_earlier_one_but_for_case_and_punctuation_leaves() -> None:
    caption = "the cast returned to the lighthouse set , for a final week of filming"
    second = "The cast left the lighthouse set after a final week of filming."
    assert clean_text(f"{STORY}\n{caption}\n{second}") == f"{STORY}\n\n{second}"
    # short lines are never taken for repeats ('Yes.', a repeated subheading)
    assert clean_text("Yes.\nNo.\nyes") == "Yes.\n\nNo.\n\nyes"


# The boilerplate kinds removed line by line, and story lines that look like them.
LEAVING: dict[str, list[str]] = {
    "japanese related-story label": [
        "関連キーワード", "おすすめ情報", "あわせて読みたい",
        "注目の動画", "関連記事：", "人気記事"],
    "table markup": ["|---|---|---|", "| :---: | --- |", "|"],
    "credit or source line": [
        "Priya Halvorsen contributed reporting from Lisbon.",
        "— Wire reporter Tomas Ek in Oslo contributed to this report.",
        "(Reporting by Ana Ruiz and Bo Lind; Editing by Carl Moss)",
        "With additional reporting by Nell Grady",
        "– additional reporting by Nell Grady",
        "With files from the Harbour Wire Service",
        "Source: Harbour Statistics Office",
        "(Quelle: dpa/afp)",
        "Quellen:",
        "Kilde: helse.test",
    ],
    "date stamp": [
        "18.05.2026",
        "2026-05-18",
        "30. Januar 2026",
        "May 18, 2026",
        "09 Oct 2026",
        "18.05.2026 17:59",
        "Stand: 18.05.2026, 06:00 Uhr",
        "Posted May 18, 2026 at 7:30am PDT",
        "2026年5月18日 01時28分 (5月18日 01時40分更新)",
        "5月18日",
        "기사입력 :[ 2026-05-18 15:24 ]",
    ],
    "paywall prompt": [
        "This article is for subscribers only.",
        "Members-only content: log in to read on",
        "Subscribe now!",
        "Sign up (it's free) or sign in now.",
        "Already a subscriber? Log in here",
        "Log in or create an account to continue",
        "Il vous reste 60% de cet article à lire. La suite est réservée aux abonnés.",
        "Esta noticia es sólo para suscriptores",
        "Suscríbete",
        "Dieser Artikel ist nur für Abonnenten verfügbar.",
        "この記事は会員限定です。",
    ],
    "comment box prompt": [
        "Leave a comment",
        "Would you like to comment on this article?",
        "Please read our comment policy before commenting.",
        "You must confirm your display name before commenting",
        "Comments are closed",
        "Kommentar abgeben",
        "Du musst dich einloggen, um einen Kommentar abzugeben.",
        "Log in to comment",
    ],
    "follow or contact prompt": [
        "Follow the Harbour Courier on Facebook, Twitter (@harbourcourier) and Instagram.",
        "Follow Marquee on Google News to get our reviews in your feed.",
        "Email Dana Whitlock at dana@outlet.test or follow her @danawhit.",
        "Reach the reporters on Twitter at https://x.test/ana and https://x.test/bo",
        "Folgst du schon dem Anzeiger auf WhatsApp?",
    ],
    "related-box label": [
        "You may also like...",
        "You might like…",
        "Related news",
        "Ähnliche Artikel",
        "Ähnliche:",
        "Mehr Themen auf anzeiger.test:",
        "Noticias relacionadas",
        "Articles similaires",
    ],
    "newsletter box": [
        "Harbour Morning Newsletter",
        "Get the day's top stories delivered to your inbox every morning by subscribing.",
        "Get the best of the Courier in your inbox, every day!",
        "Get up to speed with our Valley Weekly newsletter, sent six days a week.",
        "Sie mögen es kompakt? Dann ist unser Newsletter richtig – hier entlang.",
    ],
    "feedback or donation prompt": [
        "Wie hat Ihnen dieser Artikel gefallen?",
        "Hat Ihnen dieser Beitrag gefallen? Dann unterstützen Sie uns mit einer Spende.",
        "Did you find this article helpful?",
        "Durchschnittliche Bewertung: 4,5",
        "Average reader rating: 3.8 of 5",
        "Unabhängiger Journalismus braucht deine Unterstützung.",
    ],
}
STAYING: dict[str, list[str]] = {
    "with dashes and bars": ["Score | 3 - 1", "--- the end ---", "---"],
    "about reporting and sources": [
        "Halvorsen, who contributed reporting to the Gazette for years, retired in May.",
        "Reporting by the student paper won a national prize last spring.",
        "Sources close to the studio said the deal was done.",
        "The source: a memo that the council never published, dated March and signed by"
        " the mayor's chief of staff.",
        "With files from the archive, the museum rebuilt the old harbour in miniature.",
    ],
    "with dates": [
        "On 18.05.2026 the council met again.",
        "Update vom 3. April 2026: the bridge has reopened.",
        "May 18, 2026 was the wettest day of the year.",
        "30. Januar",
    ],
    "about subscriptions": [
        "The pool, once open to members only, now admits everyone on weekdays for a small fee.",
        "Subscribers of the paper's print edition fell by a tenth last year.",
        "The museum opens its archive to members on Sundays.",
    ],
    "about comments": [
        "The harbourmaster declined to comment.",
        "A spokeswoman did not respond to a request for comment before publication.",
        "Der Bürgermeister wollte sich nicht zu dem Kommentar äußern.",
    ],
    "about social media": [
        "Fans follow her on Instagram, where she posts from the set every day.",
        "Following the premiere on Friday, the cast flew to Lisbon.",
        "Reached by phone, the director said the film was finished.",
    ],
    "starting like a label": [
        "関連記事によると、撮影は来月に始まる。",  # 'according to a related article, ...'
        "おすすめ情報を毎朝届けるアプリが人気だ。",
        "Related news reached the studio on Friday.",
        "Ähnliche Artikel erschienen auch in anderen Zeitungen.",
    ],
    "about newsletters": [
        "She launched a newsletter.",
        "Getting mail into your inbox was harder in 1998, the engineer said.",
        "You will see it everywhere: a blog post, an email inbox, a podcast.",
    ],
    "about ratings and support": [
        "Rating: 4/5",
        "Die Regisseurin fragte das Publikum, wie ihm der Film gefallen habe.",
        "Local journalism needs more than goodwill, the publisher said at the hearing.",
    ],
}


@pytest.mark.parametrize(("kind", "line"), [(k, x) for k, xs in LEAVING.items() for x in xs])
def test_boilerplate_of_each_kind_leaves_the_text(kind: str, line: str) -> None:
    assert clean_text(f"{STORY}\n{line}\n{STORY} Again.") == f"{STORY}\n\n{STORY} Again."


@pytest.mark.parametrize(("kind", "line"), [(k, x) for k, xs in STAYING.items() for x in xs])
def test_story_lines_like_each_kind_stay(kind: str, line: str) -> None:
    assert line in clean_text(f"{STORY}\n{line}")
