"""Every reader the README shows gives the same `site` and `date` columns, with the same types.

The dataset is written by the project's PartWriter and read by each library as the README
says; for a like-for-like comparison each result is converted to Arrow, and the native types
are checked as well."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

import newscrawl
from newscrawl.storage.card import write_card
from newscrawl.storage.parquet import PartWriter
from tests.rows import make_row

# Local files only: the Hugging Face library must not look anything up on its hub.
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    writer = PartWriter(root, run_id="run1")
    writer.add(make_row(1))                                                    # 2026-03-02
    writer.add(make_row(2, published_at=None))                                 # 2026-03-04
    writer.add(make_row(3, site="tv", published_at=datetime(2026, 2, 27, tzinfo=UTC)))
    writer.flush()
    write_card(root)
    return root


def normalise(schema: pa.Schema) -> dict[str, pa.DataType]:
    """site and date as Arrow types; polars hands strings over as large/view strings."""
    same = {pa.large_string(): pa.string(), pa.string_view(): pa.string()}
    return {name: same.get(schema.field(name).type, schema.field(name).type)
            for name in ("site", "date")}


def rows(table: pa.Table) -> list[tuple[str, date, str]]:
    return sorted(zip(table["site"].to_pylist(), table["date"].to_pylist(),
                      table["title"].to_pylist(), strict=True))


EXPECTED = [("gossip", date(2026, 3, 2), "Story 1"), ("gossip", date(2026, 3, 4), "Story 2"),
            ("tv", date(2026, 2, 27), "Story 3")]
TYPES = {"site": pa.string(), "date": pa.date32()}


def test_pandas(dataset: Path) -> None:
    frame = pd.read_parquet(dataset)
    assert pd.api.types.is_string_dtype(frame["site"])
    assert isinstance(frame["date"].iloc[0], date)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    assert normalise(table.schema) == TYPES
    assert rows(table) == EXPECTED
    # The README's filter.
    recent = frame[frame.date >= date(2026, 3, 1)]
    assert sorted(recent["title"]) == ["Story 1", "Story 2"]


def test_polars(dataset: Path) -> None:
    frame = pl.read_parquet(f"{dataset}/**/*.parquet")
    assert (frame.schema["site"], frame.schema["date"]) == (pl.String, pl.Date)
    assert normalise(frame.to_arrow().schema) == TYPES
    assert rows(frame.to_arrow()) == EXPECTED
    assert frame.filter(pl.col("date") >= date(2026, 3, 1)).height == 2


def test_duckdb(dataset: Path) -> None:
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{dataset}/**/*.parquet')")
    types = dict(zip(relation.columns, map(str, relation.types), strict=True))
    assert (types["site"], types["date"]) == ("VARCHAR", "DATE")
    table = relation.to_arrow_table()
    assert normalise(table.schema) == TYPES
    assert rows(table) == EXPECTED
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{dataset}/**/*.parquet') "
                      "WHERE date >= '2026-03-01'").fetchall() == [(2,)]


def test_pyarrow(dataset: Path) -> None:
    table = ds.dataset(dataset, format="parquet").to_table()
    assert normalise(table.schema) == TYPES
    assert rows(table) == EXPECTED


def test_newscrawl_load(dataset: Path) -> None:
    table = newscrawl.load(dataset)
    assert normalise(table.schema) == TYPES
    assert rows(table) == EXPECTED
    frame = newscrawl.load(dataset, as_="pandas")
    assert sorted(frame[frame.date >= date(2026, 3, 1)]["title"]) == ["Story 1", "Story 2"]


def test_hugging_face_datasets(dataset: Path, tmp_path: Path) -> None:
    hf = pytest.importorskip("datasets")
    loaded = hf.load_dataset("parquet", data_files=f"{dataset}/**/*.parquet", split="train",
                             cache_dir=str(tmp_path / "hf-cache"))
    assert (loaded.features["site"].dtype, loaded.features["date"].dtype) == ("string",
                                                                              "date32")
    table = loaded.data.table
    assert normalise(table.schema) == TYPES
    assert rows(table) == EXPECTED


def test_every_reader_gives_the_same_column_names(dataset: Path, tmp_path: Path) -> None:
    names = {
        "pandas": list(pd.read_parquet(dataset).columns),
        "polars": pl.read_parquet(f"{dataset}/**/*.parquet").columns,
        "duckdb": duckdb.sql(f"SELECT * FROM read_parquet('{dataset}/**/*.parquet')").columns,
        "pyarrow": ds.dataset(dataset, format="parquet").schema.names,
        "newscrawl": newscrawl.load(dataset).column_names,
    }
    try:
        import datasets as hf
    except ImportError:
        pass
    else:
        names["datasets"] = hf.load_dataset(
            "parquet", data_files=f"{dataset}/**/*.parquet", split="train",
            cache_dir=str(tmp_path / "hf-cache")).column_names
    reference = names.pop("pyarrow")
    assert {"site", "date"} <= set(reference)
    for reader, columns in names.items():
        assert columns == reference, reader
