"""The `CrawlState` contract, run against both stores: SQLite (embedded) and a real Redis."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newscrawl.state import CommittedRow, CrawlState, Validators
from newscrawl.state.redis import RedisCrawlState
from newscrawl.state.sqlite import SqliteCrawlState
from newscrawl.storage.parquet import PartWriter
from tests.rows import make_row

Opener = Callable[[], CrawlState]


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Opener]:
    """Opens the store under test on tmp_path (again and again: reopening is part of it)."""
    opened: list[CrawlState] = []
    if request.param == "sqlite":
        def opener() -> CrawlState:
            opened.append(SqliteCrawlState(tmp_path))
            return opened[-1]
        yield opener
    else:
        from tests.redis_server import redis_server

        with redis_server() as url:
            def opener() -> CrawlState:
                opened.append(RedisCrawlState(tmp_path, url, "contract"))
                return opened[-1]
            yield opener
    for store in opened:
        store.close()


@pytest.fixture
def state(open_store: Opener) -> CrawlState:
    return open_store()


def rows(*records: dict, validators: dict[str, Validators] | None = None) -> list[CommittedRow]:
    validators = validators or {}
    return [CommittedRow(r, validators.get(r["canonical_url"], Validators())) for r in records]


def test_empty_state(state: CrawlState) -> None:
    assert state.count() == 0
    assert state.known("https://gossipwire.example/2026/03/02/story-1/") is None
    assert state.has_content("0123456789abcdef") is None
    assert state.rejected("https://gossipwire.example/tag/x/") is None
    assert state.reconcile() == 0


def test_commit_part_then_known(state: CrawlState) -> None:
    one = make_row(1, url="https://gossipwire.example/2026/03/02/story-1/amp/?utm_source=x")
    two = make_row(2)
    state.commit_part("site=gossip/date=2026-03-02/part-a.parquet", rows(one, two, validators={
        two["canonical_url"]: Validators(etag='"abc"', lastmod_seen="2026-03-02")}))
    assert state.count() == 2
    known_one = state.known(one["canonical_url"])
    assert known_one is not None
    assert (known_one.canonical_url, known_one.id, known_one.content_hash, known_one.version,
            known_one.lastmod_seen) == (one["canonical_url"], one["id"], one["content_hash"], 1,
                                        None)
    assert known_one.published_at == one["published_at"].isoformat()
    # the URL it was fetched under leads to the same article
    assert state.known(one["url"]) == state.known(one["canonical_url"])
    known_two = state.known(two["canonical_url"])
    assert known_two is not None
    assert (known_two.version, known_two.lastmod_seen, known_two.etag) == (1, "2026-03-02",
                                                                         '"abc"')
    assert state.known("https://gossipwire.example/2026/03/02/story-3/") is None
    assert state.has_content(two["content_hash"]) == two["canonical_url"]
    assert state.has_content(make_row(3)["content_hash"]) is None


def test_new_version_updates_the_article(state: CrawlState) -> None:
    first = make_row(1)
    state.commit_part("p1.parquet", rows(first))
    second = make_row(1, version=2, text="A rewritten story. " * 20)
    state.commit_part("p2.parquet", rows(second))
    known = state.known(first["canonical_url"])
    assert known is not None
    assert (known.version, known.content_hash) == (2, second["content_hash"])
    assert state.count() == 1
    # a version never goes back, whatever order two commits arrive in
    state.commit_part("p3.parquet", rows(make_row(1, version=1, text="Late copy. " * 20)))
    again = state.known(first["canonical_url"])
    assert again is not None and again.version == 2


def test_state_survives_reopening(open_store: Opener) -> None:
    row = make_row(1)
    first = open_store()
    first.commit_part("p1.parquet", rows(row))
    first.add_alias("https://gossipwire.example/s/1", row["canonical_url"])
    first.reject("https://gossipwire.example/gallery/9/", "no_story_text")
    first.close()
    again = open_store()
    assert again.known(row["canonical_url"]) is not None
    assert again.known("https://gossipwire.example/s/1") == again.known(row["canonical_url"])
    assert again.count() == 1
    rejected = again.rejected("https://gossipwire.example/gallery/9/")
    assert rejected is not None and rejected[1] == "no_story_text"


def test_aliases_answer_only_for_committed_articles_and_follow_chains(
        state: CrawlState) -> None:
    row = make_row(1)
    state.add_alias("https://gossipwire.example/short/1", "https://gossipwire.example/moved/1")
    state.add_alias("https://gossipwire.example/moved/1", row["canonical_url"])
    assert state.known("https://gossipwire.example/short/1") is None  # not committed yet
    state.commit_part("p1.parquet", rows(row))
    known = state.known("https://gossipwire.example/short/1")
    assert known is not None and known.canonical_url == row["canonical_url"]
    # a loop of aliases ends, it does not hang
    state.add_alias("https://gossipwire.example/a", "https://gossipwire.example/b")
    state.add_alias("https://gossipwire.example/b", "https://gossipwire.example/a")
    assert state.known("https://gossipwire.example/a") is None
    # an alias to itself is not recorded
    state.add_alias(row["canonical_url"], row["canonical_url"])
    assert state.known(row["canonical_url"]) == known


def test_touch_records_the_revisit_and_new_validators(state: CrawlState) -> None:
    row = make_row(1)
    state.commit_part("p1.parquet", rows(row, validators={
        row["canonical_url"]: Validators(etag='"v1"', last_modified="Mon, 02 Mar 2026")}))
    before = state.known(row["canonical_url"])
    assert before is not None
    state.touch(row["canonical_url"], Validators(etag='"v2"', lastmod_seen="2026-03-05"))
    after = state.known(row["canonical_url"])
    assert after is not None
    assert (after.etag, after.last_modified, after.lastmod_seen) == (
        '"v2"', "Mon, 02 Mar 2026", "2026-03-05")
    assert after.last_fetched is not None and before.last_fetched is not None
    assert datetime.fromisoformat(after.last_fetched) > datetime.fromisoformat(
        before.last_fetched)
    state.touch("https://gossipwire.example/never-seen/")  # unknown: no error, nothing added
    assert state.count() == 1


def test_reject_keeps_when_and_why(state: CrawlState) -> None:
    url = "https://gossipwire.example/tag/awards/"
    start = datetime.now(UTC) - timedelta(seconds=1)
    state.reject(url, "listing")
    rejected = state.rejected(url)
    assert rejected is not None
    at, reason = rejected
    assert reason == "listing" and start <= at <= datetime.now(UTC)
    state.reject(url, "http_404")
    again = state.rejected(url)
    assert again is not None and again[1] == "http_404"


def test_claim_content_first_claimant_owns_the_text(state: CrawlState) -> None:
    owner = state.claim_content("feedfacefeedface", "https://gossipwire.example/a/")
    assert owner == "https://gossipwire.example/a/"
    second = state.claim_content("feedfacefeedface", "https://gossipwire.example/b/")
    # SQLite has one writer, whose in-run set decides; Redis arbitrates between workers.
    assert second in ("https://gossipwire.example/a/", "https://gossipwire.example/b/")
    if isinstance(state, RedisCrawlState):
        assert second == "https://gossipwire.example/a/"


def test_robots_bodies_are_kept_for_the_run(state: CrawlState) -> None:
    assert state.load_robots("gossipwire.example") is None
    state.save_robots("gossipwire.example", b"User-agent: *\nDisallow: /private/\n")
    assert state.load_robots("gossipwire.example") == b"User-agent: *\nDisallow: /private/\n"


def test_reconcile_adopts_a_part_written_but_never_committed(state: CrawlState,
                                                              tmp_path: Path) -> None:
    writer = PartWriter(tmp_path, run_id="r1")
    for row in (make_row(1), make_row(2)):
        writer.add(row)
    [committed] = writer.flush()
    state.commit_part(committed.path, rows(*committed.rows))
    # The kill: the next part is renamed into place, the commit to the state never happens.
    lost = make_row(3, url="https://gossipwire.example/story-3?ref=home")
    writer.add(lost)
    [uncommitted] = writer.flush()
    assert state.known(lost["canonical_url"]) is None

    assert state.reconcile() == 1
    known = state.known(lost["canonical_url"])
    assert known is not None
    assert (known.canonical_url, known.id, known.content_hash, known.version) == (
        lost["canonical_url"], lost["id"], lost["content_hash"], 1)
    assert state.known(lost["url"]) == known
    assert state.count() == 3
    # adopted once: a second start finds nothing new
    assert state.reconcile() == 0
    assert state.count() == 3
    assert uncommitted.path != committed.path


def test_sqlite_store_lives_beside_the_dataset(tmp_path: Path) -> None:
    store = SqliteCrawlState(tmp_path)
    try:
        assert (tmp_path / "_state" / "crawl.sqlite").is_file()
    finally:
        store.close()


def test_forget_makes_articles_unknown_and_their_part_unrecorded(state: CrawlState,
                                                                 tmp_path: Path) -> None:
    one, two = make_row(1), make_row(2)
    state.commit_part("a/2026-03-02/p1.parquet", rows(one, two))
    assert sorted(state.canonical_urls()) == sorted([one["canonical_url"],
                                                      two["canonical_url"]])
    state.forget([one["canonical_url"]], ["a/2026-03-02/p1.parquet"])
    assert state.known(one["canonical_url"]) is None
    assert state.has_content(one["content_hash"]) is None
    assert state.known(two["canonical_url"]) is not None
    assert list(state.canonical_urls()) == [two["canonical_url"]]
    assert state.count() == 1


def test_pending_links_survive_reopening_per_site_until_dropped(open_store: Opener) -> None:
    first = open_store()
    a, b = "https://gossipwire.example/2026/03/02/a/", "https://gossipwire.example/2026/03/02/b/"
    first.add_pending("gossipwire", [b, a])
    first.add_pending("gossipwire", [a])  # scheduled again by another story: once
    first.add_pending("other", ["https://other.example/x/"])
    first.add_pending("gossipwire", [])
    reopened = open_store()
    assert reopened.pending("gossipwire") == [a, b]
    reopened.drop_pending("gossipwire", [a, "https://gossipwire.example/never-added/"])
    assert open_store().pending("gossipwire") == [b]
    assert open_store().pending("other") == ["https://other.example/x/"]
    assert open_store().pending("nobody") == []
