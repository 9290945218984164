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
from collections.abc import Iterable
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


def summarize(stats: dict[str, Any], sites: Iterable[str] = ()) -> dict[str, dict[str, Any]]:
    """Per-site summary: the columns above plus `dropped_by_reason` / `skipped_by_reason`,
    and `unreachable` (nothing could be fetched from the site, and robots.txt or its pages
    failed: an error for that site, counted in `errors`). `sites`: the sites crawled, listed
    even when nothing was counted for them."""
    out: dict[str, dict[str, Any]] = {}
    counted = per_site(stats)
    for site in sites:
        counted.setdefault(site, {})
    for site, counts in sorted(counted.items()):
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
            "accepted": counts.get("accepted", 0),
        }
        row = out[site]
        reached = (row["fetched"] or row["written"] or counts.get("unchanged", 0)
                   or skipped.get("known", 0))
        row["unreachable"] = not reached and bool(
            skipped.get("robots_unreachable", 0) or row["errors"])
        if row["unreachable"] and not row["errors"]:
            row["errors"] = 1  # robots.txt unreachable, nothing fetched: the site failed
    return out


def summary_table(summary: dict[str, dict[str, Any]], title: str, *,
                  live: bool = False) -> Table:
    """The per-site table; `live`: "written" counts rows accepted for writing, committed or
    still buffered (the part files are written every NEWSCRAWL_FLUSH_ROWS rows or
    NEWSCRAWL_FLUSH_SECONDS)."""
    table = Table(title=title)
    table.add_column("site")
    for column in SUMMARY_COLUMNS:
        table.add_column(column, justify="right")
    for site, row in summary.items():
        values = {**row, "written": max(row["accepted"], row["written"])} if live else row
        table.add_row(site, *(str(values[c]) for c in SUMMARY_COLUMNS))
    return table


def summary_lines(report: dict[str, Any], root: Path, report_path: Path | None) -> list[str]:
    """The plain-text summary (no terminal): one line for the run, one per site."""
    totals = report["totals"]
    lines = [f"newscrawl run {report['run_id']} ({report['finish_reason']}, "
             f"{report['elapsed_seconds']:.1f}s): " + ", ".join(
                 f"{totals[c]} {c}" for c in SUMMARY_COLUMNS)]
    for site, row in report["sites"].items():
        state = " UNREACHABLE" if row["unreachable"] else ""
        lines.append(f"  {site}:{state} " + " ".join(f"{c}={row[c]}" for c in SUMMARY_COLUMNS))
    where = f"data: {root}"
    if report_path is not None:
        where += f"  report: {report_path}"
    lines.append(where)
    return lines


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
                 interval: float = 10.0, distributed: bool = False,
                 sites: Iterable[str] = ()) -> None:
        self.stats = stats
        self.sites = list(sites)
        self.root = root
        self.interval = interval
        self.distributed = distributed
        self.live_mode = progress == "on" or (progress == "auto" and sys.stderr.isatty())
        self.console = Console(stderr=True)
        self._live: Live | None = None
        self._loop: task.LoopingCall | None = None
        # Log handlers pointed at the live table while it is up, with their own streams.
        self._rerouted: list[tuple[logging.StreamHandler[Any], Any]] = []
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
                              refresh_per_second=2, transient=True, redirect_stderr=True)
            self._live.start()
            self._route_log_lines(sys.stderr)
            self._loop = task.LoopingCall(self._tick)
            self._loop.start(0.5, now=False)
        elif self.interval > 0:
            self._loop = task.LoopingCall(self._tick)
            self._loop.start(self.interval, now=False)

    def _progress_table(self) -> Table:
        summary = summarize(self.stats.get_stats(), self.sites)
        fetched = sum(row["fetched"] for row in summary.values())
        written = sum(row["written"] for row in summary.values())
        rate = (fetched or written) / max(time.monotonic() - self._started, 1e-6)
        return summary_table(summary, f"newscrawl: {rate:.1f} pages/s", live=True)

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
            self._route_log_lines(None)
            self._live.stop()
            self._live = None

    def _route_log_lines(self, stream: Any) -> None:
        """While the live table is up, log lines go through rich (printed above the table),
        not straight to the terminal, where they tore the table and left stale copies of its
        header behind. `None` gives each handler its own stream back."""
        if stream is not None:
            self._rerouted = []
            for handler in logging.getLogger().handlers:
                if type(handler) is logging.StreamHandler and handler.stream is sys.__stderr__:
                    self._rerouted.append((handler, handler.setStream(stream)))
            return
        for handler, original in self._rerouted:
            handler.setStream(original)
        self._rerouted = []

    def finish(self, reason: str, run_id: str) -> dict[str, Any]:
        """Summarise the run, raise alerts, write `<dataset>/_runs/<run_id>.json`."""
        self.stop_live()
        summary = summarize(self.stats.get_stats(), self.sites)
        elapsed = time.monotonic() - self._started
        # A distributed worker sees only the share of each site that it happened to take
        # from the common queue: its per-site counts say nothing about a site's health.
        alerts = [] if self.distributed else silent_sites(
            summary, previous_reports(self.root / "_runs"))
        report: dict[str, Any] = {
            "run_id": run_id,
            "started_at": self.started_at.isoformat(),
            "arguments": sys.argv[1:],
            "versions": versions(),
            "finish_reason": reason,
            "elapsed_seconds": round(elapsed, 3),
            "sites": summary,
            "totals": {c: sum(s[c] for s in summary.values()) for c in SUMMARY_COLUMNS},
            "alerts": alerts,
            "unreachable_sites": [site for site, row in summary.items() if row["unreachable"]],
        }
        self.stats.set_value("newscrawl_alerts", len(alerts))
        if not self.distributed and summary and all(r["unreachable"] for r in summary.values()):
            self.stats.set_value("newscrawl_all_unreachable", len(summary))
        report["exit_code"] = exit_code(self.stats.get_stats())
        self._write(report)
        for alert in alerts:
            logger.error("ALERT %s", alert)
        if limits := limits_hit(summary):
            logger.warning("crawl limits hit (the rest was left for the next run): %s", limits)
        for site in report["unreachable_sites"]:
            logger.warning("%s could not be reached: nothing fetched (see the warning above "
                           "for the host); counted as an error", site)
        self._print_summary(report, summary)
        for site, row in summary.items():
            logger.info("summary %s: %s", site, json.dumps(row, sort_keys=True))
        logger.info("summary totals: %s", json.dumps(report["totals"], sort_keys=True))
        return report

    def _print_summary(self, report: dict[str, Any], summary: dict[str, dict[str, Any]]) -> None:
        """What a person (or cron's mail) reads at the end: a table on a terminal, plain
        lines otherwise; where the data and the report are."""
        path_text = self.stats.get_value("newscrawl_report_path")
        report_path = Path(path_text) if path_text else None
        try:
            if self.live_mode:
                self.console.print(summary_table(
                    summary, f"newscrawl run {report['run_id']} ({report['finish_reason']}, "
                             f"{report['elapsed_seconds']:.1f}s)"))
                where = f"data: {self.root}" + (f"  report: {report_path}" if report_path
                                                 else "")
                self.console.print(where)
                return
            plain = Console(stderr=True, highlight=False, markup=False, soft_wrap=True,
                            no_color=True)
            for line in summary_lines(report, self.root, report_path):
                plain.print(line)
        except (OSError, SystemExit):
            # No one reads the output any more (`| head`; rich then raises SystemExit): the
            # report is on disk, and the run must still close its dataset.
            logger.debug("the run summary could not be printed: its reader went away")

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
