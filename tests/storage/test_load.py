"""newscrawl.storage.load: reading the dataset back (newest versions, no duplicates)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import newscrawl
from newscrawl.state.sqlite import SqliteCrawlState
from newscrawl.storage.card import write_card
from newscrawl.storage.load import load
from newscrawl.storage.parquet import PartWriter
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
