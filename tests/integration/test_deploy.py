"""deploy/newscrawl-scheduled.sh, as cron and systemd run it: with NEWSCRAWL_LOG a good run
prints nothing (cron mails nothing) and a failing one prints its exit code, what it means and
its last lines on stderr (cron mails them); a stop signal to the job's process group still
commits and is reported as exit 143; without NEWSCRAWL_LOG the crawl's own output and exit
code pass through (systemd's journal)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from newscrawl.demo.server import Route
from tests.integration.crawling import LOCAL_SETTINGS, read_rows
from tests.integration.hostile import TinySite, article_html

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "newscrawl-scheduled.sh"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A NEWSCRAWL_HOME whose .venv/bin/newscrawl is this test run's real command."""
    home = tmp_path / "home"
    (home / ".venv" / "bin").mkdir(parents=True)
    (home / ".venv" / "bin" / "newscrawl").symlink_to(Path(sys.executable).parent / "newscrawl")
    return home


@pytest.fixture
def site() -> TinySite:
    site = TinySite("127.0.0.41")
    site.start()
    yield site
    site.stop()


def scheduled_env(home: Path, out: Path, sites: Path, log: Path | None) -> dict[str, str]:
    env = {**os.environ, "NEWSCRAWL_HOME": str(home), "NEWSCRAWL_OUT": str(out),
           "NEWSCRAWL_SITES": str(sites)}
    env.pop("NEWSCRAWL_LOG", None)
    if log is not None:
        env["NEWSCRAWL_LOG"] = str(log)
    return env


def local_args() -> list[str]:
    return [arg for setting in LOCAL_SETTINGS for arg in ("-s", setting)]


def run_scheduled(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=180)


def test_a_good_run_prints_nothing_and_logs_everything(home: Path, site: TinySite,
                                                       tmp_path: Path) -> None:
    log = tmp_path / "logs" / "newscrawl.log"
    log.parent.mkdir()
    out = tmp_path / "news"
    env = scheduled_env(home, out, site.sites_file(tmp_path), log)
    first = run_scheduled(env, *local_args())
    assert (first.returncode, first.stdout, first.stderr) == (0, "", ""), log.read_text()
    assert len(read_rows(out)) == 3
    second = run_scheduled(env, *local_args())
    assert (second.returncode, second.stdout, second.stderr) == (0, "", "")
    text = log.read_text()
    assert text.count("=== newscrawl-scheduled: run started") == 2
    assert text.count("=== newscrawl-scheduled: exit 0 at") == 2


def test_a_failing_run_reports_its_code_and_last_lines(home: Path, tmp_path: Path) -> None:
    log = tmp_path / "newscrawl.log"
    log.write_text("an earlier run's line\n")
    missing = tmp_path / "missing-sites.toml"
    proc = run_scheduled(scheduled_env(home, tmp_path / "news", missing, log))
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("newscrawl-scheduled: the crawl started ")
    assert lines[0].endswith(" exited 2: bad arguments, sites file or Redis: fix the "
                             "configuration.")
    assert lines[1] == f"Last lines of this run in {log}:"
    assert f"newscrawl: {missing}: no such sites file" in lines
    assert "an earlier run's line" not in proc.stderr  # only this run's lines
    assert log.read_text().startswith("an earlier run's line\n=== newscrawl-scheduled")


def test_an_unwritable_log_is_one_line(home: Path, tmp_path: Path) -> None:
    log = tmp_path / "no-such-dir" / "newscrawl.log"
    proc = run_scheduled(scheduled_env(home, tmp_path / "news", tmp_path / "s.toml", log))
    assert proc.returncode == 2
    assert proc.stderr.strip() == (f"newscrawl-scheduled: cannot append to the log {log}; set "
                                   "NEWSCRAWL_LOG to a file this user can write")


def test_without_a_log_the_crawl_speaks_for_itself(home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing-sites.toml"
    proc = run_scheduled(scheduled_env(home, tmp_path / "news", missing, None))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"newscrawl: {missing}: no such sites file"


def test_a_group_sigterm_commits_and_is_reported_as_143(home: Path, tmp_path: Path) -> None:
    slow = TinySite("127.0.0.42")
    for n in range(10, 70):
        path = f"/2024/10/{n % 28 + 1:02d}/slow-story-{n}/"
        slow.routes[path] = Route.html(article_html(f"Slow story {n}", n))
        slow.routes[path].delay = 0.5
        slow.sitemap_extra.append(path)
    slow.start()
    try:
        log = tmp_path / "newscrawl.log"
        out = tmp_path / "news"
        env = scheduled_env(home, out, slow.sites_file(tmp_path), log)
        # As cron or systemd runs it: the job leads its own process group.
        proc = psutil.Popen(["bash", str(SCRIPT), *local_args(), "-s",
                             "NEWSCRAWL_STOP_GRACE_SECONDS=2"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
        deadline = time.monotonic() + 60
        while slow.article_requests() < 15 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None, log.read_text()[-3000:]
        os.killpg(proc.pid, signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        slow.stop()
    assert proc.returncode == 143, log.read_text()[-3000:]
    assert stdout == ""
    assert " exited 143: stopped by SIGTERM after committing what it had." in stderr
    assert "Traceback" not in log.read_text()
    assert read_rows(out), "what was extracted before the signal is committed"


def test_the_unit_and_crontab_match_what_the_crawl_does() -> None:
    from newscrawl import settings

    unit = dict(line.split("=", 1) for line in
                (ROOT / "deploy" / "newscrawl.service").read_text().splitlines()
                if "=" in line and not line.startswith("#"))
    assert "143" in unit["SuccessExitStatus"].split()  # a SIGTERM stop is a clean stop
    assert unit["KillSignal"] == "SIGTERM"
    # the crawl's grace period, then commit and report, before systemd's SIGKILL
    assert float(unit["TimeoutStopSec"]) >= 3 * settings.NEWSCRAWL_STOP_GRACE_SECONDS
    [job] = [line for line in (ROOT / "deploy" / "crontab").read_text().splitlines()
             if "newscrawl-scheduled.sh" in line and not line.startswith("#")]
    assert ">" not in job  # the failure report must reach cron's mail, not a file
    assert "NEWSCRAWL_LOG=" in (ROOT / "deploy" / "crontab").read_text()
