"""Reading the dataset back, the way a data scientist wants it by default.

`load(DIR)` returns the newest version of each article, without near-duplicates, as a
pyarrow Table (or pandas / polars with `as_=`). The DuckDB query in the README gives the same
rows.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

import pyarrow as pa
import pyarrow.compute as pc

from newscrawl.storage.health import readable_parts
from newscrawl.storage.parquet import list_parts, part_dataset

if TYPE_CHECKING:
    import pandas
    import polars

Output = Literal["arrow", "pandas", "polars"]
OUTPUTS: tuple[str, ...] = ("arrow", "pandas", "polars")
SINCE_FORMS = ("a datetime.date, a datetime.datetime, or an ISO string 'YYYY-MM-DD' or "
               "'YYYY-MM-DDTHH:MM[:SS][+HH:MM]'")
# Zero-padded ISO only: '2024-5-1' or '20240501' are more likely typos than intent.
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


@overload
def load(root: str | os.PathLike[str], *, since: date | str | None = ...,
         sites: str | Sequence[str] | None = ..., latest: bool = ...,
         drop_duplicates: bool = ..., as_: Literal["arrow"] = ...,
         strict: bool = ...) -> pa.Table: ...
@overload
def load(root: str | os.PathLike[str], *, since: date | str | None = ...,
         sites: str | Sequence[str] | None = ..., latest: bool = ...,
         drop_duplicates: bool = ..., as_: Literal["pandas"],
         strict: bool = ...) -> pandas.DataFrame: ...
@overload
def load(root: str | os.PathLike[str], *, since: date | str | None = ...,
         sites: str | Sequence[str] | None = ..., latest: bool = ...,
         drop_duplicates: bool = ..., as_: Literal["polars"],
         strict: bool = ...) -> polars.DataFrame: ...


def load(root: str | os.PathLike[str], *, since: date | str | None = None,
         sites: str | Sequence[str] | None = None, latest: bool = True,
         drop_duplicates: bool = True,
         as_: Output = "arrow",
         strict: bool = False) -> pa.Table | pandas.DataFrame | polars.DataFrame:
    """Read the newscrawl dataset at `root`.

    Args:
        root: the dataset directory (what `newscrawl crawl --out` wrote).
        since: keep rows whose `date` (UTC publication date, or crawl date when undated) is
            on or after this day. A `datetime.date`; a `datetime.datetime` (its UTC date; a
            naive one is taken as UTC); or an ISO string, 'YYYY-MM-DD' or
            'YYYY-MM-DDTHH:MM[:SS][+HH:MM]'. None: no date filter.
        sites: one site key (a string) or a sequence of keys; None: every site.
        latest: one row per `id`, its highest version (False: every version).
        drop_duplicates: leave out near-duplicate copies (rows with `duplicate_of` set).
        as_: 'arrow' (pyarrow.Table), 'pandas' (pandas.DataFrame) or 'polars'
            (polars.DataFrame); case-insensitive.
        strict: a damaged part file raises DamagedPartError naming it; False: it is
            skipped with a warning naming it.

    Raises:
        ValueError: an argument outside the forms above; the message names it.
        FileNotFoundError: `root` holds no part files.
    """
    output = _output(as_)
    day = parse_since(since)
    keys = _site_keys(sites)
    for name, flag in (("latest", latest), ("drop_duplicates", drop_duplicates),
                       ("strict", strict)):
        if not isinstance(flag, bool):
            raise ValueError(f"load(): {name} must be True or False, got {flag!r}")
    root = Path(root)
    if not list_parts(root):
        raise FileNotFoundError(f"{root} holds no newscrawl part files")
    parts = readable_parts(root, strict=strict)
    if not parts:
        raise FileNotFoundError(f"{root} holds no readable part files (all are damaged)")
    table = part_dataset(root, parts).to_table(filter=_condition(day, keys))
    # Newest version first, then leave out copies: filtering first would resurrect an older
    # version of an id whose newest version is a flagged copy.
    if latest and table.num_rows:
        table = newest_versions(table)
    if drop_duplicates:
        table = table.filter(pc.is_null(table["duplicate_of"]))
    if output == "pandas":
        return table.to_pandas()
    if output == "polars":
        import polars as pl

        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)  # a Table gives a DataFrame, never a Series
        return frame
    return table


def parse_since(value: date | str | None) -> date | None:
    """`load()`'s `since` as a UTC date; ValueError naming the value and the accepted forms."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if ISO_DAY.fullmatch(text):
                return date.fromisoformat(text)
            if ISO_MOMENT.fullmatch(text):
                return parse_since(datetime.fromisoformat(text))
        except ValueError:
            pass  # e.g. '2024-02-30': reported below with the accepted forms
    raise ValueError(f"load(): since={value!r} is not a date; give {SINCE_FORMS}")


def _site_keys(sites: str | Sequence[str] | None) -> list[str] | None:
    if sites is None:
        return None
    keys = [sites] if isinstance(sites, str) else sites
    if (not isinstance(keys, Sequence) or not keys
            or not all(isinstance(k, str) and k for k in keys)):
        raise ValueError(f"load(): sites={sites!r} must be a site key or a non-empty sequence "
                         "of site keys (None: every site)")
    return list(keys)


def _output(as_: str) -> str:
    output = as_.lower() if isinstance(as_, str) else as_
    if output not in OUTPUTS:
        raise ValueError(f"load(): as_={as_!r} is not one of {', '.join(map(repr, OUTPUTS))}")
    return output


def _condition(day: date | None, keys: list[str] | None) -> pc.Expression | None:
    condition = None
    if keys is not None:
        condition = pc.field("site").isin(keys)
    if day is not None:
        by_date = pc.field("date") >= pa.scalar(day, pa.date32())
        condition = by_date if condition is None else condition & by_date
    return condition


def newest_versions(table: pa.Table) -> pa.Table:
    """One row per id: the highest version (ties: the latest crawled_at)."""
    indices = pa.array(range(table.num_rows), pa.int64())
    keyed = table.select(["id", "version", "crawled_at"]).append_column("_i", indices)
    ordered = keyed.sort_by([("id", "ascending"), ("version", "descending"),
                             ("crawled_at", "descending")])
    ids = ordered["id"].to_pylist()
    keep = [i for n, i in enumerate(ordered["_i"].to_pylist()) if n == 0 or ids[n] != ids[n - 1]]
    return table.take(pa.array(sorted(keep), pa.int64()))
