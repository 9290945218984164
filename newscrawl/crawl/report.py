"""Progress while crawling and the per-site summary at the end.

On a terminal a live table (rich) shows per site pages fetched, articles written and errors,
plus the overall rate; without one (cron) a plain log line every interval. At the end the
summary is logged and written as JSON to `<dataset>/_runs/<run_id>.json`.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table
from scrapy.statscollectors import StatsCollector
from twisted.internet import task

from newscrawl.crawl.items import ArticleItem
from newscrawl.crawl.outcome import exit_code
from newscrawl.crawl.reasons import LIMIT_REASONS
from newscrawl.crawl.stats import bump, per_site

logger = logging.getLogger(__name__)

SUMMARY_COLUMNS = ("discovered", "fetched", "written", "duplicates", "dropped", "skipped",
                   "errors")


def summarize(stats: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per-site summary: the columns above plus `dropped_by_reason` / `skipped_by_reason`."""
    out: dict[str, dict[str, Any]] = {}
    for site, counts in sorted(per_site(stats).items()):
        dropped = {k.removeprefix("dropped/"): v for k, v in counts.items()
                   if k.startswith("dropped/")}
        skipped = {k.removeprefix("skipped/"): v for k, v in counts.items()
                   if k.startswith("skipped/")}
        duplicates = sum(v for k, v in dropped.items() if k.startswith("duplicate"))
        out[site] = {
            "discovered": counts.get("discovered", 0),
            "fetched": counts.get("fetched", 0),
            "written": counts.get("written", 0),
            "duplicates": duplicates,
            "dropped": sum(dropped.values()) - duplicates,
            "skipped": sum(skipped.values()),
            "errors": counts.get("errors", 0),
            "dropped_by_reason": dropped,
            "skipped_by_reason": skipped,
            "discovery": {k.removeprefix("discovery/"): v for k, v in counts.items()
                          if k.startswith("discovery/")},
        }
    return out


def summary_table(summary: dict[str, dict[str, Any]], title: str) -> Table:
    table = Table(title=title)
    table.add_column("site")
    for column in SUMMARY_COLUMNS:
        table.add_column(column, justify="right")
    for site, row in summary.items():
        table.add_row(site, *(str(row[c]) for c in SUMMARY_COLUMNS))
    return table


HISTORY_RUNS = 3


def previous_reports(directory: Path, limit: int = HISTORY_RUNS) -> list[dict[str, Any]]:
    """The last `limit` run reports of this dataset, newest first (unreadable ones skipped)."""
    reports = []
    for path in sorted(directory.glob("*.json"), reverse=True)[:limit]:
        try:
            reports.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return reports


def silent_sites(summary: dict[str, dict[str, Any]],
                 history: list[dict[str, Any]]) -> list[str]:
    """Sites that usually yield articles and yielded none this run: a changed layout or a
    block must not pass silently in a scheduled job.

    'Usually yields' means articles were discovered in at least one of the last runs.
    'Yielded none' means nothing discovered now, or discovered articles of which none could
    be fetched and none was already in the dataset (every fetch failed).
    """
    alerts = []
    for site, now in summary.items():
        productive = any(r.get("sites", {}).get(site, {}).get("discovered", 0) > 0
                         for r in history)
        if not productive:
            continue
        known = now["skipped_by_reason"].get("known", 0) + now.get("unchanged", 0)
        if now["discovered"] == 0 or (now["fetched"] == 0 and known == 0):
            alerts.append(f"{site}: discovered {now['discovered']} articles and fetched "
                          f"{now['fetched']} ({now['errors']} errors) although earlier runs "
                          "found articles; check the site's layout, robots.txt or a block")
    return alerts


