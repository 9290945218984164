"""Stopping a crawl: SIGINT or SIGTERM (to the crawl or to its whole process group, as systemd
sends it) stops within seconds, commits what was extracted, writes the report and exits
130/143; a second signal exits at once; the next run completes the dataset, nothing twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.integration.crawling import crawl_command, read_rows, run_crawl
from tests.integration.hostile import TinySite, site_with_stories

STORIES = 120


@pytest.fixture
def slow_site() -> Iterator[TinySite]:
    site = site_with_stories("127.0.0.23", STORIES, month=10, delay=0.5)
    yield site
    site.stop()


def start_crawl(site: TinySite, tmp_path: Path, out: Path) -> tuple[psutil.Popen, Path]:
    log = tmp_path / f"crawl-{time.monotonic_ns()}.log"
    cmd = crawl_command(site.sites_file(tmp_path), out, "-s", "NEWSCRAWL_STOP_GRACE_SECONDS=3")
    with open(log, "w") as stderr:
        proc = psutil.Popen(cmd, stdout=subprocess.DEVNULL, stderr=stderr,
                            start_new_session=True)
    # wait until articles are being fetched
    deadline = time.monotonic() + 60
    while site.article_requests() < 20 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert proc.poll() is None, log.read_text()[-3000:]
    return proc, log


def leftover(pids: list[int], wait: float = 5.0) -> list[int]:
    """The processes still running `wait` seconds from now (the forkserver leaves when it
    sees its parent gone)."""
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for pid in pids:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    alive.append(pid)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def finish_and_check(site: TinySite, tmp_path: Path, out: Path, stopped_rows: int) -> None:
    again = run_crawl(site.sites_file(tmp_path), out)
    assert again.returncode == 0, again.stderr[-3000:]
    rows = read_rows(out)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == STORIES + 3  # every story exactly once
    assert len(rows) >= stopped_rows


@pytest.mark.parametrize(("signum", "group", "code"), [
    (signal.SIGINT, False, 130), (signal.SIGTERM, True, 143)])
def test_a_signal_stops_within_seconds_commits_and_reports(
        slow_site: TinySite, tmp_path: Path, signum: int, group: bool, code: int) -> None:
    out = tmp_path / "data"
    proc, log = start_crawl(slow_site, tmp_path, out)
    workers = [p.pid for p in proc.children(recursive=True)]
    sent = time.monotonic()
    if group:
        os.killpg(proc.pid, signum)  # the whole group, extraction workers included
    else:
        proc.send_signal(signum)
    returncode = proc.wait(timeout=30)
    took = time.monotonic() - sent
    stderr = log.read_text()
    assert returncode == code, stderr[-3000:]
    assert took < 3 + 6, took  # the grace period, then commit and out
    assert "stopping" in stderr
    assert "Traceback" not in stderr, stderr[stderr.find("Traceback"):][:6000][-1500:]
    assert not leftover(workers), "extraction workers outlived the crawl"
    rows = read_rows(out)
    assert rows, "what was extracted before the signal is committed"
    [report] = (out / "_runs").glob("*.json")
    data = json.loads(report.read_text())
    assert data["exit_code"] == code and data["totals"]["written"] == len(rows)
    finish_and_check(slow_site, tmp_path, out, len(rows))


def test_a_second_signal_exits_at_once_and_loses_nothing(slow_site: TinySite,
                                                         tmp_path: Path) -> None:
    out = tmp_path / "data"
    proc, log = start_crawl(slow_site, tmp_path, out)
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 130, log.read_text()[-3000:]
    assert time.monotonic() - sent < 2
    finish_and_check(slow_site, tmp_path, out, 0)
