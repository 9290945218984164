"""Crawling the same dataset again: nothing known is fetched twice, a changed story becomes
version 2, syndicated copies are flagged once, and one writer at a time.

`first_crawl` (conftest.py) is one complete crawl of the network; `crawled` is a private copy.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import newscrawl
from tests.integration.crawling import (
    FAST,
    RECHECK_ALL,
    answer_late,
    crawl,
    kill_hard,
    once_each_problems,
    part_files,
    read_records,
    requested_article_urls,
    rows_by_expected,
    run_crawl,
    start_crawl,
    wait_for,
    written_rows,
)
from tests.network import ExpectedArticle, NewsNetwork
from tests.network.plan import DUPLICATED_STORY

# On page 1 of its section (found at hop 2) and in the gzipped archive sitemap with <lastmod>
# (hop 3); no edge-case role.
CHANGED_SITE, CHANGED_SLUG = "sitemapsite", "renee-sol-acoustic-tour-small-town-theaters"
NEW_PARAGRAPH = (
    "Update: two more dates have been added after the first shows sold out within minutes, "
    "at the Larkfield Playhouse and the restored Emberly Opera House."
)
# Newest version per id, near-duplicates included.
NEWEST_PER_ID = (
    "SELECT * FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true) "
    "QUALIFY row_number() OVER (PARTITION BY id ORDER BY version DESC) = 1"
)


def readme_query() -> str:
    """The README's DuckDB query for "the same rows as newscrawl.load()", for `{out}`."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    sql = readme.split("the same rows as newscrawl.load()", 1)[1].split("\n", 1)[1]
    return sql.split(";", 1)[0].replace("datasets/demo", "{out}")


def keys(rows: Any) -> set[tuple[str, int, str]]:
    """(id, version, content_hash) of records (dicts) or of a pyarrow table."""
    if hasattr(rows, "to_pylist"):
        rows = rows.to_pylist()
    return {(r["id"], r["version"], r["content_hash"]) for r in rows}


def test_runs_two_and_three_add_nothing_and_request_no_known_article(
    shared_network: NewsNetwork, crawled: Path
) -> None:
    rows = read_records(crawled)
    assert not once_each_problems(shared_network, rows)
    parts = part_files(crawled)
    for _ in ("run 2", "run 3"):
        for server in shared_network.servers.values():
            server.clear_requests()
        report = crawl(shared_network, crawled)
        assert part_files(crawled) == parts
        assert keys(read_records(crawled)) == keys(rows)
        assert not requested_article_urls(shared_network), "known articles fetched again"
        for key, summary in report["sites"].items():
            assert summary["written"] == 0, (key, summary)
            known = len(shared_network.expected.sites[key].articles)
            assert summary["skipped_by_reason"].get("known", 0) >= known, (key, summary)


def edit(network: NewsNetwork, story: ExpectedArticle) -> None:
    """Add NEW_PARAGRAPH to `story`, edited now: its sitemap/feed lastmod moves past every
    fetch so far."""
    network.update_article(
        story.site,
        story.slug,
        body=[*story.text.split("\n\n"), NEW_PARAGRAPH],
        modified=datetime.now(UTC).replace(microsecond=0),
    )


def change_story(network: NewsNetwork) -> ExpectedArticle:
    """Edit the CHANGED story and clear the request logs; returns the story as it was."""
    story = network.expected.article(CHANGED_SITE, CHANGED_SLUG)
    edit(network, story)
    for server in network.servers.values():
        server.clear_requests()
    return story


def test_changed_article_becomes_version_2_of_the_same_id(
    shared_network: NewsNetwork, crawled: Path
) -> None:
    before = read_records(crawled)
    story = change_story(shared_network)
    [old] = rows_by_expected(shared_network, before)[story.url]

    # Every known story counts as young and due here: all are re-checked, so this test is
    # about versions, not about how the change is noticed (the next test is).
    report = crawl(shared_network, crawled, *RECHECK_ALL)
    assert len(requested_article_urls(shared_network)) >= len(shared_network.expected.articles)
    assert written_rows(report) == 1
    after = read_records(crawled)
    [new] = [r for r in after if keys([r]) - keys(before)]
    assert (new["id"], new["canonical_url"], new["version"]) == (old["id"], old["canonical_url"], 2)
    assert NEW_PARAGRAPH in new["text"] and NEW_PARAGRAPH not in old["text"]
    assert keys(after) == keys(before) | {(new["id"], 2, new["content_hash"])}

    loaded = newscrawl.load(crawled)
    flagged = sum(r["duplicate_of"] is not None for r in before)
    assert loaded.num_rows == len(before) - flagged
    [changed] = [r for r in loaded.to_pylist() if r["id"] == old["id"]]
    assert changed["version"] == 2 and NEW_PARAGRAPH in changed["text"]
    assert keys(read_records(crawled, NEWEST_PER_ID)) == keys(
        newscrawl.load(crawled, drop_duplicates=False)
    )
    assert keys(read_records(crawled, readme_query())) == keys(loaded)