class CrawlReport:
    """Live progress while crawling, and the end-of-run summary and JSON report.

    Owned by the crawl's services (services.py), which start and finish it."""

    def __init__(self, stats: StatsCollector, root: Path, *, progress: str = "auto",
                 interval: float = 10.0, distributed: bool = False) -> None:
        self.stats = stats
        self.root = root
        self.interval = interval
        self.distributed = distributed
        self.live_mode = progress == "on" or (progress == "auto" and sys.stderr.isatty())
        self.console = Console(stderr=True)
        self._live: Live | None = None
        self._loop: task.LoopingCall | None = None
        self._started = time.monotonic()
        self.started_at = datetime.now(UTC)

    def item_error(self, item: Any) -> None:
        """A pipeline bug must not lose an item silently: count it per site. (The item is
        not committed, so the next run fetches its page again.)"""
        site = item.site if isinstance(item, ArticleItem) else "?"
        bump(self.stats, site, "errors")
        bump(self.stats, site, "errors/item_failed")

    def start(self) -> None:
        self._started = time.monotonic()
        self.started_at = datetime.now(UTC)
        if self.live_mode:
            self._live = Live(self._progress_table(), console=self.console,
                              refresh_per_second=2, transient=True)
            self._live.start()
            self._loop = task.LoopingCall(self._tick)
            self._loop.start(0.5, now=False)
        elif self.interval > 0:
            self._loop = task.LoopingCall(self._tick)
            self._loop.start(self.interval, now=False)

    def _rate(self) -> float:
        sites = per_site(self.stats.get_stats()).values()
        written = sum(s.get("written", 0) for s in sites)
        fetched = sum(s.get("fetched", 0) for s in sites)
        elapsed = max(time.monotonic() - self._started, 1e-6)
        return (fetched or written) / elapsed

    def _progress_table(self) -> Table:
        summary = summarize(self.stats.get_stats())
        return summary_table(summary, f"newscrawl: {self._rate():.1f} pages/s")

    def _tick(self) -> None:
        if self._live is not None:
            self._live.update(self._progress_table())
            return
        for site, row in summarize(self.stats.get_stats()).items():
            logger.info("progress %s: fetched=%d written=%d errors=%d", site, row["fetched"],
                        row["written"], row["errors"])

    def stop_live(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        if self._live is not None:
            self._live.stop()
            self._live = None

    def finish(self, reason: str, run_id: str) -> dict[str, Any]:
        """Summarise the run, raise alerts, write `<dataset>/_runs/<run_id>.json`."""
        self.stop_live()
        summary = summarize(self.stats.get_stats())
        elapsed = time.monotonic() - self._started
        # A distributed worker sees only the share of each site that it happened to take
        # from the common queue: its per-site counts say nothing about a site's health.
        alerts = [] if self.distributed else silent_sites(
            summary, previous_reports(self.root / "_runs"))
        report = {
            "run_id": run_id,
            "started_at": self.started_at.isoformat(),
            "arguments": sys.argv[1:],
            "versions": versions(),
            "finish_reason": reason,
            "elapsed_seconds": round(elapsed, 3),
            "sites": summary,
            "totals": {c: sum(s[c] for s in summary.values()) for c in SUMMARY_COLUMNS},
            "alerts": alerts,
        }
        self.stats.set_value("newscrawl_alerts", len(alerts))
        report["exit_code"] = exit_code(self.stats.get_stats())
        self._write(report)
        for alert in alerts:
            logger.error("ALERT %s", alert)
        if limits := limits_hit(summary):
            logger.warning("crawl limits hit (the rest was left for the next run): %s", limits)
        if self.live_mode:
            self.console.print(summary_table(summary, f"newscrawl run {run_id} "
                                                      f"({reason}, {elapsed:.1f}s)"))
        for site, row in summary.items():
            logger.info("summary %s: %s", site, json.dumps(row, sort_keys=True))
        logger.info("summary totals: %s", json.dumps(report["totals"], sort_keys=True))
        return report

    def _write(self, report: dict[str, Any]) -> None:
        directory = self.root / "_runs"
        path = directory / f"{report['run_id']}.json"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n",
                           encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            logger.error("could not write the run report %s: %s", path, exc)
            self.stats.set_value("newscrawl_unwritable", str(path))
            return
        self.stats.set_value("newscrawl_report_path", str(path))


def limits_hit(summary: dict[str, dict[str, Any]]) -> str:
    """One line naming every crawl bound a site hit this run, or ''."""
    parts = []
    for site, row in summary.items():
        hit = {r: n for r, n in sorted(row["skipped_by_reason"].items()) if r in LIMIT_REASONS}
        if hit:
            parts.append(f"{site} (" + ", ".join(f"{r} {n}" for r, n in hit.items()) + ")")
    return "; ".join(parts)


def versions() -> dict[str, str]:
    """The versions that made this run's rows (for the run report)."""
    import platform

    import pyarrow
    import scrapy
    import trafilatura

    from newscrawl import __version__

    return {"newscrawl": __version__, "scrapy": scrapy.__version__,
            "trafilatura": trafilatura.__version__, "pyarrow": pyarrow.__version__,
            "python": platform.python_version()}
