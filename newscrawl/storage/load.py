"""Reading the dataset back, the way a data scientist wants it by default.

`load(DIR)` returns the newest version of each article, without near-duplicates, as a
pyarrow Table (or pandas / polars with `as_=`). The DuckDB query in the README gives the same
rows.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from newscrawl.storage.health import readable_parts
from newscrawl.storage.parquet import list_parts


def _dataset(root: Path, strict: bool = False) -> ds.Dataset:
    files = [str(root / p) for p in readable_parts(root, strict=strict)]
    if not files:
        raise FileNotFoundError(f"{root} holds no readable part files (all are damaged)")
    partitioning = ds.partitioning(pa.schema([("site", pa.string()), ("date", pa.string())]),
                                   flavor="hive")
    return ds.dataset(files, format="parquet", partitioning=partitioning,
                      partition_base_dir=str(root))


def load(root: str | Path, *, since: str | date | datetime | None = None,
         sites: list[str] | None = None, latest: bool = True, drop_duplicates: bool = True,
         as_: str = "arrow", strict: bool = False) -> Any:
    """Read the dataset at `root`.

    since: keep articles published (or, when undated, crawled) on or after this date.
    sites: keep only these site keys. latest: one row per id, its highest version.
    drop_duplicates: leave out near-duplicate copies (rows with `duplicate_of` set).
    as_: 'arrow' (pyarrow.Table), 'pandas' or 'polars'.
    strict: a damaged part file raises DamagedPartError naming it, instead of being skipped
    with a warning.
    """
    root = Path(root)
    if not list_parts(root):
        raise FileNotFoundError(f"{root} holds no newscrawl part files")
    dataset = _dataset(root, strict)
    condition = None
    if sites:
        condition = pc.field("site").isin(sites)
    if since is not None:
        day = since if isinstance(since, str) else since.isoformat()[:10]
        by_date = pc.field("date") >= day[:10]
        condition = by_date if condition is None else condition & by_date
    table = dataset.to_table(filter=condition)
    # Newest version first, then leave out copies: filtering first would resurrect an older
    # version of an id whose newest version is a flagged copy.
    if latest and table.num_rows:
        table = newest_versions(table)
    if drop_duplicates:
        table = table.filter(pc.is_null(table["duplicate_of"]))
    if as_ == "pandas":
        return table.to_pandas()
    if as_ == "polars":
        import polars as pl

        return pl.from_arrow(table)
    return table


def newest_versions(table: pa.Table) -> pa.Table:
    """One row per id: the highest version (ties: the latest crawled_at)."""
    indices = pa.array(range(table.num_rows), pa.int64())
    keyed = table.select(["id", "version", "crawled_at"]).append_column("_i", indices)
    ordered = keyed.sort_by([("id", "ascending"), ("version", "descending"),
                             ("crawled_at", "descending")])
    ids = ordered["id"].to_pylist()
    keep = [i for n, i in enumerate(ordered["_i"].to_pylist()) if n == 0 or ids[n] != ids[n - 1]]
    return table.take(pa.array(sorted(keep), pa.int64()))