def test_a_moved_sitemap_lastmod_gets_the_story_fetched_again(
    shared_network: NewsNetwork, crawled: Path
) -> None:
    # The listing link (no lastmod) reaches the story a hop before the sitemap entry whose
    # <lastmod> moved; skipping it as known must not hide the sitemap's news.
    before = read_records(crawled)
    story = change_story(shared_network)
    report = crawl(shared_network, crawled)
    assert requested_article_urls(shared_network) == [story.url]
    assert written_rows(report) == 1
    assert len(read_records(crawled)) == len(before) + 1


def test_a_story_fetched_after_its_edit_is_not_fetched_again_for_it(
    shared_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    site = shared_network.expected.sites["sitemapsite"]
    # The newest four: linked from the home page, listed in the post sitemap with <lastmod>.
    newest = sorted(site.articles, key=lambda a: a.published_at, reverse=True)[:4]
    answer_late(shared_network, shared_network.url("sitemapsite", "/"))
    crawl(shared_network, out)  # the sitemaps come first: their lastmod is recorded
    via = {r["canonical_url"]: r["discovered_via"] for r in read_records(out)}
    assert {via[story.url] for story in newest} == {"sitemap"}
    for story in newest:  # edited; the home page answers at once again
        edit(shared_network, story)
    report = crawl(shared_network, out, *RECHECK_ALL)  # re-checked via the home page's links
    assert written_rows(report) == len(newest)
    for server in shared_network.servers.values():
        server.clear_requests()
    crawl(shared_network, out)
    assert not requested_article_urls(shared_network)


def test_a_story_served_at_two_urls_changes_as_one_id(
    shared_network: NewsNetwork, crawled: Path
) -> None:
    # The exact copy at its own URL (own rel=canonical) became an alias of the story in the
    # first crawl. Read first after the text changed, it must not start a new id at version 2
    # and push the story's own new version out as a duplicate.
    story = shared_network.expected.article("feedsite", DUPLICATED_STORY)
    [old] = rows_by_expected(shared_network, read_records(crawled))[story.url]
    edit(shared_network, story)
    # The URL the first crawl did not write (either may win) is read first this time.
    answer_late(shared_network, old["canonical_url"])
    crawl(shared_network, crawled, *RECHECK_ALL)
    rows = read_records(crawled)
    versions: dict[str, list[int]] = {}
    for row in rows:
        versions.setdefault(row["id"], []).append(row["version"])
    gaps = {id_: v for id_, v in versions.items() if sorted(v) != list(range(1, len(v) + 1))}
    assert not gaps, f"versions that do not count up from 1: {gaps}"
    changed = [(r["id"], r["version"]) for r in rows if NEW_PARAGRAPH in r["text"]]
    assert changed == [(old["id"], 2)]


def test_load_never_returns_a_superseded_version(
    shared_network: NewsNetwork, crawled: Path
) -> None:
    # Both copies of a wire story change; the one flagged in the first crawl is judged first.
    # The stories were published long before the 30-day window of the near-duplicate index,
    # so its new version finds nothing and the flag moves to the other story's new version.
    # A reader that drops flagged rows before taking the newest version would hand back the
    # other story's superseded version 1.
    pair = shared_network.expected.near_duplicate_pairs[0]
    matches = rows_by_expected(shared_network, read_records(crawled))
    kept = next(s for s in pair if matches[s.url][0]["duplicate_of"] is None)
    for story in pair:
        edit(shared_network, story)
    answer_late(shared_network, kept.url)  # the copy flagged in the first crawl goes first
    crawl(shared_network, crawled, *RECHECK_ALL)
    rows = read_records(crawled)
    newest: dict[str, int] = {}
    for row in rows:
        newest[row["id"]] = max(row["version"], newest.get(row["id"], 0))
    [kept_v2] = [r for r in rows_by_expected(shared_network, rows)[kept.url] if r["version"] == 2]
    assert kept_v2["duplicate_of"] is not None, "the flag did not move: adapt this test"
    for read in (newscrawl.load(crawled).to_pylist(), read_records(crawled, readme_query())):
        stale = [(r["id"], r["version"]) for r in read if r["version"] < newest[r["id"]]]
        assert not stale, f"superseded versions returned: {stale}"


def near_duplicate_problems(network: NewsNetwork, rows: list[dict[str, Any]]) -> list[str]:
    """What is wrong with `duplicate_of` in a crawl that keeps near-duplicates: each syndicated
    pair needs exactly one row pointing at the other (either way round), nothing else may be
    flagged."""
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
    shared_network: NewsNetwork, first_crawl: Path
) -> None:
    rows = read_records(first_crawl)
    assert not once_each_problems(shared_network, rows)
    assert not near_duplicate_problems(shared_network, rows)
    matches = rows_by_expected(shared_network, rows)
    for first, second in shared_network.expected.same_event_pairs:
        assert matches[first.url][0]["duplicate_of"] is None, first.slug
        assert matches[second.url][0]["duplicate_of"] is None, second.slug
    flagged = {r["id"] for r in rows if r["duplicate_of"] is not None}
    assert len(flagged) == len(shared_network.expected.near_duplicate_pairs)
    everything = {r["id"] for r in rows}
    assert set(newscrawl.load(first_crawl)["id"].to_pylist()) == everything - flagged
    assert set(newscrawl.load(first_crawl, drop_duplicates=False)["id"].to_pylist()) == everything


