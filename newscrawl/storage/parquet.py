"""Parquet part files: explicit schema, zstd, one directory per site and date, atomic
visibility.

Layout under the dataset directory:

    <site>/<YYYY-MM-DD>/part-<run_id>-<worker>-<seq>.parquet

The directories repeat the `site` and `date` columns stored in every file (`date` is the UTC
date of `published_at`, or of `crawled_at` when the page states none). They carry no Hive
`name=` marker on purpose: see record.PARTITION_COLUMNS. Datasets written before schema
version 2 used `site=<key>/date=<YYYY-MM-DD>/` and did not store the two columns; their parts
are still listed and read (`part_dataset` fills the columns from the path), and
`newscrawl compact` moves them to the current layout.
A part is written to `_tmp/` (which every reader ignores: pyarrow skips `_`-prefixed paths and
the file does not end in `.parquet`), fsynced, then renamed into place: a reader sees a
complete file or no file, even after `kill -9`.
"""

from __future__ import annotations

import ctypes
import os
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newscrawl.record import PARTITION_COLUMNS, arrow_schema, derive_fields, partition_date

TMP_DIR = "_tmp"
ROW_GROUP_SIZE = 10_000
COMPRESSION = "zstd"
# Dictionary encoding pays off in a compacted part (a site's name, language and section
# repeat down thousands of rows); a flush's part per (site, date) often holds a row or two,
# and building 28 dictionaries for it took a quarter to a third of its writing time (200 such
# parts from a crawl of real pages: 1.55 -> 1.1 ms a part; a crawl of old stories writes ~0.7
# of them a page).
DICTIONARY_MIN_ROWS = 100
# For the same reason a crawl's small parts compress only the article text: a zstd frame per
# column chunk (28 of them) cost a third of the part's writing time and, on chunks of a few
# bytes, made the file larger, not smaller (1-row parts of real pages: 0.92 -> 0.64 ms CPU,
# 18,129 -> 18,013 bytes). `compact` rewrites them with zstd throughout.
COMPRESSED_SMALL_COLUMNS = frozenset({"text"})


def compression_for(table: pa.Table, light_small: bool) -> str | dict[str, str]:
    """zstd for every column, except in a small table written with `light_small`."""
    if not light_small or table.num_rows >= DICTIONARY_MIN_ROWS:
        return COMPRESSION
    return {name: COMPRESSION if name in COMPRESSED_SMALL_COLUMNS else "none"
            for name in table.schema.names}


@dataclass
class WrittenPart:
    """A part that is now visible: its path relative to the dataset root, and its rows."""

    path: str
    rows: list[dict[str, Any]] = field(repr=False)


def partition_of(row: dict[str, Any]) -> tuple[str, str]:
    """(site, date) partition values of a record."""
    return row["site"], partition_date(row).isoformat()


def partition_dir(site: str, day: str) -> str:
    """The directory of a partition, relative to the dataset root."""
    return f"{site}/{day}"


LEGACY_PREFIX = "site="


def is_legacy_part(relpath: str) -> bool:
    """A part written before schema version 2 (`site=<key>/date=<day>/`, no site/date inside)."""
    return relpath.startswith(LEGACY_PREFIX)


def current_dir_of(relpath: str) -> str:
    """The current-layout directory a part belongs in (legacy parts map to their new one)."""
    site, day = Path(relpath).parent.parts
    return partition_dir(site.removeprefix("site="), day.removeprefix("date="))


def part_dataset(root: Path, relpaths: list[str]) -> ds.Dataset:
    """The given parts as one dataset with the current schema, whatever schema each was
    written with.

    The schema is passed, not inferred from whichever file comes first: a column that an
    older part lacks reads as null there, and no column disappears. Legacy parts
    (`site=<key>/date=<day>/`) get `site` and `date` from their path; current parts have no
    `name=` segment, so for them the stored columns are the only source."""
    schema = arrow_schema()
    partition_fields = pa.schema([schema.field(name) for name in PARTITION_COLUMNS])
    return ds.dataset([str(Path(root) / p) for p in relpaths], schema=schema, format="parquet",
                      partitioning=ds.partitioning(partition_fields, flavor="hive"),
                      partition_base_dir=str(root))


def write_table_atomically(root: Path, relpath: str, table: pa.Table) -> None:
    """Write `table` to root/relpath so that it appears complete or not at all."""
    write_tables_atomically(root, [(relpath, table)])


def write_tables_atomically(root: Path, tables: list[tuple[str, pa.Table]], *,
                            light_small: bool = False) -> None:
    """Write each table to root/relpath so that each appears complete or not at all, and is
    on disk (power loss included) when this returns. `light_small`: a crawl's flush, whose
    small parts compress only their text (COMPRESSED_SMALL_COLUMNS).

    All files are written to `_tmp/` first, made durable together, renamed into place, and
    the renames made durable together: one flush of a crawl spans many (site, date)
    partitions, and an fsync per file and per directory cost more than the writing itself
    (two on-disk syncs per flush instead of two per part file)."""
    tmp_dir = root / TMP_DIR
    tmp_dir.mkdir(parents=True, exist_ok=True)
    moves = []
    for relpath, table in tables:
        final = root / relpath
        tmp = tmp_dir / (final.name + ".partial")
        pq.write_table(table, tmp, compression=compression_for(table, light_small),
                       row_group_size=ROW_GROUP_SIZE,
                       write_statistics=True,
                       use_dictionary=table.num_rows >= DICTIONARY_MIN_ROWS)
        moves.append((tmp, final))
    _make_durable(root, [tmp for tmp, _ in moves], fsync_file)
    for tmp, final in moves:
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)
    _make_durable(root, sorted({final.parent for _, final in moves}), fsync_dir)


def fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _make_durable(root: Path, paths: list[Path], sync_one: Callable[[Path], None]) -> None:
    """One syncfs(2) of the dataset's filesystem for several paths (Linux), else each."""
    if len(paths) > 1 and _syncfs(root):
        return
    for path in paths:
        sync_one(path)


def _syncfs(root: Path) -> bool:
    libc = _libc()
    if libc is None or not hasattr(libc, "syncfs"):
        return False
    fd = os.open(root, os.O_RDONLY)
    try:
        return bool(libc.syncfs(fd) == 0)
    finally:
        os.close(fd)


@cache
def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def rows_to_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows (record dicts, derived fields optional) -> a table with the explicit schema; no
    type inference."""
    schema = arrow_schema()
    rows = [row if row.get("date") is not None else derive_fields(row) for row in rows]
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
        self._buffer.append(derive_fields(row))
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
        tables: list[tuple[str, pa.Table]] = []
        for (site, day), rows in sorted(groups.items()):
            self._sequence += 1
            name = f"part-{self.run_id}-{self.worker}-{self._sequence:05d}.parquet"
            relpath = f"{partition_dir(site, day)}/{name}"
            tables.append((relpath, rows_to_table(rows)))
            written.append(WrittenPart(relpath, rows))
        write_tables_atomically(self.root, tables, light_small=True)
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
    """Relative paths of every visible part file under the dataset root (both layouts).

    `_`- and `.`-prefixed directories (`_tmp`, `_state`, `_runs`) are never data; site keys
    cannot start with either."""
    root = Path(root)
    return sorted(str(p.relative_to(root)) for p in root.glob("*/*/*.parquet")
                  if not p.relative_to(root).parts[0].startswith(("_", ".")))
