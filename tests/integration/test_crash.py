"""Crashes: kill -9 and SIGTERM during a crawl, kill -9 during compaction. Whatever the moment,
no reader ever sees a partial file, and the next run ends with every article exactly once."""

from __future__ import annotations

import dataclasses
import json
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

import newscrawl
from tests.integration.crawling import (
    FAST,
    RECHECK_ALL,
    BackgroundRun,
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
    start_process,
    unreadable_parquet,
    wait_for,
    written_rows,
)
from tests.network import NewsNetwork
from tests.network.plan import LINK_SITE_HIDDEN, LINK_SITE_STORIES

FLUSH_OFTEN = ("-s", "NEWSCRAWL_FLUSH_ROWS=3")
JOURNAL = Path("_state") / "compaction.json"


def requests_served(network: NewsNetwork) -> int:
    return sum(len(server.requests) for server in network.servers.values())


# When to pull the plug: judged by the servers' request logs and by watching the output dir.
KILL_MOMENTS: dict[str, Callable[[NewsNetwork, Path], bool]] = {
    "fetching, nothing flushed yet": lambda network, out: requests_served(network) >= 10,
    "first part visible": lambda network, out: len(part_files(out)) >= 1,
    "parts flowing": lambda network, out: len(part_files(out)) >= 8,
}


def crash_state_problems(network: NewsNetwork, out: Path) -> list[str]:
    """What a reader could trip over right after a crash: an unreadable .parquet file, or an
    article (or anything unexpected) written twice."""
    problems = unreadable_parquet(out)
    return problems + once_each_problems(network, read_records(out), complete=False)


@pytest.mark.parametrize("moment", list(KILL_MOMENTS))
def test_kill_9_during_a_crawl_then_rerun_gives_every_article_once(
    shared_network: NewsNetwork, tmp_path: Path, moment: str
) -> None:
    out = tmp_path / "data"
    run = start_crawl(shared_network.sites_file, out, *FAST, *FLUSH_OFTEN)
    kill_when(run, lambda: KILL_MOMENTS[moment](shared_network, out), moment)
    assert not crash_state_problems(shared_network, out)

    crawl(shared_network, out, *FLUSH_OFTEN)
    assert not once_each_problems(shared_network, read_records(out))
    assert not unreadable_parquet(out)
    assert not list((out / "_tmp").glob("*.partial"))


def test_sigterm_commits_what_was_scraped_and_the_rerun_fetches_only_the_rest(
    shared_network: NewsNetwork, tmp_path: Path
) -> None:
    out = tmp_path / "data"
    # The links-only site's entry pages (home, the hinted sections) answer after 4 s: its
    # stories are still undiscovered when SIGTERM comes, the other sites' are being written.
    for path in ("/", "/celebrity/", "/tv/"):
        answer_late(shared_network, shared_network.url("linksite", path), seconds=4)
    run = start_crawl(shared_network.sites_file, out, *FAST, *FLUSH_OFTEN)
    try:
        wait_for(lambda: bool(part_files(out)), 60, "the first part file")
        run.proc.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        run.proc.wait(timeout=30)
        stopped_in = time.monotonic() - stopping
    finally:
        if run.proc.poll() is None:
            kill_hard(run.proc)
    assert run.proc.returncode == 143, run.output()[-3000:]  # 128 + SIGTERM
    [report_file] = (out / "_runs").glob("*.json")
    report = json.loads(report_file.read_text())
    assert report["finish_reason"] == "shutdown" and report["exit_code"] == 143
    scraped = re.search(r"'item_scraped_count': (\d+)", run.output())
    rows = read_records(out)
    assert scraped is not None and len(rows) == int(scraped[1]) > 0
    assert len(rows) == written_rows(report)
    assert not crash_state_problems(shared_network, out)
    present = {url for url, found in rows_by_expected(shared_network, rows).items() if found}
    missing = {a.url for a in shared_network.expected.articles} - present
    assert missing, "SIGTERM came too late to leave anything for the rerun"
    print(
        f"\nSIGTERM: stopped in {stopped_in:.1f}s, {len(present)} articles committed, "
        f"{len(missing)} left for the rerun"
    )

    shared_network.reset()  # home page fast again, request logs empty
    crawl(shared_network, out)
    assert not once_each_problems(shared_network, read_records(out))
    refetched = [
        url
        for url in present
        if shared_network.servers[shared_network.expected.find(url).site].count(urlsplit(url).path)
    ]
    assert not refetched, f"committed before SIGTERM, fetched again: {refetched}"
    assert set(requested_article_urls(shared_network)) >= missing