def test_drop_near_duplicates_writes_one_copy_of_each_syndicated_story(
    shared_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    report = crawl(shared_network, out, "-s", "NEWSCRAWL_DROP_NEAR_DUPLICATES=True")
    rows = read_records(out)
    matches = rows_by_expected(shared_network, rows)
    pairs = shared_network.expected.near_duplicate_pairs
    for original, copy in pairs:
        counts = [len(matches[original.url]), len(matches[copy.url])]
        assert sorted(counts) == [0, 1], (copy.slug, counts)
    assert sum(not found for found in matches.values()) == len(pairs)  # nothing else missing
    assert not once_each_problems(shared_network, rows, complete=False)
    assert all(r["duplicate_of"] is None for r in rows)
    near = [s["dropped_by_reason"].get("near_duplicate", 0) for s in report["sites"].values()]
    assert sum(near) == len(pairs)


def test_second_crawl_on_the_same_dataset_refuses_and_a_killed_one_blocks_nothing(
    shared_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    # One home page that takes 20 s keeps the first crawl running; flushing every row, it has
    # forked its extraction worker and written parts by the time the second one starts.
    answer_late(shared_network, shared_network.url("linksite", "/"), seconds=20)
    first = start_crawl(shared_network.sites_file, out, *FAST, "-s", "NEWSCRAWL_FLUSH_ROWS=1")
    try:
        wait_for(lambda: bool(part_files(out)), 60, "the first crawl's first part file")
        reports = sorted((out / "_runs").glob("*"))
        second = run_crawl(shared_network.sites_file, out, *FAST, timeout=60)
        assert first.proc.poll() is None, "the first crawl ended too early to test the lock"
    finally:
        kill_hard(first.proc)
    assert second.returncode == 3, second.stderr[-3000:]
    assert second.stderr.strip().splitlines() == [
        f"newscrawl: {out} is being written by another newscrawl process (pid {first.proc.pid}); "
        "wait for it to finish or use another --out"
    ]
    assert sorted((out / "_runs").glob("*")) == reports

    # The lock died with the killed process and with the extraction worker it had forked
    # (which inherited the locked file): the next crawl runs, and completes the dataset.
    shared_network.reset()
    crawl(shared_network, out)
    assert not once_each_problems(shared_network, read_records(out))


def test_two_crawls_started_together_one_refuses_cleanly(
    shared_network: NewsNetwork, tmp_path: Path
) -> None:
    # On a new --out neither sees the other's lock at start-up; the loser finds it when it
    # opens the dataset and must still say so in one sentence, touching nothing.
    out = tmp_path / "data"
    crawls = [
        start_crawl(shared_network.sites_file, out, *FAST, "-s", "DOWNLOAD_DELAY=2")
        for _ in range(2)
    ]
    try:
        wait_for(lambda: any(c.proc.poll() is not None for c in crawls), 60, "one to give up")
    finally:
        for run in crawls:
            if run.proc.poll() is None:
                kill_hard(run.proc)
    loser = next(c for c in crawls if c.proc.returncode != -9)
    assert "is being written by another newscrawl process" in loser.output()
    assert "Traceback" not in loser.output()
    assert loser.proc.returncode == 3
    assert not (out / "_runs" / "unknown.json").exists()
