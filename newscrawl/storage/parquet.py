"""Parquet part files: explicit schema, zstd, Hive partitions, atomic visibility.

Layout under the dataset directory:

    site=<key>/date=<YYYY-MM-DD>/part-<run_id>-<worker>-<seq>.parquet

`date` is the UTC date of `published_at`, or of `crawled_at` when the page states none.
A part is written to `_tmp/` (which every reader ignores: pyarrow skips `_`-prefixed paths and
the file does not end in `.parquet`), fsynced, then renamed into place: a reader sees a
complete file or no file, even after `kill -9`.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newscrawl.record import FIELD_NAMES, arrow_schema

TMP_DIR = "_tmp"
ROW_GROUP_SIZE = 10_000
COMPRESSION = "zstd"


@dataclass
class WrittenPart:
    """A part that is now visible: its path relative to the dataset root, and its rows."""

    path: str
    rows: list[dict[str, Any]] = field(repr=False)


def partition_of(row: dict[str, Any]) -> tuple[str, str]:
    """(site, date) partition values of a record."""
    moment = row.get("published_at") or row["crawled_at"]
    return row["site"], moment.date().isoformat()


def write_table_atomically(root: Path, relpath: str, table: pa.Table) -> None:
    """Write `table` to root/relpath so that it appears complete or not at all."""
    final = root / relpath
    tmp_dir = root / TMP_DIR
    tmp_dir.mkdir(parents=True, exist_ok=True)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_dir / (final.name + ".partial")
    pq.write_table(table, tmp, compression=COMPRESSION, row_group_size=ROW_GROUP_SIZE,
                   write_statistics=True)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, final)
    _fsync_dir(final.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rows_to_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows (record dicts) -> a table with the explicit schema; no type inference."""
    schema = arrow_schema()
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


class PartWriter:
    """Buffers validated records and writes them as part files, per partition.

    `flush()` returns the parts it made visible, so the caller can commit them to the crawl
    state only after the data is safely on disk.
    """

    def __init__(self, root: Path, run_id: str, worker: str = "w0",
                 max_buffered_rows: int = 500) -> None:
        self.root = Path(root)
        self.run_id = run_id
        self.worker = worker
        self.max_buffered_rows = max_buffered_rows
        self._buffer: list[dict[str, Any]] = []
        self._sequence = 0

    def add(self, row: dict[str, Any]) -> list[WrittenPart]:
        """Buffer one row; flushes (and returns the parts) when the buffer is full."""
        self._buffer.append({k: row.get(k) for k in FIELD_NAMES})
        if len(self._buffer) >= self.max_buffered_rows:
            return self.flush()
        return []

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def flush(self) -> list[WrittenPart]:
        """Write every buffered row; one part file per (site, date) partition."""
        if not self._buffer:
            return []
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in self._buffer:
            groups[partition_of(row)].append(row)
        written: list[WrittenPart] = []
        for (site, day), rows in sorted(groups.items()):
            self._sequence += 1
            name = f"part-{self.run_id}-{self.worker}-{self._sequence:05d}.parquet"
            relpath = f"site={site}/date={day}/{name}"
            write_table_atomically(self.root, relpath, rows_to_table(rows))
            written.append(WrittenPart(relpath, rows))
        self._buffer.clear()
        return written


def clean_tmp(root: Path, worker: str | None = None) -> int:
    """Delete partial files a killed run left in `_tmp/`; returns how many.

    With `worker` (distributed mode, where workers share the directory), only that worker's
    own: another worker may be writing its part this very moment."""
    tmp_dir = Path(root) / TMP_DIR
    if not tmp_dir.is_dir():
        return 0
    own = re.compile(rf"part-.+-{re.escape(worker)}-\d+\.parquet\.partial") if worker else None
    removed = 0
    for path in tmp_dir.iterdir():
        if path.name.endswith(".partial") and (own is None or own.fullmatch(path.name)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def list_parts(root: Path) -> list[str]:
    """Relative paths of every visible part file under the dataset root."""
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.glob("site=*/date=*/*.parquet"))
