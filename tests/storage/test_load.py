"""newscrawl.storage.load: reading the dataset back (newest versions, no duplicates)."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import newscrawl
from newscrawl.record import arrow_schema
from newscrawl.state.sqlite import SqliteCrawlState
from newscrawl.storage.card import write_card
from newscrawl.storage.load import load
from newscrawl.storage.parquet import PartWriter, rows_to_table, write_table_atomically
from tests.rows import CRAWLED, make_row

REWRITE = "A rewritten story with new quotes. " * 10
UNDATED = "https://gossipwire.example/undated-story-from-the-archive/"


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """Two runs over two sites, with an update, a re-crawl, a syndicated copy, an undated page."""
    first = PartWriter(tmp_path, run_id="run1")
    first.add(make_row(1))
    first.add(make_row(2))
    first.add(make_row(3, site="tv", published_at=datetime(2026, 2, 27, 12, 0, tzinfo=UTC)))
    first.add(make_row(4, duplicate_of=make_row(2)["id"]))
    first.add(make_row(5, canonical_url=UNDATED, published_at=None))   # filed under 2026-03-04
    first.flush()
    second = PartWriter(tmp_path, run_id="run2")
    second.add(make_row(1, version=2, title="Story 1, updated", text=REWRITE,
                        crawled_at=CRAWLED + timedelta(days=1)))
    # the same version fetched again later: the later copy is the one kept
    second.add(make_row(2, title="Story 2 (recrawled)", crawled_at=CRAWLED + timedelta(days=1)))
    second.flush()
    write_card(tmp_path)
    SqliteCrawlState(tmp_path).close()
    return tmp_path


def titles(table: pa.Table) -> list[str]:
    return sorted(table.column("title").to_pylist())


def test_latest_without_duplicates_by_default(dataset: Path) -> None:
    table = load(dataset)
    assert isinstance(table, pa.Table)
    assert titles(table) == ["Story 1, updated", "Story 2 (recrawled)", "Story 3", "Story 5"]
    assert table.num_rows == len(set(table.column("id").to_pylist()))
    assert {"site", "date"} <= set(table.column_names)


def test_all_versions(dataset: Path) -> None:
    assert titles(load(dataset, latest=False)) == [
        "Story 1", "Story 1, updated", "Story 2", "Story 2 (recrawled)", "Story 3", "Story 5"]


def test_with_duplicates(dataset: Path) -> None:
    table = load(dataset, drop_duplicates=False)
    assert titles(table) == ["Story 1, updated", "Story 2 (recrawled)", "Story 3", "Story 4",
                             "Story 5"]
    copy = table.filter(pc.equal(table["title"], "Story 4")).to_pylist()[0]
    assert copy["duplicate_of"] == make_row(2)["id"]


def test_sites(dataset: Path) -> None:
    assert titles(load(dataset, sites=["tv"])) == ["Story 3"]
    assert set(load(dataset, sites=["gossip"]).column("site").to_pylist()) == {"gossip"}
    assert load(dataset, sites=["nope"]).num_rows == 0


@pytest.mark.parametrize("since", ["2026-03-02", date(2026, 3, 2),
                                   datetime(2026, 3, 2, 15, 0, tzinfo=UTC)])
def test_since(dataset: Path, since: str | date | datetime) -> None:
    assert titles(load(dataset, since=since)) == ["Story 1, updated", "Story 2 (recrawled)",
                                                  "Story 5"]


def test_since_uses_the_crawl_date_of_undated_pages(dataset: Path) -> None:
    assert titles(load(dataset, since="2026-03-03")) == ["Story 5"]
    assert load(dataset, since="2026-03-05").num_rows == 0


def test_filters_combine(dataset: Path) -> None:
    assert load(dataset, sites=["tv"], since="2026-03-01").num_rows == 0
    assert titles(load(dataset, sites=["tv"], since="2026-02-01")) == ["Story 3"]


def test_as_pandas_and_polars(dataset: Path) -> None:
    frame = load(dataset, as_="pandas")
    assert isinstance(frame, pd.DataFrame)
    assert sorted(frame["title"]) == titles(load(dataset))
    polars_frame = load(dataset, as_="polars")
    assert isinstance(polars_frame, pl.DataFrame)
    assert sorted(polars_frame["title"].to_list()) == titles(load(dataset))


def test_package_level_load(dataset: Path) -> None:
    assert newscrawl.load(dataset).equals(load(dataset))


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no newscrawl part files"):
        load(tmp_path)


def test_a_single_site_key_is_one_site(dataset: Path) -> None:
    assert titles(load(dataset, sites="tv")) == ["Story 3"]
    assert titles(load(dataset, sites=("tv",))) == ["Story 3"]


@pytest.mark.parametrize("since", ["2024-5-1", "May 1 2024", "garbage", "", "2026-02-30",
                                   "20260302", 20260302, 2026.0, ["2026-03-02"]])
def test_since_that_is_no_date_is_refused(dataset: Path, since: object) -> None:
    with pytest.raises(ValueError, match=r"since=.* is not a date; give a datetime.date") as e:
        load(dataset, since=since)  # type: ignore[arg-type]
    assert repr(since) in str(e.value)


@pytest.mark.parametrize("since", ["2026-03-02T10:00:00+00:00", "2026-03-02 10:00",
                                   "2026-03-03T01:00:00+05:00"])
def test_since_as_a_timestamp_string_uses_its_utc_date(dataset: Path, since: str) -> None:
    assert titles(load(dataset, since=since)) == ["Story 1, updated", "Story 2 (recrawled)",
                                                  "Story 5"]


@pytest.mark.parametrize("as_", ["Pandas", "PANDAS", "pandas"])
def test_as_is_case_insensitive(dataset: Path, as_: str) -> None:
    assert isinstance(load(dataset, as_=as_), pd.DataFrame)  # type: ignore[call-overload]


@pytest.mark.parametrize("as_", ["pd", "dataframe", "", None, "pyarrow.Table"])
def test_unknown_output_is_refused(dataset: Path, as_: object) -> None:
    with pytest.raises(ValueError, match=r"as_=.* is not one of 'arrow', 'pandas', 'polars'"):
        load(dataset, as_=as_)  # type: ignore[call-overload]


@pytest.mark.parametrize("sites", [[], "", ["tv", 3], 7, {"tv": 1}])
def test_bad_sites_are_refused(dataset: Path, sites: object) -> None:
    with pytest.raises(ValueError, match="must be a site key or a non-empty sequence"):
        load(dataset, sites=sites)  # type: ignore[arg-type]


def test_flags_must_be_booleans(dataset: Path) -> None:
    with pytest.raises(ValueError, match="latest must be True or False, got 'no'"):
        load(dataset, latest="no")  # type: ignore[arg-type]


def test_the_signature_is_explicit() -> None:
    parameters = inspect.signature(newscrawl.load).parameters
    assert list(parameters) == ["root", "since", "sites", "latest", "drop_duplicates", "as_",
                                "strict"]
    assert not any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    assert newscrawl.load is load
    assert "since:" in (load.__doc__ or "") and "as_:" in (load.__doc__ or "")


def write_old_part(root: Path, relpath: str, *rows: dict[str, object],
                   without: tuple[str, ...] = ("image_url",)) -> None:
    """A part file from before a column was added: the current schema minus `without`."""
    table = rows_to_table(list(rows)).drop_columns(list(without))
    write_table_atomically(root, relpath, table)


@pytest.mark.parametrize("old_first", [True, False])
def test_parts_from_before_a_column_was_added_load_with_the_new_ones(
        tmp_path: Path, old_first: bool) -> None:
    old_name, new_name = ("part-a.parquet", "part-b.parquet") if old_first else (
        "part-b.parquet", "part-a.parquet")
    write_old_part(tmp_path, f"gossip/2026-03-02/{old_name}", make_row(1, image_url=None))
    writer = PartWriter(tmp_path, run_id="new")
    writer.add(make_row(2, image_url="https://gossipwire.example/lead.jpg"))
    [part] = writer.flush()
    Path(tmp_path / part.path).rename(tmp_path / "gossip/2026-03-02" / new_name)
    assert sorted(p.name for p in (tmp_path / "gossip/2026-03-02").iterdir()) == [
        "part-a.parquet", "part-b.parquet"]
    table = load(tmp_path)
    assert table.column_names == list(arrow_schema().names)
    assert dict(zip(table["title"].to_pylist(), table["image_url"].to_pylist(),
                    strict=True)) == {"Story 1": None,
                                      "Story 2": "https://gossipwire.example/lead.jpg"}


def test_parts_in_the_layout_before_schema_2_are_read(tmp_path: Path) -> None:
    # site=<key>/date=<day>/ parts stored neither column: the path gives both.
    write_old_part(tmp_path, "site=tv/date=2026-02-27/part-old.parquet",
                   make_row(3, site="tv", published_at=datetime(2026, 2, 27, 12, tzinfo=UTC)),
                   without=("site", "date"))
    writer = PartWriter(tmp_path, run_id="new")
    writer.add(make_row(1))
    writer.flush()
    table = load(tmp_path)
    assert sorted(zip(table["title"].to_pylist(), table["site"].to_pylist(),
                      table["date"].to_pylist(), strict=True)) == [
        ("Story 1", "gossip", date(2026, 3, 2)), ("Story 3", "tv", date(2026, 2, 27))]
    assert titles(load(tmp_path, sites="tv", since="2026-02-27")) == ["Story 3"]
