"""The archive's index: one Parquet row per archived page, so one page is found without
scanning a WARC file (filter the index, then seek to `offset` in `warc_file`).

One index part per WARC file (`_archive/index/<warc stem>.idx`), written after its WARC is
renamed into place: an index row never points into a file a reader cannot open. The parts are
Parquet files named `.idx`, not `.parquet`: the dataset's readers glob `<out>/**/*.parquet`
(DuckDB and polars descend into `_archive/` too) and must not pick the index up as rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from newscrawl.archive import ARCHIVE_DIR, INDEX_DIR
from newscrawl.storage.parquet import write_table_atomically

INDEX_SUFFIX = ".idx"

INDEX_SCHEMA = pa.schema([
    pa.field("url", pa.string(), nullable=False),            # fetched URL, after redirects
    pa.field("id", pa.string(), nullable=False),             # url_id of its canonical form
    pa.field("site", pa.string(), nullable=False),           # site key that fetched it
    pa.field("warc_file", pa.string(), nullable=False),      # name in _archive/warc/
    pa.field("offset", pa.int64(), nullable=False),          # of the response record
    pa.field("length", pa.int64(), nullable=False),          # its gzip member, in bytes
    pa.field("digest", pa.string(), nullable=True),          # WARC-Payload-Digest
    pa.field("fetched_at", pa.timestamp("us", tz="UTC"), nullable=False),
    pa.field("status", pa.int32(), nullable=False),
    pa.field("content_type", pa.string(), nullable=True),
])


@dataclass(frozen=True)
class IndexEntry:
    """Where one archived response is."""

    url: str
    id: str
    site: str
    warc_file: str
    offset: int
    length: int
    fetched_at: datetime


def write_index(base: Path, name: str, rows: list[dict[str, Any]]) -> None:
    """Write one index part atomically (`base` is the `_archive` directory)."""
    columns = {f.name: [row.get(f.name) for row in rows] for f in INDEX_SCHEMA}
    table = pa.Table.from_pydict(columns, schema=INDEX_SCHEMA)
    write_table_atomically(base, f"{INDEX_DIR}/{name}", table)


def read_index(root: Path, *, since: datetime | None = None,
               sites: Iterable[str] | None = None) -> pa.Table:
    """The index of a dataset's archive (`root` is the dataset directory), optionally only
    pages fetched at or after `since` and of the given site keys; sorted by file and offset,
    the order a sequential read wants."""
    directory = Path(root) / ARCHIVE_DIR / INDEX_DIR
    files = sorted(str(p) for p in directory.glob(f"*{INDEX_SUFFIX}")) if directory.is_dir() else []
    if not files:
        return INDEX_SCHEMA.empty_table()
    dataset = ds.dataset(files, schema=INDEX_SCHEMA, format="parquet")
    condition = None
    if since is not None:
        condition = pc.field("fetched_at") >= pa.scalar(since, INDEX_SCHEMA.field(
            "fetched_at").type)
    if sites is not None:
        keep = pc.field("site").isin(list(sites))
        condition = keep if condition is None else condition & keep
    table = dataset.to_table(filter=condition)
    return table.sort_by([("warc_file", "ascending"), ("offset", "ascending")])


def entries(table: pa.Table) -> Iterable[IndexEntry]:
    for row in table.to_pylist():
        yield IndexEntry(row["url"], row["id"], row["site"], row["warc_file"], row["offset"],
                         row["length"], row["fetched_at"])


def index_rows_of(warc: Path) -> list[dict[str, Any]]:
    """Index rows rebuilt from one of our WARC files (after a crash cut it short)."""
    from newscrawl.archive.reader import scan_responses

    return [row for row in scan_responses(warc)]
