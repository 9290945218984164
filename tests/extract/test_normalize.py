"""newscrawl.extract.normalize (titles, author names) and the date vote in reconcile.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.discovery import Candidate
from newscrawl.extract import extract_article
from newscrawl.extract.jsonld import JsonLdArticle
from newscrawl.extract.normalize import (
    clean_author,
    clean_authors,
    clean_credit,
    collapse,
    is_person_name,
    is_strong_name,
    leading_runs,
    strip_site_suffix,
    title_key,
    title_runs,
)
from newscrawl.extract.reconcile import (
    ChosenDate,
    authors_from_text,
    choose_authors,
    choose_modified,
    choose_published,
    choose_title,
    is_byline,
    local_date,
    name_from_author_url,
    title_features,
)
from newscrawl.extract.signals import Signals

SITE = ["Silver Screen Daily"]


@pytest.mark.parametrize(("title", "expected"), [
    ("Marlowe Quinn Joins ‘The Lantern Keepers’ | Silver Screen Daily",
     "Marlowe Quinn Joins ‘The Lantern Keepers’"),
    ("Silver Screen Daily - Marlowe Quinn Joins ‘The Lantern Keepers’",
     "Marlowe Quinn Joins ‘The Lantern Keepers’"),
    ("Marlowe Quinn Joins the Cast – Silver Screen Daily", "Marlowe Quinn Joins the Cast"),
    ("Marlowe Quinn Joins the Cast — SILVER SCREEN DAILY", "Marlowe Quinn Joins the Cast"),
    ("Marlowe Quinn Joins the Cast | SilverScreenDaily", "Marlowe Quinn Joins the Cast"),
    ("Marlowe Quinn Joins the Cast|Silver Screen Daily", "Marlowe Quinn Joins the Cast"),
    ("  Marlowe Quinn\n Joins   the Cast | Silver Screen Daily ", "Marlowe Quinn Joins the Cast"),
    # a dash inside the headline is not a site name and stays, with its own separator
    ("Spider-Man - Across the Lantern-Verse Review | Silver Screen Daily",
     "Spider-Man - Across the Lantern-Verse Review"),
    ("Oscars 2026 - The Complete Winners List", "Oscars 2026 - The Complete Winners List"),
    ("AC/DC Announce Tour | Silver Screen Daily", "AC/DC Announce Tour"),
    # a section name that is not the site's stays
    ("Quinn Signs On | Film | Silver Screen Daily", "Quinn Signs On | Film"),
    # nothing but the site name: left alone (the caller drops it)
    ("Silver Screen Daily", "Silver Screen Daily"),
    # an asterisk between spaced words separates as a dash does
    ("Marlowe Quinn Joins the Cast * Silver Screen Daily", "Marlowe Quinn Joins the Cast"),
])
def test_strip_site_suffix(title: str, expected: str) -> None:
    assert strip_site_suffix(title, SITE) == expected


def test_strip_site_suffix_with_several_names() -> None:
    names = ["Silver Screen Daily", "SSD", "silverscreen.example"]
    assert strip_site_suffix("Quinn Signs On - SSD", names) == "Quinn Signs On"
    assert strip_site_suffix("Quinn Signs On | silverscreen.example", names) == "Quinn Signs On"
    assert strip_site_suffix("Quinn Signs On | Other Paper", names) == \
        "Quinn Signs On | Other Paper"
    assert strip_site_suffix("Quinn Signs On | Silver Screen Daily", []) == \
        "Quinn Signs On | Silver Screen Daily"


@pytest.mark.parametrize(("title", "expected"), [
    # the site name glued on by a (full-width) colon or bar, no spaces: Japanese, Chinese
    ("港町の映画館が再開へ：みなと映画通信", "港町の映画館が再開へ"),
    ("港町の映画館が再開へ:みなと映画通信", "港町の映画館が再開へ"),
    ("港町の映画館が再開へ｜みなと映画通信", "港町の映画館が再開へ"),
    ("Harbor Cinema Reopens:Minato Eiga", "Harbor Cinema Reopens"),
    # only a name the site declares is cut: another word after a colon is the headline's
    ("Interview:Marlowe Quinn", "Interview:Marlowe Quinn"),
    # the name with no separator before it is part of the headline
    ("Why I Still Read Minato Eiga", "Why I Still Read Minato Eiga"),
    # nothing but the name: left alone
    ("みなと映画通信", "みなと映画通信"),
])
def test_strip_glued_site_name(title: str, expected: str) -> None:
    assert strip_site_suffix(title, ["みなと映画通信", "Minato Eiga"]) == expected


def test_title_key_and_collapse() -> None:
    assert title_key("Quinn’s “Big” Night!") == title_key("quinn s big   night")
    assert title_key("Quinn Signs On") != title_key("Quinn Signs Off")
    assert collapse(" Quinn\u00a0Signs\n On ") == "Quinn Signs On"


def test_soft_hyphens_and_zero_width_spaces_leave_a_title() -> None:
    # break hints a German headline carries for narrow screens: invisible on the page
    hinted = "Ver\u00adfas\u00adsungs\u00adbe\u00adschwerde ein\u200bgelegt"
    assert collapse(hinted) == "Verfassungsbeschwerde eingelegt"
    assert title_key(hinted) == title_key("Verfassungsbeschwerde eingelegt")
    # a zero-width joiner is part of the script, not a hint: it stays
    assert collapse("क्\u200dष") == "क्\u200dष"


def test_a_hinted_headline_agrees_with_the_same_headline_unhinted() -> None:
    page = Signals(jsonld=JsonLdArticle(headline="Klage gegen Waffenexporte eingereicht"),
                   h1=["Klage gegen Waffen\u00adexporte ein\u00adge\u00adreicht"],
                   meta={"og:title": ["Waffenexporte: Verfahren läuft"]})
    chosen = choose_title(page, None, [], None)
    assert chosen.value == "Klage gegen Waffenexporte eingereicht"
    assert "\u00ad" not in chosen.value


@pytest.mark.parametrize(("raw", "expected"), [
    ("By JANE DOE, SENIOR FILM EDITOR and John Roe", ["Jane Doe", "John Roe"]),
    ("Jane Doe & John Roe", ["Jane Doe", "John Roe"]),
    ("Jane Doe; John Roe", ["Jane Doe", "John Roe"]),
    ("Jane Doe, John Roe and Ann Poe", ["Jane Doe", "John Roe", "Ann Poe"]),
    ("By Jane Doe | Updated March 3, 2026", ["Jane Doe"]),
    ("By Jane Doe, March 3, 2026", ["Jane Doe"]),
    ("Written by: Jane Doe", ["Jane Doe"]),
    ("Posted by Jane Doe", ["Jane Doe"]),
    ("Jane Doe, Staff Writer", ["Jane Doe"]),
    ("Jane Doe, Contributor", ["Jane Doe"]),
    ("Jane Doe (Reuters)", ["Jane Doe"]),
    ("Jane Doe (@janedoe)", ["Jane Doe"]),
    ("Jane Doe is a senior writer at Silver Screen Daily covering film.", ["Jane Doe"]),
    ("Jane Doe was an editor at large.", ["Jane Doe"]),
    ("Staff", []),
    ("By Staff", []),
    ("admin", []),
    ("Entertainment Desk", []),
    ("Senior Film Editor", []),
    pytest.param("https://silverscreen.example/author/jane-doe/", []),
    pytest.param("https://twitter.com/janedoe", []),
    ("www.janedoe.example", []),
    ("@janedoe", []),
    ("", []),
    # casing: capitals and lower case are fixed, mixed case is the author's own
    ("JANE DOE", ["Jane Doe"]),
    ("jane doe", ["Jane Doe"]),
    ("MARY-KATE ASHBY", ["Mary-Kate Ashby"]),
    ("DeShawn McKay", ["DeShawn McKay"]),
    ("Jean-Luc Picard", ["Jean-Luc Picard"]),
    # 'and' inside a word is not a separator
    ("Bethany Andrews", ["Bethany Andrews"]),
    ("Anna Yates and Yolanda Young", ["Anna Yates", "Yolanda Young"]),
    ("Jane Doe/John Roe", ["Jane Doe", "John Roe"]),
    ("Ludwig van Beethoven", ["Ludwig van Beethoven"]),
    ("MND", ["MND"]),                                  # a lone acronym keeps its capitals
    # a news agency after the reporter is a credit, not a co-author or part of the name
    ("Joe Davidson Washington Post", ["Joe Davidson"]),
    ("By Jane Roe, Associated Press", ["Jane Roe"]),
    ("By Meg Roe Bloomberg News", ["Meg Roe"]),
    ("AFP", []),
    ("Michael Bloomberg", ["Michael Bloomberg"]),
    # a byline running on into a date, a role or an outlet is cut there
    ("Jane Doe March 3, 2026", ["Jane Doe"]),
    ("Jane Doe, Mar 3", ["Jane Doe"]),
    ("Jane Doe - Staff", ["Jane Doe"]),
    ("Meg Roe NEW YORK DAILY NEWS", ["Meg Roe"]),
    ("Gina Roe CEO", ["Gina Roe"]),
    ("Jane Doe Senior Business Reporter", ["Jane Doe"]),
    ("Adam Roe PhillyVoice Staff", ["Adam Roe"]),
    # "by" in the languages news sites commonly use
    ("Von Anna Schmidt", ["Anna Schmidt"]),
    ("Autorin: Anna Schmidt", ["Anna Schmidt"]),
    ("Par Marie Dupont et Jean Martin", ["Marie Dupont", "Jean Martin"]),
    ("Por Ana García y Luis Pérez", ["Ana García", "Luis Pérez"]),
    # a picture credit names a photographer and an agency, not the story's author
    ("Photo: Dana Whitlock / Marquee Pictures", []),
    ("Photo credit: Dana Whitlock / Marquee Pictures", []),
    ("Image: Marquee Pictures", []),
    ("Foto: Anna Schmidt", []),
    ("Credit: Dana Whitlock", []),
    ("Photography: Jane Doe", []),
    ("Photographs by Jane Doe", []),
    # a social handle beside the name, a bare label
    ("by April Glaser @aprilglaser Dec 15, 2016, 1:55pm EST", ["April Glaser"]),
    ("By", []),
    ("Name", []),
])
def test_clean_author(raw: str, expected: list[str]) -> None:
    assert clean_author(raw) == expected


def test_clean_authors_deduplicates_in_order() -> None:
    assert clean_authors(["Jane Doe", "JANE DOE", "By Jane Doe", "jane doe.", "John Roe",
                          "Jane Doe and John Roe"]) == ["Jane Doe", "John Roe"]
    assert clean_authors([]) == []
    assert clean_authors(["Staff", "Senior Film Editor"]) == []


def test_clean_author_cuts_at_the_outlet_name() -> None:
    assert clean_author("Jane Doe Variety", ("Variety",)) == ["Jane Doe"]


def test_clean_author_cuts_at_a_multi_word_outlet_name() -> None:
    assert clean_author("Jane Doe Silver Screen Daily", ("Silver Screen Daily",)) == ["Jane Doe"]


def test_clean_author_docstring_example_outlet_after_comma() -> None:
    assert clean_author("By Joe Doe, Washington Post Dec 13, 2016") == ["Joe Doe"]
    assert clean_author("By Joe Doe, Silver Screen Daily Dec 13, 2016") == [
        "Joe Doe", "Silver Screen Daily"]


@pytest.mark.parametrize(("name", "expected"), [
    ("Jane Doe", True), ("J. R. Smith", True), ("Ludwig van Beethoven", True),
    ("amw", False), ("Germany", False), ("jane doe", False), ("A B C D E F", False),
])
def test_is_strong_name(name: str, expected: bool) -> None:
    assert is_strong_name(name) is expected


def test_middle_initial_y() -> None:
    assert clean_author("Jane Y. Doe") == ["Jane Y. Doe"]


def test_capitals_with_apostrophe() -> None:
    assert clean_author("By JANE O'BRIEN") == ["Jane O'Brien"]


def test_rss_author_email_with_name() -> None:
    assert clean_author("jane.doe@silverscreen.example (Jane Doe)") == ["Jane Doe"]


def test_byline_with_on_date() -> None:
    assert clean_author("By Jane Doe on March 3, 2026") == ["Jane Doe"]


def test_outlet_staff_credit_next_to_a_person() -> None:
    assert clean_author("By Jane Doe and the Silver Screen Daily Staff") == ["Jane Doe"]


def test_is_person_name() -> None:
    orgs = ["Silver Screen Daily", "Harbourlight Media"]
    assert is_person_name("Jane Doe", orgs)
    assert not is_person_name("SILVER SCREEN DAILY", orgs)
    assert not is_person_name("", orgs)


# --- the date vote (reconcile.py) ----------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-03-02T23:30:00-05:00", "2026-03-02"),   # the page's own calendar day, not UTC's
    ("2026-03-02T01:30:00+09:00", "2026-03-02"),
    ("2026-03-02", "2026-03-02"),
    (" 2026-03-02T23:30:00Z ", "2026-03-02"),
    ("Mon, 02 Mar 2026 23:30:00 -0500", "2026-03-02"),
    ("2026-13-45", None),
    ("garbage", None),
    ("", None),
])
def test_local_date(raw: str, expected: str | None) -> None:
    assert local_date(raw) == expected


def signals(**kwargs: object) -> Signals:
    jsonld = JsonLdArticle(date_published=kwargs.pop("jsonld", None),  # type: ignore[arg-type]
                           date_modified=kwargs.pop("jsonld_modified", None))  # type: ignore[arg-type]
    return Signals(jsonld=jsonld, **kwargs)  # type: ignore[arg-type]


def test_offset_near_midnight_keeps_the_local_day() -> None:
    chosen = choose_published(signals(jsonld="2026-03-02T23:30:00-05:00"), None, None)
    assert chosen == ChosenDate(datetime(2026, 3, 3, 4, 30, tzinfo=UTC), "2026-03-02", "jsonld")


def test_a_utc_stamp_counts_for_the_local_day_the_page_states() -> None:
    # 23:11 UTC on New Year's Eve from a site whose URL says 1 January: the local 1st
    page = signals(meta={"article:published_time": ["2018-12-31T23:11:59+00:00"]},
                   url_date="2019-01-01")
    chosen = choose_published(page, None, None)
    assert chosen == ChosenDate(datetime(2018, 12, 31, 23, 11, 59, tzinfo=UTC), "2019-01-01",
                                "meta")
    # 00:47 UTC on the 23rd beside an evening byline date on the 22nd (US Central time)
    page = signals(meta={"article:published_time": ["2016-12-23T00:47:31Z"]},
                   text_dates=["Published: Dec. 22, 2016, 6:47 p.m."])
    assert choose_published(page, None, None).local_date == "2016-12-22"
    # without a local source, or with a stamp no time zone puts on that day, the UTC day stays
    assert choose_published(signals(jsonld="2018-12-31T23:11:59Z"), None,
                            "2019-01-01").local_date == "2018-12-31"
    page = signals(jsonld="2026-03-01T09:00:00Z", url_date="2026-03-02")
    assert choose_published(page, None, None).local_date == "2026-03-01"


def test_agreement_beats_a_single_higher_weight_source() -> None:
    page = signals(jsonld="2026-03-01T10:00:00Z",                      # a template's stale date
                   meta={"article:published_time": ["2026-03-02T09:00:00+01:00"]},
                   url_date="2026-03-02")
    chosen = choose_published(page, None, None)
    assert chosen.local_date == "2026-03-02"
    assert chosen.utc == datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert chosen.source == "meta"   # the value with a time wins within the agreeing day


def test_single_source_wins_over_nothing() -> None:
    chosen = choose_published(signals(time_tags=["2026-03-02T12:00:00Z"]), None, None)
    assert chosen == ChosenDate(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), "2026-03-02", "time_tag")


def test_date_only_source_takes_the_time_of_an_agreeing_source() -> None:
    page = signals(url_date="2026-03-02", time_tags=["2026-03-02T18:45:00Z"])
    chosen = choose_published(page, None, None)
    assert chosen.utc == datetime(2026, 3, 2, 18, 45, tzinfo=UTC)
    assert chosen.local_date == "2026-03-02"


def test_equal_support_goes_to_the_higher_priority_source() -> None:
    # jsonld (3.0) alone against url (2.0) + time tag (1.0): a tie, jsonld ranks first
    page = signals(jsonld="2026-03-01T10:00:00Z", url_date="2026-03-02",
                   time_tags=["2026-03-02"])
    assert choose_published(page, None, None).local_date == "2026-03-01"


def test_feed_hint_counts_as_a_source() -> None:
    hint = Candidate(url="https://x.example/a", via="feed",
                     published_at=datetime(2026, 3, 2, 14, 0, tzinfo=UTC))
    page = signals(jsonld="2026-03-01T10:00:00Z", url_date="2026-03-02")
    chosen = choose_published(page, hint, None)
    assert (chosen.utc, chosen.source) == (datetime(2026, 3, 2, 14, 0, tzinfo=UTC), "feed")


def test_unparseable_dates_are_ignored() -> None:
    assert choose_published(signals(jsonld="sometime last week"), None, None) == ChosenDate(
        None, None, None)
    page = signals(jsonld="not a date", time_tags=["2026-03-02T12:00:00Z"])
    assert choose_published(page, None, None).source == "time_tag"


def test_choose_modified() -> None:
    page = signals(jsonld_modified="2026-03-04T10:00:00Z",
                   meta={"article:modified_time": ["2026-03-04T11:00:00Z"]})
    chosen = choose_modified(page)
    assert chosen == ChosenDate(datetime(2026, 3, 4, 10, 0, tzinfo=UTC), "2026-03-04", "jsonld")
    assert choose_modified(signals()) == ChosenDate(None, None, None)


def test_a_time_shown_as_updated_dates_the_modification_not_the_publication() -> None:
    page = Signals(jsonld=JsonLdArticle(), time_tags=["2026-03-02T09:00:00Z"],
                   updated_time_tags=["2026-03-04T18:30:00Z"])
    assert choose_modified(page).local_date == "2026-03-04"
    assert choose_published(page, None, None).local_date == "2026-03-02"
    # a page whose only stamp is its update time has no stated publication time
    page.time_tags = []
    assert choose_published(page, None, None).local_date is None


def test_byline_running_into_a_month_name() -> None:
    assert clean_author("Laura E. Adkins December") == ["Laura E. Adkins"]
    assert clean_author("April Glaser") == ["April Glaser"]  # a first name, not a date


def test_a_copyright_year_from_trafilatura_does_not_outvote_a_visible_date() -> None:
    # htmldate reports a bare copyright year as 1 January
    page = signals(text_dates=["2019年04月21日 12時00分更新"])
    assert choose_published(page, None, "2022-01-01").local_date == "2019-04-21"
    # a 1 January another source confirms stays
    page = signals(url_date="2019-01-01", meta={"article:published_time": ["2018-12-31T23:11:59Z"]})
    assert choose_published(page, None, "2019-01-01").local_date == "2019-01-01"
    # alone, it is a year, not a day: no publication date rather than a wrong one
    assert choose_published(signals(), None, "2022-01-01") == ChosenDate(None, None, None)
    # any other htmldate day alone is its reading of the page, and stays
    assert choose_published(signals(), None, "2022-03-14").local_date == "2022-03-14"
    page = signals(jsonld="2026-01-01T09:00:00Z")
    assert choose_published(page, None, "2026-01-01").local_date == "2026-01-01"


def test_margin_says_whether_another_opinion_could_change_the_date() -> None:
    settled = choose_published(signals(jsonld="2026-03-02T10:00:00Z", url_date="2026-03-02"),
                               None, None)
    assert settled.margin == 5.0
    lone_tag = choose_published(signals(time_tags=["2026-03-02T12:00:00Z"]), None, None)
    assert lone_tag.margin == 1.0  # trafilatura (1.5) could outvote it: it must be asked


# --- the title vote ---------------------------------------------------------------------------


def test_title_runs() -> None:
    assert title_runs("Headline Here - Section | Site") == {
        "headline here", "headline here section", "section site", "site"}
    assert title_runs("Just A Headline") == set()


def test_leading_runs() -> None:
    assert leading_runs("Headline Here - Section | Site") == {
        "headline here", "headline here section"}
    assert leading_runs("Just A Headline") == set()


def test_a_title_tag_with_an_unknown_suffix_vouches_for_the_h1() -> None:
    # Two h1s (a section label first) and a <title> whose suffix is a site name the page
    # never declares: the title tag's leading part agrees with the second h1.
    page = Signals(jsonld=JsonLdArticle(), h1=["News Releases", "Fingerprint Mouse Launched"],
                   title_tag="Fingerprint Mouse Launched. | Example Supply Co.")
    chosen = choose_title(page, None, [], None)
    assert (chosen.value, chosen.source) == ("Fingerprint Mouse Launched", "h1")


def test_seo_title_copies_count_once_against_the_visible_headline() -> None:
    seo = "Marlowe Quinn Joins the Cast"
    page = Signals(jsonld=JsonLdArticle(), h1=["Marlowe Quinn Lands Her First Lead Role"],
                   title_tag=f"{seo} | Silver Screen Daily",
                   meta={"og:title": [seo], "twitter:title": [seo]})
    chosen = choose_title(page, None, SITE, None)
    assert (chosen.value, chosen.source) == ("Marlowe Quinn Lands Her First Lead Role", "h1")
    # trafilatura's title is og:title again: no more weight
    assert choose_title(page, None, SITE, seo).value == "Marlowe Quinn Lands Her First Lead Role"
    # an independent source that agrees with the SEO title still tips the vote
    page.jsonld = JsonLdArticle(headline=seo)
    assert choose_title(page, None, SITE, None).value == seo


def test_the_newsletter_headline_is_a_source_of_its_own() -> None:
    # no <h1>; the headline sits in an <h2> and in the Sailthru/Parse.ly title the
    # newsroom sets, while the social title (copied to twitter and <title>) is clickbait
    headline, social = "Council Approves New Film Studio", "You Won't Believe What They Built!"
    for meta_name in ("sailthru.title", "parsely-title"):
        page = Signals(jsonld=JsonLdArticle(), headings=[headline], title_tag=social,
                       meta={"og:title": [social], "twitter:title": [social],
                             meta_name: [headline]})
        chosen = choose_title(page, None, SITE, None)
        assert chosen.value == headline
        table = {value: feats for _, value, feats in title_features(page, None, SITE, None)}
        assert table[headline]["src:editorial"] == table[headline]["src:h2"] == 1.0
    # without it the <h2> has nobody vouching for it and is no candidate at all
    bare = Signals(jsonld=JsonLdArticle(), headings=[headline], title_tag=social,
                   meta={"og:title": [social]})
    assert choose_title(bare, None, SITE, None).value == social


def test_several_different_h1s_are_weak_evidence() -> None:
    # a theme that sets its sidebar widgets' headings in <h1>: none of them is the headline
    page = Signals(jsonld=JsonLdArticle(), h1=["Recent Comments", "Categories"],
                   meta={"og:title": ["Marlowe Quinn Joins the Cast"]})
    chosen = choose_title(page, None, SITE, None)
    assert (chosen.value, chosen.source) == ("Marlowe Quinn Joins the Cast", "og")
    # one h1 outweighs og:title alone
    page.h1 = ["Marlowe Quinn Lands Her First Lead Role"]
    assert choose_title(page, None, SITE, None).source == "h1"


def test_title_margin() -> None:
    page = Signals(jsonld=JsonLdArticle(headline="Same Headline"), h1=["Same Headline"],
                   meta={"og:title": ["Same Headline"]})
    assert choose_title(page, None, [], None).margin == 7.5
    assert choose_title(Signals(jsonld=JsonLdArticle()), None, [], None).margin == 0.0


# --- credits, for pages that name no person --------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    ("By MND Staff", "MND Staff"),
    ("The Associated Press", "The Associated Press"),
    ("BWW News Desk", "BWW News Desk"),
    ("By Staff Writer", "Staff Writer"),
    ("AFP", "AFP"),
    ("MND Staff -", "MND Staff"),
    ("By THE OUTLET STAFF", "The Outlet Staff"),
    ("Redaktion Musterstadt May 3, 2026", "Redaktion Musterstadt"),
    ("By", None),
    ("Autor", None),
    ("Twitter Facebook", None),
    ("25. Oktober 2023", None),
    ("https://www.facebook.com/outlet", None),
    ("Photo by Jane Doe", None),
    ("This story was reported by the desk and edited by the standards team", None),
])
def test_clean_credit(raw: str, expected: str | None) -> None:
    assert clean_credit(raw) == expected


def test_a_page_without_a_person_gets_its_credit_as_written() -> None:
    page = Signals(jsonld=JsonLdArticle(authors=["MND Staff"]), meta={"author": ["MND Staff"]},
                   bylines=["By MND Staff", "By"])
    chosen = choose_authors(page, None, [], None)
    assert (chosen.value, chosen.source) == (["MND Staff"], "jsonld")


def test_a_person_beats_any_credit() -> None:
    page = Signals(jsonld=JsonLdArticle(authors=["The Associated Press"]),
                   bylines=["By Jane Doe", "The Associated Press"])
    assert choose_authors(page, None, [], None).value == ["Jane Doe"]


# -- people named outside the markup: author-page links and credit lines in the text ---------


BOLD_BYLINE = ["Odile Marchetti"]


@pytest.mark.parametrize(("text", "bold", "expected"), [
    ("Written by: Odile Marchetti\n\nThe festival opened on a wet Friday.", [],
     ["Odile Marchetti"]),
    ("Eine Kolumne von Jonas Feldmann\n\nDer Sommer war lang.", [], ["Jonas Feldmann"]),
    ("Odile Marchetti\n\nTHE festival opened on a wet Friday.", BOLD_BYLINE,
     ["Odile Marchetti"]),
    ("A night at the pier\n\n…and a morning after\n\nOdile Marchetti/Tomas Reyes\n\nThe pier "
     "reopened.", ["Odile Marchetti/Tomas Reyes", "The council's answer"],
     ["Odile Marchetti", "Tomas Reyes"]),
    ("The pier reopened.\n\nIt rained.\n\nMore later.\n\nNobody came.\n\nReporting by Odile "
     "Marchetti and Tomas Reyes", [], ["Odile Marchetti", "Tomas Reyes"]),
    # a name-only line that is not set in bold is a heading or a caption
    ("Odile Marchetti\n\nTHE festival opened on a wet Friday.", [], []),
    # the story's subject as a lead-in heading: named again below, so not a byline
    ("Marlowe Quinn\n\nThe actor Marlowe Quinn joined the cast on Friday.", ["Marlowe Quinn"],
     []),
    # a bold picture credit names a company
    ("Marvel Studios\n\nThe star arrived late to the premiere.", ["Marvel Studios"], []),
    # a listicle's bold items: several bold name lines, none of them a byline
    ("Lena Torvald\n\nShe wore green.\n\nMira Castellane\n\nShe wore red.",
     ["Lena Torvald", "Mira Castellane"], []),
    # a desk, not people: cleaning would change it
    ("By Smart Living Team\n\nThe best picnic blankets.", [], []),
    # lower-case words are no name; a sentence is no credit line
    ("…accuse the organisers\n\nThe pier reopened.", ["…accuse the organisers"], []),
    ("The festival opened by the sea.\n\nIt rained.", [], []),
    # a bare name deep in the text is a quote or a caption, not a byline
    ("One.\n\nTwo.\n\nThree.\n\nFour.\n\nOdile Marchetti\n\nSix.", BOLD_BYLINE, []),
    # a bold name closing the text signs it
    ("The pier reopened.\n\nIt rained.\n\nNobody minded.\n\nOdile Marchetti", BOLD_BYLINE,
     ["Odile Marchetti"]),
    # ... unless the story is about that person, or it is the last of a list of bold names
    ("The pier reopened.\n\nMarchetti cut the ribbon.\n\nIt rained.\n\nOdile Marchetti",
     BOLD_BYLINE, []),
    ("Best dressed:\n\nLena Torvald\n\nShe wore green.\n\nOdile Marchetti",
     ["Lena Torvald", "Odile Marchetti"], []),
])
def test_authors_from_text(text: str, bold: list[str], expected: list[str]) -> None:
    people, line = authors_from_text(text, SITE, bold)
    assert people == expected
    # the credit line is returned as it stands in the text, for removal from the body
    assert (line in text.split("\n\n")) if expected else line is None


def test_an_author_page_link_names_the_author_when_the_markup_names_only_the_outlet() -> None:
    page = Signals(jsonld=JsonLdArticle(authors=["Silver Screen Daily"], author_is_org=True),
                   meta={"author": ["SSD"]}, author_links=["Odile Marchetti", "Tomas Reyes"])
    chosen = choose_authors(page, None, SITE, None)
    assert (chosen.value, chosen.source) == (["Odile Marchetti", "Tomas Reyes"], "byline")


def test_the_markup_s_person_beats_an_author_page_link() -> None:
    page = Signals(jsonld=JsonLdArticle(authors=["Jane Doe"]),
                   author_links=["Odile Marchetti"])
    assert choose_authors(page, None, SITE, None).value == ["Jane Doe"]


def test_a_desk_behind_an_author_page_link_stays_a_credit() -> None:
    page = Signals(jsonld=JsonLdArticle(), meta={"author": ["Culture Desk"]},
                   author_links=["Smart Living Team"])
    assert choose_authors(page, None, SITE, None).value == ["Culture Desk"]


def test_a_link_to_an_author_page_outvotes_a_lone_guess() -> None:
    page = Signals(jsonld=JsonLdArticle(), author_links=["Wilhelmina Ostrander"])
    chosen = choose_authors(page, None, SITE, "Dashiell Marrow")
    assert (chosen.value, chosen.source) == (["Wilhelmina Ostrander"], "byline")


def test_author_page_links_vote_but_do_not_settle() -> None:
    # a link found by its URL's shape agrees with the meta author: chosen, but trafilatura
    # is still worth asking (margin 0); a byline agreeing settles it
    linked = Signals(jsonld=JsonLdArticle(), meta={"author": ["Jane Doe"]},
                     author_links=["Jane Doe"])
    assert choose_authors(linked, None, SITE, None).margin == 0.0
    bylined = Signals(jsonld=JsonLdArticle(), meta={"author": ["Jane Doe"]},
                      bylines=["By Jane Doe"])
    assert choose_authors(bylined, None, SITE, None).margin == float("inf")


def test_trafilatura_s_lone_guess_yields_to_a_credit_the_page_states_twice() -> None:
    # a commenter's name from a widget vs the outlet credited in the byline and its link
    page = Signals(jsonld=JsonLdArticle(), bylines=["Written by Harbour Today"],
                   author_links=["Harbour Today"])
    chosen = choose_authors(page, None, ["Harbour Today"], "Basil Thornquist")
    assert (chosen.value, chosen.source) == (["Harbour Today"], "byline")
    # a label given once ('See all') is no credit to prefer
    page = Signals(jsonld=JsonLdArticle(), author_links=["See all"])
    assert choose_authors(page, None, SITE, "Ellyn Roe").value == ["Ellyn Roe"]
    # agreed on by another source, trafilatura's person stands
    page = Signals(jsonld=JsonLdArticle(), meta={"author": ["Basil Thornquist"]},
                   bylines=["Harbour Today", "Harbour Today"])
    assert choose_authors(page, None, ["Harbour Today"], "Basil Thornquist").value == [
        "Basil Thornquist"]


def test_a_spelled_out_name_beats_the_slug_of_a_profile_url() -> None:
    page = Signals(jsonld=JsonLdArticle(), meta={
        "article:author": ["https://outlet.example/author/ann-tremayne-poole"],
        "sailthru.author": ["Ann Tremayne-Poole"]})
    assert choose_authors(page, None, SITE, None).value == ["Ann Tremayne-Poole"]


def test_an_author_page_url_names_its_author() -> None:
    assert name_from_author_url("https://outlet.example/editors/jane-q-doe") == "Jane Q Doe"
    assert name_from_author_url("https://outlet.example/author/marlowe-quinn/") == "Marlowe Quinn"
    for url in ("https://www.facebook.com/outletnews/", "https://outlet.example/author/jdoe/",
                "https://outlet.example/author/time-magazine/",
                "https://outlet.example/news/jane-doe-wins/"):
        assert name_from_author_url(url) is None, url
    page = Signals(jsonld=JsonLdArticle(),
                   meta={"article:author": ["https://outlet.example/editors/jane-doe"]})
    assert choose_authors(page, None, SITE, None).value == ["Jane Doe"]
    page = Signals(jsonld=JsonLdArticle(), meta={"og:article:author": ["Jane Doe"]})
    assert choose_authors(page, None, SITE, None).value == ["Jane Doe"]


def test_a_lower_case_label_before_the_byline_is_not_a_name() -> None:
    # a partner title's label in front of 'von' (German 'by'); a particle inside a name stays
    assert clean_author("capital von Jemima Rask 05. November 2024 15:36 Uhr") == ["Jemima Rask"]
    assert clean_author("Ulla von der Heide") == ["Ulla von der Heide"]
    assert clean_author("extra by Jane Roe") == ["Jane Roe"]


@pytest.mark.parametrize(("line", "expected"), [
    ("Von Katja Marlow", True),
    ("By Lena Torvald and Odile Marchetti", True),
    ("von Anne Sophie Brecht", True),
    ("By the river, the festival opened.", False),
    ("Von Silver Screen Daily", False),
    ("By 2030", False),
    ("Von Berlin nach Hamburg fuhr der Zug in zwei Stunden und hielt nur einmal", False),
])
def test_is_byline(line: str, expected: bool) -> None:
    assert is_byline(line, SITE) is expected


def test_byline_lines_leave_the_text_once_the_authors_are_chosen() -> None:
    story = " ".join(f"Satz {n} der Geschichte über das Hafenfest und seine Gäste." for n in
                     range(30))
    page = ("<html><head><title>Hafenfest</title><meta name='author' content='Katja Marlow'>"
            "<meta property='article:published_time' content='2026-05-18T06:00:00Z'></head>"
            "<body><article><h1>Hafenfest</h1><p>Von Katja Marlow</p>"
            f"<p>{story}</p><p>Mehr vom Hafen</p><p>von Jonas Brecht</p>"
            "<p>Der Hafen feiert auch im Herbst.</p></article></body></html>")
    record = extract_article(page.encode(), "https://anzeiger.test/2026/05/hafenfest").record
    assert record is not None
    assert record["authors"] == ["Katja Marlow"]
    assert "Von Katja Marlow" not in record["text"]
    assert "von Jonas Brecht" not in record["text"]
    assert "Der Hafen feiert auch im Herbst." in record["text"]


def test_a_written_date_line_dates_a_page_with_no_machine_date() -> None:
    page = Signals(jsonld=JsonLdArticle(), html_lang="de-DE",
                   text_dates=["Veröffentlicht am 03/04/2026, 09:15 Uhr"])
    chosen = choose_published(page, None, None)
    assert (chosen.local_date, chosen.source) == ("2026-04-03", "text")
    # the same slashes on an American page mean March 4 (and a page saying only 'en' is
    # not read at all: it could be either); dots are day first everywhere
    page.text_dates = ["Posted 03/04/2026, 9:15 AM"]
    page.html_lang = "en-US"
    assert choose_published(page, None, None).local_date == "2026-03-04"
    page.html_lang = "en"
    assert choose_published(page, None, None).local_date is None
    page.text_dates = ["03.04.2026"]
    assert choose_published(page, None, None).local_date == "2026-04-03"


def test_all_caps_means_most_letters_are_capitals() -> None:
    from newscrawl.extract.reconcile import _all_caps

    assert _all_caps("PEKING 2022 – EINE GROSSE CHANCE")
    assert not _all_caps("改正NICT法がプチ炎上")  # one Latin acronym in a Japanese headline
    assert not _all_caps("NASA Finds Water")
