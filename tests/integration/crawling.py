"""Running the real `newscrawl crawl` command in a subprocess and reading what it wrote.

A subprocess, because Twisted's reactor cannot be restarted inside one test process, and
because it is exactly what a user or cron runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

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
    if not list(out.glob("site=*/date=*/*.parquet")):
        return []
    query = (f"SELECT * FROM read_parquet('{out}/**/*.parquet', hive_partitioning=true) "
             "ORDER BY site, canonical_url")
    return duckdb.sql(query).df().to_dict("records")
