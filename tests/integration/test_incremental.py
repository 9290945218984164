"""Crawling the same dataset again: nothing known is fetched twice, a changed story becomes
version 2, syndicated copies are flagged once, and one writer at a time."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

import newscrawl
from tests.integration.crawling import (
    kill_hard,
    once_each_problems,
    part_files,
    read_rows,
    requested_article_urls,
    rows_by_expected,
    run_crawl,
    start_crawl,
    wait_for,
)
from tests.network import NewsNetwork

FAST = ("-s", "NEWSCRAWL_EXTRACT_WORKERS=1")
# In the archive sitemap (with <lastmod>), no edge-case role: its lastmod moves when it changes.
CHANGED_SITE, CHANGED_SLUG = "sitemapsite", "renee-sol-acoustic-tour-small-town-theaters"
NEW_PARAGRAPH = (
    "Update: two more dates have been added after the first shows sold out within minutes, "
    "at the Larkfield Playhouse and the restored Emberly Opera House."
)
NEWEST_PER_ID = (
    "SELECT * FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true) {where} "
    "QUALIFY row_number() OVER (PARTITION BY id ORDER BY version DESC{tiebreak}) = 1"
)


def keys(rows: Any) -> set[tuple[str, int, str]]:
    """(id, version, content_hash) of DuckDB rows (dicts) or of a pyarrow table."""
    if hasattr(rows, "to_pylist"):
        rows = rows.to_pylist()
    return {(r["id"], r["version"], r["content_hash"]) for r in rows}


def crawl(network: NewsNetwork, out: Path, *args: str) -> dict[str, Any]:
    run = run_crawl(network.sites_file, out, *FAST, *args)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.report


def test_runs_two_and_three_add_nothing_and_request_no_known_article(
    news_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    crawl(news_network, out)
    rows = read_rows(out)
    assert not once_each_problems(news_network, rows)
    parts = part_files(out)
    for _ in ("run 2", "run 3"):
        for server in news_network.servers.values():
            server.clear_requests()
        report = crawl(news_network, out)
        assert part_files(out) == parts
        assert keys(read_rows(out)) == keys(rows)
        assert not requested_article_urls(news_network), "known articles fetched again"
        for key, summary in report["sites"].items():
            assert summary["written"] == 0, (key, summary)
            known = len(news_network.expected.sites[key].articles)
            assert summary["skipped_by_reason"].get("known", 0) >= known, (key, summary)


def test_changed_article_is_fetched_again_and_becomes_version_2(
    news_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    crawl(news_network, out)
    before = read_rows(out)
    story = news_network.expected.article(CHANGED_SITE, CHANGED_SLUG)
    [old] = rows_by_expected(news_network, before)[story.url]
    # Edited after the first crawl: the sitemap's <lastmod> is newer than our fetch.
    news_network.update_article(
        CHANGED_SITE,
        CHANGED_SLUG,
        body=[*story.text.split("\n\n"), NEW_PARAGRAPH],
        modified=datetime.now(UTC).replace(microsecond=0),
    )
    for server in news_network.servers.values():
        server.clear_requests()

    report = crawl(news_network, out)
    assert requested_article_urls(news_network) == [story.url]
    assert sum(s["written"] for s in report["sites"].values()) == 1
    after = read_rows(out)
    [new] = [r for r in after if keys([r]) - keys(before)]
    assert (new["id"], new["canonical_url"], new["version"]) == (old["id"], old["canonical_url"], 2)
    assert NEW_PARAGRAPH in new["text"] and NEW_PARAGRAPH not in old["text"]
    assert new["content_hash"] != old["content_hash"]
    assert keys(after) == keys(before) | {(new["id"], 2, new["content_hash"])}

    loaded = newscrawl.load(out)
    assert loaded.num_rows == len(before) - sum(r["duplicate_of"] is not None for r in before)
    [changed] = [r for r in loaded.to_pylist() if r["id"] == old["id"]]
    assert changed["version"] == 2 and NEW_PARAGRAPH in changed["text"]
    # The DuckDB query the README gives reads the same rows as load(), with and without
    # near-duplicates.
    plain = NEWEST_PER_ID.format(out=out, where="", tiebreak="")
    readme = NEWEST_PER_ID.format(
        out=out, where="WHERE duplicate_of IS NULL", tiebreak=", crawled_at DESC"
    )
    assert keys(duckdb.sql(plain).df().to_dict("records")) == keys(
        newscrawl.load(out, drop_duplicates=False)
    )
    assert keys(duckdb.sql(readme).df().to_dict("records")) == keys(loaded)


def near_duplicate_rows(network: NewsNetwork, rows: list[dict[str, Any]]) -> list[str]:
    """Problems with `duplicate_of` in a crawl that keeps near-duplicates: each syndicated pair
    must have exactly one row pointing at the other (either way round), nothing else flagged."""
    matches = rows_by_expected(network, rows)
    problems, expected_flags = [], set()
    for original, copy in network.expected.near_duplicate_pairs:
        [a], [b] = matches[original.url], matches[copy.url]
        flags = {(r["id"], r["duplicate_of"]) for r in (a, b) if r["duplicate_of"] is not None}
        if flags not in ({(a["id"], b["id"])}, {(b["id"], a["id"])}):
            problems.append(f"{copy.slug}: flags {flags}")
        expected_flags |= flags
    flagged = {(r["id"], r["duplicate_of"]) for r in rows if r["duplicate_of"] is not None}
    problems += [f"flagged, but not a syndicated copy: {f}" for f in flagged - expected_flags]
    return problems


def test_syndicated_copies_are_flagged_once_and_same_event_stories_never(
    news_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    report = crawl(news_network, out)
    rows = read_rows(out)
    assert not once_each_problems(news_network, rows)
    assert not near_duplicate_rows(news_network, rows)
    matches = rows_by_expected(news_network, rows)
    for first, second in news_network.expected.same_event_pairs:
        assert matches[first.url][0]["duplicate_of"] is None, first.slug
        assert matches[second.url][0]["duplicate_of"] is None, second.slug
    flagged = {r["id"] for r in rows if r["duplicate_of"] is not None}
    assert len(flagged) == len(news_network.expected.near_duplicate_pairs)
    assert sum(s["dropped_by_reason"].get("near_duplicate", 0) for s in report["sites"].values()) == 0
    everything = {r["id"] for r in rows}
    assert set(newscrawl.load(out)["id"].to_pylist()) == everything - flagged
    assert set(newscrawl.load(out, drop_duplicates=False)["id"].to_pylist()) == everything


def test_drop_near_duplicates_writes_one_copy_of_each_syndicated_story(
    news_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    report = crawl(news_network, out, "-s", "NEWSCRAWL_DROP_NEAR_DUPLICATES=True")
    rows = read_rows(out)
    matches = rows_by_expected(news_network, rows)
    pairs = news_network.expected.near_duplicate_pairs
    for original, copy in pairs:
        written = [len(matches[original.url]), len(matches[copy.url])]
        assert sorted(written) == [0, 1], (copy.slug, written)
    dropped = {url for url, found in matches.items() if not found}
    assert len(dropped) == len(pairs)
    assert not [p for p in once_each_problems(news_network, rows) if "missing" not in p]
    assert all(r["duplicate_of"] is None for r in rows)
    near = sum(s["dropped_by_reason"].get("near_duplicate", 0) for s in report["sites"].values())
    assert near == len(pairs)


def test_second_crawl_on_the_same_dataset_refuses_and_a_killed_one_blocks_nothing(
    news_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    # Slow and flushing every row: still running, extraction workers forked, parts on disk.
    first = start_crawl(
        news_network.sites_file,
        out,
        *FAST,
        "-s", "DOWNLOAD_DELAY=1",
        "-s", "NEWSCRAWL_FLUSH_ROWS=1",
    )  # fmt: skip
    try:
        wait_for(lambda: bool(part_files(out)), 60, "the first crawl's first part file")
        runs_before = sorted((out / "_runs").glob("*"))
        second = run_crawl(news_network.sites_file, out, *FAST, timeout=60)
        assert first.proc.poll() is None, "the first crawl ended too early to test the lock"
    finally:
        kill_hard(first.proc)
    assert second.returncode == 3, second.stderr[-3000:]
    message = second.stderr.strip().splitlines()
    assert message == [
        f"newscrawl: {out} is being written by another newscrawl process (pid {first.proc.pid}); "
        "wait for it to finish or use another --out"
    ]
    assert sorted((out / "_runs").glob("*")) == runs_before

    # The lock died with the killed process (and with its extraction worker).
    crawl(news_network, out)
    assert not once_each_problems(news_network, read_rows(out))


@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="bug: two crawls started together on a new --out both pass cli._lock_problem (no "
    "_state yet); the loser fails in NewsSpider.start with a DatasetLockedError traceback, "
    "exit 1 instead of 3, and writes _runs/unknown.json into the winner's dataset",
)
def test_two_crawls_started_together_one_refuses_cleanly(
    news_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    crawls = [
        start_crawl(news_network.sites_file, out, *FAST, "-s", "DOWNLOAD_DELAY=2")
        for _ in range(2)
    ]
    try:
        wait_for(lambda: any(c.proc.poll() is not None for c in crawls), 60, "one to give up")
    finally:
        for run in crawls:
            if run.proc.poll() is None:
                kill_hard(run.proc)
    loser = next(c for c in crawls if c.proc.returncode != -9)
    assert "being written by another newscrawl process" in loser.output()
    assert "Traceback" not in loser.output()
    assert loser.proc.returncode == 3
    assert not (out / "_runs" / "unknown.json").exists()
