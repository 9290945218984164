"""The scheduled-job recipes: the cron/systemd script, its exit codes and run report, the
systemd units, and a crawl scheduled through a real scrapyd."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.integration.crawling import LOCAL_SETTINGS, read_rows

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "newscrawl-scheduled.sh"


def _scheduled_run(network, out: Path) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    env = {**os.environ, "NEWSCRAWL_HOME": str(ROOT), "NEWSCRAWL_OUT": str(out),
           "NEWSCRAWL_SITES": str(network.sites_file),
           # the script runs the project's .venv; here that is the interpreter running us
           "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    args = [a for s in LOCAL_SETTINGS for a in ("-s", s)]
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env,
                          timeout=180)


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "newscrawl").exists(),
                    reason="the scheduled script runs the project's .venv (make creates it)")
def test_scheduled_script_runs_and_flags_a_site_that_went_silent(news_network, tmp_path):
    out = tmp_path / "data"
    first = _scheduled_run(news_network, out)
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(read_rows(out)) == len(news_network.expected.articles)
    # The links-only site starts answering 404 to everything (a block, a relaunch).
    news_network.servers["linksite"].set_routes({})
    for path in list(news_network.servers["linksite"].routes):
        news_network.servers["linksite"].remove_route(path)
    second = _scheduled_run(news_network, out)
    assert second.returncode == 4, second.stderr[-3000:]
    assert "ALERT linksite" in second.stderr
    report = json.loads(sorted((out / "_runs").glob("*.json"))[-1].read_text())
    assert [a.split(":")[0] for a in report["alerts"]] == ["linksite"]
    # Sites that found nothing new but still discovered their articles are fine.
    assert report["sites"]["sitemapsite"]["discovered"] > 0


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze")
def test_systemd_units_verify(tmp_path: Path) -> None:
    for name in ("newscrawl.service", "newscrawl.timer"):
        text = (ROOT / "deploy" / name).read_text()
        text = text.replace("/opt/newscrawl", str(ROOT)).replace("User=newscrawl", "User=root")
        (tmp_path / name).write_text(text)
    proc = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "newscrawl.service"),
                           str(tmp_path / "newscrawl.timer")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    crontab = (ROOT / "deploy" / "crontab").read_text()
    assert "deploy/newscrawl-scheduled.sh" in crontab


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _api(base: str, endpoint: str, data: dict[str, str] | bytes | None = None,
         content_type: str | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
    request = urllib.request.Request(f"{base}/{endpoint}", data=body)
    if content_type:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def _multipart(fields: dict[str, str], name: str, filename: str, payload: bytes
               ) -> tuple[bytes, str]:
    boundary = "newscrawl-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             .encode() for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + payload + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_crawl_scheduled_through_scrapyd(news_network, tmp_path: Path) -> None:
    # Build the project's egg the way scrapyd-deploy does, from a copy of the sources.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(
        ".venv", ".git", "datasets", "tests", "bench", "*.egg-info", "build", "__pycache__"))
    eggs = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()",
                            "bdist_egg", "-d", str(eggs)], cwd=src, capture_output=True,
                           text=True, timeout=300)
    assert build.returncode == 0, build.stderr[-3000:]
    [egg] = list(eggs.glob("*.egg"))

    port = _free_port()
    workdir = tmp_path / "scrapyd"
    workdir.mkdir()
    (workdir / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.5\n"
        f"eggs_dir = {workdir}/eggs\nlogs_dir = {workdir}/logs\ndbs_dir = {workdir}/dbs\n")
    scrapyd = subprocess.Popen([sys.executable, "-m", "scrapyd"], cwd=workdir,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _api(base, "daemonstatus.json")
                break
            except OSError:
                time.sleep(0.1)
        body, content_type = _multipart({"project": "newscrawl", "version": "1"}, "egg",
                                        egg.name, egg.read_bytes())
        added = _api(base, "addversion.json", body, content_type)
        assert added["status"] == "ok", added
        listed = _api(base, "listspiders.json?project=newscrawl")
        assert {"news", "news_redis"} <= set(listed["spiders"]), listed
        out = tmp_path / "data"
        # scrapyd takes repeated `setting` fields, like -s on the command line.
        fields = [("project", "newscrawl"), ("spider", "news"),
                  ("setting", f"NEWSCRAWL_SITES_FILE={news_network.sites_file}"),
                  ("setting", f"NEWSCRAWL_OUT={out}"),
                  *[("setting", s) for s in LOCAL_SETTINGS]]
        job = _api(base, "schedule.json", urllib.parse.urlencode(fields).encode(),
                   "application/x-www-form-urlencoded")
        assert job["status"] == "ok", job
        for _ in range(600):
            jobs = _api(base, "listjobs.json?project=newscrawl")
            if any(j["id"] == job["jobid"] for j in jobs.get("finished", [])):
                break
            time.sleep(0.25)
        else:
            pytest.fail("the scrapyd job did not finish")
        rows = read_rows(out)
        assert len(rows) == len(news_network.expected.articles)
    finally:
        scrapyd.terminate()
        scrapyd.wait(timeout=20)
