"""Running the real `newscrawl crawl` command in a subprocess and reading what it wrote.

A subprocess, because Twisted's reactor cannot be restarted inside one test process, and
because it is exactly what a user or cron runs.
"""

from __future__ import annotations

import dataclasses
import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pyarrow.parquet as pq

from newscrawl.urls import canonicalize_url

# Politeness off for our own 127.0.0.x hosts; everything else is the shipped default.
LOCAL_SETTINGS = (
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "DOWNLOAD_TIMEOUT=10",
    "NEWSCRAWL_EXTRACT_WORKERS=2",
    "LOG_LEVEL=INFO",
)


@dataclass
class CrawlRun:
    returncode: int
    stderr: str
    report: dict[str, Any]


def run_crawl(sites_file: Path, out: Path, *args: str, timeout: float = 180) -> CrawlRun:
    cmd = [sys.executable, "-m", "newscrawl.cli", "crawl", "--sites", str(sites_file),
           "--out", str(out)]
    for setting in LOCAL_SETTINGS:
        cmd += ["-s", setting]
    cmd += list(args)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    reports = sorted((out / "_runs").glob("*.json"), key=lambda p: p.stat().st_mtime)
    report = json.loads(reports[-1].read_text()) if reports else {}
    return CrawlRun(proc.returncode, proc.stderr, report)


def crawl_command(sites_file: Path, out: Path, *args: str) -> list[str]:
    cmd = [sys.executable, "-m", "newscrawl.cli", "crawl", "--sites", str(sites_file),
           "--out", str(out)]
    for setting in LOCAL_SETTINGS:
        cmd += ["-s", setting]
    return cmd + list(args)


def read_rows(out: Path) -> list[dict[str, Any]]:
    """Every row of the dataset, through DuckDB's Hive-partitioned reader."""
    if not list(out.glob("*/*/*.parquet")):
        return []
    query = (f"SELECT * FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true) "
             "ORDER BY site, canonical_url")
    return duckdb.sql(query).df().to_dict("records")


# -- helpers for incremental and crash tests ------------------------------------------------------


FAST = ("-s", "NEWSCRAWL_EXTRACT_WORKERS=1")  # one extraction process: less start-up, 2 cores
# Every known article counts as young and due: all are fetched again (conditionally).
RECHECK_ALL = ("-s", f"NEWSCRAWL_REVISIT_HOURS={10**6}",
               "-s", "NEWSCRAWL_REVISIT_INTERVAL_MINUTES=0")


def crawl(network: Any, out: Path, *args: str) -> dict[str, Any]:
    """A whole crawl of `network` into `out` with one extraction process; asserts it succeeded
    and returns its run report."""
    run = run_crawl(network.sites_file, out, *FAST, *args)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.report


def written_rows(report: dict[str, Any]) -> int:
    """Rows a run wrote, over all sites, from its run report."""
    return sum(site["written"] for site in report["sites"].values())


def read_records(out: Path, query: str | None = None) -> list[dict[str, Any]]:
    """Like read_rows, as plain Python values (None for null, not pandas' NaN); `query` may
    replace the SELECT, with `{out}` for the dataset directory. Its own DuckDB connection: a
    result left half-read on the shared default one makes every later query there fail."""
    if not list(out.glob("*/*/*.parquet")):
        return []
    query = query or ("SELECT * FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true) "
                      "ORDER BY site, canonical_url")
    with duckdb.connect() as connection:
        return connection.sql(query.format(out=out)).arrow().read_all().to_pylist()


@dataclass
class BackgroundRun:
    """A command running in its own session, its output (stdout and stderr) going to `log`."""

    proc: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_process(cmd: list[str], log: Path) -> BackgroundRun:
    """Start `cmd` with its output in `log` (a pipe nobody reads would fill up and stall it)."""
    with open(log, "wb") as handle:
        proc = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT,
                                start_new_session=True)
    return BackgroundRun(proc, log)


def start_crawl(sites_file: Path, out: Path, *args: str) -> BackgroundRun:
    """`newscrawl crawl` in the background, its log in `<out>.log<n>` beside `out`."""
    n = len(list(out.parent.glob(f"{out.name}.log*")))
    return start_process(crawl_command(sites_file, out, *args), out.parent / f"{out.name}.log{n}")


def answer_late(network: Any, url: str, seconds: float = 1.5) -> None:
    """Delay the network's page at `url` (until its site is rebuilt, e.g. by reset()) so that
    everything else is read first."""
    [server] = [s for s in network.servers.values() if url.startswith(s.base_url + "/")]
    path = urlsplit(url).path
    server.set_route(path, dataclasses.replace(server.routes[path], delay=seconds))


def wait_for(condition: Callable[[], bool], timeout: float, what: str,
             interval: float = 0.01) -> float:
    """Poll `condition` until true; returns the seconds waited, fails the test on timeout."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)
    return time.monotonic() - started


def kill_hard(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL one process (a crash: no handler, no flush) and reap it."""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def part_files(out: Path) -> list[Path]:
    """Every visible part file of the dataset."""
    return sorted(out.glob("*/*/*.parquet"))


def unreadable_parquet(out: Path) -> list[str]:
    """Every `.parquet` file anywhere under `out` (also in `_tmp/`) that pyarrow cannot read
    completely: a partial file that a reader could pick up."""
    bad = []
    for path in sorted(out.rglob("*.parquet")):
        try:
            pq.read_table(path)
        except Exception as exc:  # noqa: BLE001 - any failure to read is the finding
            bad.append(f"{path.relative_to(out)}: {exc}")
    return bad


def rows_by_expected(network: Any, rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each expected article's URL -> the rows that carry one of its URLs (as in
    test_crawl_network.py)."""
    matches = {}
    for article in network.expected.articles:
        urls = {canonicalize_url(u) for u in article.urls}
        matches[article.url] = [r for r in rows if r["canonical_url"] in urls]
    return matches


def once_each_problems(network: Any, rows: list[dict[str, Any]], complete: bool = True
                       ) -> list[str]:
    """Why `rows` is not "every expected article exactly once, and nothing else" (with
    `complete=False`: "no expected article twice, and nothing else")."""
    matches = rows_by_expected(network, rows)
    problems = [f"missing: {url}" for url, found in matches.items() if complete and not found]
    problems += [f"{len(found)} rows: {url}" for url, found in matches.items() if len(found) > 1]
    matched = {r["id"] for found in matches.values() for r in found}
    problems += [f"not expected: {r['url']}" for r in rows if r["id"] not in matched]
    return problems


def requested_article_urls(network: Any) -> list[str]:
    """Expected article URLs (canonical, duplicate and alias URLs) that the servers were asked
    for since their request logs were last cleared."""
    requested = []
    for article in network.expected.articles:
        server = network.servers[article.site]
        for url in (*article.urls, *article.aliases):
            if server.count(urlsplit(url).path):
                requested.append(url)
    return requested
