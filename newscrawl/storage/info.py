"""What a dataset holds and how its runs went: the data behind `newscrawl info` and `runs`.

Pure reading: nothing here writes to the dataset or takes its lock, so it works while a
crawl is writing (it sees the parts visible at that moment). Formatting lives in
`info_text`.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newscrawl.record import FIELD_NAMES, arrow_schema
from newscrawl.storage.card import CARD_JSON
from newscrawl.storage.load import newest_versions
from newscrawl.storage.parquet import list_parts, part_dataset

logger = logging.getLogger(__name__)

RUNS_DIR = "_runs"
SCHEMA_VERSION_KEY = b"newscrawl.schema_version"


class NotADatasetError(ValueError):
    """The path is not a newscrawl dataset directory; the message says why in one sentence."""


@dataclass(frozen=True)
class RunSummary:
    """One run report (`_runs/<run_id>.json`); None where an older report lacks the key."""

    run_id: str
    started_at: datetime | None
    duration_seconds: float | None
    finish_reason: str | None
    exit_code: int | None
    written: int | None
    fetched: int | None
    errors: int | None
    alerts: int
    arguments: list[str] | None = None
    versions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DatasetInfo:
    """Counts over the newest version of each article unless a name says otherwise."""

    root: str
    parts: int
    rows: int                          # newest version per article, near-duplicates included
    rows_all_versions: int
    sites: dict[str, int]              # site key -> rows
    first_published: date | None       # publication date range (UTC)
    last_published: date | None
    undated: int                       # rows without published_at
    fill_rates: dict[str, float]       # field -> share of rows with a value (0..1)
    duplicate_share: float             # share of rows with duplicate_of set
    schema_versions: dict[int, int]    # schema version -> part files written with it
    runs: list[RunSummary]             # oldest first


def check_dataset(root: Path) -> Path:
    """`root` if it is a dataset directory, else NotADatasetError naming what it is."""
    if not root.exists():
        raise NotADatasetError(f"{root} does not exist")
    if not root.is_dir():
        raise NotADatasetError(f"{root} is a file, not a dataset directory")
    if not ((root / CARD_JSON).is_file() or (root / RUNS_DIR).is_dir() or list_parts(root)):
        raise NotADatasetError(f"{root} is not a newscrawl dataset (no part files, dataset "
                               "card or run reports)")
    return root


def dataset_info(root: Path, runs: int = 5) -> DatasetInfo:
    """Everything `newscrawl info` shows; `runs`: how many of the latest run reports."""
    root = check_dataset(Path(root))
    parts = list_parts(root)
    table = part_dataset(root, parts).to_table() if parts else arrow_schema().empty_table()
    latest = newest_versions(table) if table.num_rows else table
    published = latest["published_at"]
    days = pc.cast(published, pa.date32()) if latest.num_rows else None
    return DatasetInfo(
        root=str(root),
        parts=len(parts),
        rows=latest.num_rows,
        rows_all_versions=table.num_rows,
        sites=dict(sorted(Counter(latest["site"].to_pylist()).items())),
        first_published=pc.min(days).as_py() if days is not None else None,
        last_published=pc.max(days).as_py() if days is not None else None,
        undated=published.null_count,
        fill_rates={name: fill_rate(latest[name]) for name in FIELD_NAMES},
        duplicate_share=_share(latest.num_rows - latest["duplicate_of"].null_count,
                               latest.num_rows),
        schema_versions=_schema_versions(root, parts),
        runs=read_runs(root)[-runs:] if runs else [],
    )


def fill_rate(column: pa.ChunkedArray) -> float:
    """Share of values that say something: not null, and not an empty string or list."""
    if not len(column):
        return 0.0
    if pa.types.is_string(column.type):
        filled = pc.sum(pc.greater(pc.utf8_length(column), 0)).as_py() or 0
    elif pa.types.is_list(column.type):
        filled = pc.sum(pc.greater(pc.list_value_length(column), 0)).as_py() or 0
    else:
        filled = len(column) - column.null_count
    return _share(filled, len(column))


def read_runs(root: Path) -> list[RunSummary]:
    """Every readable run report of the dataset, oldest first; unreadable ones are logged."""
    summaries = []
    for path in sorted((Path(root) / RUNS_DIR).glob("*.json")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            logger.warning("skipping unreadable run report %s: %s", path, exc)
            continue
        if isinstance(report, dict):
            summaries.append(run_summary(report, path.stem))
    return sorted(summaries, key=lambda r: (r.started_at or datetime.min.replace(tzinfo=UTC),
                                            r.run_id))


def run_summary(report: dict[str, Any], fallback_id: str) -> RunSummary:
    """A report as written by newscrawl.report, any version: keys it lacks become None."""
    run_id = str(report.get("run_id") or fallback_id)
    totals = report.get("totals")
    if not isinstance(totals, dict):
        totals = {}
    arguments = report.get("arguments")
    versions = report.get("versions")
    return RunSummary(
        run_id=run_id,
        started_at=_started_at(report.get("started_at"), run_id),
        duration_seconds=_number(report.get("elapsed_seconds")),
        finish_reason=report.get("finish_reason") or None,
        exit_code=report["exit_code"] if isinstance(report.get("exit_code"), int) else None,
        written=_int(totals.get("written")),
        fetched=_int(totals.get("fetched")),
        errors=_int(totals.get("errors")),
        alerts=len(report.get("alerts") or []),
        arguments=[str(a) for a in arguments] if isinstance(arguments, list) else None,
        versions={str(k): str(v) for k, v in versions.items()}
        if isinstance(versions, dict) else {},
    )


def _started_at(value: object, run_id: str) -> datetime | None:
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        except ValueError:
            pass
    # Older reports: the run id starts with the UTC start time, 20260304T080000Z-ab12.
    try:
        return datetime.strptime(run_id[:16], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def _schema_versions(root: Path, parts: list[str]) -> dict[int, int]:
    counts: Counter[int] = Counter()
    for part in parts:
        metadata = pq.read_schema(root / part).metadata or {}
        raw = metadata.get(SCHEMA_VERSION_KEY, b"0")
        counts[int(raw) if raw.isdigit() else 0] += 1
    return dict(sorted(counts.items()))


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
