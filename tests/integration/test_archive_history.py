"""The archive end to end: a real crawl of the news network with --archive, `reextract` after
an extractor change (new versions, nothing fetched), a second crawl, and kill -9 during
`reextract` and during `import`, each rerun leaving every article exactly once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newscrawl.archive.index import read_index
from tests.archive.changed_extractor import CLOSING, TASK, VERSION_MARK
from tests.archive.warcs import sites_toml, write_pages_warc
from tests.integration.crawling import (
    crawl,
    kill_hard,
    once_each_problems,
    read_records,
    start_process,
    unreadable_parquet,
    wait_for,
    written_rows,
)
from tests.network import NewsNetwork

REPO = Path(__file__).resolve().parents[2]


def newscrawl(*args: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl.cli", *args]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(newscrawl(*args), capture_output=True, text=True, timeout=300,
                          cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def newest(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    best: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["id"] not in best or row["version"] > best[row["id"]]["version"]:
            best[row["id"]] = row
    return list(best.values())


def versions_once(rows: list[dict[str, Any]]) -> list[str]:
    counts = Counter((r["id"], r["version"]) for r in rows)
    return [f"{key} written {n} times" for key, n in counts.items() if n > 1]


def reextract_args(network: NewsNetwork, out: Path, *extra: str) -> list[str]:
    return ["reextract", str(out), "--sites", str(network.sites_file),
            "-s", f"NEWSCRAWL_EXTRACT_TASK={TASK}", "-s", "NEWSCRAWL_EXTRACT_WORKERS=1",
            *extra]


def test_crawl_archive_then_reextract_then_crawl_again(
        shared_network: NewsNetwork, tmp_path: Path) -> None:
    out = tmp_path / "data"
    report = crawl(shared_network, out, "--archive")
    originals = read_records(out)
    assert not once_each_problems(shared_network, originals)
    index = read_index(out).to_pylist()
    # Every article row's page is in the archive, found through the index by its URL.
    assert {r["url"] for r in originals} <= {r["url"] for r in index}
    assert written_rows(report) == len(originals)

    shared_network.reset()  # forget the crawl's requests
    proc = run(*reextract_args(shared_network, out))
    assert f"{len(originals)} new versions" in proc.stdout, proc.stdout
    assert sum(len(s.requests) for s in shared_network.servers.values()) == 0
    rows = read_records(out)
    assert not versions_once(rows)
    latest = newest(rows)
    assert sorted(r["id"] for r in latest) == sorted(r["id"] for r in originals)
    assert all(r["version"] == 2 and r["text"].endswith(CLOSING)
               and r["extractor_version"].endswith(VERSION_MARK) for r in latest)

    # The same extractor again: nothing changed, nothing written.
    proc = run(*reextract_args(shared_network, out))
    assert "0 new articles, 0 new versions" in proc.stdout
    assert len(read_records(out)) == len(rows)

    # A later crawl knows every article: the dataset keeps one newest row per article.
    crawl(shared_network, out, "--archive")
    after = read_records(out)
    assert not versions_once(after)
    assert not once_each_problems(shared_network, newest(after))


def test_kill_9_during_reextract_then_rerun_gives_every_article_once(
        crawled: Path, shared_network: NewsNetwork, tmp_path: Path) -> None:
    out = crawled
    assert read_index(out).num_rows  # the shared first crawl archived (the default)
    before = read_records(out)
    proc = start_process(newscrawl(*reextract_args(
        shared_network, out, "-s", "NEWSCRAWL_FLUSH_ROWS=2")), tmp_path / "reextract.log")
    parts_before = len(list(out.glob("*/*/*.parquet")))
    wait_for(lambda: len(list(out.glob("*/*/*.parquet"))) >= parts_before + 2
             or proc.proc.poll() is not None, 120, "re-extracted rows", interval=0.005)
    assert proc.proc.poll() is None, "the re-extraction finished before it could be killed"
    kill_hard(proc.proc)
    assert not unreadable_parquet(out)
    assert not versions_once(read_records(out))

    run(*reextract_args(shared_network, out))
    rows = read_records(out)
    assert not versions_once(rows), proc.output()
    latest = newest(rows)
    assert sorted(r["id"] for r in latest) == sorted(r["id"] for r in before)
    assert all(r["text"].endswith(CLOSING) for r in latest)
    assert not once_each_problems(shared_network, latest)


def test_kill_9_during_import_then_rerun_gives_every_article_once(tmp_path: Path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text(sites_toml(), encoding="utf-8")
    warc = tmp_path / "pages.warc.gz"
    urls = write_pages_warc(warc, 150)
    out = tmp_path / "data"
    args = ["import", str(warc), "--sites", str(sites), "--out", str(out),
            "-s", "NEWSCRAWL_EXTRACT_WORKERS=1", "-s", "NEWSCRAWL_FLUSH_ROWS=5"]
    proc = start_process(newscrawl(*args), tmp_path / "import.log")
    wait_for(lambda: len(list(out.glob("*/*/*.parquet"))) >= 3 or proc.proc.poll() is not None,
             120, "imported rows", interval=0.005)
    assert proc.proc.poll() is None, "the import finished before it could be killed"
    kill_hard(proc.proc)
    assert not unreadable_parquet(out)
    partial = read_records(out)
    assert 0 < len(partial) < len(urls)

    rerun = run(*args)
    assert "known" in rerun.stdout  # the rerun skipped what the killed run committed
    rows = read_records(out)
    assert sorted(r["url"] for r in rows) == sorted(urls)
    assert not list((out / "_tmp").glob("*.partial"))
