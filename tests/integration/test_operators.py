"""The crawl command as operators meet it: exact --max-articles, output that is quiet by
default and verbose on request, exit codes that say what happened, one line per problem."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.crawling import LOCAL_SETTINGS, read_rows, run_crawl
from tests.integration.hostile import TinySite, site_with_stories

STORIES = 100
QUIET_LOCAL = tuple(s for s in LOCAL_SETTINGS if not s.startswith("LOG_LEVEL"))


@pytest.fixture
def busy_site() -> Iterator[TinySite]:
    site = site_with_stories("127.0.0.24", STORIES, month=11, delay=0.4)
    yield site
    site.stop()


def crawl(sites: Path, out: Path, *args: str, settings: tuple[str, ...] = QUIET_LOCAL,
          timeout: float = 180) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "newscrawl.cli", "crawl", "--sites", str(sites),
           "--out", str(out)]
    for setting in settings:
        cmd += ["-s", setting]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("limit", [1, 5])
def test_max_articles_writes_exactly_n_and_stops_promptly(busy_site: TinySite, tmp_path: Path,
                                                          limit: int) -> None:
    out = tmp_path / "data"
    run = run_crawl(busy_site.sites_file(tmp_path), out, "--max-articles", str(limit))
    assert run.returncode == 0, run.stderr[-3000:]
    assert len(read_rows(out)) == limit
    assert run.report["totals"]["written"] == limit
    # it stopped: most of the site's articles were never requested
    assert busy_site.article_requests() < (STORIES + 3) // 2
    # the rest is there for the next run, nothing twice
    again = run_crawl(busy_site.sites_file(tmp_path), out)
    assert again.returncode == 0, again.stderr[-3000:]
    ids = [r["id"] for r in read_rows(out)]
    assert len(ids) == len(set(ids)) == STORIES + 3


@pytest.mark.parametrize("value", ["0", "-5", "five"])
def test_max_articles_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    run = crawl(tmp_path / "none.toml", tmp_path / "data", "--max-articles", value)
    assert run.returncode == 2
    assert "--max-articles" in run.stderr and "Traceback" not in run.stderr


def test_default_output_is_the_summary_not_scrapys_log(busy_site: TinySite,
                                                       tmp_path: Path) -> None:
    sites, out = busy_site.sites_file(tmp_path), tmp_path / "data"
    quiet = crawl(sites, out, "--max-articles", "3")
    assert quiet.returncode == 0, quiet.stderr[-3000:]
    assert "Scrapy 2." not in quiet.stderr and "Dumping Scrapy stats" not in quiet.stderr
    assert "newscrawl run " in quiet.stderr and "written=3" in quiet.stderr
    assert f"data: {out}" in quiet.stderr and "report: " in quiet.stderr
    verbose = crawl(sites, tmp_path / "v", "--max-articles", "3", "-v")
    assert "Scrapy 2." in verbose.stderr and "newscrawl run " in verbose.stderr
    # No way into the crawl from outside: Scrapy (>= 2.19) would otherwise start an HTTP
    # server that runs Python code sent to it, besides its telnet console.
    assert "Enabled extensions" in verbose.stderr
    assert "remote_control" not in verbose.stderr and "Remote control" not in verbose.stderr
    assert "TelnetConsole" not in verbose.stderr
    log = tmp_path / "crawl.log"
    to_file = crawl(sites, tmp_path / "f", "--max-articles", "3", "--log-file", str(log))
    assert "Scrapy 2." in log.read_text() and "Scrapy 2." not in to_file.stderr
    assert "newscrawl run " in to_file.stderr


def test_an_unreachable_site_is_an_error_one_line_per_host_no_traceback(tmp_path: Path) -> None:
    sites = tmp_path / "sites.toml"
    sites.write_text('[[site]]\nkey = "gone"\nname = "Gone"\nhome = "http://127.0.0.1:9/"\n')
    run = crawl(sites, tmp_path / "data")
    assert run.returncode == 5, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert run.stderr.count("robots.txt of 127.0.0.1:9 could not be read") == 1
    assert "gone: UNREACHABLE" in run.stderr and "errors=1" in run.stderr
    assert run.stderr.strip().splitlines()[-1].startswith("newscrawl: no site could be reached")


def test_an_unwritable_dataset_mid_run_exits_3_and_loses_nothing(busy_site: TinySite,
                                                                 tmp_path: Path) -> None:
    # Root ignores permission bits, so the damage is structural: the part writer's
    # temporary directory becomes a file while the crawl runs.
    out = tmp_path / "data"
    cmd = [sys.executable, "-m", "newscrawl.cli", "crawl", "--sites",
           str(busy_site.sites_file(tmp_path)), "--out", str(out),
           "-s", "NEWSCRAWL_FLUSH_ROWS=2", *[arg for s in QUIET_LOCAL for arg in ("-s", s)]]
    with subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True) as proc:
        deadline = time.monotonic() + 60
        while not list(out.glob("*/*/*.parquet")) and time.monotonic() < deadline:
            time.sleep(0.05)
        shutil.rmtree(out / "_tmp", ignore_errors=True)
        (out / "_tmp").write_text("not a directory")
        _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 3, stderr[-3000:]
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("newscrawl: cannot write")
    written = {r["id"] for r in read_rows(out)}
    assert written  # what was committed before stays
    (out / "_tmp").unlink()
    again = run_crawl(busy_site.sites_file(tmp_path), out)
    assert again.returncode == 0, again.stderr[-3000:]
    ids = [r["id"] for r in read_rows(out)]
    assert len(ids) == len(set(ids)) == STORIES + 3 and written <= set(ids)


def test_runs_leave_no_temporary_files_even_after_a_kill(busy_site: TinySite,
                                                         tmp_path: Path) -> None:
    # a short path, as a TMPDIR is (the forkserver's Unix socket lives below it)
    temp = Path(tempfile.mkdtemp(prefix="ncT"))
    env = {**os.environ, "TMPDIR": str(temp)}
    sites, out = busy_site.sites_file(tmp_path), tmp_path / "data"
    cmd = [sys.executable, "-m", "newscrawl.cli", "crawl", "--sites", str(sites), "--out",
           str(out), *[arg for s in QUIET_LOCAL for arg in ("-s", s)]]
    done = subprocess.run([*cmd, "--max-articles", "2"], capture_output=True, text=True,
                          env=env, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert list(temp.iterdir()) == []  # no pymp-* folder, no scratch folder
    before = busy_site.article_requests()
    with subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          env=env) as proc:
        deadline = time.monotonic() + 60
        while busy_site.article_requests() < before + 5 and time.monotonic() < deadline:
            time.sleep(0.1)
        proc.kill()
    assert [p.name.split("-")[0] for p in temp.iterdir()] == ["nc"]
    again = subprocess.run([*cmd, "--max-articles", "2"], capture_output=True, text=True,
                           env=env, timeout=180)
    assert again.returncode == 0, again.stderr[-3000:]
    assert list(temp.iterdir()) == []  # the killed run's folder went with the next run
    temp.rmdir()
