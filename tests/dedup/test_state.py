"""newscrawl.dedup.state: the SQLite crawl state and its reconciliation with the parts."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newscrawl.dedup.state import CrawlState
from newscrawl.storage.parquet import PartWriter
from tests.rows import make_row


@pytest.fixture
def state(tmp_path: Path) -> Iterator[CrawlState]:
    crawl_state = CrawlState(tmp_path)
    try:
        yield crawl_state
    finally:
        crawl_state.close()


def test_empty_state(state: CrawlState, tmp_path: Path) -> None:
    assert (tmp_path / "_state" / "crawl.sqlite").is_file()
    assert state.count() == 0
    assert state.known("https://gossipwire.example/2026/03/02/story-1/") is None
    assert state.has_content("0123456789abcdef") is None
    assert state.reconcile() == 0


def test_commit_part_then_known(state: CrawlState) -> None:
    one = make_row(1, url="https://gossipwire.example/2026/03/02/story-1/amp/?utm_source=x")
    two = make_row(2)
    state.commit_part("site=gossip/date=2026-03-02/part-a.parquet", [one, two],
                      validators={two["canonical_url"]: {"etag": '"abc"',
                                                          "lastmod_seen": "2026-03-02"}})
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
    state.commit_part("p1.parquet", [first])
    second = make_row(1, version=2, text="A rewritten story. " * 20)
    state.commit_part("p2.parquet", [second])
    known = state.known(first["canonical_url"])
    assert known is not None
    assert (known.version, known.content_hash) == (2, second["content_hash"])
    assert state.count() == 1
    assert state.has_content(first["content_hash"]) is None


def test_state_survives_reopening(tmp_path: Path) -> None:
    row = make_row(1)
    first = CrawlState(tmp_path)
    first.commit_part("p1.parquet", [row])
    first.close()
    again = CrawlState(tmp_path)
    try:
        assert again.known(row["canonical_url"]) is not None
        assert again.count() == 1
    finally:
        again.close()


def test_reconcile_adopts_a_part_written_but_never_committed(state: CrawlState,
                                                              tmp_path: Path) -> None:
    writer = PartWriter(tmp_path, run_id="r1")
    committed_rows = [make_row(1), make_row(2)]
    for row in committed_rows:
        writer.add(row)
    [committed] = writer.flush()
    state.commit_part(committed.path, committed.rows)
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
