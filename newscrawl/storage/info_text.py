"""`newscrawl info` and `newscrawl runs` as text for people and JSON for machines."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime

from newscrawl.storage.info import DatasetInfo, RunSummary


def info_json(info: DatasetInfo) -> str:
    return json.dumps(dataclasses.asdict(info), indent=2, default=_iso) + "\n"


def runs_json(runs: list[RunSummary]) -> str:
    return json.dumps([dataclasses.asdict(r) for r in runs], indent=2, default=_iso) + "\n"


def format_info(info: DatasetInfo) -> str:
    dates = (f"{info.first_published} .. {info.last_published}"
             if info.first_published else "none")
    versions = ", ".join(f"v{v} ({n} part{'s' * (n != 1)})"
                         for v, n in info.schema_versions.items()) or "no parts"
    lines = [
        f"dataset          {info.root}",
        f"rows             {info.rows} articles (newest version each); "
        f"{info.rows_all_versions} rows with every version; {info.parts} part files",
        f"published        {dates}; {info.undated} undated",
        f"near-duplicates  {info.duplicate_share:.1%} of articles (duplicate_of set)",
        f"schema           {versions}",
        "",
        f"sites ({len(info.sites)})",
    ]
    width = max((len(s) for s in info.sites), default=0)
    lines += [f"  {site:<{width}}  {rows:>8}" for site, rows in info.sites.items()]
    lines += ["", "fill rate (share of articles with a value)"]
    width = max((len(name) for name in info.fill_rates), default=0)
    lines += [f"  {name:<{width}}  {rate:>7.1%}" for name, rate in info.fill_rates.items()]
    lines += ["", f"last runs ({len(info.runs)})"]
    lines += ["  " + line for line in [RUNS_HEADER, *map(run_line, info.runs)]] if info.runs else [
        "  none recorded"]
    return "\n".join(lines) + "\n"


RUNS_HEADER = (f"{'started (UTC)':<19}  {'duration':>8}  {'finish reason':<22}  {'exit':>4}  "
               f"{'written':>7}  {'fetched':>7}  {'errors':>6}  run id")


def format_runs(runs: list[RunSummary]) -> str:
    if not runs:
        return "no run reports\n"
    return "\n".join([RUNS_HEADER, *(run_line(r) for r in runs)]) + "\n"


def run_line(run: RunSummary) -> str:
    """One line per run: start, duration, finish reason, exit code, written/fetched/errors."""
    started = run.started_at.strftime("%Y-%m-%d %H:%M:%S") if run.started_at else "?"
    reason = (run.finish_reason or "?") + (f" ({run.alerts} alert{'s' * (run.alerts != 1)})"
                                           if run.alerts else "")
    return (f"{started:<19}  {_duration(run.duration_seconds):>8}  {reason:<22}  "
            f"{_or_dash(run.exit_code):>4}  {_or_dash(run.written):>7}  "
            f"{_or_dash(run.fetched):>7}  {_or_dash(run.errors):>6}  {run.run_id}")


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def _or_dash(value: int | None) -> str:
    return "-" if value is None else str(value)


def _iso(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
