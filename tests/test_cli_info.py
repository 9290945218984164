"""`newscrawl info`, `newscrawl runs` and `--version`, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import newscrawl
from newscrawl.storage.card import write_card
from newscrawl.storage.parquet import PartWriter
from tests.rows import CRAWLED, make_row


def newscrawl_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newscrawl.cli", *args], capture_output=True,
                          text=True, timeout=120)


OLD_REPORT = {  # as reports were before started_at, arguments, versions and exit_code
    "run_id": "20260304T080000Z-ab12", "finish_reason": "finished", "elapsed_seconds": 61.4,
    "sites": {}, "totals": {"written": 5, "fetched": 9, "errors": 0}, "alerts": [],
}
NEW_REPORT = {
    "run_id": "20260305T080000Z-cd34", "finish_reason": "closespider_itemcount",
    "started_at": "2026-03-05T08:00:00+00:00", "elapsed_seconds": 3725.0,
    "arguments": ["crawl", "--max-articles", "2"], "exit_code": 4,
    "versions": {"newscrawl": "0.1.0", "python": "3.11.7"},
    "sites": {}, "totals": {"written": 2, "fetched": 3, "errors": 1},
    "alerts": ["tv: discovered 0 articles"],
}


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    writer = PartWriter(root, run_id="20260304T080000Z-ab12")
    writer.add(make_row(1, image_url="https://gossipwire.example/a.jpg"))
    writer.add(make_row(2, published_at=None, tags=[]))
    writer.add(make_row(3, site="tv", published_at=datetime(2026, 2, 27, tzinfo=UTC)))
    writer.add(make_row(4, duplicate_of=make_row(1)["id"]))
    writer.add(make_row(1, version=2, text="Rewritten. " * 30,
                        crawled_at=CRAWLED + timedelta(days=1)))
    writer.flush()
    write_card(root)
    runs = root / "_runs"
    runs.mkdir()
    for report in (NEW_REPORT, OLD_REPORT):
        (runs / f"{report['run_id']}.json").write_text(json.dumps(report), encoding="utf-8")
    (runs / "20260306T080000Z-ef56.json").write_text("{ half a report", encoding="utf-8")
    return root


def test_info_json(dataset: Path) -> None:
    proc = newscrawl_cli("info", str(dataset), "--json")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert (info["rows"], info["rows_all_versions"]) == (4, 5)
    assert info["sites"] == {"gossip": 3, "tv": 1}
    assert (info["first_published"], info["last_published"]) == ("2026-02-27", "2026-03-02")
    assert info["undated"] == 1
    assert info["duplicate_share"] == 0.25
    assert info["fill_rates"]["image_url"] == 0.0   # version 2 of story 1 has no image
    assert info["fill_rates"]["tags"] == 0.75
    assert info["fill_rates"]["title"] == 1.0
    assert set(info["fill_rates"]) == set(newscrawl.load(dataset).column_names)
    assert info["schema_versions"] == {"2": 3}
    old, new = info["runs"]
    assert (old["run_id"], old["started_at"], old["exit_code"], old["arguments"]) == (
        "20260304T080000Z-ab12", "2026-03-04T08:00:00+00:00", None, None)
    assert (new["exit_code"], new["duration_seconds"], new["alerts"]) == (4, 3725.0, 1)
    assert new["versions"] == {"newscrawl": "0.1.0", "python": "3.11.7"}


def test_info_text(dataset: Path) -> None:
    proc = newscrawl_cli("info", str(dataset))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "4 articles (newest version each); 5 rows with every version" in out
    assert "2026-02-27 .. 2026-03-02; 1 undated" in out
    assert "25.0% of articles" in out
    lines = out.splitlines()
    assert any(line.split() == ["gossip", "3"] for line in lines)
    assert any(line.split() == ["tags", "75.0%"] for line in lines)
    assert any(line.startswith("  2026-03-05 08:00:00     1h02m  closespider_itemcount (1 alert)")
               for line in lines)
    assert "unreadable run report" in proc.stderr    # the broken report is named, not fatal


def test_runs_lists_one_line_per_run_oldest_first(dataset: Path) -> None:
    proc = newscrawl_cli("runs", str(dataset))
    assert proc.returncode == 0, proc.stderr
    header, old, new = proc.stdout.splitlines()
    assert header.split()[:3] == ["started", "(UTC)", "duration"]
    assert old.split() == ["2026-03-04", "08:00:00", "1m01s", "finished", "-", "5", "9", "0",
                           "20260304T080000Z-ab12"]
    assert new.split() == ["2026-03-05", "08:00:00", "1h02m", "closespider_itemcount",
                           "(1", "alert)", "4", "2", "3", "1", "20260305T080000Z-cd34"]
    runs = json.loads(newscrawl_cli("runs", str(dataset), "--json").stdout)
    assert [r["run_id"] for r in runs] == ["20260304T080000Z-ab12", "20260305T080000Z-cd34"]


@pytest.mark.parametrize("command", ["info", "runs"])
def test_not_a_dataset(tmp_path: Path, command: str) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    for path, says in ((tmp_path / "missing", "does not exist"),
                       (tmp_path / "notes.txt", "is a file, not a dataset directory"),
                       (tmp_path / "empty", "is not a newscrawl dataset")):
        proc = newscrawl_cli(command, str(path))
        assert proc.returncode == 2
        assert proc.stderr.strip() == f"newscrawl: {command}: {path} {says}" + (
            " (no part files, dataset card or run reports)" if path.name == "empty" else "")
        assert proc.stdout == ""
    assert not (tmp_path / "missing").exists()


def test_info_on_a_crawled_dataset(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert newscrawl_cli("demo", "--out", str(out)).returncode == 0
    info = json.loads(newscrawl_cli("info", str(out), "--json").stdout)
    assert info["rows"] == newscrawl.load(out, drop_duplicates=False).num_rows >= 25
    assert list(info["sites"]) == ["marquee"]
    [run] = info["runs"]
    assert run["finish_reason"] == "finished" and run["written"] == info["rows"]
    assert run["started_at"] is not None


def test_version() -> None:
    proc = newscrawl_cli("--version")
    assert proc.returncode == 0
    [line] = proc.stdout.splitlines()
    assert line.startswith(f"newscrawl {newscrawl.__version__} (scrapy ")
    assert "pyarrow " in line and "python 3." in line
