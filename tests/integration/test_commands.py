"""The user-facing commands: the offline demo, `scrapy crawl news`, `newscrawl sites`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from tests.integration.crawling import LOCAL_SETTINGS, read_rows

ROOT = Path(__file__).resolve().parents[2]


def test_demo_builds_a_dataset_duckdb_reads(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    proc = subprocess.run([sys.executable, "-m", "newscrawl.cli", "demo", "--out", str(out)],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "read_parquet(" in proc.stdout  # it tells the user how to load the data
    with duckdb.connect() as con:
        count, sites, kinds = con.execute(
            f"SELECT count(*), count(DISTINCT site), list(DISTINCT page_kind) "
            f"FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true)").fetchone()
    assert count >= 25 and sites == 1
    assert set(kinds) <= {"article", "liveblog", "gallery", "video"}
    assert (out / "_dataset_card.md").exists() and (out / "_dataset_card.json").exists()
    # Run it again: same dataset, nothing new written. Its reader goes away after the first
    # line (`newscrawl demo | head -1`): the run still ends, promptly, with its exit code,
    # rather than hanging at exit on output no one reads.
    with subprocess.Popen([sys.executable, "-m", "newscrawl.cli", "demo", "--out", str(out)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT) as again:
        assert again.stdout is not None
        assert again.stdout.readline()
        again.stdout.close()
        try:
            assert again.wait(timeout=60) == 0
        finally:
            again.kill()
    with duckdb.connect() as con:
        assert con.execute(f"SELECT count(*) FROM read_parquet('{out}/**/*.parquet')"
                           ).fetchone()[0] == count


def test_scrapy_crawl_news_still_works(news_network, tmp_path: Path) -> None:
    out = tmp_path / "data"
    cmd = ["scrapy", "crawl", "news", "-s", f"NEWSCRAWL_SITES_FILE={news_network.sites_file}",
           "-s", "NEWSCRAWL_SITES=feedsite", "-s", f"NEWSCRAWL_OUT={out}"]
    for setting in LOCAL_SETTINGS:
        cmd += ["-s", setting]
    scrapy = Path(sys.executable).parent / "scrapy"
    proc = subprocess.run([str(scrapy), *cmd[1:]], cwd=ROOT, capture_output=True, text=True,
                          timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = read_rows(out)
    assert {r["site"] for r in rows} == {"feedsite"}
    assert len(rows) == len(news_network.expected.sites["feedsite"].articles)


def test_sites_command_names_file_site_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "sites.toml"
    bad.write_text('[[site]]\nkey = "ok"\nname = "OK"\nhome = "https://ok.example/"\n'
                   '[[site]]\nkey = "broken"\nname = "Broken"\nhome = "not a url"\n')
    proc = subprocess.run([sys.executable, "-m", "newscrawl.cli", "sites", "--sites",
                           str(bad)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    [line] = proc.stderr.strip().splitlines()
    assert str(bad) in line and "broken" in line and "'home'" in line
    builtin = subprocess.run([sys.executable, "-m", "newscrawl.cli", "sites"],
                             capture_output=True, text=True, timeout=60)
    assert builtin.returncode == 0
    assert len(builtin.stdout.strip().splitlines()) >= 20


def test_unwritable_output_is_one_clear_error(news_network, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    proc = subprocess.run([sys.executable, "-m", "newscrawl.cli", "crawl", "--sites",
                           str(news_network.sites_file), "--out", str(blocker / "data")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    assert proc.stderr.strip().startswith("newscrawl: cannot write the dataset at")
    assert "Traceback" not in proc.stderr


def test_live_progress_and_summary_table_on_a_terminal(news_network, tmp_path: Path) -> None:
    # NEWSCRAWL_PROGRESS=on is what a terminal gets by default (auto); here stderr is a pipe.
    proc = subprocess.run([sys.executable, "-m", "newscrawl.cli", "crawl", "--sites",
                           str(news_network.sites_file), "--out", str(tmp_path / "data"),
                           "-s", "NEWSCRAWL_PROGRESS=on",
                           *[a for s in LOCAL_SETTINGS for a in ("-s", s)]],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = proc.stderr[proc.stderr.rindex("newscrawl run"):]
    for column in ("discovered", "fetched", "written", "duplicates", "errors"):
        assert column in table
    for site in news_network.sites:
        assert site in table
