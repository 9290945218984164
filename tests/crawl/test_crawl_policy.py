"""The crawl's decisions, as plain function calls: every skip and drop reason, revisits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newscrawl.crawl.policy import (
    Drop,
    Fetch,
    FetchMemory,
    RevisitPolicy,
    Skip,
    TrapLimits,
    Write,
    conditional_headers,
    decide_fetch,
    decide_write,
)
from newscrawl.crawl.reasons import DROP_REASONS, SKIP_REASONS
from newscrawl.discovery import Candidate
from newscrawl.sites import Site
from newscrawl.state import CommittedRow, KnownArticle, Validators
from newscrawl.state.sqlite import SqliteCrawlState
from tests.rows import make_row

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
SITE = Site(key="gossip", name="Gossip Wire", home="https://gossipwire.example/",
            deny=(re.compile(r"/sponsored/"),))
ARTICLE = "https://gossipwire.example/2026/03/02/story-1/"
POLICY = RevisitPolicy(young_hours=48, interval_minutes=60, reject_recheck_hours=24)


@pytest.fixture
def state(tmp_path: Path) -> Iterator[SqliteCrawlState]:
    store = SqliteCrawlState(tmp_path)
    yield store
    store.close()


def fetch(candidate: Candidate, state: SqliteCrawlState, *, scheduled: set[str] | None = None,
          skipped_known: set[str] | None = None, allow: bool = True,
          since: datetime | None = None, memory: FetchMemory | None = None,
          limits: TrapLimits | None = None) -> Fetch | Skip:
    memory = memory or FetchMemory(scheduled=scheduled or set(),
                                   skipped_known=skipped_known or set())
    return decide_fetch(candidate, SITE, state=state, memory=memory,
                        robots_allow=lambda _: allow, since=since, revisit=POLICY, now=NOW,
                        limits=limits or TrapLimits())


def commit(state: SqliteCrawlState, row: dict[str, Any], **validators: str) -> None:
    state.commit_part(f"p-{row['id']}.parquet", [CommittedRow(row, Validators(**validators))])


# -- fetch or skip --------------------------------------------------------------------------


def test_a_new_article_is_fetched_under_its_canonical_url(state: SqliteCrawlState) -> None:
    decision = fetch(Candidate(ARTICLE + "?utm_source=feed", "feed"), state)
    assert decision == Fetch(ARTICLE)


@pytest.mark.parametrize(("url", "via", "reason"), [
    ("https://elsewhere.example/2026/03/02/story-1/", "sitemap", "off_site"),
    ("https://gossipwire.example/media/report.pdf", "sitemap", "non_html_link"),
    ("https://gossipwire.example/sponsored/2026/03/02/deal/", "sitemap", "denied_by_site"),
    ("https://gossipwire.example/tag/awards/", "link", "not_article_url"),
    ("https://gossipwire.example/about/", "sitemap", "not_article_url"),
])
def test_what_is_no_article_is_skipped_with_its_reason(state: SqliteCrawlState, url: str,
                                                      via: str, reason: str) -> None:
    assert fetch(Candidate(url, via), state) == Skip(
        url, reason)  # type: ignore[arg-type]


def test_a_deep_sitemap_url_is_trusted_even_without_an_article_shape(
        state: SqliteCrawlState) -> None:
    url = "https://gossipwire.example/celebrity/some-story-name/"
    assert fetch(Candidate(url, "sitemap"), state) == Fetch(url)


def test_robots_disallowed(state: SqliteCrawlState) -> None:
    assert fetch(Candidate(ARTICLE, "sitemap"), state, allow=False) == Skip(
        ARTICLE, "robots_disallowed")


def test_older_than_since_uses_the_best_date_known_before_fetching(
        state: SqliteCrawlState) -> None:
    since = datetime(2026, 3, 3, tzinfo=UTC)
    dated = Candidate(ARTICLE, "sitemap", published_at=datetime(2026, 3, 2, tzinfo=UTC))
    assert fetch(dated, state, since=since) == Skip(ARTICLE, "older_than_since")
    # no date from the source: the URL's date decides, counted to the end of its day (the
    # page may be dated in a time zone behind UTC)
    assert fetch(Candidate(ARTICLE, "link"), state, since=since + timedelta(hours=1)) == Skip(
        ARTICLE, "older_than_since")
    assert fetch(Candidate(ARTICLE, "link"), state, since=since) == Fetch(ARTICLE)
    # nothing dates it: fetched (the page's own date is checked after extraction)
    undated = "https://gossipwire.example/celebrity/story-without-date/"
    assert fetch(Candidate(undated, "sitemap"), state, since=since) == Fetch(undated)


def test_a_page_rejected_recently_is_not_fetched_until_recheck_or_a_newer_lastmod(
        state: SqliteCrawlState) -> None:
    state.reject(ARTICLE, "not_html")
    rejected_at = state.rejected(ARTICLE)
    assert rejected_at is not None
    later = decide_fetch(Candidate(ARTICLE, "sitemap"), SITE, state=state,
                         memory=FetchMemory(), robots_allow=lambda _: True, since=None,
                         revisit=POLICY, now=rejected_at[0] + timedelta(hours=25))
    assert later == Fetch(ARTICLE)
    policy_now = rejected_at[0] + timedelta(hours=1)
    held = decide_fetch(Candidate(ARTICLE, "sitemap"), SITE, state=state,
                        memory=FetchMemory(), robots_allow=lambda _: True, since=None,
                        revisit=POLICY, now=policy_now)
    assert held == Skip(ARTICLE, "not_an_article_before")
    moved = Candidate(ARTICLE, "sitemap", lastmod=rejected_at[0] + timedelta(minutes=5))
    again = decide_fetch(moved, SITE, state=state, memory=FetchMemory(),
                         robots_allow=lambda _: True, since=None, revisit=POLICY,
                         now=policy_now)
    assert again == Fetch(ARTICLE)


def test_known_articles_are_skipped_unless_due(state: SqliteCrawlState) -> None:
    row = make_row(1, published_at=NOW - timedelta(days=10), crawled_at=NOW - timedelta(days=9))
    commit(state, row, etag='"e1"')
    assert fetch(Candidate(ARTICLE, "sitemap"), state) == Skip(ARTICLE, "known")
    newer = Candidate(ARTICLE, "sitemap", lastmod=NOW - timedelta(hours=1))
    decision = fetch(newer, state)
    assert isinstance(decision, Fetch) and decision.revisit is not None
    assert conditional_headers(decision.revisit) == {"If-None-Match": '"e1"'}


def test_a_young_article_is_revisited_once_per_interval(state: SqliteCrawlState) -> None:
    row = make_row(1, published_at=NOW - timedelta(hours=5),
                   crawled_at=NOW - timedelta(minutes=90))
    commit(state, row)
    decision = fetch(Candidate(ARTICLE, "link"), state)
    assert isinstance(decision, Fetch) and decision.revisit is not None
    fresh = make_row(2, published_at=NOW - timedelta(hours=5),
                     crawled_at=NOW - timedelta(minutes=10))
    commit(state, fresh)
    assert fetch(Candidate(fresh["canonical_url"], "link"), state) == Skip(
        fresh["canonical_url"], "known")


def test_seen_this_run_is_silent_unless_a_later_source_shows_a_change(
        state: SqliteCrawlState) -> None:
    assert fetch(Candidate(ARTICLE, "link"), state, scheduled={ARTICLE}) == Skip(ARTICLE, None)
    row = make_row(1, published_at=NOW - timedelta(days=10), crawled_at=NOW - timedelta(days=9))
    commit(state, row)
    later = Candidate(ARTICLE, "sitemap", lastmod=NOW - timedelta(hours=2))
    decision = fetch(later, state, scheduled={ARTICLE}, skipped_known={ARTICLE})
    assert isinstance(decision, Fetch) and decision.revisit is not None
    # scheduled for fetching already (not skipped as known): not fetched twice
    assert fetch(later, state, scheduled={ARTICLE}) == Skip(ARTICLE, None)


def test_revisit_due_compares_lastmod_with_both_the_recorded_and_the_fetch_time() -> None:
    known = KnownArticle(ARTICLE, "id", "hash", 1, lastmod_seen="2026-03-01T00:00:00+00:00",
                         published_at="2026-02-01T00:00:00+00:00",
                         last_fetched="2026-03-03T00:00:00+00:00")
    at = datetime(2026, 3, 2, tzinfo=UTC)  # newer than lastmod_seen, older than the fetch
    assert not POLICY.due(known, Candidate(ARTICLE, "sitemap", lastmod=at), NOW)
    assert POLICY.due(known, Candidate(ARTICLE, "sitemap", lastmod=NOW), NOW)


def test_trap_shaped_urls_are_skipped_by_their_shape(state: SqliteCrawlState) -> None:
    long_url = "https://gossipwire.example/2026/03/02/" + "very-long-slug-" * 80 + "/"
    assert fetch(Candidate(long_url, "link"), state) == Skip(long_url, "trap_url_too_long")
    growing = "https://gossipwire.example/news/celebrity/news/celebrity/news/celebrity/story/"
    assert fetch(Candidate(growing, "link"), state) == Skip(growing, "trap_path_repetition")
    deep = "https://gossipwire.example/" + "/".join(f"s{i}" for i in range(20)) + "/"
    assert fetch(Candidate(deep, "sitemap"), state) == Skip(deep, "trap_path_repetition")


def test_query_variants_of_one_path_are_bounded(state: SqliteCrawlState) -> None:
    memory = FetchMemory()
    limits = TrapLimits(max_query_variants=3)
    decisions = []
    for n in range(6):
        decision = fetch(Candidate(f"{ARTICLE}?variant={n}", "link"), state, memory=memory,
                         limits=limits)
        memory.remember("gossip", decision)
        decisions.append(decision)
    assert [isinstance(d, Fetch) for d in decisions] == [True] * 3 + [False] * 3
    assert {d.reason for d in decisions if isinstance(d, Skip)} == {"trap_query_variants"}
    # the plain path is no variant and still fetched
    assert fetch(Candidate(ARTICLE, "link"), state, memory=memory, limits=limits) == \
        Fetch(ARTICLE)


def test_the_site_article_budget_keeps_the_first_and_skips_the_rest(
        state: SqliteCrawlState) -> None:
    memory = FetchMemory()
    limits = TrapLimits(max_candidates_per_site=2)
    urls = [f"https://gossipwire.example/2026/03/02/story-{n}/" for n in range(4)]
    decisions = []
    for url in urls:
        decision = fetch(Candidate(url, "sitemap"), state, memory=memory, limits=limits)
        memory.remember("gossip", decision)
        decisions.append(decision)
    assert decisions == [Fetch(urls[0]), Fetch(urls[1]), Skip(urls[2], "site_candidate_cap"),
                         Skip(urls[3], "site_candidate_cap")]
    assert memory.fetches == {"gossip": 2}


def test_every_skip_reason_is_produced_by_a_test_above() -> None:
    exercised = {"off_site", "non_html_link", "denied_by_site", "not_article_url",
                 "robots_disallowed", "older_than_since", "not_an_article_before", "known",
                 "trap_url_too_long", "trap_path_repetition", "trap_query_variants",
                 "site_candidate_cap",
                 # the spider's listing rules and sitemap caps (integration tests):
                 "trap_listing_depth", "listing_cap", "sitemap_cap", "article_link_cap",
                 "article_link_hops",
                 # decided by middlewares (tests/crawl/test_boundary.py, integration tests):
                 "robots_unreachable", "offsite_redirect", "refused"}
    assert exercised == SKIP_REASONS


# -- write or drop --------------------------------------------------------------------------


def write(record: dict[str, Any], known: KnownArticle | None = None, *,
          written: set[str] | None = None, owner: str | None = None,
          near: str | None = None, drop_near: bool = False) -> Write | Drop:
    return decide_write(record, known, written_this_run=written or set(),
                        content_owner=lambda _hash, _url: owner,
                        near_original=lambda _id: near, drop_near=drop_near)


def known_of(row: dict[str, Any], **changes: Any) -> KnownArticle:
    fields = {"canonical_url": row["canonical_url"], "id": row["id"],
              "content_hash": row["content_hash"], "version": 1, "lastmod_seen": None}
    fields.update(changes)
    return KnownArticle(**fields)


def test_a_new_record_is_written_as_version_one() -> None:
    row = make_row(1)
    assert write(row) == Write(row["canonical_url"], row["id"], 1, None)


def test_the_same_canonical_url_twice_in_a_run_is_dropped() -> None:
    row = make_row(1)
    assert write(row, written={row["canonical_url"]}) == Drop("duplicate_url")


def test_an_alias_of_a_known_article_takes_its_identity_and_next_version() -> None:
    row = make_row(1, canonical_url="https://gossipwire.example/copy/story-1/",
                   text="Changed text of the story. " * 10)
    original = make_row(1)
    known = known_of(original, version=3)
    assert write(row, known) == Write(original["canonical_url"], original["id"], 4, None)
    assert write(row, known, written={original["canonical_url"]}) == Drop("duplicate_url")


def test_a_revisit_with_the_same_text_is_unchanged() -> None:
    row = make_row(1)
    known = known_of(row)
    assert write(row, known) == Drop("unchanged", touch=known)


def test_the_same_text_at_another_url_is_a_duplicate_remembered_as_alias() -> None:
    row = make_row(2)
    first = "https://gossipwire.example/2026/03/02/story-1/"
    decision = write(row, owner=first)
    assert decision == Drop("duplicate_content", f"same text as {first}", alias_of=first)
    # owning its own text is no duplicate
    assert isinstance(write(row, owner=row["canonical_url"]), Write)


def test_near_duplicates_are_flagged_or_dropped() -> None:
    row = make_row(2)
    assert write(row, near="abc123") == Write(row["canonical_url"], row["id"], 1, "abc123")
    assert write(row, near="abc123", drop_near=True) == Drop(
        "near_duplicate", "near copy of abc123")


def test_content_and_near_lookups_are_not_asked_for_an_unchanged_revisit() -> None:
    row = make_row(1)

    def fail(*_: object) -> str | None:
        raise AssertionError("not to be asked")

    decision = decide_write(row, known_of(row), written_this_run=set(), content_owner=fail,
                            near_original=fail, drop_near=False)
    assert isinstance(decision, Drop) and decision.reason == "unchanged"


def test_drop_reasons_are_the_declared_ones() -> None:
    produced = {"duplicate_url", "unchanged", "duplicate_content", "near_duplicate"}
    adapters = {"invalid", "older_than_since", "dataset_unwritable",  # pipelines and spider
                "max_articles_reached"}
    assert produced | adapters == DROP_REASONS