def kill_when(run: BackgroundRun, reached: Callable[[], bool], moment: str) -> None:
    """SIGKILL `run` as soon as `reached()` (polled every millisecond); fails the test if the
    process ended on its own first."""
    try:
        wait_for(lambda: reached() or run.proc.poll() is not None, 60, moment, 0.001)
    finally:
        kill_hard(run.proc)
    assert run.proc.returncode == -signal.SIGKILL, f"finished before {moment}: {run.output()}"


def compact_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "newscrawl.cli", "compact", "--out", str(out)]


def newest_rows(out: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """newscrawl.load (newest version per id, near-duplicates included), by (id, version)."""
    return {
        (r["id"], r["version"]): r for r in newscrawl.load(out, drop_duplicates=False).to_pylist()
    }


def test_kill_9_during_compaction_keeps_the_same_rows(
    shared_network: NewsNetwork, crawled: Path
) -> None:
    out = crawled
    # Every story of two sites gets a version 2: their partitions hold two parts each, one of
    # them superseded, so compaction has dozens of partitions to merge and swap. Re-checked as
    # young, with <lastmod> left alone: a moved one would be fetched once more after the
    # re-check (test_a_story_fetched_after_its_edit_is_not_fetched_again_for_it).
    # (a gallery's story is its captions: no body paragraph to append to)
    edited = [a for a in shared_network.expected.articles if a.site != "linksite" and a.text]
    for story in edited:
        body = [*story.text.split("\n\n"), "Corrected on review."]
        shared_network.update_article(story.site, story.slug, body=body)
    crawl(shared_network, out, *RECHECK_ALL, "-s", "NEWSCRAWL_FLUSH_ROWS=1")
    before = newest_rows(out)
    assert sum(version == 2 for _, version in before) == len(edited)
    parts_before = len(part_files(out))

    def compacted() -> int:
        return len(list(out.glob("*/*/part-compacted-*.parquet")))

    moments = {
        "journal written": lambda: (out / JOURNAL).exists(),
        "a few partitions swapped": lambda: compacted() >= 3,
        "many partitions swapped": lambda: compacted() >= 12,
    }
    for n, (moment, reached) in enumerate(moments.items()):
        run = start_process(compact_command(out), out.parent / f"compact-{n}.log")
        kill_when(run, reached, moment)
        assert not unreadable_parquet(out), moment
        assert newest_rows(out) == before, moment
        print(
            f"\nkilled compaction at {moment!r}: journal left: {(out / JOURNAL).exists()}, "
            f"{len(part_files(out))} parts, {compacted()} compacted, "
            f"{len(read_records(out))} rows on disk for {len(before)} newest"
        )

    finished = start_process(compact_command(out), out.parent / "compact.log")
    assert finished.proc.wait(timeout=60) == 0, finished.output()
    assert newest_rows(out) == before
    assert not (out / JOURNAL).exists()
    raw = read_records(out)
    assert sorted((r["id"], r["version"]) for r in raw) == sorted(before)  # no old, no twice
    assert len(part_files(out)) < parts_before
    # A crawl after compaction finds everything known: nothing fetched, nothing written.
    for server in shared_network.servers.values():
        server.clear_requests()
    report = crawl(shared_network, out)
    assert not requested_article_urls(shared_network)
    assert written_rows(report) == 0


def test_a_story_reached_only_through_a_stored_story_is_fetched_by_the_next_run(
    shared_network: NewsNetwork, tmp_path: Path
) -> None:
    # The links-only site's hidden story is linked from one story's related box only. Run 1
    # writes that story but does not get the hidden one (it fails as a kill would leave it);
    # run 2 finds the linking story known and does not fetch it again, so nothing but the
    # state's pending links leads back to the hidden story.
    out = tmp_path / "data"
    hidden = shared_network.expected.article("linksite", LINK_SITE_HIDDEN)
    [server] = [s for s in shared_network.servers.values()
                if hidden.url.startswith(s.base_url + "/")]
    path = urlsplit(hidden.url).path
    server.set_route(path, dataclasses.replace(server.routes[path], status=503, body=b""))
    crawl(shared_network, out, *FLUSH_OFTEN)
    assert [url for url, found in rows_by_expected(shared_network, read_records(out)).items()
            if not found] == [hidden.url]

    shared_network.reset()
    crawl(shared_network, out, *FLUSH_OFTEN)
    rows = read_records(out)
    assert not once_each_problems(shared_network, rows)
    [row] = rows_by_expected(shared_network, rows)[hidden.url]
    assert row["discovered_via"] == "article_link"
    # cleared once in the dataset: a third run does not ask for it again
    crawl(shared_network, out, *FLUSH_OFTEN)
    shared_network.reset()
    crawl(shared_network, out, *FLUSH_OFTEN)
    assert server.count(path) == 0


@pytest.mark.parametrize(("bound", "reason"), [
    ("NEWSCRAWL_MAX_ARTICLE_LINKS_PER_SITE=0", "article_link_cap"),
    ("NEWSCRAWL_MAX_ARTICLE_LINK_HOPS=0", "article_link_hops"),
])
def test_links_beyond_the_runs_bounds_are_fetched_by_the_next_run(
    shared_network: NewsNetwork, tmp_path: Path, bound: str, reason: str
) -> None:
    # A run with no budget for links from stories, or no hops: the hidden story, linked only
    # from a story's related box, is not fetched, and the linking story is written. The link
    # is kept pending (counted as skipped, the bound named in the run's warning), so the
    # next run fetches it although it never fetches the (known) linking story again.
    out = tmp_path / "data"
    hidden = shared_network.expected.article("linksite", LINK_SITE_HIDDEN)
    run = run_crawl(shared_network.sites_file, out, *FAST, "-s", bound)
    assert run.returncode == 0, run.stderr[-3000:]
    assert [url for url, found in rows_by_expected(shared_network, read_records(out)).items()
            if not found] == [hidden.url]
    assert run.report["sites"]["linksite"]["skipped_by_reason"][reason] >= 1
    assert re.search(rf"crawl limits hit .*linksite \([^)]*{reason} \d+", run.stderr)

    shared_network.reset()
    crawl(shared_network, out)
    rows = read_records(out)
    assert not once_each_problems(shared_network, rows)
    [row] = rows_by_expected(shared_network, rows)[hidden.url]
    assert row["discovered_via"] == "article_link"


def test_links_of_a_story_that_lands_during_a_stop_are_fetched_by_the_next_run(
    shared_network: NewsNetwork, tmp_path: Path
) -> None:
    # SIGTERM while the story that alone links the hidden one is in flight: the stop lets
    # it land and commits it, but schedules nothing new, so its links are kept pending; the
    # next run fetches the hidden story without fetching the (known) linking story again.
    out = tmp_path / "data"
    hidden = shared_network.expected.article("linksite", LINK_SITE_HIDDEN)
    linking = shared_network.expected.article("linksite", LINK_SITE_STORIES[0])
    [server] = [s for s in shared_network.servers.values()
                if linking.url.startswith(s.base_url + "/")]
    linking_path = urlsplit(linking.url).path
    answer_late(shared_network, linking.url, seconds=3)
    run = start_crawl(shared_network.sites_file, out, *FAST, *FLUSH_OFTEN)
    try:
        wait_for(lambda: server.count(linking_path) >= 1, 60, "the linking story's request")
        run.proc.send_signal(signal.SIGTERM)
        run.proc.wait(timeout=30)
    finally:
        if run.proc.poll() is None:
            kill_hard(run.proc)
    assert run.proc.returncode == 143, run.output()[-3000:]
    found = rows_by_expected(shared_network, read_records(out))
    assert found[linking.url] and not found[hidden.url]

    shared_network.reset()
    crawl(shared_network, out)
    rows = read_records(out)
    assert not once_each_problems(shared_network, rows)
    assert server.count(linking_path) == 0
    [row] = rows_by_expected(shared_network, rows)[hidden.url]
    assert row["discovered_via"] == "article_link"
