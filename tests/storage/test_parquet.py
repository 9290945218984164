"""newscrawl.storage.parquet: atomic part files, Hive partitions, the explicit schema."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from newscrawl.record import arrow_schema
from newscrawl.state.sqlite import SqliteCrawlState
from newscrawl.storage.card import write_card
from newscrawl.storage.parquet import (
    DICTIONARY_MIN_ROWS,
    PartWriter,
    clean_tmp,
    list_parts,
    partition_of,
)
from tests.rows import make_row


def write_sample(root: Path) -> list[str]:
    """Three partitions: two sites, one undated row filed under its crawl date."""
    writer = PartWriter(root, run_id="20260304T080000Z-ab12")
    writer.add(make_row(1))
    writer.add(make_row(2, published_at=None))
    writer.add(make_row(3, site="tv", published_at=datetime(2026, 3, 1, 23, 59, tzinfo=UTC)))
    writer.add(make_row(4))
    return [part.path for part in writer.flush()]


def test_partition_of() -> None:
    assert partition_of(make_row(1)) == ("gossip", "2026-03-02")
    assert partition_of(make_row(1, published_at=None)) == ("gossip", "2026-03-04")
    assert partition_of(make_row(1, site="tv", published_at=datetime(2026, 1, 31, 23, 59,
                                                                     tzinfo=UTC))) == (
        "tv", "2026-01-31")


def test_parts_are_partitioned_by_site_and_date(tmp_path: Path) -> None:
    paths = write_sample(tmp_path)
    assert paths == [
        "gossip/2026-03-02/part-20260304T080000Z-ab12-w0-00001.parquet",
        "gossip/2026-03-04/part-20260304T080000Z-ab12-w0-00002.parquet",
        "tv/2026-03-01/part-20260304T080000Z-ab12-w0-00003.parquet",
    ]
    assert list_parts(tmp_path) == paths
    rows = {p: pq.read_table(tmp_path / p).column("title").to_pylist() for p in paths}
    assert rows == {paths[0]: ["Story 1", "Story 4"], paths[1]: ["Story 2"],
                    paths[2]: ["Story 3"]}


def test_part_schema_is_exact(tmp_path: Path) -> None:
    [path, *_] = write_sample(tmp_path)
    table = pq.read_table(tmp_path / path)
    schema = arrow_schema()
    # Parquet names a list's child `element` where pyarrow says `item`; types compare equal.
    assert table.schema.equals(schema)
    assert [(f.name, f.type, f.nullable) for f in table.schema] == [
        (f.name, f.type, f.nullable) for f in schema]
    assert table.schema.metadata == schema.metadata
    row = table.slice(0, 1).to_pylist()[0]
    assert row == {**make_row(1), "date": date(2026, 3, 2)}


def codecs_of(path: Path) -> dict[str, set[str]]:
    metadata = pq.ParquetFile(path).metadata
    codecs: dict[str, set[str]] = {}
    for g in range(metadata.num_row_groups):
        for c in range(metadata.num_columns):
            column = metadata.row_group(g).column(c)
            codecs.setdefault(column.path_in_schema.split(".")[0], set()).add(
                column.compression)
    return codecs


def test_small_parts_compress_their_text_and_large_parts_every_column(tmp_path: Path) -> None:
    for path in write_sample(tmp_path):
        codecs = codecs_of(tmp_path / path)
        assert codecs.pop("text") == {"ZSTD"}
        assert set().union(*codecs.values()) == {"UNCOMPRESSED"}
    writer = PartWriter(tmp_path / "large", run_id="20260304T080000Z-ab12")
    for n in range(DICTIONARY_MIN_ROWS):
        writer.add(make_row(n))
    [part] = writer.flush()
    codecs = codecs_of(tmp_path / "large" / part.path)
    assert set().union(*codecs.values()) == {"ZSTD"}
    assert pq.read_table(tmp_path / "large" / part.path).num_rows == DICTIONARY_MIN_ROWS


def test_no_files_left_in_tmp(tmp_path: Path) -> None:
    write_sample(tmp_path)
    assert list((tmp_path / "_tmp").iterdir()) == []


def test_flush_returns_rows_and_empties_the_buffer(tmp_path: Path) -> None:
    writer = PartWriter(tmp_path, run_id="r1", worker="w3", max_buffered_rows=3)
    assert writer.add(make_row(1)) == [] and writer.add(make_row(2)) == []
    assert writer.buffered == 2
    [part] = writer.add(make_row(3))       # the third row fills the buffer
    assert part.path == "gossip/2026-03-02/part-r1-w3-00001.parquet"
    assert [r["title"] for r in part.rows] == ["Story 1", "Story 2", "Story 3"]
    assert writer.buffered == 0
    assert writer.flush() == []
    writer.add(make_row(4))
    [second] = writer.flush()
    assert second.path.endswith("part-r1-w3-00002.parquet")


def test_clean_tmp_removes_partial_leftovers(tmp_path: Path) -> None:
    assert clean_tmp(tmp_path) == 0
    tmp = tmp_path / "_tmp"
    tmp.mkdir()
    (tmp / "part-r1-w0-00001.parquet.partial").write_bytes(b"PAR1 half a file")
    (tmp / "part-r1-w0-00002.parquet.partial").write_bytes(b"")
    (tmp / "notes.txt").write_text("not ours", encoding="utf-8")
    assert clean_tmp(tmp_path) == 2
    assert sorted(p.name for p in tmp.iterdir()) == ["notes.txt"]


def test_a_distributed_worker_cleans_only_its_own_partials(tmp_path: Path) -> None:
    # Workers share the directory: one starting up must not delete the part another is
    # writing at that moment.
    tmp = tmp_path / "_tmp"
    tmp.mkdir()
    for name in ("part-20260301T100000Z-a1b2c3-alpha-00001.parquet.partial",
                 "part-20260301T100500Z-d4e5f6-beta-00003.parquet.partial",
                 "part-20260301T100500Z-d4e5f6-alphabet-00001.parquet.partial"):
        (tmp / name).write_bytes(b"PAR1 half a file")
    assert clean_tmp(tmp_path, "alpha") == 1
    assert sorted(p.name for p in tmp.iterdir()) == [
        "part-20260301T100500Z-d4e5f6-alphabet-00001.parquet.partial",
        "part-20260301T100500Z-d4e5f6-beta-00003.parquet.partial"]
    assert clean_tmp(tmp_path) == 2  # single-machine mode: one writer, all leftovers are its


def test_a_null_in_a_required_column_makes_no_file(tmp_path: Path) -> None:
    # The pipeline validates first; the schema is the last guard against a bad row on disk.
    writer = PartWriter(tmp_path, run_id="r1")
    writer.add({**make_row(1), "title": None})
    with pytest.raises(pa.ArrowInvalid, match="title"):
        writer.flush()
    assert list_parts(tmp_path) == []
    assert list((tmp_path / "_tmp").iterdir()) == []


def dataset_with_side_files(root: Path) -> None:
    """A dataset as a crawl leaves it: parts, the card, the state, an empty _tmp."""
    paths = write_sample(root)
    write_card(root)
    state = SqliteCrawlState(root)
    state.reconcile()
    state.close()
    assert (root / "_dataset_card.json").is_file() and (root / "_state").is_dir()
    assert len(paths) == 3


def test_reads_with_duckdb(tmp_path: Path) -> None:
    dataset_with_side_files(tmp_path)
    rows = duckdb.sql(
        f"SELECT site, date, title, published_at FROM "
        f"read_parquet('{tmp_path}/**/*.parquet') ORDER BY title"
    ).fetchall()
    assert [r[:3] for r in rows] == [
        ("gossip", date(2026, 3, 2), "Story 1"), ("gossip", date(2026, 3, 4), "Story 2"),
        ("tv", date(2026, 3, 1), "Story 3"), ("gossip", date(2026, 3, 2), "Story 4")]
    assert rows[0][3] == datetime(2026, 3, 2, 21, 30, tzinfo=UTC)
    assert rows[1][3] is None


def test_reads_with_pandas(tmp_path: Path) -> None:
    dataset_with_side_files(tmp_path)
    frame = pd.read_parquet(tmp_path).sort_values("title")
    assert frame["title"].tolist() == ["Story 1", "Story 2", "Story 3", "Story 4"]
    assert frame["site"].tolist() == ["gossip", "gossip", "tv", "gossip"]
    assert list(frame["authors"].iloc[0]) == ["Jane Doe"]
    assert str(frame["published_at"].dtype) == "datetime64[us, UTC]"
    # The README's filter: `date` holds datetime.date values (not a category of strings).
    recent = frame[frame.date >= date(2026, 3, 2)]
    assert recent["title"].tolist() == ["Story 1", "Story 2", "Story 4"]


def test_reads_with_polars(tmp_path: Path) -> None:
    dataset_with_side_files(tmp_path)
    frame = pl.read_parquet(f"{tmp_path}/**/*.parquet").sort("title")
    assert frame["title"].to_list() == ["Story 1", "Story 2", "Story 3", "Story 4"]
    assert frame["site"].to_list() == ["gossip", "gossip", "tv", "gossip"]
    assert frame["tags"].to_list()[0] == ["music"]
    assert frame.filter(pl.col("date") >= date(2026, 3, 2)).height == 3


def test_reads_with_pyarrow_dataset(tmp_path: Path) -> None:
    dataset_with_side_files(tmp_path)
    table = ds.dataset(str(tmp_path), format="parquet").to_table()
    assert table.num_rows == 4
    assert sorted(table.column("title").to_pylist()) == ["Story 1", "Story 2", "Story 3",
                                                         "Story 4"]
    assert table.schema.equals(arrow_schema())
